/*
 * cstore_console_admin.c - the console's Beheer pages: locations, enrolment
 * codes, devices (last contact, silent for 3 days, revoke), coach accounts
 * and their locations, the audit log. Every call checks the admin flag;
 * every change is audited.
 */
#include "cstore_console_int.h"
#include "cstore_signal.h"
#include "vp_str.h"
#include "vp_time.h"
#include <stdio.h>
#include <string.h>

#define DAY_MS (24LL * 3600 * 1000)

/* The admin check every function starts with. */
static struct cconn *admin_conn(struct cstore *st, const char *coach_id, vp_result *res)
{
    struct cconn *c = ccon_conn(st, res);
    if (c && (!coach_id || !ccon_is_admin(c, coach_id))) {
        *res = VP_ERR_REFUSED;
        return NULL;
    }
    return c;
}

static vp_result rows_done(struct cconn *c, int rc, json_t **out)
{
    if (rc == SQLITE_DONE)
        return VP_OK;
    json_decref(*out);
    *out = NULL;
    return cst_result(c, rc);
}

/* ---- locations and codes ---- */

static const char SQL_LOCATIONS[] =
    "SELECT l.id, l.name, l.org,"
    " (SELECT COUNT(*) FROM devices d WHERE d.location_id = l.id AND d.revoked_at IS NULL),"
    " (SELECT COUNT(*) FROM children c WHERE c.location_id = l.id AND c.archived = "
    "0)," CST_LOCATION_SIGNALS(
        "l.id") ","
                " (SELECT COUNT(*) FROM enroll_codes e WHERE e.location_id = l.id AND e.used_at IS "
                "NULL"
                "  AND e.expires_at > ?1),"
                " (SELECT COUNT(*) FROM coach_locations cl WHERE cl.location_id = l.id)"
                " FROM locations l ORDER BY l.name";

vp_result cstore_console_locations(struct cstore *st, const char *coach_id, int64_t now_ms,
                                   json_t **out)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    sqlite3_stmt *s;
    int rc;
    if (!c)
        return res;
    *out = json_array();
    s = cst_prep(c, SQL_LOCATIONS);
    cst_bind_int(s, 1, now_ms);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(
            *out,
            json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "id", cst_col(s, 0), "name",
                      cst_col(s, 1), "org", cst_col(s, 2), "devices", (json_int_t)cst_col_int(s, 3),
                      "children", (json_int_t)cst_col_int(s, 4), "signals",
                      (json_int_t)cst_col_int(s, 5), "open_codes", (json_int_t)cst_col_int(s, 6),
                      "coaches", (json_int_t)cst_col_int(s, 7)));
    sqlite3_reset(s);
    return rows_done(c, rc, out);
}

static const char SQL_ASSIGN[] =
    "INSERT OR IGNORE INTO coach_locations(coach_id, location_id) VALUES (?1, ?2)";

vp_result cstore_console_location_add(struct cstore *st, const char *coach_id, const char *name,
                                      const char *org, const char *ip, int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    struct cstore_location loc;
    sqlite3_stmt *s;
    if (!c)
        return res;
    if ((res = cstore_location_add(st, name, org, &loc)) != VP_OK)
        return res;
    s = cst_prep(c, SQL_ASSIGN);
    cst_bind_text(s, 1, coach_id);
    cst_bind_text(s, 2, loc.id);
    if ((res = cst_done(c, s)) != VP_OK)
        return res;
    *out = json_pack("{s:s,s:s,s:s}", "id", loc.id, "name", loc.name, "org", loc.org);
    return cst_audit(c, coach_id, "location_add", NULL, loc.id, name, ip, now_ms);
}

vp_result cstore_console_code_new(struct cstore *st, const char *coach_id, const char *location_id,
                                  const char *ip, int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    struct cstore_location loc;
    char code[CSTORE_CODE_LEN], expires[VP_TIME_LEN];
    if (!c)
        return res;
    if ((res = cstore_location_get(st, location_id, &loc)) != VP_OK ||
        (res = cstore_enroll_code_new(st, location_id, now_ms, code)) != VP_OK)
        return res;
    vp_time_format(now_ms + CSTORE_CODE_DAYS * DAY_MS, expires);
    *out = json_pack("{s:s,s:s,s:s,s:s}", "code", code, "expires_at", expires, "location_id",
                     loc.id, "location", loc.name);
    /* the code itself is a secret: the audit names only the location */
    return cst_audit(c, coach_id, "enroll_code", NULL, location_id, NULL, ip, now_ms);
}

/* ---- devices ---- */

/* Last contact: the newest of enrolment, the last push that stored records
 * and the last authenticated request (devices.last_seen_at, noted at most
 * once a minute, so pulls count too). Push lag: how
 * long the oldest observation of that last push had waited on the tablet
 * (by the tablet's clock, so only a hint). */
static const char SQL_DEVICES[] =
    "WITH last AS (SELECT device_id, MAX(received_at) AS at FROM records GROUP BY device_id)"
    " SELECT d.id, d.name, d.location_id, l.name, d.created_at, d.revoked_at, last.at,"
    " MAX(d.created_at, COALESCE(last.at, 0), COALESCE(d.last_seen_at, 0)),"
    " (SELECT MAX(o.received_at - o.device_time) FROM observations o"
    "  WHERE o.device_id = d.id AND o.received_at = last.at)"
    " FROM devices d JOIN locations l ON l.id = d.location_id"
    " LEFT JOIN last ON last.device_id = d.id ORDER BY l.name, d.name, d.created_at";

vp_result cstore_console_devices(struct cstore *st, const char *coach_id, int64_t now_ms,
                                 json_t **out)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    sqlite3_stmt *s;
    int rc;
    if (!c)
        return res;
    *out = json_array();
    s = cst_prep(c, SQL_DEVICES);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *d = json_object();
        bool revoked = sqlite3_column_type(s, 5) != SQLITE_NULL;
        json_object_set_new(d, "id", json_string(cst_col(s, 0)));
        json_object_set_new(d, "name", json_string(cst_col(s, 1)));
        json_object_set_new(d, "location_id", json_string(cst_col(s, 2)));
        json_object_set_new(d, "location", json_string(cst_col(s, 3)));
        ccon_put_time(d, "enrolled_at", s, 4);
        ccon_put_time(d, "revoked_at", s, 5);
        ccon_put_time(d, "last_push", s, 6);
        ccon_put_time(d, "last_contact", s, 7);
        if (sqlite3_column_type(s, 8) == SQLITE_NULL)
            json_object_set_new(d, "push_lag_s", json_null());
        else
            json_object_set_new(d, "push_lag_s", json_integer(cst_col_int(s, 8) / 1000));
        json_object_set_new(d, "silent",
                            json_boolean(!revoked && now_ms - cst_col_int(s, 7) > CCON_SILENT_MS));
        json_array_append_new(*out, d);
    }
    sqlite3_reset(s);
    return rows_done(c, rc, out);
}

static const char SQL_DEVICE_LOC[] = "SELECT location_id, name FROM devices WHERE id = ?1";

vp_result cstore_console_device_revoke(struct cstore *st, const char *coach_id,
                                       const char *device_id, const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    char loc[VP_UUID_LEN], detail[200];
    sqlite3_stmt *s;
    int rc;
    if (!c)
        return res;
    s = cst_prep(c, SQL_DEVICE_LOC);
    cst_bind_text(s, 1, device_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        vp_strlcpy(loc, cst_col(s, 0), sizeof(loc));
        snprintf(detail, sizeof(detail), "device=%s name=%s", device_id, cst_col(s, 1));
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? VP_ERR_NOT_FOUND : cst_result(c, rc);
    if ((res = cstore_device_revoke(st, device_id)) != VP_OK)
        return res;
    return cst_audit(c, coach_id, "device_revoke", NULL, loc, detail, ip, now_ms);
}

/* ---- coach accounts ---- */

static const char SQL_COACHES[] =
    "SELECT c.id, c.email, c.name, (SELECT MAX(at) FROM audit a WHERE a.coach_id = c.id"
    " AND a.action = 'login') FROM coaches c ORDER BY c.name, c.email";
static const char SQL_COACH_LOCS[] =
    "SELECT l.id, l.name FROM coach_locations cl JOIN locations l ON l.id = cl.location_id"
    " WHERE cl.coach_id = ?1 ORDER BY l.name";

vp_result cstore_console_coaches(struct cstore *st, const char *coach_id, json_t **out)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    sqlite3_stmt *s;
    int rc;
    if (!c)
        return res;
    *out = json_array();
    s = cst_prep(c, SQL_COACHES);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(cst_col(s, 0)));
        json_object_set_new(o, "email", json_string(cst_col(s, 1)));
        json_object_set_new(o, "name", json_string(cst_col(s, 2)));
        ccon_put_time(o, "last_login", s, 3);
        json_array_append_new(*out, o);
    }
    sqlite3_reset(s);
    if ((res = rows_done(c, rc, out)) != VP_OK)
        return res;
    for (size_t i = 0; i < json_array_size(*out); i++) {
        json_t *o = json_array_get(*out, i), *locs = json_array();
        const char *id = json_string_value(json_object_get(o, "id"));
        json_object_set_new(o, "admin", json_boolean(ccon_is_admin(c, id)));
        s = cst_prep(c, SQL_COACH_LOCS);
        cst_bind_text(s, 1, id);
        while (sqlite3_step(s) == SQLITE_ROW)
            json_array_append_new(
                locs, json_pack("{s:s,s:s}", "id", cst_col(s, 0), "name", cst_col(s, 1)));
        sqlite3_reset(s);
        json_object_set_new(o, "locations", locs);
    }
    return VP_OK;
}

static const char SQL_UNASSIGN_ALL[] = "DELETE FROM coach_locations WHERE coach_id = ?1";
static const char SQL_ADMIN_ADD[] = "INSERT OR IGNORE INTO console_admins(coach_id) VALUES (?1)";
static const char SQL_ADMIN_DEL[] = "DELETE FROM console_admins WHERE coach_id = ?1";
static const char SQL_ADMIN_FREEZE[] =
    "INSERT OR IGNORE INTO console_admins(coach_id) SELECT id FROM coaches"
    " ORDER BY created_at, rowid LIMIT 1";
static const char SQL_LOC_EXISTS[] = "SELECT 1 FROM locations WHERE id = ?1";
static const char SQL_COACH_EXISTS[] = "SELECT 1 FROM coaches WHERE id = ?1";
static const char SQL_EMAIL_EXISTS[] = "SELECT 1 FROM coaches WHERE email = ?1 COLLATE NOCASE";

static vp_result simple(struct cconn *c, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *s = cst_prep(c, sql);
    if (a)
        cst_bind_text(s, 1, a);
    if (b)
        cst_bind_text(s, 2, b);
    return cst_done(c, s);
}

/* Sets locations and the admin flag inside a transaction. */
static vp_result coach_apply(struct cconn *c, const char *target, const char *const *locations,
                             size_t nloc, bool admin)
{
    vp_result res;
    /* the implicit first admin becomes explicit before the list changes */
    if ((res = simple(c, SQL_ADMIN_FREEZE, NULL, NULL)) != VP_OK ||
        (res = simple(c, SQL_UNASSIGN_ALL, target, NULL)) != VP_OK)
        return res;
    for (size_t i = 0; i < nloc; i++) {
        sqlite3_stmt *s = cst_prep(c, SQL_LOC_EXISTS);
        bool known;
        cst_bind_text(s, 1, locations[i]);
        known = sqlite3_step(s) == SQLITE_ROW;
        sqlite3_reset(s);
        if (!known)
            return VP_ERR_NOT_FOUND;
        if ((res = simple(c, SQL_ASSIGN, target, locations[i])) != VP_OK)
            return res;
    }
    return simple(c, admin ? SQL_ADMIN_ADD : SQL_ADMIN_DEL, target, NULL);
}

vp_result cstore_console_coach_set(struct cstore *st, const char *coach_id, const char *target,
                                   const char *const *locations, size_t nloc, bool admin,
                                   const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    char detail[120];
    sqlite3_stmt *s;
    bool known;
    if (!c)
        return res;
    if (!strcmp(coach_id, target) && !admin)
        return VP_ERR_INVALID; /* keep at least the admin who is doing this */
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    s = cst_prep(c, SQL_COACH_EXISTS);
    cst_bind_text(s, 1, target);
    known = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    snprintf(detail, sizeof(detail), "coach=%s locations=%zu admin=%s", target, nloc,
             admin ? "yes" : "no");
    res = known ? coach_apply(c, target, locations, nloc, admin) : VP_ERR_NOT_FOUND;
    if (!res)
        res = cst_audit(c, coach_id, "coach_update", NULL, NULL, detail, ip, now_ms);
    if (!res)
        res = cst_commit(c);
    if (res)
        cst_rollback(c);
    return res;
}

vp_result cstore_console_coach_add(struct cstore *st, const char *coach_id, const char *email,
                                   const char *name, const char *password,
                                   const char *const *locations, size_t nloc, bool admin,
                                   const char *ip, int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    struct cstore_coach added;
    char detail[320];
    sqlite3_stmt *s;
    bool exists;
    if (!c)
        return res;
    s = cst_prep(c, SQL_EMAIL_EXISTS);
    cst_bind_text(s, 1, email);
    exists = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    if (exists)
        return VP_ERR_CONSTRAINT; /* an admin does not reset passwords this way */
    if ((res = cstore_coach_add(st, email, name, password, NULL, 0, &added)) != VP_OK)
        return res;
    if ((res = cstore_console_coach_set(st, coach_id, added.id, locations, nloc, admin, ip,
                                        now_ms)) != VP_OK)
        return res;
    snprintf(detail, sizeof(detail), "coach=%s email=%s", added.id, email);
    *out = json_pack("{s:s,s:s,s:s}", "id", added.id, "email", added.email, "name", added.name);
    return cst_audit(c, coach_id, "coach_add", NULL, NULL, detail, ip, now_ms);
}

/* ---- the audit log ---- */

static const char SQL_AUDIT[] =
    "SELECT a.at, COALESCE(c.name, ''), a.action, COALESCE(a.child_id, ''),"
    " COALESCE(a.location_id, ''), COALESCE(l.name, ''), a.detail, a.ip,"
    " CASE WHEN a.location_id IN (SELECT location_id FROM coach_locations WHERE coach_id = ?1)"
    "  THEN COALESCE(ch.pseudonym, '') ELSE '' END"
    " FROM audit a LEFT JOIN coaches c ON c.id = a.coach_id"
    " LEFT JOIN locations l ON l.id = a.location_id"
    " LEFT JOIN children ch ON ch.child_id = a.child_id"
    " WHERE (?2 OR a.coach_id = ?1 OR a.location_id IN"
    "  (SELECT location_id FROM coach_locations WHERE coach_id = ?1))"
    " AND (?3 IS NULL OR a.action = ?3) ORDER BY a.id DESC LIMIT ?4";

vp_result cstore_console_audit(struct cstore *st, const char *coach_id, const char *action,
                               int limit, json_t **out)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    sqlite3_stmt *s;
    int rc;
    if (!c)
        return res;
    *out = json_array();
    s = cst_prep(c, SQL_AUDIT);
    cst_bind_text(s, 1, coach_id);
    cst_bind_int(s, 2, ccon_is_admin(c, coach_id));
    cst_bind_text(s, 3, action);
    cst_bind_int(s, 4, limit < 1 ? 100 : limit > 1000 ? 1000 : limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *e = json_object();
        ccon_put_time(e, "at", s, 0);
        json_object_set_new(e, "coach", json_string(cst_col(s, 1)));
        json_object_set_new(e, "action", json_string(cst_col(s, 2)));
        json_object_set_new(e, "child_id", json_string(cst_col(s, 3)));
        json_object_set_new(e, "location_id", json_string(cst_col(s, 4)));
        json_object_set_new(e, "location", json_string(cst_col(s, 5)));
        json_object_set_new(e, "detail", json_string(cst_col(s, 6)));
        json_object_set_new(e, "ip", json_string(cst_col(s, 7)));
        json_object_set_new(e, "pseudonym", json_string(cst_col(s, 8)));
        json_array_append_new(*out, e);
    }
    sqlite3_reset(s);
    return rows_done(c, rc, out);
}
