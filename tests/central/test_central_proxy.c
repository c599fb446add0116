/*
 * test_central_proxy.c - behind a reverse proxy (serve --trusted-proxy,
 * issue 13): from the trusted proxy's address the last hop of
 * X-Forwarded-For is the client, for the throttles, the connections per
 * address and the audit; from any other address X-Forwarded-For is never
 * trusted. Clients are loopback addresses (127.0.9.x): 127.0.9.1 plays the
 * proxy.
 */
#include "craw.h"
#include "ctu.h"
#include "vp_core.h"
#include "vp_test.h"
#include "vp_time.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PROXY       "127.0.9.1"
#define PER_ADDRESS 4

static struct central_proc srv;
static char dir[512], password[64];
static struct central_demo_location locs[5];

/* A failed enrolment (unknown code) from src, forwarded for xff (NULL: no
 * header); returns the status. Failed enrolments count against the
 * client's address like failed logins (20, then one every 10 s). */
static int bad_enrol(const char *src, const char *xff)
{
    static const char body[] = "{\"code\":\"AAAA-BBBB-CCCC\",\"device_name\":\"x\"}";
    char req[600], fwd[200] = "";
    struct vp_buf ans = VP_BUF_INIT;
    int status;
    if (xff)
        snprintf(fwd, sizeof(fwd), "X-Forwarded-For: %s\r\n", xff);
    snprintf(req, sizeof(req),
             "POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\n%sContent-Type: application/json\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
             fwd, strlen(body), body);
    status = craw_request(src, srv.port, req, strlen(req), 5000, &ans);
    vp_buf_release(&ans);
    return status;
}

/* How many bad enrolments in a row get 401 before the first 429 (at most max). */
static int budget(const char *src, const char *xff, int max)
{
    int n = 0;
    while (n < max && bad_enrol(src, xff) == 401)
        n++;
    return n;
}

static void test_through_the_proxy_each_forwarded_address_has_its_own_budget(void)
{
    /* a client's own header is kept by nginx in front of the real address:
     * only the last hop counts */
    CHECK_INT_EQ(budget(PROXY, "198.51.100.7, 203.0.113.7", 30), 20);
    CHECK_INT_EQ(bad_enrol(PROXY, "203.0.113.7"), 429);
    CHECK_INT_EQ(bad_enrol(PROXY, "1.2.3.4, 203.0.113.7"), 429);
    /* another client behind the same proxy is not held back */
    CHECK_INT_EQ(bad_enrol(PROXY, "203.0.113.8"), 401);
    CHECK_INT_EQ(bad_enrol(PROXY, "203.0.113.7, 203.0.113.9"), 401);
    /* several header lines: the last line's last address */
    {
        static const char body[] = "{\"code\":\"AAAA-BBBB-CCCC\"}";
        char req[600];
        struct vp_buf ans = VP_BUF_INIT;
        snprintf(req, sizeof(req),
                 "POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.10\r\n"
                 "X-Forwarded-For: 203.0.113.7\r\nContent-Type: application/json\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                 strlen(body), body);
        CHECK_INT_EQ(craw_request(PROXY, srv.port, req, strlen(req), 5000, &ans), 429);
        vp_buf_release(&ans);
    }
    /* an IPv6 client counts by its /64 */
    CHECK_INT_EQ(budget(PROXY, "2001:db8:1:2::1", 30), 20);
    CHECK_INT_EQ(bad_enrol(PROXY, "2001:db8:1:2::ffff"), 429);
    CHECK_INT_EQ(bad_enrol(PROXY, "2001:db8:1:3::1"), 401);
}

static void test_from_anyone_else_x_forwarded_for_is_never_trusted(void)
{
    char xff[64];
    int n = 0;
    /* a new address each time in the header: the socket's address counts */
    for (int i = 0; i < 30; i++) {
        snprintf(xff, sizeof(xff), "192.0.2.%d", i + 1);
        if (bad_enrol("127.0.9.2", xff) != 401)
            break;
        n++;
    }
    CHECK_INT_EQ(n, 20);
    CHECK_INT_EQ(bad_enrol("127.0.9.2", "192.0.2.200"), 429);
    CHECK_INT_EQ(bad_enrol("127.0.9.2", NULL), 429);
}

static void test_a_proxy_request_without_a_usable_header_counts_as_the_proxy(void)
{
    CHECK_INT_EQ(budget(PROXY, "not-an-address", 30), 20);
    CHECK_INT_EQ(bad_enrol(PROXY, NULL), 429);
    CHECK_INT_EQ(bad_enrol(PROXY, "203.0.113.77:8080"), 429); /* a port is not an address */
    CHECK_INT_EQ(bad_enrol(PROXY, "203.0.113.78"), 401);      /* a good one still counts apart */
}

static void test_the_audit_names_the_forwarded_client(void)
{
    static const char body[] =
        "{\"email\":\"niemand@example.org\",\"password\":\"fout-fout-fout\"}";
    char req[600], sql[300], ip[64];
    struct vp_buf ans = VP_BUF_INIT;
    snprintf(req, sizeof(req),
             "POST /api/console/login HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.50\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
             strlen(body), body);
    CHECK_INT_EQ(craw_request(PROXY, srv.port, req, strlen(req), 10000, &ans), 401);
    vp_buf_reset(&ans);
    CHECK_INT_EQ(craw_request("127.0.9.3", srv.port, req, strlen(req), 10000, &ans), 401);
    vp_buf_release(&ans);
    snprintf(sql, sizeof(sql),
             "SELECT group_concat(ip, ' ') FROM (SELECT ip FROM audit WHERE action = "
             "'login_failed' ORDER BY id)");
    ctu_db_text(dir, sql, ip, sizeof(ip));
    CHECK_STR_EQ(ip, "203.0.113.50 127.0.9.3");
}

/* Opens a request from src whose body never completes (it holds its
 * connection); -1 on failure. */
static int hold(const char *src, const char *xff)
{
    char req[300];
    int fd = craw_connect(src, srv.port);
    snprintf(req, sizeof(req),
             "POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: %s\r\n"
             "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
             xff);
    if (fd >= 0 && !craw_send(fd, req, strlen(req))) {
        close(fd);
        return -1;
    }
    return fd;
}

static void test_connections_count_per_forwarded_address_and_per_direct_client(void)
{
    const char *health = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.60\r\n"
                         "Connection: close\r\n\r\n";
    const char *health_b = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.61\r\n"
                           "Connection: close\r\n\r\n";
    struct vp_buf ans = VP_BUF_INIT;
    int fds[PER_ADDRESS + 2], extra;
    /* the proxy holds more connections than one address may: its clients' */
    for (int i = 0; i < PER_ADDRESS; i++) {
        fds[i] = hold(PROXY, "203.0.113.60");
        CHECK(fds[i] >= 0);
    }
    fds[PER_ADDRESS] = hold(PROXY, "203.0.113.62");
    fds[PER_ADDRESS + 1] = hold(PROXY, "203.0.113.63");
    usleep(300 * 1000);
    /* one more for 203.0.113.60: closed at once, unanswered */
    CHECK_INT_EQ(craw_request(PROXY, srv.port, health, strlen(health), 3000, &ans), 0);
    CHECK_INT_EQ(ans.len, 0);
    /* another client through the same proxy is served */
    CHECK_INT_EQ(craw_request(PROXY, srv.port, health_b, strlen(health_b), 3000, &ans), 200);
    for (int i = 0; i < PER_ADDRESS + 2; i++)
        CHECK(!craw_wait_closed(fds[i], 50));
    /* its connections gone, 203.0.113.60 is served again */
    for (int i = 0; i < PER_ADDRESS + 2; i++)
        close(fds[i]);
    usleep(300 * 1000);
    vp_buf_reset(&ans);
    CHECK_INT_EQ(craw_request(PROXY, srv.port, health, strlen(health), 3000, &ans), 200);
    /* a direct client: its own address, whatever header it sends */
    for (int i = 0; i < PER_ADDRESS; i++) {
        char xff[32];
        snprintf(xff, sizeof(xff), "192.0.2.%d", 100 + i);
        fds[i] = hold("127.0.9.4", xff);
        CHECK(fds[i] >= 0);
    }
    usleep(300 * 1000);
    extra = craw_connect("127.0.9.4", srv.port);
    CHECK(extra >= 0);
    CHECK(craw_wait_closed(extra, 2000));
    close(extra);
    for (int i = 0; i < PER_ADDRESS; i++)
        close(fds[i]);
    usleep(300 * 1000);
    vp_buf_reset(&ans);
    CHECK_INT_EQ(craw_request("127.0.9.4", srv.port, health, strlen(health), 3000, &ans), 200);
    vp_buf_release(&ans);
}

static void test_a_proxy_that_is_not_an_address_is_a_usage_error(void)
{
    const char *const argv[] = { "serve", "--trusted-proxy", "nginx.local", NULL };
    CHECK_INT_EQ(central_proc_run(dir, argv, NULL, NULL), 2);
}

int main(void)
{
    char *tmp = vp_test_tempdir();
    const char *args[] = { "--trusted-proxy", PROXY, "--connections-per-address", "4", NULL };
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    craw_raise_file_limit();
    if (central_proc_demo(dir, locs, 5, password) != 5 ||
        central_proc_start(&srv, dir, NULL, args) != 0) {
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    VP_TEST(test_through_the_proxy_each_forwarded_address_has_its_own_budget);
    VP_TEST(test_from_anyone_else_x_forwarded_for_is_never_trusted);
    VP_TEST(test_a_proxy_request_without_a_usable_header_counts_as_the_proxy);
    VP_TEST(test_the_audit_names_the_forwarded_client);
    VP_TEST(test_connections_count_per_forwarded_address_and_per_direct_client);
    VP_TEST(test_a_proxy_that_is_not_an_address_is_a_usage_error);
    if (central_proc_stop(&srv) != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
