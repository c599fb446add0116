/*
 * test_ops_restore_drill.c - the restore drill of docs/operations.md against
 * the real program: dated backups with rotation while the service runs, an
 * erasure after the backup that a restore must not undo (from the erasure
 * log in the data folder, or from the copy next to the backups when the data
 * folder's log is gone), a torn last log line, usage errors that change
 * nothing, and no child's name in anything the programs log.
 *
 * Everything the server and the commands write to stderr is captured in a
 * file (fd 2 is redirected before they start) and copied back at the end.
 */
#include "ctu.h"
#include "vp_core.h"
#include "vp_test.h"
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_NAMES 64

static struct central_proc srv;
static char dir[512], bdir[600], first_backup[700], pw[64], token[64], device[40];
static struct central_demo_location locs[5];
static char noor[40], zoe[40], other[40], staff[40], group[40], cookie[64], csrf[64];
static char names[MAX_NAMES][64];
static int nnames;
static char cap_path[600];
static int saved_stderr = -1;
static int64_t children_before;

static const char ZOE[] = "Zoë-Émilie 🌷";
static const char XANTHE[] = "Xanthe-Ruß";
static const char QUIRIJN[] = "Quirijn€";

/* ---- small helpers ---- */

static long cap_size(void)
{
    struct stat sb;
    return stat(cap_path, &sb) == 0 ? (long)sb.st_size : 0;
}

/* What was written to the captured stderr since offset (caller frees). */
static char *cap_since(long offset)
{
    struct vp_buf all = VP_BUF_INIT;
    char *out;
    fflush(stderr);
    vp_read_file(cap_path, 64 << 20, &all);
    out = vp_xstrdup(all.len > (size_t)offset ? all.data + offset : "");
    vp_buf_release(&all);
    return out;
}

/* Runs a command; its stdout (first line, newline cut) in out if not NULL. */
static int run(const char *const argv[], char *out, size_t size)
{
    struct vp_buf b = VP_BUF_INIT;
    int status = central_proc_run(dir, argv, NULL, &b);
    if (out) {
        vp_strlcpy(out, b.len ? b.data : "", size);
        out[strcspn(out, "\n")] = '\0';
    }
    vp_buf_release(&b);
    return status;
}

/* The integer answer of sql followed by 'id'. */
static int64_t count(const char *sql, const char *id)
{
    char full[400];
    snprintf(full, sizeof(full), "%s'%s'", sql, id);
    return ctu_db_int(dir, full);
}

static int mode_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int)(sb.st_mode & 0777) : -1;
}

static bool exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* True if word occurs in text with no letter or digit (ASCII) right before
 * or after it, so "Sem" is not found in "Semaphore". */
static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
        bool before = p > text && isalnum((unsigned char)p[-1]);
        bool after = isalnum((unsigned char)p[n]);
        if (!before && !after)
            return true;
    }
    return false;
}

static void read_names(void)
{
    char *path = vp_path_join(dir, "central.db");
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT DISTINCT first_name FROM children", -1, &s, NULL) ==
            SQLITE_OK)
        while (sqlite3_step(s) == SQLITE_ROW && nnames < MAX_NAMES)
            vp_strlcpy(names[nnames++], (const char *)sqlite3_column_text(s, 0), 64);
    sqlite3_finalize(s);
    sqlite3_close(db);
    free(path);
}

static long push(json_t *records, json_t **answer)
{
    return ctu_push(srv.url, token, records, answer);
}

static int restore(char *out, size_t size)
{
    const char *argv[] = { "restore", "--from", first_backup, NULL };
    return run(argv, out, size);
}

static int lines_of(const char *path, struct vp_buf *text)
{
    int n = 0;
    vp_buf_reset(text);
    if (vp_read_file(path, 1 << 20, text) != VP_OK)
        return -1;
    for (size_t i = 0; i < text->len; i++)
        n += text->data[i] == '\n';
    return n;
}

/* ---- the drill ---- */

static void test_backup_into_a_folder_is_dated_private_and_whole(void)
{
    const char *argv[] = { "backup", "--to", bdir, "--keep", "3", NULL };
    const char *base;
    char *db_path;
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t kids = -1;
    char integrity[16] = "";
    CHECK_INT_EQ(run(argv, first_backup, sizeof(first_backup)), 0); /* while it serves */
    base = strrchr(first_backup, '/');
    CHECK(base != NULL);
    base++;
    CHECK_INT_EQ(strlen(base), strlen("central-20261124T091400Z.db"));
    CHECK(!strncmp(base, "central-", 8) && base[16] == 'T' && !strcmp(base + 23, "Z.db"));
    CHECK(exists(first_backup));
    CHECK_INT_EQ(mode_of(first_backup), 0600);
    CHECK_INT_EQ(mode_of(bdir), 0700);
    db_path = vp_xstrdup(first_backup);
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            vp_strlcpy(integrity, (const char *)sqlite3_column_text(s, 0), sizeof(integrity));
        sqlite3_finalize(s);
        if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM children", -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            kids = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    free(db_path);
    CHECK_STR_EQ(integrity, "ok");
    CHECK_INT_EQ(kids, children_before);
    {
        DIR *d = opendir(bdir);
        struct dirent *e;
        int parts = 0;
        while (d && (e = readdir(d)) != NULL)
            parts += strstr(e->d_name, ".part") != NULL;
        if (d)
            closedir(d);
        CHECK_INT_EQ(parts, 0);
    }
}

/* An erasure that cannot be logged is not made: a later restore could not
 * apply it again. */
static void test_erasure_is_refused_when_its_log_cannot_be_written(void)
{
    char path[128], *log = vp_path_join(dir, "erasures.log");
    struct central_http r;
    CHECK_INT_EQ(ctu_login(srv.url, "coach@kluppluz.example", pw, cookie, csrf), 200);
    CHECK_OK(vp_mkdir_p(log)); /* a folder where the log should be: it cannot be opened */
    snprintf(path, sizeof(path), "/api/console/children/%s/erase", other);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", path, cookie, csrf, "{\"confirm\":true}", &r), 500);
    CHECK(strstr(r.body.data, "\"error\""));
    central_http_release(&r);
    CHECK_INT_EQ(rmdir(log), 0);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM children WHERE child_id = ", other), 1);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM erased_children WHERE child_id = ", other), 0);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM audit WHERE action = 'erase' AND child_id = ", other),
                 0);
    free(log);
}

static void test_erasure_is_logged_with_ids_and_never_a_name(void)
{
    char path[128], *log = vp_path_join(dir, "erasures.log");
    struct central_http r;
    struct vp_buf text = VP_BUF_INIT;
    CHECK_INT_EQ(ctu_login(srv.url, "coach@kluppluz.example", pw, cookie, csrf), 200);
    snprintf(path, sizeof(path), "/api/console/children/%s/erase", noor);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", path, cookie, csrf, "{\"confirm\":true}", &r), 200);
    central_http_release(&r);
    snprintf(path, sizeof(path), "/api/console/children/%s/erase", zoe);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", path, cookie, csrf, "{\"confirm\":true}", &r), 200);
    central_http_release(&r);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM children WHERE child_id = ", noor), 0);
    CHECK_INT_EQ(lines_of(log, &text), 2);
    CHECK(strstr(text.data, noor) && strstr(text.data, zoe) && strstr(text.data, locs[0].id));
    for (int i = 0; i < nnames; i++)
        if (has_word(text.data, names[i]))
            VP_TEST_FAIL_("the erasure log names %s: %s", names[i], text.data);
    CHECK(!strstr(text.data, ZOE));
    CHECK_INT_EQ(mode_of(log), 0600);
    vp_buf_release(&text);
    free(log);
}

static void test_restore_keeps_children_erased_after_the_backup(void)
{
    char out[512], path[128];
    struct central_http r;
    json_t *ans = NULL;
    char epoch[64] = "";
    ctu_db_text(dir, "SELECT value FROM meta WHERE key = 'server_epoch'", epoch, sizeof(epoch));
    CHECK_INT_EQ(central_proc_stop(&srv), 0);
    CHECK_INT_EQ(restore(out, sizeof(out)), 0);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM children WHERE child_id = ", noor), 0);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM children WHERE child_id = ", zoe), 0);
    /* the rest of the backup came back: everyone but the two erased */
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM children"), children_before - 2);
    CHECK(strstr(out, "Reservekopie teruggezet"));
    CHECK(strstr(out, "wislogboek: 2 "));
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM observations WHERE child_id = ", noor), 0);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM cases WHERE child_id = ", zoe), 0);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM records WHERE child_id = ", zoe), 0);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM changes WHERE type = 'child' AND entity_id = ", noor),
                 0);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM changes WHERE type = 'erase' AND entity_id = ", noor),
                 1);
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM erased_children"), 2);
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM audit WHERE action = 'erase'"
                                 " AND detail = 'restore: erasure log'"),
                 2);
    {
        char now[64] = "";
        ctu_db_text(dir, "SELECT value FROM meta WHERE key = 'server_epoch'", now, sizeof(now));
        CHECK(strcmp(now, epoch) != 0);
    }
    /* served again: the coach cannot open the child, a tablet cannot bring it back */
    CHECK_INT_EQ(central_proc_restart(&srv, NULL), 0);
    CHECK_INT_EQ(ctu_login(srv.url, "coach@kluppluz.example", pw, cookie, csrf), 200);
    snprintf(path, sizeof(path), "/api/console/children/%s", noor);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", path, cookie, NULL, NULL, &r), 404);
    central_http_release(&r);
    {
        json_t *recs = json_array();
        json_array_append_new(recs, ctu_observation(noor, staff, 2));
        json_array_append_new(recs, ctu_child(zoe, group, ZOE));
        CHECK_INT_EQ(push(recs, &ans), 200);
        CHECK_STR_EQ(ctu_result(ans, 0), "rejected");
        CHECK_STR_EQ(ctu_result(ans, 1), "rejected");
        json_decref(ans);
    }
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM children WHERE child_id = ", zoe), 0);
    CHECK_INT_EQ(central_proc_stop(&srv), 0);
}

static void test_restore_uses_the_log_beside_the_backups_when_the_data_log_is_lost(void)
{
    const char *argv[] = { "backup", "--to", bdir, "--keep", "3", NULL };
    char out[512], *log = vp_path_join(dir, "erasures.log"), *beside;
    struct vp_buf text = VP_BUF_INIT;
    beside = vp_path_join(bdir, "erasures.log");
    sleep(1); /* a new name: backups are named to the second */
    CHECK_INT_EQ(run(argv, NULL, 0), 0);
    CHECK_INT_EQ(lines_of(beside, &text), 2); /* the copy next to the backups */
    CHECK_INT_EQ(unlink(log), 0);
    CHECK_INT_EQ(restore(out, sizeof(out)), 0);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM children WHERE child_id = ", noor), 0);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM children WHERE child_id = ", zoe), 0);
    CHECK(strstr(out, "wislogboek: 2 "));
    CHECK_INT_EQ(lines_of(log, &text), 2); /* and the data folder's log is whole again */
    CHECK(strstr(text.data, noor) && strstr(text.data, zoe));
    vp_buf_release(&text);
    free(beside);
    free(log);
}

static void test_a_torn_last_log_line_is_skipped_with_a_warning(void)
{
    char out[512], *log = vp_path_join(dir, "erasures.log"), *err;
    int fd = open(log, O_WRONLY | O_APPEND);
    long before = cap_size();
    CHECK(fd >= 0);
    CHECK_INT_EQ(write(fd, "2026-11-24T09:1", 15), 15); /* power went out mid-line */
    close(fd);
    CHECK_INT_EQ(restore(out, sizeof(out)), 0);
    CHECK(strstr(out, "wislogboek: 2 "));
    err = cap_since(before);
    CHECK(strstr(err, "erasures.log line 3 is damaged"));
    free(err);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM children WHERE child_id = ", noor), 0);
    free(log);
}

static void touch(const char *folder, const char *name)
{
    char *p = vp_path_join(folder, name);
    vp_write_file_atomic(p, "x", 1);
    free(p);
}

static void test_rotation_keeps_the_newest_and_leaves_other_files_alone(void)
{
    char *rdir = vp_path_join(dir, "rotate"), written[700];
    const char *argv[] = { "backup", "--to", rdir, "--keep", "2", NULL };
    const char *old[] = { "central-20200101T000000Z.db", "central-20200102T000000Z.db",
                          "central-20200103T000000Z.db" };
    const char *others[] = { "notes.txt", "central-latest.db", "central-2020.db" };
    char *p;
    vp_mkdir_p(rdir);
    for (int i = 0; i < 3; i++) {
        touch(rdir, old[i]);
        touch(rdir, others[i]);
    }
    CHECK_INT_EQ(run(argv, written, sizeof(written)), 0);
    CHECK(exists(written));
    for (int i = 0; i < 3; i++) {
        p = vp_path_join(rdir, old[i]);
        if (exists(p) != (i == 2))
            VP_TEST_FAIL_("%s: want %s", old[i], i == 2 ? "kept" : "deleted");
        free(p);
        p = vp_path_join(rdir, others[i]);
        if (!exists(p))
            VP_TEST_FAIL_("%s was deleted, want it left alone", others[i]);
        free(p);
    }
    free(rdir);
}

struct racer {
    const char *folder;
    int failures;
};

static void *backup_thrice(void *arg)
{
    struct racer *r = arg;
    const char *argv[] = { "backup", "--to", r->folder, "--keep", "1", NULL };
    for (int i = 0; i < 3; i++)
        r->failures += run(argv, NULL, 0) != 0;
    return NULL;
}

/* Two backup runs at once (the timer and a person): both succeed, and what
 * is left is whole: one dated backup, no part files. */
static void test_backups_at_the_same_time_both_succeed_and_leave_whole_files(void)
{
    char *rdir = vp_path_join(dir, "race");
    struct racer a = { rdir, 0 }, b = { rdir, 0 };
    pthread_t ta, tb;
    DIR *d;
    struct dirent *e;
    int dated = 0, parts = 0;
    pthread_create(&ta, NULL, backup_thrice, &a);
    pthread_create(&tb, NULL, backup_thrice, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK_INT_EQ(a.failures + b.failures, 0);
    d = opendir(rdir);
    CHECK(d != NULL);
    while ((e = readdir(d)) != NULL) {
        dated += !strncmp(e->d_name, "central-", 8);
        parts += strstr(e->d_name, ".part") != NULL;
    }
    closedir(d);
    CHECK_INT_EQ(dated, 1);
    CHECK_INT_EQ(parts, 0);
    free(rdir);
}

static void test_backup_usage_errors_change_nothing(void)
{
    char *rdir = vp_path_join(dir, "never"), *file = vp_path_join(dir, "plain.db"), *err;
    const char *zero[] = { "backup", "--to", rdir, "--keep", "0", NULL };
    const char *word[] = { "backup", "--to", rdir, "--keep", "veel", NULL };
    const char *onfile[] = { "backup", "--to", file, "--keep", "2", NULL };
    const char *plain[] = { "backup", "--to", file, NULL };
    long before = cap_size();
    struct vp_buf text = VP_BUF_INIT;
    CHECK_INT_EQ(run(zero, NULL, 0), 2);
    CHECK_INT_EQ(run(word, NULL, 0), 2);
    CHECK(!exists(rdir));
    err = cap_since(before);
    CHECK(strstr(err, "vindplaats-central: Geef bij --keep een aantal van 1 tot 10000"));
    free(err);
    /* the contract's form: --to FILE writes that file, private */
    CHECK_INT_EQ(run(plain, NULL, 0), 0);
    CHECK_INT_EQ(mode_of(file), 0600);
    vp_read_file(file, 64 << 20, &text);
    CHECK(text.len > 4096 && !memcmp(text.data, "SQLite format 3", 15));
    CHECK_INT_EQ(run(onfile, NULL, 0), 2); /* --keep wants a folder */
    {
        struct vp_buf again = VP_BUF_INIT;
        vp_read_file(file, 64 << 20, &again);
        CHECK(again.len == text.len && !memcmp(again.data, text.data, text.len));
        vp_buf_release(&again);
    }
    vp_buf_release(&text);
    free(rdir);
    free(file);
}

static void test_logs_name_no_child(void)
{
    char *all = cap_since(0);
    int found = 0;
    CHECK(nnames >= 10);
    CHECK(strstr(all, "erasures.log line 3 is damaged")); /* the capture holds the logs */
    for (int i = 0; i < nnames; i++)
        if (has_word(all, names[i])) {
            fprintf(stderr, "a log names the child %s\n", names[i]);
            found++;
        }
    CHECK(!strstr(all, ZOE) && !strstr(all, XANTHE) && !strstr(all, QUIRIJN));
    CHECK_INT_EQ(found, 0);
    free(all);
}

/* ---- set-up: demo data, a tablet that adds a child and signals ---- */

/* The first column of "SELECT what FROM table WHERE location_id = Dolfijn". */
static int pick(const char *what, const char *table, char *out)
{
    char sql[300];
    snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE location_id = '%s'", what, table,
             locs[0].id);
    ctu_db_text(dir, sql, out, 40);
    return out[0] ? 0 : -1;
}

static int setup(void)
{
    const char *env[] = { "VINDPLAATS_LOG=debug", NULL };
    json_t *recs = json_array(), *ans = NULL, *bad;
    long status;
    if (central_proc_demo(dir, locs, 5, pw) != 5)
        return -1;
    if (pick("child_id", "children", noor) || pick("staff_id", "staff", staff) ||
        pick("group_id", "groups", group))
        return -1;
    {
        char sql[300];
        snprintf(sql, sizeof(sql), "SELECT child_id FROM children WHERE child_id <> '%s'", noor);
        ctu_db_text(dir, sql, other, sizeof(other));
        if (!other[0])
            return -1;
    }
    if (central_proc_start(&srv, dir, env, NULL) ||
        ctu_enroll(srv.url, locs[0].code, token, device) != 200)
        return -1;
    ctu_uuid(zoe);
    json_array_append_new(recs, ctu_child(zoe, group, ZOE));
    json_array_append_new(recs, ctu_observation(noor, staff, 2));
    json_array_append_new(recs, ctu_observation(zoe, staff, 3));
    bad = ctu_child(zoe, group, XANTHE); /* invalid: a birth month that cannot be */
    json_object_set_new(bad, "birth_month", json_string("2024-13"));
    json_array_append_new(recs, bad);
    status = push(recs, &ans);
    if (status != 200 || strcmp(ctu_result(ans, 0), "stored") ||
        strcmp(ctu_result(ans, 2), "stored") || strcmp(ctu_result(ans, 3), "rejected")) {
        fprintf(stderr, "setup: push gave %ld\n", status);
        json_decref(ans);
        return -1;
    }
    json_decref(ans);
    { /* a malformed body that carries a name */
        const char *h[] = { "Content-Type: application/json", NULL };
        char auth[128], body[128];
        struct central_http r;
        const char *hh[] = { h[0], auth, NULL };
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
        snprintf(body, sizeof(body), "{\"records\":[{\"first_name\":\"%s\"", QUIRIJN);
        central_http("POST", srv.url, "/api/v1/sync/push", hh, body, strlen(body), 0, &r);
        status = r.status;
        central_http_release(&r);
        if (status != 400)
            return -1;
    }
    read_names();
    children_before = ctu_db_int(dir, "SELECT COUNT(*) FROM children");
    snprintf(bdir, sizeof(bdir), "%s/backups", dir);
    return 0;
}

int main(void)
{
    char *tmp;
    int fd, rc;
    if (vp_core_init() != VP_OK)
        return 1;
    tmp = vp_test_tempdir();
    vp_strlcpy(dir, tmp, sizeof(dir));
    free(tmp);
    snprintf(cap_path, sizeof(cap_path), "%s.stderr", dir);
    fflush(stderr);
    saved_stderr = dup(2);
    fd = open(cap_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    if (fd < 0 || saved_stderr < 0 || dup2(fd, 2) < 0)
        return 1;
    close(fd);
    if (setup() != 0) {
        fprintf(stderr, "setup failed\n");
        vp_test_failures++;
    } else {
        VP_TEST(test_backup_into_a_folder_is_dated_private_and_whole);
        VP_TEST(test_erasure_is_refused_when_its_log_cannot_be_written);
        VP_TEST(test_erasure_is_logged_with_ids_and_never_a_name);
        VP_TEST(test_restore_keeps_children_erased_after_the_backup);
        VP_TEST(test_restore_uses_the_log_beside_the_backups_when_the_data_log_is_lost);
        VP_TEST(test_a_torn_last_log_line_is_skipped_with_a_warning);
        VP_TEST(test_rotation_keeps_the_newest_and_leaves_other_files_alone);
        VP_TEST(test_backups_at_the_same_time_both_succeed_and_leave_whole_files);
        VP_TEST(test_backup_usage_errors_change_nothing);
    }
    if (srv.pid)
        central_proc_stop(&srv);
    VP_TEST(test_logs_name_no_child);
    /* give the captured output back to ctest */
    fflush(stderr);
    dup2(saved_stderr, 2);
    {
        char *all = cap_since(0);
        fputs(all, stderr);
        free(all);
    }
    unlink(cap_path);
    rc = vp_test_done();
    if (rc == 0)
        vp_test_rmtree(dir);
    return rc;
}
