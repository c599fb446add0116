/*
 * capi_device.c - the device API (docs/protocol.md): health, enrol, push,
 * pull. Parsing and validation happen here; applying happens in the store.
 */
#include "capi.h"
#include "cpush.h"
#include "vp_alloc.h"
#include "vp_fault.h"
#include "vp_json.h"
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
    } else if ((wait = climit_peek(req->app->login_ip, req->ip, vp_mono_ms())) != 0) {
        chttp_error(req, resp, 429, "rate_limited", NULL);
        resp->retry_after = wait;
    } else if ((res = cstore_device_enroll(req->app->store, code, name, vp_now_ms(), &dev, &loc,
                                           token)) == VP_OK) {
        enroll_answer(req, resp, &dev, &loc, token);
    } else if (res == VP_ERR_AUTH || res == VP_ERR_REFUSED) {
        climit_take(req->app->login_ip, req->ip, vp_mono_ms());
        if (res == VP_ERR_AUTH)
            chttp_error(req, resp, 401, "unauthorized", vp_tr_in(req->lang, "api.enroll.unknown"));
        else
            chttp_error(req, resp, 410, "gone", NULL);
    } else {
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
    json_t *o = json_object(), *results = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_pack("{s:s,s:s}", "id", items[i].id, "status",
                              cstore_status_name(items[i].status));
        if (items[i].status == CSTORE_CONFLICT || items[i].status == CSTORE_REJECTED)
            json_object_set_new(r, "reason", json_string(items[i].reason));
        json_array_append_new(results, r);
    }
    json_object_set_new(o, "results", results);
    add_time(o, "server_time", now);
    json_object_set_new(o, "server_epoch", json_string(cstore_epoch(req->app->store)));
    chttp_json(resp, 200, o);
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

static void pull(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *since_s = chttp_query(req, "since"), *limit_s = chttp_query(req, "limit");
    int64_t since, limit, next;
    bool more;
    vp_result res;
    if (!cpull_parse(since_s, limit_s, &since, &limit)) {
        chttp_error(req, resp, 400, "malformed", NULL);
        return;
    }
    resp->content_type = "application/json";
    vp_buf_adds(&resp->body, "{\"changes\":");
    res = cstore_pull(req->app->store, req->device.location_id, since, (int)limit, &resp->body,
                      &next, &more);
    if (res) {
        chttp_store_error(req, resp, res);
        return;
    }
    vp_buf_addf(&resp->body, ",\"next\":%lld,\"more\":%s,\"server_epoch\":\"%s\"}", (long long)next,
                more ? "true" : "false", cstore_epoch(req->app->store));
    resp->status = 200;
}

static const struct chttp_route device_routes[] = {
    { "GET", "/healthz", CHTTP_PUBLIC, healthz, CHTTP_NO_IDS },
    { "POST", "/api/v1/enroll", CHTTP_PUBLIC, enroll, CHTTP_NO_IDS },
    { "POST", "/api/v1/sync/push", CHTTP_DEVICE, push, CHTTP_NO_IDS },
    { "GET", "/api/v1/sync/pull", CHTTP_DEVICE, pull, CHTTP_NO_IDS },
};

vp_result capi_device_routes(struct chttp_router *r)
{
    return chttp_router_add(r, device_routes, sizeof(device_routes) / sizeof(device_routes[0]),
                            NULL);
}
