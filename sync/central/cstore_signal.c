/*
 * cstore_signal.c - a signal is one thing with versions (cstore_signal.h):
 * filing pushed versions under their signal, undoing a signal, the coach's
 * marks on it, and reading it the one way every view reads it.
 */
#include "cstore_signal.h"
#include "vp_str.h"
#include "vp_time.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading ---- */

static void put_time(json_t *o, const char *key, sqlite3_stmt *s, int col)
{
    char t[VP_TIME_LEN];
    if (sqlite3_column_type(s, col) == SQLITE_NULL) {
        json_object_set_new(o, key, json_null());
        return;
    }
    vp_time_format(cst_col_int(s, col), t);
    json_object_set_new(o, key, json_string(t));
}

static json_t *codes(const char *list)
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

static json_t *note(struct cst_notes *notes, const char *loc, const char *text)
{
    char *r = cst_notes_render(notes, loc, text);
    json_t *js = json_string(r);
    free(r);
    return js ? js : json_string("");
}

json_t *cst_signal_json(sqlite3_stmt *s, int k, struct cst_notes *notes)
{
    json_t *o = json_object();
    int64_t versions = cst_col_int(s, k + 14);
    json_object_set_new(o, "id", json_string(cst_col(s, k)));
    json_object_set_new(o, "version_id", json_string(cst_col(s, k + 1)));
    json_object_set_new(o, "child_id", json_string(cst_col(s, k + 2)));
    json_object_set_new(o, "location_id", json_string(cst_col(s, k + 3)));
    json_object_set_new(o, "signals", codes(cst_col(s, k + 4)));
    json_object_set_new(o, "level", json_integer(cst_col_int(s, k + 5)));
    json_object_set_new(o, "frequency", json_string(cst_col(s, k + 6)));
    json_object_set_new(o, "situation", json_string(cst_col(s, k + 7)));
    json_object_set_new(o, "note", note(notes, cst_col(s, k + 3), cst_col(s, k + 8)));
    json_object_set_new(o, "parents_informed", json_boolean(cst_col_int(s, k + 9)));
    json_object_set_new(o, "consultation", json_string(cst_col(s, k + 10)));
    put_time(o, "device_time", s, k + 11);
    put_time(o, "received_at", s, k + 12);
    if (versions > 1)
        put_time(o, "updated_at", s, k + 13);
    else
        json_object_set_new(o, "updated_at", json_null());
    json_object_set_new(o, "versions", json_integer(versions));
    json_object_set_new(o, "amended", json_boolean(versions > 1));
    json_object_set_new(o, "staff", json_string(cst_col(s, k + 15)));
    json_object_set_new(o, "corrects", json_string(cst_col(s, k + 16)));
    json_object_set_new(o, "retracted", json_false());
    return o;
}

static const char SQL_EARLIER[] =
    "SELECT o.id, o.signals, o.level, o.frequency, o.situation, o.note, o.parents_informed,"
    " o.consultation, COALESCE(st.display_name, ''), o.device_time, o.received_at, o.location_id"
    " FROM observations o LEFT JOIN staff st ON st.staff_id = o.staff_id"
    " WHERE" CST_VERSIONS_OF("o", "?1") " AND o.id <> ?2 ORDER BY o.received_at, o.id";

json_t *cst_signal_earlier(struct cconn *c, const char *signal_id, const char *latest_id,
                           struct cst_notes *notes)
{
    sqlite3_stmt *s = cst_prep(c, SQL_EARLIER);
    json_t *a = json_array();
    cst_bind_text(s, 1, signal_id);
    cst_bind_text(s, 2, latest_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        json_t *v = json_object();
        json_object_set_new(v, "version_id", json_string(cst_col(s, 0)));
        json_object_set_new(v, "signals", codes(cst_col(s, 1)));
        json_object_set_new(v, "level", json_integer(cst_col_int(s, 2)));
        json_object_set_new(v, "frequency", json_string(cst_col(s, 3)));
        json_object_set_new(v, "situation", json_string(cst_col(s, 4)));
        json_object_set_new(v, "note", note(notes, cst_col(s, 11), cst_col(s, 5)));
        json_object_set_new(v, "parents_informed", json_boolean(cst_col_int(s, 6)));
        json_object_set_new(v, "consultation", json_string(cst_col(s, 7)));
        json_object_set_new(v, "staff", json_string(cst_col(s, 8)));
        put_time(v, "device_time", s, 9);
        put_time(v, "received_at", s, 10);
        json_array_append_new(a, v);
    }
    sqlite3_reset(s);
    return a;
}

/* ---- the coach's marks ---- */

static const char SQL_FIND[] =
    "SELECT sg.signal_id, sg.location_id, sg.child_id FROM signals sg WHERE sg.signal_id ="
    " COALESCE((SELECT signal_id FROM signals WHERE signal_id = ?1),"
    " (SELECT signal_id FROM observations WHERE id = ?1))";

vp_result cst_signal_find(struct cconn *c, const char *id, char sig[VP_UUID_LEN],
                          char loc[VP_UUID_LEN], char child[VP_UUID_LEN])
{
    sqlite3_stmt *s = cst_prep(c, SQL_FIND);
    int rc;
    cst_bind_text(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        vp_strlcpy(sig, cst_col(s, 0), VP_UUID_LEN);
        if (loc)
            vp_strlcpy(loc, cst_col(s, 1), VP_UUID_LEN);
        if (child)
            vp_strlcpy(child, cst_col(s, 2), VP_UUID_LEN);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? VP_OK : rc == SQLITE_DONE ? VP_ERR_NOT_FOUND : cst_result(c, rc);
}

static const char SQL_SEEN_PUT[] =
    "INSERT INTO signal_seen(signal_id, coach_id, seen_at, level, codes)"
    " SELECT sg.signal_id, ?2, ?3, o.level, o.signals FROM signals sg"
    " JOIN observations o ON o.id = sg.latest_id WHERE sg.signal_id = ?1"
    " ON CONFLICT(signal_id, coach_id) DO UPDATE SET seen_at = excluded.seen_at,"
    " level = excluded.level, codes = excluded.codes";
static const char SQL_ARCHIVE_PUT[] =
    "INSERT INTO signal_archive(signal_id, coach_id, reason, archived_at, level, codes)"
    " SELECT sg.signal_id, ?2, ?3, ?4, o.level, o.signals FROM signals sg"
    " JOIN observations o ON o.id = sg.latest_id WHERE sg.signal_id = ?1"
    " ON CONFLICT(signal_id) DO UPDATE SET coach_id = excluded.coach_id,"
    " reason = excluded.reason, archived_at = excluded.archived_at, level = excluded.level,"
    " codes = excluded.codes";
static const char SQL_ARCHIVE_DEL[] = "DELETE FROM signal_archive WHERE signal_id = ?1";

vp_result cst_signal_mark_seen(struct cconn *c, const char *sig, const char *coach_id,
                               int64_t now_ms)
{
    sqlite3_stmt *s = cst_prep(c, SQL_SEEN_PUT);
    cst_bind_text(s, 1, sig);
    cst_bind_text(s, 2, coach_id);
    cst_bind_int(s, 3, now_ms);
    return cst_done(c, s);
}

vp_result cst_signal_mark_archived(struct cconn *c, const char *sig, const char *coach_id,
                                   const char *reason, int64_t now_ms)
{
    sqlite3_stmt *s = cst_prep(c, reason ? SQL_ARCHIVE_PUT : SQL_ARCHIVE_DEL);
    cst_bind_text(s, 1, sig);
    if (reason) {
        cst_bind_text(s, 2, coach_id);
        cst_bind_text(s, 3, reason);
        cst_bind_int(s, 4, now_ms);
    }
    return cst_done(c, s);
}

/* ---- pushing ---- */

static const char SQL_UNDONE[] = "SELECT 1 FROM signal_undone WHERE signal_id = ?1";
static const char SQL_CORRECTED[] =
    "SELECT COALESCE(r.signal_id, ''), COALESCE(r.child_id, '') FROM records r WHERE r.id = ?1";

static bool undone(struct cconn *c, const char *sig)
{
    sqlite3_stmt *s = cst_prep(c, SQL_UNDONE);
    bool yes;
    cst_bind_text(s, 1, sig);
    yes = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    return yes;
}

vp_result cst_signal_resolve(struct cconn *c, const struct vp_observation *o, const char *wire_sig,
                             char sig[VP_UUID_LEN], enum cst_signal_fate *fate, const char **why)
{
    sqlite3_stmt *s;
    bool other_child = false;
    vp_strlcpy(sig, o->id, VP_UUID_LEN);
    if (o->corrects[0]) {
        s = cst_prep(c, SQL_CORRECTED);
        cst_bind_text(s, 1, o->corrects);
        sig[0] = '\0';
        if (sqlite3_step(s) == SQLITE_ROW) {
            vp_strlcpy(sig, cst_col(s, 0), VP_UUID_LEN);
            other_child = *cst_col(s, 1) && strcmp(cst_col(s, 1), o->child_id) != 0;
        }
        sqlite3_reset(s);
        if (other_child) {
            *why = "corrects: names a signal of another child";
            return VP_ERR_INVALID;
        }
        if (!sig[0])
            vp_strlcpy(sig, wire_sig && *wire_sig ? wire_sig : o->corrects, VP_UUID_LEN);
    }
    *fate = undone(c, sig) ? CST_SIGNAL_UNDONE : CST_SIGNAL_KEEP;
    return VP_OK;
}

static const char SQL_SIGNAL_NEW[] =
    "INSERT INTO signals(signal_id, location_id, child_id, latest_id, versions,"
    " first_device_time, first_received_at, received_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?6)"
    " ON CONFLICT(signal_id) DO NOTHING";
static const char SQL_SIGNAL_MORE[] =
    "UPDATE signals SET versions = versions + 1, received_at = ?6,"
    " first_device_time = CASE WHEN ?4 = ?1 THEN ?5 ELSE first_device_time END"
    " WHERE signal_id = ?1 AND ?2 IS ?2 AND ?3 IS ?3";
/* The latest version: the tip of the corrects chain (a version no other
 * version of the signal corrects), the newest received among several. */
static const char SQL_SIGNAL_TIP[] =
    "UPDATE signals SET latest_id = (SELECT t.id FROM observations t WHERE" CST_VERSIONS_OF(
        "t", "?1") " ORDER BY NOT EXISTS (SELECT 1 FROM observations x WHERE x.corrects = t.id"
                   " AND x.signal_id = ?1) DESC, t.received_at DESC, t.id DESC LIMIT 1) WHERE "
                   "signal_id = ?1";
/* Marks whose level and codes the latest version exceeds. */
#define EXCEEDED(tbl)                                                                              \
    " WHERE " tbl ".signal_id = ?1 AND EXISTS (SELECT 1 FROM signals sg JOIN observations o"       \
    " ON o.id = sg.latest_id WHERE sg.signal_id = ?1 AND (o.level > " tbl ".level"                 \
    " OR EXISTS (SELECT 1 FROM json_each('[\"' || replace(o.signals, ',', '\",\"') || '\"]') j"    \
    " WHERE instr(',' || " tbl ".codes || ',', ',' || j.value || ',') = 0)))"
static const char SQL_SEEN_LIFT[] = "DELETE FROM signal_seen" EXCEEDED("signal_seen");
static const char SQL_ARCHIVE_LIFTED[] =
    "SELECT reason FROM signal_archive" EXCEEDED("signal_archive");
static const char SQL_ARCHIVE_LIFT[] = "DELETE FROM signal_archive" EXCEEDED("signal_archive");

static vp_result run1(struct cconn *c, const char *sql, const char *sig)
{
    sqlite3_stmt *s = cst_prep(c, sql);
    cst_bind_text(s, 1, sig);
    return cst_done(c, s);
}

/* An archived signal whose level or codes went up comes back to "Nieuw". */
static vp_result lift_archive(struct cconn *c, const char *sig, const char *loc,
                              const char *child_id, int64_t now_ms)
{
    sqlite3_stmt *s = cst_prep(c, SQL_ARCHIVE_LIFTED);
    char detail[120];
    bool lifted;
    vp_result res;
    cst_bind_text(s, 1, sig);
    lifted = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    if (!lifted)
        return VP_OK;
    if ((res = run1(c, SQL_ARCHIVE_LIFT, sig)) != VP_OK)
        return res;
    snprintf(detail, sizeof(detail), "signal=%s reason=raised", sig);
    return cst_audit(c, NULL, "unarchive", child_id, loc, detail, "system", now_ms);
}

static void bind_version(sqlite3_stmt *s, const char *sig, const char *loc,
                         const struct vp_observation *o, int64_t now_ms)
{
    cst_bind_text(s, 1, sig);
    cst_bind_text(s, 2, loc);
    cst_bind_text(s, 3, o->child_id);
    cst_bind_text(s, 4, o->id);
    cst_bind_int(s, 5, o->device_time_ms);
    cst_bind_int(s, 6, now_ms);
}

vp_result cst_signal_add_version(struct cconn *c, const char *sig, const char *loc,
                                 const struct vp_observation *o, int64_t now_ms)
{
    sqlite3_stmt *s = cst_prep(c, SQL_SIGNAL_NEW);
    vp_result res;
    bind_version(s, sig, loc, o, now_ms);
    /* a new signal: its only version is the latest, and nobody marked it yet */
    if ((res = cst_done(c, s)) != VP_OK || sqlite3_changes(c->db) == 1)
        return res;
    s = cst_prep(c, SQL_SIGNAL_MORE);
    bind_version(s, sig, loc, o, now_ms);
    if ((res = cst_done(c, s)) != VP_OK || (res = run1(c, SQL_SIGNAL_TIP, sig)) != VP_OK ||
        (res = run1(c, SQL_SEEN_LIFT, sig)) != VP_OK)
        return res;
    return lift_archive(c, sig, loc, o->child_id, now_ms);
}

static const char SQL_TOMBSTONE[] =
    "INSERT OR IGNORE INTO signal_undone(signal_id, location_id, child_id, undone_at)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_UNDO_VERSIONS[] =
    "DELETE FROM observations WHERE id IN (SELECT o.id FROM observations o WHERE" CST_VERSIONS_OF(
        "o", "?1") ")";
static const char SQL_UNDO_SIGNAL[] = "DELETE FROM signals WHERE signal_id = ?1";
/* A case nobody worked on, that only undone signals had opened. */
static const char SQL_CASE_DROP[] =
    "DELETE FROM cases WHERE child_id = ?1 AND status = 'new' AND consent = 'unknown'"
    " AND parent_talk = 'not_planned' AND consultation = 'none' AND next_action = ''"
    " AND NOT EXISTS (SELECT 1 FROM signals sg WHERE sg.child_id = ?1)"
    " AND NOT EXISTS (SELECT 1 FROM advice a WHERE a.child_id = ?1)";

vp_result cst_signal_undo(struct cconn *c, const char *sig, const char *loc, const char *child_id,
                          int64_t now_ms)
{
    sqlite3_stmt *s = cst_prep(c, SQL_TOMBSTONE);
    vp_result res;
    cst_bind_text(s, 1, sig);
    cst_bind_text(s, 2, loc);
    cst_bind_text(s, 3, child_id);
    cst_bind_int(s, 4, now_ms);
    if ((res = cst_done(c, s)) != VP_OK || (res = run1(c, SQL_UNDO_VERSIONS, sig)) != VP_OK ||
        (res = run1(c, SQL_UNDO_SIGNAL, sig)) != VP_OK) /* the marks cascade */
        return res;
    return run1(c, SQL_CASE_DROP, child_id);
}
