/*
 * capi_console.c - the coach's JSON API under /api/console/: login, logout,
 * me, and the work on signals and cases. Access rules and the consent rule
 * live in the store; this file parses, calls and answers.
 */
#include "capi.h"
#include "vp_alloc.h"
#include "vp_json.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

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

/* ---- lists ---- */

/* Reads ?location=&child=&status=&level=&since=&limit= ; false after a 400. */
static bool read_filter(struct chttp_req *req, struct chttp_resp *resp, struct cstore_filter *f)
{
    const char *level = chttp_query(req, "level"), *limit = chttp_query(req, "limit");
    const char *since = chttp_query(req, "since");
    int64_t v;
    memset(f, 0, sizeof(*f));
    f->location_id = chttp_query(req, "location");
    f->child_id = chttp_query(req, "child");
    f->status = chttp_query(req, "status");
    f->limit = 100;
    if ((f->location_id && !vp_uuid_valid(f->location_id)) ||
        (f->child_id && !vp_uuid_valid(f->child_id)) ||
        (f->status && vp_case_status_parse(f->status) < 0) ||
        (since && vp_time_parse(since, &f->since_ms) != VP_OK)) {
        chttp_error(req, resp, 400, "malformed", NULL);
        return false;
    }
    if (level) {
        if (!vp_parse_i64(level, 1, 3, &v)) {
            chttp_error(req, resp, 400, "malformed", NULL);
            return false;
        }
        f->min_level = (int)v;
    }
    if (limit) {
        if (!vp_parse_i64(limit, 1, 1000, &v)) {
            chttp_error(req, resp, 400, "malformed", NULL);
            return false;
        }
        f->limit = (int)v;
    }
    return true;
}

static void list_answer(struct chttp_req *req, struct chttp_resp *resp, const char *key,
                        vp_result res, json_t *rows)
{
    if (res)
        chttp_store_error(req, resp, res);
    else
        chttp_json(resp, 200, json_pack("{s:o}", key, rows));
}

static void signals(struct chttp_req *req, struct chttp_resp *resp)
{
    struct cstore_filter f;
    json_t *rows = NULL;
    vp_result res;
    if (!read_filter(req, resp, &f))
        return;
    res = cstore_signals_list(req->app->store, req->coach.id, &f, vp_now_ms(), &rows);
    list_answer(req, resp, "signals", res, rows);
}

static void cases(struct chttp_req *req, struct chttp_resp *resp)
{
    struct cstore_filter f;
    json_t *rows = NULL;
    vp_result res;
    if (!read_filter(req, resp, &f))
        return;
    res = cstore_cases_list(req->app->store, req->coach.id, &f, vp_now_ms(), &rows);
    list_answer(req, resp, "cases", res, rows);
}

static void audit(struct chttp_req *req, struct chttp_resp *resp)
{
    json_t *rows = NULL;
    vp_result res = cstore_audit_list(req->app->store, req->coach.id, 200, &rows);
    list_answer(req, resp, "audit", res, rows);
}

/* ---- one child ---- */

static const char *child_param(struct chttp_req *req, struct chttp_resp *resp)
{
    if (req->nparams < 1 || !vp_uuid_valid(req->params[0])) {
        chttp_error(req, resp, 404, "not_found", NULL);
        return NULL;
    }
    return req->params[0];
}

static void dossier(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *child = child_param(req, resp);
    json_t *out = NULL;
    vp_result res;
    if (!child)
        return;
    res = cstore_dossier(req->app->store, req->coach.id, child, req->ip, vp_now_ms(), &out);
    if (res)
        chttp_store_error(req, resp, res);
    else
        chttp_json(resp, 200, out);
}

static bool read_edit(json_t *js, struct cstore_case_edit *e, struct vp_json_err *err)
{
    static const char *const keys[] = {
        "status",          "consent",        "parent_talk", "consultation",
        "referred_to",     "closed_reason",  "next_action", "next_action_owner",
        "next_action_due", "follow_up_date", NULL
    };
    memset(e, 0, sizeof(*e));
    return vp_json_only_keys(js, keys, err) &&
           vp_json_get_str(js, "status", false, 32, &e->status, err) &&
           vp_json_get_str(js, "consent", false, 32, &e->consent, err) &&
           vp_json_get_str(js, "parent_talk", false, 32, &e->parent_talk, err) &&
           vp_json_get_str(js, "consultation", false, 32, &e->consultation, err) &&
           vp_json_get_str(js, "referred_to", false, 32, &e->referred_to, err) &&
           vp_json_get_str(js, "closed_reason", false, 32, &e->closed_reason, err) &&
           vp_json_get_str(js, "next_action", false, 200, &e->next_action, err) &&
           vp_json_get_str(js, "next_action_owner", false, 80, &e->next_action_owner, err) &&
           vp_json_get_str(js, "next_action_due", false, 10, &e->next_action_due, err) &&
           vp_json_get_str(js, "follow_up_date", false, 10, &e->follow_up_date, err);
}

static void invalid(struct chttp_req *req, struct chttp_resp *resp, const char *field)
{
    char msg[200];
    vp_snprintf(msg, sizeof(msg), "%s (%s)", vp_tr_in(req->lang, "api.error.invalid"), field);
    chttp_error(req, resp, 422, "invalid", msg);
}

static void case_update(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *child = child_param(req, resp), *why = NULL;
    struct cstore_case_edit edit;
    struct vp_json_err err;
    json_t *js, *out = NULL;
    vp_result res;
    if (!child || !chttp_want_json(req, resp) || !(js = chttp_body_json(req, resp)))
        return;
    memset(&err, 0, sizeof(err));
    if (!read_edit(js, &edit, &err)) {
        invalid(req, resp, err.field);
    } else if ((res = cstore_case_update(req->app->store, req->coach.id, child, &edit, req->ip,
                                         vp_now_ms(), &out, &why)) != VP_OK) {
        if (res == VP_ERR_INVALID && why)
            invalid(req, resp, why);
        else
            chttp_store_error(req, resp, res);
    } else {
        chttp_json(resp, 200, json_pack("{s:o}", "case", out));
    }
    json_decref(js);
}

static void advice(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "text", NULL };
    const char *child = child_param(req, resp), *text = NULL;
    struct vp_json_err err;
    json_t *js, *out = NULL;
    vp_result res;
    if (!child || !chttp_want_json(req, resp) || !(js = chttp_body_json(req, resp)))
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_only_keys(js, keys, &err) || !vp_json_get_str(js, "text", true, 2000, &text, &err))
        invalid(req, resp, err.field);
    else if ((res = cstore_advice_add(req->app->store, req->coach.id, child, text, req->ip,
                                      vp_now_ms(), &out)) != VP_OK)
        chttp_store_error(req, resp, res);
    else
        chttp_json(resp, 200, json_pack("{s:o}", "advice", out));
    json_decref(js);
}

static void erase(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "confirm", NULL };
    const char *child = child_param(req, resp);
    struct vp_json_err err;
    bool confirm = false;
    json_t *js;
    vp_result res;
    if (!child || !chttp_want_json(req, resp) || !(js = chttp_body_json(req, resp)))
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_only_keys(js, keys, &err) ||
        !vp_json_get_bool(js, "confirm", true, &confirm, &err) || !confirm)
        invalid(req, resp, "confirm");
    else if ((res = cstore_child_erase(req->app->store, req->coach.id, child, req->ip,
                                       vp_now_ms())) != VP_OK)
        chttp_store_error(req, resp, res);
    else
        chttp_json(resp, 200, json_pack("{s:b}", "erased", 1));
    json_decref(js);
}

static void export_csv(struct chttp_req *req, struct chttp_resp *resp, enum cstore_export_kind kind)
{
    const char *loc = chttp_query(req, "location");
    vp_result res;
    if (loc && !vp_uuid_valid(loc)) {
        chttp_error(req, resp, 400, "malformed", NULL);
        return;
    }
    res =
        cstore_export(req->app->store, req->coach.id, kind, loc, req->ip, vp_now_ms(), &resp->body);
    if (res) {
        vp_buf_reset(&resp->body);
        chttp_store_error(req, resp, res);
        return;
    }
    resp->status = 200;
    resp->content_type = "text/csv; charset=utf-8";
    resp->disposition = kind == CSTORE_EXPORT_SIGNALS ? "attachment; filename=\"signalen.csv\""
                                                      : "attachment; filename=\"casussen.csv\"";
}

static void export_signals(struct chttp_req *req, struct chttp_resp *resp)
{
    export_csv(req, resp, CSTORE_EXPORT_SIGNALS);
}

static void export_cases(struct chttp_req *req, struct chttp_resp *resp)
{
    export_csv(req, resp, CSTORE_EXPORT_CASES);
}

static const struct chttp_route console_routes[] = {
    { "POST", "/api/console/login", CHTTP_PUBLIC, login },
    { "POST", "/api/console/logout", CHTTP_COACH, logout },
    { "GET", "/api/console/me", CHTTP_COACH, me },
    { "GET", "/api/console/signals", CHTTP_COACH, signals },
    { "GET", "/api/console/cases", CHTTP_COACH, cases },
    { "GET", "/api/console/audit", CHTTP_COACH, audit },
    { "GET", "/api/console/children/{id}", CHTTP_COACH, dossier },
    { "POST", "/api/console/children/{id}/case", CHTTP_COACH, case_update },
    { "POST", "/api/console/children/{id}/advice", CHTTP_COACH, advice },
    { "POST", "/api/console/children/{id}/erase", CHTTP_COACH, erase },
    { "GET", "/api/console/export/signals.csv", CHTTP_COACH, export_signals },
    { "GET", "/api/console/export/cases.csv", CHTTP_COACH, export_cases },
};

void capi_console_register(void)
{
    chttp_routes_add(console_routes, sizeof(console_routes) / sizeof(console_routes[0]));
}
