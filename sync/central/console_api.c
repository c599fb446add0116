/*
 * console_api.c - the console's own endpoints (see console_api.h): parse,
 * call the store (cstore_console.h), answer. Access rules live in the store.
 */
#include "console_api.h"
#include "capi.h"
#include "cstore_console.h"
#include "vp_json.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <stdlib.h>
#include <string.h>

#define DAY_MS (24LL * 3600 * 1000)

static void answer(struct chttp_req *req, struct chttp_resp *resp, vp_result res, json_t *js)
{
    if (res) {
        json_decref(js);
        chttp_store_error(req, resp, res);
    } else {
        chttp_json(resp, 200, js ? js : json_pack("{s:b}", "ok", 1));
    }
}

/* Answers with *out after the call that filled it (argument order is unspecified in C). */
static void answer_out(struct chttp_req *req, struct chttp_resp *resp, vp_result res, json_t **out)
{
    answer(req, resp, res, res ? NULL : *out);
}

static bool bad(struct chttp_req *req, struct chttp_resp *resp)
{
    chttp_error(req, resp, 400, "malformed", NULL);
    return false;
}

static bool valid_code(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (!n || n > max)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_'))
            return false;
    return true;
}

/* Reads FILTER from the query; false after a 400. */
static bool read_filter(struct chttp_req *req, struct chttp_resp *resp, struct ccon_filter *f)
{
    const char *level = chttp_query(req, "level"), *days = chttp_query(req, "days");
    const char *view = chttp_query(req, "view"), *limit = chttp_query(req, "limit");
    const char *order = chttp_query(req, "order");
    int64_t v;
    memset(f, 0, sizeof(*f));
    f->location_id = chttp_query(req, "location");
    f->domain = chttp_query(req, "domain");
    f->status = chttp_query(req, "status");
    f->view = CCON_VIEW_ALL;
    f->limit = 200;
    if ((f->location_id && !vp_uuid_valid(f->location_id)) ||
        (f->domain && !valid_code(f->domain, 8)) ||
        (f->status && strcmp(f->status, "open") != 0 && vp_case_status_parse(f->status) < 0))
        return bad(req, resp);
    if (level) {
        if (!vp_parse_i64(level, 1, 3, &v))
            return bad(req, resp);
        f->level = (int)v;
    }
    if (days) {
        if (!vp_parse_i64(days, 1, 3660, &v))
            return bad(req, resp);
        f->since_ms = vp_now_ms() - v * DAY_MS;
    }
    if (view) {
        if (!strcmp(view, "new"))
            f->view = CCON_VIEW_NEW;
        else if (!strcmp(view, "archived"))
            f->view = CCON_VIEW_ARCHIVED;
        else if (strcmp(view, "all") != 0)
            return bad(req, resp);
    }
    if (order) {
        if (!strcmp(order, "newest"))
            f->order = CCON_ORDER_NEWEST;
        else if (strcmp(order, "urgency") != 0)
            return bad(req, resp);
    }
    if (limit) {
        if (!vp_parse_i64(limit, 1, CCON_INBOX_MAX, &v))
            return bad(req, resp);
        f->limit = (int)v;
    }
    return true;
}

static const char *id_param(struct chttp_req *req, struct chttp_resp *resp)
{
    if (req->nparams < 1 || !vp_uuid_valid(req->params[0])) {
        chttp_error(req, resp, 404, "not_found", NULL);
        return NULL;
    }
    return req->params[0];
}

/* The request body as a JSON object with only the allowed keys; NULL after
 * an error answer. */
static json_t *body(struct chttp_req *req, struct chttp_resp *resp, const char *const keys[])
{
    struct vp_json_err err;
    json_t *js;
    if (!chttp_want_json(req, resp) || !(js = chttp_body_json(req, resp)))
        return NULL;
    memset(&err, 0, sizeof(err));
    if (!json_is_object(js) || !vp_json_only_keys(js, keys, &err)) {
        json_decref(js);
        chttp_error(req, resp, 422, "invalid", NULL);
        return NULL;
    }
    return js;
}

/* ---- the coach's pages ---- */

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

static void inbox(struct chttp_req *req, struct chttp_resp *resp)
{
    struct ccon_filter f;
    json_t *out = NULL;
    if (read_filter(req, resp, &f))
        answer_out(req, resp,
                   cstore_console_inbox(req->app->store, req->coach.id, &f, vp_now_ms(), &out),
                   &out);
}

static void new_count(struct chttp_req *req, struct chttp_resp *resp)
{
    int64_t n = 0;
    vp_result res = cstore_console_new_count(req->app->store, req->coach.id, &n);
    answer(req, resp, res, res ? NULL : json_pack("{s:I}", "new", (json_int_t)n));
}

static void seen(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "ids", NULL };
    const char *ids[CCON_INBOX_MAX];
    json_t *js = body(req, resp, keys), *arr;
    size_t n;
    if (!js)
        return;
    arr = json_object_get(js, "ids");
    n = json_array_size(arr);
    if (!json_is_array(arr) || n > CCON_INBOX_MAX) {
        json_decref(js);
        chttp_error(req, resp, 422, "invalid", NULL);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        ids[i] = json_string_value(json_array_get(arr, i));
        if (!ids[i] || !vp_uuid_valid(ids[i])) {
            json_decref(js);
            chttp_error(req, resp, 422, "invalid", NULL);
            return;
        }
    }
    answer(req, resp, cstore_console_mark_seen(req->app->store, req->coach.id, ids, n, vp_now_ms()),
           NULL);
    json_decref(js);
}

static void archive(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "reason", NULL };
    const char *id = id_param(req, resp), *reason;
    json_t *js, *r;
    if (!id || !(js = body(req, resp, keys)))
        return;
    r = json_object_get(js, "reason");
    reason = json_string_value(r);
    if (!json_is_null(r) && !reason) {
        json_decref(js);
        chttp_error(req, resp, 422, "invalid", NULL);
        return;
    }
    answer(req, resp,
           cstore_console_archive(req->app->store, req->coach.id, id, reason, req->ip, vp_now_ms()),
           NULL);
    json_decref(js);
}

static void timeline(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *id = id_param(req, resp);
    json_t *out = NULL;
    if (id)
        answer_out(
            req, resp,
            cstore_console_child(req->app->store, req->coach.id, id, req->ip, vp_now_ms(), &out),
            &out);
}

static void dossier_export(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *id = id_param(req, resp);
    json_t *out = NULL;
    vp_result res;
    if (!id)
        return;
    res = cstore_console_dossier_export(req->app->store, req->coach.id, id, req->ip, vp_now_ms(),
                                        &out);
    answer(req, resp, res, out);
    if (!res)
        resp->disposition = "attachment; filename=\"dossier.json\"";
}

static void overview(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *loc = chttp_query(req, "location"), *weeks = chttp_query(req, "weeks");
    int64_t w = 12;
    json_t *out = NULL;
    if ((loc && !vp_uuid_valid(loc)) || (weeks && !vp_parse_i64(weeks, 4, 52, &w))) {
        bad(req, resp);
        return;
    }
    answer_out(
        req, resp,
        cstore_console_overview(req->app->store, req->coach.id, loc, (int)w, vp_now_ms(), &out),
        &out);
}

static void csv(struct chttp_req *req, struct chttp_resp *resp, enum ccon_export kind)
{
    struct ccon_filter f;
    vp_result res;
    if (!read_filter(req, resp, &f))
        return;
    res = cstore_console_export(req->app->store, req->coach.id, kind, &f, req->ip, vp_now_ms(),
                                &resp->body);
    if (res) {
        vp_buf_reset(&resp->body);
        chttp_store_error(req, resp, res);
        return;
    }
    resp->status = 200;
    resp->content_type = "text/csv; charset=utf-8";
    resp->disposition = kind == CCON_EXPORT_SIGNALS ? "attachment; filename=\"signalen.csv\""
                                                    : "attachment; filename=\"casussen.csv\"";
}

static void csv_signals(struct chttp_req *req, struct chttp_resp *resp)
{
    csv(req, resp, CCON_EXPORT_SIGNALS);
}

static void csv_cases(struct chttp_req *req, struct chttp_resp *resp)
{
    csv(req, resp, CCON_EXPORT_CASES);
}

static void auditlog(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *action = chttp_query(req, "action"), *limit = chttp_query(req, "limit");
    int64_t n = 200;
    json_t *out = NULL;
    vp_result res;
    if ((action && !valid_code(action, 32)) || (limit && !vp_parse_i64(limit, 1, 1000, &n))) {
        bad(req, resp);
        return;
    }
    res = cstore_console_audit(req->app->store, req->coach.id, action, (int)n, &out);
    answer(req, resp, res, res ? NULL : json_pack("{s:o}", "audit", out));
}

/* ---- admin ---- */

static void admin_locations(struct chttp_req *req, struct chttp_resp *resp)
{
    json_t *out = NULL;
    vp_result res = cstore_console_locations(req->app->store, req->coach.id, vp_now_ms(), &out);
    answer(req, resp, res, res ? NULL : json_pack("{s:o}", "locations", out));
}

static void admin_location_add(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "name", "org", NULL };
    struct vp_json_err err;
    const char *name = NULL, *org = NULL;
    json_t *js = body(req, resp, keys), *out = NULL;
    if (!js)
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_get_str(js, "name", true, 80, &name, &err) ||
        !vp_json_get_str(js, "org", true, 80, &org, &err) || !*name)
        chttp_error(req, resp, 422, "invalid", NULL);
    else
        answer_out(req, resp,
                   cstore_console_location_add(req->app->store, req->coach.id, name, org, req->ip,
                                               vp_now_ms(), &out),
                   &out);
    json_decref(js);
}

static void admin_code(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *id = id_param(req, resp);
    json_t *out = NULL;
    if (id)
        answer_out(
            req, resp,
            cstore_console_code_new(req->app->store, req->coach.id, id, req->ip, vp_now_ms(), &out),
            &out);
}

static void admin_devices(struct chttp_req *req, struct chttp_resp *resp)
{
    json_t *out = NULL;
    vp_result res = cstore_console_devices(req->app->store, req->coach.id, vp_now_ms(), &out);
    answer(req, resp, res, res ? NULL : json_pack("{s:o}", "devices", out));
}

static void admin_revoke(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *id = id_param(req, resp);
    if (id)
        answer(
            req, resp,
            cstore_console_device_revoke(req->app->store, req->coach.id, id, req->ip, vp_now_ms()),
            NULL);
}

static void admin_coaches(struct chttp_req *req, struct chttp_resp *resp)
{
    json_t *out = NULL;
    vp_result res = cstore_console_coaches(req->app->store, req->coach.id, &out);
    answer(req, resp, res, res ? NULL : json_pack("{s:o}", "coaches", out));
}

/* Reads "locations" (array of uuids) and "admin"; false after an answer. */
static bool read_assign(struct chttp_req *req, struct chttp_resp *resp, json_t *js,
                        const char *ids[], size_t max, size_t *n, bool *admin)
{
    json_t *arr = json_object_get(js, "locations"), *adm = json_object_get(js, "admin");
    *n = json_array_size(arr);
    if (!json_is_array(arr) || *n > max || (adm && !json_is_boolean(adm))) {
        chttp_error(req, resp, 422, "invalid", NULL);
        return false;
    }
    *admin = json_is_true(adm);
    for (size_t i = 0; i < *n; i++) {
        ids[i] = json_string_value(json_array_get(arr, i));
        if (!ids[i] || !vp_uuid_valid(ids[i])) {
            chttp_error(req, resp, 422, "invalid", NULL);
            return false;
        }
    }
    return true;
}

static void admin_coach_add(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "email", "name", "password", "locations", "admin", NULL };
    struct vp_json_err err;
    const char *email = NULL, *name = NULL, *password = NULL, *ids[64];
    size_t n = 0;
    bool admin = false;
    json_t *js = body(req, resp, keys), *out = NULL;
    vp_result res;
    if (!js)
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_get_str(js, "email", true, 254, &email, &err) ||
        !vp_json_get_str(js, "name", true, 80, &name, &err) ||
        !vp_json_get_str(js, "password", true, 1024, &password, &err)) {
        chttp_error(req, resp, 422, "invalid", NULL);
    } else if (read_assign(req, resp, js, ids, 64, &n, &admin)) {
        res = cstore_console_coach_add(req->app->store, req->coach.id, email, name, password, ids,
                                       n, admin, req->ip, vp_now_ms(), &out);
        if (res == VP_ERR_CONSTRAINT)
            chttp_error(req, resp, 409, "exists", NULL);
        else
            answer(req, resp, res, out);
    }
    json_decref(js);
}

static void admin_coach_set(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "locations", "admin", NULL };
    const char *id = id_param(req, resp), *ids[64];
    size_t n = 0;
    bool admin = false;
    json_t *js;
    if (!id || !(js = body(req, resp, keys)))
        return;
    if (read_assign(req, resp, js, ids, 64, &n, &admin))
        answer(req, resp,
               cstore_console_coach_set(req->app->store, req->coach.id, id, ids, n, admin, req->ip,
                                        vp_now_ms()),
               NULL);
    json_decref(js);
}

static const struct chttp_route routes[] = {
    { "GET", "/api/console/roles", CHTTP_COACH, roles },
    { "GET", "/api/console/catalog", CHTTP_COACH, catalog },
    { "GET", "/api/console/inbox", CHTTP_COACH, inbox },
    { "GET", "/api/console/inbox/count", CHTTP_COACH, new_count },
    { "POST", "/api/console/signals/seen", CHTTP_COACH, seen },
    { "POST", "/api/console/signals/{id}/archive", CHTTP_COACH, archive },
    { "GET", "/api/console/children/{id}/timeline", CHTTP_COACH, timeline },
    { "GET", "/api/console/children/{id}/dossier.json", CHTTP_COACH, dossier_export },
    { "GET", "/api/console/overview", CHTTP_COACH, overview },
    { "GET", "/api/console/csv/signals", CHTTP_COACH, csv_signals },
    { "GET", "/api/console/csv/cases", CHTTP_COACH, csv_cases },
    { "GET", "/api/console/auditlog", CHTTP_COACH, auditlog },
    { "GET", "/api/console/admin/locations", CHTTP_COACH, admin_locations },
    { "POST", "/api/console/admin/locations", CHTTP_COACH, admin_location_add },
    { "POST", "/api/console/admin/locations/{id}/code", CHTTP_COACH, admin_code },
    { "GET", "/api/console/admin/devices", CHTTP_COACH, admin_devices },
    { "POST", "/api/console/admin/devices/{id}/revoke", CHTTP_COACH, admin_revoke },
    { "GET", "/api/console/admin/coaches", CHTTP_COACH, admin_coaches },
    { "POST", "/api/console/admin/coaches", CHTTP_COACH, admin_coach_add },
    { "POST", "/api/console/admin/coaches/{id}", CHTTP_COACH, admin_coach_set },
};

void console_api_register(void)
{
    chttp_routes_add(routes, sizeof(routes) / sizeof(routes[0]));
}
