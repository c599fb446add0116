/*
 * cletter.c - a plain letter as PDF with cairo and pango (cletter.h).
 * Two passes over the same layout code: the first counts the pages (for
 * "page N of M" in the footer), the second draws. Lines break at words;
 * a block that does not fit continues on the next page line by line; a
 * heading never stays alone at the bottom of a page.
 */
#include "cletter.h"
#include "vp_alloc.h"
#include <cairo-pdf.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W   595.276 /* A4 in points */
#define PAGE_H   841.890
#define MARGIN   64.0
#define BOTTOM   (PAGE_H - 72.0)
#define FOOTER_Y (PAGE_H - 44.0)
#define KEEP     64.0 /* a heading wants this much room below it */

void cletter_init(struct cletter *l)
{
    memset(l, 0, sizeof(*l));
}

void cletter_release(struct cletter *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->blocks[i].text);
    free(l->blocks);
    free(l->footer);
    free(l->title);
    memset(l, 0, sizeof(*l));
}

void cletter_add(struct cletter *l, enum cletter_kind kind, const char *text)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->blocks = vp_xrealloc(l->blocks, l->cap * sizeof(*l->blocks));
    }
    l->blocks[l->n].kind = kind;
    l->blocks[l->n].text = vp_xstrdup(text ? text : "");
    l->n++;
}

void cletter_addf(struct cletter *l, enum cletter_kind kind, const char *fmt, ...)
{
    struct vp_buf b = VP_BUF_INIT;
    va_list ap;
    char small[512];
    int n;
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof(small)) {
        cletter_add(l, kind, small);
        return;
    }
    vp_buf_grow(&b, (size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(b.data, b.cap, fmt, ap);
    va_end(ap);
    cletter_add(l, kind, b.data);
    vp_buf_release(&b);
}

void cletter_set_footer(struct cletter *l, const char *footer)
{
    free(l->footer);
    l->footer = footer ? vp_xstrdup(footer) : NULL;
}

void cletter_set_title(struct cletter *l, const char *title)
{
    free(l->title);
    l->title = title ? vp_xstrdup(title) : NULL;
}

/* ---- layout ---- */

struct style {
    const char *font;
    double before, after, indent, grey;
};

static const struct style styles[] = {
    [CLETTER_TITLE] = { "DejaVu Sans Bold 18", 0, 4, 0, 0.12 },
    [CLETTER_SUB] = { "DejaVu Sans 9.5", 0, 16, 0, 0.33 },
    [CLETTER_HEADING] = { "DejaVu Sans Bold 12", 14, 5, 0, 0.12 },
    [CLETTER_PARA] = { "DejaVu Sans 10.5", 0, 7, 0, 0.12 },
    [CLETTER_ITEM] = { "DejaVu Sans 10.5", 0, 5, 14, 0.12 },
    [CLETTER_QUOTE] = { "DejaVu Sans Oblique 10", 0, 7, 28, 0.25 },
    [CLETTER_FILL] = { "DejaVu Sans 10.5", 4, 12, 0, 0.12 },
    [CLETTER_SMALL] = { "DejaVu Sans 8.5", 0, 4, 0, 0.33 },
};

struct pen {
    cairo_t *cr;
    const struct cletter *l;
    bool draw;
    int page, pages;
    double y;
};

static PangoLayout *layout_new(cairo_t *cr, const char *font, const char *text, double width)
{
    PangoLayout *lay = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    gchar *valid = g_utf8_make_valid(text, -1); /* never trust bytes to be UTF-8 */
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(lay, valid, -1);
    g_free(valid);
    return lay;
}

static void footer(struct pen *p)
{
    char num[32];
    PangoLayout *lay;
    if (!p->draw)
        return;
    cairo_set_source_rgb(p->cr, 0.33, 0.33, 0.33);
    if (p->l->footer) {
        lay = layout_new(p->cr, "DejaVu Sans 8", p->l->footer, PAGE_W - 2 * MARGIN - 60);
        cairo_move_to(p->cr, MARGIN, FOOTER_Y);
        pango_cairo_show_layout(p->cr, lay);
        g_object_unref(lay);
    }
    snprintf(num, sizeof(num), "%d / %d", p->page, p->pages);
    lay = layout_new(p->cr, "DejaVu Sans 8", num, 60);
    pango_layout_set_alignment(lay, PANGO_ALIGN_RIGHT);
    cairo_move_to(p->cr, PAGE_W - MARGIN - 60, FOOTER_Y);
    pango_cairo_show_layout(p->cr, lay);
    g_object_unref(lay);
}

static void new_page(struct pen *p)
{
    footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN;
}

/* The line to fill in, from the end of the text to the right margin. */
static void fill_line(struct pen *p, double x, double baseline)
{
    if (!p->draw)
        return;
    cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(p->cr, 0.6);
    cairo_move_to(p->cr, x + 6, baseline + 2);
    cairo_line_to(p->cr, PAGE_W - MARGIN, baseline + 2);
    cairo_stroke(p->cr);
}

/* The dash in front of a list item's first line. */
static void dash(struct pen *p, const char *font)
{
    PangoLayout *lay = layout_new(p->cr, font, "\xE2\x80\x93", 12);
    cairo_move_to(p->cr, MARGIN + 2, p->y);
    pango_cairo_show_layout(p->cr, lay);
    g_object_unref(lay);
}

static void block(struct pen *p, const struct cletter_block *b)
{
    const struct style *s = &styles[b->kind];
    double x = MARGIN + s->indent, last_x = x, last_base = p->y;
    PangoLayout *lay = layout_new(p->cr, s->font, b->text, PAGE_W - MARGIN - x);
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    bool first = true;
    if (b->kind == CLETTER_HEADING && p->y + KEEP > BOTTOM)
        new_page(p);
    if (p->y > MARGIN)
        p->y += s->before;
    do {
        PangoRectangle ink, logical;
        double h, base;
        pango_layout_iter_get_line_extents(it, &ink, &logical);
        h = (double)logical.height / PANGO_SCALE;
        if (p->y + h > BOTTOM)
            new_page(p);
        base = p->y + (double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
        if (p->draw) {
            cairo_set_source_rgb(p->cr, s->grey, s->grey, s->grey);
            if (b->kind == CLETTER_HEADING)
                cairo_set_source_rgb(p->cr, 0.18, 0.36, 0.38); /* the console's teal */
            if (first && b->kind == CLETTER_ITEM)
                dash(p, s->font);
            cairo_move_to(p->cr, x + (double)logical.x / PANGO_SCALE, base);
            pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        }
        last_x = x + (double)(logical.x + logical.width) / PANGO_SCALE;
        last_base = base;
        p->y += h;
        first = false;
    } while (pango_layout_iter_next_line(it));
    if (b->kind == CLETTER_FILL)
        fill_line(p, last_x, last_base);
    p->y += s->after;
    pango_layout_iter_free(it);
    g_object_unref(lay);
}

static void lay_out(struct pen *p)
{
    p->page = 1;
    p->y = MARGIN;
    for (size_t i = 0; i < p->l->n; i++)
        block(p, &p->l->blocks[i]);
    footer(p);
    cairo_show_page(p->cr);
}

/* ---- the PDF ---- */

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    vp_buf_add(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_nowhere(void *closure, const unsigned char *data, unsigned int len)
{
    (void)closure;
    (void)data;
    (void)len;
    return CAIRO_STATUS_SUCCESS;
}

/* One pass on a fresh PDF surface; the page count in *pages. */
static bool pass(const struct cletter *l, bool draw, int *pages, struct vp_buf *out)
{
    cairo_surface_t *sf =
        cairo_pdf_surface_create_for_stream(draw ? to_buf : to_nowhere, out, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(sf);
    struct pen p = { cr, l, draw, 1, *pages, MARGIN };
    bool ok;
    if (draw && l->title)
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, l->title);
    if (draw)
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "vindplaats");
    lay_out(&p);
    *pages = p.page;
    ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_finish(sf);
    ok = ok && cairo_surface_status(sf) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(sf);
    return ok;
}

vp_result cletter_pdf(const struct cletter *l, struct vp_buf *out)
{
    struct vp_buf pdf = VP_BUF_INIT;
    int pages = 1;
    vp_result res = VP_ERR_IO;
    if (pass(l, false, &pages, NULL) && pass(l, true, &pages, &pdf)) {
        vp_buf_add(out, pdf.data, pdf.len);
        res = VP_OK;
    }
    vp_buf_release(&pdf);
    return res;
}
