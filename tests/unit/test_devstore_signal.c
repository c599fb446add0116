/* A signal is one thing with versions: every transition of the state
 * machine in docs/sync.md ("The signal on the tablet"), the settle window,
 * and the three tablet bugs of issue 9 (each fails with
 * -DVP_TEST_REENABLE_BUG=N). */
#include "devstore_fixture.h"
#include "devstore_int.h" /* ds_migrations, for the migration test */

#define MINUTE 60000LL

/* ---- helpers: what the sync worker does ---- */

/* Freezes what is offered into a batch (as a push that got no answer). */
static size_t freeze(struct fixture *f, struct dev_batch *b)
{
    if (devstore_batch_take(f->s, 200, 1 << 20, b) != VP_OK)
        return 0;
    return b->count;
}

/* Answers the batch: every record gets status st. */
static void answer(struct fixture *f, struct dev_batch *b, enum vp_push_status st)
{
    struct dev_push_result r[64];
    for (size_t i = 0; i < b->count && i < 64; i++) {
        r[i].id = b->record_ids[i];
        r[i].status = st;
        r[i].reason = NULL;
    }
    devstore_batch_finish(f->s, b->id, r, b->count, vp_now_ms());
    devstore_batch_release(b);
}

/* A whole round that was answered "stored". */
static void send_all(struct fixture *f)
{
    struct dev_batch b;
    while (freeze(f, &b) > 0)
        answer(f, &b, VP_PUSH_STORED);
    devstore_batch_release(&b);
}

static struct dev_outbox_stats stats(struct fixture *f)
{
    struct dev_outbox_stats st;
    memset(&st, 0, sizeof(st));
    devstore_outbox_stats(f->s, &st);
    return st;
}

static int64_t count(struct fixture *f, const char *sql, const char *arg)
{
    int64_t n = -1;
    sqlite3_stmt *st = NULL;
    sqlite3 *db = NULL;
    sqlite3_open(f->path, &db);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (arg)
            sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Versions of a signal still stored on the tablet. */
static int64_t versions(struct fixture *f, const char *signal_id)
{
    return count(f, "SELECT count(*) FROM observations WHERE signal_id = ?1", signal_id);
}

/* What the child's page shows for Daan: n signals; the first in *first. */
static size_t page(struct fixture *f, struct vp_observation *first)
{
    struct dev_obs_item *items = NULL;
    size_t n = 0;
    devstore_child_observations(f->s, f->daan, 50, &items, &n);
    if (n > 0 && first)
        *first = items[0].obs;
    free(items);
    return n;
}

/* A new signal as the signal screen saves it (held). */
static void save(struct fixture *f, struct vp_observation *o, const char *code)
{
    fixture_obs(f, o, code);
    if (devstore_signal_record(f->s, o, true) != VP_OK)
        memset(o, 0, sizeof(*o));
}

/* An extra as the signal screen adds it: the level, held. */
static vp_result extra(struct fixture *f, const char *signal_id, int level,
                       struct vp_observation *stored)
{
    struct vp_observation o;
    vp_result res = devstore_signal_get(f->s, signal_id, &o);
    if (res)
        return res;
    o.level = level;
    return devstore_signal_amend(f->s, signal_id, &o, true, stored);
}

/* The fixture with its people already at the centre: the outbox is empty. */
static int open_clean(struct fixture *f)
{
    if (fixture_open(f) != 0)
        return -1;
    send_all(f);
    return 0;
}

/* ---- a new signal and the settle window ---- */

static void test_new_signal_names_itself_and_is_held_not_offered(void)
{
    struct fixture f;
    struct vp_observation o;
    struct dev_batch b;
    struct dev_outbox_stats st;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "TAAL-02");
    CHECK(vp_uuid7_valid(o.id));
    CHECK_STR_EQ(o.signal_id, o.id);
    st = stats(&f);
    CHECK_INT_EQ(st.pending, 0);         /* nothing the worker can send yet */
    CHECK_INT_EQ(st.pending_signals, 1); /* but it waits: the coach has not got it */
    CHECK_INT_EQ(st.unsettled_signals, 1);
    CHECK_INT_EQ(freeze(&f, &b), 0);
    devstore_batch_release(&b);
    CHECK_INT_EQ(page(&f, NULL), 1); /* durable and shown at once */
    fixture_close(&f);
}

static void test_settle_offers_held_signals_to_the_next_batch(void)
{
    struct fixture f;
    struct vp_observation o;
    struct dev_batch b;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "TAAL-02");
    CHECK_OK(devstore_signals_settle(f.s));
    CHECK_INT_EQ(stats(&f).pending_signals, 1);
    CHECK_INT_EQ(stats(&f).unsettled_signals, 0);
    CHECK_INT_EQ(freeze(&f, &b), 1);
    CHECK_STR_EQ(b.record_ids[0], o.id);
    CHECK(strstr(b.body, "\"signal_id\":\"") != NULL);
    devstore_batch_release(&b);
    fixture_close(&f);
}

static void test_held_signal_settles_by_itself_two_minutes_after_the_last_edit(void)
{
    struct fixture f;
    struct vp_observation o;
    struct dev_batch b;
    int64_t at = 0, t0 = vp_now_ms();
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "TAAL-02");
    vp_time_advance(MINUTE);
    CHECK_OK(extra(&f, o.id, 2, NULL)); /* an edit restarts the window */
    CHECK_OK(devstore_signals_next_settle(f.s, &at));
    CHECK(at >= t0 + MINUTE + DEV_SETTLE_MS);
    vp_time_advance(MINUTE + 30000);
    CHECK_INT_EQ(stats(&f).unsettled_signals, 1);
    CHECK_INT_EQ(stats(&f).pending, 0);
    CHECK_INT_EQ(freeze(&f, &b), 0);
    devstore_batch_release(&b);
    vp_time_advance(31000);
    CHECK_INT_EQ(stats(&f).pending_signals, 1);
    CHECK_INT_EQ(stats(&f).unsettled_signals, 0);
    CHECK_OK(devstore_signals_next_settle(f.s, &at));
    CHECK(at > 0 && at <= vp_now_ms()); /* due: the worker has work now */
    CHECK_INT_EQ(freeze(&f, &b), 1);
    devstore_batch_release(&b);
    CHECK_OK(devstore_signals_next_settle(f.s, &at));
    CHECK_INT_EQ(at, 0); /* sent: nothing left to wait for */
    fixture_close(&f);
}

static void test_next_settle_is_the_earliest_hold(void)
{
    struct fixture f;
    struct vp_observation a, b;
    int64_t at = 0, first;
    CHECK(open_clean(&f) == 0);
    CHECK_OK(devstore_signals_next_settle(f.s, &at));
    CHECK_INT_EQ(at, 0);
    save(&f, &a, "TAAL-02");
    first = vp_now_ms() + DEV_SETTLE_MS;
    vp_time_advance(5000);
    save(&f, &b, "SOC-01");
    CHECK_OK(devstore_signals_next_settle(f.s, &at));
    CHECK(at >= first - 50 && at <= first + 50);
    fixture_close(&f);
}

static void test_clock_going_back_does_not_hold_a_signal_for_long(void)
{
    struct fixture f;
    struct vp_observation o;
    int64_t at = -1;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "TAAL-02");
    vp_time_advance(-3600000LL); /* the tablet's clock is put back an hour */
    CHECK_INT_EQ(stats(&f).pending_signals, 1);
    CHECK_OK(devstore_signals_next_settle(f.s, &at));
    CHECK_INT_EQ(at, 0);
    vp_time_advance(3600000LL);
    fixture_close(&f);
}

/* ---- never left: everything happens in place ---- */

static void test_amend_while_held_changes_the_one_version_in_place(void)
{
    struct fixture f;
    struct vp_observation o, stored, back;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "TAAL-02");
    CHECK_OK(extra(&f, o.id, 2, &stored));
    CHECK_STR_EQ(stored.id, o.id);
    CHECK_INT_EQ(stored.device_time_ms, o.device_time_ms);
    CHECK_OK(extra(&f, o.id, 3, NULL));
    CHECK_INT_EQ(versions(&f, o.id), 1);
    CHECK_OK(devstore_observation_get(f.s, o.id, &back));
    CHECK_INT_EQ(back.level, 3);
    CHECK_INT_EQ(count(&f, "SELECT count(*) FROM outbox WHERE type = 'observation'", NULL), 1);
    fixture_close(&f);
}

static void test_undo_while_held_leaves_no_trace(void)
{
    struct fixture f;
    struct vp_observation o;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "TAAL-02");
    CHECK_OK(extra(&f, o.id, 2, NULL));
    CHECK_OK(devstore_signal_undo(f.s, o.id, f.ilse, true));
    CHECK_INT_EQ(versions(&f, o.id), 0);
    CHECK_INT_EQ(count(&f, "SELECT count(*) FROM outbox WHERE type = 'observation'", NULL), 0);
    CHECK_INT_EQ(page(&f, NULL), 0);
    CHECK_INT_EQ(stats(&f).unsettled_signals, 0);
    fixture_close(&f);
}

static void test_undo_when_settled_but_never_sent_leaves_no_trace(void)
{
    struct fixture f;
    struct vp_observation o;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "TAAL-02");
    CHECK_OK(devstore_signals_settle(f.s));
    CHECK_OK(devstore_signal_undo(f.s, o.id, f.ilse, true));
    CHECK_INT_EQ(count(&f, "SELECT count(*) FROM outbox WHERE type = 'observation'", NULL), 0);
    CHECK_INT_EQ(page(&f, NULL), 0);
    fixture_close(&f);
}

static void test_amend_when_settled_but_never_sent_changes_in_place_and_holds_again(void)
{
    struct fixture f;
    struct vp_observation o, stored;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "TAAL-02");
    CHECK_OK(devstore_signals_settle(f.s));
    CHECK_OK(extra(&f, o.id, 2, &stored));
    CHECK_STR_EQ(stored.id, o.id);
    CHECK_INT_EQ(stats(&f).unsettled_signals, 1);
    CHECK_INT_EQ(stats(&f).pending, 0);
    CHECK_INT_EQ(stats(&f).pending_signals, 1);
    fixture_close(&f);
}

/* ---- after a version left ---- */

static void test_extras_after_it_left_make_one_correction_not_one_each(void)
{
    struct fixture f;
    struct vp_observation o, c1, c2, shown;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "TAAL-02");
    CHECK_OK(devstore_signals_settle(f.s));
    send_all(&f);
    CHECK_OK(extra(&f, o.id, 2, &c1));
    CHECK(strcmp(c1.id, o.id) > 0);
    CHECK_STR_EQ(c1.corrects, o.id);
    CHECK_STR_EQ(c1.signal_id, o.id);
    CHECK_OK(extra(&f, o.id, 3, &c2)); /* the correction never left: in place */
    CHECK_STR_EQ(c2.id, c1.id);
    CHECK_OK(extra(&f, o.id, 1, NULL));
    CHECK_INT_EQ(versions(&f, o.id), 2);
    CHECK_INT_EQ(page(&f, &shown), 1);
    CHECK_STR_EQ(shown.id, c1.id);
    CHECK_INT_EQ(shown.level, 1);
    fixture_close(&f);
}

static void test_undo_after_it_left_adds_a_retraction_naming_the_latest(void)
{
    struct fixture f;
    struct vp_observation o, r;
    struct dev_batch b;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "SOC-01");
    CHECK_OK(devstore_signals_settle(f.s));
    send_all(&f);
    CHECK_OK(devstore_signal_undo(f.s, o.id, f.ilse, true));
    CHECK_INT_EQ(page(&f, NULL), 0);
    CHECK_INT_EQ(versions(&f, o.id), 2);
    CHECK_OK(devstore_signals_settle(f.s));
    CHECK_INT_EQ(stats(&f).pending_signals, 1); /* the retraction travels up */
    CHECK_INT_EQ(freeze(&f, &b), 1);
    CHECK_OK(devstore_observation_get(f.s, b.record_ids[0], &r));
    CHECK(r.retracted);
    CHECK_STR_EQ(r.corrects, o.id);
    CHECK_STR_EQ(r.signal_id, o.id);
    devstore_batch_release(&b);
    fixture_close(&f);
}

static void test_undo_of_an_unsent_correction_turns_it_into_the_retraction(void)
{
    struct fixture f;
    struct vp_observation o, c, r;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "SOC-01");
    CHECK_OK(devstore_signals_settle(f.s));
    send_all(&f);
    CHECK_OK(extra(&f, o.id, 2, &c));
    CHECK_OK(devstore_signal_undo(f.s, o.id, f.ilse, true));
    CHECK_INT_EQ(versions(&f, o.id), 2); /* the first version and the retraction */
    CHECK_OK(devstore_observation_get(f.s, c.id, &r));
    CHECK(r.retracted);
    CHECK_STR_EQ(r.corrects, o.id); /* it names the version before it */
    CHECK_INT_EQ(page(&f, NULL), 0);
    fixture_close(&f);
}

static void test_a_correction_that_left_is_corrected_by_a_new_version(void)
{
    struct fixture f;
    struct vp_observation o, c1, c2;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "SOC-01");
    CHECK_OK(devstore_signals_settle(f.s));
    send_all(&f);
    CHECK_OK(extra(&f, o.id, 2, &c1));
    CHECK_OK(devstore_signals_settle(f.s));
    send_all(&f);
    CHECK_OK(extra(&f, c1.id, 3, &c2)); /* any version's id names the signal */
    CHECK(strcmp(c2.id, c1.id) > 0);
    CHECK_STR_EQ(c2.corrects, c1.id);
    CHECK_STR_EQ(c2.signal_id, o.id);
    CHECK_INT_EQ(versions(&f, o.id), 3);
    fixture_close(&f);
}

static void test_an_undone_signal_is_gone_and_stays_gone(void)
{
    struct fixture f;
    struct vp_observation o, back;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "SOC-01");
    CHECK_OK(devstore_signals_settle(f.s));
    send_all(&f);
    CHECK_OK(devstore_signal_undo(f.s, o.id, f.ilse, true));
    CHECK_ERR(devstore_signal_get(f.s, o.id, &back), VP_ERR_NOT_FOUND);
    CHECK_ERR(extra(&f, o.id, 2, NULL), VP_ERR_NOT_FOUND);
    CHECK_ERR(devstore_signal_undo(f.s, o.id, f.ilse, true), VP_ERR_NOT_FOUND);
    CHECK_INT_EQ(versions(&f, o.id), 2);
    fixture_close(&f);
}

static void test_quarantined_and_refused_versions_count_as_left(void)
{
    struct fixture f;
    struct vp_observation a, b, c;
    struct dev_batch batch;
    CHECK(open_clean(&f) == 0);
    save(&f, &a, "SOC-01");
    CHECK_OK(devstore_signals_settle(f.s));
    CHECK_INT_EQ(freeze(&f, &batch), 1);
    answer(&f, &batch, VP_PUSH_CONFLICT);
    CHECK_OK(extra(&f, a.id, 2, &c));
    CHECK(strcmp(c.id, a.id) != 0);
    /* a batch refused as a whole goes back to pending, but it was sent */
    save(&f, &b, "SOC-02");
    CHECK_OK(devstore_signals_settle(f.s));
    CHECK_INT_EQ(freeze(&f, &batch), 2);
    CHECK_OK(devstore_batch_finish(f.s, batch.id, NULL, 0, vp_now_ms()));
    devstore_batch_release(&batch);
    CHECK_OK(extra(&f, b.id, 2, &c));
    CHECK_STR_EQ(c.corrects, b.id);
    fixture_close(&f);
}

static void test_a_purged_first_version_still_counts_as_left(void)
{
    struct fixture f;
    struct vp_observation o, c;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "SOC-01");
    CHECK_OK(devstore_signals_settle(f.s));
    send_all(&f);
    CHECK_OK(extra(&f, o.id, 2, &c)); /* a correction, not yet sent */
    CHECK_OK(devstore_purge_acknowledged(f.s, vp_now_ms() + 1, NULL));
    CHECK_INT_EQ(versions(&f, o.id), 1);
    CHECK_OK(devstore_signal_undo(f.s, o.id, f.ilse, true));
    CHECK_INT_EQ(versions(&f, o.id), 1); /* the correction became the retraction */
    CHECK_OK(devstore_observation_get(f.s, c.id, &c));
    CHECK(c.retracted);
    CHECK_STR_EQ(c.corrects, o.id);
    fixture_close(&f);
}

/* ---- what the person sees ---- */

static void test_child_page_shows_each_signal_once_as_its_latest_version(void)
{
    struct fixture f;
    struct vp_observation a, b, gone, shown;
    struct dev_obs_item *items = NULL;
    size_t n = 0;
    CHECK(open_clean(&f) == 0);
    save(&f, &a, "TAAL-02");
    save(&f, &b, "SOC-01");
    save(&f, &gone, "MOT-03");
    CHECK_OK(devstore_signals_settle(f.s));
    send_all(&f);
    CHECK_OK(extra(&f, a.id, 3, NULL));
    CHECK_OK(devstore_signal_undo(f.s, gone.id, f.ilse, true));
    CHECK_OK(devstore_child_observations(f.s, f.daan, 50, &items, &n));
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(items[0].obs.signal_id, b.id); /* newest signal first */
    CHECK_STR_EQ(items[1].obs.signal_id, a.id);
    CHECK_INT_EQ(items[1].obs.level, 3);
    free(items);
    CHECK_OK(devstore_signal_get(f.s, a.id, &shown));
    CHECK_INT_EQ(shown.level, 3);
    fixture_close(&f);
}

static void test_bottom_line_counts_signals_not_records(void)
{
    struct fixture f;
    struct vp_observation o;
    struct dev_batch b;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "TAAL-02");
    CHECK_OK(devstore_signals_settle(f.s));
    CHECK_INT_EQ(freeze(&f, &b), 1); /* in flight, no answer yet */
    devstore_batch_release(&b);
    CHECK_OK(extra(&f, o.id, 2, NULL));
    CHECK_OK(devstore_signals_settle(f.s));
    CHECK_INT_EQ(stats(&f).pending, 2);
    CHECK_INT_EQ(stats(&f).pending_signals, 1);
    fixture_close(&f);
}

/* ---- the three tablet bugs of issue 9 ---- */

/* Bug 1: the first version in flight (no answer), an extra, then undo. */
static void test_bug1_undo_with_first_version_in_flight_and_change_pending_retracts_it(void)
{
    struct fixture f;
    struct vp_observation o, c, r;
    struct dev_batch b;
    CHECK(open_clean(&f) == 0);
    save(&f, &o, "GED-02");
    CHECK_OK(devstore_signals_settle(f.s));
    CHECK_INT_EQ(freeze(&f, &b), 1);
    devstore_batch_release(&b);
    CHECK_OK(extra(&f, o.id, 2, &c));
    CHECK_OK(devstore_signal_undo(f.s, o.id, f.ilse, true));
    CHECK_INT_EQ(page(&f, NULL), 0); /* gone from the child's page */
    CHECK_OK(devstore_observation_get(f.s, c.id, &r));
    CHECK(r.retracted); /* and what travels after the first version undoes it */
    CHECK_STR_EQ(r.corrects, o.id);
    fixture_close(&f);
}

/* An epoch change: the centre was restored, everything held is requeued. */
static void restored_centre(struct fixture *f, struct vp_observation *o, struct vp_observation *c)
{
    save(f, o, "GED-02");
    devstore_signals_settle(f->s);
    send_all(f);
    extra(f, o->id, 2, c);
    devstore_signals_settle(f->s);
    send_all(f);
    devstore_outbox_requeue_all(f->s, "0190a1b2-0000-7000-8000-000000000002");
}

/* Bug 2: after the requeue, a level change must not edit in place what the
 * restored centre already holds (conflict, quarantine). */
static void test_bug2_level_change_after_epoch_requeue_adds_a_correction(void)
{
    struct fixture f;
    struct vp_observation o, c, c2, back;
    CHECK(open_clean(&f) == 0);
    restored_centre(&f, &o, &c);
    CHECK_INT_EQ(
        count(&f, "SELECT count(*) FROM outbox WHERE state = 'pending' AND entity_id = ?1", o.id),
        2);
    CHECK_OK(extra(&f, o.id, 3, &c2));
    CHECK(strcmp(c2.id, c.id) > 0);
    CHECK_STR_EQ(c2.corrects, c.id);
    CHECK_OK(devstore_observation_get(f.s, c.id, &back));
    CHECK_INT_EQ(back.level, 2); /* what the centre holds is resent unchanged */
    CHECK_INT_EQ(page(&f, &back), 1);
    CHECK_INT_EQ(back.level, 3);
    fixture_close(&f);
}

/* Bug 3: after the requeue, undo must retract what the centre holds. */
static void test_bug3_undo_after_epoch_requeue_records_a_retraction(void)
{
    struct fixture f;
    struct vp_observation o, c;
    CHECK(open_clean(&f) == 0);
    restored_centre(&f, &o, &c);
    CHECK_OK(devstore_signal_undo(f.s, o.id, f.ilse, true));
    CHECK_INT_EQ(page(&f, NULL), 0);
    CHECK_INT_EQ(versions(&f, o.id), 3);
    CHECK_INT_EQ(
        count(&f, "SELECT count(*) FROM observations WHERE retracted = 1 AND corrects = ?1", c.id),
        1);
    fixture_close(&f);
}

/* ---- migration 2 ---- */

static void test_migration_folds_signal_ids_and_marks_what_left(void)
{
    char *dir = vp_test_tempdir(), *path = vp_path_join(dir, "kiosk.db");
    sqlite3 *db = NULL;
    struct devstore *s = NULL;
    struct fixture f;
    static const char rows[] =
        "INSERT INTO children(id, group_id, first_name, birth_month, pseudonym) VALUES"
        " ('11111111-1111-4111-8111-111111111111', 'g', 'Daan', '2023-10', 'K-1');"
        "INSERT INTO staff(id, display_name, role, pin_hash) VALUES"
        " ('22222222-2222-4222-8222-222222222222', 'Ilse', 'pm', 'x');"
        "INSERT INTO observations(id, child_id, staff_id, signals, level, corrects, device_time,"
        " catalog_version) VALUES"
        " ('0190a1b2-0001-7000-8000-000000000001', '11111111-1111-4111-8111-111111111111',"
        "  '22222222-2222-4222-8222-222222222222', 'TAAL-02', 1, NULL, 1, 1),"
        " ('0190a1b2-0002-7000-8000-000000000002', '11111111-1111-4111-8111-111111111111',"
        "  '22222222-2222-4222-8222-222222222222', 'TAAL-02', 2,"
        "  '0190a1b2-0001-7000-8000-000000000001', 2, 1),"
        " ('0190a1b2-0003-7000-8000-000000000003', '11111111-1111-4111-8111-111111111111',"
        "  '22222222-2222-4222-8222-222222222222', 'TAAL-02', 3,"
        "  '0190a1b2-0002-7000-8000-000000000002', 3, 1),"
        " ('0190a1b2-0005-7000-8000-000000000005', '11111111-1111-4111-8111-111111111111',"
        "  '22222222-2222-4222-8222-222222222222', 'SOC-01', 1,"
        "  '0190a1b2-0004-7000-8000-000000000004', 5, 1);"
        "INSERT INTO outbox(record_id, type, child_id, payload, state, created_at) VALUES"
        " ('0190a1b2-0001-7000-8000-000000000001', 'observation', 'c', '{}', 'acked', 1),"
        " ('0190a1b2-0002-7000-8000-000000000002', 'observation', 'c', '{}', 'in_flight', 2),"
        " ('0190a1b2-0003-7000-8000-000000000003', 'observation', 'c', '{}', 'pending', 3),"
        " ('0190a1b2-0005-7000-8000-000000000005', 'observation', 'c', '{}', 'quarantined', 5);"
        "PRAGMA user_version = 1;";
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, ds_migrations[0], NULL, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_exec(db, rows, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_OK(devstore_open(path, &s));
    CHECK_INT_EQ(devstore_schema_version(s), DEVSTORE_SCHEMA_VERSION);
    devstore_close(s);
    memset(&f, 0, sizeof(f));
    f.path = path;
    CHECK_INT_EQ(versions(&f, "0190a1b2-0001-7000-8000-000000000001"), 3);
    /* a chain whose start was purged ends at the oldest id it names */
    CHECK_INT_EQ(versions(&f, "0190a1b2-0004-7000-8000-000000000004"), 1);
    CHECK_INT_EQ(count(&f, "SELECT count(*) FROM outbox WHERE ever_sent = 1", NULL), 3);
    CHECK_INT_EQ(count(&f, "SELECT count(*) FROM outbox WHERE ever_sent = 0 AND record_id = ?1",
                       "0190a1b2-0003-7000-8000-000000000003"),
                 1);
    CHECK_INT_EQ(count(&f, "SELECT count(*) FROM outbox WHERE entity_id = ?1",
                       "0190a1b2-0001-7000-8000-000000000001"),
                 3);
    vp_test_rmtree(dir);
    free(path);
    free(dir);
}

int main(void)
{
    if (vp_core_init() != VP_OK)
        return 1;
    VP_TEST(test_new_signal_names_itself_and_is_held_not_offered);
    VP_TEST(test_settle_offers_held_signals_to_the_next_batch);
    VP_TEST(test_held_signal_settles_by_itself_two_minutes_after_the_last_edit);
    VP_TEST(test_next_settle_is_the_earliest_hold);
    VP_TEST(test_clock_going_back_does_not_hold_a_signal_for_long);
    VP_TEST(test_amend_while_held_changes_the_one_version_in_place);
    VP_TEST(test_undo_while_held_leaves_no_trace);
    VP_TEST(test_undo_when_settled_but_never_sent_leaves_no_trace);
    VP_TEST(test_amend_when_settled_but_never_sent_changes_in_place_and_holds_again);
    VP_TEST(test_extras_after_it_left_make_one_correction_not_one_each);
    VP_TEST(test_undo_after_it_left_adds_a_retraction_naming_the_latest);
    VP_TEST(test_undo_of_an_unsent_correction_turns_it_into_the_retraction);
    VP_TEST(test_a_correction_that_left_is_corrected_by_a_new_version);
    VP_TEST(test_an_undone_signal_is_gone_and_stays_gone);
    VP_TEST(test_quarantined_and_refused_versions_count_as_left);
    VP_TEST(test_a_purged_first_version_still_counts_as_left);
    VP_TEST(test_child_page_shows_each_signal_once_as_its_latest_version);
    VP_TEST(test_bottom_line_counts_signals_not_records);
    VP_TEST(test_bug1_undo_with_first_version_in_flight_and_change_pending_retracts_it);
    VP_TEST(test_bug2_level_change_after_epoch_requeue_adds_a_correction);
    VP_TEST(test_bug3_undo_after_epoch_requeue_records_a_retraction);
    VP_TEST(test_migration_folds_signal_ids_and_marks_what_left);
    return vp_test_done();
}
