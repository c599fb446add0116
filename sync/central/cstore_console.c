/*
 * cstore_console.c - the console's own reads and writes: the inbox, seen and
 * archived signals, the child's page, the dossier export, filtered CSV and
 * the catalog. (Overview metrics: cstore_console_stats.c; admin pages:
 * cstore_console_admin.c.)
 */
#include "cstore_console.h"
#include "cstore_console_int.h"
#include "cstore_signal.h"
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

/* ---- the inbox ---- */

/* ?1 coach, ?2 location, ?3 level, ?4 domain, ?5 status, ?6 since, ?7 view, ?8 limit,
 * ?9 order. The period does not apply to "Nieuw": it holds every unseen
 * signal, whatever its age. */
#define INBOX_WHERE                                                                                \
    " LEFT JOIN cases k ON k.child_id = sg.child_id"                                               \
    " LEFT JOIN signal_seen sn ON sn.signal_id = sg.signal_id AND sn.coach_id = ?1"                \
    " LEFT JOIN signal_archive ar ON ar.signal_id = sg.signal_id"                                  \
    " WHERE sg.location_id IN (SELECT location_id FROM coach_locations WHERE coach_id = ?1)"       \
    " AND (?7 = 0 OR sg.first_received_at >= ?6)"                                                  \
    " AND (?3 = 0 OR o.level = ?3)"                                                                \
    " AND (?4 IS NULL OR" CST_SIGNAL_IN_DOMAIN(                                                    \
        "?4") ")"                                                                                  \
              " AND (?5 IS NULL OR (?5 = 'open' AND COALESCE(k.status, 'new') <> 'closed')"        \
              "  OR COALESCE(k.status, 'new') = ?5)"                                               \
              " AND CASE ?7 WHEN 0 THEN sn.signal_id IS NULL AND ar.signal_id IS NULL"             \
              "  WHEN 1 THEN ar.signal_id IS NULL ELSE ar.signal_id IS NOT NULL END"
/* Triage: Grote zorg first, then the oldest; or simply the newest first. */
static const char SQL_INBOX[] =
    "SELECT" CST_SIGNAL_COLS ", COALESCE(k.status, 'new'), sn.signal_id IS NOT NULL, ar.reason"
    " FROM" CST_SIGNAL_FROM INBOX_WHERE " AND (?2 IS NULL OR sg.location_id = ?2)"
    " ORDER BY CASE WHEN ?9 = 0 THEN o.level END DESC,"
    " CASE WHEN ?9 = 0 THEN 1 ELSE -1 END * sg.first_received_at, sg.signal_id LIMIT ?8";
static const char SQL_INBOX_COUNTS[] =
    "SELECT l.id, l.name, (SELECT COUNT(*) FROM signals sg JOIN observations o"
    " ON o.id = sg.latest_id" INBOX_WHERE " AND sg.location_id = l.id)"
    " FROM coach_locations cl JOIN locations l ON l.id = cl.location_id"
    " WHERE cl.coach_id = ?1 AND ?2 IS ?2 AND ?8 = ?8 AND ?9 = ?9 ORDER BY l.name";

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
    cst_bind_int(s, 9, (int64_t)f->order);
}

static json_t *inbox_row(sqlite3_stmt *s, struct cst_notes *notes)
{
    const int k = CST_SIGNAL_NCOLS;
    json_t *o = cst_signal_json(s, 0, notes);
    json_object_set_new(o, "case_status", json_string(cst_col(s, k)));
    json_object_set_new(o, "seen", json_boolean(cst_col_int(s, k + 1)));
    json_object_set_new(o, "archived",
                        sqlite3_column_type(s, k + 2) == SQLITE_NULL
                            ? json_null()
                            : json_string(cst_col(s, k + 2)));
    return o;
}

/* Runs the inbox query into *rows and the child views into *children. */
static vp_result inbox_rows(struct cconn *c, const char *coach_id, const struct ccon_filter *f,
                            int limit, int64_t now_ms, json_t **rows, json_t **children, bool *more)
{
    sqlite3_stmt *s = cst_prep(c, SQL_INBOX);
    struct cst_notes *notes = cst_notes_new(c);
    int rc, n = 0;
    *rows = json_array();
    *children = json_object();
    *more = false;
    bind_inbox(s, coach_id, f, limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *child = cst_col(s, 2);
        if (n++ == limit) {
            *more = true;
            break;
        }
        if (!json_object_get(*children, child)) {
            json_t *view = cst_child_view(c, child, now_ms);
            json_object_set_new(*children, child, view ? view : json_null());
        }
        json_array_append_new(*rows, inbox_row(s, notes));
    }
    sqlite3_reset(s);
    cst_notes_free(notes);
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

/* The signals matching the filter per location of the coach ("locations"). */
static vp_result inbox_counts(struct cconn *c, const char *coach_id, const struct ccon_filter *f,
                              json_t **locs)
{
    sqlite3_stmt *s = cst_prep(c, SQL_INBOX_COUNTS);
    int rc;
    *locs = json_array();
    bind_inbox(s, coach_id, f, 0);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(*locs,
                              json_pack("{s:s,s:s,s:I}", "id", cst_col(s, 0), "name", cst_col(s, 1),
                                        "count", (json_int_t)cst_col_int(s, 2)));
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return VP_OK;
    json_decref(*locs);
    *locs = NULL;
    return cst_result(c, rc);
}

vp_result cstore_console_new_count(struct cstore *st, const char *coach_id, int64_t *n)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    struct ccon_filter f;
    json_t *locs, *l;
    size_t i;
    if (!c)
        return res;
    memset(&f, 0, sizeof(f));
    f.view = CCON_VIEW_NEW;
    if ((res = inbox_counts(c, coach_id, &f, &locs)) != VP_OK)
        return res;
    *n = 0;
    json_array_foreach(locs, i, l) *n += json_integer_value(json_object_get(l, "count"));
    json_decref(locs);
    return VP_OK;
}

vp_result cstore_console_inbox_all(struct cstore *st, const char *coach_id,
                                   const struct ccon_filter *f, int64_t now_ms, int limit,
                                   json_t **out)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    json_t *rows, *children, *locs;
    bool more;
    if (!c)
        return res;
    if (f->location_id && !cst_coach_may(c, coach_id, f->location_id))
        return VP_ERR_REFUSED;
    if ((res = inbox_rows(c, coach_id, f, limit, now_ms, &rows, &children, &more)) != VP_OK)
        return res;
    if ((res = inbox_counts(c, coach_id, f, &locs)) != VP_OK) {
        json_decref(rows);
        json_decref(children);
        return res;
    }
    *out = json_pack("{s:o,s:o,s:o,s:b}", "signals", rows, "children", children, "locations", locs,
                     "more", more);
    return VP_OK;
}

/* ---- seen and archived (on the signal: cstore_signal.h) ---- */

/* The signal of id (a signal's or a version's), checked against the coach. */
static vp_result signal_check(struct cconn *c, const char *coach_id, const char *id,
                              char sig[VP_UUID_LEN], char loc[VP_UUID_LEN], char child[VP_UUID_LEN])
{
    vp_result res = cst_signal_find(c, id, sig, loc, child);
    if (res)
        return res;
    return cst_coach_may(c, coach_id, loc) ? VP_OK : VP_ERR_REFUSED;
}

vp_result cstore_console_mark_seen(struct cstore *st, const char *coach_id, const char *const *ids,
                                   size_t n, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    char sig[VP_UUID_LEN], loc[VP_UUID_LEN], child[VP_UUID_LEN];
    if (!c)
        return res;
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    for (size_t i = 0; !res && i < n; i++) {
        res = signal_check(c, coach_id, ids[i], sig, loc, child);
        if (!res)
            res = cst_signal_mark_seen(c, sig, coach_id, now_ms);
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

vp_result cstore_console_archive(struct cstore *st, const char *coach_id, const char *id,
                                 const char *reason, const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    char sig[VP_UUID_LEN], loc[VP_UUID_LEN], child[VP_UUID_LEN], detail[120];
    if (!c)
        return res;
    if (reason && !archive_reason_ok(reason))
        return VP_ERR_INVALID;
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    if ((res = signal_check(c, coach_id, id, sig, loc, child)) != VP_OK) {
        cst_rollback(c);
        return res;
    }
    snprintf(detail, sizeof(detail), "signal=%s reason=%s", sig, reason ? reason : "-");
    res = cst_signal_mark_archived(c, sig, coach_id, reason, now_ms);
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
    "SELECT sg.signal_id, EXISTS (SELECT 1 FROM signal_seen sn WHERE sn.signal_id ="
    " sg.signal_id AND sn.coach_id = ?2), ar.reason FROM signals sg"
    " LEFT JOIN signal_archive ar ON ar.signal_id = sg.signal_id WHERE sg.child_id = ?1";

/* Every status the case has had (from its audit entries), and "advised"
 * once advice was given: the route strip marks the others as skipped. */
static const char SQL_CHILD_ROUTE[] =
    "SELECT DISTINCT substr(detail, 8, instr(detail || ' ', ' ') - 8) FROM audit"
    " WHERE child_id = ?1 AND action = 'case_update' AND detail LIKE 'status=%'"
    " UNION SELECT 'advised' FROM advice WHERE child_id = ?1"
    " UNION SELECT COALESCE((SELECT status FROM cases WHERE child_id = ?1), 'new')"
    " UNION SELECT 'new'";

static json_t *route_taken(struct cconn *c, const char *child_id)
{
    sqlite3_stmt *s = cst_prep(c, SQL_CHILD_ROUTE);
    json_t *a = json_array();
    cst_bind_text(s, 1, child_id);
    while (sqlite3_step(s) == SQLITE_ROW)
        json_array_append_new(a, json_string(cst_col(s, 0)));
    sqlite3_reset(s);
    return a;
}

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
                            json_pack("{s:b,s:o}", "seen", (int)cst_col_int(s, 1), "archived",
                                      sqlite3_column_type(s, 2) == SQLITE_NULL
                                          ? json_null()
                                          : json_string(cst_col(s, 2))));
    sqlite3_reset(s);
    signals = json_object_get(*out, "signals");
    json_array_foreach(signals, i, sig)
    {
        json_t *m = json_object_get(marks, json_string_value(json_object_get(sig, "id")));
        if (m)
            json_object_update(sig, m);
    }
    json_decref(marks);
    json_object_set_new(*out, "route", route_taken(c, child_id));
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
