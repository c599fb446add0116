/*
 * test_text.c - text that people type never breaks: bounded copies cut
 * whole characters, JSON input with invalid UTF-8 is refused, an unknown
 * multibyte key is reported intact, and nothing about a value's content
 * makes the JSON writers abort. Issue 10, findings 1 and 8.
 */
#include "vp_test.h"
#include "vp_core.h"
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define E_ACUTE "\xc3\xa9"     /* é, 2 bytes */
#define EURO    "\xe2\x82\xac" /* €, 3 bytes */
#define EMOJI   "\xf0\x9f\x98\x80"

static bool valid(const char *s)
{
    return vp_utf8_valid_text(s, strlen(s));
}

/* A string of n copies of unit. Caller frees. */
static char *repeat(const char *unit, int n)
{
    struct vp_buf b = VP_BUF_INIT;
    for (int i = 0; i < n; i++)
        vp_buf_adds(&b, unit);
    return vp_buf_detach(&b, NULL);
}

static void test_strlcpy_never_splits_a_character(void)
{
    const char *units[] = { E_ACUTE, EURO, EMOJI, "a" EURO, NULL };
    for (int u = 0; units[u]; u++) {
        char *src = repeat(units[u], 30);
        for (size_t size = 1; size < 40; size++) {
            char dst[40];
            memset(dst, 'x', sizeof(dst));
            CHECK_INT_EQ(vp_strlcpy(dst, src, size), strlen(src));
            if (!valid(dst) || strlen(dst) >= size || strlen(dst) + 4 < size)
                VP_TEST_FAIL_("copy of %s into %zu bytes: \"%s\" (%zu bytes, valid %d)", units[u],
                              size, dst, strlen(dst), valid(dst));
            CHECK(!strncmp(dst, src, strlen(dst))); /* a prefix, whole characters */
        }
        free(src);
    }
    {
        char small[4];
        CHECK_INT_EQ(vp_strlcpy(small, "Zo" E_ACUTE, sizeof(small)), 4);
        CHECK_STR_EQ(small, "Zo"); /* not "Zo\xc3" */
    }
}

static void test_snprintf_never_ends_in_half_a_character(void)
{
    char out[8];
    CHECK_INT_EQ(vp_snprintf(out, sizeof(out), "%s", EURO EURO EURO), 9);
    CHECK_STR_EQ(out, EURO EURO); /* 6 bytes: the third € would need 9 */
    CHECK_INT_EQ(vp_snprintf(out, sizeof(out), "ab%s", EMOJI EMOJI), 10);
    CHECK_STR_EQ(out, "ab" EMOJI);
    CHECK_INT_EQ(vp_snprintf(out, sizeof(out), "%d-%s", 12, "abc"), 6);
    CHECK_STR_EQ(out, "12-abc");
    CHECK_INT_EQ(vp_snprintf(out, sizeof(out), "%s", "1234567890"), 10);
    CHECK_STR_EQ(out, "1234567");
}

static void test_shorten_counts_characters_and_ends_in_an_ellipsis(void)
{
    char *name = repeat(EURO, 80), *want = repeat(EURO, 39);
    char out[40 * 4 + 1];
    struct vp_buf w = VP_BUF_INIT;
    vp_utf8_shorten(out, sizeof(out), name, 40);
    vp_buf_adds(&w, want);
    vp_buf_adds(&w, "\xe2\x80\xa6"); /* … */
    CHECK_STR_EQ(out, w.data);
    CHECK_INT_EQ(vp_utf8_length(out), 40);
    vp_utf8_shorten(out, sizeof(out), "Anouk Verhoeven", 40);
    CHECK_STR_EQ(out, "Anouk Verhoeven");
    vp_utf8_shorten(out, sizeof(out), "abc", 3); /* exactly the limit: untouched */
    CHECK_STR_EQ(out, "abc");
    vp_utf8_shorten(out, sizeof(out), "abcd", 3);
    CHECK_STR_EQ(out, "ab\xe2\x80\xa6");
    vp_buf_release(&w);
    free(name);
    free(want);
}

static void test_scrub_makes_any_bytes_valid_text(void)
{
    char s[] = "ok \xc3 \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xff " EURO;
    vp_utf8_scrub(s);
    CHECK_STR_EQ(s, "ok ? ?? ??? ???? ? " EURO);
    CHECK(vp_utf8_valid_text(s, strlen(s)));
}

static void test_seq_len_refuses_overlong_surrogate_and_out_of_range(void)
{
    CHECK_INT_EQ(vp_utf8_seq_len("a", 1), 1);
    CHECK_INT_EQ(vp_utf8_seq_len(E_ACUTE, 2), 2);
    CHECK_INT_EQ(vp_utf8_seq_len(EURO, 3), 3);
    CHECK_INT_EQ(vp_utf8_seq_len(EMOJI, 4), 4);
    CHECK_INT_EQ(vp_utf8_seq_len(EURO, 2), 0);               /* truncated */
    CHECK_INT_EQ(vp_utf8_seq_len("\xc1\xbf", 2), 0);         /* overlong '\x7f' */
    CHECK_INT_EQ(vp_utf8_seq_len("\xe0\x80\xaf", 3), 0);     /* overlong '/' */
    CHECK_INT_EQ(vp_utf8_seq_len("\xf0\x80\x80\xaf", 4), 0); /* overlong '/' */
    CHECK_INT_EQ(vp_utf8_seq_len("\xed\xbf\xbf", 3), 0);     /* surrogate */
    CHECK_INT_EQ(vp_utf8_seq_len("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
    CHECK_INT_EQ(vp_utf8_seq_len("\x80", 1), 0);             /* a lone continuation */
}

/* jansson refuses these before any of our code sees them: keys and values. */
static void test_json_input_with_invalid_utf8_is_refused(void)
{
    const char *bad[] = {
        "{\"k\":\"\xc3\"}",
        "{\"\xc3\":1}", /* truncated */
        "{\"k\":\"\xc0\xaf\"}",
        "{\"\xc0\xaf\":1}", /* overlong */
        "{\"k\":\"\xe0\x80\xaf\"}",
        "{\"\xf0\x80\x80\xaf\":1}", /* overlong, longer */
        "{\"k\":\"\xed\xa0\x80\"}",
        "{\"\xed\xa0\x80\":1}", /* raw surrogate */
        "{\"k\":\"\\ud800\"}",
        "{\"\\udfff\":1}", /* escaped lone surrogate */
        "{\"k\":\"\xf4\x90\x80\x80\"}",
        "{\"k\":\"\xff\"}", /* out of range, never used */
        "{\"k\":\"a\\u0000b\"}",
        "{\"a\\u0000b\":1}", /* NUL */
        NULL,
    };
    for (int i = 0; bad[i]; i++) {
        struct vp_json_err err;
        json_t *js = NULL;
        memset(&err, 0, sizeof(err));
        if (vp_json_parse(bad[i], strlen(bad[i]), &js, &err) != VP_ERR_INVALID) {
            json_decref(js);
            VP_TEST_FAIL_("input %d was accepted", i);
        }
        CHECK(valid(err.message)); /* the error itself reads */
    }
}

static void test_unknown_multibyte_key_is_reported_whole(void)
{
    static const char *const keys[] = { "text", NULL };
    char *key = repeat(E_ACUTE, 40), *body;
    struct vp_buf b = VP_BUF_INIT;
    struct vp_json_err err;
    json_t *js = NULL, *answer;
    char *text;
    vp_buf_addf(&b, "{\"%s\":1}", key);
    body = b.data;
    memset(&err, 0, sizeof(err));
    CHECK_OK(vp_json_parse(body, strlen(body), &js, &err));
    CHECK(!vp_json_only_keys(js, keys, &err));
    /* 80 bytes of key in a 64-byte field: 31 whole "é", never half of one */
    CHECK(valid(err.field));
    CHECK_INT_EQ(strlen(err.field), 62);
    CHECK(!strncmp(err.field, key, 62));
    /* and an error body made from it can be encoded */
    answer = json_pack("{s:s,s:s}", "error", "invalid", "field", err.field);
    CHECK(answer != NULL);
    text = vp_json_dump(answer);
    CHECK(text != NULL);
    free(text);
    json_decref(answer);
    json_decref(js);
    vp_buf_release(&b);
    free(key);
}

static void test_dump_of_null_or_unencodable_value_returns_null(void)
{
    json_t *bad = json_stringn_nocheck("\xc3", 1), *obj = json_object();
    char *text;
    CHECK(vp_json_dump(NULL) == NULL);
    CHECK(vp_json_canonical(NULL) == NULL);
    CHECK(vp_json_dump(bad) == NULL);
    json_object_set_new(obj, "k", bad);
    CHECK(vp_json_dump(obj) == NULL);
    CHECK(vp_json_canonical(obj) == NULL);
    json_decref(obj);
    /* vp_json_text never fails on its content */
    obj = vp_json_text("half \xe2\x82 a euro");
    CHECK(obj != NULL);
    CHECK_STR_EQ(json_string_value(obj), "half ?? a euro");
    json_decref(obj);
    obj = vp_json_text(NULL);
    CHECK_STR_EQ(json_string_value(obj), "");
    json_decref(obj);
    obj = json_object();
    text = vp_json_dump(obj);
    CHECK_STR_EQ(text, "{}");
    free(text);
    json_decref(obj);
}

static void test_getters_count_characters_not_bytes(void)
{
    char *ok = repeat(EURO, 80), *long_ = repeat(EURO, 81);
    struct vp_buf b = VP_BUF_INIT;
    struct vp_json_err err;
    const char *s = NULL;
    json_t *js = NULL;
    vp_buf_addf(&b, "{\"ok\":\"%s\",\"long\":\"%s\"}", ok, long_);
    memset(&err, 0, sizeof(err));
    CHECK_OK(vp_json_parse(b.data, b.len, &js, &err));
    CHECK(vp_json_get_str(js, "ok", true, 80, &s, &err));
    CHECK_STR_EQ(s, ok);
    CHECK(!vp_json_get_str(js, "long", true, 80, &s, &err));
    CHECK_STR_EQ(err.field, "long");
    CHECK_STR_EQ(err.message, "is too long");
    json_decref(js);
    vp_buf_release(&b);
    free(ok);
    free(long_);
}

static void test_secret_is_made_once_with_mode_0600_and_kept(void)
{
    char *dir = vp_test_tempdir(), *path = vp_path_join(dir, "test.key");
    unsigned char a[32], b[32], zero[32] = { 0 };
    struct stat st;
    umask(022); /* even with a permissive umask */
    CHECK_OK(vp_secret_load(dir, "test.key", a));
    CHECK(memcmp(a, zero, 32) != 0);
    CHECK_INT_EQ(stat(path, &st), 0);
    CHECK_INT_EQ(st.st_mode & 0777, 0600);
    CHECK_INT_EQ(st.st_size, 32);
    CHECK_OK(vp_secret_load(dir, "test.key", b));
    CHECK(memcmp(a, b, 32) == 0);
    /* a damaged key file is an error, not silently a new key */
    {
        FILE *f = fopen(path, "ab");
        fputc('x', f);
        fclose(f);
    }
    CHECK_ERR(vp_secret_load(dir, "test.key", b), VP_ERR_CORRUPT);
    vp_test_rmtree(dir);
    free(path);
    free(dir);
}

/* Eight processes start at once on a fresh folder: they all get one key. */
static void test_secret_made_by_racing_processes_is_one_key(void)
{
    char *dir = vp_test_tempdir();
    unsigned char keys[8][32];
    int fds[8][2];
    pid_t pids[8];
    for (int i = 0; i < 8; i++) {
        CHECK_INT_EQ(pipe(fds[i]), 0);
        if ((pids[i] = fork()) == 0) {
            unsigned char k[32];
            close(fds[i][0]);
            _exit(vp_secret_load(dir, "race.key", k) == VP_OK && write(fds[i][1], k, 32) == 32 ? 0
                                                                                               : 1);
        }
        close(fds[i][1]);
    }
    for (int i = 0; i < 8; i++) {
        int status = -1;
        CHECK_INT_EQ(read(fds[i][0], keys[i], 32), 32);
        close(fds[i][0]);
        waitpid(pids[i], &status, 0);
        CHECK_INT_EQ(status, 0);
        CHECK(memcmp(keys[i], keys[0], 32) == 0);
    }
    vp_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    vp_core_init();
    VP_TEST(test_strlcpy_never_splits_a_character);
    VP_TEST(test_snprintf_never_ends_in_half_a_character);
    VP_TEST(test_shorten_counts_characters_and_ends_in_an_ellipsis);
    VP_TEST(test_scrub_makes_any_bytes_valid_text);
    VP_TEST(test_seq_len_refuses_overlong_surrogate_and_out_of_range);
    VP_TEST(test_json_input_with_invalid_utf8_is_refused);
    VP_TEST(test_unknown_multibyte_key_is_reported_whole);
    VP_TEST(test_dump_of_null_or_unencodable_value_returns_null);
    VP_TEST(test_getters_count_characters_not_bytes);
    VP_TEST(test_secret_is_made_once_with_mode_0600_and_kept);
    VP_TEST(test_secret_made_by_racing_processes_is_one_key);
    return vp_test_done();
}
