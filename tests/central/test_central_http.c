/*
 * test_central_http.c - the request itself, against a real server: an
 * encoded NUL, broken percent-encoding or invalid UTF-8 in a path or query
 * is a 400 (issue 10, finding 9); two different Content-Length headers (or
 * Content-Length with chunked) are a 400 and nothing is applied; every
 * answer a handler gives, for every error status, carries the JSON error
 * shape and the security headers; libmicrohttpd's own answers to broken
 * HTTP echo nothing of the request.
 */
#include "craw.h"
#include "ctu.h"
#include "vp_core.h"
#include "vp_test.h"
#include "vp_time.h"
#include <stdio.h>
#include <unistd.h>

#define COACH "coach@kluppluz.example"

static struct central_proc srv;
static char dir[512], password[64];
static struct central_demo_location locs[5];
static char token[64], device[40], child[40], staff[40];
static char cookie[64], csrf[64];

/* GET path as raw bytes (nothing re-encoded), with the tablet's token. */
static int raw_get(const char *path, struct vp_buf *ans)
{
    struct vp_buf req = VP_BUF_INIT;
    int status;
    vp_buf_addf(&req,
                "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Connection: close\r\n\r\n",
                path, token);
    status = craw_request(NULL, srv.port, req.data, req.len, 5000, ans);
    vp_buf_release(&req);
    return status;
}

/* The answer is {"error":code,"message":non-empty} with the security headers. */
static bool is_json_error(const struct vp_buf *ans, const char *code)
{
    json_error_t jerr;
    json_t *js = json_loads(craw_body(ans), 0, &jerr);
    const char *e = json_string_value(json_object_get(js, "error"));
    const char *m = json_string_value(json_object_get(js, "message"));
    char h[256];
    bool ok = e && m && *m && (!code || !strcmp(e, code)) &&
              craw_header(ans, "Content-Type", h, sizeof(h)) && !strcmp(h, "application/json") &&
              craw_header(ans, "X-Content-Type-Options", h, sizeof(h)) && !strcmp(h, "nosniff") &&
              craw_header(ans, "Content-Security-Policy", h, sizeof(h)) &&
              strstr(h, "default-src 'self'") &&
              craw_header(ans, "X-Frame-Options", h, sizeof(h)) && !strcmp(h, "DENY") &&
              craw_header(ans, "Referrer-Policy", h, sizeof(h)) &&
              craw_header(ans, "Cache-Control", h, sizeof(h)) && !strcmp(h, "no-store");
    if (!ok)
        fprintf(stderr, "not a JSON error%s%s:\n%s\n", code ? " " : "", code ? code : "",
                ans->len ? ans->data : "(nothing)");
    json_decref(js);
    return ok;
}

static void test_encoded_nul_in_path_is_400(void)
{
    struct vp_buf ans = VP_BUF_INIT;
    CHECK_INT_EQ(raw_get("/static/index.html%00.png", &ans), 400);
    CHECK(is_json_error(&ans, "malformed"));
    CHECK(!strstr(ans.data, "<!doctype")); /* index.html was not served */
    vp_buf_release(&ans);
}

static void test_encoded_nul_in_query_is_400(void)
{
    struct vp_buf ans = VP_BUF_INIT;
    CHECK_INT_EQ(raw_get("/api/v1/sync/pull?since=1%00abc", &ans), 400);
    CHECK(is_json_error(&ans, "malformed"));
    vp_buf_reset(&ans);
    CHECK_INT_EQ(raw_get("/api/v1/sync/pull?since=1&limit=5%00", &ans), 400);
    vp_buf_release(&ans);
}

static void test_broken_percent_encoding_is_400(void)
{
    static const char *const paths[] = {
        "/healthz?x=%zz",          "/healthz?x=%4", "/healthz?x=%",
        "/static/%G1.css",         "/healthz?%=1",  "/api/v1/sync/pull?since=0&limit=%2",
        "/healthz?x=%C3%28",       /* invalid UTF-8 after decoding */
        "/static/caf\xc3\x28.css", /* invalid UTF-8 as raw bytes */
        "/healthz?x=%ED%A0%80",    /* a UTF-16 surrogate */
        "/healthz?x=%C0%AF",       /* an overlong '/' */
        "/healthz?x=%1B%5B31m",    /* a control character (escape) */
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct vp_buf ans = VP_BUF_INIT;
        int status = raw_get(paths[i], &ans);
        if (status != 400)
            fprintf(stderr, "path %zu: %s\n", i, paths[i]);
        CHECK_INT_EQ(status, 400);
        CHECK(is_json_error(&ans, "malformed"));
        vp_buf_release(&ans);
    }
}

static void test_multibyte_target_is_not_refused(void)
{
    struct vp_buf ans = VP_BUF_INIT;
    /* é € 😀, encoded and raw: fine as text, just not a known file */
    CHECK_INT_EQ(raw_get("/healthz?x=%C3%A9%E2%82%AC%F0%9F%98%80", &ans), 200);
    vp_buf_reset(&ans);
    CHECK_INT_EQ(raw_get("/static/caf%C3%A9-%E2%82%AC.css", &ans), 404);
    CHECK(is_json_error(&ans, "not_found"));
    vp_buf_reset(&ans);
    CHECK_INT_EQ(raw_get("/static/caf\xc3\xa9\xf0\x9f\x98\x80.css", &ans), 404);
    CHECK(is_json_error(&ans, "not_found"));
    vp_buf_reset(&ans);
    CHECK_INT_EQ(raw_get("/api/v1/sync/pull?since=0&limit=1", &ans), 200);
    vp_buf_release(&ans);
}

static int64_t observations(void)
{
    return ctu_db_int(dir, "SELECT COUNT(*) FROM observations");
}

/* A push of one valid record with these framing headers (NULL: the right
 * Content-Length); the status. */
static int push_framed(const char *framing, struct vp_buf *ans)
{
    json_t *body = json_pack("{s:[o]}", "records", ctu_observation(child, staff, 2));
    char *text = json_dumps(body, JSON_COMPACT);
    struct vp_buf req = VP_BUF_INIT;
    int status;
    vp_buf_addf(&req,
                "POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\n",
                token);
    if (framing)
        vp_buf_addf(&req, "%s\r\n", framing);
    else
        vp_buf_addf(&req, "Content-Length: %zu\r\n\r\n", strlen(text));
    if (framing && strstr(framing, "chunked"))
        vp_buf_addf(&req, "%zx\r\n%s\r\n0\r\n\r\n", strlen(text), text);
    else
        vp_buf_adds(&req, text);
    status = craw_request(NULL, srv.port, req.data, req.len, 5000, ans);
    vp_buf_release(&req);
    free(text);
    json_decref(body);
    return status;
}

static void test_conflicting_content_length_is_400_and_applies_nothing(void)
{
    struct vp_buf ans = VP_BUF_INIT, framing = VP_BUF_INIT;
    json_t *probe = json_pack("{s:[o]}", "records", ctu_observation(child, staff, 2));
    char *text = json_dumps(probe, JSON_COMPACT);
    size_t n = strlen(text);
    int64_t before = observations();
    char h[32];
    /* the first says the whole body, the second more: smuggling's raw material */
    vp_buf_addf(&framing, "Content-Length: %zu\r\nContent-Length: %zu\r\n", n, n + 10);
    CHECK_INT_EQ(push_framed(framing.data, &ans), 400);
    CHECK(is_json_error(&ans, "malformed"));
    CHECK(craw_header(&ans, "Connection", h, sizeof(h)) && !strcmp(h, "close"));
    vp_buf_reset(&ans);
    vp_buf_reset(&framing);
    vp_buf_addf(&framing, "Content-Length: %zu\r\nContent-Length: %zu\r\n", n + 10, n);
    CHECK_INT_EQ(push_framed(framing.data, &ans), 400);
    vp_buf_reset(&ans);
    vp_buf_reset(&framing);
    vp_buf_addf(&framing, "Content-Length: %zu\r\nTransfer-Encoding: chunked\r\n", n);
    CHECK_INT_EQ(push_framed(framing.data, &ans), 400);
    CHECK(is_json_error(&ans, "malformed"));
    CHECK_INT_EQ(observations(), before);
    /* the same length twice, or chunked alone, is a normal push */
    vp_buf_reset(&ans);
    vp_buf_reset(&framing);
    vp_buf_addf(&framing, "Content-Length: %zu\r\nContent-Length: %zu\r\n", n, n);
    CHECK_INT_EQ(push_framed(framing.data, &ans), 200);
    vp_buf_reset(&ans);
    CHECK_INT_EQ(push_framed("Transfer-Encoding: chunked\r\n", &ans), 200);
    CHECK_INT_EQ(observations(), before + 2);
    free(text);
    json_decref(probe);
    vp_buf_release(&ans);
    vp_buf_release(&framing);
}

/* One request that makes a handler answer status, as raw bytes. */
struct provoke {
    int status;
    const char *code;
    const char *method, *path, *headers, *body;
};

static void test_every_handler_error_has_json_shape_and_security_headers(void)
{
    char auth[128], coach[256], big[64];
    struct provoke cases[] = {
        { 400, "malformed", "POST", "/api/v1/enroll", "Content-Type: application/json\r\n", "{" },
        { 401, "unauthorized", "GET", "/api/v1/sync/pull", "", NULL },
        { 401, "unauthorized", "GET", "/api/console/me", "", NULL },
        { 403, "csrf", "POST", "/api/console/logout", coach, "{}" },
        { 404, "not_found", "GET", "/nothing/here", "", NULL },
        { 404, "not_found", "GET", "/static/none.css", "", NULL },
        { 405, "method_not_allowed", "DELETE", "/healthz", "", NULL },
        { 413, "too_large", "POST", "/api/v1/sync/push", big, NULL },
        { 415, "unsupported_media_type", "POST", "/api/v1/enroll", "Content-Type: text/plain\r\n",
          "{}" },
        { 415, "unsupported_media_type", "POST", "/api/v1/enroll",
          "Content-Type: application/json\r\nContent-Encoding: br\r\n", "{}" },
        { 422, "invalid", "POST", "/api/v1/enroll", "Content-Type: application/json\r\n",
          "{\"code\":7}" },
        { 401, "unauthorized", "POST", "/api/v1/enroll", "Content-Type: application/json\r\n",
          "{\"code\":\"AAAA-BBBB\"}" },
        { 410, "gone", "POST", "/api/v1/enroll", "Content-Type: application/json\r\n", NULL },
        { 400, "malformed", "GET", "/api/v1/sync/pull?since=%00", auth, NULL },
    };
    char used[128];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", token);
    snprintf(coach, sizeof(coach), "Cookie: %s\r\nContent-Type: application/json\r\n", cookie);
    snprintf(big, sizeof(big), "%sContent-Length: %d\r\n", "Content-Type: application/json\r\n",
             2 << 20);
    snprintf(used, sizeof(used), "{\"code\":\"%s\"}", locs[0].code); /* enrolled in main() */
    cases[12].body = used;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct provoke *c = &cases[i];
        struct vp_buf req = VP_BUF_INIT, ans = VP_BUF_INIT;
        vp_buf_addf(&req, "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s", c->method,
                    c->path, c->headers);
        if (c->body)
            vp_buf_addf(&req, "Content-Length: %zu\r\n\r\n%s", strlen(c->body), c->body);
        else
            vp_buf_adds(&req, "\r\n");
        for (int k = 0; c->status == 413 && k < (2 << 20); k++)
            vp_buf_addch(&req, 'x'); /* the announced 2 MiB */
        craw_request(NULL, srv.port, req.data, req.len, 5000, &ans);
        if (craw_status(&ans) != c->status)
            fprintf(stderr, "case %zu: %s %s\n", i, c->method, c->path);
        CHECK_INT_EQ(craw_status(&ans), c->status);
        CHECK(is_json_error(&ans, c->code));
        vp_buf_release(&req);
        vp_buf_release(&ans);
    }
}

static void test_429_and_503_have_json_shape_too(void)
{
    const char *h[] = { "Content-Type: application/json", NULL };
    const char *body = "{\"email\":\"nobody@example.org\",\"password\":\"fout-fout\"}";
    struct vp_buf req = VP_BUF_INIT, ans = VP_BUF_INIT;
    struct central_http r;
    char ra[16];
    /* the account's five guesses, then 429 */
    for (int i = 0; i < 5; i++) {
        central_http("POST", srv.url, "/api/console/login", h, body, strlen(body), 0, &r);
        central_http_release(&r);
    }
    vp_buf_addf(&req,
                "POST /api/console/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                strlen(body), body);
    CHECK_INT_EQ(craw_request(NULL, srv.port, req.data, req.len, 5000, &ans), 429);
    CHECK(is_json_error(&ans, "rate_limited"));
    CHECK(craw_header(&ans, "Retry-After", ra, sizeof(ra)));
    /* 503: storage trouble, here through the fault hook */
    {
        const char *busy[] = { "VP_FAULT=push_503", NULL }, *none[] = { "VP_FAULT=", NULL };
        vp_buf_reset(&ans);
        CHECK_INT_EQ(central_proc_restart(&srv, busy), 0);
        CHECK_INT_EQ(push_framed(NULL, &ans), 503);
        CHECK(is_json_error(&ans, "unavailable"));
        CHECK(craw_header(&ans, "Retry-After", ra, sizeof(ra)));
        CHECK_INT_EQ(central_proc_restart(&srv, none), 0);
    }
    vp_buf_release(&req);
    vp_buf_release(&ans);
}

/* libmicrohttpd answers broken HTTP itself (docs/central.md lists these): it
 * may, as long as nothing of the request comes back and the connection ends. */
static void test_libmicrohttpd_own_answers_echo_nothing(void)
{
    struct vp_buf url = VP_BUF_INIT;
    const char *mark = "<script>zz9</script>";
    const char *cases[] = {
        "POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Length: <script>zz9</script>\r\n\r\n",
        "GET /<script>zz9</script>\r\n",
        "POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "<script>zz9</script>\r\nabc\r\n",
        "<script>zz9</script>\r\n\r\n",
        NULL,
    };
    vp_buf_adds(&url, "GET /<script>zz9</script>");
    for (int i = 0; i < 70 * 1024; i++)
        vp_buf_addch(&url, 'a');
    vp_buf_adds(&url, " HTTP/1.1\r\nHost: x\r\n\r\n");
    cases[4] = url.data;
    for (size_t i = 0; i < 5; i++) {
        struct vp_buf ans = VP_BUF_INIT;
        int status = craw_request(NULL, srv.port, cases[i], strlen(cases[i]), 5000, &ans);
        CHECK(status == 0 || (status >= 400 && status < 500));
        CHECK(!ans.len || !strstr(ans.data, mark));
        CHECK(!ans.len || !strstr(ans.data, "zz9"));
        vp_buf_release(&ans);
    }
    vp_buf_release(&url);
    /* and the server is fine */
    {
        struct vp_buf ans = VP_BUF_INIT;
        CHECK_INT_EQ(raw_get("/healthz", &ans), 200);
        vp_buf_release(&ans);
    }
}

int main(void)
{
    char *tmp = vp_test_tempdir();
    char sql[200];
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    if (central_proc_demo(dir, locs, 5, password) != 5 ||
        central_proc_start(&srv, dir, NULL, NULL) != 0 ||
        ctu_enroll(srv.url, locs[0].code, token, device) != 200 ||
        ctu_login(srv.url, COACH, password, cookie, csrf) != 200) {
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    snprintf(sql, sizeof(sql), "SELECT child_id FROM children WHERE location_id = '%s' LIMIT 1",
             locs[0].id);
    ctu_db_text(dir, sql, child, sizeof(child));
    snprintf(sql, sizeof(sql), "SELECT staff_id FROM staff WHERE location_id = '%s' LIMIT 1",
             locs[0].id);
    ctu_db_text(dir, sql, staff, sizeof(staff));
    VP_TEST(test_encoded_nul_in_path_is_400);
    VP_TEST(test_encoded_nul_in_query_is_400);
    VP_TEST(test_broken_percent_encoding_is_400);
    VP_TEST(test_multibyte_target_is_not_refused);
    VP_TEST(test_conflicting_content_length_is_400_and_applies_nothing);
    VP_TEST(test_every_handler_error_has_json_shape_and_security_headers);
    VP_TEST(test_429_and_503_have_json_shape_too);
    VP_TEST(test_libmicrohttpd_own_answers_echo_nothing);
    if (central_proc_stop(&srv) != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
