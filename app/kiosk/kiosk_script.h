/*
 * kiosk_script.h - what the script runner's files share (not for others).
 */
#ifndef KIOSK_SCRIPT_H
#define KIOSK_SCRIPT_H
#include "vp_buf.h"
#include "vp_catalog.h"
#include "vp_i18n.h"
#include <stdbool.h>

#define KS_MAX_TEXTS 4

/* The texts a script's words may stand for on screen (any one will do). */
struct ks_texts {
    char text[KS_MAX_TEXTS][1024];
    int n;
};

/* text, written in language from, as the app shows it in language to (at
 * least one entry: text itself when nothing translates it). */
void ks_translate(const struct vp_catalog *cat, enum vp_lang from, enum vp_lang to,
                  const char *text, struct ks_texts *t);
/* "@key" (with or without the "kiosk." prefix) in the current language,
 * placeholders filled from args "name=value". False if no such key. */
bool ks_key_text(const char *key, char *const *args, int nargs, struct ks_texts *t);
/* Appends templ with each {names[i]} replaced by values[i]. */
void ks_fill(struct vp_buf *out, const char *templ, char names[][32], char values[][256], int n);

#endif
