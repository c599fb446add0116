/*
 * The sync fault suite (issue "Sync"): each case injects one fault into the
 * real path — tablet store, libcurl client, network, central service — and
 * ends with the same check (world_check): every observation saved on any
 * tablet is at the centre exactly once, nothing acknowledged is missing,
 * and every database passes PRAGMA integrity_check.
 *
 * ctest runs each case as its own test (VP_TEST_ONLY=case).
 */
#include "http.h"
#include "sync_internal.h"
#include "vp_core.h"
#include "vp_test.h"
#include "world.h"
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <unistd.h>

#define CHECK_WORLD(w) CHECK_INT_EQ(world_check(w), 0)

static int64_t central_count(struct world *w, const char *sql)
{
    char *path = vp_path_join(w->central_data, "central.db");
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(path);
    return v;
}

static void test_server_down_for_a_while(void)
{
    struct world w;
    struct sync_report rep;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Dolfijn") == 0);
    CHECK(world_tablet_add(&w, "Dolfijn") == 1);
    CHECK(world_tablet_add(&w, "Korein") == 2);
    world_central_stop(&w);
    for (int t = 0; t < 3; t++) {
        CHECK(world_save(&w, t, 40) == 0);
        CHECK_ERR(world_sync(&w, t, &rep), VP_ERR_NETWORK);
        CHECK_INT_EQ(rep.pending, 40);
        CHECK_STR_EQ(rep.message, vp_tr("sync.err.network"));
    }
    CHECK(world_central_start(&w, NULL) == 0);
    for (int t = 0; t < 3; t++) {
        CHECK_OK(world_sync(&w, t, &rep));
        CHECK_INT_EQ(rep.pending, 0);
    }
    CHECK_WORLD(&w);
    world_close(&w);
}

/* The connection breaks before the server commits: nothing applied, retry. */
static void test_connection_reset_before_commit(void)
{
    struct world w;
    struct sync_report rep;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Grabbelton") == 0);
    world_central_stop(&w);
    CHECK(world_central_start(&w, "push_drop_before_commit@1") == 0);
    CHECK(world_save(&w, 0, 50) == 0);
    CHECK(world_sync(&w, 0, &rep) != VP_OK);
    CHECK_INT_EQ(central_count(&w, "SELECT count(*) FROM observations"), 0);
    CHECK_OK(world_sync(&w, 0, &rep));
    CHECK_INT_EQ(rep.pending, 0);
    CHECK_WORLD(&w);
    world_close(&w);
}

/* The server commits and the reply is lost: the retry gets "duplicate". */
static void test_reply_lost_after_commit(void)
{
    struct world w;
    struct sync_report rep;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Partou") == 0);
    world_central_stop(&w);
    CHECK(world_central_start(&w, "push_drop_after_commit@1") == 0);
    CHECK(world_save(&w, 0, 50) == 0);
    CHECK(world_sync(&w, 0, &rep) != VP_OK);
    CHECK_INT_EQ(rep.pending, 50); /* the tablet does not know the outcome */
    CHECK_INT_EQ(central_count(&w, "SELECT count(*) FROM observations"), 50);
    CHECK_OK(world_sync(&w, 0, &rep));
    CHECK_INT_EQ(rep.pending, 0);
    CHECK_INT_EQ(rep.acked, 50);
    CHECK_INT_EQ(central_count(&w, "SELECT count(*) FROM observations"), 50);
    CHECK_WORLD(&w);
    world_close(&w);
}

static void set_tablet_setting(struct world *w, int t, const char *key, int64_t value)
{
    struct devstore *s = NULL;
    if (devstore_open(w->tab[t].path, &s) == VP_OK)
        devstore_setting_set_int(s, key, value);
    devstore_close(s);
}

/* A link that accepts bytes and never answers: the client gives up, retries. */
static void test_stalled_link(void)
{
    struct world w;
    struct sync_report rep;
    int64_t t0;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Korein") == 0);
    set_tablet_setting(&w, 0, "sync_stall_seconds", 2);
    CHECK(world_save(&w, 0, 20) == 0);
    faultproxy_set_mode(w.proxy, FP_STALL);
    t0 = vp_mono_ms();
    CHECK_ERR(world_sync(&w, 0, &rep), VP_ERR_NETWORK);
    CHECK(vp_mono_ms() - t0 < 15000); /* gave up on the stall, not on the total cap */
    faultproxy_set_mode(w.proxy, FP_PASS);
    CHECK_OK(world_sync(&w, 0, &rep));
    CHECK_INT_EQ(rep.pending, 0);
    CHECK_WORLD(&w);
    world_close(&w);
}

/* 503 with Retry-After: nothing applied, the wait is reported, then it flows. */
static void test_unavailable_with_retry_after(void)
{
    struct world w;
    struct sync_report rep;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Potje Knor") == 0);
    world_central_stop(&w);
    CHECK(world_central_start(&w, "push_503@1") == 0);
    CHECK(world_save(&w, 0, 10) == 0);
    CHECK_ERR(world_sync(&w, 0, &rep), VP_ERR_SERVER);
    CHECK_INT_EQ(rep.http_status, 503);
    CHECK(rep.retry_after_s >= 1);
    CHECK(sync_backoff_ms(0, rep.retry_after_s) >= rep.retry_after_s * 1000);
    CHECK_INT_EQ(central_count(&w, "SELECT count(*) FROM observations"), 0);
    CHECK_OK(world_sync(&w, 0, &rep));
    CHECK_INT_EQ(rep.pending, 0);
    CHECK_WORLD(&w);
    world_close(&w);
}

/* Reads the ids a killed saver printed (complete lines only). */
static int collect_ids(struct tablet *t, const char *path)
{
    struct vp_buf b = VP_BUF_INIT;
    int n = 0;
    if (vp_read_file(path, 1 << 20, &b) == VP_OK) {
        for (char *line = b.data; *line;) {
            char *nl = strchr(line, '\n');
            if (!nl)
                break; /* a half-written line was never promised */
            *nl = '\0';
            if (vp_uuid7_valid(line) && t->nids < WORLD_MAX_SAVED) {
                memcpy(t->ids[t->nids++], line, VP_UUID_LEN);
                n++;
            }
            line = nl + 1;
        }
    }
    vp_buf_release(&b);
    return n;
}

/* kill -9 of the tablet's process while it saves: every save it reported is kept. */
static void test_kill9_kiosk_during_saves(void)
{
    struct world w;
    struct sync_report rep;
    char *out;
    int killed = 0;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Dolfijn") == 0);
    out = vp_path_join(w.dir, "saver.out");
    for (int round = 0; round < 8; round++) {
        /* 450 saves take longer than the process may live: it dies mid-save */
        const char *argv[] = { VP_SYNCTOOL_BIN, "save", w.tab[0].path, "450", NULL };
        int before = w.tab[0].nids, rc;
        rc = world_run(argv, NULL, out, 10 + (int)randombytes_uniform(140));
        killed += rc == -9;
        collect_ids(&w.tab[0], out);
        /* each reported save is durable, even though the process died */
        struct devstore *s = NULL;
        CHECK_OK(devstore_open(w.tab[0].path, &s));
        CHECK_OK(devstore_check_integrity(s));
        for (int i = before; i < w.tab[0].nids; i++) {
            struct vp_observation o;
            CHECK_OK(devstore_observation_get(s, w.tab[0].ids[i], &o));
        }
        devstore_close(s);
    }
    CHECK(killed >= 3);
    CHECK(w.tab[0].nids > 0);
    /* what was saved but not yet reported when the process died may also be
     * there: it is a real save, it must travel too, exactly once */
    CHECK_OK(world_sync(&w, 0, &rep));
    CHECK_INT_EQ(rep.pending, 0);
    {
        int64_t there = central_count(&w, "SELECT count(*) FROM observations");
        CHECK(there >= w.tab[0].nids && there <= w.tab[0].nids + 8);
        w.tab[0].nids = 0;         /* the saver's unreported last saves are not in the list: */
        struct devstore *s = NULL; /* take the tablet's own list instead */
        struct dev_child *kids = NULL;
        size_t nk = 0;
        CHECK_OK(devstore_open(w.tab[0].path, &s));
        CHECK_OK(devstore_children(s, NULL, true, &kids, &nk));
        for (size_t k = 0; k < nk; k++) {
            struct dev_obs_item *items = NULL;
            size_t n = 0;
            CHECK_OK(devstore_child_observations(s, kids[k].id, 100000, &items, &n));
            for (size_t i = 0; i < n && w.tab[0].nids < WORLD_MAX_SAVED; i++)
                memcpy(w.tab[0].ids[w.tab[0].nids++], items[i].obs.id, VP_UUID_LEN);
            free(items);
        }
        free(kids);
        devstore_close(s);
        CHECK_INT_EQ(there, w.tab[0].nids);
    }
    free(out);
    CHECK_WORLD(&w);
    world_close(&w);
}

struct sync_job {
    struct world *w;
    vp_result res;
    struct sync_report rep;
};

static void *sync_thread(void *arg)
{
    struct sync_job *j = arg;
    j->res = world_sync(j->w, 0, &j->rep);
    return NULL;
}

/* kill -9 of the central service mid-batch: all of the batch or none of it. */
static void test_kill9_central_mid_batch(void)
{
    struct world w;
    struct sync_job job;
    pthread_t th;
    int64_t there;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Grabbelton") == 0);
    world_central_stop(&w);
    CHECK(world_central_start(&w, "push_slow") == 0);
    CHECK(world_save(&w, 0, 200) == 0);
    memset(&job, 0, sizeof(job));
    job.w = &w;
    CHECK(pthread_create(&th, NULL, sync_thread, &job) == 0);
    usleep(800 * 1000); /* the batch is inside the server now (push_slow holds ~2 s) */
    world_central_kill(&w);
    pthread_join(th, NULL);
    CHECK(job.res != VP_OK);
    there = central_count(&w, "SELECT count(*) FROM observations");
    CHECK(there == 0 || there == 200); /* never half a batch */
    CHECK(world_central_start(&w, NULL) == 0);
    CHECK_OK(world_sync(&w, 0, &job.rep));
    CHECK_INT_EQ(job.rep.pending, 0);
    CHECK_WORLD(&w);
    world_close(&w);
}

/* A tablet whose disk fills up: saves fail cleanly, nothing earlier is lost,
 * and everything travels once there is room again. Uses a real tiny tmpfs
 * when we may mount (root); otherwise SQLite's page limit on the saving
 * connection. */
static void test_tablet_disk_full(void)
{
    struct world w;
    struct sync_report rep;
    struct devstore *s = NULL;
    char *tiny, *db;
    bool mounted;
    vp_result res = VP_OK;
    int saved = 0;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Korein") == 0);
    CHECK_OK(world_sync(&w, 0, &rep));
    tiny = vp_path_join(w.dir, "tiny");
    vp_mkdir_p(tiny);
    mounted = mount("tmpfs", tiny, "tmpfs", 0, "size=768k") == 0;
    db = vp_path_join(tiny, "kiosk.db");
    {
        /* move the tablet onto the small disk */
        struct vp_buf data = VP_BUF_INIT;
        sqlite3 *src = NULL;
        CHECK(sqlite3_open(w.tab[0].path, &src) == SQLITE_OK);
        CHECK(sqlite3_exec(src, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) == SQLITE_OK);
        sqlite3_close(src);
        CHECK_OK(vp_read_file(w.tab[0].path, 64 << 20, &data));
        CHECK_OK(vp_write_file_atomic(db, data.data, data.len));
        vp_buf_release(&data);
        free(w.tab[0].path);
        w.tab[0].path = vp_xstrdup(db);
    }
    CHECK_OK(devstore_open(db, &s));
    if (!mounted)
        CHECK_OK(devstore_limit_pages(s, 1));
    for (int i = 0; i < 20000 && !res; i++) {
        struct vp_observation o;
        struct dev_child *kids = NULL;
        struct dev_staff *staff = NULL;
        size_t nk = 0, ns = 0;
        CHECK_OK(devstore_children(s, NULL, false, &kids, &nk));
        CHECK_OK(devstore_staff(s, false, &staff, &ns));
        memset(&o, 0, sizeof(o));
        vp_strlcpy(o.child_id, kids[0].id, VP_UUID_LEN);
        vp_strlcpy(o.staff_id, staff[0].id, VP_UUID_LEN);
        vp_strlcpy(o.signals[0], "ZELF-04", VP_CODE_LEN);
        o.nsignals = 1;
        o.level = 2;
        vp_strlcpy(o.note, "Slaapt onrustig na het eten, wordt vaak huilend wakker.", 64);
        free(kids);
        free(staff);
        res = devstore_observation_record(s, &o);
        if (!res && w.tab[0].nids < WORLD_MAX_SAVED) {
            memcpy(w.tab[0].ids[w.tab[0].nids++], o.id, VP_UUID_LEN);
            saved++;
        }
    }
    CHECK_ERR(res, VP_ERR_FULL);
    CHECK(saved > 10);
    CHECK_OK(devstore_check_integrity(s));
    devstore_close(s);
    /* a sync attempt on the full disk may fail, but must not damage anything */
    world_sync(&w, 0, &rep);
    if (mounted)
        CHECK(mount("tmpfs", tiny, "tmpfs", MS_REMOUNT, "size=64m") == 0);
    CHECK_OK(world_sync(&w, 0, &rep));
    CHECK_INT_EQ(rep.pending, 0);
    CHECK_WORLD(&w);
    if (mounted)
        umount(tiny);
    free(db);
    free(tiny);
    world_close(&w);
}

/* Tablets whose clocks are three days behind and a year ahead: their
 * observations arrive once, stamped by the server's clock for order. */
static void test_tablet_clocks_behind_and_ahead(void)
{
    struct world w;
    const char *skew[] = { "-3d", "+1y" };
    char *out;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Dolfijn") == 0);
    CHECK(world_tablet_add(&w, "Partou") == 1);
    out = vp_path_join(w.dir, "faketime.out");
    for (int t = 0; t < 2; t++) {
        const char *save[] = { "/usr/bin/faketime", "-f", skew[t], VP_SYNCTOOL_BIN, "save",
                               w.tab[t].path,       "25", NULL };
        const char *sync[] = { "/usr/bin/faketime", "-f", skew[t], VP_SYNCTOOL_BIN, "sync",
                               w.tab[t].path,       NULL };
        const char *env[] = { "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0", NULL };
        CHECK_INT_EQ(world_run(save, env, out, -1), 0);
        CHECK_INT_EQ(collect_ids(&w.tab[t], out), 25);
        CHECK_INT_EQ(world_run(sync, env, NULL, -1), 0);
    }
    /* the device clock is kept as it was, the order comes from the server */
    CHECK(central_count(&w, "SELECT count(*) FROM observations WHERE"
                            " device_time < received_at - 2 * 86400000") == 25);
    CHECK(central_count(&w, "SELECT count(*) FROM observations WHERE"
                            " device_time > received_at + 300 * 86400000") == 25);
    /* back on a right clock, new ids still sort after the future ones */
    CHECK(world_save(&w, 1, 1) == 0);
    CHECK(strcmp(w.tab[1].ids[25], w.tab[1].ids[24]) > 0);
    {
        struct sync_report rep;
        CHECK_OK(world_sync(&w, 1, &rep));
    }
    free(out);
    CHECK_WORLD(&w);
    world_close(&w);
}

/* The central service is restored from an older backup: it announces a new
 * epoch and the tablet pushes again what the restore lost. */
static void test_restore_from_older_backup(void)
{
    struct world w;
    struct sync_report rep;
    char *backup;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Potje Knor") == 0);
    CHECK(world_save(&w, 0, 20) == 0);
    CHECK_OK(world_sync(&w, 0, &rep));
    backup = vp_path_join(w.dir, "backup.db");
    {
        const char *argv[] = { VP_CENTRAL_BIN, "backup",       "--to", backup,
                               "--data",       w.central_data, NULL };
        CHECK_INT_EQ(world_central_cmd(&w, argv), 0);
    }
    CHECK(world_save(&w, 0, 20) == 0);
    CHECK_OK(world_sync(&w, 0, &rep));
    world_central_stop(&w);
    {
        const char *argv[] = { VP_CENTRAL_BIN, "restore",      "--from", backup,
                               "--data",       w.central_data, NULL };
        CHECK_INT_EQ(world_central_cmd(&w, argv), 0);
    }
    CHECK(world_central_start(&w, NULL) == 0);
    CHECK_INT_EQ(central_count(&w, "SELECT count(*) FROM observations"), 20);
    CHECK_OK(world_sync(&w, 0, &rep));
    CHECK_INT_EQ(rep.pending, 0);
    CHECK_INT_EQ(central_count(&w, "SELECT count(*) FROM observations"), 40);
    CHECK_WORLD(&w);
    free(backup);
    world_close(&w);
}

struct post_job {
    const char *url, *token, *body;
    size_t len;
    struct http_response resp;
    vp_result res;
};

static void *post_thread(void *arg)
{
    struct post_job *j = arg;
    struct http *h = http_new(NULL);
    j->res = http_request(h, "POST", j->url, j->token, j->body, j->len, &j->resp);
    http_free(h);
    return NULL;
}

/* The same frozen batch arrives twice at the same moment. */
static void test_same_batch_twice_at_once(void)
{
    struct world w;
    struct sync_report rep;
    struct devstore *s = NULL;
    struct dev_batch b;
    struct dev_device dev;
    struct post_job jobs[2];
    pthread_t th[2];
    char url[128];
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Dolfijn") == 0);
    CHECK(world_save(&w, 0, 150) == 0);
    CHECK_OK(devstore_open(w.tab[0].path, &s));
    CHECK_OK(devstore_device_get(s, &dev));
    CHECK_OK(devstore_batch_take(s, 200, 1 << 20, &b));
    CHECK_INT_EQ(b.count, 150);
    snprintf(url, sizeof(url), "%s/api/v1/sync/push", w.url);
    for (int i = 0; i < 2; i++) {
        jobs[i] = (struct post_job){ url, dev.token, b.body, b.body_len, { 0 }, VP_OK };
        http_response_init(&jobs[i].resp);
        CHECK(pthread_create(&th[i], NULL, post_thread, &jobs[i]) == 0);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 2; i++) {
        CHECK_OK(jobs[i].res);
        CHECK_INT_EQ(jobs[i].resp.status, 200);
        CHECK(strstr(jobs[i].resp.body.data, "conflict") == NULL);
        http_response_release(&jobs[i].resp);
    }
    CHECK_INT_EQ(central_count(&w, "SELECT count(*) FROM observations"), 150);
    devstore_batch_release(&b);
    devstore_close(s);
    CHECK_OK(world_sync(&w, 0, &rep)); /* the tablet's own retry: all duplicates */
    CHECK_INT_EQ(rep.acked, 150);
    CHECK_WORLD(&w);
    world_close(&w);
}

/* A record the centre rejects goes to quarantine with its reason; the rest flows. */
static void test_rejected_record_is_quarantined_and_the_rest_flows(void)
{
    struct world w;
    struct sync_report rep;
    struct devstore *s = NULL;
    struct vp_observation bad;
    struct dev_quarantined *q = NULL;
    struct dev_child *kids = NULL;
    struct dev_staff *staff = NULL;
    size_t nq = 0, nk = 0, ns = 0;
    json_t *cat;
    char *text;
    CHECK(world_open(&w) == 0);
    CHECK(world_tablet_add(&w, "Korein") == 0);
    CHECK(world_save(&w, 0, 10) == 0);
    /* the tablet gets a catalog the centre has never seen (version 99, one new code) */
    cat = json_loads(vp_catalog_default_json(NULL), 0, NULL);
    json_object_set_new(cat, "version", json_integer(99));
    json_array_append_new(
        json_object_get(json_array_get(json_object_get(cat, "domains"), 0), "signals"),
        json_pack("{s:s,s:s,s:s}", "code", "TAAL-42", "nl", "Nieuw", "en", "New"));
    text = vp_json_dump(cat);
    CHECK_OK(devstore_open(w.tab[0].path, &s));
    CHECK_OK(devstore_catalog_replace(s, text, 99));
    CHECK_OK(devstore_children(s, NULL, false, &kids, &nk));
    CHECK_OK(devstore_staff(s, false, &staff, &ns));
    memset(&bad, 0, sizeof(bad));
    vp_strlcpy(bad.child_id, kids[0].id, VP_UUID_LEN);
    vp_strlcpy(bad.staff_id, staff[0].id, VP_UUID_LEN);
    vp_strlcpy(bad.signals[0], "TAAL-42", VP_CODE_LEN);
    bad.nsignals = 1;
    bad.level = 1;
    CHECK_OK(devstore_observation_record(s, &bad));
    devstore_close(s);
    CHECK(world_save(&w, 0, 10) == 0);
    CHECK_OK(world_sync(&w, 0, &rep));
    CHECK_INT_EQ(rep.pending, 0);
    CHECK_INT_EQ(rep.quarantined, 1);
    CHECK_OK(devstore_open(w.tab[0].path, &s));
    CHECK_OK(devstore_quarantined(s, &q, &nq));
    CHECK_INT_EQ(nq, 1);
    CHECK_STR_EQ(q[0].id, bad.id);
    CHECK(strstr(q[0].reason, "signals") != NULL);
    devstore_close(s);
    free(q);
    free(kids);
    free(staff);
    free(text);
    json_decref(cat);
    CHECK_WORLD(&w); /* the 20 good ones are there exactly once, the bad one is not */
    CHECK_INT_EQ(central_count(&w, "SELECT count(*) FROM observations"), 20);
    world_close(&w);
}

int main(void)
{
    if (sync_global_init())
        return 1;
    VP_TEST(test_server_down_for_a_while);
    VP_TEST(test_connection_reset_before_commit);
    VP_TEST(test_reply_lost_after_commit);
    VP_TEST(test_stalled_link);
    VP_TEST(test_unavailable_with_retry_after);
    VP_TEST(test_kill9_kiosk_during_saves);
    VP_TEST(test_kill9_central_mid_batch);
    VP_TEST(test_tablet_disk_full);
    VP_TEST(test_tablet_clocks_behind_and_ahead);
    VP_TEST(test_restore_from_older_backup);
    VP_TEST(test_same_batch_twice_at_once);
    VP_TEST(test_rejected_record_is_quarantined_and_the_rest_flows);
    sync_global_cleanup();
    return vp_test_done();
}
