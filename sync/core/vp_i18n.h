/*
 * vp_i18n.h - user-facing text in Dutch (default) or English.
 *
 * Every string a person reads lives in assets/i18n/nl.txt and en.txt
 * ("key = value" lines, UTF-8, '#' comments), compiled into the binaries.
 * A key missing in English falls back to Dutch; a key missing in both is
 * returned as-is so a gap is visible, never a crash.
 *
 * Placeholders are written {name} and filled by vp_tr_fmt(). Counted text
 * uses two keys, KEY.one and KEY.other, chosen by vp_tr_n().
 *
 * vp_i18n_set_lang() may be called at any time from the UI thread; strings
 * returned earlier stay valid for the life of the process.
 */
#ifndef VP_I18N_H
#define VP_I18N_H
#include "vp_buf.h"
#include <stdbool.h>

enum vp_lang { VP_LANG_NL, VP_LANG_EN };

void vp_i18n_set_lang(enum vp_lang lang);
enum vp_lang vp_i18n_lang(void);
/* Parses "nl" or "en" (case-insensitive); false for anything else. */
bool vp_i18n_parse_lang(const char *code, enum vp_lang *out);
const char *vp_i18n_code(enum vp_lang lang);

/* The text for key in the current language. Never NULL. */
const char *vp_tr(const char *key);
/* Same, in a given language. */
const char *vp_tr_in(enum vp_lang lang, const char *key);
/* KEY.one when n == 1, else KEY.other. */
const char *vp_tr_n(const char *key, long n);
/* Appends the text for key to out with {name} placeholders filled from the
 * NULL-terminated name/value list: vp_tr_fmt(&b, "k", "n", "3", NULL). */
void vp_tr_fmt(struct vp_buf *out, const char *key, ...);
/* Fills placeholders in an already translated template. */
void vp_tr_fill(struct vp_buf *out, const char *templ, ...);

/* Number of keys in a language (for the test that both files agree). */
int vp_i18n_count(enum vp_lang lang);
/* The i-th key of a language in sorted order, or NULL. */
const char *vp_i18n_key_at(enum vp_lang lang, int i);

#endif
