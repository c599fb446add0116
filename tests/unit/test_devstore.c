/* The device store: schema, people, PINs, observations, advice. */
#include "devstore_fixture.h"

static void test_new_store_has_schema_catalog_and_defaults(void)
{
    struct fixture f;
    struct vp_catalog cat;
    int64_t autolock = 0;
    struct dev_device dev;
    CHECK(fixture_open(&f) == 0);
    CHECK_INT_EQ(devstore_schema_version(f.s), DEVSTORE_SCHEMA_VERSION);
    CHECK_OK(devstore_catalog(f.s, &cat));
    CHECK_INT_EQ(cat.ndomains, 8);
    CHECK_INT_EQ(vp_catalog_signal_count(&cat), 58);
    vp_catalog_release(&cat);
    CHECK_OK(devstore_setting_get_int(f.s, "autolock_seconds", 90, &autolock));
    CHECK_INT_EQ(autolock, 90);
    CHECK_OK(devstore_device_get(f.s, &dev));
    CHECK(!dev.enrolled);
    CHECK(!dev.setup_done);
    fixture_close(&f);
}

static void test_reopen_keeps_data_and_version(void)
{
    struct fixture f;
    struct dev_child *kids = NULL;
    size_t n = 0;
    CHECK(fixture_open(&f) == 0);
    devstore_close(f.s);
    CHECK_OK(devstore_open(f.path, &f.s));
    CHECK_INT_EQ(devstore_schema_version(f.s), DEVSTORE_SCHEMA_VERSION);
    CHECK_OK(devstore_children(f.s, f.group, false, &kids, &n));
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(kids[0].first_name, "Daan");
    CHECK_STR_EQ(kids[1].first_name, "Sanne");
    CHECK(vp_str_starts_with(kids[0].pseudonym, "K-"));
    CHECK_INT_EQ(strlen(kids[0].pseudonym), 6);
    CHECK(strcmp(kids[0].pseudonym, kids[1].pseudonym) != 0);
    free(kids);
    fixture_close(&f);
}

static void test_children_are_validated_and_archived(void)
{
    struct fixture f;
    char id[VP_UUID_LEN], other[VP_UUID_LEN];
    struct dev_child *kids = NULL, c;
    size_t n = 0;
    CHECK(fixture_open(&f) == 0);
    CHECK_ERR(devstore_child_add(f.s, f.group, "", "2023-10", id), VP_ERR_INVALID);
    CHECK_ERR(devstore_child_add(f.s, f.group, "Noor", "2023-13", id), VP_ERR_INVALID);
    CHECK_ERR(devstore_child_add(f.s, f.group, "Noor", "2999-01", id), VP_ERR_INVALID);
    vp_uuid4(other);
    CHECK_ERR(devstore_child_add(f.s, other, "Noor", "2023-10", id), VP_ERR_CONSTRAINT);
    CHECK_OK(devstore_child_update(f.s, f.daan, f.group, "Daan", "2023-10", true));
    CHECK_OK(devstore_children(f.s, NULL, false, &kids, &n));
    CHECK_INT_EQ(n, 1);
    free(kids);
    CHECK_OK(devstore_children(f.s, NULL, true, &kids, &n));
    CHECK_INT_EQ(n, 2);
    free(kids);
    CHECK_OK(devstore_child_get(f.s, f.daan, &c));
    CHECK(c.archived);
    fixture_close(&f);
}

static void test_groups_are_listed_by_name_and_archived(void)
{
    struct fixture f;
    char id[VP_UUID_LEN];
    struct dev_group *groups = NULL;
    size_t n = 0;
    CHECK(fixture_open(&f) == 0);
    CHECK_OK(devstore_group_add(f.s, "Regenboog", id));
    CHECK_OK(devstore_groups(f.s, false, &groups, &n));
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(groups[0].name, "Regenboog");
    free(groups);
    CHECK_OK(devstore_group_update(f.s, id, "Regenboog", true));
    CHECK_OK(devstore_groups(f.s, false, &groups, &n));
    CHECK_INT_EQ(n, 1);
    free(groups);
    fixture_close(&f);
}

static void test_pin_unlocks_and_five_wrong_lock_out_for_a_minute(void)
{
    struct fixture f;
    int64_t now = 1763900000000, until = 0;
    struct dev_staff m;
    CHECK(fixture_open(&f) == 0);
    CHECK_OK(devstore_staff_unlock(f.s, f.ilse, "1234", now, &until));
    for (int i = 0; i < 4; i++)
        CHECK_ERR(devstore_staff_unlock(f.s, f.ilse, "0000", now, &until), VP_ERR_AUTH);
    CHECK_INT_EQ(until, 0);
    CHECK_ERR(devstore_staff_unlock(f.s, f.ilse, "0000", now, &until), VP_ERR_AUTH);
    CHECK_INT_EQ(until, now + DEV_LOCKOUT_MS);
    /* while locked even the right PIN is refused */
    CHECK_ERR(devstore_staff_unlock(f.s, f.ilse, "1234", now + 30000, &until), VP_ERR_LOCKED_OUT);
    CHECK_INT_EQ(until, now + DEV_LOCKOUT_MS);
    /* a colleague is not affected */
    CHECK_OK(devstore_staff_unlock(f.s, f.marieke, "9876", now + 30000, NULL));
    CHECK_OK(devstore_staff_unlock(f.s, f.ilse, "1234", now + DEV_LOCKOUT_MS + 1, &until));
    CHECK_OK(devstore_staff_get(f.s, f.ilse, &m));
    CHECK_INT_EQ(m.failed_attempts, 0);
    CHECK_INT_EQ(m.locked_until_ms, 0);
    fixture_close(&f);
}

static void test_pin_reset_clears_lockout_and_pin_is_only_hashed(void)
{
    struct fixture f;
    int64_t now = 1763900000000;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    CHECK(fixture_open(&f) == 0);
    for (int i = 0; i < 5; i++)
        devstore_staff_unlock(f.s, f.ilse, "0000", now, NULL);
    CHECK_ERR(devstore_staff_set_pin(f.s, f.ilse, "12"), VP_ERR_INVALID);
    CHECK_ERR(devstore_staff_set_pin(f.s, f.ilse, "12a4"), VP_ERR_INVALID);
    CHECK_OK(devstore_staff_set_pin(f.s, f.ilse, "246810"));
    CHECK_OK(devstore_staff_unlock(f.s, f.ilse, "246810", now + 1, NULL));
    CHECK_ERR(devstore_staff_unlock(f.s, f.ilse, "1234", now + 2, NULL), VP_ERR_AUTH);
    /* nowhere in the file is the PIN stored as text */
    CHECK(sqlite3_open(f.path, &db) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db,
                             "SELECT count(*) FROM staff WHERE pin_hash LIKE '$argon2id$%'"
                             " AND pin_hash NOT LIKE '%246810%'",
                             -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_INT_EQ(sqlite3_column_int(st, 0), 2);
    sqlite3_finalize(st);
    sqlite3_close(db);
    fixture_close(&f);
}

static void test_observation_is_recorded_with_its_outbox_row(void)
{
    struct fixture f;
    struct vp_observation o, back;
    struct dev_outbox_stats stats;
    struct dev_obs_item *items = NULL;
    size_t n = 0;
    int64_t before = vp_now_ms();
    CHECK(fixture_open(&f) == 0);
    fixture_obs(&f, &o, "TAAL-02");
    o.level = 3;
    o.situation = VP_SIT_MEAL;
    CHECK_OK(devstore_observation_record(f.s, &o));
    CHECK(vp_uuid7_valid(o.id));
    CHECK(o.device_time_ms >= before);
    CHECK_INT_EQ(o.catalog_version, 1);
    CHECK_OK(devstore_observation_get(f.s, o.id, &back));
    CHECK_STR_EQ(back.signals[0], "TAAL-02");
    CHECK_INT_EQ(back.level, 3);
    CHECK_INT_EQ(back.situation, VP_SIT_MEAL);
    CHECK_OK(devstore_outbox_stats(f.s, &stats));
    CHECK_INT_EQ(stats.pending_signals, 1);
    CHECK(stats.oldest_pending_ms > 0);
    CHECK_OK(devstore_child_observations(f.s, f.daan, 50, &items, &n));
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(items[0].staff_name, "Ilse");
    free(items);
    fixture_close(&f);
}

static void test_invalid_observations_change_nothing(void)
{
    struct fixture f;
    struct vp_observation o;
    struct dev_outbox_stats before, after;
    CHECK(fixture_open(&f) == 0);
    CHECK_OK(devstore_outbox_stats(f.s, &before));
    fixture_obs(&f, &o, "TAAL-99");
    CHECK_ERR(devstore_observation_record(f.s, &o), VP_ERR_INVALID);
    fixture_obs(&f, &o, "TAAL-02");
    o.consultation = VP_CONSULT_NAMED; /* consent not confirmed */
    CHECK_ERR(devstore_observation_record(f.s, &o), VP_ERR_INVALID);
    fixture_obs(&f, &o, "TAAL-02");
    o.level = 0;
    CHECK_ERR(devstore_observation_record(f.s, &o), VP_ERR_INVALID);
    fixture_obs(&f, &o, "TAAL-02");
    vp_uuid4(o.child_id); /* unknown child */
    CHECK_ERR(devstore_observation_record(f.s, &o), VP_ERR_CONSTRAINT);
    CHECK_OK(devstore_outbox_stats(f.s, &after));
    CHECK_INT_EQ(after.pending, before.pending);
    fixture_close(&f);
}

static void test_timeline_is_newest_first_and_per_child(void)
{
    struct fixture f;
    struct vp_observation o;
    struct dev_obs_item *items = NULL;
    size_t n = 0;
    const char *codes[] = { "TAAL-01", "SOC-02", "MOT-03" };
    CHECK(fixture_open(&f) == 0);
    for (int i = 0; i < 3; i++) {
        fixture_obs(&f, &o, codes[i]);
        CHECK_OK(devstore_observation_record(f.s, &o));
    }
    fixture_obs(&f, &o, "ZIN-02");
    vp_strlcpy(o.child_id, f.sanne, VP_UUID_LEN);
    CHECK_OK(devstore_observation_record(f.s, &o));
    CHECK_OK(devstore_child_observations(f.s, f.daan, 2, &items, &n));
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(items[0].obs.signals[0], "MOT-03");
    CHECK_STR_EQ(items[1].obs.signals[0], "SOC-02");
    free(items);
    fixture_close(&f);
}

static void test_advice_read_once_queues_a_receipt(void)
{
    struct fixture f;
    struct vp_change c;
    struct dev_child child;
    struct dev_advice *adv = NULL;
    struct dev_outbox_stats before, after;
    size_t n = 0;
    CHECK(fixture_open(&f) == 0);
    memset(&c, 0, sizeof(c));
    c.seq = 1;
    c.type = VP_CHG_ADVICE;
    vp_uuid4(c.u.advice.advice_id);
    vp_strlcpy(c.u.advice.child_id, f.daan, VP_UUID_LEN);
    vp_strlcpy(c.u.advice.text, "Benoem wat Daan aanwijst.", sizeof(c.u.advice.text));
    vp_strlcpy(c.u.advice.author, "Coach", sizeof(c.u.advice.author));
    c.u.advice.created_ms = 1763900000000;
    CHECK_OK(devstore_apply_changes(f.s, &c, 1, "1"));
    CHECK_OK(devstore_child_get(f.s, f.daan, &child));
    CHECK_INT_EQ(child.unread_advice, 1);
    CHECK_OK(devstore_outbox_stats(f.s, &before));
    CHECK_OK(devstore_advice_mark_read(f.s, c.u.advice.advice_id, f.ilse));
    CHECK_OK(devstore_advice_mark_read(f.s, c.u.advice.advice_id, f.ilse)); /* twice: once */
    CHECK_OK(devstore_outbox_stats(f.s, &after));
    CHECK_INT_EQ(after.pending, before.pending + 1);
    CHECK_OK(devstore_child_get(f.s, f.daan, &child));
    CHECK_INT_EQ(child.unread_advice, 0);
    CHECK_OK(devstore_child_advice(f.s, f.daan, &adv, &n));
    CHECK_INT_EQ(n, 1);
    CHECK(adv[0].read_ms > 0);
    free(adv);
    fixture_close(&f);
}

static void test_settings_round_trip(void)
{
    struct fixture f;
    char lang[8];
    int64_t v = 0;
    CHECK(fixture_open(&f) == 0);
    CHECK_OK(devstore_setting_set_text(f.s, "language", "en"));
    CHECK_OK(devstore_setting_get_text(f.s, "language", "nl", lang, sizeof(lang)));
    CHECK_STR_EQ(lang, "en");
    CHECK_OK(devstore_setting_set_int(f.s, "autolock_seconds", 120));
    CHECK_OK(devstore_setting_get_int(f.s, "autolock_seconds", 90, &v));
    CHECK_INT_EQ(v, 120);
    fixture_close(&f);
}

int main(void)
{
    VP_TEST(test_new_store_has_schema_catalog_and_defaults);
    VP_TEST(test_reopen_keeps_data_and_version);
    VP_TEST(test_children_are_validated_and_archived);
    VP_TEST(test_groups_are_listed_by_name_and_archived);
    VP_TEST(test_pin_unlocks_and_five_wrong_lock_out_for_a_minute);
    VP_TEST(test_pin_reset_clears_lockout_and_pin_is_only_hashed);
    VP_TEST(test_observation_is_recorded_with_its_outbox_row);
    VP_TEST(test_invalid_observations_change_nothing);
    VP_TEST(test_timeline_is_newest_first_and_per_child);
    VP_TEST(test_advice_read_once_queues_a_receipt);
    VP_TEST(test_settings_round_trip);
    return vp_test_done();
}
