/*
 * capi.c - the application context and the one place that decides access:
 * who is calling (device tokens with the per-device rate limit, coach
 * sessions with the CSRF token for state-changing requests, the admin flag)
 * and whether every id the request carries is within her locations (the
 * route's scope, checked by cstore_coach_scope()).
 */
#include "capi.h"
#include "cmetrics.h"
#include "cstore_console.h"
#include "vp_json.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <sodium.h>
#include <string.h>
#include <strings.h>

#define MINUTE_MS (60LL * 1000)

void capp_init(struct capp *app, struct cstore *store, const struct capp_options *opt)
{
    double per_min = opt && opt->device_rate_per_min > 0 ? opt->device_rate_per_min : 1200;
    const unsigned char *secret = opt ? opt->secret : NULL;
    memset(app, 0, sizeof(*app));
    app->store = store;
    /* a burst of a sixth of a minute's budget: a tablet back online drains at once */
    app->device_rate = climit_new(per_min / 60.0, per_min / 6.0 < 3 ? 3 : per_min / 6.0, secret);
    /* five wrong passwords per account, then one try a minute */
    app->login_account = climit_new(1.0 / 60.0, 5, secret);
    /* twenty wrong passwords per address, then one every ten seconds */
    app->login_ip = climit_new(1.0 / 10.0, 20, secret);
    /* a refused login costs no disk write beyond one audit entry a minute */
    app->audit_refused = climit_new(1.0 / 60.0, 1, secret);
    /* every refused attempt of a coach is audited, but a flood of them is
     * not a flood of disk writes */
    app->audit_denied = climit_new(1.0 / 60.0, 10, secret);
    app->session_idle_ms = 30 * MINUTE_MS;
    app->session_abs_ms = 12 * 60 * MINUTE_MS;
    app->metrics = cmetrics_new();
    atomic_store(&app->stopping, false);
}

void capp_release(struct capp *app)
{
    climit_free(app->device_rate);
    climit_free(app->login_account);
    climit_free(app->login_ip);
    climit_free(app->audit_refused);
    cmetrics_free(app->metrics);
    sodium_memzero(app->metrics_token, sizeof(app->metrics_token));
    climit_free(app->audit_denied);
    memset(app, 0, sizeof(*app));
}

static bool authorize_device(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *auth = chttp_header(req, "Authorization");
    int wait;
    vp_result res;
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0) {
        chttp_error(req, resp, 401, "unauthorized", NULL);
        return false;
    }
    res = cstore_device_auth(req->app->store, auth + 7, &req->device);
    if (res) {
        chttp_store_error(req, resp, res);
        return false;
    }
    wait = climit_take(req->app->device_rate, req->device.id, vp_mono_ms());
    if (wait) {
        cmetrics_count(req->app->metrics, CMETRICS_DEVICE_THROTTLED);
        chttp_error(req, resp, 429, "rate_limited", NULL);
        resp->retry_after = wait;
        return false;
    }
    return true;
}

static bool authorize_coach(struct chttp_req *req, struct chttp_resp *resp)
{
    struct capp *app = req->app;
    const char *sid = chttp_cookie(req, CAPI_SESSION_COOKIE);
    const char *csrf;
    vp_result res;
    if (!sid || vp_strlcpy(req->sid, sid, sizeof(req->sid)) >= sizeof(req->sid)) {
        chttp_error(req, resp, 401, "unauthorized", NULL);
        return false;
    }
    res = cstore_session_get(app->store, sid, vp_now_ms(), app->session_idle_ms,
                             app->session_abs_ms, &req->session, &req->coach);
    if (res) {
        chttp_store_error(req, resp, res);
        return false;
    }
    if (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD"))
        return true;
    csrf = chttp_header(req, "X-CSRF-Token");
    if (!csrf || strlen(csrf) != strlen(req->session.csrf) ||
        sodium_memcmp(csrf, req->session.csrf, strlen(csrf)) != 0) {
        chttp_error(req, resp, 403, "csrf", NULL);
        return false;
    }
    return true;
}

/* ---- scope: the ids a request carries ---- */

/* Audits a refused attempt as "denied" with what was asked ("GET /path"),
 * rate-capped per coach (capp.audit_denied). */
static void audit_denied(struct chttp_req *req, const char *child_id, const char *loc,
                         const char *why)
{
    char detail[200];
    if (climit_take(req->app->audit_denied, req->coach.id, vp_mono_ms()) != 0)
        return;
    vp_snprintf(detail, sizeof(detail), "%s %s %s", why, req->method, req->path);
    cstore_audit(req->app->store, req->coach.id, "denied", child_id, loc && *loc ? loc : NULL,
                 detail, req->ip, vp_now_ms());
}

/* Answers for a store result of the scope rule; true if it allows. */
static bool scope_result(struct chttp_req *req, struct chttp_resp *resp, enum cstore_kind kind,
                         const char *id, const char *loc, vp_result res)
{
    if (!res)
        return true;
    if (res == VP_ERR_REFUSED && kind == CSTORE_KIND_CHILD && !strcmp(req->method, "GET"))
        cstore_audit(req->app->store, req->coach.id, "view_denied", id, loc, NULL, req->ip,
                     vp_now_ms());
    else if (res == VP_ERR_REFUSED) /* another location's case, advice, CSV, erasure... */
        audit_denied(req, kind == CSTORE_KIND_CHILD ? id : NULL, loc, "scope");
    chttp_store_error(req, resp, res);
    return false;
}

static bool scope_one(struct chttp_req *req, struct chttp_resp *resp, enum cstore_kind kind,
                      const char *id)
{
    char loc[VP_UUID_LEN] = "";
    vp_result res = cstore_coach_scope(req->app->store, req->coach.id, kind, id, loc);
    return scope_result(req, resp, kind, id, loc, res);
}

/* A body field: absent or null passes; a UUID string or an array of them is
 * checked; anything else is 422. */
static bool scope_body(struct chttp_req *req, struct chttp_resp *resp, json_t *body,
                       const struct chttp_scope *sc)
{
    json_t *v = json_object_get(body, sc->name), *e;
    size_t i;
    if (!v || json_is_null(v))
        return true;
    if (json_is_string(v) && vp_uuid_valid(json_string_value(v)))
        return scope_one(req, resp, sc->kind, json_string_value(v));
    if (!json_is_array(v)) {
        chttp_error(req, resp, 422, "invalid", NULL);
        return false;
    }
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e) || !vp_uuid_valid(json_string_value(e))) {
            chttp_error(req, resp, 422, "invalid", NULL);
            return false;
        }
    }
    json_array_foreach(v, i, e)
    {
        if (!scope_one(req, resp, sc->kind, json_string_value(e)))
            return false;
    }
    return true;
}

static bool scope_check(struct chttp_req *req, struct chttp_resp *resp,
                        const struct chttp_route *route)
{
    json_t *body = NULL;
    bool ok = true;
    for (const struct chttp_scope *sc = route->scope; ok && sc->where != CHTTP_IN_NONE; sc++) {
        const char *id;
        switch (sc->where) {
        case CHTTP_IN_PATH:
            id = chttp_param(req, sc->name);
            if (!id || !vp_uuid_valid(id)) {
                chttp_error(req, resp, 404, "not_found", NULL);
                ok = false;
            } else {
                ok = scope_one(req, resp, sc->kind, id);
            }
            break;
        case CHTTP_IN_QUERY:
            id = chttp_query(req, sc->name);
            if (id && !vp_uuid_valid(id)) {
                chttp_error(req, resp, 400, "malformed", NULL);
                ok = false;
            } else if (id) {
                ok = scope_one(req, resp, sc->kind, id);
            }
            break;
        case CHTTP_IN_BODY:
            if (!body && !(body = chttp_body_json(req, resp)))
                ok = false;
            else
                ok = scope_body(req, resp, body, sc);
            break;
        default: ok = false; break;
        }
    }
    json_decref(body);
    return ok;
}

bool capi_authorize(struct chttp_req *req, struct chttp_resp *resp, const struct chttp_route *route)
{
    switch (route->access) {
    case CHTTP_PUBLIC: return true;
    case CHTTP_DEVICE: return authorize_device(req, resp);
    case CHTTP_COACH: return authorize_coach(req, resp) && scope_check(req, resp, route);
    case CHTTP_ADMIN:
        if (!authorize_coach(req, resp))
            return false;
        if (!cstore_console_is_admin(req->app->store, req->coach.id)) {
            audit_denied(req, NULL, NULL, "not_admin");
            chttp_error(req, resp, 403, "not_admin", NULL);
            return false;
        }
        return scope_check(req, resp, route);
    }
    chttp_error(req, resp, 403, "forbidden", NULL);
    return false;
}
