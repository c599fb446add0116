/*
 * sync_client.c - the public face of the sync client: global init,
 * enrolment, a blocking round, and the kiosk's worker thread.
 */
#include "sync_internal.h"
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BACKOFF_BASE_MS 2000
#define BACKOFF_CAP_MS  (10 * 60 * 1000)

vp_result sync_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? VP_OK : VP_ERR_INTERNAL;
}

void sync_global_cleanup(void)
{
    curl_global_cleanup();
}

void sync_ctx_http(struct sync_ctx *c)
{
    char proxy[DEV_URL_MAX] = "";
    int64_t stall = 20;
    struct vp_buf key = VP_BUF_INIT;
    devstore_setting_get_text(c->store, "proxy", "", proxy, sizeof(proxy));
    devstore_setting_get_int(c->store, "sync_stall_seconds", 20, &stall);
    vp_buf_addf(&key, "%s|%s|%s|%lld", c->device.cafile, c->device.pinned_key, proxy,
                (long long)stall);
    if (!c->http || strcmp(key.data, c->http_for ? c->http_for : "") != 0) {
        struct http_options opt = { c->device.cafile, c->device.pinned_key, proxy, 10, 120, stall };
        http_free(c->http);
        c->http = http_new(&opt);
        free(c->http_for);
        c->http_for = vp_buf_detach(&key, NULL);
    }
    vp_buf_release(&key);
}

bool sync_ctx_stopping(struct sync_ctx *c)
{
    return c->stop && atomic_load(c->stop);
}

void sync_ctx_release(struct sync_ctx *c)
{
    http_free(c->http);
    free(c->http_for);
    devstore_close(c->store);
    memset(c, 0, sizeof(*c));
}

static vp_result enroll_answer(struct sync_ctx *c, const struct http_response *resp,
                               const char *server_url, const char *cafile, const char *device_name)
{
    json_t *root = NULL, *loc;
    struct vp_json_err err = { "", "" };
    const char *device_id = NULL, *token = NULL, *epoch = NULL, *lid = NULL, *lname = NULL,
               *org = NULL;
    struct dev_device d;
    vp_result res = VP_ERR_SERVER;
    if (vp_json_parse(resp->body.data, resp->body.len, &root, &err))
        return VP_ERR_SERVER;
    loc = json_object_get(root, "location");
    if (vp_json_get_uuid(root, "device_id", true, &device_id, &err) &&
        vp_json_get_str(root, "token", true, DEV_TOKEN_MAX - 1, &token, &err) &&
        vp_json_get_str(root, "server_epoch", true, 64, &epoch, &err) &&
        vp_json_get_uuid(loc, "id", true, &lid, &err) &&
        vp_json_get_str(loc, "name", true, 80, &lname, &err) &&
        vp_json_get_str(loc, "org", false, 80, &org, &err)) {
        memset(&d, 0, sizeof(d));
        vp_strlcpy(d.device_id, device_id, sizeof(d.device_id));
        vp_strlcpy(d.device_name, device_name, sizeof(d.device_name));
        vp_strlcpy(d.location_id, lid, sizeof(d.location_id));
        vp_strlcpy(d.location_name, lname, sizeof(d.location_name));
        vp_strlcpy(d.org_name, org ? org : "", sizeof(d.org_name));
        vp_strlcpy(d.server_url, server_url, sizeof(d.server_url));
        vp_strlcpy(d.token, token, sizeof(d.token));
        vp_strlcpy(d.cafile, cafile ? cafile : "", sizeof(d.cafile));
        res = devstore_device_enrol(c->store, &d, epoch);
    }
    json_decref(root);
    return res;
}

vp_result sync_ctx_enroll(struct sync_ctx *c, const char *server_url, const char *code,
                          const char *cafile, const char *device_name, struct sync_report *rep)
{
    struct http_options opt = { cafile, NULL, NULL, 10, 60, 20 };
    struct http_response resp;
    struct http *h;
    json_t *body;
    char *text, *url;
    vp_result res;
    memset(rep, 0, sizeof(*rep));
    rep->event = SYNC_EVT_ENROLL_FAILED;
    if (!server_url || !*server_url || !code || !*code ||
        !(vp_str_starts_with(server_url, "http://") ||
          vp_str_starts_with(server_url, "https://"))) {
        rep->result = VP_ERR_INVALID;
        vp_strlcpy(rep->message, vp_tr("sync.err.enroll_input"), sizeof(rep->message));
        return VP_ERR_INVALID;
    }
    if (!device_name || !*device_name)
        device_name = "vindplaats-kiosk";
    body = json_pack("{s:s,s:s}", "code", code, "device_name", device_name);
    text = vp_json_dump(body);
    json_decref(body);
    if (!text) { /* a code or name that is not UTF-8 text */
        rep->result = VP_ERR_INVALID;
        vp_strlcpy(rep->message, vp_tr("sync.err.enroll_input"), sizeof(rep->message));
        return VP_ERR_INVALID;
    }
    url = sync_url(server_url, "/api/v1/enroll");
    h = http_new(&opt);
    http_response_init(&resp);
    res = http_request(h, "POST", url, NULL, text, strlen(text), &resp);
    rep->http_status = (int)resp.status;
    if (!res && resp.status == 200)
        res = enroll_answer(c, &resp, server_url, cafile, device_name);
    else if (!res)
        res = resp.status == 401 || resp.status == 410 ? VP_ERR_AUTH : VP_ERR_REFUSED;
    rep->result = res;
    if (res)
        vp_strlcpy(rep->message,
                   vp_tr(res == VP_ERR_NETWORK ? "sync.err.network"
                         : res == VP_ERR_TLS   ? "sync.err.tls"
                         : resp.status == 401  ? "sync.err.code_unknown"
                         : resp.status == 410  ? "sync.err.code_used"
                                               : "sync.err.refused"),
                   sizeof(rep->message));
    http_response_release(&resp);
    http_free(h);
    free(url);
    free(text);
    if (!res) {
        struct sync_report round;
        sync_ctx_round(c, &round); /* bring staff and children; failure is not fatal */
        rep->pulled = round.pulled;
        rep->event = SYNC_EVT_ENROLLED;
    }
    return res;
}

static vp_result open_ctx(const char *db_path, struct sync_ctx *c)
{
    memset(c, 0, sizeof(*c));
    c->retry_after_s = -1;
    return devstore_open(db_path, &c->store);
}

vp_result sync_enroll(const char *db_path, const char *server_url, const char *code,
                      const char *cafile, const char *device_name, struct sync_report *rep)
{
    struct sync_ctx c;
    vp_result res = open_ctx(db_path, &c);
    if (res) {
        memset(rep, 0, sizeof(*rep));
        rep->result = res;
        vp_strlcpy(rep->message, vp_result_message(res), sizeof(rep->message));
        return res;
    }
    res = sync_ctx_enroll(&c, server_url, code, cafile, device_name, rep);
    sync_ctx_release(&c);
    return res;
}

vp_result sync_round(const char *db_path, struct sync_report *rep)
{
    struct sync_ctx c;
    vp_result res = open_ctx(db_path, &c);
    if (res) {
        memset(rep, 0, sizeof(*rep));
        rep->result = res;
        vp_strlcpy(rep->message, vp_result_message(res), sizeof(rep->message));
        return res;
    }
    res = sync_ctx_round(&c, rep);
    sync_ctx_release(&c);
    return res;
}

/* ---- the worker ---- */

struct sync_worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* signalled on requests and when the worker goes idle */
    atomic_bool stop;
    bool wake;
    bool recheck; /* a signal was held: re-read when the next one settles */
    bool busy;
    char *enroll_url, *enroll_code, *enroll_cafile;
    char *db_path;
    sync_notify_fn notify;
    void *ctx;
};

int64_t sync_backoff_ms(int attempt, long retry_after_s)
{
    int64_t ceiling = BACKOFF_BASE_MS;
    int64_t delay;
    for (int i = 0; i < attempt && ceiling < BACKOFF_CAP_MS; i++)
        ceiling *= 2;
    if (ceiling > BACKOFF_CAP_MS)
        ceiling = BACKOFF_CAP_MS;
    delay = (int64_t)randombytes_uniform((uint32_t)ceiling + 1);
    if (retry_after_s >= 0 && delay < retry_after_s * 1000)
        delay = retry_after_s * 1000;
    return delay;
}

static void deadline_in(struct timespec *ts, int64_t ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000;
    if (ts->tv_nsec >= 1000000000) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000;
    }
}

static int64_t real_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The settle window (docs/sync.md): a held signal is sent when its hold
 * ends, not at the next scheduled round. Shortens delay_ms to that. */
static int64_t until_settle(struct sync_ctx *c, int64_t delay_ms)
{
    int64_t at = 0, t;
    if (devstore_signals_next_settle(c->store, &at) != VP_OK || at == 0)
        return delay_ms;
    t = at - vp_now_ms() + 1; /* just past the hold's end */
    if (t < 0)
        t = 0;
    return t < delay_ms ? t : delay_ms;
}

/* Waits for a request or until delay_ms passed. Called with lock held. */
static void wait_for_work(struct sync_worker *w, int64_t delay_ms)
{
    struct timespec ts;
    deadline_in(&ts, delay_ms);
    while (!atomic_load(&w->stop) && !w->wake && !w->enroll_url && !w->recheck) {
        if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) != 0)
            break; /* timed out: time for a scheduled round */
    }
}

static void do_enroll(struct sync_worker *w, struct sync_ctx *c)
{
    char *url = w->enroll_url, *code = w->enroll_code, *ca = w->enroll_cafile;
    struct sync_report rep;
    w->enroll_url = w->enroll_code = w->enroll_cafile = NULL;
    pthread_mutex_unlock(&w->lock);
    sync_ctx_enroll(c, url, code, ca, NULL, &rep);
    if (w->notify)
        w->notify(w->ctx, &rep);
    free(url);
    free(code);
    free(ca);
    pthread_mutex_lock(&w->lock);
}

static void *worker_main(void *arg)
{
    struct sync_worker *w = arg;
    struct sync_ctx c;
    int attempt = 0;
    int64_t delay = 0, due = 0, interval_s = 60;
    if (open_ctx(w->db_path, &c) != VP_OK) {
        vp_error("sync: worker cannot open the store");
        return NULL;
    }
    c.stop = &w->stop;
    pthread_mutex_lock(&w->lock);
    while (!atomic_load(&w->stop)) {
        struct sync_report rep;
        vp_result res;
        w->busy = false;
        pthread_cond_broadcast(&w->cond);
        due = real_mono_ms() + delay;
        wait_for_work(w, delay);
        if (atomic_load(&w->stop))
            break;
        if (w->recheck && !w->wake && !w->enroll_url) {
            /* only a new hold: keep the schedule, but not past its end */
            w->recheck = false;
            delay = due - real_mono_ms();
            if (delay < 0)
                delay = 0;
            if (attempt == 0)
                delay = until_settle(&c, delay);
            if (delay > 0)
                continue;
        }
        w->recheck = false;
        w->busy = true;
        if (w->enroll_url) {
            do_enroll(w, &c);
            attempt = 0;
            delay = 0;
            continue;
        }
        w->wake = false;
        pthread_mutex_unlock(&w->lock);
        res = sync_ctx_round(&c, &rep);
        devstore_setting_get_int(c.store, "sync_interval_seconds", 60, &interval_s);
        if (w->notify)
            w->notify(w->ctx, &rep);
        pthread_mutex_lock(&w->lock);
        if (res == VP_ERR_AUTH) {
            delay = interval_s * 1000; /* not enrolled: nothing to retry until it is */
        } else if (res) {
            delay = sync_backoff_ms(attempt++, c.retry_after_s);
        } else {
            attempt = 0;
            delay = rep.pending > 0 ? 0 : until_settle(&c, interval_s * 1000);
        }
    }
    w->busy = false;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    sync_ctx_release(&c);
    return NULL;
}

vp_result sync_worker_start(const char *db_path, sync_notify_fn notify, void *ctx,
                            struct sync_worker **out)
{
    struct sync_worker *w = vp_xcalloc(1, sizeof(*w));
    pthread_condattr_t attr;
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &attr);
    pthread_condattr_destroy(&attr);
    w->db_path = vp_xstrdup(db_path);
    w->notify = notify;
    w->ctx = ctx;
    w->busy = true; /* until the thread reaches its first wait */
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        free(w->db_path);
        free(w);
        *out = NULL;
        return VP_ERR_INTERNAL;
    }
    *out = w;
    return VP_OK;
}

void sync_worker_wake(struct sync_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->wake = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

void sync_worker_recheck(struct sync_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->recheck = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

void sync_worker_enroll(struct sync_worker *w, const char *server_url, const char *code,
                        const char *cafile)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    free(w->enroll_url);
    free(w->enroll_code);
    free(w->enroll_cafile);
    w->enroll_url = vp_xstrdup(server_url ? server_url : "");
    w->enroll_code = vp_xstrdup(code ? code : "");
    w->enroll_cafile = cafile && *cafile ? vp_xstrdup(cafile) : NULL;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

bool sync_worker_wait_idle(struct sync_worker *w, int timeout_ms)
{
    struct timespec ts;
    bool idle;
    if (!w)
        return true;
    deadline_in(&ts, timeout_ms);
    pthread_mutex_lock(&w->lock);
    while ((w->busy || w->wake || w->recheck || w->enroll_url) && !atomic_load(&w->stop))
        if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) != 0)
            break;
    idle = !w->busy && !w->wake && !w->recheck && !w->enroll_url;
    pthread_mutex_unlock(&w->lock);
    return idle;
}

void sync_worker_stop(struct sync_worker *w)
{
    if (!w)
        return;
    atomic_store(&w->stop, true);
    pthread_mutex_lock(&w->lock);
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    free(w->enroll_url);
    free(w->enroll_code);
    free(w->enroll_cafile);
    free(w->db_path);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
