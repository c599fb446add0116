/*
 * The sync client's decisions, against a scripted fake server: what stays
 * frozen, what is acknowledged, what goes to quarantine, and how pages,
 * epochs and tokens are handled.
 */
#include "../unit/devstore_fixture.h"
#include "fakecentral.h"
#include "sync_client.h"
#include "sync_internal.h"
#include <time.h>

/* What the fake server does; tests set the fields and read the log. */
struct script {
    int push_status; /* status for pushes (200 = answer per record) */
    int retry_after;
    const char *bad_id; /* 422 for any batch that contains this id */
    const char *epoch;  /* server_epoch in answers */
    bool malformed;     /* answer 200 with garbage */
    int pushes;
    char bodies[4][65536]; /* the bodies of the first four pushes */
    int gzipped;
    int pull_pages; /* how many pull pages to serve (changes invented) */
    int pulls;
    const char *group_id;
    char pull_body[4096]; /* the body of the last pull request */
};

static void answer_push(struct script *s, const struct fake_request *req, int *status,
                        struct vp_buf *out)
{
    json_t *root = json_loadb(req->body.data, req->body.len, 0, NULL);
    json_t *recs = json_object_get(root, "records"), *results = json_array(), *ans;
    char *text;
    size_t i;
    json_t *r;
    if (s->pushes < 4)
        vp_strlcpy(s->bodies[s->pushes], req->body.data, sizeof(s->bodies[0]));
    s->pushes++;
    s->gzipped |= req->gzipped;
    if (s->bad_id && strstr(req->body.data, s->bad_id)) {
        *status = 422;
        vp_buf_adds(out, "{\"error\":\"invalid\",\"message\":\"child_id: onbekend kind\"}");
        json_decref(root);
        json_decref(results);
        return;
    }
    json_array_foreach(recs, i, r) json_array_append_new(
        results, json_pack("{s:O,s:s}", "id", json_object_get(r, "id"), "status", "stored"));
    ans = json_pack("{s:o,s:s,s:s}", "results", results, "server_time", "2026-11-23T10:00:00.000Z",
                    "server_epoch", s->epoch);
    text = json_dumps(ans, JSON_COMPACT);
    vp_buf_adds(out, text);
    free(text);
    json_decref(ans);
    json_decref(root);
    *status = 200;
}

static void answer_pull(struct script *s, int *status, struct vp_buf *out)
{
    int page = s->pulls++;
    bool more = page + 1 < s->pull_pages;
    *status = 200;
    vp_buf_adds(out, "{\"changes\":[");
    if (page < s->pull_pages) {
        char kid[VP_UUID_LEN], rev[VP_UUID_LEN];
        struct vp_uuid7 gen = { 0, 0 };
        vp_uuid4(kid);
        vp_uuid7_next(&gen, vp_now_ms(), rev);
        vp_buf_addf(out,
                    "{\"seq\":%d,\"type\":\"child\",\"id\":\"%s\",\"child_id\":\"%s\","
                    "\"group_id\":\"%s\",\"first_name\":\"Kind %d\",\"birth_month\":\"2024-02\","
                    "\"pseudonym\":\"K-00%02d\",\"archived\":false,"
                    "\"device_time\":\"2026-11-23T10:00:00.000Z\"}",
                    100 + page, rev, kid, s->group_id, page, page);
    }
    vp_buf_addf(out, "],\"next\":%d,\"more\":%s,\"server_epoch\":\"%s\"}", 100 + page,
                more ? "true" : "false", s->epoch);
}

static void handler(void *ctx, const struct fake_request *req, int *status, struct vp_buf *out,
                    int *retry_after)
{
    struct script *s = ctx;
    if (strcmp(req->auth, "Bearer t0k3n") != 0) {
        *status = 401;
        vp_buf_adds(out, "{\"error\":\"unauthorized\",\"message\":\"x\"}");
        return;
    }
    if (strstr(req->url, "/sync/push")) {
        if (s->malformed) {
            s->pushes++;
            *status = 200;
            vp_buf_adds(out, "{\"results\": [oops");
            return;
        }
        if (s->push_status != 200) {
            if (s->pushes < 4)
                vp_strlcpy(s->bodies[s->pushes], req->body.data, sizeof(s->bodies[0]));
            s->pushes++;
            *status = s->push_status;
            *retry_after = s->retry_after;
            vp_buf_adds(out, "{\"error\":\"unavailable\",\"message\":\"busy\"}");
            return;
        }
        answer_push(s, req, status, out);
    } else if (strstr(req->url, "/sync/pull")) {
        vp_strlcpy(s->pull_body, req->body.data ? req->body.data : "", sizeof(s->pull_body));
        answer_pull(s, status, out);
    } else {
        *status = 404;
    }
}

/* A fixture device enrolled at the fake server. */
static int enrol_at(struct fixture *f, struct fakecentral *fc, const char *epoch)
{
    struct dev_device d;
    memset(&d, 0, sizeof(d));
    vp_uuid4(d.device_id);
    vp_uuid4(d.location_id);
    vp_strlcpy(d.location_name, "Dolfijn", sizeof(d.location_name));
    vp_strlcpy(d.server_url, fakecentral_url(fc), sizeof(d.server_url));
    vp_strlcpy(d.token, "t0k3n", sizeof(d.token));
    return devstore_device_enrol(f->s, &d, epoch) == VP_OK ? 0 : -1;
}

static void save_n(struct fixture *f, int n)
{
    struct vp_observation o;
    for (int i = 0; i < n; i++) {
        fixture_obs(f, &o, "TAAL-02");
        vp_strlcpy(o.note, "Een notitie die de body wat groter maakt dan een kilobyte of zo.",
                   sizeof(o.note));
        devstore_observation_record(f->s, &o);
    }
}

static void test_ambiguous_answer_keeps_the_batch_frozen_and_resends_it(void)
{
    struct fixture f;
    struct script s = { .push_status = 503, .retry_after = 7, .epoch = "E1" };
    struct fakecentral *fc = fakecentral_start(handler, &s);
    struct sync_report rep;
    struct dev_outbox_stats st;
    CHECK(fc && fixture_open(&f) == 0 && enrol_at(&f, fc, "E1") == 0);
    save_n(&f, 10);
    CHECK_ERR(sync_round(f.path, &rep), VP_ERR_SERVER);
    CHECK_INT_EQ(rep.http_status, 503);
    CHECK_OK(devstore_outbox_stats(f.s, &st));
    CHECK_INT_EQ(st.in_flight, 15); /* 5 fixture revisions + 10 observations */
    save_n(&f, 3);                  /* saved meanwhile: not part of the frozen batch */
    s.push_status = 200;
    CHECK_OK(sync_round(f.path, &rep));
    CHECK_INT_EQ(rep.pending, 0);
    CHECK_INT_EQ(rep.acked, 18);
    CHECK_INT_EQ(s.pushes, 3);
    /* the retry of the frozen batch was byte for byte the first attempt */
    CHECK(strstr(s.bodies[0], "\"records\"") != NULL);
    CHECK_STR_EQ(s.bodies[1], s.bodies[0]);
    CHECK(strcmp(s.bodies[2], s.bodies[0]) != 0);
    CHECK(s.gzipped);
    fakecentral_stop(fc);
    fixture_close(&f);
}

static void test_unreadable_answer_is_outcome_unknown(void)
{
    struct fixture f;
    struct script s = { .push_status = 200, .epoch = "E1", .malformed = true };
    struct fakecentral *fc = fakecentral_start(handler, &s);
    struct sync_report rep;
    struct dev_outbox_stats st;
    CHECK(fc && fixture_open(&f) == 0 && enrol_at(&f, fc, "E1") == 0);
    save_n(&f, 2);
    CHECK_ERR(sync_round(f.path, &rep), VP_ERR_SERVER);
    CHECK_OK(devstore_outbox_stats(f.s, &st));
    CHECK_INT_EQ(st.in_flight, 7);
    CHECK_INT_EQ(st.acked, 0);
    s.malformed = false;
    CHECK_OK(sync_round(f.path, &rep));
    CHECK_INT_EQ(rep.pending, 0);
    fakecentral_stop(fc);
    fixture_close(&f);
}

static void test_refused_batch_is_split_until_the_bad_record_is_quarantined(void)
{
    struct fixture f;
    struct script s = { .push_status = 200, .epoch = "E1" };
    struct fakecentral *fc = fakecentral_start(handler, &s);
    struct sync_report rep;
    struct vp_observation bad;
    struct dev_quarantined *q = NULL;
    struct dev_outbox_stats st;
    size_t n = 0;
    CHECK(fc && fixture_open(&f) == 0 && enrol_at(&f, fc, "E1") == 0);
    save_n(&f, 20);
    fixture_obs(&f, &bad, "WEL-06");
    CHECK_OK(devstore_observation_record(f.s, &bad));
    save_n(&f, 20);
    s.bad_id = bad.id;
    CHECK_OK(sync_round(f.path, &rep));
    CHECK_OK(devstore_outbox_stats(f.s, &st));
    CHECK_INT_EQ(st.pending, 0);
    CHECK_INT_EQ(st.quarantined, 1);
    CHECK_INT_EQ(st.acked, 45);
    CHECK_OK(devstore_quarantined(f.s, &q, &n));
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(q[0].id, bad.id);
    CHECK_STR_EQ(q[0].reason, "child_id: onbekend kind");
    free(q);
    fakecentral_stop(fc);
    fixture_close(&f);
}

/* Every pull carries the tablet's health (protocol 2) with what the store
 * says: here one record waits in quarantine and nothing else is pending. */
static void test_pull_carries_the_heartbeat(void)
{
    struct fixture f;
    struct script s = { .push_status = 200, .epoch = "E1", .pull_pages = 1 };
    struct fakecentral *fc = fakecentral_start(handler, &s);
    struct sync_report rep;
    struct vp_observation bad;
    struct vp_pull_request pr;
    json_t *js = NULL;
    int64_t before = vp_now_ms();
    CHECK(fc && fixture_open(&f) == 0 && enrol_at(&f, fc, "E1") == 0);
    s.group_id = f.group;
    save_n(&f, 2);
    fixture_obs(&f, &bad, "WEL-06");
    CHECK_OK(devstore_observation_record(f.s, &bad));
    s.bad_id = bad.id;
    CHECK_OK(sync_round(f.path, &rep));
    CHECK_OK(vp_json_parse(s.pull_body, strlen(s.pull_body), &js, NULL));
    CHECK(vp_pull_request_from_json(js, &pr, NULL));
    json_decref(js);
    CHECK(pr.has_heartbeat);
    CHECK_STR_EQ(pr.since, "");
    CHECK_STR_EQ(pr.heartbeat.app_version, VP_VERSION);
    CHECK_INT_EQ(pr.heartbeat.catalog_version, 1);
    CHECK_INT_EQ(pr.heartbeat.pending_signals, 0);
    CHECK_INT_EQ(pr.heartbeat.oldest_pending_ms, 0);
    CHECK_INT_EQ(pr.heartbeat.quarantined, 1);
    CHECK(pr.heartbeat.disk_free_mb > 0);
    CHECK(pr.heartbeat.device_time_ms >= before && pr.heartbeat.device_time_ms <= vp_now_ms());
    fakecentral_stop(fc);
    fixture_close(&f);
}

static void test_unauthorized_forgets_the_token_and_keeps_records(void)
{
    struct fixture f;
    struct script s = { .push_status = 200, .epoch = "E1" };
    struct fakecentral *fc = fakecentral_start(handler, &s);
    struct sync_report rep;
    struct dev_device d;
    struct dev_outbox_stats st;
    CHECK(fc && fixture_open(&f) == 0 && enrol_at(&f, fc, "E1") == 0);
    CHECK_OK(devstore_device_get(f.s, &d));
    vp_strlcpy(d.token, "revoked", sizeof(d.token));
    CHECK_OK(devstore_device_enrol(f.s, &d, "E1"));
    save_n(&f, 2);
    CHECK_ERR(sync_round(f.path, &rep), VP_ERR_AUTH);
    CHECK_INT_EQ(rep.http_status, 401);
    CHECK_STR_EQ(rep.message, vp_tr("sync.err.unauthorized"));
    CHECK_OK(devstore_device_get(f.s, &d));
    CHECK(!d.enrolled);
    CHECK_OK(devstore_outbox_stats(f.s, &st));
    CHECK_INT_EQ(st.pending_signals, 2);
    fakecentral_stop(fc);
    fixture_close(&f);
}

static void test_pull_applies_every_page_and_stores_the_cursor(void)
{
    struct fixture f;
    struct script s = { .push_status = 200, .epoch = "E1", .pull_pages = 3 };
    struct fakecentral *fc = fakecentral_start(handler, &s);
    struct sync_report rep;
    struct dev_sync_state ss;
    struct dev_child *kids = NULL;
    size_t n = 0;
    CHECK(fc && fixture_open(&f) == 0 && enrol_at(&f, fc, "E1") == 0);
    s.group_id = f.group;
    CHECK_OK(sync_round(f.path, &rep));
    CHECK_INT_EQ(rep.pulled, 3);
    CHECK_OK(devstore_sync_state(f.s, &ss));
    CHECK_STR_EQ(ss.cursor, "102");
    CHECK(ss.last_success_ms > 0);
    CHECK_OK(devstore_children(f.s, f.group, false, &kids, &n));
    CHECK_INT_EQ(n, 5);
    free(kids);
    fakecentral_stop(fc);
    fixture_close(&f);
}

static void test_new_server_epoch_pushes_everything_again(void)
{
    struct fixture f;
    struct script s = { .push_status = 200, .epoch = "E1" };
    struct fakecentral *fc = fakecentral_start(handler, &s);
    struct sync_report rep;
    struct dev_sync_state ss;
    CHECK(fc && fixture_open(&f) == 0 && enrol_at(&f, fc, "E1") == 0);
    save_n(&f, 4);
    CHECK_OK(sync_round(f.path, &rep));
    CHECK_INT_EQ(rep.acked, 9);
    s.epoch = "E2"; /* the server was restored from a backup */
    s.pushes = 0;
    CHECK_OK(sync_round(f.path, &rep));
    CHECK_INT_EQ(rep.acked, 9); /* all nine went up again */
    CHECK_INT_EQ(rep.pending, 0);
    CHECK_OK(devstore_sync_state(f.s, &ss));
    CHECK_STR_EQ(ss.server_epoch, "E2");
    fakecentral_stop(fc);
    fixture_close(&f);
}

static void test_backoff_has_full_jitter_a_cap_and_honours_retry_after(void)
{
    int64_t max_seen = 0;
    for (int i = 0; i < 2000; i++) {
        int64_t d = sync_backoff_ms(3, -1);
        CHECK(d >= 0 && d <= 16000);
        if (d > max_seen)
            max_seen = d;
    }
    CHECK(max_seen > 8000); /* really spread over the range, not fixed */
    for (int i = 0; i < 100; i++)
        CHECK(sync_backoff_ms(40, -1) <= 10 * 60 * 1000);
    for (int i = 0; i < 100; i++)
        CHECK(sync_backoff_ms(0, 30) >= 30000);
}

static void test_worker_wakes_on_demand_and_reports(void)
{
    struct fixture f;
    struct script s = { .push_status = 200, .epoch = "E1" };
    struct fakecentral *fc = fakecentral_start(handler, &s);
    struct sync_worker *w = NULL;
    struct dev_outbox_stats st;
    CHECK(fc && fixture_open(&f) == 0 && enrol_at(&f, fc, "E1") == 0);
    CHECK_OK(devstore_setting_set_int(f.s, "sync_interval_seconds", 3600));
    CHECK_OK(sync_worker_start(f.path, NULL, NULL, &w));
    CHECK(sync_worker_wait_idle(w, 10000));
    save_n(&f, 3);
    sync_worker_wake(w);
    CHECK(sync_worker_wait_idle(w, 10000));
    CHECK_OK(devstore_outbox_stats(f.s, &st));
    CHECK_INT_EQ(st.pending, 0);
    sync_worker_stop(w);
    fakecentral_stop(fc);
    fixture_close(&f);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* The settle window (docs/sync.md): a held signal does not travel, and the
 * worker sends it when its hold ends, not at its next hourly round. */
static void test_worker_sends_a_held_signal_when_its_hold_ends(void)
{
    struct fixture f;
    struct script s = { .push_status = 200, .epoch = "E1" };
    struct fakecentral *fc = fakecentral_start(handler, &s);
    struct sync_worker *w = NULL;
    struct vp_observation o;
    struct dev_outbox_stats st;
    int before, waited = 0;
    CHECK(fc && fixture_open(&f) == 0 && enrol_at(&f, fc, "E1") == 0);
    CHECK_OK(devstore_setting_set_int(f.s, "sync_interval_seconds", 3600));
    CHECK_OK(sync_worker_start(f.path, NULL, NULL, &w));
    do { /* the first round sends the fixture's people */
        sleep_ms(50);
        waited += 50;
        CHECK_OK(devstore_outbox_stats(f.s, &st));
    } while (st.acked < 5 && waited < 5000);
    CHECK(sync_worker_wait_idle(w, 10000));
    before = s.pushes;
    waited = 0;
    fixture_obs(&f, &o, "TAAL-02");
    CHECK_OK(devstore_signal_record(f.s, &o, true));
    sync_worker_recheck(w);
    CHECK(sync_worker_wait_idle(w, 10000));
    sleep_ms(300);
    CHECK_INT_EQ(s.pushes, before); /* nothing travels while it settles */
    /* the hold now ends in 300 ms */
    vp_time_advance(o.device_time_ms + DEV_SETTLE_MS - 300 - vp_now_ms());
    sync_worker_recheck(w);
    do {
        sleep_ms(50);
        waited += 50;
        CHECK_OK(devstore_outbox_stats(f.s, &st));
    } while (st.acked < 6 && waited < 5000);
    CHECK_INT_EQ(st.pending, 0);
    CHECK(s.pushes > before);
    CHECK(waited >= 200); /* not before the hold ended */
    sync_worker_stop(w);
    fakecentral_stop(fc);
    fixture_close(&f);
}

int main(void)
{
    if (vp_core_init() || sync_global_init())
        return 1;
    VP_TEST(test_ambiguous_answer_keeps_the_batch_frozen_and_resends_it);
    VP_TEST(test_unreadable_answer_is_outcome_unknown);
    VP_TEST(test_refused_batch_is_split_until_the_bad_record_is_quarantined);
    VP_TEST(test_unauthorized_forgets_the_token_and_keeps_records);
    VP_TEST(test_pull_applies_every_page_and_stores_the_cursor);
    VP_TEST(test_new_server_epoch_pushes_everything_again);
    VP_TEST(test_pull_carries_the_heartbeat);
    VP_TEST(test_backoff_has_full_jitter_a_cap_and_honours_retry_after);
    VP_TEST(test_worker_wakes_on_demand_and_reports);
    VP_TEST(test_worker_sends_a_held_signal_when_its_hold_ends);
    sync_global_cleanup();
    return vp_test_done();
}
