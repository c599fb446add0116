/*
 * test_central_faults.c - what survives a crash and what the fault hooks do,
 * against a real server: kill -9 in the middle of a large batch loses
 * nothing acknowledged and applies nothing half; a dropped answer after the
 * commit turns into duplicates on retry; 503 applies nothing; the rate limit
 * answers 429 with Retry-After; a restore announces a new epoch.
 */
#include "ctu.h"
#include "vp_test.h"
#include "vp_core.h"
#include "vp_time.h"
#include <pthread.h>
#include <unistd.h>

static struct central_proc srv;
static char dir[512];
static struct central_demo_location locs[5];
static char token[64], device[40], child[40], staff[40];

static int64_t observations(void)
{
    return ctu_db_int(dir, "SELECT COUNT(*) FROM observations");
}

static json_t *batch(int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, ctu_observation(child, staff, 1 + i % 3));
    return a;
}

struct pusher {
    json_t *records;
    long status;
};

static void *push_thread(void *arg)
{
    struct pusher *p = arg;
    p->status = ctu_push(srv.url, token, json_incref(p->records), NULL);
    return NULL;
}

static void test_kill_mid_batch_loses_nothing_acknowledged(void)
{
    const char *slow[] = { "VP_FAULT=push_slow", NULL }, *none[] = { "VP_FAULT=", NULL };
    json_t *acked = batch(200), *ans = NULL;
    struct pusher big = { batch(500), -1 };
    pthread_t t;
    int64_t before = observations();
    CHECK_INT_EQ(ctu_push(srv.url, token, json_incref(acked), &ans), 200);
    CHECK_STR_EQ(ctu_result(ans, 199), "stored");
    json_decref(ans);
    /* the big batch sleeps 2 s inside its transaction: kill -9 lands there */
    CHECK_INT_EQ(central_proc_restart(&srv, slow), 0);
    pthread_create(&t, NULL, push_thread, &big);
    usleep(800 * 1000);
    central_proc_kill(&srv);
    pthread_join(t, NULL);
    CHECK(big.status != 200);
    CHECK_INT_EQ(central_proc_restart(&srv, none), 0);
    /* everything acknowledged is there; nothing of the killed batch is */
    CHECK_INT_EQ(observations(), before + 200);
    {
        char ok[16];
        ctu_db_text(dir, "PRAGMA integrity_check", ok, sizeof(ok));
        CHECK_STR_EQ(ok, "ok");
    }
    /* the device sends both again: duplicates and the rest stored */
    CHECK_INT_EQ(ctu_push(srv.url, token, json_incref(acked), &ans), 200);
    CHECK_STR_EQ(ctu_result(ans, 0), "duplicate");
    json_decref(ans);
    CHECK_INT_EQ(ctu_push(srv.url, token, json_incref(big.records), &ans), 200);
    CHECK_STR_EQ(ctu_result(ans, 499), "stored");
    json_decref(ans);
    CHECK_INT_EQ(observations(), before + 700);
    json_decref(acked);
    json_decref(big.records);
}

static void test_drop_after_commit_then_retry_is_duplicate(void)
{
    const char *drop[] = { "VP_FAULT=push_drop_after_commit@1", NULL };
    json_t *recs = batch(3), *ans = NULL;
    int64_t before = observations();
    CHECK_INT_EQ(central_proc_restart(&srv, drop), 0);
    CHECK_INT_EQ(ctu_push(srv.url, token, json_incref(recs), NULL), 0); /* no answer */
    CHECK_INT_EQ(observations(), before + 3);
    CHECK_INT_EQ(ctu_push(srv.url, token, json_incref(recs), &ans), 200);
    CHECK_STR_EQ(ctu_result(ans, 0), "duplicate");
    CHECK_STR_EQ(ctu_result(ans, 2), "duplicate");
    json_decref(ans);
    json_decref(recs);
}

static void test_drop_before_commit_applies_nothing(void)
{
    const char *drop[] = { "VP_FAULT=push_drop_before_commit@1", NULL };
    json_t *recs = batch(3), *ans = NULL;
    int64_t before = observations();
    CHECK_INT_EQ(central_proc_restart(&srv, drop), 0);
    CHECK_INT_EQ(ctu_push(srv.url, token, json_incref(recs), NULL), 0);
    CHECK_INT_EQ(observations(), before);
    CHECK_INT_EQ(ctu_push(srv.url, token, json_incref(recs), &ans), 200);
    CHECK_STR_EQ(ctu_result(ans, 0), "stored");
    json_decref(ans);
    json_decref(recs);
}

static void test_503_applies_nothing(void)
{
    const char *busy[] = { "VP_FAULT=push_503", NULL };
    struct central_http r;
    char auth[128], ra[16];
    const char *h[] = { auth, "Content-Type: application/json", NULL };
    json_t *req = json_pack("{s:o}", "records", batch(2));
    char *body = json_dumps(req, JSON_COMPACT);
    int64_t before = observations();
    CHECK_INT_EQ(central_proc_restart(&srv, busy), 0);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    central_http("POST", srv.url, "/api/v1/sync/push", h, body, strlen(body), 0, &r);
    CHECK_INT_EQ(r.status, 503);
    CHECK(central_http_header(&r, "Retry-After", ra, sizeof(ra)));
    CHECK_STR_EQ(ra, "1");
    central_http_release(&r);
    CHECK_INT_EQ(observations(), before);
    free(body);
    json_decref(req);
}

static void test_rate_limit_answers_429(void)
{
    const char *none[] = { "VP_FAULT=", NULL };
    struct central_proc limited;
    char auth[128], ra[16];
    const char *h[] = { auth, NULL };
    const char *args[] = { "--rate-limit", "30", NULL };
    int got429 = 0;
    central_proc_stop(&srv);
    CHECK_INT_EQ(central_proc_start(&limited, dir, none, args), 0);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    for (int i = 0; i < 20 && !got429; i++) {
        struct central_http r;
        central_http("GET", limited.url, "/api/v1/sync/pull?limit=1", h, NULL, 0, 0, &r);
        if (r.status == 429) {
            got429 = 1;
            CHECK(central_http_header(&r, "Retry-After", ra, sizeof(ra)));
            {
                int64_t secs = 0;
                CHECK(vp_parse_i64(ra, 1, 3600, &secs));
            }
            CHECK(strstr(r.body.data, "\"error\":\"rate_limited\""));
        } else {
            CHECK_INT_EQ(r.status, 200);
        }
        central_http_release(&r);
    }
    CHECK(got429);
    CHECK_INT_EQ(central_proc_stop(&limited), 0);
    CHECK_INT_EQ(central_proc_restart(&srv, none), 0);
}

static void test_restore_announces_a_new_epoch(void)
{
    char backup[600], old_epoch[64], new_epoch[64];
    const char *bargv[] = { "backup", "--to", backup, NULL };
    const char *rargv[] = { "restore", "--from", backup, NULL };
    json_t *ans = NULL;
    int64_t before;
    snprintf(backup, sizeof(backup), "%s/backup.db", dir);
    CHECK_INT_EQ(ctu_pull(srv.url, token, 0, 1, &ans), 200);
    snprintf(old_epoch, sizeof(old_epoch), "%s",
             json_string_value(json_object_get(ans, "server_epoch")));
    json_decref(ans);
    CHECK_INT_EQ(central_proc_run(dir, bargv, NULL, NULL), 0); /* while it runs */
    before = observations();
    CHECK_INT_EQ(ctu_push(srv.url, token, batch(5), NULL), 200);
    CHECK_INT_EQ(central_proc_stop(&srv), 0);
    CHECK_INT_EQ(central_proc_run(dir, rargv, NULL, NULL), 0);
    CHECK_INT_EQ(central_proc_restart(&srv, NULL), 0);
    CHECK_INT_EQ(observations(), before); /* the older state */
    CHECK_INT_EQ(ctu_pull(srv.url, token, 0, 1, &ans), 200);
    snprintf(new_epoch, sizeof(new_epoch), "%s",
             json_string_value(json_object_get(ans, "server_epoch")));
    json_decref(ans);
    CHECK(strcmp(old_epoch, new_epoch) != 0);
}

static void test_sigterm_stops_cleanly(void)
{
    CHECK_INT_EQ(central_proc_stop(&srv), 0);
    CHECK_INT_EQ(central_proc_restart(&srv, NULL), 0);
}

static int setup(void)
{
    char sql[200];
    if (ctu_enroll(srv.url, locs[0].code, token, device) != 200)
        return -1;
    snprintf(sql, sizeof(sql), "SELECT child_id FROM children WHERE location_id = '%s' LIMIT 1",
             locs[0].id);
    ctu_db_text(dir, sql, child, sizeof(child));
    snprintf(sql, sizeof(sql), "SELECT staff_id FROM staff WHERE location_id = '%s' LIMIT 1",
             locs[0].id);
    ctu_db_text(dir, sql, staff, sizeof(staff));
    return child[0] && staff[0] ? 0 : -1;
}

int main(void)
{
    char *tmp = vp_test_tempdir();
    const char *none[] = { "VP_FAULT=", NULL };
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    if (central_proc_demo(dir, locs, 5, NULL) != 5 || central_proc_start(&srv, dir, none, NULL) ||
        setup() != 0) {
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    VP_TEST(test_kill_mid_batch_loses_nothing_acknowledged);
    VP_TEST(test_drop_after_commit_then_retry_is_duplicate);
    VP_TEST(test_drop_before_commit_applies_nothing);
    VP_TEST(test_503_applies_nothing);
    VP_TEST(test_rate_limit_answers_429);
    VP_TEST(test_restore_announces_a_new_epoch);
    VP_TEST(test_sigterm_stops_cleanly);
    central_proc_stop(&srv);
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
