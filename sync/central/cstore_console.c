/*
 * cstore_console.c - the console's own reads and writes: the inbox, seen and
 * archived signals, the child's page, the dossier export, filtered CSV and
 * the catalog. (Overview metrics: cstore_console_stats.c; admin pages:
 * cstore_console_admin.c.)
 */
#include "cstore_console.h"
#include "cstore_console_int.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include "vp_time.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the console's tables ---- */

/* The console's tables are created by migration 2 (cstore_schema.c). */
struct cconn *ccon_conn(struct cstore *st, vp_result *res)
{
    return cst_conn(st, res);
}

void ccon_put_time(json_t *o, const char *key, sqlite3_stmt *s, int col)
{
    char t[VP_TIME_LEN];
    if (sqlite3_column_type(s, col) == SQLITE_NULL) {
        json_object_set_new(o, key, json_null());
        return;
    }
    vp_time_format(cst_col_int(s, col), t);
    json_object_set_new(o, key, json_string(t));
}

json_t *ccon_codes(const char *list)
{
    json_t *a = json_array();
    char buf[VP_MAX_SIGNALS * VP_CODE_LEN + 1];
    vp_strlcpy(buf, list, sizeof(buf));
    for (char *p = buf; *p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        json_array_append_new(a, json_string(p));
        p = comma ? comma + 1 : p + strlen(p);
    }
    return a;
}

/* ---- the inbox ---- */

/* ?1 coach, ?2 location, ?3 level, ?4 domain, ?5 status, ?6 since, ?7 view, ?8 limit */
#define INBOX_FROM " FROM observations o LEFT JOIN cases k ON k.child_id = o.child_id" INBOX_WHERE
#define INBOX_WHERE                                                                                \
    " LEFT JOIN console_seen sn ON sn.observation_id = o.id AND sn.coach_id = ?1"                  \
    " LEFT JOIN console_archive ar ON ar.observation_id = o.id"                                    \
    " WHERE o.location_id IN (SELECT location_id FROM coach_locations WHERE coach_id = ?1)"        \
    " AND o.received_at >= ?6 AND o.retracted = 0"                                                 \
    " AND o.id NOT IN (SELECT corrects FROM observations WHERE corrects IS NOT NULL)"              \
    " AND (?3 = 0 OR o.level = ?3)"                                                                \
    " AND (?4 IS NULL OR (',' || o.signals) LIKE '%,' || ?4 || '-%')"                              \
    " AND (?5 IS NULL OR (?5 = 'open' AND COALESCE(k.status, 'new') <> 'closed')"                  \
    "  OR COALESCE(k.status, 'new') = ?5)"                                                         \
    " AND CASE ?7 WHEN 0 THEN sn.observation_id IS NULL AND ar.observation_id IS NULL"             \
    "  WHEN 1 THEN ar.observation_id IS NULL ELSE ar.observation_id IS NOT NULL END"
static const char SQL_INBOX[] =
    "SELECT o.id, o.child_id, o.location_id, o.signals, o.level, o.frequency, o.situation,"
    " o.note, o.device_time, o.received_at, COALESCE(s.display_name, ''),"
    " COALESCE(k.status, 'new'), sn.observation_id IS NOT NULL, ar.reason, o.parents_informed,"
    " o.consultation FROM observations o LEFT JOIN cases k ON k.child_id = o.child_id"
    " LEFT JOIN staff s ON s.staff_id = o.staff_id" INBOX_WHERE
    " AND (?2 IS NULL OR o.location_id = ?2)"
    " ORDER BY o.received_at DESC, o.id DESC LIMIT ?8";
static const char SQL_INBOX_COUNTS[] =
    "SELECT l.id, l.name, (SELECT COUNT(*)" INBOX_FROM " AND o.location_id = l.id)"
    " FROM coach_locations cl JOIN locations l ON l.id = cl.location_id"
    " WHERE cl.coach_id = ?1 AND ?2 IS ?2 AND ?8 = ?8 ORDER BY l.name";

static void bind_inbox(sqlite3_stmt *s, const char *coach_id, const struct ccon_filter *f,
                       int limit)
{
    cst_bind_text(s, 1, coach_id);
    cst_bind_text(s, 2, f->location_id);
    cst_bind_int(s, 3, f->level);
    cst_bind_text(s, 4, f->domain);
    cst_bind_text(s, 5, f->status);
    cst_bind_int(s, 6, f->since_ms);
    cst_bind_int(s, 7, (int64_t)f->view);
    cst_bind_int(s, 8, (int64_t)limit + 1);
}

static json_t *inbox_row(sqlite3_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(cst_col(s, 0)));
    json_object_set_new(o, "child_id", json_string(cst_col(s, 1)));
    json_object_set_new(o, "location_id", json_string(cst_col(s, 2)));
    json_object_set_new(o, "signals", ccon_codes(cst_col(s, 3)));
    json_object_set_new(o, "level", json_integer(cst_col_int(s, 4)));
    json_object_set_new(o, "frequency", json_string(cst_col(s, 5)));
    json_object_set_new(o, "situation", json_string(cst_col(s, 6)));
    json_object_set_new(o, "note", json_string(cst_col(s, 7)));
    ccon_put_time(o, "device_time", s, 8);
    ccon_put_time(o, "received_at", s, 9);
    json_object_set_new(o, "staff", json_string(cst_col(s, 10)));
    json_object_set_new(o, "case_status", json_string(cst_col(s, 11)));
    json_object_set_new(o, "seen", json_boolean(cst_col_int(s, 12)));
    json_object_set_new(o, "archived",
                        sqlite3_column_type(s, 13) == SQLITE_NULL ? json_null()
                                                                  : json_string(cst_col(s, 13)));
    json_object_set_new(o, "parents_informed", json_boolean(cst_col_int(s, 14)));
    json_object_set_new(o, "consultation", json_string(cst_col(s, 15)));
    return o;
}

/* Runs the inbox query into *rows and the child views into *children. */
static vp_result inbox_rows(struct cconn *c, const char *coach_id, const struct ccon_filter *f,
                            int limit, int64_t now_ms, json_t **rows, json_t **children, bool *more)
{
    sqlite3_stmt *s = cst_prep(c, SQL_INBOX);
    int rc, n = 0;
    *rows = json_array();
    *children = json_object();
    *more = false;
    bind_inbox(s, coach_id, f, limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *child = cst_col(s, 1);
        if (n++ == limit) {
            *more = true;
            break;
        }
        if (!json_object_get(*children, child)) {
            json_t *view = cst_child_view(c, child, now_ms);
            json_object_set_new(*children, child, view ? view : json_null());
        }
        json_array_append_new(*rows, inbox_row(s));
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(*rows);
        json_decref(*children);
        return cst_result(c, rc);
    }
    return VP_OK;
}

vp_result cstore_console_inbox(struct cstore *st, const char *coach_id, const struct ccon_filter *f,
                               int64_t now_ms, json_t **out)
{
    int limit = f->limit > 0 && f->limit <= CCON_INBOX_MAX ? f->limit : 200;
    return cstore_console_inbox_all(st, coach_id, f, now_ms, limit, out);
}

vp_result cstore_console_inbox_all(struct cstore *st, const char *coach_id,
                                   const struct ccon_filter *f, int64_t now_ms, int limit,
                                   json_t **out)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    json_t *rows, *children, *locs;
    sqlite3_stmt *s;
    bool more;
    int rc;
    if (!c)
        return res;
    if (f->location_id && !cst_coach_may(c, coach_id, f->location_id))
        return VP_ERR_REFUSED;
    if ((res = inbox_rows(c, coach_id, f, limit, now_ms, &rows, &children, &more)) != VP_OK)
        return res;
    locs = json_array();
    s = cst_prep(c, SQL_INBOX_COUNTS);
    bind_inbox(s, coach_id, f, limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(locs,
                              json_pack("{s:s,s:s,s:I}", "id", cst_col(s, 0), "name", cst_col(s, 1),
                                        "count", (json_int_t)cst_col_int(s, 2)));
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        json_decref(children);
        json_decref(locs);
        return cst_result(c, rc);
    }
    *out = json_pack("{s:o,s:o,s:o,s:b}", "signals", rows, "children", children, "locations", locs,
                     "more", more);
    return VP_OK;
}

/* ---- seen and archived ---- */

static const char SQL_OBS_LOC[] = "SELECT location_id, child_id FROM observations WHERE id = ?1";
static const char SQL_SEEN_ADD[] =
    "INSERT OR IGNORE INTO console_seen(observation_id, coach_id, seen_at) VALUES (?1, ?2, ?3)";
static const char SQL_ARCHIVE_ADD[] =
    "INSERT INTO console_archive(observation_id, coach_id, reason, archived_at)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(observation_id) DO UPDATE SET coach_id = ?2,"
    " reason = ?3, archived_at = ?4";
static const char SQL_ARCHIVE_DEL[] = "DELETE FROM console_archive WHERE observation_id = ?1";

/* The observation's location and child, checked against the coach. */
static vp_result obs_check(struct cconn *c, const char *coach_id, const char *id,
                           char loc[VP_UUID_LEN], char child[VP_UUID_LEN])
{
    sqlite3_stmt *s = cst_prep(c, SQL_OBS_LOC);
    int rc;
    cst_bind_text(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        vp_strlcpy(loc, cst_col(s, 0), VP_UUID_LEN);
        vp_strlcpy(child, cst_col(s, 1), VP_UUID_LEN);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? VP_ERR_NOT_FOUND : cst_result(c, rc);
    return cst_coach_may(c, coach_id, loc) ? VP_OK : VP_ERR_REFUSED;
}

vp_result cstore_console_mark_seen(struct cstore *st, const char *coach_id, const char *const *ids,
                                   size_t n, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    char loc[VP_UUID_LEN], child[VP_UUID_LEN];
    if (!c)
        return res;
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    for (size_t i = 0; !res && i < n; i++) {
        sqlite3_stmt *s;
        if ((res = obs_check(c, coach_id, ids[i], loc, child)) != VP_OK)
            break;
        s = cst_prep(c, SQL_SEEN_ADD);
        cst_bind_text(s, 1, ids[i]);
        cst_bind_text(s, 2, coach_id);
        cst_bind_int(s, 3, now_ms);
        res = cst_done(c, s);
    }
    if (!res)
        res = cst_commit(c);
    if (res)
        cst_rollback(c);
    return res;
}

static bool archive_reason_ok(const char *r)
{
    return !strcmp(r, "no_follow_up") || !strcmp(r, "duplicate") || !strcmp(r, "other");
}

vp_result cstore_console_archive(struct cstore *st, const char *coach_id, const char *obs_id,
                                 const char *reason, const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    char loc[VP_UUID_LEN], child[VP_UUID_LEN], detail[120];
    sqlite3_stmt *s;
    if (!c)
        return res;
    if (reason && !archive_reason_ok(reason))
        return VP_ERR_INVALID;
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    if ((res = obs_check(c, coach_id, obs_id, loc, child)) != VP_OK) {
        cst_rollback(c);
        return res;
    }
    s = cst_prep(c, reason ? SQL_ARCHIVE_ADD : SQL_ARCHIVE_DEL);
    cst_bind_text(s, 1, obs_id);
    if (reason) {
        cst_bind_text(s, 2, coach_id);
        cst_bind_text(s, 3, reason);
        cst_bind_int(s, 4, now_ms);
    }
    snprintf(detail, sizeof(detail), "signal=%s reason=%s", obs_id, reason ? reason : "-");
    res = cst_done(c, s);
    if (!res)
        res = cst_audit(c, coach_id, reason ? "archive" : "unarchive", child, loc, detail, ip,
                        now_ms);
    if (!res)
        res = cst_commit(c);
    if (res)
        cst_rollback(c);
    return res;
}

/* ---- the child's page and the dossier export ---- */

static const char SQL_CHILD_MARKS[] =
    "SELECT o.id, COALESCE(s.display_name, ''), EXISTS (SELECT 1 FROM console_seen sn"
    " WHERE sn.observation_id = o.id AND sn.coach_id = ?2), ar.reason FROM observations o"
    " LEFT JOIN staff s ON s.staff_id = o.staff_id"
    " LEFT JOIN console_archive ar ON ar.observation_id = o.id WHERE o.child_id = ?1";

vp_result cstore_console_child(struct cstore *st, const char *coach_id, const char *child_id,
                               const char *ip, int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    json_t *marks, *signals;
    sqlite3_stmt *s;
    size_t i;
    json_t *sig;
    if (!c)
        return res;
    if ((res = cstore_dossier(st, coach_id, child_id, ip, now_ms, out)) != VP_OK)
        return res;
    marks = json_object();
    s = cst_prep(c, SQL_CHILD_MARKS);
    cst_bind_text(s, 1, child_id);
    cst_bind_text(s, 2, coach_id);
    while (sqlite3_step(s) == SQLITE_ROW)
        json_object_set_new(marks, cst_col(s, 0),
                            json_pack("{s:s,s:b,s:o}", "staff", cst_col(s, 1), "seen",
                                      (int)cst_col_int(s, 2), "archived",
                                      sqlite3_column_type(s, 3) == SQLITE_NULL
                                          ? json_null()
                                          : json_string(cst_col(s, 3))));
    sqlite3_reset(s);
    signals = json_object_get(*out, "signals");
    json_array_foreach(signals, i, sig)
    {
        json_t *m = json_object_get(marks, json_string_value(json_object_get(sig, "id")));
        if (m)
            json_object_update(sig, m);
    }
    json_decref(marks);
    return VP_OK;
}

static const char SQL_CHILD_AUDIT[] =
    "SELECT a.at, COALESCE(c.name, ''), a.action, a.detail FROM audit a"
    " LEFT JOIN coaches c ON c.id = a.coach_id WHERE a.child_id = ?1 ORDER BY a.id";

vp_result cstore_console_dossier_export(struct cstore *st, const char *coach_id,
                                        const char *child_id, const char *ip, int64_t now_ms,
                                        json_t **out)
{
    vp_result res;
    struct cconn *c;
    json_t *audit;
    sqlite3_stmt *s;
    char at[VP_TIME_LEN];
    if ((res = cstore_console_child(st, coach_id, child_id, ip, now_ms, out)) != VP_OK)
        return res;
    c = ccon_conn(st, &res);
    audit = json_array();
    s = cst_prep(c, SQL_CHILD_AUDIT);
    cst_bind_text(s, 1, child_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        json_t *e = json_object();
        ccon_put_time(e, "at", s, 0);
        json_object_set_new(e, "coach", json_string(cst_col(s, 1)));
        json_object_set_new(e, "action", json_string(cst_col(s, 2)));
        json_object_set_new(e, "detail", json_string(cst_col(s, 3)));
        json_array_append_new(audit, e);
    }
    sqlite3_reset(s);
    vp_time_format(now_ms, at);
    json_object_set_new(*out, "audit", audit);
    json_object_set_new(*out, "exported_at", json_string(at));
    json_object_set_new(*out, "format", json_string("vindplaats-dossier-1"));
    res =
        cst_audit(c, coach_id, "dossier_export", child_id,
                  json_string_value(json_object_get(json_object_get(*out, "child"), "location_id")),
                  NULL, ip, now_ms);
    if (res) {
        json_decref(*out);
        *out = NULL;
    }
    return res;
}

/* ---- the catalog ---- */

static const char SQL_CATALOG[] = "SELECT json FROM catalogs ORDER BY version DESC LIMIT 1";

vp_result cstore_console_catalog(struct cstore *st, char **json_text)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    sqlite3_stmt *s;
    if (!c)
        return res;
    s = cst_prep(c, SQL_CATALOG);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return VP_ERR_NOT_FOUND;
    }
    *json_text = vp_xstrdup(cst_col(s, 0));
    sqlite3_reset(s);
    return VP_OK;
}

/* ---- admin flag ---- */

static const char SQL_IS_ADMIN[] =
    "SELECT EXISTS (SELECT 1 FROM console_admins WHERE coach_id = ?1) OR (NOT EXISTS"
    " (SELECT 1 FROM console_admins) AND ?1 = (SELECT id FROM coaches"
    " ORDER BY created_at, rowid LIMIT 1))";

bool ccon_is_admin(struct cconn *c, const char *coach_id)
{
    sqlite3_stmt *s = cst_prep(c, SQL_IS_ADMIN);
    bool yes;
    cst_bind_text(s, 1, coach_id);
    yes = sqlite3_step(s) == SQLITE_ROW && cst_col_int(s, 0);
    sqlite3_reset(s);
    return yes;
}

bool cstore_console_is_admin(struct cstore *st, const char *coach_id)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    return c && coach_id && ccon_is_admin(c, coach_id);
}
