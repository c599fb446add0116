/*
 * test_central_console.c - the coach's side of the API against a real
 * server: login, CSRF, consent rule for first names, location access,
 * advice and case changes in the device feed, erasure, export, audit,
 * login throttling.
 */
#include "ctu.h"
#include "vp_test.h"
#include "vp_core.h"

#define COACH "coach@kluppluz.example"

static struct central_proc srv;
static char dir[512], password[64];
static struct central_demo_location locs[5];
static char token[64], device[40]; /* a tablet of locs[0] */
static char cookie[64], csrf[64];  /* the demo coach (all five) */
static char child[40], staff[40], name[64];

static void query(const char *fmt_what, const char *id, char *out, size_t size)
{
    struct vp_buf sql = VP_BUF_INIT;
    vp_buf_addf(&sql, "SELECT %s '%s'", fmt_what, id);
    ctu_db_text(dir, sql.data, out, size);
    vp_buf_release(&sql);
}

static int64_t audit_count(const char *action, const char *child_id)
{
    struct vp_buf sql = VP_BUF_INIT;
    int64_t n;
    vp_buf_addf(&sql, "SELECT COUNT(*) FROM audit WHERE action = '%s' AND child_id = '%s'", action,
                child_id);
    n = ctu_db_int(dir, sql.data);
    vp_buf_release(&sql);
    return n;
}

static void test_login_and_me(void)
{
    struct central_http r;
    char set[400], bad[64], badcsrf[64];
    CHECK_INT_EQ(ctu_login(srv.url, COACH, "wrong password", bad, badcsrf), 401);
    CHECK_INT_EQ(ctu_login(srv.url, COACH, password, cookie, csrf), 200);
    CHECK(vp_str_starts_with(cookie, "vp_session="));
    CHECK_INT_EQ(strlen(csrf), 43);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", "/api/console/me", cookie, NULL, NULL, &r), 200);
    CHECK(strstr(r.body.data, csrf));
    CHECK(strstr(r.body.data, "Potje Knor"));
    central_http_release(&r);
    /* the cookie's flags */
    {
        const char *h[] = { "Content-Type: application/json", NULL };
        char body[200];
        snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", COACH, password);
        central_http("POST", srv.url, "/api/console/login", h, body, strlen(body), 0, &r);
        CHECK(central_http_header(&r, "Set-Cookie", set, sizeof(set)));
        CHECK(strstr(set, "HttpOnly"));
        CHECK(strstr(set, "SameSite=Strict"));
        CHECK(strstr(set, "Path=/"));
        CHECK(central_http_header(&r, "Cache-Control", set, sizeof(set)));
        CHECK_STR_EQ(set, "no-store");
        CHECK(central_http_header(&r, "X-Content-Type-Options", set, sizeof(set)));
        CHECK_STR_EQ(set, "nosniff");
        CHECK(central_http_header(&r, "Content-Security-Policy", set, sizeof(set)));
        CHECK(strstr(set, "default-src 'self'"));
        central_http_release(&r);
    }
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM audit WHERE action = 'login'"), 2);
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM audit WHERE action = 'login_failed'"), 1);
    CHECK_INT_EQ(
        ctu_coach(srv.url, "GET", "/api/console/me", "vp_session=nonsense", NULL, NULL, &r), 401);
    central_http_release(&r);
}

static void test_state_change_needs_csrf(void)
{
    struct central_http r;
    char path[128];
    snprintf(path, sizeof(path), "/api/console/children/%s/case", child);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", path, cookie, NULL, "{\"status\":\"reviewing\"}", &r),
                 403);
    CHECK(strstr(r.body.data, "\"error\":\"csrf\""));
    central_http_release(&r);
    CHECK_INT_EQ(
        ctu_coach(srv.url, "POST", path, cookie, "wrong", "{\"status\":\"reviewing\"}", &r), 403);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", path, cookie, csrf, "{\"status\":\"reviewing\"}", &r),
                 200);
    central_http_release(&r);
    CHECK_INT_EQ(audit_count("case_update", child), 1);
}

/* The first name and the birth month must appear in no coach answer. */
static void check_hidden(const char *body)
{
    char birth[16];
    query("birth_month FROM children WHERE child_id =", child, birth, sizeof(birth));
    if (strstr(body, name) || strstr(body, birth) || strstr(body, "\"first_name\""))
        VP_TEST_FAIL_("the coach sees the name or birth month without consent: %.300s", body);
}

static void test_coach_never_sees_name_without_consent(void)
{
    struct central_http r;
    char path[128];
    snprintf(path, sizeof(path), "/api/console/children/%s", child);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", path, cookie, NULL, NULL, &r), 200);
    CHECK(strstr(r.body.data, "\"pseudonym\""));
    CHECK(strstr(r.body.data, "\"age_months\""));
    CHECK(strstr(r.body.data, "\"named\":false"));
    check_hidden(r.body.data);
    central_http_release(&r);
    CHECK_INT_EQ(audit_count("view", child), 1);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", "/api/console/signals", cookie, NULL, NULL, &r), 200);
    CHECK(strstr(r.body.data, child));
    check_hidden(r.body.data);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", "/api/console/cases", cookie, NULL, NULL, &r), 200);
    check_hidden(r.body.data);
    central_http_release(&r);
    CHECK_INT_EQ(
        ctu_coach(srv.url, "GET", "/api/console/export/signals.csv", cookie, NULL, NULL, &r), 200);
    CHECK(strstr(r.body.data, "pseudonym"));
    CHECK(strstr(r.body.data, child));
    check_hidden(r.body.data);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM audit WHERE action = 'export_signals'"), 1);
    /* the operator's export follows the same rule */
    {
        const char *argv[] = { "export", "cases", NULL };
        struct vp_buf out = VP_BUF_INIT;
        CHECK_INT_EQ(central_proc_run(dir, argv, NULL, &out), 0);
        CHECK(strstr(out.data, child));
        check_hidden(out.data);
        vp_buf_release(&out);
    }
}

static void test_name_only_with_recorded_consent(void)
{
    struct central_http r;
    char path[128], cpath[128];
    snprintf(path, sizeof(path), "/api/console/children/%s", child);
    snprintf(cpath, sizeof(cpath), "/api/console/children/%s/case", child);
    /* named consultation without consent is refused */
    CHECK_INT_EQ(
        ctu_coach(srv.url, "POST", cpath, cookie, csrf, "{\"consultation\":\"named\"}", &r), 422);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", cpath, cookie, csrf, "{\"consent\":\"given\"}", &r),
                 200);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", path, cookie, NULL, NULL, &r), 200);
    CHECK(strstr(r.body.data, name));
    CHECK(strstr(r.body.data, "\"named\":true"));
    central_http_release(&r);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", cpath, cookie, csrf, "{\"consent\":\"withdrawn\"}", &r),
                 200);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", path, cookie, NULL, NULL, &r), 200);
    check_hidden(r.body.data);
    central_http_release(&r);
}

static void test_coach_of_one_location_cannot_see_another(void)
{
    const char *argv[] = { "add-coach", "--email",    "b@example.org", "--name",
                           "Bea",       "--location", locs[1].id,      NULL };
    struct central_http r;
    char ck[64], cs[64], path[160];
    CHECK_INT_EQ(central_proc_run(dir, argv, "een-goed-wachtwoord\n", NULL), 0);
    CHECK_INT_EQ(ctu_login(srv.url, "b@example.org", "een-goed-wachtwoord", ck, cs), 200);
    snprintf(path, sizeof(path), "/api/console/children/%s", child);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", path, ck, NULL, NULL, &r), 403);
    CHECK(strstr(r.body.data, "\"error\":\"forbidden\""));
    central_http_release(&r);
    snprintf(path, sizeof(path), "/api/console/children/%s/case", child);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", path, ck, cs, "{\"status\":\"closed\"}", &r), 403);
    central_http_release(&r);
    snprintf(path, sizeof(path), "/api/console/signals?location=%s", locs[0].id);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", path, ck, NULL, NULL, &r), 403);
    central_http_release(&r);
    /* her own list does not include the other location's signals */
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", "/api/console/signals", ck, NULL, NULL, &r), 200);
    CHECK(!strstr(r.body.data, child));
    central_http_release(&r);
    CHECK_INT_EQ(audit_count("view_denied", child), 1);
    {
        char status[32];
        query("status FROM cases WHERE child_id =", child, status, sizeof(status));
        CHECK_STR_EQ(status, "reviewing");
    }
}

static void test_advice_and_case_reach_the_tablet(void)
{
    struct central_http r;
    char path[160];
    json_t *ans = NULL, *changes;
    int64_t since;
    bool advice = false, kase = false;
    CHECK_INT_EQ(ctu_pull(srv.url, token, 0, 1000, &ans), 200);
    since = json_integer_value(json_object_get(ans, "next"));
    json_decref(ans);
    snprintf(path, sizeof(path), "/api/console/children/%s/advice", child);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", path, cookie, csrf,
                           "{\"text\":\"Oefen samen met één ander kind.\"}", &r),
                 200);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_pull(srv.url, token, since, 1000, &ans), 200);
    changes = json_object_get(ans, "changes");
    for (size_t i = 0; i < json_array_size(changes); i++) {
        json_t *c = json_array_get(changes, i);
        const char *type = json_string_value(json_object_get(c, "type"));
        if (!strcmp(type, "advice")) {
            advice = true;
            CHECK_STR_EQ(json_string_value(json_object_get(c, "author")), "Anouk Verhoeven");
        }
        if (!strcmp(type, "case")) {
            kase = true;
            CHECK_STR_EQ(json_string_value(json_object_get(c, "status")), "advised");
        }
    }
    json_decref(ans);
    CHECK(advice && kase);
    CHECK_INT_EQ(audit_count("advice", child), 1);
}

static void test_erase_reaches_the_tablet_and_removes_data(void)
{
    struct central_http r;
    char path[160], sql[200];
    json_t *ans = NULL, *changes, *last;
    snprintf(path, sizeof(path), "/api/console/children/%s/erase", child);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", path, cookie, csrf, "{}", &r), 422);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", path, cookie, csrf, "{\"confirm\":true}", &r), 200);
    central_http_release(&r);
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM observations WHERE child_id = '%s'", child);
    CHECK_INT_EQ(ctu_db_int(dir, sql), 0);
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM children WHERE child_id = '%s'", child);
    CHECK_INT_EQ(ctu_db_int(dir, sql), 0);
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM changes WHERE body LIKE '%%%s%%'", name);
    CHECK_INT_EQ(ctu_db_int(dir, sql), 0);
    CHECK_INT_EQ(audit_count("erase", child), 1);
    CHECK_INT_EQ(ctu_pull(srv.url, token, 0, 1000, &ans), 200);
    changes = json_object_get(ans, "changes");
    last = json_array_get(changes, json_array_size(changes) - 1);
    CHECK_STR_EQ(json_string_value(json_object_get(last, "type")), "erase");
    CHECK_STR_EQ(json_string_value(json_object_get(last, "child_id")), child);
    json_decref(ans);
    /* a late observation of the erased child is rejected */
    CHECK_INT_EQ(ctu_push(srv.url, token, json_pack("[o]", ctu_observation(child, staff, 1)), &ans),
                 200);
    CHECK_STR_EQ(ctu_result(ans, 0), "rejected");
    json_decref(ans);
    snprintf(path, sizeof(path), "/api/console/children/%s", child);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", path, cookie, NULL, NULL, &r), 404);
    central_http_release(&r);
}

static void test_login_is_throttled(void)
{
    struct central_http r;
    const char *h[] = { "Content-Type: application/json", NULL };
    const char *body = "{\"email\":\"b@example.org\",\"password\":\"fout-fout\"}";
    char ra[16];
    long last = 0;
    for (int i = 0; i < 6; i++) {
        central_http("POST", srv.url, "/api/console/login", h, body, strlen(body), 0, &r);
        last = r.status;
        if (i < 5)
            CHECK_INT_EQ(r.status, 401);
        if (last == 429)
            CHECK(central_http_header(&r, "Retry-After", ra, sizeof(ra)));
        central_http_release(&r);
    }
    CHECK_INT_EQ(last, 429);
}

static void test_logout_ends_the_session(void)
{
    struct central_http r;
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", "/api/console/logout", cookie, csrf, "{}", &r), 200);
    central_http_release(&r);
    CHECK_INT_EQ(ctu_coach(srv.url, "GET", "/api/console/me", cookie, NULL, NULL, &r), 401);
    central_http_release(&r);
}

static void test_console_page_is_served(void)
{
    struct central_http r;
    char ct[64];
    central_http("GET", srv.url, "/", NULL, NULL, 0, 0, &r);
    CHECK_INT_EQ(r.status, 200);
    CHECK(central_http_header(&r, "Content-Type", ct, sizeof(ct)));
    CHECK(vp_str_starts_with(ct, "text/html"));
    central_http_release(&r);
    central_http("GET", srv.url, "/static/../central.db", NULL, NULL, 0, 0, &r);
    CHECK(r.status == 404 || r.status == 400);
    central_http_release(&r);
}

/* A tablet of locs[0] pushes one observation so the coach has a case. */
static int setup(void)
{
    json_t *ans = NULL;
    char sql[200];
    if (ctu_enroll(srv.url, locs[0].code, token, device) != 200)
        return -1;
    snprintf(sql, sizeof(sql), "SELECT child_id FROM children WHERE location_id = '%s' LIMIT 1",
             locs[0].id);
    ctu_db_text(dir, sql, child, sizeof(child));
    snprintf(sql, sizeof(sql), "SELECT staff_id FROM staff WHERE location_id = '%s' LIMIT 1",
             locs[0].id);
    ctu_db_text(dir, sql, staff, sizeof(staff));
    query("first_name FROM children WHERE child_id =", child, name, sizeof(name));
    if (ctu_push(srv.url, token, json_pack("[o]", ctu_observation(child, staff, 3)), &ans) != 200 ||
        strcmp(ctu_result(ans, 0), "stored") != 0)
        return -1;
    json_decref(ans);
    return 0;
}

int main(void)
{
    char *tmp = vp_test_tempdir();
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    if (central_proc_demo(dir, locs, 5, password) != 5 || !password[0] ||
        central_proc_start(&srv, dir, NULL, NULL) != 0 || setup() != 0) {
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    VP_TEST(test_login_and_me);
    VP_TEST(test_state_change_needs_csrf);
    VP_TEST(test_coach_never_sees_name_without_consent);
    VP_TEST(test_name_only_with_recorded_consent);
    VP_TEST(test_coach_of_one_location_cannot_see_another);
    VP_TEST(test_advice_and_case_reach_the_tablet);
    VP_TEST(test_erase_reaches_the_tablet_and_removes_data);
    VP_TEST(test_login_is_throttled);
    VP_TEST(test_logout_ends_the_session);
    VP_TEST(test_console_page_is_served);
    if (central_proc_stop(&srv) != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
