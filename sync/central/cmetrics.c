/*
 * cmetrics.c - counters, histograms and the Prometheus text exposition
 * (cmetrics.h), and the /metrics routes.
 */
#include "cmetrics.h"
#include "capi.h"
#include "cstore_fleet.h"
#include "vp_alloc.h"
#include "vp_core.h"
#include "vp_log.h"
#include "vp_time.h"
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define REQ_SLOTS 512 /* routes x methods x statuses: ~40 routes, a handful of each */
#define NBUCKETS  11

/* Seconds; the last bucket, +Inf, is the count. */
static const double bucket_le[NBUCKETS] = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};
static const int64_t bucket_us[NBUCKETS] = { 5000,   10000,   25000,   50000,   100000,  250000,
                                             500000, 1000000, 2500000, 5000000, 10000000 };

enum { OP_PUSH, OP_PULL, NOPS };
static const char *const op_names[NOPS] = { "push", "pull" };
static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" };

struct histogram {
    atomic_llong buckets[NBUCKETS]; /* cumulative on output, per bucket here */
    atomic_llong count;
    atomic_llong sum_us;
};

struct req_slot {
    const char *route;  /* static text of the route table, or "unmatched" */
    const char *method; /* one of methods[] or "other" */
    int status;
    long long count;
};

struct cmetrics {
    pthread_mutex_t lock; /* guards reqs */
    struct req_slot reqs[REQ_SLOTS];
    size_t nreqs;
    atomic_llong dropped; /* requests that found the table full */
    struct histogram ops[NOPS];
    atomic_llong events[CMETRICS_NEVENTS];
    atomic_llong push_results[VP_PUSH_STATUS_COUNT];
    int64_t started_ms;
};

int64_t cmetrics_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct cmetrics *cmetrics_new(void)
{
    struct cmetrics *m = vp_xcalloc(1, sizeof(*m));
    pthread_mutex_init(&m->lock, NULL);
    m->started_ms = vp_now_ms();
    return m;
}

void cmetrics_free(struct cmetrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    free(m);
}

/* A fixed label for any method text a client sent. */
static const char *method_label(const char *method)
{
    for (size_t i = 0; method && i < sizeof(methods) / sizeof(methods[0]); i++)
        if (!strcmp(method, methods[i]))
            return methods[i];
    return "other";
}

static void observe(struct histogram *h, int64_t us)
{
    for (int i = 0; i < NBUCKETS; i++)
        if (us <= bucket_us[i]) {
            atomic_fetch_add(&h->buckets[i], 1);
            break;
        }
    atomic_fetch_add(&h->count, 1);
    atomic_fetch_add(&h->sum_us, us);
}

void cmetrics_request(struct cmetrics *m, const char *route, const char *method, int status,
                      int64_t micros)
{
    const char *r = route ? route : "unmatched", *me = method_label(method);
    size_t i;
    if (!m)
        return;
    if (route && !strcmp(route, "/api/v1/sync/push"))
        observe(&m->ops[OP_PUSH], micros);
    else if (route && !strcmp(route, "/api/v1/sync/pull"))
        observe(&m->ops[OP_PULL], micros);
    pthread_mutex_lock(&m->lock);
    for (i = 0; i < m->nreqs; i++)
        if (m->reqs[i].status == status && m->reqs[i].method == me && !strcmp(m->reqs[i].route, r))
            break;
    if (i == m->nreqs && m->nreqs < REQ_SLOTS)
        m->reqs[m->nreqs++] = (struct req_slot){ r, me, status, 0 };
    if (i < m->nreqs)
        m->reqs[i].count++;
    else
        atomic_fetch_add(&m->dropped, 1);
    pthread_mutex_unlock(&m->lock);
}

void cmetrics_count(struct cmetrics *m, enum cmetrics_event e)
{
    if (m && e >= 0 && e < CMETRICS_NEVENTS)
        atomic_fetch_add(&m->events[e], 1);
}

void cmetrics_push_result(struct cmetrics *m, int status)
{
    if (m && status >= 0 && status < VP_PUSH_STATUS_COUNT)
        atomic_fetch_add(&m->push_results[status], 1);
}

/* ---- the exposition ---- */

static void head(struct vp_buf *out, const char *name, const char *type, const char *help)
{
    vp_buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void one(struct vp_buf *out, const char *name, const char *type, const char *help,
                long long v)
{
    head(out, name, type, help);
    vp_buf_addf(out, "%s %lld\n", name, v);
}

/* A label value: the route table's patterns and fixed words only, but
 * escaped as the format asks all the same. */
static void label(struct vp_buf *out, const char *v)
{
    for (const char *p = v; *p; p++) {
        if (*p == '\\' || *p == '"')
            vp_buf_addf(out, "\\%c", *p);
        else if (*p == '\n')
            vp_buf_adds(out, "\\n");
        else
            vp_buf_addch(out, *p);
    }
}

static int slot_order(const void *a, const void *b)
{
    const struct req_slot *x = a, *y = b;
    int c = strcmp(x->route, y->route);
    if (!c)
        c = strcmp(x->method, y->method);
    return c ? c : x->status - y->status;
}

static void write_requests(struct cmetrics *m, struct vp_buf *out)
{
    struct req_slot copy[REQ_SLOTS];
    size_t n;
    pthread_mutex_lock(&m->lock);
    n = m->nreqs;
    memcpy(copy, m->reqs, n * sizeof(copy[0]));
    pthread_mutex_unlock(&m->lock);
    qsort(copy, n, sizeof(copy[0]), slot_order);
    head(out, "vindplaats_http_requests_total", "counter",
         "HTTP requests answered, by route pattern, method and status.");
    for (size_t i = 0; i < n; i++) {
        vp_buf_adds(out, "vindplaats_http_requests_total{route=\"");
        label(out, copy[i].route);
        vp_buf_addf(out, "\",method=\"%s\",status=\"%d\"} %lld\n", copy[i].method, copy[i].status,
                    copy[i].count);
    }
    one(out, "vindplaats_http_requests_unlabelled_total", "counter",
        "HTTP requests counted without labels (the label table was full).",
        atomic_load(&m->dropped));
}

static void write_histograms(struct cmetrics *m, struct vp_buf *out)
{
    head(out, "vindplaats_sync_duration_seconds", "histogram",
         "Time to answer a tablet's push or pull, from its complete body to the answer.");
    for (int op = 0; op < NOPS; op++) {
        struct histogram *h = &m->ops[op];
        long long cum = 0, count = atomic_load(&h->count);
        for (int i = 0; i < NBUCKETS; i++) {
            cum += atomic_load(&h->buckets[i]);
            vp_buf_addf(out, "vindplaats_sync_duration_seconds_bucket{op=\"%s\",le=\"%g\"} %lld\n",
                        op_names[op], bucket_le[i], cum);
        }
        /* count >= cum: an observation may land between the two loads */
        vp_buf_addf(out, "vindplaats_sync_duration_seconds_bucket{op=\"%s\",le=\"+Inf\"} %lld\n",
                    op_names[op], count < cum ? cum : count);
        vp_buf_addf(out, "vindplaats_sync_duration_seconds_sum{op=\"%s\"} %.6f\n", op_names[op],
                    (double)atomic_load(&h->sum_us) / 1e6);
        vp_buf_addf(out, "vindplaats_sync_duration_seconds_count{op=\"%s\"} %lld\n", op_names[op],
                    count < cum ? cum : count);
    }
}

static void write_events(struct cmetrics *m, struct vp_buf *out)
{
    one(out, "vindplaats_login_failures_total", "counter",
        "Coach logins refused for a wrong email or password.",
        atomic_load(&m->events[CMETRICS_LOGIN_FAILED]));
    one(out, "vindplaats_login_throttled_total", "counter",
        "Coach logins refused by the throttle (too many failures).",
        atomic_load(&m->events[CMETRICS_LOGIN_THROTTLED]));
    one(out, "vindplaats_enroll_failures_total", "counter", "Enrolments with an unknown code.",
        atomic_load(&m->events[CMETRICS_ENROLL_FAILED]));
    one(out, "vindplaats_enroll_throttled_total", "counter",
        "Enrolments refused by the throttle (too many failures).",
        atomic_load(&m->events[CMETRICS_ENROLL_THROTTLED]));
    one(out, "vindplaats_device_throttled_total", "counter",
        "Tablet requests refused over the per-tablet rate limit.",
        atomic_load(&m->events[CMETRICS_DEVICE_THROTTLED]));
    head(out, "vindplaats_push_records_total", "counter",
         "Records pushed by tablets, by the centre's answer.");
    for (int i = 0; i < VP_PUSH_STATUS_COUNT; i++) {
        const char *name = vp_push_status_name((enum vp_push_status)i);
        vp_buf_addf(out, "vindplaats_push_records_total{status=\"%s\"} %lld\n", name,
                    atomic_load(&m->push_results[i]));
    }
}

static void write_store(struct vp_buf *out, const struct cstore_numbers *n)
{
    one(out, "vindplaats_signals", "gauge",
        "Signals stored (one per signal, whatever its versions; undone ones not).", n->signals);
    head(out, "vindplaats_tablets", "gauge",
         "Tablets by health: days since their last successful sync (green up to 3, amber over 3,"
         " red over 7), closed (their location is closed), revoked.");
    for (int i = 0; i < CFLEET_NHEALTH; i++)
        vp_buf_addf(out, "vindplaats_tablets{health=\"%s\"} %lld\n",
                    cfleet_health_name((enum cfleet_health)i), (long long)n->tablets[i]);
    one(out, "vindplaats_tablet_quarantined_records", "gauge",
        "Records refused by the centre that tablets hold for a person (their last heartbeats).",
        n->quarantined);
    one(out, "vindplaats_database_size_bytes", "gauge",
        "Size of the database file and its write-ahead log.", n->db_bytes);
}

vp_result cmetrics_write(struct cmetrics *m, struct cstore *st, struct vp_buf *out)
{
    struct cstore_numbers n;
    vp_result res;
    head(out, "vindplaats_build_info", "gauge", "The running version.");
    vp_buf_addf(out, "vindplaats_build_info{version=\"%s\"} 1\n", VP_VERSION);
    one(out, "vindplaats_start_time_seconds", "gauge", "When the service started (Unix time).",
        m->started_ms / 1000);
    write_requests(m, out);
    write_histograms(m, out);
    write_events(m, out);
    res = cstore_numbers_read(st, VP_VERSION, vp_now_ms(), &n);
    one(out, "vindplaats_store_up", "gauge", "1 when the store's numbers below could be read.",
        res == VP_OK);
    if (res == VP_OK)
        write_store(out, &n);
    return res;
}

/* ---- the routes ---- */

static void metrics(struct chttp_req *req, struct chttp_resp *resp)
{
    vp_result res = cmetrics_write(req->app->metrics, req->app->store, &resp->body);
    if (res)
        vp_warn("metrics: the store's numbers could not be read: %s", vp_result_name(res));
    resp->status = 200;
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

static void metrics_with_token(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *auth = chttp_header(req, "Authorization");
    const char *want = req->app->metrics_token;
    size_t n = strlen(want);
    if (!n || !auth || strncasecmp(auth, "Bearer ", 7) != 0 || strlen(auth + 7) != n ||
        sodium_memcmp(auth + 7, want, n) != 0) {
        chttp_error(req, resp, 401, "unauthorized", NULL);
        return;
    }
    metrics(req, resp);
}

static const struct chttp_route open_routes[] = {
    { "GET", "/metrics", CHTTP_PUBLIC, metrics, CHTTP_NO_IDS },
};
static const struct chttp_route token_routes[] = {
    { "GET", "/metrics", CHTTP_PUBLIC, metrics_with_token, CHTTP_NO_IDS },
};

vp_result cmetrics_open_routes(struct chttp_router *r)
{
    return chttp_router_add(r, open_routes, 1, NULL);
}

vp_result cmetrics_token_routes(struct chttp_router *r)
{
    return chttp_router_add(r, token_routes, 1, NULL);
}
