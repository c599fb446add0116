/*
 * central_attack.c - does a tablet keep syncing while the centre is under
 * attack? (issue 10: slow headers and a login flood)
 *
 *   central_attack URL CODE [--seconds S]
 *
 * Enrols one tablet with CODE, then measures two phases of S seconds each:
 *  1. quiet: the tablet syncs (push 20 observations, pull its feed page,
 *     on one kept-alive connection, every 100 ms: far more often than a
 *     real tablet, for enough samples) while a monitor asks /healthz every
 *     50 ms on a new connection;
 *  2. attack: the same, while 16 addresses x 63 connections send a header
 *     line every 5 s (reconnecting when cut) and wrong logins arrive at 25
 *     a second from 50 addresses (tests/central/cattack.h); measuring
 *     starts once every slow connection is open (6 s).
 * Prints p50/p99 of the tablet's pull, push and /healthz per phase, the
 * ratio of the pull p99s and what the attack achieved, as "key value" lines.
 */
#include "cattack.h"
#include "craw.h"
#include "vp_buf.h"
#include "vp_core.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct series {
    double *ms;
    int n, cap;
    long failures;
};

static void add(struct series *s, double ms)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->ms = realloc(s->ms, sizeof(double) * (size_t)s->cap);
        if (!s->ms)
            abort();
    }
    s->ms[s->n++] = ms;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(struct series *s, int p)
{
    if (!s->n)
        return 0;
    qsort(s->ms, (size_t)s->n, sizeof(double), cmp);
    return s->ms[(s->n * p) / 100 < s->n ? (s->n * p) / 100 : s->n - 1];
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

struct tablet {
    const char *url;
    char token[64], child[40], staff[40];
    CURL *curl;
    struct vp_uuid7 gen;
};

static size_t on_data(char *p, size_t s, size_t n, void *ud)
{
    vp_buf_add(ud, p, s * n);
    return s * n;
}

static long request(struct tablet *t, const char *method, const char *path, const char *body,
                    struct vp_buf *out)
{
    struct curl_slist *h = NULL;
    char auth[128], url[512];
    long status = 0;
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t->token);
    snprintf(url, sizeof(url), "%s%s", t->url, path);
    h = curl_slist_append(h, auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:");
    curl_easy_setopt(t->curl, CURLOPT_URL, url);
    curl_easy_setopt(t->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t->curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(t->curl, CURLOPT_HTTPGET, body ? 0L : 1L);
    if (curl_easy_perform(t->curl) == CURLE_OK)
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    return status;
}

static int enrol(struct tablet *t, const char *code)
{
    struct vp_buf out = VP_BUF_INIT;
    char body[128];
    json_t *js, *changes;
    json_error_t err;
    snprintf(body, sizeof(body), "{\"code\":\"%s\",\"device_name\":\"bench\"}", code);
    if (request(t, "POST", "/api/v1/enroll", body, &out) != 200 ||
        !(js = json_loads(out.data, 0, &err)))
        return -1;
    snprintf(t->token, sizeof(t->token), "%s", json_string_value(json_object_get(js, "token")));
    json_decref(js);
    vp_buf_reset(&out);
    if (request(t, "GET", "/api/v1/sync/pull?limit=1000", NULL, &out) != 200 ||
        !(js = json_loads(out.data, 0, &err)))
        return -1;
    changes = json_object_get(js, "changes");
    for (size_t i = 0; i < json_array_size(changes); i++) {
        json_t *c = json_array_get(changes, i);
        const char *type = json_string_value(json_object_get(c, "type"));
        if (!strcmp(type, "child"))
            snprintf(t->child, sizeof(t->child), "%s",
                     json_string_value(json_object_get(c, "child_id")));
        if (!strcmp(type, "staff"))
            snprintf(t->staff, sizeof(t->staff), "%s",
                     json_string_value(json_object_get(c, "staff_id")));
    }
    json_decref(js);
    vp_buf_release(&out);
    return t->child[0] && t->staff[0] ? 0 : -1;
}

static void batch(struct tablet *t, struct vp_buf *b)
{
    char tm[VP_TIME_LEN], id[VP_UUID_LEN];
    vp_time_format(vp_now_ms(), tm);
    vp_buf_reset(b);
    vp_buf_adds(b, "{\"records\":[");
    for (int i = 0; i < 20; i++) {
        vp_uuid7_next(&t->gen, vp_now_ms(), id);
        vp_buf_addf(b,
                    "%s{\"type\":\"observation\",\"id\":\"%s\","
                    "\"child_id\":\"%s\",\"staff_id\":\"%s\",\"signals\":[\"TAAL-02\"],"
                    "\"level\":%d,\"note\":\"speelt vaak alleen\",\"parents_informed\":true,"
                    "\"consultation\":\"none\",\"device_time\":\"%s\",\"catalog_version\":1}",
                    i ? "," : "", id, t->child, t->staff, 1 + i % 3, tm);
    }
    vp_buf_adds(b, "]}");
}

struct phase {
    struct tablet *tablet;
    int port;
    double seconds;
    struct series pull, push, health;
};

static void *sync_loop(void *arg)
{
    struct phase *p = arg;
    struct vp_buf body = VP_BUF_INIT, out = VP_BUF_INIT;
    double end = now_ms() + p->seconds * 1000;
    while (now_ms() < end) {
        double t0 = now_ms();
        batch(p->tablet, &body);
        vp_buf_reset(&out);
        if (request(p->tablet, "POST", "/api/v1/sync/push", body.data, &out) != 200)
            p->push.failures++;
        add(&p->push, now_ms() - t0);
        t0 = now_ms();
        vp_buf_reset(&out);
        if (request(p->tablet, "GET", "/api/v1/sync/pull?since=0&limit=500", NULL, &out) != 200)
            p->pull.failures++;
        add(&p->pull, now_ms() - t0);
        usleep(100 * 1000);
    }
    vp_buf_release(&body);
    vp_buf_release(&out);
    return NULL;
}

static void *health_loop(void *arg)
{
    struct phase *p = arg;
    const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    double end = now_ms() + p->seconds * 1000;
    while (now_ms() < end) {
        struct vp_buf ans = VP_BUF_INIT;
        double t0 = now_ms();
        if (craw_request("127.0.0.1", p->port, req, strlen(req), 30000, &ans) != 200)
            p->health.failures++;
        add(&p->health, now_ms() - t0);
        vp_buf_release(&ans);
        usleep(50 * 1000);
    }
    return NULL;
}

static void run(struct phase *p)
{
    pthread_t a, b;
    pthread_create(&a, NULL, sync_loop, p);
    pthread_create(&b, NULL, health_loop, p);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
}

static void print(const char *name, struct phase *p)
{
    printf("%s_pull_n %d\n%s_pull_p50_ms %.1f\n%s_pull_p99_ms %.1f\n%s_pull_failures %ld\n", name,
           p->pull.n, name, pct(&p->pull, 50), name, pct(&p->pull, 99), name, p->pull.failures);
    printf("%s_push_p50_ms %.1f\n%s_push_p99_ms %.1f\n%s_push_failures %ld\n", name,
           pct(&p->push, 50), name, pct(&p->push, 99), name, p->push.failures);
    printf("%s_healthz_n %d\n%s_healthz_p50_ms %.1f\n%s_healthz_p99_ms %.1f\n"
           "%s_healthz_failures %ld\n",
           name, p->health.n, name, pct(&p->health, 50), name, pct(&p->health, 99), name,
           p->health.failures);
}

int main(int argc, char **argv)
{
    struct tablet t;
    struct phase quiet, attack;
    struct cattack_slow slow = { .addrs = 16, .conns = 63, .line_ms = 5000 };
    struct cattack_logins flood = { .addrs = 50 };
    double seconds = 30;
    int port;
    const char *colon;
    if (argc < 3) {
        fprintf(stderr, "usage: central_attack URL CODE [--seconds S]\n");
        return 2;
    }
    if (argc > 4 && !strcmp(argv[3], "--seconds"))
        seconds = strtod(argv[4], NULL);
    vp_core_init();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    memset(&t, 0, sizeof(t));
    t.url = argv[1];
    t.curl = curl_easy_init();
    colon = strrchr(argv[1], ':');
    port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
    if (enrol(&t, argv[2]) != 0) {
        fprintf(stderr, "central_attack: cannot enrol\n");
        return 1;
    }
    memset(&quiet, 0, sizeof(quiet));
    quiet.tablet = &t;
    quiet.port = port;
    quiet.seconds = seconds;
    attack = quiet;
    run(&quiet);
    slow.port = flood.port = port;
    flood.n = (int)(25 * (seconds + 6));
    flood.spread_ms = (int)((seconds + 6) * 1000);
    cattack_slow_start(&slow);
    cattack_logins_start(&flood);
    sleep(6);
    run(&attack);
    cattack_logins_wait(&flood);
    cattack_slow_stop(&slow);
    print("quiet", &quiet);
    print("attack", &attack);
    printf("pull_p99_ratio %.2f\n", pct(&attack.pull, 99) / (pct(&quiet.pull, 99) + 1e-9));
    printf("slow_connections %d\nslow_connects %ld\nslow_cut %ld\n", slow.addrs * slow.conns,
           slow.connects, slow.cut);
    printf("logins %d\nlogins_evaluated %d\nlogins_refused %d\nlogins_other %d\n", flood.n,
           flood.evaluated, flood.refused, flood.other);
    curl_easy_cleanup(t.curl);
    return 0;
}
