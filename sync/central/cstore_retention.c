/*
 * cstore_retention.c - purging what the centre no longer may keep
 * (DOMAIN.md, "Privacy rules"): unlinked signals 12 months after they were
 * received, case files 2 years after the case was closed. Run by `serve`
 * every hour and by `vindplaats-central purge`.
 *
 * "Unlinked" signals are those the coach archived ("geen vervolg nodig") and
 * those of a child whose case was never taken up (still "new"); a signal's
 * age is that of its latest version, and all its versions go together. The
 * ids and hashes in records stay (exactly-once delivery). Purging a
 * case file removes its signals, advice, read receipts and the case; the
 * child stays on the location's tablets (she may still attend) but the
 * centre keeps nothing of her route. Every purge is written to the audit log.
 */
#include "cstore_signal.h"
#include "vp_log.h"
#include <stdio.h>

/* The same old unlinked signals, first their versions, then the signals. */
#define OLD_UNLINKED                                                                               \
    " (SELECT sg.signal_id FROM signals sg WHERE sg.received_at < ?1 AND (sg.signal_id IN"         \
    " (SELECT signal_id FROM signal_archive) OR sg.child_id IN"                                    \
    " (SELECT child_id FROM cases WHERE status = 'new')))"
static const char SQL_OLD_VERSIONS[] =
    "DELETE FROM observations WHERE" CST_VERSIONS_WHERE("sg.signal_id IN" OLD_UNLINKED);
static const char SQL_OLD_UNLINKED[] = "DELETE FROM signals WHERE signal_id IN" OLD_UNLINKED;
static const char SQL_EMPTY_NEW_CASES[] =
    "DELETE FROM cases WHERE status = 'new' AND NOT EXISTS"
    " (SELECT 1 FROM signals sg WHERE sg.child_id = cases.child_id)";
static const char SQL_CLOSED_READS[] =
    "DELETE FROM advice_reads WHERE advice_id IN (SELECT a.id FROM advice a JOIN cases c"
    " ON c.child_id = a.child_id WHERE c.status = 'closed' AND c.closed_at < ?1)";
static const char SQL_CLOSED_ADVICE[] =
    "DELETE FROM advice WHERE child_id IN (SELECT child_id FROM cases"
    " WHERE status = 'closed' AND closed_at < ?1)";
static const char SQL_CLOSED_VERSIONS[] = "DELETE FROM observations WHERE" CST_VERSIONS_WHERE(
    "sg.child_id IN (SELECT child_id FROM cases WHERE status = 'closed' AND closed_at < ?1)");
static const char SQL_CLOSED_SIGNALS[] =
    "DELETE FROM signals WHERE child_id IN (SELECT child_id FROM cases"
    " WHERE status = 'closed' AND closed_at < ?1)";
static const char SQL_CLOSED_CASES[] =
    "DELETE FROM cases WHERE status = 'closed' AND closed_at < ?1";

static vp_result run(struct cconn *c, const char *sql, int64_t cutoff, int64_t *changed)
{
    sqlite3_stmt *s = cst_prep(c, sql);
    vp_result res;
    if (cutoff >= 0)
        cst_bind_int(s, 1, cutoff);
    res = cst_done(c, s);
    if (!res && changed)
        *changed += sqlite3_changes(c->db);
    return res;
}

vp_result cstore_purge(struct cstore *st, int64_t now_ms, int64_t signal_days, int64_t case_days,
                       struct cstore_purge_stats *out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    int64_t sig_cut = now_ms - signal_days * 86400000, case_cut = now_ms - case_days * 86400000;
    struct cstore_purge_stats n = { 0, 0 };
    char detail[96];
    if (!c)
        return res;
    if (signal_days < 1 || case_days < 1)
        return VP_ERR_INVALID;
    res = cst_begin(c);
    if (!res)
        res = run(c, SQL_OLD_VERSIONS, sig_cut, NULL);
    if (!res)
        res = run(c, SQL_OLD_UNLINKED, sig_cut, &n.signals);
    if (!res)
        res = run(c, SQL_EMPTY_NEW_CASES, -1, NULL);
    if (!res)
        res = run(c, SQL_CLOSED_READS, case_cut, NULL);
    if (!res)
        res = run(c, SQL_CLOSED_ADVICE, case_cut, NULL);
    if (!res)
        res = run(c, SQL_CLOSED_VERSIONS, case_cut, NULL);
    if (!res)
        res = run(c, SQL_CLOSED_SIGNALS, case_cut, &n.signals);
    if (!res)
        res = run(c, SQL_CLOSED_CASES, case_cut, &n.cases);
    if (!res && (n.signals || n.cases)) {
        snprintf(detail, sizeof(detail), "signals=%lld cases=%lld", (long long)n.signals,
                 (long long)n.cases);
        res = cst_audit(c, NULL, "retention_purge", NULL, NULL, detail, "system", now_ms);
    }
    res = res ? res : cst_commit(c);
    if (res) {
        cst_rollback(c);
        return res;
    }
    if (n.signals || n.cases)
        vp_info("retention: purged %lld signals and %lld case files", (long long)n.signals,
                (long long)n.cases);
    if (out)
        *out = n;
    return VP_OK;
}
