/*
 * capi_console_admin.c - the audit log and the Beheer pages: locations and
 * enrolment codes, tablets (the fleet view, naming and revoking them, a
 * location closed for the holidays), coach accounts. The admin
 * flag and every id (a location, device or coach in the path, locations in
 * the body) are checked by the route table before these run; the store
 * keeps an admin within her own locations again.
 */
#include "capi_console.h"
#include "cstore_fleet.h"
#include "vp_core.h"
#include "vp_alloc.h"
#include "vp_json.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <string.h>

#define LOCATIONS_MAX 64 /* locations in one grant */

void capi_audit_list(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *action = chttp_query(req, "action"), *limit = chttp_query(req, "limit");
    int64_t n = 200;
    json_t *out = NULL;
    vp_result res;
    if ((action && !capi_code_valid(action, 32)) || (limit && !vp_parse_i64(limit, 1, 1000, &n))) {
        capi_bad(req, resp);
        return;
    }
    res = cstore_console_audit(req->app->store, req->coach.id, action, (int)n, &out);
    capi_answer(req, resp, res, res ? NULL : json_pack("{s:o}", "audit", out));
}

void capi_admin_locations(struct chttp_req *req, struct chttp_resp *resp)
{
    json_t *out = NULL;
    vp_result res = cstore_console_locations(req->app->store, req->coach.id, vp_now_ms(), &out);
    capi_answer(req, resp, res, res ? NULL : json_pack("{s:o}", "locations", out));
}

/* 409 with a plain sentence saying what is taken. */
static void exists(struct chttp_req *req, struct chttp_resp *resp, const char *key)
{
    chttp_error(req, resp, 409, "exists", vp_tr_in(req->lang, key));
}

void capi_admin_location_add(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "name", "org", NULL };
    struct vp_json_err err;
    const char *name = NULL, *org = NULL;
    json_t *js = capi_body(req, resp, keys), *out = NULL;
    vp_result res;
    if (!js)
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_get_str(js, "name", true, 80, &name, &err) ||
        !vp_json_get_str(js, "org", true, 80, &org, &err) || !*name) {
        capi_invalid(req, resp, *err.field ? err.field : "name");
    } else {
        res = cstore_console_location_add(req->app->store, req->coach.id, name, org, req->ip,
                                          vp_now_ms(), &out);
        if (res == VP_ERR_EXISTS)
            exists(req, resp, "api.admin.location_exists");
        else
            capi_answer(req, resp, res, res ? NULL : out);
    }
    json_decref(js);
}

void capi_admin_code(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *id = capi_id(req, resp);
    json_t *out = NULL;
    vp_result res;
    if (!id)
        return;
    res = cstore_console_code_new(req->app->store, req->coach.id, id, req->ip, vp_now_ms(), &out);
    capi_answer(req, resp, res, res ? NULL : out);
}

/* {"contact"}: the privacy contact of the location's organisation. */
void capi_admin_privacy(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "contact", NULL };
    const char *id = capi_id(req, resp), *contact = NULL;
    struct vp_json_err err;
    json_t *js;
    vp_result res;
    if (!id || !(js = capi_body(req, resp, keys)))
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_get_str(js, "contact", true, 1024, &contact, &err))
        capi_invalid(req, resp, "contact");
    else if ((res = cstore_console_privacy_contact_set(req->app->store, req->coach.id, id, contact,
                                                       req->ip, vp_now_ms())) == VP_ERR_INVALID)
        capi_invalid(req, resp, "contact");
    else
        capi_answer(req, resp, res, NULL);
    json_decref(js);
}

/* ---- tablets: the fleet view (cstore_fleet.h) ---- */

void capi_admin_devices(struct chttp_req *req, struct chttp_resp *resp)
{
    json_t *out = NULL;
    vp_result res =
        cstore_fleet_list(req->app->store, req->coach.id, VP_VERSION, vp_now_ms(), &out);
    capi_answer(req, resp, res, res ? NULL : out);
}

void capi_admin_device_name(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "name", NULL };
    struct vp_json_err err;
    const char *id = capi_id(req, resp), *name = NULL;
    json_t *js;
    vp_result res;
    if (!id || !(js = capi_body(req, resp, keys)))
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_get_str(js, "name", true, CFLEET_NAME_MAX_CHARS, &name, &err)) {
        capi_invalid(req, resp, "name");
    } else {
        res = cstore_fleet_rename(req->app->store, req->coach.id, id, name, req->ip, vp_now_ms());
        if (res == VP_ERR_INVALID)
            capi_invalid(req, resp, "name");
        else
            capi_answer(req, resp, res, NULL);
    }
    json_decref(js);
}

void capi_admin_location_closed(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "until", NULL };
    struct vp_json_err err;
    const char *id = capi_id(req, resp), *until = NULL;
    json_t *js;
    vp_result res;
    if (!id || !(js = capi_body(req, resp, keys)))
        return;
    memset(&err, 0, sizeof(err));
    if (json_is_null(json_object_get(js, "until"))) {
        until = ""; /* null opens it again, as "" does */
    } else if (!vp_json_get_str(js, "until", true, 10, &until, &err)) {
        capi_invalid(req, resp, "until");
        json_decref(js);
        return;
    }
    res = cstore_fleet_close(req->app->store, req->coach.id, id, until, req->ip, vp_now_ms());
    if (res == VP_ERR_INVALID)
        capi_invalid(req, resp, "until");
    else
        capi_answer(req, resp, res, NULL);
    json_decref(js);
}

void capi_fleet_quiet(struct chttp_req *req, struct chttp_resp *resp)
{
    json_t *out = NULL;
    vp_result res = cstore_fleet_quiet(req->app->store, req->coach.id, vp_now_ms(), &out);
    capi_answer(req, resp, res, res ? NULL : json_pack("{s:o}", "locations", out));
}

void capi_admin_revoke(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *id = capi_id(req, resp);
    if (id)
        capi_answer(
            req, resp,
            cstore_console_device_revoke(req->app->store, req->coach.id, id, req->ip, vp_now_ms()),
            NULL);
}

void capi_admin_coaches(struct chttp_req *req, struct chttp_resp *resp)
{
    json_t *out = NULL;
    vp_result res = cstore_console_coaches(req->app->store, req->coach.id, &out);
    capi_answer(req, resp, res, res ? NULL : json_pack("{s:o}", "coaches", out));
}

/* Reads "locations" (array of uuids) and "admin"; false after an answer. */
static bool read_assign(struct chttp_req *req, struct chttp_resp *resp, json_t *js,
                        const char *ids[], size_t *n, bool *admin)
{
    json_t *arr = json_object_get(js, "locations"), *adm = json_object_get(js, "admin");
    *n = json_array_size(arr);
    if (!json_is_array(arr) || *n > LOCATIONS_MAX) {
        capi_invalid(req, resp, "locations");
        return false;
    }
    if (adm && !json_is_boolean(adm)) {
        capi_invalid(req, resp, "admin");
        return false;
    }
    *admin = json_is_true(adm);
    for (size_t i = 0; i < *n; i++) {
        ids[i] = json_string_value(json_array_get(arr, i));
        if (!ids[i] || !vp_uuid_valid(ids[i])) {
            capi_invalid(req, resp, "locations");
            return false;
        }
    }
    return true;
}

/* Adding a coach hashes her password (argon2id, 64 MiB): that runs on the
 * worker pool (chttp_defer), never on a request thread. */
struct coach_add_job {
    struct cstore *store;
    json_t *js; /* owns the strings below */
    const char *email, *name, *password, *ids[LOCATIONS_MAX];
    size_t n;
    bool admin;
    char coach_id[VP_UUID_LEN], ip[64];
    vp_result res;
    json_t *out;
};

static void coach_add_work(void *ctx)
{
    struct coach_add_job *j = ctx;
    j->res = cstore_console_coach_add(j->store, j->coach_id, j->email, j->name, j->password, j->ids,
                                      j->n, j->admin, j->ip, vp_now_ms(), &j->out);
}

static void coach_add_finish(struct chttp_req *req, struct chttp_resp *resp, void *ctx)
{
    struct coach_add_job *j = ctx;
    if (j->res == VP_ERR_EXISTS)
        exists(req, resp, "api.admin.coach_exists");
    else
        capi_answer(req, resp, j->res, j->res ? NULL : j->out);
    j->out = NULL; /* capi_answer took it */
}

static void coach_add_free(void *ctx)
{
    struct coach_add_job *j = ctx;
    json_decref(j->out);
    json_decref(j->js);
    free(j);
}

void capi_admin_coach_add(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "email", "name", "password", "locations", "admin", NULL };
    struct vp_json_err err;
    struct coach_add_job *j;
    json_t *js = capi_body(req, resp, keys);
    if (!js)
        return;
    j = vp_xcalloc(1, sizeof(*j));
    j->store = req->app->store;
    j->js = js;
    vp_strlcpy(j->coach_id, req->coach.id, sizeof(j->coach_id));
    vp_strlcpy(j->ip, req->ip, sizeof(j->ip));
    memset(&err, 0, sizeof(err));
    if (!vp_json_get_str(js, "email", true, 254, &j->email, &err) ||
        !vp_json_get_str(js, "name", true, 80, &j->name, &err) ||
        !vp_json_get_str(js, "password", true, 1024, &j->password, &err)) {
        capi_invalid(req, resp, err.field);
        coach_add_free(j);
    } else if (!read_assign(req, resp, js, j->ids, &j->n, &j->admin) ||
               !chttp_defer(req, resp, coach_add_work, coach_add_finish, j, coach_add_free)) {
        coach_add_free(j); /* answered: invalid, or 429 with the pool full */
    }
}

void capi_admin_coach_set(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "locations", "admin", NULL };
    const char *id = capi_id(req, resp), *ids[LOCATIONS_MAX];
    size_t n = 0;
    bool admin = false;
    json_t *js;
    if (!id || !(js = capi_body(req, resp, keys)))
        return;
    if (read_assign(req, resp, js, ids, &n, &admin))
        capi_answer(req, resp,
                    cstore_console_coach_set(req->app->store, req->coach.id, id, ids, n, admin,
                                             req->ip, vp_now_ms()),
                    NULL);
    json_decref(js);
}
