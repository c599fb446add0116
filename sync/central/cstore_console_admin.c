/*
 * cstore_console_admin.c - the console's Beheer pages: locations, enrolment
 * codes, revoking a device (the fleet view is cstore_fleet.c), coach accounts
 * and their locations, the audit log. Every call checks the admin flag and
 * keeps the admin within her own locations (cst_coach_scope(), the same
 * rule the route table applies before the handler); every change is one
 * transaction with its audit entry.
 */
#include "cstore_console_int.h"
#include "cstore_signal.h"
#include "vp_str.h"
#include "vp_time.h"
#include <sodium.h>
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

/* Commits when res is VP_OK, else rolls back; returns the outcome. */
static vp_result finish(struct cconn *c, vp_result res)
{
    if (!res)
        res = cst_commit(c);
    if (res)
        cst_rollback(c);
    return res;
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
                " (SELECT COUNT(*) FROM coach_locations cl WHERE cl.location_id = l.id),"
                " COALESCE((SELECT os.privacy_contact FROM org_settings os WHERE os.org = l.org),"
                " '') FROM locations l JOIN coach_locations me ON me.location_id = l.id AND "
                "me.coach_id = ?2"
                " ORDER BY l.name";

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
    cst_bind_text(s, 2, coach_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(
            *out,
            json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "id", cst_col(s, 0), "name",
                      cst_col(s, 1), "org", cst_col(s, 2), "devices", (json_int_t)cst_col_int(s, 3),
                      "children", (json_int_t)cst_col_int(s, 4), "signals",
                      (json_int_t)cst_col_int(s, 5), "open_codes", (json_int_t)cst_col_int(s, 6),
                      "coaches", (json_int_t)cst_col_int(s, 7), "privacy_contact", cst_col(s, 8)));
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
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    if (!(res = cst_location_add(c, name, org, now_ms, &loc))) {
        /* the admin who creates a location holds it */
        s = cst_prep(c, SQL_ASSIGN);
        cst_bind_text(s, 1, coach_id);
        cst_bind_text(s, 2, loc.id);
        res = cst_done(c, s);
    }
    if (!res)
        res = cst_audit(c, coach_id, "location_add", NULL, loc.id, name, ip, now_ms);
    if ((res = finish(c, res)) != VP_OK)
        return res;
    *out = json_pack("{s:s,s:s,s:s}", "id", loc.id, "name", loc.name, "org", loc.org);
    return VP_OK;
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
    if ((res = cst_coach_scope(c, coach_id, CSTORE_KIND_LOCATION, location_id, NULL)) != VP_OK ||
        (res = cstore_location_get(st, location_id, &loc)) != VP_OK ||
        (res = cst_begin(c)) != VP_OK)
        return res;
    res = cstore_enroll_code_new(st, location_id, now_ms, code);
    /* the code itself is a secret: the audit names only the location */
    if (!res)
        res = cst_audit(c, coach_id, "enroll_code", NULL, location_id, NULL, ip, now_ms);
    if ((res = finish(c, res)) != VP_OK)
        return res;
    vp_time_format(now_ms + CSTORE_CODE_DAYS * DAY_MS, expires);
    *out = json_pack("{s:s,s:s,s:s,s:s}", "code", code, "expires_at", expires, "location_id",
                     loc.id, "location", loc.name);
    return VP_OK;
}

/* ---- devices ---- */

static const char SQL_DEVICE_NAME[] = "SELECT name FROM devices WHERE id = ?1";

vp_result cstore_console_device_revoke(struct cstore *st, const char *coach_id,
                                       const char *device_id, const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    char loc[VP_UUID_LEN], detail[200];
    sqlite3_stmt *s;
    if (!c)
        return res;
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    if (!(res = cst_coach_scope(c, coach_id, CSTORE_KIND_DEVICE, device_id, loc))) {
        s = cst_prep(c, SQL_DEVICE_NAME);
        cst_bind_text(s, 1, device_id);
        vp_snprintf(detail, sizeof(detail), "device=%s name=%s", device_id,
                    sqlite3_step(s) == SQLITE_ROW ? cst_col(s, 0) : "");
        sqlite3_reset(s);
        res = cstore_device_revoke(st, device_id);
    }
    if (!res)
        res = cst_audit(c, coach_id, "device_revoke", NULL, loc, detail, ip, now_ms);
    return finish(c, res);
}

/* ---- coach accounts ---- */

static const char SQL_COACHES[] =
    "SELECT c.id, c.email, c.name, (SELECT MAX(at) FROM audit a WHERE a.coach_id = c.id"
    " AND a.action = 'login') FROM coaches c"
    /* herself, those who share a location with her, and those without any */
    " WHERE c.id = ?1 OR EXISTS (SELECT 1 FROM coach_locations x WHERE x.coach_id = c.id"
    "  AND x.location_id IN (SELECT location_id FROM coach_locations WHERE coach_id = ?1))"
    " OR NOT EXISTS (SELECT 1 FROM coach_locations x WHERE x.coach_id = c.id)"
    " ORDER BY c.name, c.email";
/* a coach's locations, as far as they are the viewer's */
static const char SQL_COACH_LOCS[] =
    "SELECT l.id, l.name FROM coach_locations cl JOIN locations l ON l.id = cl.location_id"
    " WHERE cl.coach_id = ?1 AND cl.location_id IN"
    " (SELECT location_id FROM coach_locations WHERE coach_id = ?2) ORDER BY l.name";

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
    cst_bind_text(s, 1, coach_id);
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
        json_object_set_new(o, "editable",
                            json_boolean(cst_coach_may_manage(c, coach_id, id) == VP_OK));
        s = cst_prep(c, SQL_COACH_LOCS);
        cst_bind_text(s, 1, id);
        cst_bind_text(s, 2, coach_id);
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

static vp_result simple(struct cconn *c, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *s = cst_prep(c, sql);
    if (a)
        cst_bind_text(s, 1, a);
    if (b)
        cst_bind_text(s, 2, b);
    return cst_done(c, s);
}

/* Every location exists (else VP_ERR_NOT_FOUND) and is the admin's (else
 * VP_ERR_REFUSED): she grants only what she holds. */
static vp_result grantable(struct cconn *c, const char *admin_id, const char *const *locations,
                           size_t nloc)
{
    vp_result res = VP_OK;
    for (size_t i = 0; !res && i < nloc; i++)
        res = cst_coach_scope(c, admin_id, CSTORE_KIND_LOCATION, locations[i], NULL);
    return res;
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
    for (size_t i = 0; !res && i < nloc; i++)
        res = simple(c, SQL_ASSIGN, target, locations[i]);
    return res ? res : simple(c, admin ? SQL_ADMIN_ADD : SQL_ADMIN_DEL, target, NULL);
}

vp_result cstore_console_coach_set(struct cstore *st, const char *coach_id, const char *target,
                                   const char *const *locations, size_t nloc, bool admin,
                                   const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    char detail[120];
    if (!c)
        return res;
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    vp_snprintf(detail, sizeof(detail), "coach=%s locations=%zu admin=%s", target, nloc,
                admin ? "yes" : "no");
    if (!(res = cst_coach_may_manage(c, coach_id, target)) &&
        !(res = grantable(c, coach_id, locations, nloc)) &&
        !(res = coach_apply(c, target, locations, nloc, admin)))
        res = cst_audit(c, coach_id, "coach_update", NULL, NULL, detail, ip, now_ms);
    return finish(c, res);
}

vp_result cstore_console_coach_add(struct cstore *st, const char *coach_id, const char *email,
                                   const char *name, const char *password,
                                   const char *const *locations, size_t nloc, bool admin,
                                   const char *ip, int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = admin_conn(st, coach_id, &res);
    struct cstore_coach added;
    char detail[320], hash[256];
    if (!c)
        return res;
    /* the slow hash before the write lock is taken */
    if ((res = cst_coach_hash(password, hash, sizeof(hash))) != VP_OK ||
        (res = cst_begin(c)) != VP_OK)
        return res;
    if (!(res = grantable(c, coach_id, locations, nloc)) &&
        !(res = cst_coach_insert(c, email, name, hash, now_ms, &added)) &&
        !(res = coach_apply(c, added.id, locations, nloc, admin))) {
        vp_snprintf(detail, sizeof(detail), "coach=%s email=%s", added.id, email);
        res = cst_audit(c, coach_id, "coach_add", NULL, NULL, detail, ip, now_ms);
    }
    sodium_memzero(hash, sizeof(hash));
    if ((res = finish(c, res)) != VP_OK)
        return res;
    *out = json_pack("{s:s,s:s,s:s}", "id", added.id, "email", added.email, "name", added.name);
    return VP_OK;
}

/* ---- the audit log ---- */

/* Who sees which entries: her own, those of her locations, and for an
 * admin those without a location by nobody or by a coach she may manage.
 * Of an entry outside her locations (her own denied attempts, say) the
 * child, location and detail are left out. */
#define HELD "(a.location_id IN (SELECT location_id FROM coach_locations WHERE coach_id = ?1))"
static const char SQL_AUDIT[] =
    "SELECT a.at, COALESCE(c.name, ''), a.action,"
    " CASE WHEN " HELD " THEN COALESCE(a.child_id, '') ELSE '' END,"
    " CASE WHEN " HELD " THEN a.location_id ELSE '' END,"
    " CASE WHEN " HELD " THEN COALESCE(l.name, '') ELSE '' END,"
    " CASE WHEN a.location_id IS NULL OR " HELD " THEN a.detail ELSE '' END, a.ip,"
    " CASE WHEN " HELD " THEN COALESCE(ch.pseudonym, '') ELSE '' END"
    " FROM audit a LEFT JOIN coaches c ON c.id = a.coach_id"
    " LEFT JOIN locations l ON l.id = a.location_id"
    " LEFT JOIN children ch ON ch.child_id = a.child_id"
    " WHERE (a.coach_id = ?1 OR " HELD " OR (?2 AND a.location_id IS NULL AND a.child_id IS NULL"
    "  AND (a.coach_id IS NULL OR NOT EXISTS (SELECT 1 FROM coach_locations x"
    "   WHERE x.coach_id = a.coach_id AND x.location_id NOT IN"
    "   (SELECT location_id FROM coach_locations WHERE coach_id = ?1)))))"
    " AND (?3 IS NULL OR a.action = ?3) ORDER BY a.id DESC LIMIT ?4";
#undef HELD

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
