/*
 * test_central_metrics.c - /metrics (issue 13): never open by default, open
 * on its own listener or behind its token; what it counts is what happened
 * (requests by route and status, push and pull histograms, pushed records
 * by outcome, signals as cstore_signal.h counts them, tablets by colour,
 * login and enrolment failures); `promtool check metrics` accepts it
 * (VP_PROMTOOL, fetched by tests/central/promtool.sh); and JSON-lines logs
 * are one object a line that names no child, nor does /metrics.
 */
#include "ctu.h"
#include "vp_core.h"
#include "vp_platform.h"
#include "vp_str.h"
#include "vp_test.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static struct central_proc srv;
static char dir[512], password[64], token_file[600], cap_path[600], metrics_url[64];
static struct central_demo_location locs[5];
static char tablet_token[64], tablet[40], child[40], staff[40], group[40];
static int saved_stderr = -1;

#define TOKEN       "scrape-me-0123456789abcdef"
#define CHILD_NAME  "Zoë-Émilie 🌷"
#define CHILD_NAME2 "Quirijn€"

static const char *const json_headers[] = { "Content-Type: application/json", NULL };

/* ---- the exposition, read back ---- */

/* The value of the sample whose name and labels are exactly key, or NAN. */
static double sample(const char *text, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (!strncmp(p, key, n) && p[n] == ' ') {
            char *end;
            double v = strtod(p + n + 1, &end);
            return end == p + n + 1 ? NAN : v;
        }
    }
    return NAN;
}

static long scrape(const char *base, const char *auth, struct central_http *r)
{
    char header[200];
    const char *headers[] = { header, NULL };
    snprintf(header, sizeof(header), "Authorization: Bearer %s", auth ? auth : "");
    central_http("GET", base, "/metrics", auth ? headers : NULL, NULL, 0, 0, r);
    return r->status;
}

/* The whole exposition through the token (caller frees). */
static char *metrics_text(void)
{
    struct central_http r;
    char *out;
    scrape(srv.url, TOKEN, &r);
    out = vp_xstrdup(r.status == 200 ? r.body.data : "");
    central_http_release(&r);
    return out;
}

#define CHECK_SAMPLE(text, key, want)                                                              \
    do {                                                                                           \
        double got_ = sample(text, key);                                                           \
        if (!(got_ == (double)(want)))                                                             \
            VP_TEST_FAIL_("%s: got %g, want %g", key, got_, (double)(want));                       \
    } while (0)

/* ---- tests ---- */

static void test_metrics_need_their_token_or_their_own_address(void)
{
    struct central_http r;
    char ct[100];
    CHECK_INT_EQ(scrape(srv.url, NULL, &r), 401);
    CHECK(strstr(r.body.data, "\"error\":\"unauthorized\""));
    central_http_release(&r);
    CHECK_INT_EQ(scrape(srv.url, "scrape-me-0123456789abcdeX", &r), 401);
    central_http_release(&r);
    CHECK_INT_EQ(scrape(srv.url, TOKEN "x", &r), 401);
    central_http_release(&r);
    CHECK_INT_EQ(scrape(srv.url, TOKEN, &r), 200);
    CHECK(central_http_header(&r, "Content-Type", ct, sizeof(ct)));
    CHECK(vp_str_starts_with(ct, "text/plain; version=0.0.4"));
    CHECK(strstr(r.body.data, "# TYPE vindplaats_http_requests_total counter"));
    central_http_release(&r);
    /* its own listener: no token needed there, and only /metrics */
    CHECK_INT_EQ(scrape(metrics_url, NULL, &r), 200);
    CHECK(strstr(r.body.data, "vindplaats_tablets{health=\"green\"}"));
    central_http_release(&r);
    central_http("GET", metrics_url, "/api/console/me", NULL, NULL, 0, 0, &r);
    CHECK_INT_EQ(r.status, 404);
    central_http_release(&r);
}

static void test_metrics_are_not_there_by_default(void)
{
    struct central_proc plain;
    struct central_http r;
    CHECK_INT_EQ(central_proc_start(&plain, dir, NULL, NULL), 0);
    CHECK_INT_EQ(scrape(plain.url, TOKEN, &r), 404);
    central_http_release(&r);
    CHECK_INT_EQ(central_proc_stop(&plain), 0);
}

/* One child named CHILD_NAME, a signal with two versions, the same push
 * again, a conflict and a rejected record; a heartbeat; failed logins and
 * an unknown code. Returns the pushes made. */
static int make_traffic(void)
{
    json_t *obs = ctu_observation(child, staff, 2), *fix, *ans = NULL, *hb;
    char t[VP_TIME_LEN];
    int pushes = 0;
    struct central_http r;
    const char *bad_login =
        "{\"email\":\"coach@kluppluz.example\",\"password\":\"fout-fout-fout\"}";
    json_object_set_new(obs, "note", json_string("Zit vaak bij " CHILD_NAME2 " in de hoek."));
    fix = json_deep_copy(obs);
    {
        char id[40];
        ctu_uuid(id);
        json_object_set_new(fix, "id", json_string(id));
        json_object_set(fix, "corrects", json_object_get(obs, "id"));
        json_object_set_new(fix, "level", json_integer(3));
    }
    if (ctu_push(srv.url, tablet_token,
                 json_pack("[o,O]", ctu_child(child, group, CHILD_NAME), obs), NULL) == 200)
        pushes++;
    if (ctu_push(srv.url, tablet_token, json_pack("[O]", obs), NULL) == 200) /* duplicate */
        pushes++;
    if (ctu_push(srv.url, tablet_token, json_pack("[O]", fix), NULL) == 200) /* a version */
        pushes++;
    json_object_set_new(obs, "level", json_integer(1)); /* same id, other content */
    json_object_set_new(fix, "child_id", json_string("00000000-0000-4000-8000-000000000000"));
    {
        char id[40];
        ctu_uuid(id);
        json_object_set_new(fix, "id", json_string(id));
        json_object_del(fix, "corrects");
    }
    if (ctu_push(srv.url, tablet_token, json_pack("[o,o]", obs, fix), NULL) == 200)
        pushes++;
    vp_time_format(vp_now_ms(), t);
    hb = json_pack("{s:s,s:i,s:i,s:i,s:s,s:s,s:i,s:s}", "app_version", VP_VERSION,
                   "catalog_version", 1, "pending_signals", 0, "quarantined", 2, "last_attempt", t,
                   "last_success", t, "disk_free_mb", 500, "device_time", t);
    ctu_pull_post(srv.url, tablet_token, json_pack("{s:s,s:o}", "since", "", "heartbeat", hb),
                  &ans);
    json_decref(ans);
    for (int i = 0; i < 2; i++) {
        central_http("POST", srv.url, "/api/console/login", json_headers, bad_login,
                     strlen(bad_login), 0, &r);
        central_http_release(&r);
    }
    {
        char code[] = "{\"code\":\"AAAA-BBBB-CCCC\",\"device_name\":\"x\"}";
        central_http("POST", srv.url, "/api/v1/enroll", json_headers, code, strlen(code), 0, &r);
        central_http_release(&r);
    }
    central_http("GET", srv.url, "/nergens/%C3%A9", NULL, NULL, 0, 0, &r);
    central_http_release(&r);
    return pushes;
}

static void test_metrics_count_what_happened(void)
{
    int pushes = make_traffic();
    char *m = metrics_text();
    char sql_signals[] = "SELECT COUNT(*) FROM signals";
    double inf, count, prev = 0;
    CHECK_INT_EQ(pushes, 4);
    CHECK_SAMPLE(m,
                 "vindplaats_http_requests_total{route=\"/api/v1/sync/push\",method=\"POST\","
                 "status=\"200\"}",
                 4);
    CHECK_SAMPLE(m,
                 "vindplaats_http_requests_total{route=\"/api/v1/sync/pull\",method=\"POST\","
                 "status=\"200\"}",
                 1);
    CHECK_SAMPLE(m,
                 "vindplaats_http_requests_total{route=\"/api/console/login\",method=\"POST\","
                 "status=\"401\"}",
                 2);
    /* one here, one on the metrics listener (the counters are the service's) */
    CHECK_SAMPLE(m,
                 "vindplaats_http_requests_total{route=\"unmatched\",method=\"GET\","
                 "status=\"404\"}",
                 2);
    CHECK_SAMPLE(m, "vindplaats_push_records_total{status=\"stored\"}", 3);
    CHECK_SAMPLE(m, "vindplaats_push_records_total{status=\"duplicate\"}", 1);
    CHECK_SAMPLE(m, "vindplaats_push_records_total{status=\"conflict\"}", 1);
    CHECK_SAMPLE(m, "vindplaats_push_records_total{status=\"rejected\"}", 1);
    /* the histogram: cumulative, +Inf is the count */
    count = sample(m, "vindplaats_sync_duration_seconds_count{op=\"push\"}");
    inf = sample(m, "vindplaats_sync_duration_seconds_bucket{op=\"push\",le=\"+Inf\"}");
    CHECK(count == 4 && inf == 4);
    static const char *const les[] = { "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                                       "0.5",   "1",    "2.5",   "5",    "10" };
    for (size_t i = 0; i < sizeof(les) / sizeof(les[0]); i++) {
        const char *le = les[i];
        char key[120];
        double v;
        snprintf(key, sizeof(key), "vindplaats_sync_duration_seconds_bucket{op=\"push\",le=\"%s\"}",
                 le);
        v = sample(m, key);
        if (isnan(v) || v < prev || v > inf)
            VP_TEST_FAIL_("%s = %g after %g", key, v, prev);
        prev = v;
    }
    CHECK_SAMPLE(m, "vindplaats_sync_duration_seconds_count{op=\"pull\"}", 1);
    /* one signal with two versions is one signal, as the console counts */
    CHECK_SAMPLE(m, "vindplaats_signals", ctu_db_int(dir, sql_signals));
    CHECK_SAMPLE(m, "vindplaats_signals", 1);
    CHECK_SAMPLE(m, "vindplaats_tablets{health=\"green\"}", 1);
    CHECK_SAMPLE(m, "vindplaats_tablets{health=\"red\"}", 0);
    CHECK_SAMPLE(m, "vindplaats_tablet_quarantined_records", 2);
    CHECK_SAMPLE(m, "vindplaats_login_failures_total", 2);
    CHECK_SAMPLE(m, "vindplaats_enroll_failures_total", 1);
    CHECK_SAMPLE(m, "vindplaats_store_up", 1);
    {
        char db[600];
        struct stat sb;
        snprintf(db, sizeof(db), "%s/central.db", dir);
        CHECK(stat(db, &sb) == 0);
        CHECK(sample(m, "vindplaats_database_size_bytes") >= (double)sb.st_size);
    }
    CHECK(!strstr(m, CHILD_NAME) && !strstr(m, CHILD_NAME2));
    free(m);
}

static void test_promtool_accepts_the_metrics(void)
{
    const char *promtool = getenv("VP_PROMTOOL");
    char file[700], cmd[1600], out[4096];
    char *m = metrics_text();
    size_t n = 0;
    FILE *f, *p;
    int status;
    if (!promtool || !*promtool)
        VP_TEST_FAIL_(
            "VP_PROMTOOL is not set (ctest sets it; tests/central/promtool.sh fetches it)");
    CHECK(access(promtool, X_OK) == 0);
    snprintf(file, sizeof(file), "%s/metrics.txt", dir);
    CHECK((f = fopen(file, "w")) != NULL);
    fputs(m, f);
    fclose(f);
    free(m);
    snprintf(cmd, sizeof(cmd), "'%s' check metrics < '%s' 2>&1", promtool, file);
    CHECK((p = popen(cmd, "r")) != NULL);
    n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    status = pclose(p);
    if (status != 0 || n != 0)
        VP_TEST_FAIL_("promtool check metrics: exit %d: %s", status, out);
}

/* Every line the server logged is one JSON object with time, level and msg;
 * none names a child. Run after the server stopped (its last lines too). */
static void test_logs_are_json_lines_that_name_no_child(void)
{
    struct vp_buf all = VP_BUF_INIT;
    int json_lines = 0;
    char *line, *save = NULL;
    fflush(stderr);
    CHECK_OK(vp_read_file(cap_path, 64 << 20, &all));
    CHECK(!strstr(all.data, CHILD_NAME) && !strstr(all.data, CHILD_NAME2));
    CHECK(!strstr(all.data, "Zoë") && !strstr(all.data, "Quirijn"));
    for (line = strtok_r(all.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_error_t err;
        json_t *js;
        if (line[0] != '{')
            continue; /* the test's own lines */
        js = json_loads(line, 0, &err);
        if (!json_is_object(js) || json_object_size(js) != 3 ||
            !json_is_string(json_object_get(js, "time")) ||
            !json_is_string(json_object_get(js, "level")) ||
            !json_is_string(json_object_get(js, "msg"))) {
            json_decref(js);
            VP_TEST_FAIL_("not a log object: %s", line);
        }
        json_decref(js);
        json_lines++;
    }
    vp_buf_release(&all);
    CHECK(json_lines >= 2); /* "metrics on ..." and "signal 15: stopping" at least */
}

/* ---- set-up ---- */

static int free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static int setup(void)
{
    const char *env[] = { "VINDPLAATS_LOG=debug", "VINDPLAATS_LOG_FORMAT=json", NULL };
    char listen[64], code[16], sql[300];
    const char *args[] = { "--metrics-token-file", token_file, "--metrics-listen", listen, NULL };
    int fd, port = free_port();
    FILE *f;
    if (central_proc_demo(dir, locs, 5, password) != 5 || port < 0)
        return -1;
    snprintf(token_file, sizeof(token_file), "%s/metrics.token", dir);
    if (!(f = fopen(token_file, "w")))
        return -1;
    fputs(TOKEN "\n", f);
    fclose(f);
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
    snprintf(metrics_url, sizeof(metrics_url), "http://127.0.0.1:%d", port);
    snprintf(cap_path, sizeof(cap_path), "%s.stderr", dir);
    fflush(stderr);
    saved_stderr = dup(2);
    fd = open(cap_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    if (fd < 0 || saved_stderr < 0 || dup2(fd, 2) < 0)
        return -1;
    close(fd);
    if (central_proc_start(&srv, dir, env, args) != 0)
        return -1;
    ctu_code(dir, locs[0].id, code);
    if (ctu_enroll(srv.url, code, tablet_token, tablet) != 200)
        return -1;
    snprintf(sql, sizeof(sql), "SELECT staff_id FROM staff WHERE location_id = '%s'", locs[0].id);
    ctu_db_text(dir, sql, staff, sizeof(staff));
    snprintf(sql, sizeof(sql), "SELECT group_id FROM groups WHERE location_id = '%s'", locs[0].id);
    ctu_db_text(dir, sql, group, sizeof(group));
    ctu_uuid(child);
    return staff[0] && group[0] ? 0 : -1;
}

int main(void)
{
    char *tmp = vp_test_tempdir();
    int stopped;
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    if (setup() != 0) {
        if (saved_stderr >= 0)
            dup2(saved_stderr, 2);
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    VP_TEST(test_metrics_need_their_token_or_their_own_address);
    VP_TEST(test_metrics_count_what_happened);
    VP_TEST(test_promtool_accepts_the_metrics);
    stopped = central_proc_stop(&srv);
    VP_TEST(test_metrics_are_not_there_by_default);
    VP_TEST(test_logs_are_json_lines_that_name_no_child);
    fflush(stderr);
    dup2(saved_stderr, 2);
    if (vp_test_failures) { /* show what the server said */
        struct vp_buf all = VP_BUF_INIT;
        vp_read_file(cap_path, 64 << 20, &all);
        fprintf(stderr, "---- captured stderr ----\n%s\n", all.len ? all.data : "");
        vp_buf_release(&all);
    }
    if (stopped != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    unlink(cap_path);
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
