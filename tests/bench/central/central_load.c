/*
 * central_load.c - a small load generator for vindplaats-central (libcurl).
 *
 *   central_load URL CODE... [--batches N] [--pull-seconds S]
 *
 * Enrols one device per code (all codes of one location are fine), learns a
 * child and a staff member from the device's pull feed, then:
 *  1. ingest: every device pushes N batches of 200 new observations from its
 *     own thread, as fast as answers come back;
 *  2. pull: every device pulls its whole feed (since=0, limit=500) again and
 *     again for S seconds.
 * Prints observations/s, requests/s and p50/p99 latency of both phases, as
 * "key value" lines for run.sh.
 */
#include "vp_buf.h"
#include "vp_core.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEV 64
#define BATCH   200

struct dev {
    const char *url;
    char code[16];
    char token[64];
    char child[40], staff[40];
    struct vp_uuid7 gen;
    int batches;
    double seconds;
    double *lat; /* milliseconds per request */
    int nlat, cap;
    long failures;
    long changes;
};

static size_t on_data(char *p, size_t s, size_t n, void *ud)
{
    vp_buf_add(ud, p, s * n);
    return s * n;
}

static long request(struct dev *d, const char *method, const char *path, const char *body,
                    struct vp_buf *out)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char auth[128], url[512];
    long status = 0;
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", d->token);
    snprintf(url, sizeof(url), "%s%s", d->url, path);
    h = curl_slist_append(h, auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return status;
}

static void record(struct dev *d, double ms)
{
    if (d->nlat == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->lat = realloc(d->lat, sizeof(double) * (size_t)d->cap);
        if (!d->lat)
            abort();
    }
    d->lat[d->nlat++] = ms;
}

/* Enrols and finds a child and a staff member in the feed. */
static int prepare(struct dev *d)
{
    struct vp_buf out = VP_BUF_INIT;
    char body[128];
    json_t *js, *changes;
    json_error_t err;
    snprintf(body, sizeof(body), "{\"code\":\"%s\",\"device_name\":\"load\"}", d->code);
    if (request(d, "POST", "/api/v1/enroll", body, &out) != 200 ||
        !(js = json_loads(out.data, 0, &err)))
        return -1;
    snprintf(d->token, sizeof(d->token), "%s", json_string_value(json_object_get(js, "token")));
    json_decref(js);
    vp_buf_reset(&out);
    if (request(d, "GET", "/api/v1/sync/pull?limit=1000", NULL, &out) != 200 ||
        !(js = json_loads(out.data, 0, &err)))
        return -1;
    changes = json_object_get(js, "changes");
    for (size_t i = 0; i < json_array_size(changes); i++) {
        json_t *c = json_array_get(changes, i);
        const char *type = json_string_value(json_object_get(c, "type"));
        if (!strcmp(type, "child"))
            snprintf(d->child, sizeof(d->child), "%s",
                     json_string_value(json_object_get(c, "child_id")));
        if (!strcmp(type, "staff"))
            snprintf(d->staff, sizeof(d->staff), "%s",
                     json_string_value(json_object_get(c, "staff_id")));
    }
    json_decref(js);
    vp_buf_release(&out);
    return d->child[0] && d->staff[0] ? 0 : -1;
}

static void make_batch(struct dev *d, struct vp_buf *b)
{
    char t[VP_TIME_LEN], id[VP_UUID_LEN];
    vp_time_format(vp_now_ms(), t);
    vp_buf_reset(b);
    vp_buf_adds(b, "{\"records\":[");
    for (int i = 0; i < BATCH; i++) {
        vp_uuid7_next(&d->gen, vp_now_ms(), id);
        vp_buf_addf(b,
                    "%s{\"type\":\"observation\",\"id\":\"%s\",\"child_id\":\"%s\","
                    "\"staff_id\":\"%s\",\"signals\":[\"TAAL-02\",\"SOC-01\"],\"level\":%d,"
                    "\"note\":\"speelt vaak alleen\",\"parents_informed\":true,"
                    "\"consultation\":\"none\",\"device_time\":\"%s\",\"catalog_version\":1}",
                    i ? "," : "", id, d->child, d->staff, 1 + i % 3, t);
    }
    vp_buf_adds(b, "]}");
}

static void *ingest(void *arg)
{
    struct dev *d = arg;
    struct vp_buf body = VP_BUF_INIT, out = VP_BUF_INIT;
    for (int i = 0; i < d->batches; i++) {
        int64_t t0;
        make_batch(d, &body);
        vp_buf_reset(&out);
        t0 = vp_mono_ms();
        if (request(d, "POST", "/api/v1/sync/push", body.data, &out) != 200 ||
            !strstr(out.data, "\"stored\""))
            d->failures++;
        record(d, (double)(vp_mono_ms() - t0));
    }
    vp_buf_release(&body);
    vp_buf_release(&out);
    return NULL;
}

static void *puller(void *arg)
{
    struct dev *d = arg;
    struct vp_buf out = VP_BUF_INIT;
    int64_t end = vp_mono_ms() + (int64_t)(d->seconds * 1000);
    while (vp_mono_ms() < end) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        vp_buf_reset(&out);
        if (request(d, "GET", "/api/v1/sync/pull?since=0&limit=500", NULL, &out) != 200)
            d->failures++;
        clock_gettime(CLOCK_MONOTONIC, &b);
        record(d, (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
    }
    vp_buf_release(&out);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Runs fn on every device; prints totals with prefix. */
static void phase(struct dev *devs, int n, void *(*fn)(void *), const char *prefix)
{
    pthread_t t[MAX_DEV];
    double *all, secs;
    int total = 0, k = 0;
    long failures = 0;
    int64_t t0 = vp_mono_ms();
    for (int i = 0; i < n; i++) {
        devs[i].nlat = 0;
        devs[i].failures = 0;
        pthread_create(&t[i], NULL, fn, &devs[i]);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        total += devs[i].nlat;
        failures += devs[i].failures;
    }
    secs = (double)(vp_mono_ms() - t0) / 1000.0;
    all = malloc(sizeof(double) * (size_t)(total ? total : 1));
    for (int i = 0; i < n; i++)
        for (int j = 0; j < devs[i].nlat; j++)
            all[k++] = devs[i].lat[j];
    qsort(all, (size_t)total, sizeof(double), cmp);
    printf("%s_requests %d\n%s_seconds %.2f\n%s_requests_per_s %.1f\n", prefix, total, prefix, secs,
           prefix, total / secs);
    if (fn == ingest)
        printf("%s_observations_per_s %.0f\n", prefix, total * BATCH / secs);
    printf("%s_p50_ms %.1f\n%s_p99_ms %.1f\n%s_failures %ld\n", prefix,
           total ? all[total / 2] : 0.0, prefix, total ? all[(total * 99) / 100] : 0.0, prefix,
           failures);
    free(all);
}

int main(int argc, char **argv)
{
    static struct dev devs[MAX_DEV];
    int n = 0, batches = 50;
    double pull_s = 5;
    const char *url = argc > 1 ? argv[1] : NULL;
    vp_core_init();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--batches") && i + 1 < argc)
            batches = (int)strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--pull-seconds") && i + 1 < argc)
            pull_s = strtod(argv[++i], NULL);
        else if (n < MAX_DEV)
            snprintf(devs[n++].code, sizeof(devs[0].code), "%s", argv[i]);
    }
    if (!url || !n) {
        fprintf(stderr, "usage: central_load URL CODE... [--batches N] [--pull-seconds S]\n");
        return 2;
    }
    for (int i = 0; i < n; i++) {
        devs[i].url = url;
        devs[i].batches = batches;
        devs[i].seconds = pull_s;
        if (prepare(&devs[i]) != 0) {
            fprintf(stderr, "central_load: cannot enrol device %d\n", i);
            return 1;
        }
    }
    printf("clients %d\nbatch_records %d\n", n, BATCH);
    phase(devs, n, ingest, "ingest");
    phase(devs, n, puller, "pull");
    return 0;
}
