/*
 * test_central_note.c - names stay out of notes at the centre: the one note
 * rule (cst_note_render, sync/central/cstore_note.c) with multibyte names,
 * word boundaries of any script, tokens and invalid UTF-8; and the rule in
 * every coach view (inbox, child page with earlier versions, console CSV,
 * CLI CSV, dossier), lifted for a child whose consent is recorded.
 */
#include "cfx.h"
#include "cstore_signal.h"
#include "vp_buf.h"
#include "vp_str.h"
#include "vp_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TESS_ID  "0190a000-0000-7000-8000-000000000001"
#define ZOE_ID   "0190a000-0000-7000-8000-000000000003"
#define OTHER_ID "0190a000-0000-7000-8000-0000000000ff"

static struct cst_note_child kids[] = {
    { TESS_ID, "Tess", "K-0001", false },
    { "0190a000-0000-7000-8000-000000000002", "\xC3\x89mile", "K-0002", false }, /* Émile */
    { ZOE_ID, "Zo\xC3\xAB", "K-0003", true },                                    /* Zoë, named */
    { "0190a000-0000-7000-8000-000000000004", "Anna", "K-0004", false },
    { "0190a000-0000-7000-8000-000000000005", "Anna-Lena", "K-0005", false },
    { "0190a000-0000-7000-8000-000000000007", "K", "K-0007", false },
    { "0190a000-0000-7000-8000-000000000008", "", "K-0008", false },
};
#define NKIDS (sizeof(kids) / sizeof(kids[0]))

/* Renders note and compares; prints both on a mismatch. */
#define CHECK_NOTE(note, want)                                                                     \
    do {                                                                                           \
        char *got_ = cst_note_render(note, kids, NKIDS);                                           \
        bool same_ = !strcmp(got_, want);                                                          \
        if (!same_)                                                                                \
            fprintf(stderr, "note [%s]\n  got  [%s]\n  want [%s]\n", note, got_, want);            \
        free(got_);                                                                                \
        CHECK(same_);                                                                              \
    } while (0)

static void test_a_first_name_as_a_whole_word_becomes_the_code(void)
{
    CHECK_NOTE("Tess eet alleen droge crackers.", "K-0001 eet alleen droge crackers.");
    CHECK_NOTE("Met Tess, Tess en (Tess)!", "Met K-0001, K-0001 en (K-0001)!");
    CHECK_NOTE("", "");
    CHECK_NOTE("Niemand genoemd.", "Niemand genoemd.");
}

static void test_only_whole_words_and_the_exact_case(void)
{
    CHECK_NOTE("Tessa en tess en TESS", "Tessa en tess en TESS");
    CHECK_NOTE("Tess2 en 2Tess", "Tess2 en 2Tess");
    CHECK_NOTE("Contessa", "Contessa");
}

static void test_word_boundaries_know_letters_of_any_script(void)
{
    /* Émile, Émiles, Émileé, éTess, TessÉ, Tessж */
    CHECK_NOTE("\xC3\x89mile huilt", "K-0002 huilt");
    CHECK_NOTE("\xC3\x89miles \xC3\x89mile\xC3\xA9 \xC3\xA9Tess Tess\xC3\x89 Tess\xD0\xB6",
               "\xC3\x89miles \xC3\x89mile\xC3\xA9 \xC3\xA9Tess Tess\xC3\x89 Tess\xD0\xB6");
    /* Tess’s (U+2019), Tess😀, Tess<NBSP>zegt, «Tess» */
    CHECK_NOTE("Tess\xE2\x80\x99s jas", "K-0001\xE2\x80\x99s jas");
    CHECK_NOTE("Tess\xF0\x9F\x98\x80 lacht", "K-0001\xF0\x9F\x98\x80 lacht");
    CHECK_NOTE("Tess\xC2\xA0zegt", "K-0001\xC2\xA0zegt");
    CHECK_NOTE("\xC2\xABTess\xC2\xBB \xE2\x82\xAC"
               "5",
               "\xC2\xABK-0001\xC2\xBB \xE2\x82\xAC"
               "5");
    CHECK(cst_note_word_char(0xE9));   /* é */
    CHECK(cst_note_word_char(0x436));  /* ж */
    CHECK(cst_note_word_char(0x4E2D)); /* 中 */
    CHECK(cst_note_word_char('7'));
    CHECK(!cst_note_word_char(0x2019));  /* ’ */
    CHECK(!cst_note_word_char(0xA0));    /* no-break space */
    CHECK(!cst_note_word_char(0x1F600)); /* 😀 */
    CHECK(!cst_note_word_char(0x20AC));  /* € */
    CHECK(!cst_note_word_char('-'));
}

static void test_a_named_child_keeps_her_name(void)
{
    CHECK_NOTE("Zo\xC3\xAB en Tess", "Zo\xC3\xAB en K-0001");
}

static void test_the_longest_name_wins_and_nothing_is_replaced_twice(void)
{
    CHECK_NOTE("Anna-Lena en Anna", "K-0005 en K-0004");
    CHECK_NOTE("K zegt: K-0001", "K-0007 zegt: K-0007-0001"); /* "K" is a name here */
    CHECK_NOTE("K K", "K-0007 K-0007");
}

static void test_tokens_become_the_code_or_the_name_with_consent(void)
{
    CHECK_NOTE("{child:" TESS_ID "} en {child:" ZOE_ID "} spelen", "K-0001 en Zo\xC3\xAB spelen");
    CHECK_NOTE("{child:" OTHER_ID "} kijkt", "[\xE2\x80\xA6] kijkt");
    /* not tokens: left as they are */
    CHECK_NOTE("{child:0190A000-0000-7000-8000-000000000001}",
               "{child:0190A000-0000-7000-8000-000000000001}");
    CHECK_NOTE("{child:" TESS_ID, "{child:" TESS_ID);
    CHECK_NOTE("{Tess}", "{K-0001}");
}

static void test_invalid_utf8_is_a_boundary_and_never_a_crash(void)
{
    CHECK_NOTE("\xFFTess\xFE", "\xFFK-0001\xFE");
    CHECK_NOTE("Tess\xC3", "K-0001\xC3");
    CHECK_NOTE("\xC3Tess", "\xC3K-0001");
    CHECK_NOTE("\x80\x80\x80\x80Tess", "\x80\x80\x80\x80K-0001");
}

/* ---- in every view ---- */

static bool leaks(const char *text, const char *what)
{
    if (!strstr(text, what))
        return false;
    fprintf(stderr, "found \"%s\" in: %.400s\n", what, text);
    return true;
}

static void check_view(struct cfx *f, const char *text, bool tess_named)
{
    CHECK(!leaks(text, cfx_names[1])); /* Émile, never */
    CHECK(strstr(text, f->codes[1]));  /* her code instead */
    CHECK(tess_named ? !!strstr(text, "Tess kijkt") : !leaks(text, "Tess"));
}

static void test_every_coach_view_renders_notes_by_the_rule(void)
{
    struct cfx f;
    struct vp_observation v1, v2;
    struct ccon_filter flt;
    struct vp_buf csv = VP_BUF_INIT, cli = VP_BUF_INIT;
    json_t *inbox, *page, *dossier = NULL, *kase = NULL;
    struct cstore_case_edit e;
    char note[200];
    char *text;
    cfx_open(&f);
    snprintf(note, sizeof(note), "%s en %s spelen; {child:%s} kijkt.", cfx_names[1], cfx_names[0],
             f.kids[0]);
    v1 = cfx_obs(&f, 2, 2, "SOC-05", note);
    snprintf(note, sizeof(note), "Tess kijkt, %s \xF0\x9F\x98\x80 speelt.", cfx_names[1]);
    v2 = cfx_amend(&f, &v1, 2, "SOC-05", note);
    CHECK_STR_EQ(cfx_push1(&f, &v1), "stored");
    CHECK_STR_EQ(cfx_push1(&f, &v2), "stored");
    for (int named = 0; named < 2; named++) {
        inbox = cfx_inbox(&f, CCON_VIEW_ALL, CCON_ORDER_URGENCY, 0);
        text = json_dumps(inbox, 0);
        check_view(&f, text, named);
        free(text);
        json_decref(inbox);
        page = cfx_child(&f, 2); /* with the earlier version */
        text = json_dumps(page, 0);
        check_view(&f, text, named);
        CHECK(strstr(text, "\"earlier\"")); /* v1's note is there, rendered */
        free(text);
        json_decref(page);
        memset(&flt, 0, sizeof(flt));
        flt.view = CCON_VIEW_ALL;
        vp_buf_reset(&csv);
        CHECK_OK(
            cstore_console_export(f.st, f.coach.id, CCON_EXPORT_SIGNALS, &flt, "t", f.now, &csv));
        check_view(&f, csv.data, named);
        vp_buf_reset(&cli);
        CHECK_OK(cstore_export(f.st, NULL, CSTORE_EXPORT_SIGNALS, NULL, "t", f.now, &cli));
        check_view(&f, cli.data, named);
        CHECK_OK(cstore_console_dossier_export(f.st, f.coach.id, f.kids[2], "t", f.now, &dossier));
        text = json_dumps(dossier, 0);
        check_view(&f, text, named);
        free(text);
        json_decref(dossier);
        /* Tess's parents consent to a named consultation: her name may show */
        memset(&e, 0, sizeof(e));
        e.consent = "given";
        CHECK_OK(cstore_case_update(f.st, f.coach.id, f.kids[0], &e, "t", f.now, &kase, NULL));
        json_decref(kase);
    }
    vp_buf_release(&csv);
    vp_buf_release(&cli);
    cfx_free(&f);
}

int main(void)
{
    VP_TEST(test_a_first_name_as_a_whole_word_becomes_the_code);
    VP_TEST(test_only_whole_words_and_the_exact_case);
    VP_TEST(test_word_boundaries_know_letters_of_any_script);
    VP_TEST(test_a_named_child_keeps_her_name);
    VP_TEST(test_the_longest_name_wins_and_nothing_is_replaced_twice);
    VP_TEST(test_tokens_become_the_code_or_the_name_with_consent);
    VP_TEST(test_invalid_utf8_is_a_boundary_and_never_a_crash);
    VP_TEST(test_every_coach_view_renders_notes_by_the_rule);
    return vp_test_done();
}
