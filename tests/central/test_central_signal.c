/*
 * test_central_signal.c - at the centre a signal is one thing with versions
 * (sync/central/cstore_signal.h), store-level: a corrected signal is shown
 * once as its latest version with its earlier versions on request; an
 * undone signal is gone from every view, its content deleted, and every
 * version is still answered exactly once (also after a restore from an
 * older backup); Gezien and Archiveren act on the signal and a raise lifts
 * them; every count agrees; "Nieuw" holds old unseen signals in triage
 * order.
 */
#include "cfx.h"
#include "cstore_console_int.h"
#include "vp_buf.h"
#include "vp_str.h"
#include "vp_test.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS (24LL * 3600 * 1000)

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static json_int_t num(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static int64_t sqlf(struct cfx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t sqlf(struct cfx *f, const char *fmt, ...)
{
    char sql[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return cfx_sql_int(f, sql);
}

/* Data rows of a CSV (lines after the header). */
static int csv_rows(const char *csv)
{
    int n = 0;
    for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
        n++;
    return n - 1;
}

/* Every coach view's number of signals for the location, in one array:
 * inbox (all), inbox location count, Kinderen (sum of case counts), Overzicht,
 * Beheer, console CSV rows, CLI CSV rows, child pages. */
#define NVIEWS 8
static const char *const view_names[NVIEWS] = {
    "inbox",  "inbox count", "Kinderen", "Overzicht",
    "Beheer", "console CSV", "CLI CSV",  "child pages"
};

static void count_views(struct cfx *f, json_int_t n[NVIEWS])
{
    json_t *inbox = cfx_inbox(f, CCON_VIEW_ALL, CCON_ORDER_URGENCY, 0), *cases = NULL, *ov = NULL,
           *locs = NULL;
    struct cstore_filter cf;
    struct ccon_filter flt;
    struct vp_buf csv1 = VP_BUF_INIT, csv2 = VP_BUF_INIT;
    size_t i;
    json_t *row;
    memset(n, 0, NVIEWS * sizeof(n[0]));
    n[0] = (json_int_t)json_array_size(json_object_get(inbox, "signals"));
    n[1] = num(json_array_get(json_object_get(inbox, "locations"), 0), "count");
    memset(&cf, 0, sizeof(cf));
    cf.limit = 1000;
    if (cstore_cases_list(f->st, f->coach.id, &cf, f->now, &cases) == VP_OK)
        json_array_foreach(cases, i, row) n[2] += num(json_object_get(row, "case"), "signal_count");
    if (cstore_console_overview(f->st, f->coach.id, NULL, 12, f->now, &ov) == VP_OK)
        n[3] = num(ov, "signals");
    if (cstore_console_locations(f->st, f->coach.id, f->now, &locs) == VP_OK)
        n[4] = num(json_array_get(locs, 0), "signals");
    memset(&flt, 0, sizeof(flt));
    flt.view = CCON_VIEW_ALL;
    if (cstore_console_export(f->st, f->coach.id, CCON_EXPORT_SIGNALS, &flt, "test", f->now,
                              &csv1) == VP_OK)
        n[5] = csv_rows(csv1.data);
    if (cstore_export(f->st, f->coach.id, CSTORE_EXPORT_SIGNALS, NULL, "test", f->now, &csv2) ==
        VP_OK)
        n[6] = csv_rows(csv2.data);
    for (int k = 0; k < CFX_KIDS; k++) {
        json_t *page = cfx_child(f, k);
        n[7] += (json_int_t)json_array_size(json_object_get(page, "signals"));
        json_decref(page);
    }
    vp_buf_release(&csv1);
    vp_buf_release(&csv2);
    json_decref(inbox);
    json_decref(cases);
    json_decref(ov);
    json_decref(locs);
}

static void check_views(struct cfx *f, json_int_t want)
{
    json_int_t n[NVIEWS];
    count_views(f, n);
    for (int i = 0; i < NVIEWS; i++)
        if (n[i] != want)
            VP_TEST_FAIL_("%s counts %lld signals, want %lld", view_names[i], (long long)n[i],
                          (long long)want);
}

static void test_a_corrected_signal_shows_once_as_its_latest_version(void)
{
    struct cfx f;
    struct vp_observation v1, v2, v3;
    json_t *inbox, *page, *sig, *earlier;
    cfx_open(&f);
    v1 = cfx_obs(&f, 0, 1, "TAAL-02", "eerste");
    v2 = cfx_amend(&f, &v1, 2, "TAAL-02", "tweede");
    v3 = cfx_amend(&f, &v2, 2, "TAAL-02,SOC-01", "derde \xE2\x82\xAC");
    CHECK_STR_EQ(cfx_push1(&f, &v1), "stored");
    f.now += 60000;
    CHECK_STR_EQ(cfx_push1(&f, &v2), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &v3), "stored");
    inbox = cfx_inbox(&f, CCON_VIEW_ALL, CCON_ORDER_URGENCY, 0);
    CHECK_INT_EQ(json_array_size(json_object_get(inbox, "signals")), 1);
    sig = json_array_get(json_object_get(inbox, "signals"), 0);
    CHECK_STR_EQ(str(sig, "id"), v1.id);
    CHECK_STR_EQ(str(sig, "version_id"), v3.id);
    CHECK_INT_EQ(num(sig, "versions"), 3);
    CHECK(json_is_true(json_object_get(sig, "amended")));
    CHECK_STR_EQ(str(sig, "note"), "derde \xE2\x82\xAC");
    CHECK_INT_EQ(json_array_size(json_object_get(sig, "signals")), 2);
    CHECK(json_is_string(json_object_get(sig, "updated_at")));
    json_decref(inbox);
    /* the child page: once, with the two earlier versions on request */
    page = cfx_child(&f, 0);
    CHECK_INT_EQ(json_array_size(json_object_get(page, "signals")), 1);
    sig = json_array_get(json_object_get(page, "signals"), 0);
    earlier = json_object_get(sig, "earlier");
    CHECK_INT_EQ(json_array_size(earlier), 2);
    CHECK_STR_EQ(str(json_array_get(earlier, 0), "version_id"), v1.id);
    CHECK_STR_EQ(str(json_array_get(earlier, 0), "note"), "eerste");
    CHECK_STR_EQ(str(json_array_get(earlier, 1), "version_id"), v2.id);
    json_decref(page);
    check_views(&f, 1);
    cfx_free(&f);
}

static void test_versions_arriving_out_of_order_keep_the_tip_as_latest(void)
{
    struct cfx f;
    struct vp_observation v1, v2, v3;
    json_t *inbox;
    cfx_open(&f);
    v1 = cfx_obs(&f, 1, 1, "MOT-03", "");
    v2 = cfx_amend(&f, &v1, 2, "MOT-03", "");
    v3 = cfx_amend(&f, &v2, 3, "MOT-03", "laatste");
    CHECK_STR_EQ(cfx_push1(&f, &v3), "stored"); /* its signal: the id it names */
    CHECK_STR_EQ(cfx_push1(&f, &v1), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &v2), "stored");
    inbox = cfx_inbox(&f, CCON_VIEW_ALL, CCON_ORDER_URGENCY, 0);
    /* v3 arrived first, naming v2: its signal is v2 until the chain is known */
    CHECK_INT_EQ(json_array_size(json_object_get(inbox, "signals")), 2);
    json_decref(inbox);
    cfx_free(&f);
    /* in push order (the tablet's), the three are one signal */
    cfx_open(&f);
    v1 = cfx_obs(&f, 1, 1, "MOT-03", "");
    v2 = cfx_amend(&f, &v1, 2, "MOT-03", "");
    v3 = cfx_amend(&f, &v2, 3, "MOT-03", "laatste");
    {
        struct vp_observation batch[3] = { v1, v2, v3 };
        const char *st[3];
        CHECK_OK(cfx_push(&f, batch, 3, st));
        CHECK_STR_EQ(st[2], "stored");
    }
    inbox = cfx_inbox(&f, CCON_VIEW_ALL, CCON_ORDER_URGENCY, 0);
    CHECK_INT_EQ(json_array_size(json_object_get(inbox, "signals")), 1);
    CHECK_STR_EQ(str(json_array_get(json_object_get(inbox, "signals"), 0), "version_id"), v3.id);
    CHECK_INT_EQ(num(json_array_get(json_object_get(inbox, "signals"), 0), "level"), 3);
    json_decref(inbox);
    cfx_free(&f);
}

static void test_a_correction_of_an_unknown_record_takes_its_id_as_signal(void)
{
    struct cfx f;
    struct vp_observation lost, v2, v3;
    json_t *inbox;
    cfx_open(&f);
    lost = cfx_obs(&f, 0, 1, "TAAL-01", ""); /* never reaches the centre */
    v2 = cfx_amend(&f, &lost, 2, "TAAL-01", "");
    v3 = cfx_amend(&f, &v2, 2, "TAAL-01", "meer");
    CHECK_STR_EQ(cfx_push1(&f, &v2), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &v3), "stored");
    inbox = cfx_inbox(&f, CCON_VIEW_ALL, CCON_ORDER_URGENCY, 0);
    CHECK_INT_EQ(json_array_size(json_object_get(inbox, "signals")), 1);
    CHECK_STR_EQ(str(json_array_get(json_object_get(inbox, "signals"), 0), "id"), lost.id);
    CHECK_INT_EQ(sqlf(&f, "SELECT COUNT(*) FROM records WHERE signal_id = '%s'", lost.id), 2);
    json_decref(inbox);
    cfx_free(&f);
}

static void test_a_correction_naming_another_childs_signal_is_rejected(void)
{
    struct cfx f;
    struct vp_observation v1, bad;
    cfx_open(&f);
    v1 = cfx_obs(&f, 0, 1, "TAAL-01", "");
    bad = cfx_amend(&f, &v1, 2, "TAAL-01", "");
    vp_strlcpy(bad.child_id, f.kids[1], sizeof(bad.child_id));
    CHECK_STR_EQ(cfx_push1(&f, &v1), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &bad), "rejected");
    CHECK_INT_EQ(sqlf(&f, "SELECT COUNT(*) FROM records WHERE id = '%s'", bad.id), 0);
    check_views(&f, 1);
    cfx_free(&f);
}

static void test_an_undone_signal_is_gone_and_its_content_deleted(void)
{
    struct cfx f;
    struct vp_observation v1, v2, undo, late, keep;
    const char *st[3];
    cfx_open(&f);
    v1 = cfx_obs(&f, 0, 2, "GED-02", "slaat andere kinderen");
    v2 = cfx_amend(&f, &v1, 3, "GED-02", "slaat andere kinderen vaak");
    undo = cfx_undo(&f, &v2);
    keep = cfx_obs(&f, 1, 1, "SPEL-01", "");
    CHECK_STR_EQ(cfx_push1(&f, &v1), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &keep), "stored");
    CHECK_INT_EQ(cstore_console_mark_seen(f.st, f.coach.id, (const char *[]){ v1.id }, 1, f.now),
                 VP_OK);
    CHECK_STR_EQ(cfx_push1(&f, &v2), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &undo), "stored");
    check_views(&f, 1);
    /* nothing of its content is left; the ids and hashes are */
    CHECK_INT_EQ(sqlf(&f, "SELECT COUNT(*) FROM observations WHERE signal_id = '%s'", v1.id), 0);
    CHECK_INT_EQ(sqlf(&f, "SELECT COUNT(*) FROM signals WHERE signal_id = '%s'", v1.id), 0);
    CHECK_INT_EQ(sqlf(&f, "SELECT COUNT(*) FROM signal_seen WHERE signal_id = '%s'", v1.id), 0);
    CHECK_INT_EQ(sqlf(&f, "SELECT COUNT(*) FROM signal_undone WHERE signal_id = '%s'", v1.id), 1);
    CHECK_INT_EQ(sqlf(&f, "SELECT COUNT(*) FROM records WHERE signal_id = '%s'", v1.id), 3);
    CHECK_INT_EQ(cfx_sql_int(&f, "SELECT COUNT(*) FROM observations WHERE note LIKE '%slaat%'"), 0);
    /* the case only this signal had opened, and nobody worked on, is gone */
    CHECK_INT_EQ(sqlf(&f, "SELECT COUNT(*) FROM cases WHERE child_id = '%s'", f.kids[0]), 0);
    /* every version again: the same answers as before */
    {
        struct vp_observation again[3] = { v1, v2, undo };
        CHECK_OK(cfx_push(&f, again, 3, st));
        CHECK_STR_EQ(st[0], "duplicate");
        CHECK_STR_EQ(st[1], "duplicate");
        CHECK_STR_EQ(st[2], "duplicate");
    }
    /* a version of it arriving late is stored (answered once) and stays deleted */
    late = cfx_amend(&f, &v2, 1, "GED-02", "te laat");
    CHECK_STR_EQ(cfx_push1(&f, &late), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &late), "duplicate");
    check_views(&f, 1);
    CHECK_INT_EQ(cfx_sql_int(&f, "SELECT COUNT(*) FROM observations WHERE note = 'te laat'"), 0);
    /* marking it seen or archiving it finds nothing */
    CHECK_INT_EQ(cstore_console_mark_seen(f.st, f.coach.id, (const char *[]){ v1.id }, 1, f.now),
                 VP_ERR_NOT_FOUND);
    CHECK_INT_EQ(cstore_console_archive(f.st, f.coach.id, v2.id, "other", "t", f.now),
                 VP_ERR_NOT_FOUND);
    cfx_free(&f);
}

static void test_undo_keeps_a_case_the_coach_worked_on(void)
{
    struct cfx f;
    struct vp_observation v1, undo;
    struct cstore_case_edit e;
    json_t *kase = NULL, *cases = NULL;
    struct cstore_filter cf;
    cfx_open(&f);
    v1 = cfx_obs(&f, 2, 2, "ZIN-02", "");
    undo = cfx_undo(&f, &v1);
    CHECK_STR_EQ(cfx_push1(&f, &v1), "stored");
    memset(&e, 0, sizeof(e));
    e.status = "reviewing";
    CHECK_OK(cstore_case_update(f.st, f.coach.id, f.kids[2], &e, "t", f.now, &kase, NULL));
    json_decref(kase);
    CHECK_STR_EQ(cfx_push1(&f, &undo), "stored");
    memset(&cf, 0, sizeof(cf));
    cf.limit = 100;
    CHECK_OK(cstore_cases_list(f.st, f.coach.id, &cf, f.now, &cases));
    CHECK_INT_EQ(json_array_size(cases), 1);
    kase = json_object_get(json_array_get(cases, 0), "case");
    CHECK_INT_EQ(num(kase, "signal_count"), 0);
    CHECK(json_is_null(json_object_get(kase, "first_signal_at")));
    CHECK(json_is_null(json_object_get(kase, "last_signal_at")));
    json_decref(cases);
    cfx_free(&f);
}

static void test_undo_holds_after_a_restore_from_an_older_backup(void)
{
    struct cfx f;
    struct vp_observation v1, v2, undo;
    char backup[600];
    const char *st[3];
    cfx_open(&f);
    snprintf(backup, sizeof(backup), "%s/backup.db", f.dir);
    v1 = cfx_obs(&f, 0, 2, "WEL-01", "");
    v2 = cfx_amend(&f, &v1, 3, "WEL-01", "");
    undo = cfx_undo(&f, &v2);
    CHECK_STR_EQ(cfx_push1(&f, &v1), "stored");
    CHECK_OK(cstore_backup(f.st, backup));
    CHECK_STR_EQ(cfx_push1(&f, &v2), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &undo), "stored");
    check_views(&f, 0);
    cfx_close(&f);
    CHECK_OK(cstore_restore(f.dir, backup, NULL));
    cfx_reopen(&f);
    check_views(&f, 1); /* the backup holds the live signal */
    /* the tablet pushes what it still holds, as after any new epoch */
    {
        struct vp_observation again[3] = { v1, v2, undo };
        CHECK_OK(cfx_push(&f, again, 3, st));
        CHECK_STR_EQ(st[0], "duplicate");
        CHECK_STR_EQ(st[1], "stored");
        CHECK_STR_EQ(st[2], "stored");
        check_views(&f, 0);
        CHECK_OK(cfx_push(&f, again, 3, st));
        CHECK_STR_EQ(st[0], "duplicate");
        CHECK_STR_EQ(st[1], "duplicate");
        CHECK_STR_EQ(st[2], "duplicate");
    }
    CHECK_INT_EQ(sqlf(&f, "SELECT COUNT(*) FROM observations WHERE signal_id = '%s'", v1.id), 0);
    cfx_free(&f);
}

static bool is_new(struct cfx *f, const char *id)
{
    json_t *inbox = cfx_inbox(f, CCON_VIEW_NEW, CCON_ORDER_URGENCY, 0), *row;
    size_t i;
    bool found = false;
    json_array_foreach(json_object_get(inbox, "signals"), i, row) found |=
        !strcmp(str(row, "id"), id);
    json_decref(inbox);
    return found;
}

static void test_seen_acts_on_the_signal_and_a_raise_makes_it_new_again(void)
{
    struct cfx f;
    struct vp_observation v1, v2, v3, v4;
    cfx_open(&f);
    v1 = cfx_obs(&f, 0, 2, "TAAL-02", "");
    CHECK_STR_EQ(cfx_push1(&f, &v1), "stored");
    CHECK(is_new(&f, v1.id));
    CHECK_OK(cstore_console_mark_seen(f.st, f.coach.id, (const char *[]){ v1.id }, 1, f.now));
    CHECK(!is_new(&f, v1.id));
    v2 = cfx_amend(&f, &v1, 1, "TAAL-02", "lager, met een notitie");
    CHECK_STR_EQ(cfx_push1(&f, &v2), "stored");
    CHECK(!is_new(&f, v1.id)); /* lower level, same codes: still seen */
    v3 = cfx_amend(&f, &v2, 2, "TAAL-02", "");
    CHECK_STR_EQ(cfx_push1(&f, &v3), "stored");
    CHECK(!is_new(&f, v1.id)); /* back to what she saw: still seen */
    v4 = cfx_amend(&f, &v3, 3, "TAAL-02", "");
    CHECK_STR_EQ(cfx_push1(&f, &v4), "stored");
    CHECK(is_new(&f, v1.id)); /* raised above what she saw */
    /* marking by a version's id marks the signal */
    CHECK_OK(cstore_console_mark_seen(f.st, f.coach.id, (const char *[]){ v2.id }, 1, f.now));
    CHECK(!is_new(&f, v1.id));
    CHECK_INT_EQ(sqlf(&f, "SELECT level FROM signal_seen WHERE signal_id = '%s'", v1.id), 3);
    cfx_free(&f);
}

static void test_archive_acts_on_the_signal_and_a_new_code_brings_it_back(void)
{
    struct cfx f;
    struct vp_observation v1, v2, v3;
    json_t *inbox;
    int64_t audits;
    cfx_open(&f);
    v1 = cfx_obs(&f, 1, 2, "GED-01", "");
    CHECK_STR_EQ(cfx_push1(&f, &v1), "stored");
    CHECK_OK(cstore_console_archive(f.st, f.coach.id, v1.id, "no_follow_up", "t", f.now));
    v2 = cfx_amend(&f, &v1, 2, "GED-01", "zelfde codes");
    CHECK_STR_EQ(cfx_push1(&f, &v2), "stored");
    inbox = cfx_inbox(&f, CCON_VIEW_ARCHIVED, CCON_ORDER_URGENCY, 0);
    CHECK_INT_EQ(json_array_size(json_object_get(inbox, "signals")), 1);
    CHECK_STR_EQ(str(json_array_get(json_object_get(inbox, "signals"), 0), "archived"),
                 "no_follow_up");
    json_decref(inbox);
    audits = cfx_sql_int(&f, "SELECT COUNT(*) FROM audit WHERE action = 'unarchive'");
    v3 = cfx_amend(&f, &v2, 2, "GED-01,GED-03", "");
    CHECK_STR_EQ(cfx_push1(&f, &v3), "stored");
    CHECK(is_new(&f, v1.id));
    CHECK_INT_EQ(cfx_sql_int(&f, "SELECT COUNT(*) FROM audit WHERE action = 'unarchive'"),
                 audits + 1);
    inbox = cfx_inbox(&f, CCON_VIEW_ARCHIVED, CCON_ORDER_URGENCY, 0);
    CHECK_INT_EQ(json_array_size(json_object_get(inbox, "signals")), 0);
    json_decref(inbox);
    cfx_free(&f);
}

static void test_every_count_agrees_and_two_domains_count_once(void)
{
    struct cfx f;
    struct vp_observation o[6], fix, undo;
    json_t *ov = NULL, *dom;
    const char *key;
    json_t *arr;
    json_int_t domain_sum = 0;
    cfx_open(&f);
    o[0] = cfx_obs(&f, 0, 1, "TAAL-02,SOC-01", "twee domeinen");
    o[1] = cfx_obs(&f, 0, 2, "GED-01", "");
    o[2] = cfx_obs(&f, 1, 3, "ZIN-01", "");
    o[3] = cfx_obs(&f, 1, 1, "MOT-03,MOT-06", "");
    o[4] = cfx_obs(&f, 2, 2, "WEL-02", "");
    o[5] = cfx_obs(&f, 2, 1, "SPEL-01", "");
    CHECK_OK(cfx_push(&f, o, 6, NULL));
    fix = cfx_amend(&f, &o[1], 3, "GED-01", "erger");
    undo = cfx_undo(&f, &o[5]);
    CHECK_STR_EQ(cfx_push1(&f, &fix), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &undo), "stored");
    check_views(&f, 5);
    CHECK_OK(cstore_console_overview(f.st, f.coach.id, NULL, 12, f.now, &ov));
    dom = json_object_get(ov, "by_domain");
    json_object_foreach(dom, key, arr)
    {
        for (size_t i = 0; i < json_array_size(arr); i++)
            domain_sum += json_integer_value(json_array_get(arr, i));
    }
    CHECK_INT_EQ(domain_sum, 6); /* TAAL and SOC both count o[0]; MOT once for o[3] */
    {
        json_int_t weeks = 0;
        for (size_t i = 0; i < json_array_size(json_object_get(ov, "by_week")); i++)
            weeks += json_integer_value(json_array_get(json_object_get(ov, "by_week"), i));
        CHECK_INT_EQ(weeks, 5);
    }
    json_decref(ov);
    cfx_free(&f);
}

static void test_nieuw_holds_old_unseen_signals_grote_zorg_first_then_oldest(void)
{
    struct cfx f;
    struct vp_observation old, mid, red, red_old;
    json_t *inbox, *rows;
    int64_t n = 0, since;
    char sql[300];
    cfx_open(&f);
    old = cfx_obs(&f, 0, 1, "TAAL-01", "veertig dagen oud");
    mid = cfx_obs(&f, 1, 2, "SOC-01", "");
    red = cfx_obs(&f, 2, 3, "ZIN-01", "");
    red_old = cfx_obs(&f, 0, 3, "MOT-02", "");
    CHECK_STR_EQ(cfx_push1(&f, &old), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &red_old), "stored");
    f.now += 1000;
    CHECK_STR_EQ(cfx_push1(&f, &mid), "stored");
    f.now += 1000;
    CHECK_STR_EQ(cfx_push1(&f, &red), "stored");
    snprintf(sql, sizeof(sql),
             "UPDATE signals SET first_received_at = first_received_at - 40 * %lld"
             " WHERE signal_id IN ('%s', '%s')",
             DAY_MS, old.id, red_old.id);
    CHECK_INT_EQ(cfx_sql(&f, sql), 0);
    since = f.now - 30 * DAY_MS; /* the default period */
    inbox = cfx_inbox(&f, CCON_VIEW_NEW, CCON_ORDER_URGENCY, since);
    rows = json_object_get(inbox, "signals");
    CHECK_INT_EQ(json_array_size(rows), 4);
    CHECK_STR_EQ(str(json_array_get(rows, 0), "id"), red_old.id);
    CHECK_STR_EQ(str(json_array_get(rows, 1), "id"), red.id);
    CHECK_STR_EQ(str(json_array_get(rows, 2), "id"), mid.id);
    CHECK_STR_EQ(str(json_array_get(rows, 3), "id"), old.id);
    CHECK_INT_EQ(num(json_array_get(json_object_get(inbox, "locations"), 0), "count"), 4);
    json_decref(inbox);
    CHECK_OK(cstore_console_new_count(f.st, f.coach.id, &n));
    CHECK_INT_EQ(n, 4);
    /* the period applies to the other views */
    inbox = cfx_inbox(&f, CCON_VIEW_ALL, CCON_ORDER_NEWEST, since);
    rows = json_object_get(inbox, "signals");
    CHECK_INT_EQ(json_array_size(rows), 2);
    CHECK_STR_EQ(str(json_array_get(rows, 0), "id"), red.id);
    json_decref(inbox);
    CHECK_OK(cstore_console_mark_seen(f.st, f.coach.id, (const char *[]){ old.id }, 1, f.now));
    CHECK_OK(cstore_console_new_count(f.st, f.coach.id, &n));
    CHECK_INT_EQ(n, 3);
    cfx_free(&f);
}

static void test_medians_are_true_medians(void)
{
    int even[] = { 62, 56 }, odd[] = { 9, 1, 5 }, one[] = { 7 }, four[] = { 4, 1, 3, 10 };
    double m = -1;
    CHECK(ccon_median(even, 2, &m));
    CHECK(m == 59.0);
    CHECK(ccon_median(odd, 3, &m));
    CHECK(m == 5.0);
    CHECK(ccon_median(one, 1, &m));
    CHECK(m == 7.0);
    CHECK(ccon_median(four, 4, &m));
    CHECK(m == 3.5);
    m = -1;
    CHECK(!ccon_median(NULL, 0, &m));
    CHECK(m == -1);
}

int main(void)
{
    VP_TEST(test_a_corrected_signal_shows_once_as_its_latest_version);
    VP_TEST(test_versions_arriving_out_of_order_keep_the_tip_as_latest);
    VP_TEST(test_a_correction_of_an_unknown_record_takes_its_id_as_signal);
    VP_TEST(test_a_correction_naming_another_childs_signal_is_rejected);
    VP_TEST(test_an_undone_signal_is_gone_and_its_content_deleted);
    VP_TEST(test_undo_keeps_a_case_the_coach_worked_on);
    VP_TEST(test_undo_holds_after_a_restore_from_an_older_backup);
    VP_TEST(test_seen_acts_on_the_signal_and_a_raise_makes_it_new_again);
    VP_TEST(test_archive_acts_on_the_signal_and_a_new_code_brings_it_back);
    VP_TEST(test_every_count_agrees_and_two_domains_count_once);
    VP_TEST(test_nieuw_holds_old_unseen_signals_grote_zorg_first_then_oldest);
    VP_TEST(test_medians_are_true_medians);
    return vp_test_done();
}
