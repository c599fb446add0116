/*
 * test_central_fleet.c - the health of the tablets (issue 13): the colour
 * rule at its edges, the three moments (contact, attempt, success) on the
 * centre's clock, a tablet's name set in the console reaching only that
 * location's feed in a form the tablet takes, a location closed for the
 * holidays, and the inbox banner. The rule in-process; the rest against a
 * real server with an admin (Y) and a coach (X) of one location and a
 * foreign location (ctu_world_make()).
 */
#include "cstore_fleet.h"
#include "ctu.h"
#include "vp_core.h"
#include "vp_str.h"
#include "vp_test.h"
#include "vp_time.h"
#include "vp_wire.h"
#include <pthread.h>
#include <stdarg.h>

#define DAY    CFLEET_DAY_MS
#define MINUTE (60LL * 1000)

static struct central_proc srv;
static char dir[512], password[64];
static struct central_demo_location locs[5];
static struct ctu_world w;

/* ---- the rule, in-process ---- */

static const int64_t NOW = 1795000000000LL; /* 2026-11-19 */

static void tablet_with_success(struct cfleet_tablet *t, int64_t ago_ms)
{
    memset(t, 0, sizeof(*t));
    t->enrolled_ms = NOW - 60 * DAY;
    t->last_contact_ms = NOW - MINUTE;
    t->has_heartbeat = true;
    t->hb_received_ms = NOW - MINUTE;
    t->hb.device_time_ms = NOW - MINUTE;
    t->hb.last_success_ms = NOW - ago_ms;
    t->hb.last_attempt_ms = NOW - MINUTE;
    t->hb.catalog_version = 1;
    t->hb.disk_free_mb = 800;
    vp_strlcpy(t->hb.app_version, VP_VERSION, sizeof(t->hb.app_version));
}

static enum cfleet_health health_after(int64_t ago_ms)
{
    struct cfleet_tablet t;
    struct cfleet_state st;
    struct cfleet_now now;
    cfleet_now_init(&now, NOW, VP_VERSION, 1);
    tablet_with_success(&t, ago_ms);
    cfleet_assess(&t, &now, &st);
    return st.health;
}

static void test_colour_is_green_to_3_days_amber_after_red_after_7(void)
{
    CHECK_INT_EQ(health_after(1 * DAY), CFLEET_GREEN);
    CHECK_INT_EQ(health_after(3 * DAY), CFLEET_GREEN);
    CHECK_INT_EQ(health_after(3 * DAY + 1), CFLEET_AMBER);
    CHECK_INT_EQ(health_after(4 * DAY), CFLEET_AMBER);
    CHECK_INT_EQ(health_after(7 * DAY), CFLEET_AMBER);
    CHECK_INT_EQ(health_after(7 * DAY + 1), CFLEET_RED);
    CHECK_INT_EQ(health_after(8 * DAY), CFLEET_RED);
}

static void test_tablet_times_are_read_on_the_centres_clock(void)
{
    struct cfleet_tablet t;
    struct cfleet_state st;
    struct cfleet_now now;
    cfleet_now_init(&now, NOW, VP_VERSION, 1);
    /* the tablet's clock runs 2 days ahead: its "2 days ago" is now */
    tablet_with_success(&t, 0);
    t.hb.device_time_ms = t.hb_received_ms + 2 * DAY;
    t.hb.last_success_ms = t.hb_received_ms + 2 * DAY - 4 * DAY; /* 4 days before it sent */
    cfleet_assess(&t, &now, &st);
    CHECK_INT_EQ(st.clock_offset_s, 2 * DAY / 1000);
    CHECK_INT_EQ(st.success_ms, t.hb_received_ms - 4 * DAY);
    CHECK_INT_EQ(st.days_quiet, 4);
    CHECK_INT_EQ(st.health, CFLEET_AMBER);
    CHECK(st.advice & CFLEET_ADVICE_CLOCK);
    /* a success "later" than the heartbeat's arrival is clamped to it */
    t.hb.last_success_ms = t.hb.device_time_ms + DAY;
    cfleet_assess(&t, &now, &st);
    CHECK_INT_EQ(st.success_ms, t.hb_received_ms);
}

static void test_a_closed_location_and_a_revoked_tablet_are_not_flagged(void)
{
    struct cfleet_tablet t;
    struct cfleet_state st;
    struct cfleet_now now;
    cfleet_now_init(&now, NOW, VP_VERSION, 1);
    tablet_with_success(&t, 20 * DAY);
    vp_strlcpy(t.closed_until, now.today, sizeof(t.closed_until)); /* closed up to today */
    t.last_contact_ms = t.hb_received_ms = t.hb.device_time_ms = NOW - 20 * DAY;
    t.hb.quarantined = 1;
    cfleet_assess(&t, &now, &st);
    CHECK_INT_EQ(st.health, CFLEET_CLOSED);
    CHECK_INT_EQ(st.advice, CFLEET_ADVICE_QUARANTINE);                /* not "switch it on" */
    vp_strlcpy(t.closed_until, "2026-01-01", sizeof(t.closed_until)); /* over */
    cfleet_assess(&t, &now, &st);
    CHECK_INT_EQ(st.health, CFLEET_RED);
    CHECK(st.advice & CFLEET_ADVICE_SWITCH_ON);
    t.revoked_ms = NOW - DAY;
    cfleet_assess(&t, &now, &st);
    CHECK_INT_EQ(st.health, CFLEET_REVOKED);
    CHECK_INT_EQ(st.advice, 0);
}

static void test_advice_says_what_is_wrong(void)
{
    struct cfleet_tablet t;
    struct cfleet_state st;
    struct cfleet_now now;
    cfleet_now_init(&now, NOW, "0.3.0", 4);
    /* quiet for 8 days and not heard from: switch it on */
    tablet_with_success(&t, 8 * DAY);
    t.last_contact_ms = t.hb_received_ms = t.hb.device_time_ms = NOW - 8 * DAY;
    cfleet_assess(&t, &now, &st);
    CHECK(st.advice & CFLEET_ADVICE_SWITCH_ON);
    CHECK(!(st.advice & CFLEET_ADVICE_SYNC_FAILING));
    /* heard from a minute ago, no success for 4 days: its rounds fail */
    tablet_with_success(&t, 4 * DAY);
    t.hb.quarantined = 2;
    t.hb.disk_free_mb = 150;
    vp_strlcpy(t.hb.app_version, "0.2.9", sizeof(t.hb.app_version));
    t.hb.catalog_version = 3;
    cfleet_assess(&t, &now, &st);
    CHECK_INT_EQ(st.advice, CFLEET_ADVICE_SYNC_FAILING | CFLEET_ADVICE_QUARANTINE |
                                CFLEET_ADVICE_DISK | CFLEET_ADVICE_UPDATE_APP |
                                CFLEET_ADVICE_CATALOG);
    /* all well: nothing to do */
    tablet_with_success(&t, MINUTE);
    vp_strlcpy(t.hb.app_version, "0.3.0", sizeof(t.hb.app_version));
    t.hb.catalog_version = 4;
    t.hb.disk_free_mb = -1; /* unknown is not "full" */
    cfleet_assess(&t, &now, &st);
    CHECK_INT_EQ(st.advice, 0);
    /* enrolled 5 days ago, never a success */
    tablet_with_success(&t, 0);
    t.enrolled_ms = NOW - 5 * DAY;
    t.hb.last_success_ms = 0;
    cfleet_assess(&t, &now, &st);
    CHECK_INT_EQ(st.health, CFLEET_AMBER);
    CHECK(st.advice & CFLEET_ADVICE_NEVER_SYNCED);
    /* protocol 1: no heartbeat, the last contact stands in */
    memset(&t, 0, sizeof(t));
    t.enrolled_ms = NOW - 30 * DAY;
    t.last_contact_ms = NOW - 2 * DAY;
    cfleet_assess(&t, &now, &st);
    CHECK_INT_EQ(st.health, CFLEET_GREEN);
    CHECK_INT_EQ(st.success_ms, NOW - 2 * DAY);
    CHECK_INT_EQ(st.advice, CFLEET_ADVICE_NO_HEARTBEAT);
}

static void test_versions_compare_by_number(void)
{
    CHECK(cfleet_version_older("0.1.0", "0.2.0"));
    CHECK(cfleet_version_older("0.9.0", "0.10.0"));
    CHECK(cfleet_version_older("1.2", "1.2.1"));
    CHECK(!cfleet_version_older("0.10.0", "0.9.0"));
    CHECK(!cfleet_version_older("0.2.0", "0.2.0"));
    CHECK(!cfleet_version_older("", ""));
}

/* ---- against the server ---- */

static long as_y(const char *method, const char *path, const char *body, struct central_http *r)
{
    return ctu_coach(srv.url, method, path, w.y_cookie, w.y_csrf, body, r);
}

static long as_x(const char *method, const char *path, const char *body, struct central_http *r)
{
    return ctu_coach(srv.url, method, path, w.x_cookie, w.x_csrf, body, r);
}

static int64_t count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int64_t count(const char *fmt, ...)
{
    char sql[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return ctu_db_int(dir, sql);
}

static json_t *time_json(int64_t ms)
{
    char t[VP_TIME_LEN];
    vp_time_format(ms, t);
    return json_string(t);
}

/* A protocol-2 pull carrying a heartbeat with the tablet's clock ahead by
 * ahead_ms and its last success success_ago before now (tablet time). */
static long heartbeat(const char *token, int64_t ahead_ms, int64_t success_ago, int quarantined)
{
    int64_t dev = vp_now_ms() + ahead_ms;
    json_t *hb = json_pack("{s:s,s:i,s:i,s:o,s:i,s:o,s:o,s:i,s:o}", "app_version", "0.0.9",
                           "catalog_version", 1, "pending_signals", 3, "oldest_pending",
                           time_json(dev - 2 * DAY), "quarantined", quarantined, "last_attempt",
                           time_json(dev - MINUTE), "last_success", time_json(dev - success_ago),
                           "disk_free_mb", 812, "device_time", time_json(dev));
    json_t *ans = NULL;
    long status = ctu_pull_post(
        srv.url, token, json_pack("{s:s,s:i,s:o}", "since", "", "limit", 5, "heartbeat", hb), &ans);
    json_decref(ans);
    return status;
}

/* The device's row in Y's fleet view (new reference) or NULL. */
static json_t *fleet_row(const char *device_id, json_t **whole)
{
    struct central_http r;
    json_t *js, *d, *found = NULL;
    size_t i;
    if (as_y("GET", "/api/console/admin/devices", NULL, &r) != 200) {
        central_http_release(&r);
        return NULL;
    }
    js = json_loadb(r.body.data, r.body.len, 0, NULL);
    central_http_release(&r);
    json_array_foreach(json_object_get(js, "devices"), i, d)
    {
        if (!strcmp(json_string_value(json_object_get(d, "id")), device_id))
            found = json_incref(d);
    }
    if (whole)
        *whole = json_incref(js);
    json_decref(js);
    return found;
}

static bool has_advice(json_t *row, const char *code)
{
    json_t *a;
    size_t i;
    json_array_foreach(json_object_get(row, "advice"), i, a)
    {
        if (!strcmp(json_string_value(a), code))
            return true;
    }
    return false;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(none)";
}

static void test_heartbeat_fields_are_shown_on_the_centres_clock(void)
{
    json_t *row, *hb;
    int64_t success = 0, contact = 0, attempt = 0;
    CHECK_INT_EQ(heartbeat(w.own_token, 10 * MINUTE, 4 * DAY, 2), 200);
    row = fleet_row(w.own_device, NULL);
    CHECK(row != NULL);
    CHECK_STR_EQ(str(row, "health"), "amber");
    CHECK_INT_EQ(json_integer_value(json_object_get(row, "days_quiet")), 4);
    CHECK(has_advice(row, "sync_failing")); /* in contact, rounds fail */
    CHECK(has_advice(row, "clock"));
    CHECK(has_advice(row, "quarantine"));
    CHECK(has_advice(row, "update_app"));
    CHECK(!has_advice(row, "switch_on"));
    hb = json_object_get(row, "heartbeat");
    CHECK_STR_EQ(str(hb, "app_version"), "0.0.9");
    CHECK_INT_EQ(json_integer_value(json_object_get(hb, "pending_signals")), 3);
    CHECK_INT_EQ(json_integer_value(json_object_get(hb, "quarantined")), 2);
    CHECK_INT_EQ(json_integer_value(json_object_get(hb, "disk_free_mb")), 812);
    /* ten minutes ahead, give or take the request's own time */
    CHECK(llabs(json_integer_value(json_object_get(hb, "clock_offset_s")) - 600) <= 5);
    /* three different moments, each on the centre's clock */
    CHECK_OK(vp_time_parse(str(row, "last_contact"), &contact));
    CHECK_OK(vp_time_parse(str(row, "last_attempt"), &attempt));
    CHECK_OK(vp_time_parse(str(row, "last_success"), &success));
    CHECK(llabs(vp_now_ms() - contact) < MINUTE);
    CHECK(llabs(vp_now_ms() - MINUTE - attempt) < 10000);
    CHECK(llabs(vp_now_ms() - 4 * DAY - success) < 10000);
    json_decref(row);
    /* the tablet succeeds again: green */
    CHECK_INT_EQ(heartbeat(w.own_token, 0, MINUTE, 0), 200);
    row = fleet_row(w.own_device, NULL);
    CHECK_STR_EQ(str(row, "health"), "green");
    json_decref(row);
}

static void test_a_tablet_not_heard_from_for_8_days_is_red_and_told_to_switch_on(void)
{
    char code[16], token[64], device[40];
    json_t *row;
    ctu_code(dir, w.own, code);
    CHECK_INT_EQ(ctu_enroll(srv.url, code, token, device), 200);
    CHECK_INT_EQ(heartbeat(token, 0, MINUTE, 0), 200);
    /* eight days pass without a word from it */
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM devices WHERE id = '%s'", device), 1);
    {
        char sql[400];
        snprintf(sql, sizeof(sql),
                 "UPDATE devices SET created_at = created_at - %lld, last_seen_at = last_seen_at "
                 "- %lld WHERE id = '%s'; UPDATE device_health SET received_at = received_at - "
                 "%lld, device_time = device_time - %lld, last_success = last_success - %lld, "
                 "last_attempt = last_attempt - %lld WHERE device_id = '%s'",
                 9 * DAY, 8 * DAY, device, 8 * DAY, 8 * DAY, 8 * DAY, 8 * DAY, device);
        CHECK_INT_EQ(ctu_db_exec(dir, sql), 0);
    }
    row = fleet_row(device, NULL);
    CHECK(row != NULL);
    CHECK_STR_EQ(str(row, "health"), "red");
    CHECK_INT_EQ(json_integer_value(json_object_get(row, "days_quiet")), 8);
    CHECK(has_advice(row, "switch_on"));
    json_decref(row);
    /* revoked: no longer flagged */
    {
        struct central_http r;
        char path[200];
        snprintf(path, sizeof(path), "/api/console/admin/devices/%s/revoke", device);
        CHECK_INT_EQ(as_y("POST", path, "{}", &r), 200);
        central_http_release(&r);
    }
    row = fleet_row(device, NULL);
    CHECK_STR_EQ(str(row, "health"), "revoked");
    json_decref(row);
}

/* The changes of type in a pull from the start (new reference). */
static json_t *changes_of(const char *token, const char *type)
{
    json_t *ans = NULL, *out = json_array(), *c;
    size_t i;
    if (ctu_pull(srv.url, token, 0, 1000, &ans) == 200)
        json_array_foreach(json_object_get(ans, "changes"), i, c)
        {
            if (!strcmp(str(c, "type"), type))
                json_array_append(out, c);
        }
    json_decref(ans);
    return out;
}

static void test_the_consoles_name_reaches_only_that_locations_feed(void)
{
    static const char name[] = "Groep Zon ☀️ é€ 🐢"; /* multibyte, emoji */
    struct central_http r;
    char path[200], body[200], stored[200], sql[200];
    json_t *got, *foreign, *row;
    struct vp_change chg;
    struct vp_json_err err;
    snprintf(path, sizeof(path), "/api/console/admin/devices/%s/name", w.own_device);
    snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
    CHECK_INT_EQ(as_y("POST", path, body, &r), 200);
    central_http_release(&r);
    snprintf(sql, sizeof(sql), "SELECT name FROM devices WHERE id = '%s'", w.own_device);
    ctu_db_text(dir, sql, stored, sizeof(stored));
    CHECK_STR_EQ(stored, name);
    row = fleet_row(w.own_device, NULL);
    CHECK_STR_EQ(str(row, "name"), name);
    json_decref(row);
    /* renamed twice: the feed holds the newest name once */
    snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
    CHECK_INT_EQ(as_y("POST", path, body, &r), 200);
    central_http_release(&r);
    got = changes_of(w.own_token, "device");
    CHECK_INT_EQ(json_array_size(got), 1);
    CHECK_STR_EQ(str(json_array_get(got, 0), "device_id"), w.own_device);
    CHECK_STR_EQ(str(json_array_get(got, 0), "name"), name);
    /* in the form the tablet's own parser takes */
    memset(&err, 0, sizeof(err));
    CHECK(vp_change_from_json(json_array_get(got, 0), &chg, &err));
    CHECK_INT_EQ(chg.type, VP_CHG_DEVICE);
    CHECK_STR_EQ(chg.u.device.name, name);
    vp_change_release(&chg);
    json_decref(got);
    foreign = changes_of(w.foreign_token, "device");
    CHECK_INT_EQ(json_array_size(foreign), 0);
    json_decref(foreign);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM audit WHERE action = 'device_rename' AND location_id "
                       "= '%s'",
                       w.own),
                 2);
}

struct rename_job {
    int i;
    long status;
};

static void *rename_one(void *arg)
{
    struct rename_job *j = arg;
    struct central_http r;
    char path[200], body[100];
    snprintf(path, sizeof(path), "/api/console/admin/devices/%s/name", w.own_device);
    snprintf(body, sizeof(body), "{\"name\":\"Gelijktijdig %d é\"}", j->i);
    j->status = as_y("POST", path, body, &r);
    central_http_release(&r);
    return NULL;
}

/* Eight admins' renames at once: the tablet's row and the one change in its
 * feed end up with the same name (each rename is one transaction). */
static void test_renames_at_once_leave_one_name_in_row_and_feed(void)
{
    pthread_t t[8];
    struct rename_job jobs[8];
    char sql[200], stored[200];
    json_t *got;
    for (int i = 0; i < 8; i++) {
        jobs[i].i = i;
        jobs[i].status = 0;
        CHECK(pthread_create(&t[i], NULL, rename_one, &jobs[i]) == 0);
    }
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 8; i++)
        CHECK_INT_EQ(jobs[i].status, 200);
    snprintf(sql, sizeof(sql), "SELECT name FROM devices WHERE id = '%s'", w.own_device);
    ctu_db_text(dir, sql, stored, sizeof(stored));
    CHECK(vp_str_starts_with(stored, "Gelijktijdig "));
    got = changes_of(w.own_token, "device");
    CHECK_INT_EQ(json_array_size(got), 1);
    CHECK_STR_EQ(str(json_array_get(got, 0), "name"), stored);
    json_decref(got);
}

static void test_a_bad_name_is_422_and_changes_nothing(void)
{
    static const char *const bodies[] = {
        "{\"name\":\"\"}",
        "{\"name\":\"   \"}",
        "{\"name\":\"twee\\nregels\"}",
        "{\"name\":\"12345678901234567890123456789012345678901\"}", /* 41 characters */
        "{\"name\":42}",
        "{\"naam\":\"x\"}",
        "{}",
    };
    struct central_http r;
    char path[200], before[200], after[200], sql[200];
    int64_t feed = count("SELECT COUNT(*) FROM changes WHERE type = 'device'");
    snprintf(sql, sizeof(sql), "SELECT name FROM devices WHERE id = '%s'", w.own_device);
    ctu_db_text(dir, sql, before, sizeof(before));
    snprintf(path, sizeof(path), "/api/console/admin/devices/%s/name", w.own_device);
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        long status = as_y("POST", path, bodies[i], &r);
        if (status != 422 || !strstr(r.body.data, "\"error\":\"invalid\""))
            VP_TEST_FAIL_("%s: got %ld %s", bodies[i], status, r.body.data);
        central_http_release(&r);
    }
    /* 40 characters of emoji fit (a character is not a byte) */
    CHECK_INT_EQ(as_y("POST", path, "{\"name\":\"🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢🐢\"}", &r),
                 200);
    central_http_release(&r);
    /* bytes that are not UTF-8: 400 before anything is read */
    CHECK_INT_EQ(as_y("POST", path, "{\"name\":\"T\xff\xfe\"}", &r), 400);
    central_http_release(&r);
    CHECK_INT_EQ(as_y("POST", path, "{\"name\":\"T\xc3\"}", &r), 400);
    central_http_release(&r);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM changes WHERE type = 'device'"), feed);
    ctu_db_text(dir, sql, after, sizeof(after));
    CHECK_INT_EQ(vp_utf8_length(after), 40);
    /* put the name back for later tests */
    {
        char body[300];
        snprintf(body, sizeof(body), "{\"name\":\"%s\"}", before);
        CHECK_INT_EQ(as_y("POST", path, body, &r), 200);
        central_http_release(&r);
    }
}

static void test_another_locations_tablet_or_a_plain_coach_is_refused(void)
{
    struct central_http r;
    char path[200], sql[200], name[200];
    snprintf(path, sizeof(path), "/api/console/admin/devices/%s/name", w.foreign_device);
    CHECK_INT_EQ(as_y("POST", path, "{\"name\":\"Van mij\"}", &r), 403);
    central_http_release(&r);
    snprintf(sql, sizeof(sql), "SELECT name FROM devices WHERE id = '%s'", w.foreign_device);
    ctu_db_text(dir, sql, name, sizeof(name));
    CHECK(strcmp(name, "Van mij") != 0);
    snprintf(path, sizeof(path), "/api/console/admin/devices/%s/name", w.own_device);
    CHECK_INT_EQ(as_x("POST", path, "{\"name\":\"Van mij\"}", &r), 403);
    central_http_release(&r);
    CHECK_INT_EQ(as_x("GET", "/api/console/admin/devices", NULL, &r), 403);
    central_http_release(&r);
    snprintf(path, sizeof(path), "/api/console/admin/locations/%s/closed", w.own);
    CHECK_INT_EQ(as_x("POST", path, "{\"until\":\"2030-01-01\"}", &r), 403);
    central_http_release(&r);
    snprintf(path, sizeof(path), "/api/console/admin/locations/%s/closed", w.foreign);
    CHECK_INT_EQ(as_y("POST", path, "{\"until\":\"2030-01-01\"}", &r), 403);
    central_http_release(&r);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM locations WHERE closed_until <> ''"), 0);
}

/* The ids of the locations in X's banner, comma-separated. */
static void banner(char *out, size_t size)
{
    struct central_http r;
    json_t *js, *l;
    size_t i;
    out[0] = '\0';
    if (as_x("GET", "/api/console/fleet/quiet", NULL, &r) == 200) {
        js = json_loadb(r.body.data, r.body.len, 0, NULL);
        json_array_foreach(json_object_get(js, "locations"), i, l)
        {
            size_t n = strlen(out);
            vp_snprintf(out + n, size - n, "%s%s", n ? "," : "", str(l, "id"));
        }
        json_decref(js);
    }
    central_http_release(&r);
}

static void test_closed_for_the_holidays_a_quiet_location_is_not_flagged(void)
{
    struct central_http r;
    char path[200], ids[400], today[VP_TIME_LEN], sql[300];
    json_t *row, *whole = NULL, *l;
    size_t i;
    /* the own location goes quiet: 5 days since its tablet's success */
    CHECK_INT_EQ(heartbeat(w.own_token, 0, 5 * DAY, 0), 200);
    banner(ids, sizeof(ids));
    CHECK_STR_EQ(ids, w.own);
    /* a bad date changes nothing */
    snprintf(path, sizeof(path), "/api/console/admin/locations/%s/closed", w.own);
    for (const char *const *b =
             (const char *const[]){ "{\"until\":\"2026-02-30\"}", "{\"until\":\"morgen\"}",
                                    "{\"until\":\"2126-01-01\"}", "{\"until\":5}", NULL };
         *b; b++) {
        CHECK_INT_EQ(as_y("POST", path, *b, &r), 422);
        central_http_release(&r);
    }
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM locations WHERE closed_until <> ''"), 0);
    /* closed up to a week from now (the server's date) */
    vp_time_format(vp_now_ms() + 7 * DAY, today);
    today[10] = '\0';
    snprintf(sql, sizeof(sql), "{\"until\":\"%s\"}", today);
    CHECK_INT_EQ(as_y("POST", path, sql, &r), 200);
    central_http_release(&r);
    banner(ids, sizeof(ids));
    CHECK_STR_EQ(ids, "");
    row = fleet_row(w.own_device, &whole);
    CHECK_STR_EQ(str(row, "health"), "closed");
    CHECK_STR_EQ(str(row, "closed_until"), today);
    json_decref(row);
    json_array_foreach(json_object_get(whole, "locations"), i, l)
    {
        if (!strcmp(str(l, "id"), w.own))
            CHECK(json_is_true(json_object_get(l, "closed")));
    }
    json_decref(whole);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM audit WHERE action = 'location_closed' AND "
                       "location_id = '%s'",
                       w.own),
                 1);
    /* open again (null as ""): flagged again */
    CHECK_INT_EQ(as_y("POST", path, "{\"until\":null}", &r), 200);
    central_http_release(&r);
    banner(ids, sizeof(ids));
    CHECK_STR_EQ(ids, w.own);
    CHECK_INT_EQ(heartbeat(w.own_token, 0, MINUTE, 0), 200);
    banner(ids, sizeof(ids));
    CHECK_STR_EQ(ids, "");
}

int main(void)
{
    char *tmp = vp_test_tempdir();
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    VP_TEST(test_colour_is_green_to_3_days_amber_after_red_after_7);
    VP_TEST(test_tablet_times_are_read_on_the_centres_clock);
    VP_TEST(test_a_closed_location_and_a_revoked_tablet_are_not_flagged);
    VP_TEST(test_advice_says_what_is_wrong);
    VP_TEST(test_versions_compare_by_number);
    if (central_proc_demo(dir, locs, 5, password) != 5 ||
        central_proc_start(&srv, dir, NULL, NULL) != 0 ||
        ctu_world_make(&w, srv.url, dir, locs, password, 0, 3) != 0) {
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    VP_TEST(test_heartbeat_fields_are_shown_on_the_centres_clock);
    VP_TEST(test_a_tablet_not_heard_from_for_8_days_is_red_and_told_to_switch_on);
    VP_TEST(test_the_consoles_name_reaches_only_that_locations_feed);
    VP_TEST(test_renames_at_once_leave_one_name_in_row_and_feed);
    VP_TEST(test_a_bad_name_is_422_and_changes_nothing);
    VP_TEST(test_another_locations_tablet_or_a_plain_coach_is_refused);
    VP_TEST(test_closed_for_the_holidays_a_quiet_location_is_not_flagged);
    if (central_proc_stop(&srv) != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
