/*
 * ui_render.c - drawing the display list: anti-aliased rounded boxes from
 * cached quarter-circle textures, cached text, the pressed look.
 */
#include "ui_internal.h"
#include <math.h>
#include <stdlib.h>

/* Opaque fills skip blending: the software renderer then fills memory
 * instead of blending every pixel. */
static void set_color(struct ui *ui, ui_color c)
{
    SDL_SetRenderDrawBlendMode(ui->ren,
                               (c & 0xFF) == 0xFF ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(ui->ren, (Uint8)(c >> 24), (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c);
}

/* A white circle of radius r (ring of thickness t if t > 0) in a 2r x 2r
 * texture, its alpha the covered fraction of each pixel (4x4 samples). */
static SDL_Texture *make_corner(struct ui *ui, int r, int t)
{
    int size = 2 * r;
    Uint32 *px = malloc((size_t)size * (size_t)size * sizeof(Uint32));
    SDL_Texture *tex;
    float ro = (float)r, ri = t > 0 ? (float)(r - t) : -1.0f;
    if (!px)
        abort();
    for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
            int cover = 0;
            for (int sy = 0; sy < 4; sy++) {
                for (int sx = 0; sx < 4; sx++) {
                    float dx = (float)x + ((float)sx + 0.5f) / 4.0f - ro;
                    float dy = (float)y + ((float)sy + 0.5f) / 4.0f - ro;
                    float d2 = dx * dx + dy * dy;
                    if (d2 <= ro * ro && (ri < 0 || d2 > ri * ri))
                        cover++;
                }
            }
            px[y * size + x] = ((Uint32)(cover * 255 / 16) << 24) | 0xFFFFFFu;
        }
    }
    tex =
        SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, size, size);
    if (tex) {
        SDL_UpdateTexture(tex, NULL, px, size * (int)sizeof(Uint32));
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    }
    free(px);
    return tex;
}

static SDL_Texture *corner(struct ui *ui, int r, int t)
{
    for (int i = 0; i < ui->ncorners; i++)
        if (ui->corners[i].r == r && ui->corners[i].t == t)
            return ui->corners[i].tex;
    if (ui->ncorners == UI_MAX_CORNERS)
        ui_corner_release(ui);
    ui->corners[ui->ncorners].r = r;
    ui->corners[ui->ncorners].t = t;
    ui->corners[ui->ncorners].tex = make_corner(ui, r, t);
    return ui->corners[ui->ncorners++].tex;
}

void ui_corner_release(struct ui *ui)
{
    for (int i = 0; i < ui->ncorners; i++)
        if (ui->corners[i].tex)
            SDL_DestroyTexture(ui->corners[i].tex);
    ui->ncorners = 0;
}

static SDL_Rect to_px(const struct ui *ui, struct ui_rect r)
{
    int x0 = ui_px(ui, r.x), y0 = ui_px(ui, r.y);
    SDL_Rect o = { x0, y0, ui_px(ui, r.x + r.w) - x0, ui_px(ui, r.y + r.h) - y0 };
    return o;
}

static void tint(SDL_Texture *tex, ui_color c)
{
    SDL_SetTextureColorMod(tex, (Uint8)(c >> 24), (Uint8)(c >> 16), (Uint8)(c >> 8));
    SDL_SetTextureAlphaMod(tex, (Uint8)c);
}

static void corners4(struct ui *ui, SDL_Texture *tex, SDL_Rect b, int r)
{
    SDL_Rect s[4] = { { 0, 0, r, r }, { r, 0, r, r }, { 0, r, r, r }, { r, r, r, r } };
    SDL_Rect d[4] = { { b.x, b.y, r, r },
                      { b.x + b.w - r, b.y, r, r },
                      { b.x, b.y + b.h - r, r, r },
                      { b.x + b.w - r, b.y + b.h - r, r, r } };
    for (int i = 0; i < 4; i++)
        SDL_RenderCopy(ui->ren, tex, &s[i], &d[i]);
}

static int clamp_radius(SDL_Rect b, int r)
{
    if (r > b.w / 2)
        r = b.w / 2;
    if (r > b.h / 2)
        r = b.h / 2;
    return r < 0 ? 0 : r;
}

static void fill_box(struct ui *ui, SDL_Rect b, int radius_px, ui_color c)
{
    int r = clamp_radius(b, radius_px);
    SDL_Texture *tex = r > 0 ? corner(ui, r, 0) : NULL;
    if ((c & 0xFF) == 0 || b.w <= 0 || b.h <= 0)
        return;
    set_color(ui, c);
    if (!tex) {
        SDL_RenderFillRect(ui->ren, &b);
        return;
    }
    SDL_Rect mid[3] = { { b.x + r, b.y, b.w - 2 * r, b.h },
                        { b.x, b.y + r, r, b.h - 2 * r },
                        { b.x + b.w - r, b.y + r, r, b.h - 2 * r } };
    SDL_RenderFillRects(ui->ren, mid, 3);
    tint(tex, c);
    corners4(ui, tex, b, r);
}

static void frame_box(struct ui *ui, SDL_Rect b, int radius_px, int t, ui_color c)
{
    int r = clamp_radius(b, radius_px);
    SDL_Texture *tex;
    if ((c & 0xFF) == 0 || t <= 0 || b.w <= 0 || b.h <= 0)
        return;
    if (r < t)
        r = t;
    tex = corner(ui, r, t);
    set_color(ui, c);
    SDL_Rect e[4] = { { b.x + r, b.y, b.w - 2 * r, t },
                      { b.x + r, b.y + b.h - t, b.w - 2 * r, t },
                      { b.x, b.y + r, t, b.h - 2 * r },
                      { b.x + b.w - t, b.y + r, t, b.h - 2 * r } };
    SDL_RenderFillRects(ui->ren, e, 4);
    if (tex) {
        tint(tex, c);
        corners4(ui, tex, b, r);
    }
}

/* Pressed look: the fill moves 12% toward the ink (white becomes a light
 * grey, teal a deeper teal). */
static ui_color pressed_color(ui_color c)
{
    int r = (int)(c >> 24), g = (int)((c >> 16) & 0xFF), b = (int)((c >> 8) & 0xFF);
    int k = (r + g + b) > 600 ? 30 : 18; /* percent */
    r = r - r * k / 100;
    g = g - g * k / 100;
    b = b - b * k / 100;
    return ((ui_color)r << 24) | ((ui_color)g << 16) | ((ui_color)b << 8) | 0xFF;
}

static void draw_text(struct ui *ui, const struct ui_item *it)
{
    struct ui_tex *t = ui_text_texture(ui, it->font, it->fill, ui_str(ui, it->text));
    SDL_Rect d;
    if (!t)
        return;
    d.x = ui_px(ui, it->r.x);
    d.y = ui_px(ui, it->r.y);
    d.w = t->w;
    d.h = t->h;
    SDL_RenderCopy(ui->ren, t->tex, NULL, &d);
}

static void draw_item(struct ui *ui, const struct ui_item *it)
{
    SDL_Rect b = to_px(ui, it->r);
    int rad = ui_px(ui, it->radius), th = it->thick > 0 ? ui_px(ui, it->thick) : 0;
    if (it->thick > 0 && th < 1)
        th = 1;
    switch (it->kind) {
    case IT_FILL: fill_box(ui, b, rad, it->fill); break;
    case IT_FRAME: frame_box(ui, b, rad, th, it->border); break;
    case IT_DISC: fill_box(ui, b, rad, it->fill); break;
    case IT_RING: frame_box(ui, b, rad, th, it->border); break;
    case IT_SHADOW: {
        /* Only the rim below the card shows; blending just that strip keeps
         * a screen of cards cheap on the software renderer. */
        int strip = rad > 0 ? 2 * rad : ui_px(ui, 4);
        SDL_Rect s1 = b, s2;
        if (strip > b.h)
            strip = b.h;
        s1.y = b.y + b.h - strip + ui_px(ui, 1);
        s1.h = strip;
        s2 = s1;
        s2.y += ui_px(ui, 1);
        fill_box(ui, s2, rad, UI_RGBA(0x000000, 0x0C));
        fill_box(ui, s1, rad, UI_RGBA(0x000000, 0x14));
        break;
    }
    case IT_TEXT: draw_text(ui, it); break;
    case IT_CONTROL: {
        bool down = ui->pressed && ui->down && it->action == ui->pressed_action &&
                    it->arg == ui->pressed_arg;
        ui_color fill = down ? pressed_color(it->fill) : it->fill;
        fill_box(ui, b, rad, fill);
        frame_box(ui, b, rad, th, it->border);
        break;
    }
    case IT_INFO: break;
    case IT_BLOCK:
        if ((it->fill & 0xFF) != 0) {
            set_color(ui, it->fill);
            SDL_RenderFillRect(ui->ren, &b);
        }
        break;
    }
}

void ui_draw_list(struct ui *ui)
{
    set_color(ui, ui->bg);
    SDL_RenderClear(ui->ren);
    for (size_t i = 0; i < ui->nitems; i++)
        draw_item(ui, &ui->items[i]);
}
