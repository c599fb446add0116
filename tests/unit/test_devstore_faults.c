/* Error paths of the device store: every failure is a clear value and
 * leaves the file as it was. */
#include "devstore_fixture.h"
#include <sys/stat.h>

static char *slurp(const char *path, size_t *len)
{
    struct vp_buf b = VP_BUF_INIT;
    if (vp_read_file(path, 64 << 20, &b) != VP_OK) {
        vp_buf_release(&b);
        return NULL;
    }
    return vp_buf_detach(&b, len);
}

static int count_observations(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM observations", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void test_full_disk_fails_cleanly_and_keeps_earlier_saves(void)
{
    struct fixture f;
    struct vp_observation o;
    struct dev_outbox_stats before, after;
    vp_result res = VP_OK;
    int saved = 0;
    CHECK(fixture_open(&f) == 0);
    CHECK_OK(devstore_limit_pages(f.s, 1)); /* clamps to the current size: no growth */
    for (int i = 0; i < 5000 && !res; i++) {
        fixture_obs(&f, &o, "TAAL-04");
        vp_strlcpy(o.note, "Een wat langere notitie zodat de pagina's sneller vol raken.",
                   sizeof(o.note));
        CHECK_OK(devstore_outbox_stats(f.s, &before));
        res = devstore_observation_record(f.s, &o);
        if (!res)
            saved++;
    }
    CHECK_ERR(res, VP_ERR_FULL);
    CHECK_OK(devstore_outbox_stats(f.s, &after));
    CHECK_INT_EQ(after.pending, before.pending); /* the failed save left nothing */
    CHECK_INT_EQ(after.pending_signals, saved);
    CHECK_OK(devstore_check_integrity(f.s));
    /* space comes back: saving works again and nothing earlier was lost */
    CHECK_OK(devstore_limit_pages(f.s, 1 << 30));
    fixture_obs(&f, &o, "TAAL-04");
    CHECK_OK(devstore_observation_record(f.s, &o));
    devstore_close(f.s);
    f.s = NULL;
    CHECK_INT_EQ(count_observations(f.path), saved + 1);
    CHECK_OK(devstore_open(f.path, &f.s));
    fixture_close(&f);
}

static void test_corrupt_file_is_refused_and_left_alone(void)
{
    char *dir = vp_test_tempdir(), *path = vp_path_join(dir, "kiosk.db"), *after;
    static const char garbage[] = "dit is geen database maar een boodschappenlijstje\n";
    struct devstore *s = NULL;
    struct stat st;
    size_t len = 0;
    CHECK_OK(vp_write_file_atomic(path, garbage, sizeof(garbage)));
    CHECK_ERR(devstore_open(path, &s), VP_ERR_CORRUPT);
    CHECK(s == NULL);
    after = slurp(path, &len);
    CHECK(after && len == sizeof(garbage) && memcmp(after, garbage, len) == 0);
    free(after);
    {
        char *wal = vp_path_join(dir, "kiosk.db-wal");
        CHECK(stat(wal, &st) != 0); /* no WAL was created next to it */
        free(wal);
    }
    vp_test_rmtree(dir);
    free(path);
    free(dir);
}

static void test_damaged_pages_are_reported_by_integrity_check(void)
{
    struct fixture f;
    struct vp_observation o;
    char *data;
    size_t len = 0;
    CHECK(fixture_open(&f) == 0);
    for (int i = 0; i < 200; i++) {
        fixture_obs(&f, &o, "WEL-01");
        CHECK_OK(devstore_observation_record(f.s, &o));
    }
    devstore_close(f.s);
    f.s = NULL;
    {
        /* fold the WAL into the file, then scribble over a page in the middle */
        sqlite3 *db = NULL;
        CHECK(sqlite3_open(f.path, &db) == SQLITE_OK);
        sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE", NULL, NULL,
                     NULL);
        sqlite3_close(db);
    }
    data = slurp(f.path, &len);
    CHECK(data && len > 8 * 4096);
    memset(data + 5 * 4096, 0xA5, 4096);
    CHECK_OK(vp_write_file_atomic(f.path, data, len));
    free(data);
    if (devstore_open(f.path, &f.s) == VP_OK) {
        CHECK_ERR(devstore_check_integrity(f.s), VP_ERR_CORRUPT);
    }
    fixture_close(&f);
}

static void test_newer_schema_is_refused_and_left_alone(void)
{
    struct fixture f;
    sqlite3 *db = NULL;
    char *before, *after;
    size_t lb = 0, la = 0;
    CHECK(fixture_open(&f) == 0);
    devstore_close(f.s);
    f.s = NULL;
    CHECK(sqlite3_open(f.path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 99;", NULL, NULL,
                       NULL) == SQLITE_OK);
    sqlite3_close(db);
    before = slurp(f.path, &lb);
    CHECK_ERR(devstore_open(f.path, &f.s), VP_ERR_TOO_NEW);
    CHECK(f.s == NULL);
    after = slurp(f.path, &la);
    CHECK(before && after && la == lb && memcmp(before, after, la) == 0);
    free(before);
    free(after);
    fixture_close(&f);
}

static void test_constraint_violation_is_a_value(void)
{
    struct fixture f;
    char id[VP_UUID_LEN];
    struct vp_observation o;
    CHECK(fixture_open(&f) == 0);
    fixture_obs(&f, &o, "TAAL-01");
    vp_uuid4(o.staff_id); /* no such staff member */
    CHECK_ERR(devstore_observation_record(f.s, &o), VP_ERR_CONSTRAINT);
    vp_uuid4(id);
    CHECK_ERR(devstore_group_update(f.s, id, "Bestaat niet", false), VP_ERR_NOT_FOUND);
    CHECK_ERR(devstore_staff_update(f.s, id, "Niemand", VP_ROLE_PM, false), VP_ERR_NOT_FOUND);
    fixture_close(&f);
}

int main(void)
{
    VP_TEST(test_full_disk_fails_cleanly_and_keeps_earlier_saves);
    VP_TEST(test_corrupt_file_is_refused_and_left_alone);
    VP_TEST(test_damaged_pages_are_reported_by_integrity_check);
    VP_TEST(test_newer_schema_is_refused_and_left_alone);
    VP_TEST(test_constraint_violation_is_a_value);
    return vp_test_done();
}
