#include "vp_core.h"
#include "vp_test.h"
#include "vp_wire.h"

static struct vp_catalog cat;

static void sample_observation(struct vp_record *rec)
{
    struct vp_uuid7 gen = { 0, 0 };
    memset(rec, 0, sizeof(*rec));
    rec->type = VP_REC_OBSERVATION;
    vp_uuid7_next(&gen, 1763900000000, rec->u.obs.id);
    vp_uuid4(rec->u.obs.child_id);
    vp_uuid4(rec->u.obs.staff_id);
    rec->u.obs.nsignals = 2;
    memcpy(rec->u.obs.signals[0], "TAAL-02", 8);
    memcpy(rec->u.obs.signals[1], "TAAL-06", 8);
    rec->u.obs.level = 2;
    rec->u.obs.frequency = VP_FREQ_OFTEN;
    rec->u.obs.situation = VP_SIT_PLAY;
    memcpy(rec->u.obs.note, "Wijst naar de beker", 20);
    rec->u.obs.parents_informed = true;
    rec->u.obs.consultation = VP_CONSULT_ANONYMOUS;
    rec->u.obs.device_time_ms = 1763900000123;
    rec->u.obs.catalog_version = 1;
}

/* Parses text as a record; returns the validation result. */
static bool parse_text(const char *text, struct vp_record *out, struct vp_json_err *err)
{
    json_t *js = NULL;
    bool ok;
    memset(err, 0, sizeof(*err));
    if (vp_json_parse(text, strlen(text), &js, err))
        return false;
    ok = vp_record_from_json(js, &cat, out, err);
    json_decref(js);
    return ok;
}

static void test_observation_round_trips_through_json(void)
{
    struct vp_record rec, back;
    struct vp_json_err err = { "", "" };
    json_t *js;
    sample_observation(&rec);
    js = vp_record_to_json(&rec);
    CHECK(vp_record_from_json(js, &cat, &back, &err));
    json_decref(js);
    CHECK_STR_EQ(back.u.obs.id, rec.u.obs.id);
    CHECK_INT_EQ(back.u.obs.nsignals, 2);
    CHECK_STR_EQ(back.u.obs.signals[1], "TAAL-06");
    CHECK_INT_EQ(back.u.obs.level, 2);
    CHECK_INT_EQ(back.u.obs.frequency, VP_FREQ_OFTEN);
    CHECK_INT_EQ(back.u.obs.situation, VP_SIT_PLAY);
    CHECK_STR_EQ(back.u.obs.note, "Wijst naar de beker");
    CHECK_INT_EQ(back.u.obs.consultation, VP_CONSULT_ANONYMOUS);
    CHECK_INT_EQ(back.u.obs.device_time_ms, 1763900000123);
}

/* Each mutation of a valid record must be refused, naming the field. */
static void test_invalid_observations_are_rejected_with_a_reason(void)
{
    struct {
        const char *key;
        const char *json_value; /* NULL = delete the key */
        const char *field;
    } cases[] = {
        { "level", "4", "level" },
        { "level", "\"2\"", "level" },
        { "signals", "[]", "signals" },
        { "signals", "[\"TAAL-99\"]", "signals" },
        { "signals", "[\"TAAL-02\",\"TAAL-02\"]", "signals" },
        { "signals", "[\"A\",\"B\",\"C\",\"D\",\"E\",\"F\",\"G\",\"H\",\"I\"]", "signals" },
        { "consultation", "\"named\"", "consultation" },  /* no consent */
        { "birth_date", "\"2023-01-01\"", "birth_date" }, /* unknown field: privacy */
        { "child_id", "\"not-a-uuid\"", "child_id" },
        { "device_time", "\"yesterday\"", "device_time" },
        { "device_time", NULL, "device_time" },
        { "frequency", "\"sometimes\"", "frequency" },
        { "note", "\"a\\u0007b\"", "note" },  /* control characters */
        { "retracted", "true", "retracted" }, /* a retraction must name what it undoes */
        { "signal_id", "\"not-a-uuid\"", "signal_id" },
        /* a first record is its own signal */
        { "signal_id", "\"0190a1b2-0000-7000-8000-0000000000ff\"", "signal_id" },
        { "note", "\"eet {alleen} crackers\"", "note" }, /* braces only in tokens */
        { "note", "\"{child:0190A1B2-0000-4000-8000-000000000001}\"", "note" }, /* upper case */
        { "note", "\"{child:}\"", "note" },
        { "note", "\"{child:0190a1b2-0000-4000-8000-00000000001}\"", "note" }, /* short */
    };
    struct vp_record rec, out;
    struct vp_json_err err;
    sample_observation(&rec);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *js = vp_record_to_json(&rec);
        char *text;
        if (cases[i].json_value)
            json_object_set_new(
                js, cases[i].key,
                json_loads(cases[i].json_value, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL));
        else
            json_object_del(js, cases[i].key);
        text = vp_json_dump(js);
        json_decref(js);
        if (parse_text(text, &out, &err))
            VP_TEST_FAIL_("accepted %s = %s", cases[i].key, cases[i].json_value);
        if (strcmp(err.field, cases[i].field) != 0)
            VP_TEST_FAIL_("%s: error names field '%s' (%s)", cases[i].key, err.field, err.message);
        free(text);
    }
}

#define TOKEN "{child:0190a1b2-0000-4000-8000-000000000001}"

static void test_signal_id_travels_and_may_be_missing(void)
{
    struct vp_record rec, out, corr;
    struct vp_json_err err;
    struct vp_uuid7 gen = { 0, 0 };
    json_t *js;
    sample_observation(&rec);
    vp_strlcpy(rec.u.obs.signal_id, rec.u.obs.id, VP_UUID_LEN);
    js = vp_record_to_json(&rec);
    CHECK_STR_EQ(json_string_value(json_object_get(js, "signal_id")), rec.u.obs.id);
    CHECK(vp_record_from_json(js, &cat, &out, &err));
    CHECK_STR_EQ(out.u.obs.signal_id, rec.u.obs.id);
    json_object_del(js, "signal_id"); /* an older tablet: the centre derives it */
    CHECK(vp_record_from_json(js, &cat, &out, &err));
    CHECK_STR_EQ(out.u.obs.signal_id, "");
    json_decref(js);
    /* a correction names the first record of its chain, never itself */
    corr = rec;
    vp_uuid7_next(&gen, 1763900000999, corr.u.obs.id);
    vp_strlcpy(corr.u.obs.corrects, rec.u.obs.id, VP_UUID_LEN);
    js = vp_record_to_json(&corr);
    CHECK(vp_record_from_json(js, &cat, &out, &err));
    CHECK_STR_EQ(out.u.obs.signal_id, rec.u.obs.id);
    json_object_set_new(js, "signal_id", json_string(corr.u.obs.id));
    memset(&err, 0, sizeof(err));
    CHECK(!vp_record_from_json(js, &cat, &out, &err));
    if (strcmp(err.field, "signal_id") != 0)
        VP_TEST_FAIL_("error names '%s' (%s)", err.field, err.message);
    json_decref(js);
}

static void test_note_counts_each_child_token_as_one_character(void)
{
    struct vp_buf b = VP_BUF_INIT;
    const char *why = NULL;
    for (int i = 0; i < VP_NOTE_MAX_TOKENS; i++)
        vp_buf_adds(&b, TOKEN);
    for (int i = 0; i < VP_NOTE_MAX_CHARS - VP_NOTE_MAX_TOKENS - 1; i++)
        vp_buf_adds(&b, "\xE2\x82\xAC"); /* € */
    vp_buf_adds(&b, "\xF0\x9F\x98\x80"); /* an emoji is one character too */
    CHECK_INT_EQ(vp_note_length(b.data), VP_NOTE_MAX_CHARS);
    CHECK(b.len < VP_NOTE_BYTES);
    CHECK(vp_note_valid(b.data, &why));
    vp_buf_adds(&b, "e");
    CHECK(!vp_note_valid(b.data, &why));
    CHECK_STR_EQ(why, "is too long");
    vp_buf_release(&b);
    for (int i = 0; i <= VP_NOTE_MAX_TOKENS; i++)
        vp_buf_adds(&b, TOKEN " ");
    CHECK(!vp_note_valid(b.data, &why)); /* 17 children */
    CHECK_STR_EQ(why, "names more than 16 children");
    vp_buf_release(&b);
}

static void test_note_braces_are_only_allowed_in_child_tokens(void)
{
    CHECK(vp_note_valid("Zo\xC3\xAB en " TOKEN " spelen (samen)", NULL));
    CHECK(!vp_note_valid("{", NULL));
    CHECK(!vp_note_valid("}", NULL));
    CHECK(!vp_note_valid(TOKEN "}", NULL));
    CHECK(!vp_note_valid("{child:0190a1b2-0000-4000-8000-000000000001", NULL));
    CHECK(!vp_note_valid("{Child:0190a1b2-0000-4000-8000-000000000001}", NULL));
    CHECK(!vp_note_valid("a\xFF", NULL)); /* invalid UTF-8 */
    CHECK_INT_EQ(vp_note_token_at(TOKEN " eet", NULL), VP_NOTE_TOKEN_BYTES);
    CHECK_INT_EQ(vp_note_token_at("x" TOKEN, NULL), 0);
}

static void name_of(void *ctx, const char *child_id, struct vp_buf *out)
{
    vp_buf_addf(out, "[%s:%s]", (const char *)ctx, child_id + 32);
}

static void test_note_render_replaces_each_token(void)
{
    struct vp_buf b = VP_BUF_INIT;
    vp_note_render(TOKEN " eet, " TOKEN "!", name_of, "K", &b);
    CHECK_STR_EQ(b.data, "[K:0001] eet, [K:0001]!");
    vp_buf_release(&b);
    vp_note_render("geen namen \xF0\x9F\x98\x80", name_of, "K", &b);
    CHECK_STR_EQ(b.data, "geen namen \xF0\x9F\x98\x80");
    vp_buf_release(&b);
}

static void test_named_consultation_needs_confirmed_consent(void)
{
    struct vp_record rec, out;
    struct vp_json_err err;
    json_t *js;
    sample_observation(&rec);
    rec.u.obs.consultation = VP_CONSULT_NAMED;
    rec.u.obs.consent_confirmed = true;
    js = vp_record_to_json(&rec);
    CHECK(vp_record_from_json(js, &cat, &out, &err));
    json_decref(js);
    CHECK_INT_EQ(out.u.obs.consultation, VP_CONSULT_NAMED);
}

static void test_unknown_record_type_is_rejected(void)
{
    struct vp_record out;
    struct vp_json_err err;
    CHECK(!parse_text("{\"type\":\"diagnosis\",\"id\":\"x\"}", &out, &err));
    CHECK_STR_EQ(err.field, "type");
    CHECK(!parse_text("[1,2]", &out, &err));
}

static void test_staff_record_refuses_a_plain_pin(void)
{
    struct vp_record out;
    struct vp_json_err err;
    CHECK(!parse_text("{\"type\":\"staff\",\"id\":\"0190a0b0-0000-7000-8000-000000000001\","
                      "\"staff_id\":\"0190a0b0-0000-4000-8000-000000000002\","
                      "\"display_name\":\"Ilse\",\"role\":\"pm\",\"pin_hash\":\"1234\","
                      "\"device_time\":\"2026-11-23T10:00:00.000Z\"}",
                      &out, &err));
    CHECK_STR_EQ(err.field, "pin_hash");
}

static bool parse_child(const char *birth_month, const char *pseudonym, struct vp_record *out,
                        struct vp_json_err *err)
{
    json_t *js = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "type", "child", "id",
        "0190a0b0-0000-7000-8000-000000000001", "child_id", "0190a0b0-0000-4000-8000-000000000002",
        "group_id", "0190a0b0-0000-4000-8000-000000000003", "first_name", "Zoë", "birth_month",
        birth_month, "pseudonym", pseudonym, "device_time", "2026-11-23T10:00:00.000Z");
    bool ok;
    memset(err, 0, sizeof(*err));
    ok = vp_record_from_json(js, &cat, out, err);
    json_decref(js);
    return ok;
}

static void test_child_record_validates_birth_month_and_pseudonym(void)
{
    struct vp_record out;
    struct vp_json_err err;
    CHECK(parse_child("2024-03", "K-7F3A", &out, &err));
    CHECK_STR_EQ(out.u.child.first_name, "Zoë");
    CHECK(!parse_child("2024-13", "K-7F3A", &out, &err));
    CHECK_STR_EQ(err.field, "birth_month");
    CHECK(!parse_child("2024-03", "k 7f3a", &out, &err));
    CHECK_STR_EQ(err.field, "pseudonym");
}

/* Same content in a different key order has the same hash; any change differs. */
static void test_record_hash_compares_content(void)
{
    struct vp_record rec;
    char h1[VP_HASH_HEX_LEN], h2[VP_HASH_HEX_LEN], h3[VP_HASH_HEX_LEN];
    json_t *a, *b;
    char *text;
    sample_observation(&rec);
    a = vp_record_to_json(&rec);
    text = json_dumps(a, JSON_SORT_KEYS | JSON_INDENT(2));
    b = json_loads(text, 0, NULL);
    free(text);
    vp_record_hash(a, h1);
    vp_record_hash(b, h2);
    CHECK_STR_EQ(h1, h2);
    json_object_set_new(b, "level", json_integer(3));
    vp_record_hash(b, h3);
    CHECK(strcmp(h1, h3) != 0);
    json_decref(a);
    json_decref(b);
}

static void test_changes_round_trip(void)
{
    struct vp_change c, back;
    struct vp_json_err err = { "", "" };
    json_t *js;
    memset(&c, 0, sizeof(c));
    c.seq = 42;
    c.type = VP_CHG_CASE;
    vp_uuid4(c.u.kase.child_id);
    c.u.kase.status = VP_CASE_FOLLOW_UP;
    memcpy(c.u.kase.next_action, "Oudergesprek", 13);
    memcpy(c.u.kase.next_action_due, "2026-12-01", 11);
    js = vp_change_to_json(&c);
    CHECK(vp_change_from_json(js, &back, &err));
    json_decref(js);
    CHECK_INT_EQ(back.seq, 42);
    CHECK_INT_EQ(back.u.kase.status, VP_CASE_FOLLOW_UP);
    CHECK_STR_EQ(back.u.kase.next_action_due, "2026-12-01");

    memset(&c, 0, sizeof(c));
    c.seq = 43;
    c.type = VP_CHG_CATALOG;
    c.u.catalog.version = 1;
    c.u.catalog.json = (char *)vp_catalog_default_json(NULL);
    js = vp_change_to_json(&c);
    CHECK(vp_change_from_json(js, &back, &err));
    json_decref(js);
    CHECK_INT_EQ(back.u.catalog.version, 1);
    CHECK(back.u.catalog.json != NULL);
    vp_change_release(&back);
}

static void test_device_name_change_round_trips_and_is_strict(void)
{
    struct vp_change c, back;
    struct vp_json_err err = { "", "" };
    json_t *js;
    memset(&c, 0, sizeof(c));
    c.seq = 7;
    c.type = VP_CHG_DEVICE;
    vp_uuid4(c.u.device.device_id);
    vp_strlcpy(c.u.device.name, "Tablet Zo\xc3\xab's groep", sizeof(c.u.device.name));
    js = vp_change_to_json(&c);
    CHECK(vp_change_from_json(js, &back, &err));
    CHECK_STR_EQ(back.u.device.device_id, c.u.device.device_id);
    CHECK_STR_EQ(back.u.device.name, "Tablet Zo\xc3\xab's groep");
    /* nothing else rides along, and a name has a length */
    json_object_set_new(js, "location_id", json_string(c.u.device.device_id));
    CHECK(!vp_change_from_json(js, &back, NULL));
    json_object_del(js, "location_id");
    json_object_set_new(js, "name", json_string("0123456789012345678901234567890123456789X"));
    CHECK(!vp_change_from_json(js, &back, NULL));
    json_object_set_new(js, "name", json_string(""));
    CHECK(!vp_change_from_json(js, &back, NULL));
    json_decref(js);
}

int main(void)
{
    if (vp_core_init() || vp_catalog_load_default(&cat))
        return 1;
    VP_TEST(test_observation_round_trips_through_json);
    VP_TEST(test_invalid_observations_are_rejected_with_a_reason);
    VP_TEST(test_named_consultation_needs_confirmed_consent);
    VP_TEST(test_signal_id_travels_and_may_be_missing);
    VP_TEST(test_note_counts_each_child_token_as_one_character);
    VP_TEST(test_note_braces_are_only_allowed_in_child_tokens);
    VP_TEST(test_note_render_replaces_each_token);
    VP_TEST(test_unknown_record_type_is_rejected);
    VP_TEST(test_staff_record_refuses_a_plain_pin);
    VP_TEST(test_child_record_validates_birth_month_and_pseudonym);
    VP_TEST(test_record_hash_compares_content);
    VP_TEST(test_changes_round_trip);
    VP_TEST(test_device_name_change_round_trips_and_is_strict);
    vp_catalog_release(&cat);
    return vp_test_done();
}
