/* Names stay out of notes: children's first names become {child:UUID}
 * tokens when a note is stored, the tablet shows them as names again, a
 * person may keep a name, staff names are reported for a gentle warning. */
#include "devstore_fixture.h"

static char tess[VP_UUID_LEN], roos[VP_UUID_LEN], daan2[VP_UUID_LEN];

/* The fixture (Daan, Sanne; Ilse, Marieke) plus Tess, Roos, Zoë and a
 * second Daan in another group. */
static int open_names(struct fixture *f)
{
    char g2[VP_UUID_LEN], zoe[VP_UUID_LEN];
    if (fixture_open(f) != 0 || devstore_child_add(f->s, f->group, "Tess", "2023-01", tess) ||
        devstore_child_add(f->s, f->group, "Roos", "2023-02", roos) ||
        devstore_child_add(f->s, f->group, "Zo\xC3\xAB", "2023-03", zoe) ||
        devstore_group_add(f->s, "Regenboog", g2) ||
        devstore_child_add(f->s, g2, "Daan", "2022-05", daan2))
        return -1;
    return 0;
}

static void encode(struct fixture *f, const char *typed, const char *about, char *out)
{
    if (devstore_note_encode(f->s, typed, about, NULL, 0, out, VP_NOTE_BYTES) != VP_OK)
        vp_strlcpy(out, "(failed)", VP_NOTE_BYTES);
}

static void test_a_childs_first_name_becomes_a_token(void)
{
    struct fixture f;
    char note[VP_NOTE_BYTES], want[VP_NOTE_BYTES], shown[VP_NOTE_BYTES];
    CHECK(open_names(&f) == 0);
    encode(&f, "Tess eet alleen droge crackers.", f.daan, note);
    snprintf(want, sizeof(want), "{child:%s} eet alleen droge crackers.", tess);
    CHECK_STR_EQ(note, want);
    CHECK(vp_note_valid(note, NULL));
    devstore_note_decode(f.s, note, shown, sizeof(shown));
    CHECK_STR_EQ(shown, "Tess eet alleen droge crackers.");
    fixture_close(&f);
}

static void test_only_whole_words_with_the_same_case_match(void)
{
    struct fixture f;
    char note[VP_NOTE_BYTES];
    CHECK(open_names(&f) == 0);
    /* "roos" (a rose), "Tessa", "Roosje", "Daantje" are not the children */
    encode(&f, "Een roos voor Tessa, Roosje en Daantje.", f.daan, note);
    CHECK_STR_EQ(note, "Een roos voor Tessa, Roosje en Daantje.");
    /* punctuation, emoji and accented letters around a name */
    encode(&f, "(Zo\xC3\xAB)! \xF0\x9F\x98\x80Tess\xE2\x80\xA6 Zo\xC3\xAB\xC3\xA9", f.daan, note);
    CHECK(strstr(note, "(Zo\xC3\xAB)") == NULL);
    CHECK(strstr(note, "Tess") == NULL);
    CHECK(strstr(note, " Zo\xC3\xAB\xC3\xA9") != NULL); /* Zoëé is another word */
    fixture_close(&f);
}

static void test_typed_braces_become_parentheses(void)
{
    struct fixture f;
    char note[VP_NOTE_BYTES];
    CHECK(open_names(&f) == 0);
    encode(&f, "{child:x} en {haakjes}", f.daan, note);
    CHECK_STR_EQ(note, "(child:x) en (haakjes)");
    fixture_close(&f);
}

static void test_a_kept_name_stays_as_typed(void)
{
    struct fixture f;
    char note[VP_NOTE_BYTES], want[VP_NOTE_BYTES];
    const char *keep[] = { "Roos" };
    CHECK(open_names(&f) == 0);
    CHECK_OK(
        devstore_note_encode(f.s, "Roos geeft Tess een Roos", f.daan, keep, 1, note, sizeof(note)));
    snprintf(want, sizeof(want), "Roos geeft {child:%s} een Roos", tess);
    CHECK_STR_EQ(note, want);
    fixture_close(&f);
}

static void test_a_shared_first_name_means_the_child_of_the_signal(void)
{
    struct fixture f;
    char note[VP_NOTE_BYTES], want[VP_NOTE_BYTES];
    CHECK(open_names(&f) == 0);
    encode(&f, "Daan huilt", daan2, note);
    snprintf(want, sizeof(want), "{child:%s} huilt", daan2);
    CHECK_STR_EQ(note, want);
    encode(&f, "Daan huilt", f.daan, note);
    snprintf(want, sizeof(want), "{child:%s} huilt", f.daan);
    CHECK_STR_EQ(note, want);
    fixture_close(&f);
}

static void test_names_found_lists_children_and_staff_once(void)
{
    struct fixture f;
    struct dev_note_name *names = NULL;
    size_t n = 0;
    CHECK(open_names(&f) == 0);
    CHECK_OK(devstore_note_names(f.s, "Ilse zag Tess en Tess zag Roos", f.daan, &names, &n));
    CHECK_INT_EQ(n, 3);
    CHECK_STR_EQ(names[0].name, "Ilse");
    CHECK_STR_EQ(names[0].child_id, ""); /* a colleague: a warning, no token */
    CHECK_STR_EQ(names[1].name, "Tess");
    CHECK_STR_EQ(names[1].child_id, tess);
    CHECK_STR_EQ(names[2].child_id, roos);
    free(names);
    fixture_close(&f);
}

static void test_the_limit_counts_what_she_typed(void)
{
    struct fixture f;
    char note[VP_NOTE_BYTES];
    struct vp_buf b = VP_BUF_INIT;
    CHECK(open_names(&f) == 0);
    while (vp_utf8_length(b.data) + 5 <= VP_NOTE_MAX_CHARS)
        vp_buf_adds(&b, "Tess ");
    /* 56 names: more than 16 tokens are refused rather than let through */
    CHECK_ERR(devstore_note_encode(f.s, b.data, f.daan, NULL, 0, note, sizeof(note)),
              VP_ERR_INVALID);
    vp_buf_release(&b);
    for (int i = 0; i < VP_NOTE_MAX_TOKENS; i++)
        vp_buf_adds(&b, "Tess ");
    while (vp_utf8_length(b.data) < VP_NOTE_MAX_CHARS)
        vp_buf_adds(&b, "\xE2\x82\xAC");
    CHECK_OK(devstore_note_encode(f.s, b.data, f.daan, NULL, 0, note, sizeof(note)));
    CHECK(vp_note_valid(note, NULL));
    vp_buf_adds(&b, "e"); /* 281 typed characters */
    CHECK_ERR(devstore_note_encode(f.s, b.data, f.daan, NULL, 0, note, sizeof(note)),
              VP_ERR_INVALID);
    vp_buf_release(&b);
    fixture_close(&f);
}

static void test_a_stored_note_with_a_token_shows_the_name_on_the_childs_page(void)
{
    struct fixture f;
    struct vp_observation o;
    struct dev_obs_item *items = NULL;
    char shown[VP_NOTE_BYTES];
    size_t n = 0;
    CHECK(open_names(&f) == 0);
    fixture_obs(&f, &o, "ZELF-01");
    encode(&f, "Eet met Tess \xE2\x82\xAC", f.daan, o.note);
    CHECK_OK(devstore_observation_record(f.s, &o));
    CHECK_OK(devstore_child_observations(f.s, f.daan, 10, &items, &n));
    CHECK_INT_EQ(n, 1);
    CHECK(strstr(items[0].obs.note, "{child:") != NULL); /* stored as a token */
    devstore_note_decode(f.s, items[0].obs.note, shown, sizeof(shown));
    CHECK_STR_EQ(shown, "Eet met Tess \xE2\x82\xAC");
    free(items);
    /* a stray brace cannot be stored */
    fixture_obs(&f, &o, "ZELF-01");
    vp_strlcpy(o.note, "{Tess}", sizeof(o.note));
    CHECK_ERR(devstore_observation_record(f.s, &o), VP_ERR_INVALID);
    fixture_close(&f);
}

int main(void)
{
    if (vp_core_init() != VP_OK)
        return 1;
    VP_TEST(test_a_childs_first_name_becomes_a_token);
    VP_TEST(test_only_whole_words_with_the_same_case_match);
    VP_TEST(test_typed_braces_become_parentheses);
    VP_TEST(test_a_kept_name_stays_as_typed);
    VP_TEST(test_a_shared_first_name_means_the_child_of_the_signal);
    VP_TEST(test_names_found_lists_children_and_staff_once);
    VP_TEST(test_the_limit_counts_what_she_typed);
    VP_TEST(test_a_stored_note_with_a_token_shows_the_name_on_the_childs_page);
    return vp_test_done();
}
