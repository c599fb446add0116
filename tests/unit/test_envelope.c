/*
 * test_envelope.c - the push answer, pull request and pull page as both ends
 * write and read them (sync/wire/vp_envelope.h).
 */
#include "vp_core.h"
#include "vp_envelope.h"
#include "vp_str.h"
#include "vp_test.h"

#define EPOCH "0190a0b0-0000-4000-8000-0000000000ee"

/* The JSON of text (the tests' own texts are valid; NULL would fail the checks). */
static json_t *parse(const char *text)
{
    json_t *js = NULL;
    vp_json_parse(text, strlen(text), &js, NULL);
    return js;
}

static void test_push_answer_round_trip_keeps_every_result_in_order(void)
{
    struct vp_push_result r[3];
    struct vp_push_answer a = { r, 3, 1763900000123, EPOCH }, b;
    json_t *js;
    memset(r, 0, sizeof(r));
    for (int i = 0; i < 3; i++)
        vp_uuid4(r[i].id);
    r[0].status = VP_PUSH_STORED;
    r[1].status = VP_PUSH_REJECTED;
    vp_push_result_set_reason(&r[1], "signals: names a code that is not in the catalog");
    r[2].status = VP_PUSH_DUPLICATE;
    js = vp_push_answer_to_json(&a);
    CHECK(vp_push_answer_from_json(js, &b, NULL));
    CHECK_INT_EQ(b.n, 3);
    for (int i = 0; i < 3; i++) {
        CHECK_STR_EQ(b.results[i].id, r[i].id);
        CHECK_INT_EQ(b.results[i].status, r[i].status);
    }
    CHECK_STR_EQ(b.results[1].reason, "signals: names a code that is not in the catalog");
    CHECK_STR_EQ(b.results[0].reason, "");
    CHECK_INT_EQ(b.server_time_ms, 1763900000123);
    CHECK_STR_EQ(b.server_epoch, EPOCH);
    vp_push_answer_release(&b);
    json_decref(js);
}

static void test_reason_is_made_valid_text_at_a_character_boundary(void)
{
    struct vp_push_result r;
    char long_euro[4 * 210 + 1] = "";
    /* a broken sequence and a control character become '?' */
    vp_push_result_set_reason(&r, "caf\xc3 \xe2\x82\xac\x01ok");
    CHECK_STR_EQ(r.reason, "caf? \xe2\x82\xac?ok");
    /* 210 euro signs are cut to 200 whole characters, never half of one */
    for (int i = 0; i < 210; i++)
        vp_strlcpy(long_euro + strlen(long_euro), "\xe2\x82\xac",
                   sizeof(long_euro) - strlen(long_euro));
    vp_push_result_set_reason(&r, long_euro);
    CHECK_INT_EQ(strlen(r.reason), 3 * VP_REASON_MAX_CHARS);
    CHECK(vp_utf8_valid_text(r.reason, strlen(r.reason)));
    vp_push_result_set_reason(&r, NULL);
    CHECK_STR_EQ(r.reason, "");
}

static void test_unknown_status_is_read_as_not_known(void)
{
    struct vp_push_answer a;
    json_t *js = parse("{\"results\":[{\"id\":\"0190a0b0-0000-7000-8000-000000000001\","
                       "\"status\":\"later\"}],\"server_epoch\":\"" EPOCH "\"}");
    CHECK(vp_push_answer_from_json(js, &a, NULL));
    CHECK_INT_EQ(a.n, 1);
    CHECK_INT_EQ(a.results[0].status, VP_PUSH_STATUS_COUNT);
    vp_push_answer_release(&a);
    json_decref(js);
}

static void test_push_answer_that_is_not_one_is_refused(void)
{
    static const char *const bad[] = {
        "[]",
        "{\"server_epoch\":\"" EPOCH "\"}",
        "{\"results\":{},\"server_epoch\":\"" EPOCH "\"}",
        "{\"results\":[],\"server_epoch\":\"\"}",
        "{\"results\":[{\"id\":\"nope\",\"status\":\"stored\"}],\"server_epoch\":\"" EPOCH "\"}",
        "{\"results\":[{\"status\":\"stored\"}],\"server_epoch\":\"" EPOCH "\"}",
        "{\"results\":[7],\"server_epoch\":\"" EPOCH "\"}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct vp_push_answer a;
        struct vp_json_err err;
        json_t *js = parse(bad[i]);
        memset(&err, 0, sizeof(err));
        CHECK(!vp_push_answer_from_json(js, &a, &err));
        CHECK(err.message[0] != '\0');
        CHECK(a.results == NULL);
        json_decref(js);
    }
}

static void test_pull_request_round_trip_with_heartbeat(void)
{
    struct vp_pull_request a = { "e1:42:7",
                                 300,
                                 true,
                                 { "0.2.0", 3, 2, 1763900000000, 1, 1763900100000, 1763800000000,
                                   812, 1763900200000 } },
                           b;
    json_t *js = vp_pull_request_to_json(&a);
    CHECK(vp_pull_request_from_json(js, &b, NULL));
    CHECK_STR_EQ(b.since, "e1:42:7");
    CHECK_INT_EQ(b.limit, 300);
    CHECK(b.has_heartbeat);
    CHECK_STR_EQ(b.heartbeat.app_version, "0.2.0");
    CHECK_INT_EQ(b.heartbeat.catalog_version, 3);
    CHECK_INT_EQ(b.heartbeat.pending_signals, 2);
    CHECK_INT_EQ(b.heartbeat.oldest_pending_ms, 1763900000000);
    CHECK_INT_EQ(b.heartbeat.quarantined, 1);
    CHECK_INT_EQ(b.heartbeat.last_attempt_ms, 1763900100000);
    CHECK_INT_EQ(b.heartbeat.last_success_ms, 1763800000000);
    CHECK_INT_EQ(b.heartbeat.disk_free_mb, 812);
    CHECK_INT_EQ(b.heartbeat.device_time_ms, 1763900200000);
    json_decref(js);
}

static void test_pull_request_defaults_and_refusals(void)
{
    static const char *const bad[] = {
        "{\"since\":\"a b\"}",     /* a space: not a cursor */
        "{\"since\":\"\\u00e9\"}", /* not ASCII */
        "{\"since\":7}",           /* not a string */
        "{\"limit\":0}",           /* out of range */
        "{\"limit\":1001}",
        "{\"sinse\":\"\"}",   /* unknown key */
        "{\"heartbeat\":{}}", /* heartbeat without its fields */
        /* a negative count */
        ("{\"heartbeat\":{\"app_version\":\"1\",\"catalog_version\":1,\"pending_signals\":-1,"
         "\"quarantined\":0,\"device_time\":\"2026-11-23T10:00:00.000Z\"}}"),
        "[]",
    };
    struct vp_pull_request r;
    json_t *js = parse("{}");
    CHECK(vp_pull_request_from_json(js, &r, NULL));
    CHECK_STR_EQ(r.since, "");
    CHECK_INT_EQ(r.limit, 500);
    CHECK(!r.has_heartbeat);
    json_decref(js);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        js = parse(bad[i]);
        if (vp_pull_request_from_json(js, &r, NULL))
            VP_TEST_FAIL_("accepted: %s", bad[i]);
        json_decref(js);
    }
}

static void test_pull_page_writes_next_only_for_a_decimal_cursor(void)
{
    struct vp_pull_meta m = { "120", true, EPOCH, 1763900000000 }, back;
    struct vp_buf out = VP_BUF_INIT;
    json_t *js, *changes;
    vp_pull_page_write(&out, "[]", 2, &m);
    js = parse(out.data);
    CHECK_INT_EQ(json_integer_value(json_object_get(js, "next")), 120);
    CHECK(vp_pull_page_from_json(js, &back, &changes, NULL));
    CHECK_STR_EQ(back.cursor, "120");
    CHECK(back.more);
    json_decref(js);
    vp_buf_release(&out);
    /* an opaque cursor (a later backend's) has no integer twin */
    vp_strlcpy(m.cursor, "e1:\"q\\", sizeof(m.cursor));
    vp_pull_page_write(&out, "[]", 2, &m);
    js = parse(out.data);
    CHECK(json_object_get(js, "next") == NULL);
    CHECK(vp_pull_page_from_json(js, &back, &changes, NULL));
    CHECK_STR_EQ(back.cursor, "e1:\"q\\");
    json_decref(js);
    vp_buf_release(&out);
}

static void test_pull_page_of_protocol_1_is_read(void)
{
    struct vp_pull_meta m;
    json_t *changes, *js = parse("{\"changes\":[{}],\"next\":77,\"more\":false,"
                                 "\"server_epoch\":\"E1\"}");
    CHECK(vp_pull_page_from_json(js, &m, &changes, NULL));
    CHECK_STR_EQ(m.cursor, "77");
    CHECK(!m.more);
    CHECK_STR_EQ(m.server_epoch, "E1");
    CHECK_INT_EQ(json_array_size(changes), 1);
    json_decref(js);
    /* without any cursor it is not a page */
    js = parse("{\"changes\":[],\"more\":false,\"server_epoch\":\"E1\"}");
    CHECK(!vp_pull_page_from_json(js, &m, &changes, NULL));
    json_decref(js);
}

int main(void)
{
    vp_core_init();
    VP_TEST(test_push_answer_round_trip_keeps_every_result_in_order);
    VP_TEST(test_reason_is_made_valid_text_at_a_character_boundary);
    VP_TEST(test_unknown_status_is_read_as_not_known);
    VP_TEST(test_push_answer_that_is_not_one_is_refused);
    VP_TEST(test_pull_request_round_trip_with_heartbeat);
    VP_TEST(test_pull_request_defaults_and_refusals);
    VP_TEST(test_pull_page_writes_next_only_for_a_decimal_cursor);
    VP_TEST(test_pull_page_of_protocol_1_is_read);
    return vp_test_done();
}
