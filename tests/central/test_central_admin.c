/*
 * test_central_admin.c - Beheer keeps an admin within the locations she
 * holds (issue 10 #2), adds a coach in one transaction or not at all (#6),
 * and answers a taken name or email with a plain 409 (#7). Against a real
 * server, with an admin (Y) and a coach (X) of one location and a coach (Z)
 * of another (ctu_world_make()).
 */
#include "cstore_console.h"
#include "ctu.h"
#include "vp_core.h"
#include "vp_i18n.h"
#include "vp_str.h"
#include "vp_test.h"
#include <stdarg.h>

static struct central_proc srv;
static char dir[512], password[64];
static struct central_demo_location locs[5];
static struct ctu_world w;

static long as_y(const char *method, const char *path, const char *body, struct central_http *r)
{
    return ctu_coach(srv.url, method, path, w.y_cookie, w.y_csrf, body, r);
}

static long as_demo(const char *method, const char *path, const char *body, struct central_http *r)
{
    return ctu_coach(srv.url, method, path, w.demo_cookie, w.demo_csrf, body, r);
}

static int64_t count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int64_t count(const char *fmt, ...)
{
    char sql[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return ctu_db_int(dir, sql);
}

static void test_admin_makes_codes_only_for_her_locations(void)
{
    struct central_http r;
    char path[200], code[16] = "", token[64], device[40];
    const char *p;
    int64_t before = count("SELECT COUNT(*) FROM enroll_codes WHERE location_id = '%s'", w.foreign);
    snprintf(path, sizeof(path), "/api/console/admin/locations/%s/code", w.foreign);
    CHECK_INT_EQ(as_y("POST", path, "{}", &r), 403);
    CHECK(strstr(r.body.data, "\"error\":\"forbidden\""));
    central_http_release(&r);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM enroll_codes WHERE location_id = '%s'", w.foreign),
                 before);
    /* her own location: a code that enrols a tablet there */
    snprintf(path, sizeof(path), "/api/console/admin/locations/%s/code", w.own);
    CHECK_INT_EQ(as_y("POST", path, "{}", &r), 200);
    p = strstr(r.body.data, "\"code\":\"");
    CHECK(p != NULL);
    snprintf(code, sizeof(code), "%.*s", CSTORE_CODE_LEN - 1, p + 8);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_enroll(srv.url, code, token, device), 200);
    {
        char loc[40];
        char sql[200];
        snprintf(sql, sizeof(sql), "SELECT location_id FROM devices WHERE id = '%s'", device);
        ctu_db_text(dir, sql, loc, sizeof(loc));
        CHECK_STR_EQ(loc, w.own);
    }
}

static void test_admin_lists_only_her_locations_and_tablets(void)
{
    struct central_http r;
    CHECK_INT_EQ(as_y("GET", "/api/console/admin/devices", NULL, &r), 200);
    CHECK(strstr(r.body.data, w.own_device));
    CHECK(!strstr(r.body.data, w.foreign_device));
    CHECK(!strstr(r.body.data, w.foreign_name));
    central_http_release(&r);
    CHECK_INT_EQ(as_y("GET", "/api/console/admin/locations", NULL, &r), 200);
    CHECK(strstr(r.body.data, w.own));
    CHECK(!strstr(r.body.data, w.foreign));
    central_http_release(&r);
    CHECK_INT_EQ(as_y("GET", "/api/console/admin/coaches", NULL, &r), 200);
    CHECK(strstr(r.body.data, "x@example.org"));
    CHECK(!strstr(r.body.data, "z@example.org"));
    CHECK(!strstr(r.body.data, w.foreign));
    {
        /* she may change X (all of X's locations are hers), not herself */
        json_t *js = json_loadb(r.body.data, r.body.len, 0, NULL), *c;
        size_t i;
        int seen = 0;
        json_array_foreach(json_object_get(js, "coaches"), i, c)
        {
            const char *email = json_string_value(json_object_get(c, "email"));
            bool editable = json_is_true(json_object_get(c, "editable"));
            if (!strcmp(email, "x@example.org"))
                seen += editable ? 1 : 100;
            if (!strcmp(email, "y@example.org"))
                seen += editable ? 100 : 1;
        }
        json_decref(js);
        CHECK_INT_EQ(seen, 2);
    }
    central_http_release(&r);
}

static void test_admin_revokes_only_her_locations_tablets(void)
{
    struct central_http r;
    char path[200], code[16], token[64], device[40];
    json_t *ans = NULL;
    snprintf(path, sizeof(path), "/api/console/admin/devices/%s/revoke", w.foreign_device);
    CHECK_INT_EQ(as_y("POST", path, "{}", &r), 403);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_pull(srv.url, w.foreign_token, 0, 10, &ans), 200);
    json_decref(ans);
    /* a tablet of her own location she may revoke */
    ctu_code(dir, w.own, code);
    CHECK_INT_EQ(ctu_enroll(srv.url, code, token, device), 200);
    snprintf(path, sizeof(path), "/api/console/admin/devices/%s/revoke", device);
    CHECK_INT_EQ(as_y("POST", path, "{}", &r), 200);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_pull(srv.url, token, 0, 10, NULL), 401);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM audit WHERE action = 'device_revoke' AND location_id "
                       "= '%s'",
                       w.own),
                 1);
}

static void test_admin_grants_only_her_locations_and_never_to_herself(void)
{
    struct central_http r;
    char path[200], body[200];
#define LOCS_OF "SELECT group_concat(location_id) FROM coach_locations WHERE coach_id = '%s'"
    char sql[300], got[200];
    snprintf(path, sizeof(path), "/api/console/admin/coaches/%s", w.coach_x);
    snprintf(body, sizeof(body), "{\"locations\":[\"%s\",\"%s\"],\"admin\":false}", w.own,
             w.foreign);
    CHECK_INT_EQ(as_y("POST", path, body, &r), 403);
    central_http_release(&r);
    snprintf(sql, sizeof(sql), LOCS_OF, w.coach_x);
    ctu_db_text(dir, sql, got, sizeof(got));
    CHECK_STR_EQ(got, w.own);
    /* herself: not even her own location */
    snprintf(path, sizeof(path), "/api/console/admin/coaches/%s", w.admin_y);
    snprintf(body, sizeof(body), "{\"locations\":[\"%s\"],\"admin\":true}", w.own);
    CHECK_INT_EQ(as_y("POST", path, body, &r), 403);
    central_http_release(&r);
    /* a coach of another location: not hers to change */
    snprintf(path, sizeof(path), "/api/console/admin/coaches/%s", w.coach_z);
    CHECK_INT_EQ(as_y("POST", path, body, &r), 403);
    central_http_release(&r);
    snprintf(sql, sizeof(sql), LOCS_OF, w.coach_z);
    ctu_db_text(dir, sql, got, sizeof(got));
    CHECK_STR_EQ(got, w.foreign);
    /* a coach whose locations are all hers: yes */
    snprintf(path, sizeof(path), "/api/console/admin/coaches/%s", w.coach_x);
    CHECK_INT_EQ(as_y("POST", path, body, &r), 200);
    central_http_release(&r);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM console_admins WHERE coach_id = '%s'", w.coach_x), 1);
}

/* The rule issue 12's reset and deactivate build on, in the store. */
static void test_the_manage_rule_in_the_store(void)
{
    struct cstore *st = NULL;
    char unknown[40];
    ctu_uuid(unknown);
    CHECK_OK(cstore_open(dir, &st));
    CHECK_OK(cstore_coach_may_manage(st, w.admin_y, w.coach_x));
    CHECK_ERR(cstore_coach_may_manage(st, w.admin_y, w.admin_y), VP_ERR_REFUSED);
    CHECK_ERR(cstore_coach_may_manage(st, w.admin_y, w.coach_z), VP_ERR_REFUSED);
    CHECK_ERR(cstore_coach_may_manage(st, w.admin_y, unknown), VP_ERR_NOT_FOUND);
    CHECK_OK(cstore_coach_scope(st, w.admin_y, CSTORE_KIND_CHILD, w.own_child, NULL));
    CHECK_ERR(cstore_coach_scope(st, w.admin_y, CSTORE_KIND_CHILD, w.foreign_child, NULL),
              VP_ERR_REFUSED);
    CHECK_ERR(cstore_coach_scope(st, w.admin_y, CSTORE_KIND_SIGNAL, unknown, NULL),
              VP_ERR_NOT_FOUND);
    cstore_close(st);
}

static void test_a_new_location_belongs_to_the_admin_who_made_it(void)
{
    struct central_http r;
    char path[200], id[40], sql[300];
    char body[200];
    snprintf(body, sizeof(body), "{\"name\":\"Het Hoekje €\",\"org\":\"%s\"}", w.org);
    CHECK_INT_EQ(as_y("POST", "/api/console/admin/locations", body, &r), 200);
    central_http_release(&r);
    ctu_db_text(dir, "SELECT id FROM locations WHERE name = 'Het Hoekje €'", id, sizeof(id));
    CHECK(id[0]);
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM coach_locations WHERE location_id = '%s' AND coach_id = '%s'",
             id, w.admin_y);
    CHECK_INT_EQ(ctu_db_int(dir, sql), 1);
    snprintf(path, sizeof(path), "/api/console/admin/locations/%s/code", id);
    CHECK_INT_EQ(as_y("POST", path, "{}", &r), 200);
    central_http_release(&r);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM audit WHERE action = 'location_add' AND location_id "
                       "= '%s'",
                       id),
                 1);
}

static void test_coach_with_an_unknown_location_is_404_and_nothing_is_made(void)
{
    struct central_http r;
    char body[400], unknown[40], ck[64], cs[64];
    int64_t coaches = ctu_db_int(dir, "SELECT COUNT(*) FROM coaches");
    ctu_uuid(unknown);
    snprintf(body, sizeof(body),
             "{\"email\":\"ghost@example.org\",\"name\":\"Geest\",\"password\":\"" CTU_PASSWORD
             "\",\"locations\":[\"%s\",\"%s\"]}",
             w.own, unknown);
    CHECK_INT_EQ(as_demo("POST", "/api/console/admin/coaches", body, &r), 404);
    CHECK(strstr(r.body.data, "\"error\":\"not_found\""));
    central_http_release(&r);
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM coaches"), coaches);
    CHECK_INT_EQ(ctu_login(srv.url, "ghost@example.org", CTU_PASSWORD, ck, cs), 401);
    CHECK_INT_EQ(
        ctu_db_int(dir, "SELECT COUNT(*) FROM audit WHERE detail LIKE '%ghost@example.org%'"), 0);
}

/* The store alone (behind the route's check) does it in one transaction. */
static void test_the_store_adds_a_coach_all_or_nothing(void)
{
    struct cstore *st = NULL;
    const char *ids[2];
    char unknown[40], demo_id[40];
    json_t *out = NULL;
    int64_t coaches = ctu_db_int(dir, "SELECT COUNT(*) FROM coaches");
    ctu_uuid(unknown);
    ctu_db_text(dir, "SELECT id FROM coaches WHERE email = 'coach@kluppluz.example'", demo_id,
                sizeof(demo_id));
    ids[0] = w.own;
    ids[1] = unknown;
    CHECK_OK(cstore_open(dir, &st));
    CHECK_ERR(cstore_console_coach_add(st, demo_id, "ghost2@example.org", "Geest", CTU_PASSWORD,
                                       ids, 2, false, "test", 1, &out),
              VP_ERR_NOT_FOUND);
    ids[1] = w.foreign;
    CHECK_ERR(cstore_console_coach_add(st, w.admin_y, "ghost3@example.org", "Geest", CTU_PASSWORD,
                                       ids, 2, false, "test", 1, &out),
              VP_ERR_REFUSED);
    CHECK_ERR(cstore_console_coach_add(st, w.admin_y, "X@example.org", "Dubbel", CTU_PASSWORD, ids,
                                       1, false, "test", 1, &out),
              VP_ERR_EXISTS);
    cstore_close(st);
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM coaches"), coaches);
}

/* 409 with the translated sentence in the request's language. */
static void check_409(const char *path, const char *body, const char *key)
{
    static const char *const langs[] = { "nl", "en" };
    for (int i = 0; i < 2; i++) {
        struct central_http r;
        char c[128], x[128], lang[64], want[300];
        const char *headers[] = { c, x, lang, "Content-Type: application/json", NULL };
        json_t *js;
        snprintf(c, sizeof(c), "Cookie: %s", w.demo_cookie);
        snprintf(x, sizeof(x), "X-CSRF-Token: %s", w.demo_csrf);
        snprintf(lang, sizeof(lang), "Accept-Language: %s", langs[i]);
        central_http("POST", srv.url, path, headers, body, strlen(body), 0, &r);
        CHECK_INT_EQ(r.status, 409);
        js = json_loadb(r.body.data, r.body.len, 0, NULL);
        CHECK(js != NULL);
        vp_strlcpy(want, vp_tr_in(i ? VP_LANG_EN : VP_LANG_NL, key), sizeof(want));
        CHECK_STR_EQ(json_string_value(json_object_get(js, "error")), "exists");
        CHECK_STR_EQ(json_string_value(json_object_get(js, "message")), want);
        CHECK(strcmp(want, key) != 0); /* translated, not the key */
        json_decref(js);
        central_http_release(&r);
    }
}

static void test_a_taken_location_name_is_409_in_plain_words(void)
{
    char body[300];
    int64_t n = ctu_db_int(dir, "SELECT COUNT(*) FROM locations");
    snprintf(body, sizeof(body), "{\"name\":\"%s\",\"org\":\"%s\"}", w.foreign_name, w.org);
    check_409("/api/console/admin/locations", body, "api.admin.location_exists");
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM locations"), n);
}

static void test_a_taken_email_is_409_in_plain_words(void)
{
    char body[300], ck[64], cs[64];
    snprintf(body, sizeof(body),
             "{\"email\":\"X@example.org\",\"name\":\"Dubbel\",\"password\":\"nog-een-wachtwoord\","
             "\"locations\":[\"%s\"]}",
             w.own);
    check_409("/api/console/admin/coaches", body, "api.admin.coach_exists");
    /* her password is what it was */
    CHECK_INT_EQ(ctu_login(srv.url, "x@example.org", CTU_PASSWORD, ck, cs), 200);
}

static long as_x(const char *method, const char *path, const char *body, struct central_http *r)
{
    return ctu_coach(srv.url, method, path, w.x_cookie, w.x_csrf, body, r);
}

/* Issue 12: a coach without admin rights is told so, not that a child or
 * location is not hers; the attempt is audited. */
static void test_a_coach_without_admin_rights_is_told_so_and_audited(void)
{
    struct central_http r;
    int64_t before =
        count("SELECT COUNT(*) FROM audit WHERE action = 'denied' AND coach_id = '%s'", w.coach_x);
    CHECK_INT_EQ(as_x("GET", "/api/console/admin/coaches", NULL, &r), 403);
    CHECK(strstr(r.body.data, "\"error\":\"not_admin\""));
    CHECK(strstr(r.body.data, vp_tr_in(VP_LANG_NL, "api.error.not_admin")));
    CHECK(!strstr(r.body.data, "andere locatie"));
    central_http_release(&r);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM audit WHERE action = 'denied' AND coach_id = '%s'"
                       " AND detail = 'not_admin GET /api/console/admin/coaches'",
                       w.coach_x),
                 before + 1);
}

/* Every refused attempt at another location's case, advice, CSV and erasure
 * is audited, at most ten at once per coach (then one a minute). */
static void test_every_denied_attempt_is_audited_and_capped_per_coach(void)
{
    struct central_http r;
    char path[200];
    const char *const posts[][2] = {
        { "case", "{\"status\":\"closed\"}" },
        { "advice", "{\"text\":\"x\"}" },
        { "erase", "{\"confirm\":true}" },
    };
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "/api/console/children/%s/%s", w.foreign_child, posts[i][0]);
        CHECK_INT_EQ(as_y("POST", path, posts[i][1], &r), 403);
        central_http_release(&r);
    }
    snprintf(path, sizeof(path), "/api/console/export/signals.csv?location=%s", w.foreign);
    CHECK_INT_EQ(as_y("GET", path, NULL, &r), 403);
    central_http_release(&r);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM audit WHERE action = 'denied' AND coach_id = '%s'"
                       " AND child_id = '%s' AND detail LIKE 'scope POST %%'",
                       w.admin_y, w.foreign_child),
                 3);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM audit WHERE action = 'denied' AND coach_id = '%s'"
                       " AND detail LIKE 'scope GET /api/console/export/signals.csv%%'",
                       w.admin_y),
                 1);
    /* a flood: 40 more refusals write at most the rest of the burst */
    for (int i = 0; i < 40; i++) {
        CHECK_INT_EQ(as_y("GET", path, NULL, &r), 403);
        central_http_release(&r);
    }
    /* the burst is 10 per coach, refilled one a minute: however many more
     * attempts, at most 11 entries in this test's time */
    CHECK(count("SELECT COUNT(*) FROM audit WHERE action = 'denied' AND coach_id = '%s'",
                w.admin_y) <= 11);
}

int main(void)
{
    char *tmp = vp_test_tempdir();
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    if (central_proc_demo(dir, locs, 5, password) != 5 ||
        central_proc_start(&srv, dir, NULL, NULL) != 0 ||
        ctu_world_make(&w, srv.url, dir, locs, password, 0, 3) != 0) {
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    VP_TEST(test_a_coach_without_admin_rights_is_told_so_and_audited); /* before any grant */
    VP_TEST(test_every_denied_attempt_is_audited_and_capped_per_coach);
    VP_TEST(test_admin_makes_codes_only_for_her_locations);
    VP_TEST(test_admin_lists_only_her_locations_and_tablets);
    VP_TEST(test_admin_revokes_only_her_locations_tablets);
    VP_TEST(test_admin_grants_only_her_locations_and_never_to_herself);
    VP_TEST(test_the_manage_rule_in_the_store);
    VP_TEST(test_a_new_location_belongs_to_the_admin_who_made_it);
    VP_TEST(test_coach_with_an_unknown_location_is_404_and_nothing_is_made);
    VP_TEST(test_the_store_adds_a_coach_all_or_nothing);
    VP_TEST(test_a_taken_location_name_is_409_in_plain_words);
    VP_TEST(test_a_taken_email_is_409_in_plain_words);

    if (central_proc_stop(&srv) != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
