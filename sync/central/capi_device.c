/*
 * capi_device.c - the device API (docs/protocol.md): health, enrol, push,
 * pull. Parsing and validation happen here; applying happens in the store.
 */
#include "capi.h"
#include "cmetrics.h"
#include "cpush.h"
#include "vp_alloc.h"
#include "vp_fault.h"
#include "vp_json.h"
#include "vp_log.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_wire.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void healthz(struct chttp_req *req, struct chttp_resp *resp)
{
    (void)req;
    chttp_json(resp, 200, json_pack("{s:s}", "status", "ok"));
}

static void add_time(json_t *o, const char *key, int64_t ms)
{
    char t[VP_TIME_LEN];
    vp_time_format(ms, t);
    json_object_set_new(o, key, json_string(t));
}

/* ---- enrol ---- */

static void enroll_answer(struct chttp_req *req, struct chttp_resp *resp,
                          const struct cstore_device *dev, const struct cstore_location *loc,
                          const char *token)
{
    json_t *o = json_object();
    json_object_set_new(o, "device_id", json_string(dev->id));
    json_object_set_new(o, "token", json_string(token));
    json_object_set_new(
        o, "location",
        json_pack("{s:s,s:s,s:s}", "id", loc->id, "name", loc->name, "org", loc->org));
    json_object_set_new(o, "server_epoch", json_string(cstore_epoch(req->app->store)));
    add_time(o, "server_time", vp_now_ms());
    chttp_json(resp, 200, o);
}

static void enroll(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "code", "device_name", NULL };
    struct vp_json_err err;
    const char *code = NULL, *name = "tablet";
    struct cstore_device dev;
    struct cstore_location loc;
    char token[CSTORE_TOKEN_LEN];
    json_t *js;
    vp_result res;
    int wait;
    if (!chttp_want_json(req, resp) || !(js = chttp_body_json(req, resp)))
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_only_keys(js, keys, &err) || !vp_json_get_str(js, "code", true, 32, &code, &err) ||
        !vp_json_get_str(js, "device_name", false, 80, &name, &err)) {
        chttp_error(req, resp, 422, "invalid", NULL);
    } else if ((wait = climit_take(req->app->login_ip, req->addr_key, vp_mono_ms())) != 0) {
        /* taken before trying, given back unless the code was wrong: one step */
        cmetrics_count(req->app->metrics, CMETRICS_ENROLL_THROTTLED);
        chttp_error(req, resp, 429, "rate_limited", NULL);
        resp->retry_after = wait;
    } else if ((res = cstore_device_enroll(req->app->store, code, name, vp_now_ms(), &dev, &loc,
                                           token)) == VP_OK) {
        climit_give(req->app->login_ip, req->addr_key, vp_mono_ms());
        enroll_answer(req, resp, &dev, &loc, token);
    } else if (res == VP_ERR_AUTH || res == VP_ERR_REFUSED) {
        if (res == VP_ERR_AUTH) {
            cmetrics_count(req->app->metrics, CMETRICS_ENROLL_FAILED);
            chttp_error(req, resp, 401, "unauthorized", vp_tr_in(req->lang, "api.enroll.unknown"));
        } else {
            chttp_error(req, resp, 410, "gone", NULL);
        }
    } else {
        climit_give(req->app->login_ip, req->addr_key, vp_mono_ms());
        chttp_store_error(req, resp, res);
    }
    json_decref(js);
}

/* ---- push ---- */

/* Reads the record array into items; false (and a 400/413 answer) when the
 * request itself is malformed. */
static bool read_items(struct chttp_req *req, struct chttp_resp *resp, struct cstore_item **out,
                       size_t *n)
{
    switch (cpush_parse(req->body, req->body_len, cstore_catalog(req->app->store), out, n)) {
    case CPUSH_OK: return true;
    case CPUSH_TOO_LARGE: chttp_error(req, resp, 413, "too_large", NULL); return false;
    default: chttp_error(req, resp, 400, "malformed", NULL); return false;
    }
}

static void push_answer(struct chttp_req *req, struct chttp_resp *resp,
                        const struct cstore_item *items, size_t n, int64_t now)
{
    struct vp_push_answer a = { .n = n, .server_time_ms = now };
    a.results = vp_xcalloc(n ? n : 1, sizeof(*a.results));
    for (size_t i = 0; i < n; i++) {
        vp_strlcpy(a.results[i].id, items[i].id, sizeof(a.results[i].id));
        a.results[i].status = items[i].status;
        cmetrics_push_result(req->app->metrics, (int)items[i].status);
        vp_push_result_set_reason(&a.results[i], items[i].reason);
    }
    vp_strlcpy(a.server_epoch, cstore_epoch(req->app->store), sizeof(a.server_epoch));
    chttp_json(resp, 200, vp_push_answer_to_json(&a));
    free(a.results);
}

static void push(struct chttp_req *req, struct chttp_resp *resp)
{
    struct cstore_item *items = NULL;
    size_t n = 0, bad = 0;
    int64_t now = vp_now_ms();
    vp_result res;
    if (!chttp_want_json(req, resp) || !read_items(req, resp, &items, &n))
        return;
    if (vp_fault("push_503")) {
        chttp_error(req, resp, 503, "unavailable", NULL);
        resp->retry_after = 1;
    } else if (vp_fault("push_drop_before_commit")) {
        resp->drop = true; /* as if the connection broke before the commit */
    } else if ((res = cstore_push(req->app->store, &req->device, items, n, now, &bad)) != VP_OK) {
        char msg[200];
        if (res == VP_ERR_REFUSED) {
            snprintf(msg, sizeof(msg), "%s (records[%zu])",
                     vp_tr_in(req->lang, "api.error.forbidden"), bad);
            chttp_error(req, resp, 403, "forbidden", msg);
        } else {
            chttp_store_error(req, resp, res);
        }
    } else if (vp_fault("push_drop_after_commit")) {
        resp->drop = true; /* committed, but the answer never arrives */
    } else {
        push_answer(req, resp, items, n, now);
    }
    free(items);
}

/* ---- pull ---- */

/* Answers one page after req's cursor; notes the heartbeat if one came. */
static void pull_page(struct chttp_req *req, struct chttp_resp *resp,
                      const struct vp_pull_request *pr)
{
    struct vp_buf changes = VP_BUF_INIT;
    struct vp_pull_meta m = { .server_time_ms = vp_now_ms() };
    vp_result res;
    if (pr->has_heartbeat &&
        (res = cstore_device_heartbeat(req->app->store, req->device.id, &pr->heartbeat,
                                       m.server_time_ms)) != VP_OK)
        vp_warn("central: could not keep a heartbeat: %s", vp_result_name(res));
    res = cstore_pull(req->app->store, req->device.location_id, pr->since, (int)pr->limit, &changes,
                      m.cursor, &m.more);
    if (res == VP_ERR_INVALID) {
        chttp_error(req, resp, 400, "malformed", vp_tr_in(req->lang, "api.pull.cursor"));
    } else if (res) {
        chttp_store_error(req, resp, res);
    } else {
        vp_strlcpy(m.server_epoch, cstore_epoch(req->app->store), sizeof(m.server_epoch));
        resp->status = 200;
        resp->content_type = "application/json";
        vp_pull_page_write(&resp->body, changes.data, changes.len, &m);
    }
    vp_buf_release(&changes);
}

/* Protocol 1: GET ?since=N&limit=M, no heartbeat. */
static void pull_get(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *since = chttp_query(req, "since"), *limit = chttp_query(req, "limit");
    struct vp_pull_request pr = { .limit = 500 };
    if ((since && !vp_cursor_valid(since)) ||
        (limit && !vp_parse_i64(limit, 1, VP_PULL_MAX_LIMIT, &pr.limit))) {
        chttp_error(req, resp, 400, "malformed", NULL);
        return;
    }
    vp_strlcpy(pr.since, since ? since : "", sizeof(pr.since));
    pull_page(req, resp, &pr);
}

/* Protocol 2: POST {"since","limit","heartbeat"}. */
static void pull_post(struct chttp_req *req, struct chttp_resp *resp)
{
    struct vp_pull_request pr;
    struct vp_json_err err;
    json_t *js;
    if (!chttp_want_json(req, resp) || !(js = chttp_body_json(req, resp)))
        return;
    memset(&err, 0, sizeof(err));
    if (vp_pull_request_from_json(js, &pr, &err))
        pull_page(req, resp, &pr);
    else
        chttp_error(req, resp, 422, "invalid", NULL);
    json_decref(js);
}

static const struct chttp_route device_routes[] = {
    { "GET", "/healthz", CHTTP_PUBLIC, healthz, CHTTP_NO_IDS },
    { "POST", "/api/v1/enroll", CHTTP_PUBLIC, enroll, CHTTP_NO_IDS },
    { "POST", "/api/v1/sync/push", CHTTP_DEVICE, push, CHTTP_NO_IDS },
    { "GET", "/api/v1/sync/pull", CHTTP_DEVICE, pull_get, CHTTP_NO_IDS },
    { "POST", "/api/v1/sync/pull", CHTTP_DEVICE, pull_post, CHTTP_NO_IDS },
};

vp_result capi_device_routes(struct chttp_router *r)
{
    return chttp_router_add(r, device_routes, sizeof(device_routes) / sizeof(device_routes[0]),
                            NULL);
}
