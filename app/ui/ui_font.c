/*
 * ui_font.c - fonts (found through fontconfig), the text texture cache,
 * measuring, shortening and wrapping.
 */
#include "ui_internal.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include <fontconfig/fontconfig.h>
#include <string.h>

#define ELLIPSIS "\xE2\x80\xA6"

static char *fc_find(const char *pattern)
{
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern), *match;
    FcResult res = FcResultNoMatch;
    FcChar8 *file = NULL;
    char *out = NULL;
    if (!pat)
        return NULL;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    match = FcFontMatch(NULL, pat, &res);
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
        out = vp_xstrdup((const char *)file);
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    return out;
}

bool ui_font_init(struct ui *ui, const char *override, char *err, size_t errsize)
{
    const char *env = SDL_getenv("VINDPLAATS_FONT");
    TTF_Font *probe;
    if (!override || !*override)
        override = env && *env ? env : NULL;
    if (override) {
        ui->font_file[0] = vp_xstrdup(override);
        ui->font_file[1] = NULL; /* bold is synthesised */
    } else {
        if (FcInit()) {
            ui->font_file[0] = fc_find("DejaVu Sans:style=Book");
            ui->font_file[1] = fc_find("DejaVu Sans:style=Bold");
        }
        if (!ui->font_file[0]) {
            SDL_snprintf(err, errsize,
                         "no font found (install fonts-dejavu-core or set "
                         "VINDPLAATS_FONT)");
            return false;
        }
    }
    probe = TTF_OpenFont(ui->font_file[0], 24);
    if (!probe) {
        SDL_snprintf(err, errsize, "cannot open font %s: %s", ui->font_file[0], TTF_GetError());
        return false;
    }
    TTF_CloseFont(probe);
    return true;
}

void ui_font_flush(struct ui *ui)
{
    for (size_t b = 0; b < UI_TEX_BUCKETS; b++) {
        struct ui_tex *t = ui->tex[b];
        while (t) {
            struct ui_tex *next = t->next;
            SDL_DestroyTexture(t->tex);
            free(t->text);
            free(t);
            t = next;
        }
        ui->tex[b] = NULL;
    }
    ui->ntex = 0;
    for (int i = 0; i < ui->nfonts; i++)
        TTF_CloseFont(ui->fonts[i].ttf);
    ui->nfonts = 0;
}

void ui_font_release(struct ui *ui)
{
    ui_font_flush(ui);
    free(ui->font_file[0]);
    free(ui->font_file[1]);
    ui->font_file[0] = ui->font_file[1] = NULL;
}

TTF_Font *ui_font_get(struct ui *ui, int font)
{
    struct ui_font_slot *slot;
    bool bold = (font & UI_BOLD) != 0;
    int size = font & ~UI_BOLD, px = ui_px(ui, size);
    const char *file = bold && ui->font_file[1] ? ui->font_file[1] : ui->font_file[0];
    for (int i = 0; i < ui->nfonts; i++)
        if (ui->fonts[i].font == font && ui->fonts[i].px == px)
            return ui->fonts[i].ttf;
    if (ui->nfonts == UI_MAX_FONTS) {
        ui_font_flush(ui); /* textures refer to no font, but keep it simple */
    }
    slot = &ui->fonts[ui->nfonts];
    slot->ttf = TTF_OpenFont(file, px > 0 ? px : 1);
    if (!slot->ttf)
        slot->ttf = TTF_OpenFont(ui->font_file[0], px > 0 ? px : 1);
    if (!slot->ttf) {
        SDL_Log("font %s: %s", file, TTF_GetError());
        abort(); /* it opened at start; losing it now is not recoverable */
    }
    if (bold && !ui->font_file[1])
        TTF_SetFontStyle(slot->ttf, TTF_STYLE_BOLD);
    TTF_SetFontHinting(slot->ttf, TTF_HINTING_LIGHT);
    slot->font = font;
    slot->px = px;
    ui->nfonts++;
    return slot->ttf;
}

static uint64_t hash_text(int font, const char *s)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(unsigned)font;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

struct ui_tex *ui_text_texture(struct ui *ui, int font, ui_color color, const char *text)
{
    uint64_t h = hash_text(font, text) ^ ((uint64_t)color * 0x9E3779B97F4A7C15ULL);
    struct ui_tex **bucket = &ui->tex[h % UI_TEX_BUCKETS], *t;
    SDL_Color c = { (Uint8)(color >> 24), (Uint8)(color >> 16), (Uint8)(color >> 8), (Uint8)color };
    SDL_Surface *surf;
    for (t = *bucket; t; t = t->next) {
        if (t->hash == h && t->font == font && t->color == color && vp_str_eq(t->text, text)) {
            t->used = ui->frame_no;
            return t;
        }
    }
    surf = TTF_RenderUTF8_Blended(ui_font_get(ui, font), text, c);
    if (!surf)
        return NULL;
    t = vp_xcalloc(1, sizeof(*t));
    t->tex = SDL_CreateTextureFromSurface(ui->ren, surf);
    t->w = surf->w;
    t->h = surf->h;
    SDL_FreeSurface(surf);
    if (!t->tex) {
        free(t);
        return NULL;
    }
    SDL_SetTextureBlendMode(t->tex, SDL_BLENDMODE_BLEND);
    t->hash = h;
    t->font = font;
    t->color = color;
    t->text = vp_xstrdup(text);
    t->used = ui->frame_no;
    t->next = *bucket;
    *bucket = t;
    ui->ntex++;
    return t;
}

void ui_text_trim(struct ui *ui)
{
    uint64_t now = ui->frame_no++;
    if (ui->ntex <= UI_TEX_KEEP)
        return;
    for (size_t b = 0; b < UI_TEX_BUCKETS; b++) {
        struct ui_tex **pp = &ui->tex[b];
        while (*pp) {
            struct ui_tex *t = *pp;
            if (t->used < now) {
                *pp = t->next;
                SDL_DestroyTexture(t->tex);
                free(t->text);
                free(t);
                ui->ntex--;
            } else {
                pp = &t->next;
            }
        }
    }
}

int ui_text_width(struct ui *ui, int font, const char *text)
{
    int w = 0, h = 0;
    if (!text || !*text)
        return 0;
    TTF_SizeUTF8(ui_font_get(ui, font), text, &w, &h);
    return (int)((float)w / ui->scale + 0.99f);
}

int ui_line_height(struct ui *ui, int font)
{
    return (int)((float)TTF_FontHeight(ui_font_get(ui, font)) / ui->scale + 0.5f);
}

/* The longest prefix of text (whole code points) that fits in w with an
 * ellipsis after it, as a new string. */
static char *shorten(struct ui *ui, int font, const char *text, int w)
{
    size_t len = strlen(text);
    struct vp_buf b = VP_BUF_INIT;
    while (len > 0) {
        len -= vp_utf8_last_char_len(text, len);
        while (len > 0 && text[len - 1] == ' ')
            len--;
        vp_buf_reset(&b);
        vp_buf_add(&b, text, len);
        vp_buf_adds(&b, ELLIPSIS);
        if (ui_text_width(ui, font, b.data) <= w)
            break;
    }
    if (len == 0) {
        vp_buf_reset(&b);
        vp_buf_adds(&b, ELLIPSIS);
    }
    return vp_buf_detach(&b, NULL);
}

int ui_text_in(struct ui *ui, struct ui_rect r, int font, ui_color c, enum ui_align align,
               const char *text)
{
    int tw, lh, x;
    char *cut = NULL;
    if (!text || !*text)
        return 0;
    tw = ui_text_width(ui, font, text);
    lh = ui_line_height(ui, font);
    if (tw > r.w) {
        ui_info(ui, (struct ui_rect){ r.x, r.y + (r.h - lh) / 2, tw, lh }, text, true);
        cut = shorten(ui, font, text, r.w);
        text = cut;
        tw = ui_text_width(ui, font, text);
    }
    x = align == UI_LEFT ? r.x : align == UI_CENTER ? r.x + (r.w - tw) / 2 : r.x + r.w - tw;
    if (ui_text(ui, x, r.y + (r.h - lh) / 2, font, c, text) > 0 && cut)
        ui_last_item(ui)->cut = true;
    free(cut);
    return tw;
}

/* How many bytes of s (len bytes, whole characters, at least one) fit in
 * width w. */
static size_t fit_chars(struct ui *ui, int font, const char *s, size_t len, int w)
{
    struct vp_buf b = VP_BUF_INIT;
    size_t n = 0;
    while (n < len) {
        size_t step = vp_utf8_seq_len(s + n, len - n);
        if (step == 0)
            step = 1;
        vp_buf_reset(&b);
        vp_buf_add(&b, s, n + step);
        if (n > 0 && ui_text_width(ui, font, b.data) > w)
            break;
        n += step;
    }
    vp_buf_release(&b);
    return n;
}

/* Calls line() for each wrapped line of text; returns the line count. */
static int wrap(struct ui *ui, int w, int font, const char *text, int max_lines,
                void (*line)(void *ctx, const char *s, int index, bool last), void *ctx)
{
    struct vp_buf cur = VP_BUF_INIT, tryb = VP_BUF_INIT;
    const char *p = text;
    int n = 0;
    while (*p && (max_lines == 0 || n < max_lines)) {
        vp_buf_reset(&cur);
        /* add words while they fit */
        while (*p && *p != '\n') {
            const char *e = p;
            while (*e && *e != ' ' && *e != '\n')
                e++;
            vp_buf_reset(&tryb);
            vp_buf_add(&tryb, cur.data, cur.len);
            if (cur.len)
                vp_buf_addch(&tryb, ' ');
            vp_buf_add(&tryb, p, (size_t)(e - p));
            if (cur.len && ui_text_width(ui, font, tryb.data) > w)
                break;
            if (!cur.len && ui_text_width(ui, font, tryb.data) > w) {
                /* one word wider than the line (a URL): break it where it
                 * has to, at a character */
                e = p + fit_chars(ui, font, p, (size_t)(e - p), w);
                vp_buf_reset(&cur);
                vp_buf_add(&cur, p, (size_t)(e - p));
                p = e;
                break;
            }
            vp_buf_reset(&cur);
            vp_buf_add(&cur, tryb.data, tryb.len);
            p = e;
            while (*p == ' ')
                p++;
        }
        if (*p == '\n')
            p++;
        n++;
        if (line)
            line(ctx, cur.data, n - 1, *p == '\0' || (max_lines && n == max_lines));
        if (max_lines && n == max_lines && *p && line)
            line(ctx, NULL, n - 1, true); /* signal: more text was cut */
    }
    vp_buf_release(&cur);
    vp_buf_release(&tryb);
    return n;
}

struct wrap_draw {
    struct ui *ui;
    struct ui_rect r;
    int font, lh;
    ui_color c;
    char *pending; /* last line, drawn at the end (may need an ellipsis) */
    int pending_index;
    bool cut;  /* some of the text is not drawn */
    int width; /* widest line */
};

static void flush_pending(struct wrap_draw *d, bool cut)
{
    struct vp_buf b = VP_BUF_INIT;
    struct ui_item *it;
    int tw;
    if (!d->pending)
        return;
    vp_buf_adds(&b, d->pending);
    if (cut) {
        vp_buf_adds(&b, " " ELLIPSIS);
        d->cut = true;
    }
    tw = ui_text_in(d->ui,
                    (struct ui_rect){ d->r.x, d->r.y + d->pending_index * d->lh, d->r.w, d->lh },
                    d->font, d->c, UI_LEFT, b.data);
    if (tw > d->width)
        d->width = tw;
    it = ui_last_item(d->ui);
    if (it && it->kind == IT_TEXT) {
        it->para = true;
        if (it->cut)
            d->cut = true;
        if (cut)
            it->cut = true;
    }
    vp_buf_release(&b);
    free(d->pending);
    d->pending = NULL;
}

static void draw_line(void *ctx, const char *s, int index, bool last)
{
    struct wrap_draw *d = ctx;
    if (!s) {
        flush_pending(d, true);
        return;
    }
    flush_pending(d, false);
    d->pending = vp_xstrdup(s);
    d->pending_index = index;
    (void)last;
}

int ui_text_wrap(struct ui *ui, struct ui_rect r, int font, ui_color c, const char *text,
                 int max_lines)
{
    struct wrap_draw d = { ui, r, font, ui_line_height(ui, font), c, NULL, 0, false, 0 };
    int n;
    if (!text || !*text)
        return 0;
    n = wrap(ui, r.w, font, text, max_lines, draw_line, &d);
    flush_pending(&d, false);
    ui_info(ui, (struct ui_rect){ r.x, r.y, d.width, n * d.lh }, text, d.cut);
    return n * d.lh;
}

int ui_wrap_height(struct ui *ui, int w, int font, const char *text, int max_lines)
{
    if (!text || !*text)
        return 0;
    return wrap(ui, w, font, text, max_lines, NULL, NULL) * ui_line_height(ui, font);
}

struct page_draw {
    struct ui *ui;
    struct ui_rect r;
    int font, lh, first, n;
    ui_color c;
    struct vp_buf shown; /* the page's lines, for scripts */
    int width;
};

static void page_line(void *ctx, const char *s, int index, bool last)
{
    struct page_draw *d = ctx;
    struct ui_item *it;
    int tw;
    (void)last;
    if (!s || index < d->first || index >= d->first + d->n)
        return;
    tw = ui_text_in(d->ui,
                    (struct ui_rect){ d->r.x, d->r.y + (index - d->first) * d->lh, d->r.w, d->lh },
                    d->font, d->c, UI_LEFT, s);
    if (tw > d->width)
        d->width = tw;
    it = ui_last_item(d->ui);
    if (it && it->kind == IT_TEXT)
        it->para = true;
    if (d->shown.len)
        vp_buf_addch(&d->shown, ' ');
    vp_buf_adds(&d->shown, s);
}

int ui_text_page(struct ui *ui, struct ui_rect r, int font, ui_color c, const char *text,
                 int first_line, int max_lines)
{
    struct page_draw d = { ui, r,           font, ui_line_height(ui, font), first_line, max_lines,
                           c,  VP_BUF_INIT, 0 };
    int n;
    if (!text || !*text)
        return 0;
    n = wrap(ui, r.w, font, text, 0, page_line, &d);
    if (d.shown.len) {
        int drawn = n - first_line < max_lines ? n - first_line : max_lines;
        ui_info(ui, (struct ui_rect){ r.x, r.y, d.width, drawn * d.lh }, d.shown.data, false);
    }
    vp_buf_release(&d.shown);
    return n;
}
