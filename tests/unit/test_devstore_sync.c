/* The device store's side of the sync: frozen batches, results,
 * quarantine, epochs, retention, and applying pulled changes. */
#include "devstore_fixture.h"

static void record_n(struct fixture *f, int n)
{
    struct vp_observation o;
    for (int i = 0; i < n; i++) {
        fixture_obs(f, &o, i % 2 ? "GED-03" : "SPEL-01");
        if (devstore_observation_record(f->s, &o) != VP_OK)
            fprintf(stderr, "record %d failed\n", i);
    }
}

static void test_batch_is_frozen_and_resent_unchanged(void)
{
    struct fixture f;
    struct dev_batch a, b;
    CHECK(fixture_open(&f) == 0);
    /* the fixture queued 1 group, 2 children and 2 staff revisions */
    record_n(&f, 3);
    CHECK_OK(devstore_batch_take(f.s, 200, 1 << 20, &a));
    CHECK_INT_EQ(a.count, 8);
    record_n(&f, 2); /* new records don't join a batch in flight */
    CHECK_OK(devstore_batch_take(f.s, 200, 1 << 20, &b));
    CHECK_STR_EQ(b.id, a.id);
    CHECK_INT_EQ(b.count, a.count);
    CHECK_STR_EQ(b.body, a.body);
    CHECK(vp_str_starts_with(a.body, "{\"records\":[{"));
    devstore_batch_release(&a);
    devstore_batch_release(&b);
    fixture_close(&f);
}

static void test_batch_respects_record_and_byte_limits(void)
{
    struct fixture f;
    struct dev_batch b;
    struct dev_push_result r[8];
    CHECK(fixture_open(&f) == 0);
    record_n(&f, 10);
    CHECK_OK(devstore_batch_take(f.s, 4, 1 << 20, &b));
    CHECK_INT_EQ(b.count, 4);
    for (size_t i = 0; i < b.count; i++)
        r[i] = (struct dev_push_result){ b.record_ids[i], VP_PUSH_STORED, NULL };
    CHECK_OK(devstore_batch_finish(f.s, b.id, r, b.count, vp_now_ms()));
    devstore_batch_release(&b);
    CHECK_OK(devstore_batch_take(f.s, 200, 600, &b)); /* room for about one record */
    CHECK(b.count >= 1 && b.count <= 2);
    CHECK(b.body_len <= 600 || b.count == 1);
    devstore_batch_release(&b);
    fixture_close(&f);
}

static void test_results_acknowledge_quarantine_and_requeue(void)
{
    struct fixture f;
    struct dev_batch b;
    struct dev_push_result r[3];
    struct dev_outbox_stats st;
    struct dev_quarantined *q = NULL;
    size_t n = 0;
    CHECK(fixture_open(&f) == 0);
    CHECK_OK(devstore_batch_take(f.s, 200, 1 << 20, &b));
    CHECK_INT_EQ(b.count, 5);
    r[0] = (struct dev_push_result){ b.record_ids[0], VP_PUSH_STORED, NULL };
    r[1] = (struct dev_push_result){ b.record_ids[1], VP_PUSH_DUPLICATE, NULL };
    r[2] = (struct dev_push_result){ b.record_ids[2], VP_PUSH_REJECTED, "signals: unknown" };
    CHECK_OK(devstore_batch_finish(f.s, b.id, r, 3, vp_now_ms()));
    CHECK_OK(devstore_outbox_stats(f.s, &st));
    CHECK_INT_EQ(st.acked, 2);
    CHECK_INT_EQ(st.quarantined, 1);
    CHECK_INT_EQ(st.pending, 2); /* the two without a result go back */
    CHECK_INT_EQ(st.in_flight, 0);
    CHECK_OK(devstore_quarantined(f.s, &q, &n));
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(q[0].id, b.record_ids[2]);
    CHECK_STR_EQ(q[0].reason, "signals: unknown");
    free(q);
    devstore_batch_release(&b);
    /* the next batch holds exactly the two that went back */
    CHECK_OK(devstore_batch_take(f.s, 200, 1 << 20, &b));
    CHECK_INT_EQ(b.count, 2);
    devstore_batch_release(&b);
    fixture_close(&f);
}

static void test_new_epoch_requeues_everything_held(void)
{
    struct fixture f;
    struct dev_batch b;
    struct dev_push_result r[16];
    struct dev_outbox_stats st;
    struct dev_sync_state ss;
    CHECK(fixture_open(&f) == 0);
    record_n(&f, 3);
    CHECK_OK(devstore_batch_take(f.s, 200, 1 << 20, &b));
    for (size_t i = 0; i < b.count; i++)
        r[i] = (struct dev_push_result){ b.record_ids[i], VP_PUSH_STORED, NULL };
    CHECK_OK(devstore_batch_finish(f.s, b.id, r, b.count, vp_now_ms()));
    devstore_batch_release(&b);
    CHECK_OK(devstore_apply_changes(f.s, NULL, 0, "77"));
    CHECK_OK(devstore_outbox_requeue_all(f.s, "0190a0b0-0000-4000-8000-0000000000ee"));
    CHECK_OK(devstore_outbox_stats(f.s, &st));
    CHECK_INT_EQ(st.pending, 8);
    CHECK_INT_EQ(st.acked, 0);
    CHECK_OK(devstore_sync_state(f.s, &ss));
    CHECK_STR_EQ(ss.cursor, "");
    CHECK_STR_EQ(ss.server_epoch, "0190a0b0-0000-4000-8000-0000000000ee");
    fixture_close(&f);
}

static void test_retention_purges_only_acknowledged(void)
{
    struct fixture f;
    struct dev_batch b;
    struct dev_push_result r[16];
    struct dev_outbox_stats st;
    int64_t purged = -1;
    CHECK(fixture_open(&f) == 0);
    record_n(&f, 3);
    CHECK_OK(devstore_batch_take(f.s, 200, 1 << 20, &b));
    for (size_t i = 0; i < b.count; i++)
        r[i] = (struct dev_push_result){ b.record_ids[i], VP_PUSH_STORED, NULL };
    CHECK_OK(devstore_batch_finish(f.s, b.id, r, b.count, 1000));
    devstore_batch_release(&b);
    record_n(&f, 2); /* still pending */
    CHECK_OK(devstore_purge_acknowledged(f.s, 2000, &purged));
    CHECK_INT_EQ(purged, 3);
    CHECK_OK(devstore_outbox_stats(f.s, &st));
    CHECK_INT_EQ(st.pending_signals, 2);
    CHECK_INT_EQ(st.acked, 0);
    fixture_close(&f);
}

static struct vp_change child_change(int64_t seq, const char *child_id, const char *group_id,
                                     const char *name)
{
    struct vp_change c;
    memset(&c, 0, sizeof(c));
    c.seq = seq;
    c.type = VP_CHG_CHILD;
    vp_uuid4(c.u.child.id);
    vp_strlcpy(c.u.child.child_id, child_id, VP_UUID_LEN);
    vp_strlcpy(c.u.child.group_id, group_id, VP_UUID_LEN);
    vp_strlcpy(c.u.child.first_name, name, sizeof(c.u.child.first_name));
    vp_strlcpy(c.u.child.birth_month, "2024-01", 8);
    vp_strlcpy(c.u.child.pseudonym, "K-ABCD", VP_PSEUDONYM_LEN);
    return c;
}

static void test_pulled_children_appear_and_cursor_moves(void)
{
    struct fixture f;
    struct vp_change c[2];
    char newkid[VP_UUID_LEN];
    struct dev_child child;
    struct dev_sync_state ss;
    CHECK(fixture_open(&f) == 0);
    vp_uuid4(newkid);
    c[0] = child_change(10, newkid, f.group, "Noor");
    memset(&c[1], 0, sizeof(c[1]));
    c[1].seq = 11;
    c[1].type = VP_CHG_CASE;
    vp_strlcpy(c[1].u.kase.child_id, newkid, VP_UUID_LEN);
    c[1].u.kase.status = VP_CASE_ADVISED;
    CHECK_OK(devstore_apply_changes(f.s, c, 2, "11"));
    CHECK_OK(devstore_child_get(f.s, newkid, &child));
    CHECK_STR_EQ(child.first_name, "Noor");
    CHECK_OK(devstore_sync_state(f.s, &ss));
    CHECK_STR_EQ(ss.cursor, "11");
    fixture_close(&f);
}

static void test_pending_local_edit_is_not_overwritten_by_pull(void)
{
    struct fixture f;
    struct vp_change c;
    struct dev_child child;
    CHECK(fixture_open(&f) == 0);
    CHECK_OK(devstore_child_update(f.s, f.daan, f.group, "Daniël", "2023-10", false));
    c = child_change(5, f.daan, f.group, "Daan (oud)");
    CHECK_OK(devstore_apply_changes(f.s, &c, 1, "5"));
    CHECK_OK(devstore_child_get(f.s, f.daan, &child));
    CHECK_STR_EQ(child.first_name, "Daniël");
    fixture_close(&f);
}

static void test_erase_purges_child_and_its_pending_records(void)
{
    struct fixture f;
    struct vp_change c;
    struct vp_observation o;
    struct dev_child child;
    struct dev_outbox_stats st;
    CHECK(fixture_open(&f) == 0);
    fixture_obs(&f, &o, "TAAL-02");
    CHECK_OK(devstore_observation_record(f.s, &o));
    memset(&c, 0, sizeof(c));
    c.seq = 9;
    c.type = VP_CHG_ERASE;
    vp_strlcpy(c.u.erase_child_id, f.daan, VP_UUID_LEN);
    CHECK_OK(devstore_apply_changes(f.s, &c, 1, "9"));
    CHECK_ERR(devstore_child_get(f.s, f.daan, &child), VP_ERR_NOT_FOUND);
    CHECK_ERR(devstore_observation_get(f.s, o.id, &o), VP_ERR_NOT_FOUND);
    CHECK_OK(devstore_outbox_stats(f.s, &st));
    CHECK_INT_EQ(st.pending_signals, 0);
    CHECK_INT_EQ(st.pending, 4); /* group, Sanne, two staff */
    fixture_close(&f);
}

static void test_settings_and_newer_catalog_apply(void)
{
    struct fixture f;
    struct vp_change c[2];
    struct vp_catalog cat;
    char contact[128];
    const char *v2 =
        "{\"version\":2,\"domains\":[{\"code\":\"TAAL\",\"nl\":\"Taal\",\"en\":\"L\","
        "\"signals\":[{\"code\":\"TAAL-01\",\"nl\":\"Brabbelt niet\",\"en\":\"x\"}]}]}";
    CHECK(fixture_open(&f) == 0);
    memset(c, 0, sizeof(c));
    c[0].seq = 1;
    c[0].type = VP_CHG_SETTINGS;
    vp_strlcpy(c[0].u.settings.location_name, "Dolfijn", 80);
    vp_strlcpy(c[0].u.settings.safety_contact, "Aandachtsfunctionaris: 040-1234567", 300);
    c[0].u.settings.autolock_seconds = 120;
    c[0].u.settings.retention_days = 14;
    c[1].seq = 2;
    c[1].type = VP_CHG_CATALOG;
    c[1].u.catalog.version = 2;
    c[1].u.catalog.json = (char *)v2;
    CHECK_OK(devstore_apply_changes(f.s, c, 2, "2"));
    CHECK_OK(devstore_setting_get_text(f.s, "safety_contact", "", contact, sizeof(contact)));
    CHECK_STR_EQ(contact, "Aandachtsfunctionaris: 040-1234567");
    CHECK_OK(devstore_catalog(f.s, &cat));
    CHECK_INT_EQ(cat.version, 2);
    CHECK_STR_EQ(cat.domains[0].signals[0].label[VP_LANG_NL], "Brabbelt niet");
    vp_catalog_release(&cat);
    /* an older version is ignored */
    CHECK_OK(devstore_catalog_replace(f.s, vp_catalog_default_json(NULL), 1));
    CHECK_OK(devstore_catalog(f.s, &cat));
    CHECK_INT_EQ(cat.version, 2);
    vp_catalog_release(&cat);
    fixture_close(&f);
}

static void test_two_connections_see_each_others_commits(void)
{
    struct fixture f;
    struct devstore *worker = NULL;
    struct dev_outbox_stats st;
    CHECK(fixture_open(&f) == 0);
    CHECK_OK(devstore_open(f.path, &worker));
    record_n(&f, 2);
    CHECK_OK(devstore_outbox_stats(worker, &st));
    CHECK_INT_EQ(st.pending_signals, 2);
    devstore_close(worker);
    fixture_close(&f);
}

/* A kiosk.db written before protocol 2 kept its pull cursor as an integer;
 * the migration to opaque text must keep the position (else the tablet would
 * pull everything again, or worse, nothing). */
static void test_integer_cursor_of_an_older_store_carries_over(void)
{
    struct fixture f;
    struct dev_sync_state ss;
    sqlite3 *db = NULL;
    CHECK(fixture_open(&f) == 0);
    devstore_close(f.s);
    f.s = NULL;
    /* back to the schema before the cursor migration (the newest one) */
    CHECK(sqlite3_open(f.path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
                       "ALTER TABLE sync_state DROP COLUMN pull_cursor;"
                       "UPDATE sync_state SET cursor = 77;"
                       "PRAGMA user_version = 2;",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_OK(devstore_open(f.path, &f.s));
    CHECK_INT_EQ(devstore_schema_version(f.s), DEVSTORE_SCHEMA_VERSION);
    CHECK_OK(devstore_sync_state(f.s, &ss));
    CHECK_STR_EQ(ss.cursor, "77");
    fixture_close(&f);
}

static void test_cursor_that_is_not_one_is_refused(void)
{
    struct fixture f;
    struct dev_sync_state ss;
    CHECK(fixture_open(&f) == 0);
    CHECK_OK(devstore_apply_changes(f.s, NULL, 0, "e1:42:7"));
    CHECK_ERR(devstore_apply_changes(f.s, NULL, 0, "two words"), VP_ERR_INVALID);
    CHECK_OK(devstore_sync_state(f.s, &ss));
    CHECK_STR_EQ(ss.cursor, "e1:42:7");
    fixture_close(&f);
}

/* The console names a tablet: that tablet takes the name, the others of its
 * location keep theirs. */
static void test_device_name_from_the_console_reaches_only_that_tablet(void)
{
    struct fixture f;
    struct dev_device d;
    struct vp_change c;
    CHECK(fixture_open(&f) == 0);
    CHECK_OK(devstore_device_get(f.s, &d));
    vp_uuid4(d.device_id);
    vp_uuid4(d.location_id);
    vp_strlcpy(d.device_name, "vindplaats-kiosk", sizeof(d.device_name));
    vp_strlcpy(d.token, "t0k3n", sizeof(d.token));
    vp_strlcpy(d.server_url, "http://127.0.0.1:1", sizeof(d.server_url));
    CHECK_OK(devstore_device_enrol(f.s, &d, "E1"));
    memset(&c, 0, sizeof(c));
    c.seq = 1;
    c.type = VP_CHG_DEVICE;
    vp_uuid4(c.u.device.device_id); /* another tablet of the location */
    vp_strlcpy(c.u.device.name, "Tablet Vlinders", sizeof(c.u.device.name));
    CHECK_OK(devstore_apply_changes(f.s, &c, 1, "1"));
    CHECK_OK(devstore_device_get(f.s, &d));
    CHECK_STR_EQ(d.device_name, "vindplaats-kiosk");
    vp_strlcpy(c.u.device.device_id, d.device_id, sizeof(c.u.device.device_id));
    vp_strlcpy(c.u.device.name, "Tablet Zonnetje \xe2\x82\xac", sizeof(c.u.device.name));
    CHECK_OK(devstore_apply_changes(f.s, &c, 1, "2"));
    CHECK_OK(devstore_device_get(f.s, &d));
    CHECK_STR_EQ(d.device_name, "Tablet Zonnetje \xe2\x82\xac");
    fixture_close(&f);
}

int main(void)
{
    VP_TEST(test_batch_is_frozen_and_resent_unchanged);
    VP_TEST(test_batch_respects_record_and_byte_limits);
    VP_TEST(test_results_acknowledge_quarantine_and_requeue);
    VP_TEST(test_new_epoch_requeues_everything_held);
    VP_TEST(test_retention_purges_only_acknowledged);
    VP_TEST(test_pulled_children_appear_and_cursor_moves);
    VP_TEST(test_pending_local_edit_is_not_overwritten_by_pull);
    VP_TEST(test_erase_purges_child_and_its_pending_records);
    VP_TEST(test_settings_and_newer_catalog_apply);
    VP_TEST(test_two_connections_see_each_others_commits);
    VP_TEST(test_integer_cursor_of_an_older_store_carries_over);
    VP_TEST(test_cursor_that_is_not_one_is_refused);
    VP_TEST(test_device_name_from_the_console_reaches_only_that_tablet);
    return vp_test_done();
}
