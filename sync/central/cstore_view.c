/*
 * cstore_view.c - what a coach reads: the child view (the one place that
 * applies the consent rule), signal and case lists, the dossier. Signals
 * and their counts are read as cstore_signal.h defines them.
 */
#include "cstore_signal.h"
#include "vp_str.h"
#include "vp_time.h"
#include <string.h>

/* The columns every coach-facing child row selects, in this order. */
#define CHILD_COLS                                                                                 \
    "c.child_id, c.pseudonym, c.birth_month, c.first_name, COALESCE(g.name, ''),"                  \
    " c.location_id, l.name, COALESCE(k.consent, 'unknown')"
#define CHILD_NCOLS 8
#define CHILD_JOINS                                                                                \
    " JOIN locations l ON l.id = c.location_id LEFT JOIN groups g ON g.group_id = c.group_id"      \
    " LEFT JOIN cases k ON k.child_id = c.child_id"

/* THE privacy rule: a coach sees a child's first name and birth month only
 * when consent for a named consultation is recorded in the child's case.
 * Otherwise she gets the pseudonym, the age in months and the group. */
static void put_child(json_t *o, sqlite3_stmt *s, int col, int64_t now_ms)
{
    const char *birth = cst_col(s, col + 2);
    bool named = !strcmp(cst_col(s, col + 7), "given");
    json_object_set_new(o, "child_id", json_string(cst_col(s, col)));
    json_object_set_new(o, "pseudonym", json_string(cst_col(s, col + 1)));
    json_object_set_new(o, "age_months", json_integer(vp_age_months(birth, now_ms)));
    json_object_set_new(o, "group", json_string(cst_col(s, col + 4)));
    json_object_set_new(o, "location_id", json_string(cst_col(s, col + 5)));
    json_object_set_new(o, "location", json_string(cst_col(s, col + 6)));
    json_object_set_new(o, "named", json_boolean(named));
    if (named) {
        json_object_set_new(o, "first_name", json_string(cst_col(s, col + 3)));
        json_object_set_new(o, "birth_month", json_string(birth));
    }
}

static const char SQL_CHILD_VIEW[] =
    "SELECT " CHILD_COLS " FROM children c" CHILD_JOINS " WHERE c.child_id = ?1";
static const char SQL_CHILD_LOC[] = "SELECT location_id FROM children WHERE child_id = ?1";

json_t *cst_child_view(struct cconn *c, const char *child_id, int64_t now_ms)
{
    sqlite3_stmt *s = cst_prep(c, SQL_CHILD_VIEW);
    json_t *o = NULL;
    cst_bind_text(s, 1, child_id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        o = json_object();
        put_child(o, s, 0, now_ms);
    }
    sqlite3_reset(s);
    return o;
}

vp_result cstore_child_view(struct cstore *st, const char *child_id, int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    if (!c)
        return res;
    *out = cst_child_view(c, child_id, now_ms);
    return *out ? VP_OK : VP_ERR_NOT_FOUND;
}

vp_result cst_child_location(struct cconn *c, const char *child_id, char loc[VP_UUID_LEN])
{
    sqlite3_stmt *s = cst_prep(c, SQL_CHILD_LOC);
    int rc;
    loc[0] = '\0';
    cst_bind_text(s, 1, child_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        vp_strlcpy(loc, cst_col(s, 0), VP_UUID_LEN);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? VP_OK : rc == SQLITE_DONE ? VP_ERR_NOT_FOUND : cst_result(c, rc);
}

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

/* ---- signals ---- */

/* ?1 coach (NULL = operator), ?2 location, ?3 child, ?4 status, ?5 level, ?6 since, ?7 limit */
#define SCOPE                                                                                      \
    " (?1 IS NULL OR c.location_id IN (SELECT location_id FROM coach_locations"                    \
    " WHERE coach_id = ?1)) AND (?2 IS NULL OR c.location_id = ?2)"                                \
    " AND (?3 IS NULL OR c.child_id = ?3) AND (?4 IS NULL OR COALESCE(k.status, 'new') = ?4)"
static const char SQL_SIGNALS[] =
    "SELECT " CHILD_COLS "," CST_SIGNAL_COLS ", COALESCE(k.status, 'new') FROM" CST_SIGNAL_FROM
    " JOIN children c ON c.child_id = sg.child_id" CHILD_JOINS " WHERE" SCOPE
    " AND o.level >= ?5 AND sg.first_received_at >= ?6"
    " ORDER BY sg.first_received_at DESC, sg.signal_id DESC LIMIT ?7";

static json_t *signal_row(sqlite3_stmt *s, int64_t now_ms, struct cst_notes *notes)
{
    json_t *o = cst_signal_json(s, CHILD_NCOLS, notes);
    put_child(o, s, 0, now_ms);
    json_object_set_new(o, "case_status", json_string(cst_col(s, CHILD_NCOLS + CST_SIGNAL_NCOLS)));
    return o;
}

static void bind_filter(sqlite3_stmt *s, const char *coach_id, const struct cstore_filter *f)
{
    cst_bind_text(s, 1, coach_id);
    cst_bind_text(s, 2, f->location_id);
    cst_bind_text(s, 3, f->child_id);
    cst_bind_text(s, 4, f->status);
    cst_bind_int(s, 5, f->min_level);
    cst_bind_int(s, 6, f->since_ms);
    cst_bind_int(s, 7, f->limit > 0 ? f->limit : 100);
}

static vp_result list(struct cstore *st, const char *sql, const char *coach_id,
                      const struct cstore_filter *f, int64_t now_ms, json_t **out,
                      json_t *(*row)(sqlite3_stmt *, int64_t, struct cst_notes *))
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    struct cst_notes *notes;
    sqlite3_stmt *s;
    int rc;
    if (!c)
        return res;
    if (f->location_id && !cst_coach_may(c, coach_id, f->location_id))
        return VP_ERR_REFUSED;
    if (f->child_id) {
        char loc[VP_UUID_LEN];
        if ((res = cst_child_location(c, f->child_id, loc)) != VP_OK)
            return res;
        if (!cst_coach_may(c, coach_id, loc))
            return VP_ERR_REFUSED;
    }
    *out = json_array();
    notes = cst_notes_new(c);
    s = cst_prep(c, sql);
    bind_filter(s, coach_id, f);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(*out, row(s, now_ms, notes));
    sqlite3_reset(s);
    cst_notes_free(notes);
    if (rc != SQLITE_DONE) {
        json_decref(*out);
        *out = NULL;
        return cst_result(c, rc);
    }
    return VP_OK;
}

vp_result cstore_signals_list(struct cstore *st, const char *coach_id,
                              const struct cstore_filter *f, int64_t now_ms, json_t **out)
{
    return list(st, SQL_SIGNALS, coach_id, f, now_ms, out, signal_row);
}

/* ---- cases ---- */

#define CASE_COLS                                                                                  \
    "k.status, k.consent, k.parent_talk, k.consultation, k.referred_to, k.closed_reason,"          \
    " k.next_action, k.next_action_owner, k.next_action_due, "                                     \
    "k.follow_up_date," CST_CHILD_FIRST_SIGNAL("k.child_id") "," CST_CHILD_LAST_SIGNAL(            \
        "k.child_id") ","                                                                          \
                      " k.parent_talk_at, k.consultation_at, k.referral_at,"                       \
                      " k.support_at, k.closed_at, k.consent_at, k.updated_at," CST_CHILD_SIGNALS( \
                          "k.child_id") "," CST_CHILD_MAX_LEVEL("k.child_id")
/* A case is in the period when its last signal is (cases without a live
 * signal only when there is no period). */
static const char SQL_CASES[] =
    "SELECT " CHILD_COLS ", " CASE_COLS " FROM cases k JOIN children c ON c.child_id = k.child_id"
    " JOIN locations l ON l.id = c.location_id LEFT JOIN groups g ON g.group_id = c.group_id"
    " WHERE" SCOPE " AND ?5 >= 0 AND (?6 = 0 OR" CST_CHILD_LAST_SIGNAL(
        "k.child_id") " >= ?6)"
                      " ORDER BY" CST_CHILD_LAST_SIGNAL("k.child_id") " DESC, k.child_id LIMIT ?7";

static void put_days(json_t *o, const char *key, sqlite3_stmt *s, int from, int to)
{
    if (sqlite3_column_type(s, to) == SQLITE_NULL || sqlite3_column_type(s, from) == SQLITE_NULL)
        json_object_set_new(o, key, json_null());
    else
        json_object_set_new(o, key,
                            json_integer((cst_col_int(s, to) - cst_col_int(s, from)) / 86400000));
}

/* The case columns starting at k, as JSON. */
static void put_case(json_t *o, sqlite3_stmt *s, int k)
{
    static const char *const text[] = { "status",        "consent",           "parent_talk",
                                        "consultation",  "referred_to",       "closed_reason",
                                        "next_action",   "next_action_owner", "next_action_due",
                                        "follow_up_date" };
    static const char *const times[] = { "first_signal_at", "last_signal_at", "parent_talk_at",
                                         "consultation_at", "referral_at",    "support_at",
                                         "closed_at",       "consent_at",     "updated_at" };
    for (int i = 0; i < 10; i++)
        json_object_set_new(o, text[i], json_string(cst_col(s, k + i)));
    for (int i = 0; i < 9; i++)
        put_time(o, times[i], s, k + 10 + i);
    json_object_set_new(o, "signal_count", json_integer(cst_col_int(s, k + 19)));
    json_object_set_new(o, "max_level",
                        sqlite3_column_type(s, k + 20) == SQLITE_NULL
                            ? json_integer(0)
                            : json_integer(cst_col_int(s, k + 20)));
    /* lead times in whole days from the first signal (aggregated elsewhere) */
    put_days(o, "days_to_parent_talk", s, k + 10, k + 12);
    put_days(o, "days_to_consultation", s, k + 10, k + 13);
    put_days(o, "days_to_referral", s, k + 10, k + 14);
    put_days(o, "days_to_support", s, k + 10, k + 15);
}

static json_t *case_row(sqlite3_stmt *s, int64_t now_ms, struct cst_notes *notes)
{
    json_t *o = json_object(), *k = json_object();
    (void)notes;
    put_child(o, s, 0, now_ms);
    put_case(k, s, CHILD_NCOLS);
    json_object_set_new(o, "case", k);
    return o;
}

vp_result cstore_cases_list(struct cstore *st, const char *coach_id, const struct cstore_filter *f,
                            int64_t now_ms, json_t **out)
{
    return list(st, SQL_CASES, coach_id, f, now_ms, out, case_row);
}

/* ---- the dossier ---- */

static const char SQL_CASE_ONE[] = "SELECT " CASE_COLS " FROM cases k WHERE k.child_id = ?1";
static const char SQL_ADVICE_LIST[] =
    "SELECT a.id, a.author, a.text, a.created_at, (SELECT COUNT(*) FROM advice_reads r"
    " WHERE r.advice_id = a.id) FROM advice a WHERE a.child_id = ?1 ORDER BY a.created_at";

json_t *cst_case_json(struct cconn *c, const char *child_id)
{
    sqlite3_stmt *s = cst_prep(c, SQL_CASE_ONE);
    json_t *o = NULL;
    cst_bind_text(s, 1, child_id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        o = json_object();
        put_case(o, s, 0);
    }
    sqlite3_reset(s);
    return o ? o : json_null();
}

static json_t *advice_list(struct cconn *c, const char *child_id)
{
    sqlite3_stmt *s = cst_prep(c, SQL_ADVICE_LIST);
    json_t *a = json_array();
    cst_bind_text(s, 1, child_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "advice_id", json_string(cst_col(s, 0)));
        json_object_set_new(o, "author", json_string(cst_col(s, 1)));
        json_object_set_new(o, "text", json_string(cst_col(s, 2)));
        put_time(o, "created_at", s, 3);
        json_object_set_new(o, "read", json_boolean(cst_col_int(s, 4) > 0));
        json_array_append_new(a, o);
    }
    sqlite3_reset(s);
    return a;
}

/* Each amended signal's earlier versions ("earlier", oldest first). */
static void add_earlier(struct cconn *c, json_t *signals)
{
    struct cst_notes *notes = cst_notes_new(c);
    size_t i;
    json_t *sig;
    json_array_foreach(signals, i, sig)
    {
        const char *id = json_string_value(json_object_get(sig, "id"));
        const char *latest = json_string_value(json_object_get(sig, "version_id"));
        json_object_set_new(sig, "earlier",
                            json_is_true(json_object_get(sig, "amended"))
                                ? cst_signal_earlier(c, id, latest, notes)
                                : json_array());
    }
    cst_notes_free(notes);
}

vp_result cstore_dossier(struct cstore *st, const char *coach_id, const char *child_id,
                         const char *ip, int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    struct cstore_filter f;
    char loc[VP_UUID_LEN];
    json_t *signals = NULL;
    if (!c)
        return res;
    if ((res = cst_child_location(c, child_id, loc)) != VP_OK)
        return res;
    if (!cst_coach_may(c, coach_id, loc)) {
        cst_audit(c, coach_id, "view_denied", child_id, loc, NULL, ip, now_ms);
        return VP_ERR_REFUSED;
    }
    memset(&f, 0, sizeof(f));
    f.child_id = child_id;
    f.limit = 1000;
    if ((res = cstore_signals_list(st, coach_id, &f, now_ms, &signals)) != VP_OK)
        return res;
    if ((res = cst_audit(c, coach_id, "view", child_id, loc, NULL, ip, now_ms)) != VP_OK) {
        json_decref(signals);
        return res;
    }
    add_earlier(c, signals);
    *out = json_object();
    json_object_set_new(*out, "child", cst_child_view(c, child_id, now_ms));
    json_object_set_new(*out, "case", cst_case_json(c, child_id));
    json_object_set_new(*out, "signals", signals);
    json_object_set_new(*out, "advice", advice_list(c, child_id));
    return VP_OK;
}
