/*
 * test_central_retention.c - the centre purges what it may no longer keep:
 * unlinked signals (archived by the coach, or of a case nobody took up)
 * after 365 days, closed case files after 730 days; cases in progress and
 * young data stay; every purge is in the audit log.
 */
#include "ctu.h"
#include "vp_core.h"
#include "vp_test.h"
#include <stdarg.h>

static char dir[512];
static struct central_demo_location locs[5];

/* Pushes one observation for child through the API; returns its id in id. */
static void push_one(const char *url, const char *token, const char *child, const char *staff,
                     char id[40])
{
    json_t *obs = ctu_observation(child, staff, 2), *answer = NULL;
    vp_strlcpy(id, json_string_value(json_object_get(obs, "id")), 40);
    ctu_push(url, token, json_pack("[o]", obs), &answer);
    json_decref(answer);
}

static void sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sqlf(const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    CHECK_INT_EQ(ctu_db_exec(dir, sql), 0);
}

static int64_t count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int64_t count(const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return ctu_db_int(dir, sql);
}

static void test_purge_removes_old_unlinked_signals_and_closed_files_only(void)
{
    struct central_proc srv;
    char token[64], device[40], kids[4][40], staff[40];
    char archived[40], untaken[40], working[40], closed_old[40], recent[40];
    struct vp_buf out = VP_BUF_INIT;
    const char *purge[] = { "purge", NULL };
    const long long day = 86400000;
    char *tmp = vp_test_tempdir();
    vp_strlcpy(dir, tmp, sizeof(dir));
    free(tmp);
    CHECK_INT_EQ(central_proc_demo(dir, locs, 5, NULL), 5);
    CHECK_INT_EQ(central_proc_start(&srv, dir, NULL, NULL), 0);
    CHECK_INT_EQ(ctu_enroll(srv.url, locs[0].code, token, device), 200);
    for (int i = 0; i < 4; i++) {
        struct vp_buf sql = VP_BUF_INIT;
        vp_buf_addf(&sql,
                    "SELECT child_id FROM children WHERE location_id = '%s'"
                    " ORDER BY child_id LIMIT 1 OFFSET %d",
                    locs[0].id, i);
        ctu_db_text(dir, sql.data, kids[i], sizeof(kids[i]));
        vp_buf_release(&sql);
    }
    {
        struct vp_buf sql = VP_BUF_INIT;
        vp_buf_addf(&sql, "SELECT staff_id FROM staff WHERE location_id = '%s' LIMIT 1",
                    locs[0].id);
        ctu_db_text(dir, sql.data, staff, sizeof(staff));
        vp_buf_release(&sql);
    }
    push_one(srv.url, token, kids[0], staff, archived);   /* case 0: archived signal */
    push_one(srv.url, token, kids[1], staff, untaken);    /* case 1: never taken up */
    push_one(srv.url, token, kids[2], staff, working);    /* case 2: in progress */
    push_one(srv.url, token, kids[3], staff, closed_old); /* case 3: closed long ago */
    push_one(srv.url, token, kids[0], staff, recent);     /* young, case 0 */
    CHECK_INT_EQ(central_proc_stop(&srv), 0);

    /* age everything but the recent signal 400 days; close case 3 800 days ago */
    sqlf("UPDATE observations SET received_at = received_at - 400 * %lld WHERE id <> '%s'", day,
         recent);
    sqlf("UPDATE signals SET received_at = received_at - 400 * %lld,"
         " first_received_at = first_received_at - 400 * %lld WHERE signal_id <> '%s'",
         day, day, recent);
    sqlf("INSERT INTO signal_archive(signal_id, coach_id, reason, archived_at, level, codes)"
         " VALUES ('%s', 'x', 'no_follow_up', 0, 2, 'TAAL-02')",
         archived);
    sqlf("UPDATE cases SET status = 'reviewing' WHERE child_id = '%s'", kids[2]);
    sqlf("UPDATE cases SET status = 'reviewing' WHERE child_id = '%s'", kids[0]);
    sqlf("UPDATE cases SET status = 'closed', closed_reason = 'other',"
         " closed_at = strftime('%%s','now') * 1000 - 800 * %lld WHERE child_id = '%s'",
         day, kids[3]);
    sqlf("INSERT INTO advice(id, child_id, location_id, coach_id, author, text, created_at)"
         " VALUES ('adv-1', '%s', 'l', 'c', 'Coach', 'Oud advies', 0)",
         kids[3]);

    CHECK_INT_EQ(central_proc_run(dir, purge, NULL, &out), 0);
    CHECK_STR_EQ(out.data, "3\t1\n"); /* archived + untaken + the closed file's signal */
    vp_buf_release(&out);

    CHECK_INT_EQ(count("SELECT count(*) FROM observations WHERE id = '%s'", archived), 0);
    CHECK_INT_EQ(count("SELECT count(*) FROM signals WHERE signal_id = '%s'", archived), 0);
    CHECK_INT_EQ(count("SELECT count(*) FROM signal_archive"), 0);
    /* exactly-once delivery keeps the record ids */
    CHECK_INT_EQ(count("SELECT count(*) FROM records WHERE id = '%s'", archived), 1);
    CHECK_INT_EQ(count("SELECT count(*) FROM observations WHERE id = '%s'", untaken), 0);
    CHECK_INT_EQ(count("SELECT count(*) FROM cases WHERE child_id = '%s'", kids[1]), 0);
    CHECK_INT_EQ(count("SELECT count(*) FROM observations WHERE id = '%s'", working), 1);
    CHECK_INT_EQ(count("SELECT count(*) FROM observations WHERE id = '%s'", recent), 1);
    CHECK_INT_EQ(count("SELECT count(*) FROM observations WHERE id = '%s'", closed_old), 0);
    CHECK_INT_EQ(count("SELECT count(*) FROM cases WHERE child_id = '%s'", kids[3]), 0);
    CHECK_INT_EQ(count("SELECT count(*) FROM advice WHERE child_id = '%s'", kids[3]), 0);
    /* the child herself stays on the location's roster */
    CHECK_INT_EQ(count("SELECT count(*) FROM children WHERE child_id = '%s'", kids[3]), 1);
    CHECK_INT_EQ(count("SELECT count(*) FROM audit WHERE action = 'retention_purge'"), 1);

    /* a second run finds nothing more, and periods under 30 days are refused */
    CHECK_INT_EQ(central_proc_run(dir, purge, NULL, &out), 0);
    CHECK_STR_EQ(out.data, "0\t0\n");
    vp_buf_release(&out);
    {
        const char *bad[] = { "purge", "--signal-days", "3", NULL };
        CHECK_INT_EQ(central_proc_run(dir, bad, NULL, NULL), 2);
    }
    {
        char ok[16];
        ctu_db_text(dir, "PRAGMA integrity_check", ok, sizeof(ok));
        CHECK_STR_EQ(ok, "ok");
    }
}

int main(void)
{
    VP_TEST(test_purge_removes_old_unlinked_signals_and_closed_files_only);
    return vp_test_done();
}
