/*
 * test_central_input.c - no input stops the centre or breaks its text
 * (issue 10, findings 1, 8 and 10) against a real server: unknown multibyte
 * keys, invalid UTF-8, a coach name of 80 "€" as an advice's author, data
 * files for the service's user only, enrolment codes of 12 characters
 * stored only as a keyed hash, and every error message translated.
 */
#include "ctu.h"
#include "vp_core.h"
#include "vp_test.h"
#include "vp_wire.h"
#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#define COACH         "coach@kluppluz.example"
#define CODE_KEY_FILE "enroll-code.key" /* CSTORE_CODE_KEY_FILE */
#define E_ACUTE       "\xc3\xa9"
#define EURO          "\xe2\x82\xac"
#define EMOJI         "\xf0\x9f\x98\x80"

static struct central_proc srv;
static char dir[512], password[64];
static struct central_demo_location locs[5];
static char cookie[64], csrf[64], child[40];

static char *repeat(const char *unit, int n)
{
    struct vp_buf b = VP_BUF_INIT;
    for (int i = 0; i < n; i++)
        vp_buf_adds(&b, unit);
    return vp_buf_detach(&b, NULL);
}

static bool valid(const char *s)
{
    return s && vp_utf8_valid_text(s, strlen(s));
}

static bool serving(void)
{
    struct central_http r;
    long status;
    central_http("GET", srv.url, "/healthz", NULL, NULL, 0, 5000, &r);
    status = r.status;
    central_http_release(&r);
    return status == 200 && kill(srv.pid, 0) == 0;
}

/* The answer is {"error":code,"message":...} with both valid UTF-8; the
 * message is returned (a copy, caller frees) for more checks. */
static char *error_body(const struct central_http *r, const char *code)
{
    json_error_t jerr;
    json_t *js = json_loadb(r->body.data, r->body.len, 0, &jerr);
    const char *e = json_string_value(json_object_get(js, "error"));
    const char *m = json_string_value(json_object_get(js, "message"));
    char *out = NULL;
    if (js && e && m && !strcmp(e, code) && valid(m))
        out = vp_xstrdup(m);
    else
        fprintf(stderr, "not a %s error body: %s\n", code, r->body.data ? r->body.data : "");
    json_decref(js);
    return out;
}

static void test_unknown_multibyte_key_answers_422_and_the_server_keeps_serving(void)
{
    const char *units[] = { E_ACUTE, EURO, EMOJI, NULL };
    char cpath[128], apath[128];
    snprintf(cpath, sizeof(cpath), "/api/console/children/%s/case", child);
    snprintf(apath, sizeof(apath), "/api/console/children/%s/advice", child);
    for (int u = 0; units[u]; u++) {
        char *key = repeat(units[u], 40);
        const char *paths[] = { cpath, apath, "/api/console/admin/locations",
                                "/api/console/admin/coaches", NULL };
        for (int p = 0; paths[p]; p++) {
            struct central_http r;
            struct vp_buf body = VP_BUF_INIT;
            char *msg;
            vp_buf_addf(&body, "{\"%s\":1}", key);
            ctu_coach(srv.url, "POST", paths[p], cookie, csrf, body.data, &r);
            if (r.status != 422)
                VP_TEST_FAIL_("POST %s with a key of 40 x %s: status %ld, want 422", paths[p],
                              units[u], r.status);
            msg = error_body(&r, "invalid");
            CHECK(msg != NULL);
            /* if the message names the key, it names whole characters of it */
            if (strstr(msg, "(")) {
                char *open = strstr(msg, "(") + 1;
                CHECK(!strncmp(open, key, strcspn(open, ")")));
            }
            free(msg);
            central_http_release(&r);
            vp_buf_release(&body);
            CHECK(serving());
        }
        free(key);
    }
    /* nothing changed */
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM advice"), 0);
}

static void test_invalid_utf8_in_a_body_is_400_before_it_reaches_the_store(void)
{
    const char *bodies[] = {
        "{\"text\":\"\xc3\"}",
        "{\"\xc3\xa9\xc3\":1}", /* truncated */
        "{\"text\":\"\xc0\xaf\"}",
        "{\"\xe0\x80\xaf\":1}", /* overlong */
        "{\"text\":\"\xed\xa0\x80\"}",
        "{\"text\":\"\\udc00\"}", /* surrogates */
        "{\"text\":\"\xf4\x90\x80\x80\"}",
        "{\"text\":\"a\\u0000b\"}", /* > U+10FFFF, NUL */
        NULL,
    };
    char path[128];
    snprintf(path, sizeof(path), "/api/console/children/%s/advice", child);
    for (int i = 0; bodies[i]; i++) {
        struct central_http r;
        char *msg;
        ctu_coach(srv.url, "POST", path, cookie, csrf, bodies[i], &r);
        if (r.status != 400)
            VP_TEST_FAIL_("body %d: status %ld, want 400", i, r.status);
        msg = error_body(&r, "malformed");
        CHECK(msg != NULL);
        free(msg);
        central_http_release(&r);
    }
    CHECK(serving());
    CHECK_INT_EQ(ctu_db_int(dir, "SELECT COUNT(*) FROM advice"), 0);
}

static bool advice_author_ok(const char *author, const char *want)
{
    if (!valid(author) || strcmp(author, want) != 0) {
        fprintf(stderr, "author: got \"%s\", want \"%s\"\n", author ? author : "(none)", want);
        return false;
    }
    return true;
}

static void test_coach_name_of_80_euro_reaches_advice_author_whole(void)
{
    char *name = repeat(EURO, 80), *label = repeat(EURO, 39), ck[64], cs[64], path[128];
    const char *argv[] = { "add-coach", "--email",    "euro@example.org", "--name",
                           name,        "--location", locs[0].id,         NULL };
    struct vp_buf want = VP_BUF_INIT;
    struct central_http r;
    char token[64], device[40], author[400];
    json_t *js, *ans = NULL, *changes;
    bool seen = false;
    vp_buf_adds(&want, label);
    vp_buf_adds(&want, "\xe2\x80\xa6"); /* the wire's label: 40 characters, the last "…" */
    CHECK_INT_EQ(central_proc_run(dir, argv, "een-goed-wachtwoord\n", NULL), 0);
    CHECK_INT_EQ(ctu_login(srv.url, "euro@example.org", "een-goed-wachtwoord", ck, cs), 200);
    snprintf(path, sizeof(path), "/api/console/children/%s/advice", child);
    CHECK_INT_EQ(
        ctu_coach(srv.url, "POST", path, ck, cs, "{\"text\":\"Eén ding tegelijk " EURO "\"}", &r),
        200);
    /* the answer */
    js = json_loadb(r.body.data, r.body.len, 0, NULL);
    central_http_release(&r);
    CHECK(advice_author_ok(
        json_string_value(json_object_get(json_object_get(js, "advice"), "author")), want.data));
    json_decref(js);
    /* the database */
    ctu_db_text(dir, "SELECT author FROM advice ORDER BY created_at DESC LIMIT 1", author,
                sizeof(author));
    CHECK(advice_author_ok(author, want.data));
    /* the tablet's pull, read by the tablet's own validator */
    {
        char code[16];
        ctu_code(dir, locs[0].id, code);
        CHECK_INT_EQ(ctu_enroll(srv.url, code, token, device), 200);
    }
    CHECK_INT_EQ(ctu_pull(srv.url, token, 0, 1000, &ans), 200);
    changes = json_object_get(ans, "changes");
    for (size_t i = 0; i < json_array_size(changes); i++) {
        json_t *c = json_array_get(changes, i);
        struct vp_change chg;
        struct vp_json_err err;
        if (strcmp(json_string_value(json_object_get(c, "type")), "advice") != 0)
            continue;
        memset(&err, 0, sizeof(err));
        CHECK(vp_change_from_json(c, &chg, &err));
        CHECK(advice_author_ok(chg.u.advice.author, want.data));
        vp_change_release(&chg);
        seen = true;
    }
    json_decref(ans);
    CHECK(seen);
    vp_buf_release(&want);
    free(name);
    free(label);
}

static void check_mode(const char *name, unsigned want)
{
    char *path = vp_path_join(dir, name);
    struct stat st;
    int rc = stat(path, &st);
    free(path);
    if (rc != 0)
        VP_TEST_FAIL_("%s is missing", name);
    if ((st.st_mode & 0777) != want)
        VP_TEST_FAIL_("%s has mode %o, want %o", name, st.st_mode & 0777, want);
}

static void test_data_files_are_for_the_service_user_only(void)
{
    const char *argv[] = { "backup", "--to", NULL, NULL };
    char *backup = vp_path_join(dir, "backup.db");
    struct stat st;
    argv[2] = backup;
    /* main() set umask 022 before the demo and the server started */
    check_mode("central.db", 0600);
    check_mode("central.db-wal", 0600);
    check_mode("central.db-shm", 0600);
    check_mode(CODE_KEY_FILE, 0600);
    CHECK_INT_EQ(central_proc_run(dir, argv, NULL, NULL), 0);
    CHECK_INT_EQ(stat(backup, &st), 0);
    CHECK_INT_EQ(st.st_mode & 0777, 0600);
    unlink(backup);
    free(backup);
}

/* The plain code and its unkeyed hash appear nowhere in the database. */
static void check_not_stored(const char *plain)
{
    unsigned char h[32];
    char hex[65], sql[256];
    crypto_generichash(h, sizeof(h), (const unsigned char *)plain, strlen(plain), NULL, 0);
    vp_hex_encode(h, sizeof(h), hex);
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM enroll_codes WHERE code_hash IN ('%s', '%s') OR"
             " instr(code_hash, '%s') > 0",
             plain, hex, plain);
    CHECK_INT_EQ(ctu_db_int(dir, sql), 0);
}

static void test_codes_are_12_characters_and_stored_as_a_keyed_hash(void)
{
    char code[16], plain[13], typed[16], token[64], device[40], hex[65], sql[256];
    unsigned char key[32], h[32];
    struct vp_buf k = VP_BUF_INIT;
    size_t n = 0;
    char *keyfile = vp_path_join(dir, CODE_KEY_FILE);
    ctu_code(dir, locs[1].id, code);
    CHECK_INT_EQ(strlen(code), 14);
    for (int i = 0; i < 14; i++) {
        bool dash = i == 4 || i == 9;
        if (dash ? code[i] != '-' : !strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", code[i]))
            VP_TEST_FAIL_("code %s is not three groups of four Crockford characters", code);
        if (!dash)
            plain[n++] = code[i];
    }
    plain[n] = '\0';
    check_not_stored(plain);
    check_not_stored(code);
    /* the stored hash is BLAKE2b keyed with the key file */
    CHECK_OK(vp_read_file(keyfile, 64, &k));
    CHECK_INT_EQ(k.len, 32);
    memcpy(key, k.data, 32);
    crypto_generichash(h, sizeof(h), (const unsigned char *)plain, strlen(plain), key, 32);
    vp_hex_encode(h, sizeof(h), hex);
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM enroll_codes WHERE code_hash = '%s'", hex);
    CHECK_INT_EQ(ctu_db_int(dir, sql), 1);
    /* typed in lower case with spaces, it works once */
    for (int i = 0; i < 15; i++)
        typed[i] = code[i] == '-'
                       ? ' '
                       : (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
    CHECK_INT_EQ(ctu_enroll(srv.url, typed, token, device), 200);
    CHECK_INT_EQ(ctu_enroll(srv.url, code, token, device), 410);
    /* an 8-character code of an older version is not a code any more */
    {
        char old[16];
        ctu_code(dir, locs[1].id, code);
        snprintf(old, sizeof(old), "%.4s-%.4s", code, code + 5);
        CHECK_INT_EQ(ctu_enroll(srv.url, old, token, device), 401);
        CHECK_INT_EQ(ctu_enroll(srv.url, code, token, device), 200);
    }
    vp_buf_release(&k);
    free(keyfile);
}

static void test_duplicate_coach_email_answers_a_translated_409(void)
{
    struct central_http r;
    char *msg;
    const char *body = "{\"email\":\"" COACH "\",\"name\":\"Nog een\",\"password\":"
                       "\"een-goed-wachtwoord\",\"locations\":[]}";
    CHECK_INT_EQ(ctu_coach(srv.url, "POST", "/api/console/admin/coaches", cookie, csrf, body, &r),
                 409);
    msg = error_body(&r, "exists");
    central_http_release(&r);
    CHECK(msg != NULL);
    CHECK_STR_EQ(msg, vp_tr_in(VP_LANG_NL, "api.error.exists"));
    CHECK(strcmp(msg, "api.error.exists") != 0);
    free(msg);
}

int main(void)
{
    char *tmp = vp_test_tempdir(), sql[200];
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    umask(022); /* what a service would get by default: the programs must tighten it */
    if (central_proc_demo(dir, locs, 5, password) != 5 || !password[0] ||
        central_proc_start(&srv, dir, NULL, NULL) != 0 ||
        ctu_login(srv.url, COACH, password, cookie, csrf) != 200) {
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    snprintf(sql, sizeof(sql), "SELECT child_id FROM children WHERE location_id = '%s' LIMIT 1",
             locs[0].id);
    ctu_db_text(dir, sql, child, sizeof(child));
    VP_TEST(test_unknown_multibyte_key_answers_422_and_the_server_keeps_serving);
    VP_TEST(test_invalid_utf8_in_a_body_is_400_before_it_reaches_the_store);
    VP_TEST(test_coach_name_of_80_euro_reaches_advice_author_whole);
    VP_TEST(test_data_files_are_for_the_service_user_only);
    VP_TEST(test_codes_are_12_characters_and_stored_as_a_keyed_hash);
    VP_TEST(test_duplicate_coach_email_answers_a_translated_409);
    if (central_proc_stop(&srv) != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
