#include "vp_catalog.h"
#include "vp_core.h"
#include "vp_test.h"

static void test_time_format_and_parse_round_trip(void)
{
    char t[VP_TIME_LEN];
    int64_t ms = 0;
    vp_time_format(1763907348123, t);
    CHECK_STR_EQ(t, "2025-11-23T14:15:48.123Z");
    CHECK_OK(vp_time_parse(t, &ms));
    CHECK_INT_EQ(ms, 1763907348123);
    CHECK_OK(vp_time_parse("2025-11-23T15:15:48+01:00", &ms));
    CHECK_INT_EQ(ms, 1763907348000);
    vp_time_format(-1, t); /* before the epoch: still well-formed */
    CHECK_STR_EQ(t, "1969-12-31T23:59:59.999Z");
}

static void test_time_parse_rejects_malformed(void)
{
    int64_t ms = 42;
    const char *bad[] = { "",
                          "2025-11-23",
                          "2025-13-01T00:00:00Z",
                          "2025-02-30T00:00:00Z",
                          "2025-11-23T24:00:00Z",
                          "2025-11-23T10:00:00",
                          "2025-11-23T10:00:00Zjunk",
                          "2025-11-23T10:00:00.Z",
                          "2025-11-23 10:00:00Z",
                          NULL };
    for (int i = 0; bad[i]; i++) {
        CHECK_ERR(vp_time_parse(bad[i], &ms), VP_ERR_INVALID);
        CHECK_INT_EQ(ms, 42);
    }
}

static void test_age_in_months(void)
{
    int64_t ms = 0;
    CHECK_OK(vp_time_parse("2026-11-23T10:00:00Z", &ms));
    CHECK_INT_EQ(vp_age_months("2024-07", ms), 28);
    CHECK_INT_EQ(vp_age_months("2026-11", ms), 0);
    CHECK_INT_EQ(vp_age_months("2026-12", ms), 0);
    CHECK_INT_EQ(vp_age_months("2024-13", ms), -1);
    CHECK_INT_EQ(vp_age_months("24-07", ms), -1);
}

static void test_virtual_time_moves_both_clocks(void)
{
    int64_t wall = vp_now_ms(), mono = vp_mono_ms();
    vp_time_advance(90000);
    CHECK(vp_now_ms() - wall >= 90000);
    CHECK(vp_mono_ms() - mono >= 90000);
    vp_time_advance(-90000);
}

static void test_parse_i64_is_strict(void)
{
    int64_t v = 7;
    CHECK(vp_parse_i64("123", 0, 1000, &v) && v == 123);
    CHECK(vp_parse_i64("-5", -10, 10, &v) && v == -5);
    v = 7;
    CHECK(!vp_parse_i64("12x", 0, 1000, &v));
    CHECK(!vp_parse_i64("", 0, 1000, &v));
    CHECK(!vp_parse_i64(" 1", 0, 1000, &v));
    CHECK(!vp_parse_i64("1001", 0, 1000, &v));
    CHECK(!vp_parse_i64("99999999999999999999", 0, INT64_MAX, &v));
    CHECK_INT_EQ(v, 7);
}

static void test_utf8_validation(void)
{
    CHECK(vp_utf8_valid_text("Zoë en Anaïs", strlen("Zoë en Anaïs")));
    CHECK(!vp_utf8_valid_text("a\x01"
                              "b",
                              3));
    CHECK(!vp_utf8_valid_text("\xc3", 1));         /* truncated */
    CHECK(!vp_utf8_valid_text("\xc0\xaf", 2));     /* overlong */
    CHECK(!vp_utf8_valid_text("\xed\xa0\x80", 3)); /* surrogate */
    CHECK_INT_EQ(vp_utf8_length("Zoë"), 3);
    CHECK_INT_EQ(vp_utf8_last_char_len("Zoë", strlen("Zoë")), 2);
}

static void test_buf_grows_and_formats(void)
{
    struct vp_buf b = VP_BUF_INIT;
    CHECK_STR_EQ(b.data, "");
    for (int i = 0; i < 1000; i++)
        vp_buf_addf(&b, "%d,", i % 10);
    CHECK_INT_EQ(b.len, 2000);
    CHECK_INT_EQ(b.data[b.len], '\0');
    vp_buf_reset(&b);
    vp_buf_adds(&b, "klaar");
    CHECK_STR_EQ(b.data, "klaar");
    vp_buf_release(&b);
    CHECK_STR_EQ(b.data, "");
}

static void test_strlcpy_truncates_safely(void)
{
    char small[4];
    CHECK_INT_EQ(vp_strlcpy(small, "Grabbelton", sizeof(small)), 10);
    CHECK_STR_EQ(small, "Gra");
}

static void test_json_rejects_duplicate_keys_and_wrong_types(void)
{
    struct vp_json_err err = { "", "" };
    json_t *js = NULL;
    const char *s = NULL;
    int64_t i = 0;
    CHECK_ERR(vp_json_parse("{\"a\":1,\"a\":2}", 13, &js, &err), VP_ERR_INVALID);
    CHECK(err.message[0] != '\0');
    memset(&err, 0, sizeof(err));
    CHECK_OK(vp_json_parse("{\"a\":\"x\",\"n\":5}", 15, &js, &err));
    CHECK(!vp_json_get_int(js, "a", true, 0, 10, &i, &err));
    CHECK_STR_EQ(err.field, "a");
    memset(&err, 0, sizeof(err));
    CHECK(!vp_json_get_str(js, "n", true, 10, &s, &err));
    CHECK(!vp_json_get_int(js, "missing", true, 0, 10, &i, &err));
    CHECK(vp_json_get_int(js, "n", true, 0, 10, &i, NULL) && i == 5);
    CHECK(!vp_json_get_int(js, "n", true, 0, 4, &i, NULL));
    json_decref(js);
}

static void test_json_canonical_sorts_keys(void)
{
    json_t *a = json_pack("{s:i,s:s}", "b", 1, "a", "x");
    json_t *b = json_pack("{s:s,s:i}", "a", "x", "b", 1);
    char *ca = vp_json_canonical(a), *cb = vp_json_canonical(b);
    CHECK_STR_EQ(ca, "{\"a\":\"x\",\"b\":1}");
    CHECK_STR_EQ(ca, cb);
    free(ca);
    free(cb);
    json_decref(a);
    json_decref(b);
}

/* Every key exists in both languages, so English never silently shows Dutch. */
static void test_translations_have_the_same_keys(void)
{
    int nl = vp_i18n_count(VP_LANG_NL), en = vp_i18n_count(VP_LANG_EN);
    for (int i = 0, j = 0; i < nl || j < en;) {
        const char *a = vp_i18n_key_at(VP_LANG_NL, i), *b = vp_i18n_key_at(VP_LANG_EN, j);
        int c = !a ? 1 : !b ? -1 : strcmp(a, b);
        if (c < 0)
            VP_TEST_FAIL_("key %s is in nl but not in en", a);
        if (c > 0)
            VP_TEST_FAIL_("key %s is in en but not in nl", b);
        i++;
        j++;
    }
    CHECK(nl > 10);
}

static void test_i18n_placeholders_plurals_and_fallback(void)
{
    struct vp_buf b = VP_BUF_INIT;
    vp_i18n_set_lang(VP_LANG_NL);
    CHECK_STR_EQ(vp_tr("level.3"), "Grote zorg");
    vp_i18n_set_lang(VP_LANG_EN);
    CHECK_STR_EQ(vp_tr("level.3"), "Serious concern");
    CHECK_STR_EQ(vp_tr("no.such.key"), "no.such.key");
    vp_i18n_set_lang(VP_LANG_NL);
    vp_tr_fill(&b, "{n} signalen voor {naam}", "n", "3", "naam", "Daan", NULL);
    CHECK_STR_EQ(b.data, "3 signalen voor Daan");
    vp_buf_release(&b);
    CHECK_STR_EQ(
        vp_result_message(VP_ERR_FULL),
        "De opslag is vol. Er is niets veranderd; maak ruimte vrij en probeer het opnieuw.");
}

static void test_default_catalog_has_58_signals_in_8_domains(void)
{
    struct vp_catalog cat;
    const char *red[] = { "TAAL-08", "WEL-03", "ZIN-01", "MOT-02" };
    size_t nred = 0;
    const struct vp_domain *dom = NULL;
    CHECK_OK(vp_catalog_load_default(&cat));
    CHECK_INT_EQ(cat.ndomains, 8);
    CHECK_INT_EQ(vp_catalog_signal_count(&cat), 58);
    for (size_t d = 0; d < cat.ndomains; d++)
        for (size_t s = 0; s < cat.domains[d].nsignals; s++)
            nred += cat.domains[d].signals[s].red_flag;
    CHECK_INT_EQ(nred, 4);
    for (int i = 0; i < 4; i++) {
        const struct vp_signal *sig = vp_catalog_find(&cat, red[i], NULL);
        CHECK(sig && sig->red_flag);
    }
    CHECK_STR_EQ(vp_catalog_find(&cat, "TAAL-02", &dom)->label[VP_LANG_NL],
                 "Zegt (bijna) geen woordjes");
    CHECK_STR_EQ(dom->code, "TAAL");
    CHECK_STR_EQ(vp_catalog_find(&cat, "WEL-07", NULL)->label[VP_LANG_EN],
                 "Going well (a strength)");
    CHECK(vp_catalog_find(&cat, "TAAL-99", NULL) == NULL);
    vp_catalog_release(&cat);
}

static void test_catalog_rejects_bad_codes_and_duplicates(void)
{
    struct vp_catalog cat;
    const char *dup = "{\"version\":2,\"domains\":[{\"code\":\"TAAL\",\"nl\":\"T\",\"en\":\"L\","
                      "\"signals\":[{\"code\":\"TAAL-01\",\"nl\":\"a\",\"en\":\"a\"},"
                      "{\"code\":\"TAAL-01\",\"nl\":\"b\",\"en\":\"b\"}]}]}";
    const char *wrong = "{\"version\":2,\"domains\":[{\"code\":\"TAAL\",\"nl\":\"T\",\"en\":\"L\","
                        "\"signals\":[{\"code\":\"SOC-01\",\"nl\":\"a\",\"en\":\"a\"}]}]}";
    const char *ok = "{\"version\":2,\"domains\":[{\"code\":\"TAAL\",\"nl\":\"T\",\"en\":\"L\","
                     "\"signals\":[{\"code\":\"TAAL-01\",\"nl\":\"a\",\"en\":\"a\"}]}]}";
    CHECK_ERR(vp_catalog_parse(dup, strlen(dup), &cat, NULL), VP_ERR_INVALID);
    CHECK_ERR(vp_catalog_parse(wrong, strlen(wrong), &cat, NULL), VP_ERR_INVALID);
    CHECK_OK(vp_catalog_parse(ok, strlen(ok), &cat, NULL));
    CHECK_INT_EQ(cat.version, 2);
    vp_catalog_release(&cat);
}

int main(void)
{
    VP_TEST(test_time_format_and_parse_round_trip);
    VP_TEST(test_time_parse_rejects_malformed);
    VP_TEST(test_age_in_months);
    VP_TEST(test_virtual_time_moves_both_clocks);
    VP_TEST(test_parse_i64_is_strict);
    VP_TEST(test_utf8_validation);
    VP_TEST(test_buf_grows_and_formats);
    VP_TEST(test_strlcpy_truncates_safely);
    VP_TEST(test_json_rejects_duplicate_keys_and_wrong_types);
    VP_TEST(test_json_canonical_sorts_keys);
    VP_TEST(test_translations_have_the_same_keys);
    VP_TEST(test_i18n_placeholders_plurals_and_fallback);
    VP_TEST(test_default_catalog_has_58_signals_in_8_domains);
    VP_TEST(test_catalog_rejects_bad_codes_and_duplicates);
    return vp_test_done();
}
