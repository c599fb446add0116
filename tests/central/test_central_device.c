/*
 * test_central_device.c - the device API against a real vindplaats-central
 * on 127.0.0.1 with the demo data, checking the database afterwards.
 */
#include "ctu.h"
#include "vp_test.h"
#include "vp_core.h"
#include <zlib.h>

static struct central_proc srv;
static char dir[512];
static struct central_demo_location locs[5];
static char token_a[64], device_a[40]; /* a tablet of locs[0] (Dolfijn) */
static char token_b[64], device_b[40]; /* a tablet of locs[1] (Grabbelton) */

/* The first id of a table for a location: "child_id FROM children" etc. */
static void first_of(const char *what, const char *loc, char *out, size_t size)
{
    struct vp_buf sql = VP_BUF_INIT;
    vp_buf_addf(&sql, "SELECT %s WHERE location_id = '%s' ORDER BY 1 LIMIT 1", what, loc);
    ctu_db_text(dir, sql.data, out, size);
    vp_buf_release(&sql);
}

static void child_of(const char *loc, char out[40])
{
    first_of("child_id FROM children", loc, out, 40);
}

static void staff_of(const char *loc, char out[40])
{
    first_of("staff_id FROM staff", loc, out, 40);
}

static int64_t count(const char *sql)
{
    return ctu_db_int(dir, sql);
}

static void test_enroll_ok(void)
{
    char sql[256];
    CHECK_INT_EQ(ctu_enroll(srv.url, locs[0].code, token_a, device_a), 200);
    CHECK_INT_EQ(strlen(token_a), 43);
    snprintf(sql, sizeof(sql), "SELECT location_id FROM devices WHERE id = '%s'", device_a);
    {
        char loc[40];
        ctu_db_text(dir, sql, loc, sizeof(loc));
        CHECK_STR_EQ(loc, locs[0].id);
    }
    /* only a hash of the token is stored */
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM devices WHERE token_hash = '%s'", token_a);
    CHECK_INT_EQ(count(sql), 0);
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM enroll_codes WHERE device_id = '%s'"
             " AND used_at IS NOT NULL",
             device_a);
    CHECK_INT_EQ(count(sql), 1);
    CHECK_INT_EQ(ctu_enroll(srv.url, locs[1].code, token_b, device_b), 200);
}

static void test_enroll_lowercase_code_without_dash(void)
{
    char code[16], plain[16], tok[64], dev[40];
    size_t n = 0;
    ctu_code(dir, locs[2].id, code);
    for (const char *p = code; *p; p++)
        if (*p != '-')
            plain[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    plain[n] = '\0';
    CHECK_INT_EQ(ctu_enroll(srv.url, plain, tok, dev), 200);
}

static void test_enroll_unknown(void)
{
    char tok[64], dev[40];
    int64_t before = count("SELECT COUNT(*) FROM devices");
    CHECK_INT_EQ(ctu_enroll(srv.url, "ZZZZ-ZZZZ", tok, dev), 401);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM devices"), before);
}

static void test_enroll_used(void)
{
    char tok[64], dev[40];
    CHECK_INT_EQ(ctu_enroll(srv.url, locs[0].code, tok, dev), 410);
}

static void test_enroll_expired(void)
{
    char code[16], tok[64], dev[40];
    ctu_code(dir, locs[3].id, code);
    CHECK(code[0]);
    /* age every unused code past its 7 days */
    CHECK_INT_EQ(ctu_db_exec(dir, "UPDATE enroll_codes SET expires_at = 0 WHERE used_at IS NULL"),
                 0);
    CHECK_INT_EQ(ctu_enroll(srv.url, code, tok, dev), 410);
}

static void test_enroll_without_code_is_invalid(void)
{
    struct central_http r;
    const char *h[] = { "Content-Type: application/json", NULL };
    central_http("POST", srv.url, "/api/v1/enroll", h, "{\"device_name\":\"x\"}", 19, 0, &r);
    CHECK_INT_EQ(r.status, 422);
    CHECK(strstr(r.body.data, "\"error\":\"invalid\""));
    central_http_release(&r);
    central_http("POST", srv.url, "/api/v1/enroll", h, "{\"code\":", 8, 0, &r);
    CHECK_INT_EQ(r.status, 400);
    CHECK(strstr(r.body.data, "\"error\":\"malformed\""));
    central_http_release(&r);
    central_http("POST", srv.url, "/api/v1/enroll", NULL, "{}", 2, 0, &r);
    CHECK_INT_EQ(r.status, 415);
    central_http_release(&r);
}

static void test_push_stored_duplicate_conflict(void)
{
    char child[40], staff[40];
    json_t *obs, *ans = NULL, *changed;
    child_of(locs[0].id, child);
    staff_of(locs[0].id, staff);
    obs = ctu_observation(child, staff, 2);
    CHECK_INT_EQ(ctu_push(srv.url, token_a, json_pack("[O]", obs), &ans), 200);
    CHECK_STR_EQ(ctu_result(ans, 0), "stored");
    CHECK_STR_EQ(json_string_value(json_object_get(ans, "server_epoch")),
                 json_string_value(json_object_get(ans, "server_epoch")));
    json_decref(ans);
    CHECK_INT_EQ(ctu_push(srv.url, token_a, json_pack("[O]", obs), &ans), 200);
    CHECK_STR_EQ(ctu_result(ans, 0), "duplicate");
    json_decref(ans);
    changed = json_deep_copy(obs);
    json_object_set_new(changed, "level", json_integer(3));
    CHECK_INT_EQ(ctu_push(srv.url, token_a, json_pack("[o]", changed), &ans), 200);
    CHECK_STR_EQ(ctu_result(ans, 0), "conflict");
    json_decref(ans);
    {
        char sql[256];
        snprintf(sql, sizeof(sql), "SELECT level FROM observations WHERE id = '%s'",
                 json_string_value(json_object_get(obs, "id")));
        CHECK_INT_EQ(count(sql), 2); /* the first content stays */
        snprintf(sql, sizeof(sql), "SELECT device_id FROM observations WHERE id = '%s'",
                 json_string_value(json_object_get(obs, "id")));
        {
            char dev[40];
            ctu_db_text(dir, sql, dev, sizeof(dev));
            CHECK_STR_EQ(dev, device_a);
        }
    }
    json_decref(obs);
}

static void test_push_bad_record_applies_the_others(void)
{
    char child[40], staff[40], sql[256];
    json_t *a, *b, *c, *ans = NULL, *reason;
    int64_t before = count("SELECT COUNT(*) FROM observations");
    child_of(locs[0].id, child);
    staff_of(locs[0].id, staff);
    a = ctu_observation(child, staff, 1);
    b = ctu_observation(child, staff, 1);
    c = ctu_observation(child, staff, 1);
    json_object_set_new(b, "level", json_integer(7));
    CHECK_INT_EQ(ctu_push(srv.url, token_a, json_pack("[o,o,o]", a, b, c), &ans), 200);
    CHECK_STR_EQ(ctu_result(ans, 0), "stored");
    CHECK_STR_EQ(ctu_result(ans, 1), "rejected");
    CHECK_STR_EQ(ctu_result(ans, 2), "stored");
    reason = json_object_get(json_array_get(json_object_get(ans, "results"), 1), "reason");
    CHECK(json_is_string(reason) && strstr(json_string_value(reason), "level"));
    json_decref(ans);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM observations"), before + 2);
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM records WHERE type = 'observation'");
    CHECK_INT_EQ(count(sql), before + 2);
}

static void test_push_rejects_unknown_fields_and_children(void)
{
    char child[40], staff[40];
    json_t *a, *b, *c, *ans = NULL;
    child_of(locs[0].id, child);
    staff_of(locs[0].id, staff);
    a = ctu_observation(child, staff, 1);
    json_object_set_new(a, "surname", json_string("Jansen"));
    b = ctu_observation("01900000-0000-7000-8000-000000000000", staff, 1);
    c = json_pack("{s:s,s:s}", "type", "diagnosis", "id", "01900000-0000-7000-8000-000000000001");
    CHECK_INT_EQ(ctu_push(srv.url, token_a, json_pack("[o,o,o]", a, b, c), &ans), 200);
    CHECK_STR_EQ(ctu_result(ans, 0), "rejected");
    CHECK_STR_EQ(ctu_result(ans, 1), "rejected");
    CHECK_STR_EQ(ctu_result(ans, 2), "rejected");
    json_decref(ans);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM observations WHERE child_id ="
                       " '01900000-0000-7000-8000-000000000000'"),
                 0);
}

static void test_push_other_location_is_forbidden(void)
{
    char mine[40], theirs[40], staff[40];
    json_t *ok, *bad, *ans = NULL;
    int64_t before = count("SELECT COUNT(*) FROM observations");
    child_of(locs[0].id, mine);
    child_of(locs[1].id, theirs);
    staff_of(locs[0].id, staff);
    ok = ctu_observation(mine, staff, 1);
    bad = ctu_observation(theirs, staff, 1);
    CHECK_INT_EQ(ctu_push(srv.url, token_a, json_pack("[o,o]", ok, bad), &ans), 403);
    CHECK_STR_EQ(json_string_value(json_object_get(ans, "error")), "forbidden");
    json_decref(ans);
    /* nothing of the batch was applied */
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM observations"), before);
    /* a child revision moving another location's child is refused too */
    CHECK_INT_EQ(ctu_push(srv.url, token_a, json_pack("[o]", ctu_child(theirs, theirs, "X")), NULL),
                 403);
}

static void test_push_malformed_is_400(void)
{
    struct central_http r;
    char auth[128];
    const char *h[] = { auth, "Content-Type: application/json", NULL };
    const char *bodies[] = { "{\"records\":{}}",
                             "{\"records\":[1]}",
                             "{\"records\":[{}]}",
                             "[]",
                             "{\"records\":[], \"records\":[]}",
                             "not json",
                             "{\"records\":[],\"extra\":1}" };
    int64_t before = count("SELECT COUNT(*) FROM records");
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token_a);
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        central_http("POST", srv.url, "/api/v1/sync/push", h, bodies[i], strlen(bodies[i]), 0, &r);
        if (r.status != 400)
            fprintf(stderr, "body %s\n", bodies[i]);
        CHECK_INT_EQ(r.status, 400);
        CHECK(strstr(r.body.data, "\"error\":\"malformed\""));
        CHECK(strstr(r.body.data, "\"message\":"));
        central_http_release(&r);
    }
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM records"), before);
}

static void gzip_text(const char *text, size_t len, struct vp_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    vp_buf_grow(out, deflateBound(&z, len) + 16);
    z.next_in = (Bytef *)text;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out->data;
    z.avail_out = (uInt)(out->cap - 1);
    deflate(&z, Z_FINISH);
    out->len = z.total_out;
    deflateEnd(&z);
}

static void test_push_too_large_is_413(void)
{
    struct central_http r;
    char auth[128];
    const char *h[] = { auth, "Content-Type: application/json", NULL };
    const char *hz[] = { auth, "Content-Type: application/json", "Content-Encoding: gzip", NULL };
    struct vp_buf big = VP_BUF_INIT, gz = VP_BUF_INIT;
    int64_t before = count("SELECT COUNT(*) FROM records");
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token_a);
    vp_buf_adds(&big, "{\"records\":[");
    while (big.len < (1u << 20) + 100)
        vp_buf_adds(&big, "{\"type\":\"group\",\"id\":\"x\"},");
    vp_buf_adds(&big, "{}]}");
    central_http("POST", srv.url, "/api/v1/sync/push", h, big.data, big.len, 0, &r);
    CHECK_INT_EQ(r.status, 413);
    CHECK(strstr(r.body.data, "\"error\":\"too_large\""));
    central_http_release(&r);
    /* a small gzip body that inflates past 1 MiB */
    gzip_text(big.data, big.len, &gz);
    CHECK(gz.len < 256 * 1024);
    central_http("POST", srv.url, "/api/v1/sync/push", hz, gz.data, gz.len, 0, &r);
    CHECK_INT_EQ(r.status, 413);
    central_http_release(&r);
    vp_buf_release(&gz);
    /* 501 records */
    vp_buf_reset(&big);
    vp_buf_adds(&big, "{\"records\":[");
    for (int i = 0; i < 501; i++)
        vp_buf_addf(&big, "%s{\"type\":\"group\",\"id\":\"g%d\"}", i ? "," : "", i);
    vp_buf_adds(&big, "]}");
    central_http("POST", srv.url, "/api/v1/sync/push", h, big.data, big.len, 0, &r);
    CHECK_INT_EQ(r.status, 413);
    central_http_release(&r);
    vp_buf_release(&big);
    CHECK_INT_EQ(count("SELECT COUNT(*) FROM records"), before);
}

static void test_push_gzip_body(void)
{
    char child[40], staff[40], auth[128];
    const char *hz[] = { auth, "Content-Type: application/json", "Content-Encoding: gzip", NULL };
    struct central_http r;
    struct vp_buf gz = VP_BUF_INIT;
    json_t *req;
    char *text;
    child_of(locs[0].id, child);
    staff_of(locs[0].id, staff);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token_a);
    req = json_pack("{s:[o]}", "records", ctu_observation(child, staff, 1));
    text = json_dumps(req, JSON_COMPACT);
    gzip_text(text, strlen(text), &gz);
    central_http("POST", srv.url, "/api/v1/sync/push", hz, gz.data, gz.len, 0, &r);
    CHECK_INT_EQ(r.status, 200);
    CHECK(strstr(r.body.data, "\"stored\""));
    central_http_release(&r);
    /* broken gzip is a client mistake */
    central_http("POST", srv.url, "/api/v1/sync/push", hz, "nonsense", 8, 0, &r);
    CHECK_INT_EQ(r.status, 400);
    central_http_release(&r);
    vp_buf_release(&gz);
    free(text);
    json_decref(req);
}

static void test_pull_pages_and_cursor(void)
{
    json_t *ans = NULL;
    int64_t since = 0, last = 0, seen = 0, want;
    bool more = true;
    char sql[256];
    int pages = 0;
    while (more && pages < 100) {
        json_t *changes;
        CHECK_INT_EQ(ctu_pull(srv.url, token_a, since, 4, &ans), 200);
        changes = json_object_get(ans, "changes");
        CHECK(json_array_size(changes) <= 4);
        for (size_t i = 0; i < json_array_size(changes); i++) {
            int64_t seq = json_integer_value(json_object_get(json_array_get(changes, i), "seq"));
            CHECK(seq > last);
            last = seq;
            seen++;
        }
        CHECK_INT_EQ(json_integer_value(json_object_get(ans, "next")),
                     json_array_size(changes) ? last : since);
        since = json_integer_value(json_object_get(ans, "next"));
        more = json_is_true(json_object_get(ans, "more"));
        json_decref(ans);
        pages++;
    }
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM changes WHERE location_id = '%s'", locs[0].id);
    want = count(sql);
    CHECK_INT_EQ(seen, want);
    CHECK(pages > 2);
    /* the cursor at the end gives nothing more */
    CHECK_INT_EQ(ctu_pull(srv.url, token_a, since, 100, &ans), 200);
    CHECK_INT_EQ(json_array_size(json_object_get(ans, "changes")), 0);
    CHECK_INT_EQ(json_integer_value(json_object_get(ans, "next")), since);
    json_decref(ans);
}

static void test_pull_shows_only_own_location(void)
{
    json_t *ans = NULL, *changes;
    CHECK_INT_EQ(ctu_pull(srv.url, token_b, 0, 1000, &ans), 200);
    changes = json_object_get(ans, "changes");
    for (size_t i = 0; i < json_array_size(changes); i++) {
        json_t *c = json_array_get(changes, i);
        const char *type = json_string_value(json_object_get(c, "type"));
        if (!strcmp(type, "settings"))
            CHECK_STR_EQ(json_string_value(json_object_get(c, "location_name")), locs[1].name);
        if (!strcmp(type, "child")) {
            char sql[256], loc[40];
            snprintf(sql, sizeof(sql), "SELECT location_id FROM children WHERE child_id = '%s'",
                     json_string_value(json_object_get(c, "child_id")));
            ctu_db_text(dir, sql, loc, sizeof(loc));
            CHECK_STR_EQ(loc, locs[1].id);
        }
    }
    json_decref(ans);
}

static void test_pull_bad_query_is_400(void)
{
    struct central_http r;
    char auth[128];
    const char *h[] = { auth, NULL };
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token_a);
    central_http("GET", srv.url, "/api/v1/sync/pull?since=abc", h, NULL, 0, 0, &r);
    CHECK_INT_EQ(r.status, 400);
    central_http_release(&r);
    central_http("GET", srv.url, "/api/v1/sync/pull?limit=5000", h, NULL, 0, 0, &r);
    CHECK_INT_EQ(r.status, 400);
    central_http_release(&r);
}

/* A heartbeat as a protocol-2 tablet sends it. */
static json_t *heartbeat(int64_t pending)
{
    return json_pack("{s:s,s:i,s:I,s:s,s:i,s:s,s:s,s:i,s:s}", "app_version", "0.2.0",
                     "catalog_version", 1, "pending_signals", (json_int_t)pending, "oldest_pending",
                     "2026-11-20T08:00:00.000Z", "quarantined", 1, "last_attempt",
                     "2026-11-23T09:59:00.000Z", "last_success", "2026-11-20T07:00:00.000Z",
                     "disk_free_mb", 812, "device_time", "2026-11-23T10:00:00.000Z");
}

static void test_pull_v2_keeps_the_heartbeat(void)
{
    json_t *ans = NULL;
    char sql[256], version[32];
    CHECK_INT_EQ(ctu_pull_post(
                     srv.url, token_a,
                     json_pack("{s:s,s:i,s:o}", "since", "", "limit", 2, "heartbeat", heartbeat(3)),
                     &ans),
                 200);
    CHECK(json_is_string(json_object_get(ans, "cursor")));
    CHECK_INT_EQ(json_array_size(json_object_get(ans, "changes")), 2);
    json_decref(ans);
    snprintf(sql, sizeof(sql),
             "SELECT pending_signals * 1000000 + quarantined * 10000 + disk_free_mb"
             " FROM device_health WHERE device_id = '%s'",
             device_a);
    CHECK_INT_EQ(count(sql), 3 * 1000000 + 1 * 10000 + 812);
    snprintf(sql, sizeof(sql), "SELECT app_version FROM device_health WHERE device_id = '%s'",
             device_a);
    ctu_db_text(dir, sql, version, sizeof(version));
    CHECK_STR_EQ(version, "0.2.0");
    /* the tablet's clocks are kept as sent; the last contact by the server's */
    snprintf(sql, sizeof(sql),
             "SELECT (last_success = 1795158000000) + (received_at > last_success)"
             " FROM device_health WHERE device_id = '%s'",
             device_a);
    CHECK_INT_EQ(count(sql), 2);
    /* a newer heartbeat replaces it */
    CHECK_INT_EQ(
        ctu_pull_post(srv.url, token_a, json_pack("{s:o}", "heartbeat", heartbeat(0)), &ans), 200);
    json_decref(ans);
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) * 10 + MAX(pending_signals) FROM device_health"
             " WHERE device_id = '%s'",
             device_a);
    CHECK_INT_EQ(count(sql), 10);
}

static void test_pull_v2_follows_the_opaque_cursor(void)
{
    json_t *ans = NULL;
    char cursor[128] = "", sql[256];
    int64_t seen = 0;
    bool more = true;
    for (int pages = 0; more && pages < 100; pages++) {
        const char *next;
        CHECK_INT_EQ(ctu_pull_post(srv.url, token_a,
                                   json_pack("{s:s,s:i}", "since", cursor, "limit", 3), &ans),
                     200);
        seen += (int64_t)json_array_size(json_object_get(ans, "changes"));
        next = json_string_value(json_object_get(ans, "cursor"));
        CHECK(next != NULL);
        /* protocol-1 tablets read the same position as an integer */
        CHECK_INT_EQ(json_integer_value(json_object_get(ans, "next")),
                     next ? (int64_t)strtoll(next, NULL, 10) : -1);
        vp_strlcpy(cursor, next ? next : "", sizeof(cursor));
        more = json_is_true(json_object_get(ans, "more"));
        json_decref(ans);
    }
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM changes WHERE location_id = '%s'", locs[0].id);
    CHECK_INT_EQ(seen, count(sql));
    CHECK(!more);
}

static void test_pull_v2_bad_requests_change_nothing(void)
{
    json_t *ans = NULL, *hb = heartbeat(9);
    char sql[256];
    int64_t before;
    snprintf(sql, sizeof(sql), "SELECT pending_signals FROM device_health WHERE device_id = '%s'",
             device_a);
    before = count(sql);
    /* a cursor this server never gave */
    CHECK_INT_EQ(ctu_pull_post(srv.url, token_a, json_pack("{s:s}", "since", "abc"), &ans), 400);
    CHECK_STR_EQ(json_string_value(json_object_get(ans, "error")), "malformed");
    json_decref(ans);
    /* unknown keys, a version with a non-ASCII character, a limit out of range */
    CHECK_INT_EQ(ctu_pull_post(srv.url, token_a, json_pack("{s:s}", "sinse", ""), &ans), 422);
    json_decref(ans);
    json_object_set_new(hb, "app_version", json_string("0.2.0\u00e9"));
    CHECK_INT_EQ(ctu_pull_post(srv.url, token_a, json_pack("{s:o}", "heartbeat", hb), &ans), 422);
    json_decref(ans);
    CHECK_INT_EQ(ctu_pull_post(srv.url, token_a, json_pack("{s:i}", "limit", 0), &ans), 422);
    json_decref(ans);
    CHECK_INT_EQ(count(sql), before);
}

/* Before protocol 2 a pushed id of 36 multibyte characters was cut in half
 * on its way into the answer, and that record's result silently vanished. */
static void test_push_answer_has_one_result_per_record(void)
{
    char child[40], staff[40], bad_id[80] = "";
    json_t *ans = NULL, *recs = json_array(), *odd, *results;
    child_of(locs[0].id, child);
    staff_of(locs[0].id, staff);
    for (int i = 0; i < 36; i++)
        vp_strlcpy(bad_id + strlen(bad_id), "\xc3\xa9", sizeof(bad_id) - strlen(bad_id));
    odd = ctu_observation(child, staff, 1);
    json_object_set_new(odd, "id", json_string(bad_id));
    json_array_append_new(recs, ctu_observation(child, staff, 1));
    json_array_append_new(recs, odd);
    /* an id that is not a UUID cannot be answered for: the request is malformed */
    CHECK_INT_EQ(ctu_push(srv.url, token_a, recs, &ans), 400);
    json_decref(ans);
    /* a record that is invalid for a multibyte reason still gets its own result */
    recs = json_array();
    odd = ctu_observation(child, staff, 1);
    {
        char key[160] = "";
        for (int i = 0; i < 40; i++)
            vp_strlcpy(key + strlen(key), "\xc3\xa9", sizeof(key) - strlen(key));
        json_object_set_new(odd, key, json_true());
    }
    json_array_append_new(recs, ctu_observation(child, staff, 1));
    json_array_append_new(recs, json_incref(odd));
    json_array_append_new(recs, ctu_observation(child, staff, 2));
    CHECK_INT_EQ(ctu_push(srv.url, token_a, recs, &ans), 200);
    results = json_object_get(ans, "results");
    CHECK_INT_EQ(json_array_size(results), 3);
    CHECK_STR_EQ(ctu_result(ans, 0), "stored");
    CHECK_STR_EQ(ctu_result(ans, 1), "rejected");
    CHECK_STR_EQ(ctu_result(ans, 2), "stored");
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(results, 1), "id")),
                 json_string_value(json_object_get(odd, "id")));
    CHECK(json_string_length(json_object_get(json_array_get(results, 1), "reason")) > 0);
    json_decref(odd);
    json_decref(ans);
}

static void test_entity_revisions_last_writer_wins(void)
{
    char tok2[64], dev2[40], code[16], child[40], group[40], sql[256], name[64];
    json_t *ans = NULL, *changes;
    int64_t since;
    int hits = 0;
    child_of(locs[0].id, child);
    first_of("group_id FROM groups", locs[0].id, group, sizeof(group));
    ctu_code(dir, locs[0].id, code);
    CHECK_INT_EQ(ctu_enroll(srv.url, code, tok2, dev2), 200);
    CHECK_INT_EQ(ctu_pull(srv.url, token_a, 0, 1000, &ans), 200);
    since = json_integer_value(json_object_get(ans, "next"));
    json_decref(ans);
    /* two tablets edit the same child; the server's receive order decides */
    CHECK_INT_EQ(ctu_push(srv.url, tok2, json_pack("[o]", ctu_child(child, group, "Eerste")), NULL),
                 200);
    CHECK_INT_EQ(
        ctu_push(srv.url, token_a, json_pack("[o]", ctu_child(child, group, "Tweede")), NULL), 200);
    snprintf(sql, sizeof(sql), "SELECT first_name FROM children WHERE child_id = '%s'", child);
    ctu_db_text(dir, sql, name, sizeof(name));
    CHECK_STR_EQ(name, "Tweede");
    CHECK_INT_EQ(ctu_pull(srv.url, token_a, since, 1000, &ans), 200);
    changes = json_object_get(ans, "changes");
    for (size_t i = 0; i < json_array_size(changes); i++) {
        json_t *c = json_array_get(changes, i);
        if (!strcmp(json_string_value(json_object_get(c, "type")), "child") &&
            !strcmp(json_string_value(json_object_get(c, "child_id")), child)) {
            CHECK_STR_EQ(json_string_value(json_object_get(c, "first_name")), "Tweede");
            hits++;
        }
    }
    CHECK_INT_EQ(hits, 1);
    json_decref(ans);
}

static void test_epoch_is_stable_and_stored(void)
{
    json_t *a = NULL, *b = NULL;
    char epoch[64];
    CHECK_INT_EQ(ctu_pull(srv.url, token_a, 0, 1, &a), 200);
    CHECK_INT_EQ(ctu_pull(srv.url, token_b, 0, 1, &b), 200);
    ctu_db_text(dir, "SELECT value FROM meta WHERE key = 'server_epoch'", epoch, sizeof(epoch));
    CHECK_STR_EQ(json_string_value(json_object_get(a, "server_epoch")), epoch);
    CHECK_STR_EQ(json_string_value(json_object_get(b, "server_epoch")), epoch);
    json_decref(a);
    json_decref(b);
}

static void test_revoked_token_is_401(void)
{
    char code[16], tok[64], dev[40];
    const char *argv[] = { "revoke-device", "--device", dev, NULL };
    json_t *ans = NULL;
    ctu_code(dir, locs[4].id, code);
    CHECK_INT_EQ(ctu_enroll(srv.url, code, tok, dev), 200);
    CHECK_INT_EQ(ctu_pull(srv.url, tok, 0, 1, NULL), 200);
    CHECK_INT_EQ(central_proc_run(dir, argv, NULL, NULL), 0);
    CHECK_INT_EQ(ctu_pull(srv.url, tok, 0, 1, &ans), 401);
    CHECK_STR_EQ(json_string_value(json_object_get(ans, "error")), "unauthorized");
    json_decref(ans);
    CHECK_INT_EQ(ctu_push(srv.url, tok, json_array(), NULL), 401);
    CHECK_INT_EQ(ctu_pull(srv.url, "not-a-token", 0, 1, NULL), 401);
}

static void test_unknown_path_and_method(void)
{
    struct central_http r;
    central_http("GET", srv.url, "/api/v1/nothing", NULL, NULL, 0, 0, &r);
    CHECK_INT_EQ(r.status, 404);
    CHECK(strstr(r.body.data, "\"error\":\"not_found\""));
    central_http_release(&r);
    central_http("DELETE", srv.url, "/api/v1/sync/push", NULL, NULL, 0, 0, &r);
    CHECK_INT_EQ(r.status, 405);
    central_http_release(&r);
}

int main(void)
{
    char *tmp = vp_test_tempdir();
    int n;
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    n = central_proc_demo(dir, locs, 5, NULL);
    if (n != 5 || central_proc_start(&srv, dir, NULL, NULL) != 0) {
        fprintf(stderr, "cannot start the central service (%d locations)\n", n);
        return 1;
    }
    VP_TEST(test_enroll_ok);
    VP_TEST(test_enroll_lowercase_code_without_dash);
    VP_TEST(test_enroll_unknown);
    VP_TEST(test_enroll_used);
    VP_TEST(test_enroll_expired);
    VP_TEST(test_enroll_without_code_is_invalid);
    VP_TEST(test_push_stored_duplicate_conflict);
    VP_TEST(test_push_bad_record_applies_the_others);
    VP_TEST(test_push_rejects_unknown_fields_and_children);
    VP_TEST(test_push_other_location_is_forbidden);
    VP_TEST(test_push_malformed_is_400);
    VP_TEST(test_push_too_large_is_413);
    VP_TEST(test_push_gzip_body);
    VP_TEST(test_pull_pages_and_cursor);
    VP_TEST(test_pull_shows_only_own_location);
    VP_TEST(test_pull_bad_query_is_400);
    VP_TEST(test_pull_v2_keeps_the_heartbeat);
    VP_TEST(test_pull_v2_follows_the_opaque_cursor);
    VP_TEST(test_pull_v2_bad_requests_change_nothing);
    VP_TEST(test_push_answer_has_one_result_per_record);
    VP_TEST(test_entity_revisions_last_writer_wins);
    VP_TEST(test_epoch_is_stable_and_stored);
    VP_TEST(test_revoked_token_is_401);
    VP_TEST(test_unknown_path_and_method);
    if (central_proc_stop(&srv) != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
