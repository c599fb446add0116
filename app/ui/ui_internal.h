/*
 * ui_internal.h - what the files of the UI layer share; not for screens.
 */
#ifndef UI_INTERNAL_H
#define UI_INTERNAL_H
#include "ui.h"
#include "vp_buf.h"
#include <SDL_ttf.h>

#define UI_NONE ((size_t)-1)

enum ui_item_kind {
    IT_FILL,
    IT_FRAME,
    IT_DISC,
    IT_RING,
    IT_SHADOW,
    IT_TEXT,
    IT_CONTROL,
    IT_BLOCK,
    IT_INFO /* not drawn: the whole of a wrapped or shortened text, for scripts */
};

/* One entry of the display list. Strings are offsets into ui->arena. */
struct ui_item {
    enum ui_item_kind kind;
    struct ui_rect r;
    ui_color fill, border;
    int radius, thick;
    int font;
    size_t text, label, key;
    int action, arg;
    bool repeat_ok; /* a key: may be tapped again at once */
    bool cut;       /* text: shortened (ellipsis) or a paragraph cut at max_lines */
    bool para;      /* text: a line of a wrapped paragraph (body text) */
};

struct ui_font_slot {
    int font; /* size | UI_BOLD as asked for */
    int px;   /* opened at this pixel size */
    TTF_Font *ttf;
};

struct ui_tex {
    uint64_t hash;
    int font;
    ui_color color;
    char *text;
    SDL_Texture *tex;
    int w, h; /* pixels */
    uint64_t used;
    struct ui_tex *next;
};

struct ui_corner {
    int r, t; /* pixels; t == 0: filled */
    SDL_Texture *tex;
};

#define UI_MAX_FONTS    24
#define UI_TEX_BUCKETS  512
#define UI_TEX_KEEP     700
#define UI_MAX_CORNERS  48
#define UI_ACTION_QUEUE 32
#define UI_FRAME_TIMES  256

struct ui {
    SDL_Window *win;
    SDL_Renderer *ren;
    int w, h;         /* logical */
    int out_w, out_h; /* pixels */
    float scale;
    ui_color bg;

    struct ui_item *items;
    size_t nitems, capitems;
    struct vp_buf arena;

    /* pointer: one finger or the left mouse button at a time */
    bool down;
    bool by_finger;
    SDL_FingerID finger;
    int px, py;
    bool pressed;
    int pressed_action, pressed_arg;
    bool pressed_repeat_ok;
    struct ui_rect pressed_rect;

    /* the last action a tap produced, to count a double tap once */
    int last_action, last_arg;
    int64_t last_action_ms; /* vp_mono_ms() */

    int q_action[UI_ACTION_QUEUE], q_arg[UI_ACTION_QUEUE];
    int q_head, q_len;

    char *font_file[2]; /* regular, bold (NULL: synthesise bold) */
    struct ui_font_slot fonts[UI_MAX_FONTS];
    int nfonts;

    struct ui_tex *tex[UI_TEX_BUCKETS];
    size_t ntex;
    uint64_t frame_no;

    struct ui_corner corners[UI_MAX_CORNERS];
    int ncorners;

    int64_t frames;
    double last_ms, worst_ms;
    double times[UI_FRAME_TIMES];
};

/* ui_font.c */
bool ui_font_init(struct ui *ui, const char *override, char *err, size_t errsize);
void ui_font_release(struct ui *ui);
/* Drops textures and fonts (after a change of scale). */
void ui_font_flush(struct ui *ui);
TTF_Font *ui_font_get(struct ui *ui, int font);
/* The cached texture of text in font and colour. Rendered in its colour so
 * that drawing it is a plain alpha blend (the software renderer's fast
 * path), not a colour-modulated one. */
struct ui_tex *ui_text_texture(struct ui *ui, int font, ui_color color, const char *text);
/* Frees textures not used in the last frame when the cache is too big. */
void ui_text_trim(struct ui *ui);

/* ui_render.c */
void ui_draw_list(struct ui *ui);
void ui_corner_release(struct ui *ui);

/* ui_core.c */
const char *ui_str(const struct ui *ui, size_t off);
int ui_px(const struct ui *ui, int v);
/* The whole of a paragraph or a shortened text, for scripts: its box and
 * whether any of it is not drawn. */
void ui_info(struct ui *ui, struct ui_rect r, const char *text, bool cut);
/* The item added last. */
struct ui_item *ui_last_item(struct ui *ui);
/* Index of the last block (opaque_only: only an opaque one), or UI_NONE. */
size_t ui_last_block(const struct ui *ui, bool opaque_only);

#endif
