/*
 * cletter.h - a plain letter as a PDF (cairo + pango from Debian): a list
 * of blocks (title, headings, paragraphs, list items, quoted notes, lines
 * to fill in, small print) laid out on A4 pages in DejaVu Sans, with the
 * page number and a footer on every page. The letter knows nothing of
 * children or signals: cstore_dossier_letter.c writes the blocks.
 */
#ifndef CLETTER_H
#define CLETTER_H
#include "vp_buf.h"
#include "vp_error.h"
#include <stddef.h>

enum cletter_kind {
    CLETTER_TITLE,   /* the letter's title, large */
    CLETTER_SUB,     /* a line under the title, grey */
    CLETTER_HEADING, /* a section */
    CLETTER_PARA,    /* a paragraph */
    CLETTER_ITEM,    /* a list item (a dash in front) */
    CLETTER_QUOTE,   /* quoted text (a note), indented and italic */
    CLETTER_FILL,    /* a label and a line to fill in by hand */
    CLETTER_SMALL,   /* small print */
};

struct cletter_block {
    enum cletter_kind kind;
    char *text; /* UTF-8 (owned); invalid bytes are shown as U+FFFD */
};

/* Caller-owned: cletter_init, add blocks, cletter_pdf, cletter_release. */
struct cletter {
    struct cletter_block *blocks;
    size_t n, cap;
    char *footer; /* on every page, with "page/pages" (owned; may be NULL) */
    char *title;  /* the PDF's title (owned; may be NULL) */
};

void cletter_init(struct cletter *l);
void cletter_release(struct cletter *l);
/* Adds a block with a copy of text. */
void cletter_add(struct cletter *l, enum cletter_kind kind, const char *text);
/* Adds a block with printf-style text. */
void cletter_addf(struct cletter *l, enum cletter_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cletter_set_footer(struct cletter *l, const char *footer);
void cletter_set_title(struct cletter *l, const char *title);

/* The letter as PDF bytes appended to out. VP_ERR_IO if cairo failed
 * (nothing appended). */
vp_result cletter_pdf(const struct cletter *l, struct vp_buf *out);

#endif
