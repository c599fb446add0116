/*
 * test_central_erasure.c - erasing a child leaves nothing readable on disk
 * at either end (issue 10, finding 10). A real tablet store (the sync
 * client over a real central service) records a child with a distinctive
 * first name and a signal with a distinctive note; the coach erases the
 * child; the tablet pulls the erasure. Then every file of both data folders
 * (database, -wal, -shm, journals) is searched byte for byte for the name
 * and the note, while both ends still have their databases open (as a
 * running service and kiosk do, so the WAL files are still there).
 */
#include "ctu.h"
#include "devstore.h"
#include "sync_client.h"
#include "vp_core.h"
#include "vp_test.h"
#include <dirent.h>
#include <sys/stat.h>

#define COACH "coach@kluppluz.example"
/* UTF-8 as typed on the tablet; SQLite keeps text as UTF-8, so bytes suffice */
#define NAME "Qwyneth\xc3\xa9lle"
#define NOTE "speelt alleen met de blauwe giraf \xe2\x82\xac zq7x"

static struct central_proc srv;
static char dir[512], password[64];
static struct central_demo_location locs[5];

static bool contains(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (!memcmp(hay + i, needle, n))
            return true;
    return false;
}

/* Files under root (recursively) whose bytes contain needle; appended to hits. */
static int search(const char *root, const char *needle, struct vp_buf *hits)
{
    DIR *d = opendir(root);
    struct dirent *e;
    int found = 0;
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        char *path;
        struct stat st;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        path = vp_path_join(root, e->d_name);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            found += search(path, needle, hits);
        } else {
            struct vp_buf b = VP_BUF_INIT;
            if (vp_read_file(path, 1 << 30, &b) == VP_OK && b.len &&
                contains(b.data, b.len, needle)) {
                vp_buf_addf(hits, " %s", path);
                found++;
            }
            vp_buf_release(&b);
        }
        free(path);
    }
    closedir(d);
    return found;
}

/* Names the files the needle is in, as a check that prints what it found. */
static void check_absent(const char *root, const char *what, const char *needle)
{
    struct vp_buf hits = VP_BUF_INIT;
    int n = search(root, needle, &hits);
    if (n)
        fprintf(stderr, "the %s is still readable in:%s\n", what, hits.data);
    vp_buf_release(&hits);
    CHECK_INT_EQ(n, 0);
}

static void test_erasure_leaves_nothing_readable_at_either_end(void)
{
    char *central = vp_path_join(dir, "central"), *tablet = vp_path_join(dir, "tablet");
    char *db = vp_path_join(tablet, "kiosk.db"), code[16], child[VP_UUID_LEN], path[160];
    char cookie[64], csrf[64], sql[300];
    struct sync_report rep;
    struct devstore *s = NULL;
    struct dev_group *groups = NULL;
    struct dev_staff *staff = NULL;
    struct vp_observation o;
    struct dev_child got;
    struct central_http r;
    size_t ng = 0, ns = 0;
    vp_mkdir_p(tablet);
    ctu_code(central, locs[0].id, code);
    CHECK_OK(sync_enroll(db, srv.url, code, NULL, "erasure", &rep));
    /* the kiosk keeps its store open the whole time */
    CHECK_OK(devstore_open(db, &s));
    CHECK_OK(devstore_groups(s, false, &groups, &ng));
    CHECK_OK(devstore_staff(s, false, &staff, &ns));
    CHECK(ng > 0 && ns > 0);
    CHECK_OK(devstore_child_add(s, groups[0].id, NAME, "2023-05", child));
    memset(&o, 0, sizeof(o));
    vp_strlcpy(o.child_id, child, sizeof(o.child_id));
    vp_strlcpy(o.staff_id, staff[0].id, sizeof(o.staff_id));
    vp_strlcpy(o.signals[0], "TAAL-02", VP_CODE_LEN);
    o.nsignals = 1;
    o.level = 2;
    vp_strlcpy(o.note, NOTE, sizeof(o.note));
    CHECK_OK(devstore_observation_record(s, &o));
    CHECK_OK(sync_round(db, &rep));
    /* both are at the centre now */
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM children WHERE first_name = '%s'", NAME);
    CHECK_INT_EQ(ctu_db_int(central, sql), 1);
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM observations WHERE note = '%s'", NOTE);
    CHECK_INT_EQ(ctu_db_int(central, sql), 1);
    /* the coach erases the child; the tablet pulls the erasure */
    CHECK_INT_EQ(ctu_login(srv.url, COACH, password, cookie, csrf), 200);
    snprintf(path, sizeof(path), "/api/console/children/%s/erase", child);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", path, cookie, csrf, "{\"confirm\":true}", &r), 200);
    central_http_release(&r);
    CHECK_OK(sync_round(db, &rep));
    CHECK_ERR(devstore_child_get(s, child, &got), VP_ERR_NOT_FOUND);
    /* nothing readable in any file, with both ends still running */
    check_absent(central, "child's name at the centre", NAME);
    check_absent(central, "note at the centre", NOTE);
    check_absent(tablet, "child's name on the tablet", NAME);
    check_absent(tablet, "note on the tablet", NOTE);
    devstore_close(s);
    free(groups);
    free(staff);
    free(db);
    free(tablet);
    free(central);
}

int main(void)
{
    char *tmp = vp_test_tempdir(), *central;
    snprintf(dir, sizeof(dir), "%s", tmp);
    central = vp_path_join(dir, "central");
    vp_core_init();
    sync_global_init();
    if (central_proc_demo(central, locs, 5, password) != 5 || !password[0] ||
        central_proc_start(&srv, central, NULL, NULL) != 0) {
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    VP_TEST(test_erasure_leaves_nothing_readable_at_either_end);
    if (central_proc_stop(&srv) != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    sync_global_cleanup();
    vp_test_rmtree(dir);
    free(central);
    free(tmp);
    return vp_test_done();
}
