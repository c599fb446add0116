/*
 * test_central_migration.c - migration 3 folds what a centre of schema 2
 * already holds: a database built with schema 2's own migrations and data
 * in the shape schema 2's code wrote (every version its own row with its
 * own seen and archive marks, retractions as rows, cases with stored signal
 * times). After opening it: one signal per chain, shown as its latest
 * version; marks on the signal (lifted where a later version raised the
 * level or added codes); undone signals gone with their content and
 * tombstoned; every version still answered exactly once.
 */
#include "cfx.h"
#include "cstore_int.h"
#include "vp_str.h"
#include "vp_test.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOC   "0190a000-0000-7000-8000-00000000a001"
#define GROUP "0190a000-0000-7000-8000-00000000a002"
#define STAFF "0190a000-0000-7000-8000-00000000a003"
#define COACH "0190a000-0000-7000-8000-00000000a004"
#define KID1  "0190a000-0000-7000-8000-00000000b001"
#define KID2  "0190a000-0000-7000-8000-00000000b002"
#define KID3  "0190a000-0000-7000-8000-00000000b003"
#define DEV   "0190a000-0000-7000-8000-00000000d001"
/* signals: A (seen v1, amended without a raise), B (seen v1, raised), C
 * (undone), D (archived v1, amended alike), E (correction of a record the
 * centre never got), F (three versions) */
#define A1 "0190a001-0000-7000-8000-000000000a01"
#define A2 "0190a001-0000-7000-8000-000000000a02"
#define B1 "0190a001-0000-7000-8000-000000000b01"
#define B2 "0190a001-0000-7000-8000-000000000b02"
#define C1 "0190a001-0000-7000-8000-000000000c01"
#define C2 "0190a001-0000-7000-8000-000000000c02"
#define D1 "0190a001-0000-7000-8000-000000000d01"
#define D2 "0190a001-0000-7000-8000-000000000d02"
#define EX "0190a001-0000-7000-8000-000000000e00"
#define E2 "0190a001-0000-7000-8000-000000000e02"
#define F1 "0190a001-0000-7000-8000-000000000f01"
#define F2 "0190a001-0000-7000-8000-000000000f02"
#define F3 "0190a001-0000-7000-8000-000000000f03"

static sqlite3 *db;

static int exec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int exec(const char *fmt, ...)
{
    char sql[2048];
    char *err = NULL;
    va_list ap;
    int rc;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fprintf(stderr, "schema 2 data: %s\n  %s\n", err ? err : "", sql);
    sqlite3_free(err);
    return rc;
}

/* An observation row and its record, as schema 2's push wrote them. */
static int obs(const char *id, const char *child, const char *corrects, int level,
               const char *codes, int retracted, long long at)
{
    char corr[48] = "NULL";
    if (corrects)
        snprintf(corr, sizeof(corr), "'%s'", corrects);
    return exec("INSERT INTO observations VALUES ('%s', '" LOC "', '%s', '" STAFF "', '" DEV
                "', '%s', %d, '', '', 'noot %s', 0, 'none', 0, %d, %s, %lld, 1, %lld);"
                "INSERT INTO records VALUES ('%s', '" LOC "', '" DEV "', 'observation', 'h-%s',"
                " '%s', %lld)",
                id, child, codes, level, id, retracted, corr, at - 1000, at, id, id, child, at);
}

static int build_schema_2(const char *dir)
{
    char path[600];
    int rc = 0;
    long long t = 1767225600000LL; /* 2026-01-01 */
    snprintf(path, sizeof(path), "%s/central.db", dir);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    rc |= sqlite3_exec(db, cst_migrations[0], NULL, NULL, NULL); /* schema 1 and 2, as shipped */
    rc |= sqlite3_exec(db, cst_migrations[1], NULL, NULL, NULL);
    rc |= exec("PRAGMA user_version = 2");
    rc |= exec("INSERT INTO locations VALUES ('" LOC "', 'Dolfijn', 'Org', '', 90, 30, 0);"
               "INSERT INTO groups VALUES ('" GROUP "', '" LOC "', 'Rups', 0, 'r', 0);"
               "INSERT INTO staff VALUES ('" STAFF "', '" LOC "', 'Anouk', 'pm', 'x', 0, 'r', 0);"
               "INSERT INTO coaches VALUES ('" COACH "', 'c@example.org', 'Coach', 'x', 0);"
               "INSERT INTO coach_locations VALUES ('" COACH "', '" LOC "');");
    for (int k = 1; k <= 3; k++)
        rc |= exec("INSERT INTO children VALUES ('0190a000-0000-7000-8000-00000000b00%d', '" LOC
                   "', '" GROUP "', 'Kind%d', '2023-01', 'K-000%d', 0, 'r', 0)",
                   k, k, k);
    rc |= obs(A1, KID1, NULL, 2, "TAAL-02", 0, t);
    rc |= obs(A2, KID1, A1, 1, "TAAL-02", 0, t + 100);
    rc |= obs(B1, KID1, NULL, 1, "SOC-01", 0, t + 200);
    rc |= obs(B2, KID1, B1, 3, "SOC-01", 0, t + 300);
    rc |= obs(C1, KID2, NULL, 2, "GED-02", 0, t + 400);
    rc |= obs(C2, KID2, C1, 2, "", 1, t + 500);
    rc |= obs(D1, KID1, NULL, 2, "MOT-03,MOT-06", 0, t + 600);
    rc |= obs(D2, KID1, D1, 2, "MOT-03", 0, t + 700);
    rc |= obs(E2, KID3, EX, 2, "ZIN-02", 0, t + 800);
    rc |= obs(F1, KID3, NULL, 1, "WEL-01", 0, t + 900);
    rc |= obs(F2, KID3, F1, 2, "WEL-01", 0, t + 1000);
    rc |= obs(F3, KID3, F2, 2, "WEL-01,WEL-02", 0, t + 1100);
    rc |= exec("INSERT INTO console_seen VALUES ('" A1 "', '" COACH "', 1);"
               "INSERT INTO console_seen VALUES ('" B1 "', '" COACH "', 1);"
               "INSERT INTO console_seen VALUES ('" C1 "', '" COACH "', 1);"
               "INSERT INTO console_archive VALUES ('" D1 "', '" COACH "', 'duplicate', 5);"
               "INSERT INTO console_archive VALUES ('" C2 "', '" COACH "', 'other', 6)");
    /* cases as schema 2 kept them: KID2's only signal is undone, nobody worked on it */
    rc |= exec("INSERT INTO cases(child_id, location_id, first_signal_at, last_signal_at,"
               " updated_at) VALUES ('" KID1 "', '" LOC "', %lld, %lld, 0),"
               " ('" KID2 "', '" LOC "', %lld, %lld, 0)",
               t, t + 700, t + 400, t + 500);
    rc |= exec("INSERT INTO cases(child_id, location_id, status, first_signal_at,"
               " last_signal_at, updated_at) VALUES ('" KID3 "', '" LOC "', 'reviewing', 1, 1, 0)");
    sqlite3_close(db);
    db = NULL;
    return rc;
}

static int64_t q(struct cfx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t q(struct cfx *f, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return cfx_sql_int(f, sql);
}

static void check_signal(struct cfx *f, const char *sig, const char *latest, int versions)
{
    if (q(f,
          "SELECT COUNT(*) FROM signals WHERE signal_id = '%s' AND latest_id = '%s'"
          " AND versions = %d",
          sig, latest, versions) != 1)
        VP_TEST_FAIL_("signal %s: want latest %s of %d versions", sig, latest, versions);
}

static void test_migration_3_folds_a_schema_2_centre(void)
{
    struct cfx f;
    json_t *inbox;
    const char *st[2];
    memset(&f, 0, sizeof(f));
    f.dir = vp_test_tempdir();
    CHECK_INT_EQ(build_schema_2(f.dir), 0);
    cfx_reopen(&f); /* migrates */
    CHECK_INT_EQ(q(&f, "PRAGMA user_version"), cst_migration_count);
    /* one signal per chain, its latest version, every version filed */
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM signals"), 5);
    check_signal(&f, A1, A2, 2);
    check_signal(&f, B1, B2, 2);
    check_signal(&f, D1, D2, 2);
    check_signal(&f, EX, E2, 1);
    check_signal(&f, F1, F3, 3);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM observations WHERE signal_id = '" F1 "'"), 3);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM records WHERE signal_id = '" F1 "'"), 3);
    CHECK_INT_EQ(q(&f, "SELECT first_device_time FROM signals WHERE signal_id = '" F1 "'"),
                 1767225600000LL + 900 - 1000);
    /* marks moved to the signal: A stays seen (lower level), B raised: unseen */
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM signal_seen WHERE signal_id = '" A1 "'"), 1);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM signal_seen WHERE signal_id = '" B1 "'"), 0);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM signal_archive WHERE signal_id = '" D1 "'"
                       " AND reason = 'duplicate'"),
                 1);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM signal_seen"), 1);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM signal_archive"), 1);
    /* C is undone: no content, no marks, a tombstone, its ids kept */
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM observations WHERE child_id = '" KID2 "'"), 0);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM signal_undone WHERE signal_id = '" C1 "'"), 1);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM records WHERE signal_id = '" C1 "'"), 2);
    /* KID2's untouched case went; KID3's case (in review) stays */
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM cases WHERE child_id = '" KID2 "'"), 0);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM cases WHERE child_id = '" KID3 "'"), 1);
    /* the old tables and columns are gone */
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('console_seen',"
                       " 'console_archive')"),
                 0);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM pragma_table_info('cases')"
                       " WHERE name IN ('first_signal_at', 'last_signal_at')"),
                 0);
    CHECK_INT_EQ(q(&f, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
    /* the coach's Nieuw: B (raised), E, F; not A (seen), not D (archived), not C */
    vp_strlcpy(f.coach.id, COACH, sizeof(f.coach.id));
    f.now = 1767225600000LL + 86400000;
    inbox = cfx_inbox(&f, CCON_VIEW_NEW, CCON_ORDER_NEWEST, 0);
    CHECK_INT_EQ(json_array_size(json_object_get(inbox, "signals")), 3);
    json_decref(inbox);
    /* the tablet pushes C's versions again: the same answers as before */
    vp_strlcpy(f.dev.id, DEV, sizeof(f.dev.id));
    vp_strlcpy(f.dev.location_id, LOC, sizeof(f.dev.location_id));
    {
        struct cstore_item items[2];
        const char *ids[2] = { C1, C2 };
        memset(items, 0, sizeof(items));
        for (int i = 0; i < 2; i++) {
            items[i].valid = true;
            items[i].rec.type = VP_REC_OBSERVATION;
            vp_strlcpy(items[i].id, ids[i], sizeof(items[i].id));
            vp_strlcpy(items[i].rec.u.obs.id, ids[i], sizeof(items[i].rec.u.obs.id));
            snprintf(items[i].hash, sizeof(items[i].hash), "h-%s", ids[i]);
        }
        CHECK_OK(cstore_push(f.st, &f.dev, items, 2, f.now, NULL));
        for (int i = 0; i < 2; i++)
            st[i] = vp_push_status_name(items[i].status);
        CHECK_STR_EQ(st[0], "duplicate");
        CHECK_STR_EQ(st[1], "duplicate");
    }
    cfx_free(&f);
}

int main(void)
{
    VP_TEST(test_migration_3_folds_a_schema_2_centre);
    return vp_test_done();
}
