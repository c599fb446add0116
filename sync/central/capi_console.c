/*
 * capi_console.c - the coach's JSON API under /api/console/: the one route
 * table (each route with its access rule and the ids it takes), the
 * session handlers (login, logout, me, roles, catalog) and what the
 * handler files share (capi_console.h).
 */
#include "capi_console.h"
#include "cmetrics.h"
#include "vp_alloc.h"
#include "vp_json.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS (24LL * 3600 * 1000)

static json_t *coach_json(const struct cstore_coach *c)
{
    return json_pack("{s:s,s:s,s:s}", "id", c->id, "email", c->email, "name", c->name);
}

/* {"coach","csrf","locations"}: what the console needs after login and on load. */
static void me_answer(struct chttp_req *req, struct chttp_resp *resp,
                      const struct cstore_coach *coach, const char *csrf)
{
    json_t *locs = NULL;
    vp_result res = cstore_coach_locations(req->app->store, coach->id, &locs);
    if (res) {
        chttp_store_error(req, resp, res);
        return;
    }
    chttp_json(
        resp, 200,
        json_pack("{s:o,s:s,s:o}", "coach", coach_json(coach), "csrf", csrf, "locations", locs));
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* ---- login: throttled in one step, hashed on the worker pool ----
 * Each attempt first takes a token from the account's and the address's
 * budget (climit_take checks and records at once, so parallel attempts
 * cannot all pass); a success gives them back. argon2id runs on the worker
 * pool (chttp_defer), never on a request thread. */

struct login_job {
    struct cstore *store;
    char *email, *password;
    char account[256];
    char addr_key[64];
    vp_result res;
    struct cstore_coach coach;
};

static bool login_allowed(struct chttp_req *req, struct chttp_resp *resp, const char *account)
{
    int64_t now = vp_mono_ms();
    int a = climit_take(req->app->login_account, account, now), b = 0;
    if (!a && (b = climit_take(req->app->login_ip, req->addr_key, now)) != 0)
        climit_give(req->app->login_account, account, now);
    if (!a && !b)
        return true;
    cmetrics_count(req->app->metrics, CMETRICS_LOGIN_THROTTLED);
    chttp_error(req, resp, 429, "rate_limited", NULL);
    resp->retry_after = a > b ? a : b;
    /* audited once a minute per account and address: a flood of refusals
     * must not turn into a flood of disk writes */
    if (climit_take(req->app->audit_refused, a ? account : req->addr_key, now) == 0)
        cstore_audit(req->app->store, NULL, "login_throttled", NULL, NULL, NULL, req->ip,
                     vp_now_ms());
    return false;
}

/* The attempt did not count (it was not evaluated, or it succeeded). */
static void login_refund(struct capp *app, const struct login_job *job)
{
    climit_give(app->login_account, job->account, vp_mono_ms());
    climit_give(app->login_ip, job->addr_key, vp_mono_ms());
}

static void login_ok(struct chttp_req *req, struct chttp_resp *resp,
                     const struct cstore_coach *coach, const struct login_job *job)
{
    struct cstore_session sess;
    char sid[CSTORE_SID_LEN];
    int64_t now = vp_now_ms();
    vp_result res = cstore_session_new(req->app->store, coach->id, now, sid, &sess);
    if (!res)
        res = cstore_audit(req->app->store, coach->id, "login", NULL, NULL, NULL, req->ip, now);
    if (res) {
        chttp_store_error(req, resp, res);
        return;
    }
    climit_reset(req->app->login_account, job->account);
    climit_give(req->app->login_ip, job->addr_key, vp_mono_ms());
    snprintf(resp->set_cookie, sizeof(resp->set_cookie),
             "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", CAPI_SESSION_COOKIE, sid,
             (long long)(req->app->session_abs_ms / 1000), req->tls ? "; Secure" : "");
    me_answer(req, resp, coach, sess.csrf);
}

/* On the worker pool: the password check (argon2id). */
static void login_work(void *ctx)
{
    struct login_job *job = ctx;
    job->res = cstore_coach_login(job->store, job->email, job->password, &job->coach);
}

/* Back on a request thread: answer. */
static void login_finish(struct chttp_req *req, struct chttp_resp *resp, void *ctx)
{
    struct login_job *job = ctx;
    if (job->res == VP_OK) {
        login_ok(req, resp, &job->coach, job);
    } else if (job->res == VP_ERR_AUTH) {
        cmetrics_count(req->app->metrics, CMETRICS_LOGIN_FAILED);
        cstore_audit(req->app->store, NULL, "login_failed", NULL, NULL, NULL, req->ip, vp_now_ms());
        chttp_error(req, resp, 401, "unauthorized", vp_tr_in(req->lang, "api.login.failed"));
    } else {
        login_refund(req->app, job);
        chttp_store_error(req, resp, job->res);
    }
}

static void login_job_free(void *ctx)
{
    struct login_job *job = ctx;
    sodium_memzero(job->password, strlen(job->password));
    free(job->password);
    free(job->email);
    free(job);
}

static void login(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "email", "password", NULL };
    struct vp_json_err err;
    const char *email = NULL, *password = NULL;
    struct login_job *job;
    json_t *js;
    if (!chttp_want_json(req, resp) || !(js = chttp_body_json(req, resp)))
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_only_keys(js, keys, &err) ||
        !vp_json_get_str(js, "email", true, 254, &email, &err) ||
        !vp_json_get_str(js, "password", true, 1024, &password, &err)) {
        chttp_error(req, resp, 422, "invalid", NULL);
        json_decref(js);
        return;
    }
    job = vp_xcalloc(1, sizeof(*job));
    job->store = req->app->store;
    job->email = vp_xstrdup(email);
    job->password = vp_xstrdup(password);
    vp_strlcpy(job->account, email, sizeof(job->account));
    lower(job->account);
    vp_strlcpy(job->addr_key, req->addr_key, sizeof(job->addr_key));
    json_decref(js);
    if (!login_allowed(req, resp, job->account)) {
        login_job_free(job);
    } else if (!chttp_defer(req, resp, login_work, login_finish, job, login_job_free)) {
        login_refund(req->app, job); /* 429: the pool is full, nothing was evaluated */
        login_job_free(job);
    }
}

static void logout(struct chttp_req *req, struct chttp_resp *resp)
{
    vp_result res = cstore_session_end(req->app->store, req->sid);
    if (!res)
        res = cstore_audit(req->app->store, req->coach.id, "logout", NULL, NULL, NULL, req->ip,
                           vp_now_ms());
    if (res) {
        chttp_store_error(req, resp, res);
        return;
    }
    snprintf(resp->set_cookie, sizeof(resp->set_cookie),
             "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s", CAPI_SESSION_COOKIE,
             req->tls ? "; Secure" : "");
    chttp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

static void me(struct chttp_req *req, struct chttp_resp *resp)
{
    me_answer(req, resp, &req->coach, req->session.csrf);
}

static void roles(struct chttp_req *req, struct chttp_resp *resp)
{
    chttp_json(
        resp, 200,
        json_pack("{s:b}", "admin", cstore_console_is_admin(req->app->store, req->coach.id)));
}

static void catalog(struct chttp_req *req, struct chttp_resp *resp)
{
    char *text = NULL;
    vp_result res = cstore_console_catalog(req->app->store, &text);
    if (res) {
        chttp_store_error(req, resp, res);
        return;
    }
    resp->status = 200;
    vp_buf_adds(&resp->body, text);
    free(text);
}

/* ---- shared by the handler files ---- */

void capi_answer(struct chttp_req *req, struct chttp_resp *resp, vp_result res, json_t *js)
{
    if (res) {
        json_decref(js);
        chttp_store_error(req, resp, res);
    } else {
        chttp_json(resp, 200, js ? js : json_pack("{s:b}", "ok", 1));
    }
}

bool capi_bad(struct chttp_req *req, struct chttp_resp *resp)
{
    chttp_error(req, resp, 400, "malformed", NULL);
    return false;
}

void capi_invalid(struct chttp_req *req, struct chttp_resp *resp, const char *field)
{
    char msg[200];
    const char *text = vp_tr_in(req->lang, "api.error.invalid");
    if (field && *field && vp_utf8_valid_text(field, strlen(field)))
        vp_snprintf(msg, sizeof(msg), "%s (%s)", text, field);
    else
        vp_strlcpy(msg, text, sizeof(msg));
    if (!vp_utf8_valid_text(msg, strlen(msg)))
        vp_strlcpy(msg, text, sizeof(msg)); /* the field was cut mid-character */
    chttp_error(req, resp, 422, "invalid", msg);
}

json_t *capi_body(struct chttp_req *req, struct chttp_resp *resp, const char *const keys[])
{
    struct vp_json_err err;
    json_t *js;
    if (!chttp_want_json(req, resp) || !(js = chttp_body_json(req, resp)))
        return NULL;
    memset(&err, 0, sizeof(err));
    if (!vp_json_only_keys(js, keys, &err)) {
        json_decref(js);
        capi_invalid(req, resp, err.field);
        return NULL;
    }
    return js;
}

const char *capi_id(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *id = chttp_param(req, "id");
    if (!id || !vp_uuid_valid(id)) {
        chttp_error(req, resp, 404, "not_found", NULL);
        return NULL;
    }
    return id;
}

bool capi_code_valid(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (!n || n > max)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_'))
            return false;
    return true;
}

static bool read_view(const char *view, enum ccon_view *out)
{
    if (!view || !strcmp(view, "all"))
        *out = CCON_VIEW_ALL;
    else if (!strcmp(view, "new"))
        *out = CCON_VIEW_NEW;
    else if (!strcmp(view, "archived"))
        *out = CCON_VIEW_ARCHIVED;
    else
        return false;
    return true;
}

bool capi_read_filter(struct chttp_req *req, struct chttp_resp *resp, struct ccon_filter *f)
{
    const char *level = chttp_query(req, "level"), *days = chttp_query(req, "days");
    const char *limit = chttp_query(req, "limit"), *order = chttp_query(req, "order");
    int64_t v;
    memset(f, 0, sizeof(*f));
    f->location_id = chttp_query(req, "location");
    f->domain = chttp_query(req, "domain");
    f->status = chttp_query(req, "status");
    f->limit = 200;
    if ((f->location_id && !vp_uuid_valid(f->location_id)) ||
        (f->domain && !capi_code_valid(f->domain, 8)) ||
        (f->status && strcmp(f->status, "open") != 0 && vp_case_status_parse(f->status) < 0) ||
        !read_view(chttp_query(req, "view"), &f->view))
        return capi_bad(req, resp);
    if (level) {
        if (!vp_parse_i64(level, 1, 3, &v))
            return capi_bad(req, resp);
        f->level = (int)v;
    }
    if (days) {
        if (!vp_parse_i64(days, 1, 3660, &v))
            return capi_bad(req, resp);
        f->since_ms = vp_now_ms() - v * DAY_MS;
    }
    if (order) { /* Nieuw's triage (urgency, then oldest) unless "newest" */
        if (!strcmp(order, "newest"))
            f->order = CCON_ORDER_NEWEST;
        else if (strcmp(order, "urgency") != 0)
            return capi_bad(req, resp);
    }
    if (limit) {
        if (!vp_parse_i64(limit, 1, CCON_INBOX_MAX, &v))
            return capi_bad(req, resp);
        f->limit = (int)v;
    }
    return true;
}

/* ---- the route table ---- */

/* The ids a route takes, and what they name (checked by capi_authorize()). */
/* clang-format off */
#define PATH(kind, name)  { CHTTP_IN_PATH, name, CSTORE_KIND_##kind }
#define QUERY(kind, name) { CHTTP_IN_QUERY, name, CSTORE_KIND_##kind }
#define BODY(kind, name)  { CHTTP_IN_BODY, name, CSTORE_KIND_##kind }

/* Every console route: method, path, who may call it, handler, the ids it
 * takes. A route without ids acts on the caller or on what she holds (the
 * store filters by her locations). */
static const struct chttp_route console_routes[] = {
    /* the session */
    { "POST", "/api/console/login", CHTTP_PUBLIC, login, CHTTP_NO_IDS },
    { "POST", "/api/console/logout", CHTTP_COACH, logout, CHTTP_NO_IDS },
    { "GET", "/api/console/me", CHTTP_COACH, me, CHTTP_NO_IDS },
    { "GET", "/api/console/roles", CHTTP_COACH, roles, CHTTP_NO_IDS },
    { "GET", "/api/console/catalog", CHTTP_COACH, catalog, CHTTP_NO_IDS },
    /* signals and cases (capi_console_signals.c) */
    { "GET", "/api/console/signals", CHTTP_COACH, capi_signals_list,
      { QUERY(LOCATION, "location") } },
    { "GET", "/api/console/signals/count", CHTTP_COACH, capi_signals_count, CHTTP_NO_IDS },
    { "POST", "/api/console/signals/seen", CHTTP_COACH, capi_signals_seen,
      { BODY(SIGNAL, "ids") } },
    { "POST", "/api/console/signals/{id}/archive", CHTTP_COACH, capi_signals_archive,
      { PATH(SIGNAL, "id") } },
    { "GET", "/api/console/cases", CHTTP_COACH, capi_cases_list,
      { QUERY(LOCATION, "location"), QUERY(CHILD, "child") } },
    { "GET", "/api/console/overview", CHTTP_COACH, capi_overview,
      { QUERY(LOCATION, "location") } },
    { "GET", "/api/console/export/signals.csv", CHTTP_COACH, capi_export_signals,
      { QUERY(LOCATION, "location") } },
    { "GET", "/api/console/export/cases.csv", CHTTP_COACH, capi_export_cases,
      { QUERY(LOCATION, "location") } },
    { "GET", "/api/console/export/signals-nl.csv", CHTTP_COACH, capi_export_signals_nl,
      { QUERY(LOCATION, "location") } },
    { "GET", "/api/console/export/cases-nl.csv", CHTTP_COACH, capi_export_cases_nl,
      { QUERY(LOCATION, "location") } },
    { "GET", "/api/console/export/signals.xlsx", CHTTP_COACH, capi_export_signals_xlsx,
      { QUERY(LOCATION, "location") } },
    { "GET", "/api/console/export/cases.xlsx", CHTTP_COACH, capi_export_cases_xlsx,
      { QUERY(LOCATION, "location") } },
    /* one child (capi_console_child.c) */
    { "GET", "/api/console/children/{id}", CHTTP_COACH, capi_child_get,
      { PATH(CHILD, "id") } },
    { "GET", "/api/console/children/{id}/dossier.json", CHTTP_COACH, capi_child_dossier,
      { PATH(CHILD, "id") } },
    { "GET", "/api/console/children/{id}/dossier.pdf", CHTTP_COACH, capi_child_letter,
      { PATH(CHILD, "id") } },
    { "POST", "/api/console/children/{id}/case", CHTTP_COACH, capi_child_case,
      { PATH(CHILD, "id") } },
    { "POST", "/api/console/children/{id}/advice", CHTTP_COACH, capi_child_advice,
      { PATH(CHILD, "id") } },
    { "POST", "/api/console/children/{id}/erase", CHTTP_COACH, capi_child_erase,
      { PATH(CHILD, "id") } },
    /* the audit log and Beheer (capi_console_admin.c) */
    { "GET", "/api/console/fleet/quiet", CHTTP_COACH, capi_fleet_quiet, CHTTP_NO_IDS },
    { "GET", "/api/console/audit", CHTTP_COACH, capi_audit_list, CHTTP_NO_IDS },
    { "GET", "/api/console/admin/locations", CHTTP_ADMIN, capi_admin_locations, CHTTP_NO_IDS },
    { "POST", "/api/console/admin/locations", CHTTP_ADMIN, capi_admin_location_add,
      CHTTP_NO_IDS },
    { "POST", "/api/console/admin/locations/{id}/code", CHTTP_ADMIN, capi_admin_code,
      { PATH(LOCATION, "id") } },
    { "POST", "/api/console/admin/locations/{id}/privacy", CHTTP_ADMIN, capi_admin_privacy,
      { PATH(LOCATION, "id") } },
    { "GET", "/api/console/admin/devices", CHTTP_ADMIN, capi_admin_devices, CHTTP_NO_IDS },
    { "POST", "/api/console/admin/devices/{id}/revoke", CHTTP_ADMIN, capi_admin_revoke,
      { PATH(DEVICE, "id") } },
    { "POST", "/api/console/admin/devices/{id}/name", CHTTP_ADMIN, capi_admin_device_name,
      { PATH(DEVICE, "id") } },
    { "POST", "/api/console/admin/locations/{id}/closed", CHTTP_ADMIN,
      capi_admin_location_closed, { PATH(LOCATION, "id") } },
    { "GET", "/api/console/admin/coaches", CHTTP_ADMIN, capi_admin_coaches, CHTTP_NO_IDS },
    { "POST", "/api/console/admin/coaches", CHTTP_ADMIN, capi_admin_coach_add,
      { BODY(LOCATION, "locations") } },
    { "POST", "/api/console/admin/coaches/{id}", CHTTP_ADMIN, capi_admin_coach_set,
      { PATH(COACH, "id"), BODY(LOCATION, "locations") } },
};
/* clang-format on */

vp_result capi_console_routes(struct chttp_router *r)
{
    return chttp_router_add(r, console_routes, sizeof(console_routes) / sizeof(console_routes[0]),
                            NULL);
}
