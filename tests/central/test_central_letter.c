/*
 * test_central_letter.c - the dossier as a letter a parent can read (issue
 * 12), checked as the parent reads it: the PDF's text as pdftotext (Debian's
 * poppler-utils) extracts it. What was recorded (labels, level, the
 * recorder's role and never her name), notes in which another child is
 * "een ander kind", the child by code with a line to fill in (named only
 * with consent), what was shared and on what consent, the advice, the
 * parent's rights and the privacy contact; English on request; invalid
 * UTF-8 and emoji never break it; each download audited.
 */
#include "cfx.h"
#include "vp_alloc.h"
#include "vp_buf.h"
#include "vp_str.h"
#include "vp_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The PDF's text as pdftotext gives it (malloc'ed; "" if it failed). */
static char *pdf_text(const struct vp_buf *pdf)
{
    char *dir = vp_test_tempdir(), path[512], cmd[1200];
    struct vp_buf text = VP_BUF_INIT;
    char chunk[4096];
    size_t n;
    FILE *fp;
    snprintf(path, sizeof(path), "%s/letter.pdf", dir);
    fp = fopen(path, "wb");
    if (fp) {
        fwrite(pdf->data, 1, pdf->len, fp);
        fclose(fp);
    }
    snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -", path);
    fp = popen(cmd, "r");
    while (fp && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        vp_buf_add(&text, chunk, n);
    if (fp)
        pclose(fp);
    vp_test_rmtree(dir);
    free(dir);
    /* pdftotext breaks lines where the letter wraps: read it as one line */
    for (size_t i = 0; i < text.len; i++)
        if (text.data[i] == '\n')
            text.data[i] = ' ';
    return vp_buf_detach(&text, NULL);
}

#define CHECK_HAS(text, needle)                                                                    \
    do {                                                                                           \
        if (!strstr((text), (needle)))                                                             \
            fprintf(stderr, "missing [%s] in:\n%s\n", (needle), (text));                           \
        CHECK(strstr((text), (needle)) != NULL);                                                   \
    } while (0)
#define CHECK_HASNT(text, needle)                                                                  \
    do {                                                                                           \
        if (strstr((text), (needle)))                                                              \
            fprintf(stderr, "unwanted [%s] in the letter\n", (needle));                            \
        CHECK(strstr((text), (needle)) == NULL);                                                   \
    } while (0)

static char *letter(struct cfx *f, int k, enum vp_lang lang, char code[VP_PSEUDONYM_LEN])
{
    struct vp_buf pdf = VP_BUF_INIT;
    char *text = NULL;
    if (cstore_console_dossier_letter(f->st, f->coach.id, f->kids[k], lang, "t", f->now, &pdf,
                                      code) == VP_OK &&
        pdf.len > 4 && !memcmp(pdf.data, "%PDF", 4))
        text = pdf_text(&pdf);
    vp_buf_release(&pdf);
    return text ? text : vp_xstrdup("");
}

static void seed_history(struct cfx *f)
{
    struct vp_observation o =
        cfx_obs(f, 0, 2, "TAAL-02,SOC-05",
                "Tess speelt niet met \xC3\x89mile en Zo\xC3\xAB \xF0\x9F\x98\xA2");
    struct cstore_case_edit e;
    json_t *out = NULL;
    cfx_push1(f, &o);
    f->now += 3600 * 1000;
    memset(&e, 0, sizeof(e));
    e.consultation = "anonymous";
    e.status = "reviewing";
    cstore_case_update(f->st, f->coach.id, f->kids[0], &e, "t", f->now, &out, NULL);
    json_decref(out);
    out = NULL;
    cstore_advice_add(f->st, f->coach.id, f->kids[0],
                      "Lees samen met Tess en \xC3\x89mile een prentenboek.", "t", f->now, &out);
    json_decref(out);
}

static void test_the_letter_says_what_was_recorded_by_role_and_names_no_other_child(void)
{
    struct cfx f;
    char code[VP_PSEUDONYM_LEN] = "", *text;
    cfx_open(&f);
    seed_history(&f);
    text = letter(&f, 0, VP_LANG_NL, code);
    CHECK_STR_EQ(code, f.codes[0]);
    CHECK_HAS(text, "Wat we over je kind hebben vastgelegd");
    CHECK_HAS(text, f.codes[0]);
    CHECK_HAS(text, "Zegt (bijna) geen woordjes");
    CHECK_HAS(text, "Niveau: Zorg");
    CHECK_HAS(text, "vastgelegd door een pedagogisch medewerker");
    CHECK_HASNT(text, "Anouk"); /* the recorder by role, not by name */
    /* the note: the child by code (no consent), the others as "een ander kind" */
    CHECK_HAS(text, "speelt niet met een ander kind en een ander kind");
    CHECK_HASNT(text, "Tess");
    CHECK_HASNT(text, "\xC3\x89mile");
    CHECK_HASNT(text, "Zo\xC3\xAB");
    CHECK_HASNT(text, f.codes[1]);
    CHECK_HASNT(text, f.codes[2]);
    /* no consent: a line for the location to fill in the name */
    CHECK_HAS(text, "Naam van het kind (vult de locatie in)");
    /* shared, consent, advice, rights, contact */
    CHECK_HAS(text, "zonder naam (anoniem)");
    CHECK_HAS(text, "De coach heeft de locatie advies gegeven (1 keer");
    CHECK_HAS(text, "een prentenboek");
    CHECK_HAS(text, "Er is nog niets over toestemming vastgelegd");
    CHECK_HAS(text, "Inzage:");
    CHECK_HAS(text, "Verbeteren:");
    CHECK_HAS(text, "Wissen:");
    CHECK_HAS(text, "Neem contact op met (vult de locatie in)");
    CHECK_INT_EQ(cfx_sql_int(&f, "SELECT COUNT(*) FROM audit WHERE action = 'dossier_export'"
                                 " AND detail = 'format=pdf lang=nl'"),
                 1);
    free(text);
    cfx_free(&f);
}

static void test_with_consent_the_child_is_named_and_the_contact_is_given(void)
{
    struct cfx f;
    struct cstore_case_edit e;
    json_t *out = NULL;
    char code[VP_PSEUDONYM_LEN], *text;
    cfx_open(&f);
    seed_history(&f);
    f.now += 3600 * 1000;
    memset(&e, 0, sizeof(e));
    e.consent = "given";
    e.consultation = "named";
    CHECK_OK(cstore_case_update(f.st, f.coach.id, f.kids[0], &e, "t", f.now, &out, NULL));
    json_decref(out);
    CHECK_OK(cstore_console_privacy_contact_set(
        f.st, f.coach.id, f.loc.id, "Priv\xC3\xA9 Desk, privacy@example.org", "t", f.now));
    text = letter(&f, 0, VP_LANG_NL, code);
    CHECK_HAS(text, "Kind: Tess (code");
    CHECK_HAS(text, "Tess speelt niet met een ander kind");
    CHECK_HASNT(text, "Naam van het kind");
    CHECK_HAS(text, "toestemming gegeven");
    CHECK_HAS(text, "Nu vastgelegd: gegeven");
    CHECK_HAS(text, "met naam over je kind overlegd");
    CHECK_HAS(text, "Neem contact op met: Priv\xC3\xA9 Desk, privacy@example.org");
    free(text);
    /* in English on request */
    text = letter(&f, 0, VP_LANG_EN, code);
    CHECK_HAS(text, "What we have recorded about your child");
    CHECK_HAS(text, "recorded by a member of the childcare staff");
    CHECK_HAS(text, "Says (almost) no words");
    CHECK_HAS(text, "Level: Concern");
    free(text);
    cfx_free(&f);
}

static void test_bad_text_and_a_long_history_never_break_the_letter(void)
{
    struct cfx f;
    char code[VP_PSEUDONYM_LEN], *text, note[900];
    cfx_open(&f);
    /* invalid UTF-8 straight into the database (a tablet never sends it) */
    for (int i = 0; i < 40; i++) {
        struct vp_observation o = cfx_obs(&f, 1, 1 + i % 3, "TAAL-02", "x");
        memset(note, 'a', sizeof(note) - 1);
        note[sizeof(note) - 1] = '\0';
        vp_strlcpy(o.note, note, sizeof(o.note));
        cfx_push1(&f, &o);
        f.now += 60000;
    }
    CHECK_INT_EQ(cfx_sql(&f,
                         "UPDATE observations SET note = CAST(x'62616420C3206279746573' AS TEXT)"
                         " WHERE id = (SELECT MIN(id) FROM observations)"),
                 0);
    text = letter(&f, 1, VP_LANG_NL, code);
    CHECK_HAS(text, "bad"); /* shown with a replacement character, not dropped */
    CHECK_HAS(text, "/ 2"); /* more than one page, numbered */
    free(text);
    cfx_free(&f);
}

static void test_an_admin_sets_the_privacy_contact_only_as_plain_text(void)
{
    struct cfx f;
    char long_text[1100];
    cfx_open(&f);
    memset(long_text, 'x', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    CHECK_ERR(cstore_console_privacy_contact_set(f.st, f.coach.id, f.loc.id, long_text, "t", f.now),
              VP_ERR_INVALID);
    CHECK_ERR(cstore_console_privacy_contact_set(f.st, f.coach.id, f.loc.id, "a\nb", "t", f.now),
              VP_ERR_INVALID);
    CHECK_ERR(cstore_console_privacy_contact_set(f.st, f.coach.id, f.loc.id, "a \xC3", "t", f.now),
              VP_ERR_INVALID);
    CHECK_INT_EQ(cfx_sql_int(&f, "SELECT COUNT(*) FROM org_settings"), 0);
    CHECK_OK(cstore_console_privacy_contact_set(f.st, f.coach.id, f.loc.id,
                                                "\xE2\x82\xAC \xF0\x9F\x98\x80", "t", f.now));
    CHECK_INT_EQ(cfx_sql_int(&f, "SELECT COUNT(*) FROM audit WHERE action = 'privacy_contact'"), 1);
    cfx_free(&f);
}

int main(void)
{
    VP_TEST(test_the_letter_says_what_was_recorded_by_role_and_names_no_other_child);
    VP_TEST(test_with_consent_the_child_is_named_and_the_contact_is_given);
    VP_TEST(test_bad_text_and_a_long_history_never_break_the_letter);
    VP_TEST(test_an_admin_sets_the_privacy_contact_only_as_plain_text);
    return vp_test_done();
}
