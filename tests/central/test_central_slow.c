/*
 * test_central_slow.c - slow clients against a real server (issue 10,
 * finding 3): headers and bodies trickled byte by byte are cut at their
 * deadlines; one address gets at most its share of connections; and while
 * 16 addresses x 63 connections send a header line every 5 s and 250 wrong
 * logins arrive, /healthz and a tablet's pull keep answering within 5 s.
 */
#include "cattack.h"
#include "craw.h"
#include "ctu.h"
#include "vp_core.h"
#include "vp_test.h"
#include "vp_time.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct central_proc srv;
static char dir[512], password[64];
static struct central_demo_location locs[5];

/* Trickles line every step_ms on fd until the server closes it (or max_ms);
 * returns how long that took, or -1 if it never closed. */
static int64_t trickle_until_closed(int fd, const char *line, int step_ms, int max_ms)
{
    int64_t t0 = vp_mono_ms();
    while (vp_mono_ms() - t0 < max_ms) {
        if (!craw_send(fd, line, strlen(line)))
            return vp_mono_ms() - t0; /* reset: closed */
        if (craw_wait_closed(fd, step_ms))
            return vp_mono_ms() - t0;
    }
    return -1;
}

static void test_trickled_headers_are_cut_at_the_deadline(void)
{
    int fd = craw_connect("127.0.0.21", srv.port);
    const char *start = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    int64_t ms;
    CHECK(fd >= 0);
    CHECK(craw_send(fd, start, strlen(start)));
    /* a header line every 300 ms: never idle, never complete */
    ms = trickle_until_closed(fd, "X-Slow: 1\r\n", 300, 8000);
    close(fd);
    fprintf(stderr, "headers cut after %lld ms (deadline 2000)\n", (long long)ms);
    CHECK(ms >= 1500);
    CHECK(ms <= 4000);
}

static void test_trickled_body_is_cut_at_the_deadline(void)
{
    int fd = craw_connect("127.0.0.22", srv.port);
    const char *start = "POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\n"
                        "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";
    int64_t ms;
    CHECK(fd >= 0);
    CHECK(craw_send(fd, start, strlen(start)));
    ms = trickle_until_closed(fd, " ", 300, 10000);
    close(fd);
    fprintf(stderr, "body cut after %lld ms (deadline 3000)\n", (long long)ms);
    CHECK(ms >= 2500);
    CHECK(ms <= 5000);
}

static void test_keep_alive_serves_requests_then_idles_out(void)
{
    const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    struct vp_buf ans = VP_BUF_INIT;
    int fd = craw_connect("127.0.0.23", srv.port);
    CHECK(fd >= 0);
    for (int i = 0; i < 3; i++) {
        /* each request gets its own header clock, started by the answer before */
        vp_buf_reset(&ans);
        CHECK(craw_send(fd, req, strlen(req)));
        CHECK(craw_read(fd, 3000, &ans));
        CHECK_INT_EQ(craw_status(&ans), 200);
        usleep(1200 * 1000);
    }
    /* idle longer than the header deadline: the server ends the connection */
    CHECK(craw_wait_closed(fd, 4000));
    close(fd);
    vp_buf_release(&ans);
}

static void test_one_address_gets_at_most_its_connections(void)
{
    const char *start = "GET /healthz HTTP/1.1\r\n";
    const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    struct vp_buf ans = VP_BUF_INIT;
    int fds[16], extra;
    for (int i = 0; i < 16; i++) {
        fds[i] = craw_connect("127.0.0.31", srv.port);
        CHECK(fds[i] >= 0);
        CHECK(craw_send(fds[i], start, strlen(start)));
    }
    /* the 17th from that address is closed at once, unanswered */
    extra = craw_connect("127.0.0.31", srv.port);
    CHECK(extra >= 0);
    craw_send(extra, start, strlen(start));
    CHECK(craw_read(extra, 1000, &ans)); /* closed by the server */
    CHECK_INT_EQ(ans.len, 0);
    close(extra);
    /* the sixteen are still open; another address is served */
    CHECK(!craw_wait_closed(fds[0], 100));
    CHECK_INT_EQ(craw_request("127.0.0.32", srv.port, req, strlen(req), 3000, &ans), 200);
    for (int i = 0; i < 16; i++)
        close(fds[i]);
    usleep(300 * 1000);
    vp_buf_reset(&ans);
    CHECK_INT_EQ(craw_request("127.0.0.31", srv.port, req, strlen(req), 3000, &ans), 200);
    vp_buf_release(&ans);
}

static void test_healthz_and_pull_answer_during_slow_header_attack_and_login_flood(void)
{
    const char *health = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    struct cattack_slow slow = { .addrs = 16, .conns = 63, .line_ms = 5000 };
    struct cattack_logins flood = { .n = 250, .addrs = 50, .spread_ms = 10000 };
    char token[64], device[40], code[16];
    int64_t worst_health = 0, worst_pull = 0, t_end;
    int probes = 0;
    /* this test runs the server with its defaults (10 s for headers) */
    central_proc_stop(&srv);
    CHECK_INT_EQ(central_proc_start(&srv, dir, NULL, NULL), 0);
    ctu_code(dir, locs[1].id, code);
    CHECK_INT_EQ(ctu_enroll(srv.url, code, token, device), 200);
    slow.port = flood.port = srv.port;
    cattack_slow_start(&slow);
    sleep(6); /* every attacking connection is open and trickling */
    cattack_logins_start(&flood);
    /* 20 s of probes: through the flood and two rounds of deadline cuts */
    t_end = vp_mono_ms() + 20000;
    while (vp_mono_ms() < t_end) {
        struct vp_buf ans = VP_BUF_INIT;
        json_t *pulled = NULL;
        int64_t t0 = vp_mono_ms(), ms;
        int status = craw_request("127.0.0.1", srv.port, health, strlen(health), 5000, &ans);
        ms = vp_mono_ms() - t0;
        if (status != 200)
            ms = 99999;
        if (ms > worst_health)
            worst_health = ms;
        t0 = vp_mono_ms();
        status = (int)ctu_pull(srv.url, token, 0, 100, &pulled);
        ms = vp_mono_ms() - t0;
        if (status != 200 || !json_is_array(json_object_get(pulled, "changes")))
            ms = 99999;
        if (ms > worst_pull)
            worst_pull = ms;
        json_decref(pulled);
        vp_buf_release(&ans);
        probes++;
        usleep(250 * 1000);
    }
    cattack_logins_wait(&flood);
    cattack_slow_stop(&slow);
    fprintf(stderr,
            "attack: %ld connects, %ld cut by the server; logins %d evaluated, %d refused, %d "
            "other; %d probes: /healthz worst %lld ms, pull worst %lld ms\n",
            slow.connects, slow.cut, flood.evaluated, flood.refused, flood.other, probes,
            (long long)worst_health, (long long)worst_pull);
    CHECK(probes >= 10);
    CHECK(worst_health < 5000);
    CHECK(worst_pull < 5000);
    CHECK_INT_EQ(flood.other, 0); /* each a 401 or a 429, none left hanging */
}

int main(void)
{
    const char *args[] = { "--header-timeout", "2", "--body-timeout", "3", NULL };
    char *tmp = vp_test_tempdir();
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    craw_raise_file_limit();
    if (central_proc_demo(dir, locs, 5, password) != 5 ||
        central_proc_start(&srv, dir, NULL, args) != 0) {
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    VP_TEST(test_trickled_headers_are_cut_at_the_deadline);
    VP_TEST(test_trickled_body_is_cut_at_the_deadline);
    VP_TEST(test_keep_alive_serves_requests_then_idles_out);
    VP_TEST(test_one_address_gets_at_most_its_connections);
    VP_TEST(test_healthz_and_pull_answer_during_slow_header_attack_and_login_flood);
    if (central_proc_stop(&srv) != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
