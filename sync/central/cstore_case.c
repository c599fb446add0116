/*
 * cstore_case.c - what a coach changes: case status, consent, next action,
 * advice, erasure. Each change is published to the child's location feed
 * and written to the audit log in the same transaction.
 */
#include "cstore_signal.h"
#include "vp_str.h"
#include "vp_time.h"
#include <stdio.h>
#include <string.h>

static const char *const consents[] = { "unknown", "asked", "given", "refused", "withdrawn", NULL };
static const char *const talks[] = { "not_planned", "planned", "held", NULL };
static const char *const consultations[] = { "none", "anonymous", "named", NULL };
static const char *const referrals[] = {
    "", "jgz", "cmd", "school", "gp", "speech", "other", NULL
};
static const char *const reasons[] = {
    "", "care_lapsed", "support_elsewhere", "parents_declined", "child_left", "other", NULL
};

struct case_row {
    char status[24], consent[16], parent_talk[16], consultation[12];
    char referred_to[16], closed_reason[24];
    char next_action[VP_TEXT_BYTES(200)], owner[VP_TEXT_BYTES(80)];
    char due[11], follow_up[11], consent_by[VP_UUID_LEN];
    int64_t parent_talk_at, consultation_at, referral_at, support_at, closed_at, consent_at;
    bool exists;
};

static bool one_of(const char *const list[], const char *s)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(list[i], s))
            return true;
    return false;
}

static bool valid_date(const char *s)
{
    int64_t y, m, d;
    char part[5];
    if (!*s)
        return true;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    memcpy(part, s, 4);
    part[4] = '\0';
    if (!vp_parse_i64(part, 2000, 2200, &y))
        return false;
    memcpy(part, s + 5, 2);
    part[2] = '\0';
    if (!vp_parse_i64(part, 1, 12, &m))
        return false;
    memcpy(part, s + 8, 2);
    return vp_parse_i64(part, 1, 31, &d);
}

static const char SQL_CASE_READ[] =
    "SELECT status, consent, parent_talk, consultation, referred_to, closed_reason, next_action,"
    " next_action_owner, next_action_due, follow_up_date, COALESCE(parent_talk_at, 0),"
    " COALESCE(consultation_at, 0), COALESCE(referral_at, 0), COALESCE(support_at, 0),"
    " COALESCE(closed_at, 0), COALESCE(consent_at, 0), COALESCE(consent_by, '')"
    " FROM cases WHERE child_id = ?1";

static void case_read(struct cconn *c, const char *child_id, struct case_row *r)
{
    sqlite3_stmt *s = cst_prep(c, SQL_CASE_READ);
    char *texts[] = { r->status,      r->consent,       r->parent_talk, r->consultation,
                      r->referred_to, r->closed_reason, r->next_action, r->owner,
                      r->due,         r->follow_up };
    size_t sizes[] = { sizeof(r->status),       sizeof(r->consent),     sizeof(r->parent_talk),
                       sizeof(r->consultation), sizeof(r->referred_to), sizeof(r->closed_reason),
                       sizeof(r->next_action),  sizeof(r->owner),       sizeof(r->due),
                       sizeof(r->follow_up) };
    int64_t *times[] = { &r->parent_talk_at, &r->consultation_at, &r->referral_at,
                         &r->support_at,     &r->closed_at,       &r->consent_at };
    memset(r, 0, sizeof(*r));
    vp_strlcpy(r->status, "new", sizeof(r->status));
    vp_strlcpy(r->consent, "unknown", sizeof(r->consent));
    vp_strlcpy(r->parent_talk, "not_planned", sizeof(r->parent_talk));
    vp_strlcpy(r->consultation, "none", sizeof(r->consultation));
    cst_bind_text(s, 1, child_id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        r->exists = true;
        for (int i = 0; i < 10; i++)
            vp_strlcpy(texts[i], cst_col(s, i), sizes[i]);
        for (int i = 0; i < 6; i++)
            *times[i] = cst_col_int(s, 10 + i);
        vp_strlcpy(r->consent_by, cst_col(s, 16), sizeof(r->consent_by));
    }
    sqlite3_reset(s);
}

/* Copies one edited field after checking it; false with *why on a bad value. */
static bool take(char *dst, size_t size, const char *val, const char *const list[],
                 size_t max_chars, const char *field, const char **why)
{
    if (!val)
        return true;
    if ((list && !one_of(list, val)) ||
        (!list && (vp_utf8_length(val) > max_chars || !vp_utf8_valid_text(val, strlen(val))))) {
        *why = field;
        return false;
    }
    vp_strlcpy(dst, val, size);
    return true;
}

static bool apply_edit(struct case_row *r, const struct cstore_case_edit *e, const char *coach,
                       int64_t now, const char **why)
{
    const char *case_status_names[VP_CASE_STATUS_COUNT + 1] = { NULL };
    char before[sizeof(r->consent)];
    for (int i = 0; i < VP_CASE_STATUS_COUNT; i++)
        case_status_names[i] = vp_case_status_name((enum vp_case_status)i);
    if (!take(r->status, sizeof(r->status), e->status, case_status_names, 0, "status", why) ||
        !take(r->parent_talk, sizeof(r->parent_talk), e->parent_talk, talks, 0, "parent_talk",
              why) ||
        !take(r->consultation, sizeof(r->consultation), e->consultation, consultations, 0,
              "consultation", why) ||
        !take(r->referred_to, sizeof(r->referred_to), e->referred_to, referrals, 0, "referred_to",
              why) ||
        !take(r->closed_reason, sizeof(r->closed_reason), e->closed_reason, reasons, 0,
              "closed_reason", why) ||
        !take(r->next_action, sizeof(r->next_action), e->next_action, NULL, 200, "next_action",
              why) ||
        !take(r->owner, sizeof(r->owner), e->next_action_owner, NULL, 80, "next_action_owner", why))
        return false;
    vp_strlcpy(before, r->consent, sizeof(before));
    if (e->consent && strcmp(e->consent, r->consent) != 0) {
        if (!take(r->consent, sizeof(r->consent), e->consent, consents, 0, "consent", why))
            return false;
        r->consent_at = now;
        vp_strlcpy(r->consent_by, coach ? coach : "operator", sizeof(r->consent_by));
    }
    if ((e->next_action_due && !valid_date(e->next_action_due)) ||
        (e->follow_up_date && !valid_date(e->follow_up_date))) {
        *why = e->next_action_due && !valid_date(e->next_action_due) ? "next_action_due"
                                                                     : "follow_up_date";
        return false;
    }
    take(r->due, sizeof(r->due), e->next_action_due, NULL, 10, "next_action_due", why);
    take(r->follow_up, sizeof(r->follow_up), e->follow_up_date, NULL, 10, "follow_up_date", why);
    if (!strcmp(r->consultation, "named") && strcmp(r->consent, "given") != 0) {
        /* named needs recorded consent: a consent taken back while named is
         * the consent's mistake, a named consultation without it the
         * consultation's (one message per rule, at its field) */
        *why = !strcmp(before, "given") ? "consent" : "consultation";
        return false;
    }
    if (!strcmp(r->status, "closed") && !r->closed_reason[0]) {
        *why = "closed_reason";
        return false;
    }
    /* lead-time stamps: the first time each step happened */
    if (!r->parent_talk_at && !strcmp(r->parent_talk, "held"))
        r->parent_talk_at = now;
    if (!r->consultation_at && strcmp(r->consultation, "none") != 0)
        r->consultation_at = now;
    if (!r->referral_at && !strcmp(r->status, "referred"))
        r->referral_at = now;
    if (!r->support_at && !strcmp(r->status, "support_started"))
        r->support_at = now;
    r->closed_at = !strcmp(r->status, "closed") ? (r->closed_at ? r->closed_at : now) : 0;
    return true;
}

static const char SQL_CASE_WRITE[] =
    "INSERT INTO cases(child_id, location_id, status, consent, parent_talk, consultation,"
    " referred_to, closed_reason, next_action, next_action_owner, next_action_due,"
    " follow_up_date, parent_talk_at, consultation_at, referral_at, support_at, closed_at,"
    " consent_at, consent_by, updated_at) VALUES (?1, ?2, ?3,"
    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULLIF(?13, 0), NULLIF(?14, 0), NULLIF(?15, 0),"
    " NULLIF(?16, 0), NULLIF(?17, 0), NULLIF(?18, 0), NULLIF(?19, ''), ?20)"
    " ON CONFLICT(child_id) DO UPDATE SET status = ?3, consent = ?4, parent_talk = ?5,"
    " consultation = ?6, referred_to = ?7, closed_reason = ?8, next_action = ?9,"
    " next_action_owner = ?10, next_action_due = ?11, follow_up_date = ?12,"
    " parent_talk_at = NULLIF(?13, 0), consultation_at = NULLIF(?14, 0),"
    " referral_at = NULLIF(?15, 0), support_at = NULLIF(?16, 0), closed_at = NULLIF(?17, 0),"
    " consent_at = NULLIF(?18, 0), consent_by = NULLIF(?19, ''), updated_at = ?20";

static vp_result case_write(struct cconn *c, const char *child_id, const char *loc,
                            const struct case_row *r, int64_t now)
{
    sqlite3_stmt *s = cst_prep(c, SQL_CASE_WRITE);
    const char *texts[] = { r->status,      r->consent,       r->parent_talk, r->consultation,
                            r->referred_to, r->closed_reason, r->next_action, r->owner,
                            r->due,         r->follow_up };
    const int64_t times[] = { r->parent_talk_at, r->consultation_at, r->referral_at,
                              r->support_at,     r->closed_at,       r->consent_at };
    cst_bind_text(s, 1, child_id);
    cst_bind_text(s, 2, loc);
    for (int i = 0; i < 10; i++)
        cst_bind_text(s, 3 + i, texts[i]);
    for (int i = 0; i < 6; i++)
        cst_bind_int(s, 13 + i, times[i]);
    cst_bind_text(s, 19, r->consent_by);
    cst_bind_int(s, 20, now);
    return cst_done(c, s);
}

vp_result cst_feed_case(struct cconn *c, const char *child_id, int64_t now_ms)
{
    struct case_row r;
    struct vp_change chg;
    char loc[VP_UUID_LEN];
    json_t *js;
    vp_result res;
    if ((res = cst_child_location(c, child_id, loc)) != VP_OK)
        return res;
    case_read(c, child_id, &r);
    memset(&chg, 0, sizeof(chg));
    chg.type = VP_CHG_CASE;
    vp_strlcpy(chg.u.kase.child_id, child_id, sizeof(chg.u.kase.child_id));
    chg.u.kase.status = (enum vp_case_status)vp_case_status_parse(r.status);
    vp_strlcpy(chg.u.kase.next_action, r.next_action, sizeof(chg.u.kase.next_action));
    vp_strlcpy(chg.u.kase.next_action_due, r.due, sizeof(chg.u.kase.next_action_due));
    chg.u.kase.consultation = (enum vp_consultation)vp_consultation_parse(r.consultation);
    js = vp_change_to_json(&chg);
    res = cst_feed_add(c, loc, "case", child_id, js, now_ms);
    json_decref(js);
    return res;
}

/* Starts a coach's write on a child: transaction, location, permission. */
static vp_result begin_child(struct cconn *c, const char *coach_id, const char *child_id,
                             char loc[VP_UUID_LEN])
{
    vp_result res = cst_begin(c);
    if (res)
        return res;
    res = cst_child_location(c, child_id, loc);
    if (!res && !cst_coach_may(c, coach_id, loc))
        res = VP_ERR_REFUSED;
    if (res)
        cst_rollback(c);
    return res;
}

static vp_result finish(struct cconn *c, vp_result res)
{
    if (!res)
        res = cst_commit(c);
    if (res)
        cst_rollback(c);
    return res;
}

vp_result cstore_case_update(struct cstore *st, const char *coach_id, const char *child_id,
                             const struct cstore_case_edit *edit, const char *ip, int64_t now_ms,
                             json_t **out, const char **why)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    struct case_row r;
    char loc[VP_UUID_LEN], detail[160];
    const char *bad = NULL;
    if (!c)
        return res;
    if ((res = begin_child(c, coach_id, child_id, loc)) != VP_OK)
        return res;
    case_read(c, child_id, &r);
    if (!apply_edit(&r, edit, coach_id, now_ms, &bad)) {
        cst_rollback(c);
        if (why)
            *why = bad;
        return VP_ERR_INVALID;
    }
    snprintf(detail, sizeof(detail), "status=%s consent=%s parent_talk=%s consultation=%s",
             r.status, r.consent, r.parent_talk, r.consultation);
    res = case_write(c, child_id, loc, &r, now_ms);
    if (!res)
        res = cst_feed_case(c, child_id, now_ms);
    if (!res)
        res = cst_audit(c, coach_id, "case_update", child_id, loc, detail, ip, now_ms);
    if ((res = finish(c, res)) == VP_OK && out)
        *out = cst_case_json(c, child_id);
    return res;
}

static const char SQL_ADVICE_ADD[] =
    "INSERT INTO advice(id, child_id, location_id, coach_id,"
    " author, text, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_COACH_NAME[] = "SELECT name FROM coaches WHERE id = ?1";

static vp_result advice_insert(struct cconn *c, const char *coach_id, struct vp_advice *a,
                               const char *loc)
{
    sqlite3_stmt *s = cst_prep(c, SQL_COACH_NAME);
    cst_bind_text(s, 1, coach_id);
    /* a coach's name may have 80 characters, the wire's author label 40:
     * the label is the name shortened by characters, ending in "…" */
    if (sqlite3_step(s) == SQLITE_ROW)
        vp_utf8_shorten(a->author, sizeof(a->author), cst_col(s, 0), VP_NAME_MAX_CHARS);
    sqlite3_reset(s);
    s = cst_prep(c, SQL_ADVICE_ADD);
    cst_bind_text(s, 1, a->advice_id);
    cst_bind_text(s, 2, a->child_id);
    cst_bind_text(s, 3, loc);
    cst_bind_text(s, 4, coach_id ? coach_id : "operator");
    cst_bind_text(s, 5, a->author);
    cst_bind_text(s, 6, a->text);
    cst_bind_int(s, 7, a->created_ms);
    return cst_done(c, s);
}

vp_result cstore_advice_add(struct cstore *st, const char *coach_id, const char *child_id,
                            const char *text, const char *ip, int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    struct vp_change chg;
    struct case_row r;
    struct vp_uuid7 gen = { 0, 0 };
    char loc[VP_UUID_LEN];
    json_t *js;
    if (!c)
        return res;
    if (!*text || vp_utf8_length(text) > 2000 || !vp_utf8_valid_text(text, strlen(text)))
        return VP_ERR_INVALID;
    if ((res = begin_child(c, coach_id, child_id, loc)) != VP_OK)
        return res;
    memset(&chg, 0, sizeof(chg));
    chg.type = VP_CHG_ADVICE;
    vp_uuid7_next(&gen, now_ms, chg.u.advice.advice_id);
    vp_strlcpy(chg.u.advice.child_id, child_id, sizeof(chg.u.advice.child_id));
    vp_strlcpy(chg.u.advice.text, text, sizeof(chg.u.advice.text));
    chg.u.advice.created_ms = now_ms;
    res = advice_insert(c, coach_id, &chg.u.advice, loc);
    js = vp_change_to_json(&chg);
    if (!res)
        res = cst_feed_add(c, loc, "advice", chg.u.advice.advice_id, js, now_ms);
    case_read(c, child_id, &r);
    if (!strcmp(r.status, "new") || !strcmp(r.status, "reviewing") ||
        !strcmp(r.status, "more_info"))
        vp_strlcpy(r.status, "advised", sizeof(r.status));
    if (!res)
        res = case_write(c, child_id, loc, &r, now_ms);
    if (!res)
        res = cst_feed_case(c, child_id, now_ms);
    if (!res)
        res = cst_audit(c, coach_id, "advice", child_id, loc, chg.u.advice.advice_id, ip, now_ms);
    if ((res = finish(c, res)) == VP_OK && out) {
        json_object_del(js, "seq");
        *out = json_incref(js);
    }
    json_decref(js);
    return res;
}

/* Everything about a child, the feed included, goes; a tombstone stays so
 * late pushes naming the child are rejected. */
static const char *const erase_sql[] = {
    ("DELETE FROM changes WHERE type = 'advice' AND entity_id IN"
     " (SELECT id FROM advice WHERE child_id = ?1)"),
    "DELETE FROM changes WHERE entity_id = ?1",
    "DELETE FROM advice_reads WHERE advice_id IN (SELECT id FROM advice WHERE child_id = ?1)",
    "DELETE FROM advice WHERE child_id = ?1",
    "DELETE FROM observations WHERE" CST_VERSIONS_WHERE("sg.child_id = ?1"),
    "DELETE FROM signals WHERE child_id = ?1", /* and, cascading, the coach's marks */
    "DELETE FROM signal_undone WHERE child_id = ?1",
    "DELETE FROM records WHERE child_id = ?1",
    "DELETE FROM cases WHERE child_id = ?1",
    "DELETE FROM children WHERE child_id = ?1",
};
static const char SQL_TOMBSTONE[] =
    "INSERT OR IGNORE INTO erased_children(child_id, location_id, erased_at) VALUES (?1, ?2, ?3)";

vp_result cst_child_erase_rows(struct cconn *c, const char *child_id, const char *location_id,
                               int64_t now_ms)
{
    vp_result res = VP_OK;
    struct vp_change chg;
    sqlite3_stmt *s;
    json_t *js;
    for (size_t i = 0; !res && i < sizeof(erase_sql) / sizeof(erase_sql[0]); i++) {
        s = cst_prep(c, erase_sql[i]);
        cst_bind_text(s, 1, child_id);
        res = cst_done(c, s);
    }
    if (!res) {
        s = cst_prep(c, SQL_TOMBSTONE);
        cst_bind_text(s, 1, child_id);
        cst_bind_text(s, 2, location_id);
        cst_bind_int(s, 3, now_ms);
        res = cst_done(c, s);
    }
    memset(&chg, 0, sizeof(chg));
    chg.type = VP_CHG_ERASE;
    vp_strlcpy(chg.u.erase_child_id, child_id, sizeof(chg.u.erase_child_id));
    js = vp_change_to_json(&chg);
    if (!res)
        res = cst_feed_add(c, location_id, "erase", child_id, js, now_ms);
    json_decref(js);
    return res;
}

vp_result cstore_child_erase(struct cstore *st, const char *coach_id, const char *child_id,
                             const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    char loc[VP_UUID_LEN];
    if (!c)
        return res;
    if ((res = begin_child(c, coach_id, child_id, loc)) != VP_OK)
        return res;
    res = cst_child_erase_rows(c, child_id, loc, now_ms);
    if (!res)
        res = cst_audit(c, coach_id, "erase", child_id, loc, NULL, ip, now_ms);
    if (!res) /* last before the commit: a restore re-applies it (cstore_erasure.c) */
        res = cst_erasure_log_add(st->dir, child_id, loc, now_ms);
    if ((res = finish(c, res)) == VP_OK)
        cst_checkpoint(c);
    return res;
}
