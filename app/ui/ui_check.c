/*
 * ui_check.c - inspecting a frame for scripts and tests: finding controls,
 * which texts a person can read in full, and the layout check (overlaps,
 * cut text, small text and targets, contrast).
 */
#include "ui_internal.h"
#include "vp_str.h"
#include <math.h>
#include <string.h>

#define MIN_TEXT_PX  20 /* a short label (a badge, "pm'er") */
#define MIN_BODY_PX  24 /* a sentence or a paragraph */
#define BODY_WORDS   5  /* a text of this many words is a sentence */
#define MIN_CONTRAST 4.5

size_t ui_last_block(const struct ui *ui, bool opaque_only)
{
    size_t i = ui->nitems;
    while (i-- > 0) {
        const struct ui_item *it = &ui->items[i];
        if (it->kind == IT_BLOCK && (!opaque_only || (it->fill & 0xFF) == 0xFF))
            return i;
    }
    return UI_NONE;
}

static size_t layer_start(const struct ui *ui, bool opaque_only)
{
    size_t b = ui_last_block(ui, opaque_only);
    return b == UI_NONE ? 0 : b + 1;
}

static void find(struct ui *ui, const char *want, bool key, struct ui_found *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = layer_start(ui, false); i < ui->nitems; i++) {
        const struct ui_item *it = &ui->items[i];
        const char *s = ui_str(ui, key ? it->key : it->label);
        if (it->kind != IT_CONTROL || !s || !vp_str_eq(s, want))
            continue;
        if (out->count++ == 0)
            out->rect = it->r;
    }
}

void ui_find_control(struct ui *ui, const char *label, struct ui_found *out)
{
    find(ui, label, false, out);
}

void ui_find_key(struct ui *ui, const char *key, struct ui_found *out)
{
    find(ui, key, true, out);
}

bool ui_text_visible(struct ui *ui, const char *text)
{
    for (size_t i = layer_start(ui, true); i < ui->nitems; i++) {
        const struct ui_item *it = &ui->items[i];
        const char *a = ui_str(ui, it->text), *b = ui_str(ui, it->label);
        if ((a && strstr(a, text)) || (b && strstr(b, text)))
            return true;
    }
    return false;
}

/* ---- geometry ---- */

static bool overlap(struct ui_rect a, struct ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static bool contains(struct ui_rect outer, struct ui_rect in)
{
    return in.x >= outer.x && in.y >= outer.y && in.x + in.w <= outer.x + outer.w &&
           in.y + in.h <= outer.y + outer.h;
}

static bool on_screen(const struct ui *ui, struct ui_rect r)
{
    return contains((struct ui_rect){ 0, 0, ui->w, ui->h }, r);
}

/* Does item j, drawn after a text with box r, hide part of it? */
static bool hides(const struct ui_item *j, struct ui_rect r)
{
    switch (j->kind) {
    case IT_FILL:
    case IT_DISC:
    case IT_TEXT:
    case IT_CONTROL:
        return ((j->kind == IT_TEXT ? 0xFF : j->fill & 0xFF) != 0 || j->thick > 0) &&
               overlap(j->r, r);
    case IT_BLOCK: return true;
    case IT_FRAME:
    case IT_RING: {
        struct ui_rect in = { j->r.x + j->thick, j->r.y + j->thick, j->r.w - 2 * j->thick,
                              j->r.h - 2 * j->thick };
        return overlap(j->r, r) && !contains(in, r);
    }
    default: return false;
    }
}

static bool covered(const struct ui *ui, size_t i)
{
    for (size_t j = i + 1; j < ui->nitems; j++)
        if (hides(&ui->items[j], ui->items[i].r))
            return true;
    return false;
}

/* A text item a person reads in full: drawn whole, inside the window, not
 * covered. For a paragraph (IT_INFO) its lines are checked through its
 * box: they lie inside it, drawn just before it. */
static bool readable(const struct ui *ui, size_t i)
{
    const struct ui_item *it = &ui->items[i];
    return !it->cut && on_screen(ui, it->r) && !covered(ui, i);
}

bool ui_text_shown(struct ui *ui, const char *text)
{
    for (size_t i = layer_start(ui, true); i < ui->nitems; i++) {
        const struct ui_item *it = &ui->items[i];
        const char *s = it->kind == IT_TEXT   ? ui_str(ui, it->text)
                        : it->kind == IT_INFO ? ui_str(ui, it->label)
                                              : NULL;
        if (s && strstr(s, text) && readable(ui, i))
            return true;
    }
    return false;
}

void ui_visible_texts(struct ui *ui, char *out, size_t size)
{
    size_t len = 0;
    if (size == 0)
        return;
    out[0] = '\0';
    for (size_t i = layer_start(ui, true); i < ui->nitems && len + 1 < size; i++) {
        const char *a = ui_str(ui, ui->items[i].text);
        if (!a)
            continue;
        len += vp_strlcpy(out + len, len ? " | " : "", size - len);
        if (len < size)
            len += vp_strlcpy(out + len, a, size - len);
        if (len < size && ui->items[i].cut)
            len += vp_strlcpy(out + len, " [cut]", size - len);
    }
}

void ui_describe(struct ui *ui, struct vp_buf *out)
{
    size_t block = ui_last_block(ui, false), opaque = ui_last_block(ui, true);
    for (size_t i = 0; i < ui->nitems; i++) {
        const struct ui_item *it = &ui->items[i];
        const char *label = ui_str(ui, it->label), *text = ui_str(ui, it->text);
        if (it->kind == IT_CONTROL && label && (block == UI_NONE || i > block))
            vp_buf_addf(out, "control\t%d\t%d\t%d\t%d\t%s\n", it->r.x, it->r.y, it->r.w, it->r.h,
                        label);
        else if (it->kind == IT_TEXT && text && (opaque == UI_NONE || i > opaque))
            vp_buf_addf(out, "text\t%s\n", text);
    }
}

/* ---- contrast ---- */

static double channel(unsigned v)
{
    double c = (double)v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(ui_color c)
{
    return 0.2126 * channel((c >> 24) & 0xFF) + 0.7152 * channel((c >> 16) & 0xFF) +
           0.0722 * channel((c >> 8) & 0xFF);
}

static ui_color blend(ui_color under, ui_color over)
{
    unsigned a = over & 0xFF, out = 0xFF;
    for (int sh = 24; sh >= 8; sh -= 8) {
        unsigned u = (under >> sh) & 0xFF, o = (over >> sh) & 0xFF;
        out |= ((o * a + u * (255 - a)) / 255) << sh;
    }
    return out;
}

static bool covers_point(const struct ui_item *it, int x, int y)
{
    struct ui_rect r = it->r;
    if (it->kind == IT_DISC) {
        int dx = x - (r.x + r.w / 2), dy = y - (r.y + r.h / 2);
        return dx * dx + dy * dy <= it->radius * it->radius;
    }
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* The colour behind item i at (x, y): everything drawn before it. */
static ui_color behind(const struct ui *ui, size_t i, int x, int y)
{
    ui_color c = ui->bg | 0xFF;
    for (size_t j = 0; j < i; j++) {
        const struct ui_item *it = &ui->items[j];
        bool fills = it->kind == IT_FILL || it->kind == IT_DISC || it->kind == IT_CONTROL ||
                     it->kind == IT_BLOCK;
        if (fills && (it->fill & 0xFF) && (it->kind == IT_BLOCK || covers_point(it, x, y)))
            c = blend(c, it->fill);
    }
    return c;
}

static double ratio(ui_color a, ui_color b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The lowest contrast of text item i against what is behind it, sampled
 * at its middle and near both ends. */
static double text_contrast(const struct ui *ui, size_t i)
{
    const struct ui_item *it = &ui->items[i];
    struct ui_rect r = it->r;
    int ys = r.y + r.h / 2, xs[3] = { r.x + 2, r.x + r.w / 2, r.x + r.w - 3 };
    double worst = 21.0;
    for (int k = 0; k < 3; k++) {
        double q = ratio(it->fill | 0xFF, behind(ui, i, xs[k], ys));
        if (q < worst)
            worst = q;
    }
    return worst;
}

/* ---- the layout check ---- */

/* Words: runs without spaces that hold a letter or digit ("·" is none). */
static int words(const char *s)
{
    int n = 0;
    bool in = false, counted = false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool sp = c == ' ';
        if (sp) {
            in = counted = false;
            continue;
        }
        in = true;
        if (!counted && ((c >= 0xC3 && c < 0xE0) || (c >= '0' && c <= '9') ||
                         ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
            n++;
            counted = true;
        }
    }
    (void)in;
    return n;
}

static void finding(struct vp_buf *out, int *n, const char *what, const char *text,
                    struct ui_rect r)
{
    vp_buf_addf(out, "%s: \"%s\" at %d,%d %dx%d\n", what, text ? text : "", r.x, r.y, r.w, r.h);
    (*n)++;
}

static const char *name_of(const struct ui *ui, const struct ui_item *it)
{
    const char *s = ui_str(ui, it->kind == IT_TEXT ? it->text : it->label);
    return s ? s : "";
}

/* Only the full text of a cut one says what was cut. */
static const char *full_text(const struct ui *ui, size_t i)
{
    while (i-- > 0 && ui->items[i].kind == IT_INFO)
        if (ui->items[i].cut)
            return ui_str(ui, ui->items[i].label);
    return NULL;
}

static void check_control(const struct ui *ui, size_t i, size_t from, struct vp_buf *out, int *n)
{
    const struct ui_item *it = &ui->items[i];
    const char *name = name_of(ui, it);
    if (!on_screen(ui, it->r))
        finding(out, n, "control off the screen", name, it->r);
    if (it->r.w < UI_TARGET_MIN || it->r.h < UI_TARGET_MIN)
        finding(out, n, "target under 64 px", name, it->r);
    for (size_t j = i + 1; j < ui->nitems; j++) {
        const struct ui_item *o = &ui->items[j];
        if (o->kind == IT_CONTROL && overlap(it->r, o->r)) {
            struct vp_buf b = VP_BUF_INIT;
            vp_buf_addf(&b, "%s\" and \"%s", name, name_of(ui, o));
            finding(out, n, "controls overlap", b.data, it->r);
            vp_buf_release(&b);
        } else if ((o->kind == IT_FILL || o->kind == IT_DISC) && (o->fill & 0xFF) == 0xFF &&
                   overlap(it->r, o->r) && !contains(it->r, o->r)) {
            finding(out, n, "control partly covered", name, it->r);
        }
    }
    (void)from;
}

static void check_text(const struct ui *ui, size_t i, size_t from, struct vp_buf *out, int *n)
{
    const struct ui_item *it = &ui->items[i];
    const char *text = name_of(ui, it);
    int px = it->font & ~UI_BOLD;
    double q;
    if (it->cut) {
        const char *full = full_text(ui, i);
        finding(out, n, "text cut", full ? full : text, it->r);
    }
    if (!on_screen(ui, it->r))
        finding(out, n, "text off the screen", text, it->r);
    if (covered(ui, i))
        finding(out, n, "text covered", text, it->r);
    for (size_t j = from; j < i; j++) {
        const struct ui_item *b = &ui->items[j];
        bool box = (b->kind == IT_FILL || b->kind == IT_CONTROL) &&
                   ((b->fill & 0xFF) == 0xFF || b->thick > 0) && b->r.w > 2 && b->r.h > 2;
        if (box && overlap(b->r, it->r) && !contains(b->r, it->r)) {
            finding(out, n, "text runs over the edge of a box", text, it->r);
            break;
        }
    }
    if (px < MIN_TEXT_PX)
        finding(out, n, "text under 20 px", text, it->r);
    else if (px < MIN_BODY_PX && (it->para || words(text) >= BODY_WORDS))
        finding(out, n, "body text under 24 px", text, it->r);
    q = text_contrast(ui, i);
    if (q < MIN_CONTRAST) {
        struct vp_buf b = VP_BUF_INIT;
        vp_buf_addf(&b, "contrast %.1f:1", q);
        finding(out, n, b.data, text, it->r);
        vp_buf_release(&b);
    }
}

int ui_layout_check(struct ui *ui, struct vp_buf *out)
{
    size_t from = layer_start(ui, false);
    int n = 0;
    for (size_t i = from; i < ui->nitems; i++) {
        if (ui->items[i].kind == IT_CONTROL)
            check_control(ui, i, from, out, &n);
        else if (ui->items[i].kind == IT_TEXT)
            check_text(ui, i, from, out, &n);
    }
    return n;
}
