/*
 * ui.h - the kiosk's touch UI layer on SDL2 + SDL2_ttf.
 *
 * It knows nothing of children, signals or SQL. A screen describes one frame
 * by adding items (boxes, text, controls) to a display list between
 * ui_begin() and ui_render(); input is resolved against the last list and
 * comes back as small named actions (an int action and an int arg chosen by
 * the caller) that the caller pops with ui_next_action().
 *
 * Touch first: a control shows its pressed look on finger-down, acts on
 * finger-up inside the same control, and a slide off the control cancels it.
 * Mouse input (left button) takes the same path; there is no hover. SDL's
 * touch<->mouse emulation is switched off so one tap never acts twice, and
 * a second tap on the same control within UI_DOUBLE_TAP_MS is ignored.
 *
 * Coordinates are logical points (the window size); the renderer's output
 * size may be larger (high DPI): shapes and text are drawn at output
 * resolution, so they stay sharp. Rendered text is cached as textures.
 *
 * Threads: everything here runs on the UI thread only.
 * Ownership: struct ui is created by ui_create() and freed by ui_destroy();
 * strings passed in are copied into the frame's list.
 */
#ifndef UI_H
#define UI_H
#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vp_buf;

/* Colours are 0xRRGGBBAA. */
typedef uint32_t ui_color;
#define UI_RGB(rgb)     ((ui_color)(((uint32_t)(rgb) << 8) | 0xFFu))
#define UI_RGBA(rgb, a) ((ui_color)(((uint32_t)(rgb) << 8) | ((uint32_t)(a)&0xFFu)))

/* Design tokens (mockups/style.css). */
#define UI_C_BG       UI_RGB(0xF7F3EA)
#define UI_C_SURFACE  UI_RGB(0xFFFFFF)
#define UI_C_INK      UI_RGB(0x1E1E1E)
#define UI_C_INK2     UI_RGB(0x4F4F4F)
#define UI_C_LINE     UI_RGB(0xD9D3C7)
#define UI_C_PRIMARY  UI_RGB(0x2F5D62)
#define UI_C_ON_PRIM  UI_RGB(0xFFFFFF)
#define UI_C_SAFETY   UI_RGB(0xA34A17)
#define UI_C_LVL1     UI_RGB(0x2E7D4F)
#define UI_C_LVL2     UI_RGB(0x8F5600) /* mockup #B86E00 is 4.0:1 on white; this is 6:1 */
#define UI_C_LVL3     UI_RGB(0xB3261E)
#define UI_C_SELECTED UI_RGB(0xE4EEEE)
#define UI_C_TOAST    UI_RGB(0x1E1E1E)
#define UI_C_TOAST_HI UI_RGB(0x9FD3D8)

/* Sizes in logical px. */
#define UI_TARGET_MIN 64 /* smallest touch target */
#define UI_GAP        12
#define UI_RADIUS     14

/* Fonts: a pixel size, optionally | UI_BOLD. */
#define UI_BOLD    0x1000
#define UI_F_BADGE 20
#define UI_F_SMALL 20
#define UI_F_SUB   22
#define UI_F_BODY  24
#define UI_F_HEAD  26
#define UI_F_TILE  30
#define UI_F_TITLE 34

struct ui_rect {
    int x, y, w, h;
};

/* Text alignment inside a rect. */
enum ui_align { UI_LEFT, UI_CENTER, UI_RIGHT };

/* How a control looks; the pressed look darkens the fill. */
struct ui_style {
    ui_color fill;
    ui_color border;
    ui_color text;
    int border_w;
    int radius;
    int font;
    bool shadow;
};

struct ui_options {
    int width, height; /* window size in logical px */
    bool fullscreen;
    bool accelerated;      /* try SDL's accelerated renderer */
    bool hidden;           /* offscreen / script mode */
    const char *font_path; /* override (NULL: fontconfig, DejaVu Sans) */
    const char *title;
};

struct ui;

/* Opens the window, renderer and fonts. On failure returns NULL and writes
 * one plain English sentence into err (for logs; the kiosk shows its own). */
struct ui *ui_create(const struct ui_options *opt, char *err, size_t errsize);
void ui_destroy(struct ui *ui);

/* The logical size of the drawing area (follows window resizes). */
int ui_width(const struct ui *ui);
int ui_height(const struct ui *ui);
SDL_Window *ui_window(struct ui *ui);

/* ---- building a frame ---- */

void ui_begin(struct ui *ui, ui_color background);
void ui_fill(struct ui *ui, struct ui_rect r, ui_color c, int radius);
void ui_frame(struct ui *ui, struct ui_rect r, ui_color c, int radius, int thickness);
void ui_disc(struct ui *ui, int cx, int cy, int radius, ui_color c);
void ui_ring(struct ui *ui, int cx, int cy, int radius, int thickness, ui_color c);
/* A box with an optional soft shadow, like a card. */
void ui_card(struct ui *ui, struct ui_rect r, ui_color fill, int radius);

/* One line of text with its top-left at (x, y). Returns its width. */
int ui_text(struct ui *ui, int x, int y, int font, ui_color c, const char *text);
/* One line aligned in r (vertically centred). Too long text is shortened
 * with an ellipsis. Returns the drawn width. */
int ui_text_in(struct ui *ui, struct ui_rect r, int font, ui_color c, enum ui_align align,
               const char *text);
/* Wrapped text in a box of width r.w starting at r.y, at most max_lines
 * (0: no limit; the last line gets an ellipsis). Returns the height used. */
int ui_text_wrap(struct ui *ui, struct ui_rect r, int font, ui_color c, const char *text,
                 int max_lines);
/* Lines first_line .. first_line + max_lines - 1 of text wrapped to r.w
 * (a page of a long text, no ellipsis). Returns the number of lines of the
 * whole text. */
int ui_text_page(struct ui *ui, struct ui_rect r, int font, ui_color c, const char *text,
                 int first_line, int max_lines);
/* Measuring (logical px). */
int ui_text_width(struct ui *ui, int font, const char *text);
int ui_line_height(struct ui *ui, int font);
int ui_wrap_height(struct ui *ui, int w, int font, const char *text, int max_lines);

/* A touch target. label is what a script's `tap "LABEL"` matches (usually
 * the visible text; may be NULL). keychar marks an on-screen key for
 * `type` (NULL otherwise). The control draws its background; add its
 * content afterwards. action must be > 0. */
void ui_control(struct ui *ui, struct ui_rect r, const struct ui_style *st, int action, int arg,
                const char *label, const char *keychar);
/* Two taps on the same control (same action and arg) within
 * UI_DOUBLE_TAP_MS count once: a quick double tap on a chip must not save
 * and then undo. Keys of the keyboard and the PIN pad are exempt ("1122",
 * "Daan"): their builders call ui_allow_repeat(). */
#define UI_DOUBLE_TAP_MS 400
/* The control added last may be tapped again at once. */
void ui_allow_repeat(struct ui *ui);

/* A control with its label centred (or left-aligned with padding). */
void ui_button(struct ui *ui, struct ui_rect r, const struct ui_style *st, int action, int arg,
               const char *label, enum ui_align align);

/* Everything added so far can no longer be touched (a modal opens). With
 * an opaque colour it also counts as hidden for scripts. */
void ui_block(struct ui *ui, ui_color backdrop);

/* Draws the list and presents it. */
void ui_render(struct ui *ui);

/* ---- input ---- */

/* Feeds one SDL event. Returns true if it changed what must be shown
 * (a press, a resize, an exposure). Pointer events of mouse and finger
 * both end up here; keys are the caller's. */
bool ui_handle_event(struct ui *ui, const SDL_Event *ev);

/* Pops the next action produced by a release inside a control. */
bool ui_next_action(struct ui *ui, int *action, int *arg);

/* True while a finger or button is down (the caller should not rebuild
 * the list under it in a way that moves controls). */
bool ui_pointer_down(const struct ui *ui);

/* ---- inspection, for scripts and tests ---- */

struct ui_found {
    struct ui_rect rect;
    int count; /* how many visible, touchable controls matched */
};
/* Controls whose label is exactly label. */
void ui_find_control(struct ui *ui, const char *label, struct ui_found *out);
/* Controls whose keychar is exactly key. */
void ui_find_key(struct ui *ui, const char *key, struct ui_found *out);
/* True if text occurs in any visible text or control label, whole or cut
 * (what `expect-not` asks: not even a part of it shows). */
bool ui_text_visible(struct ui *ui, const char *text);
/* True if text occurs in a text a person can read in full: drawn whole
 * (not shortened with an ellipsis, not a paragraph cut short), inside the
 * window, and nothing drawn after it covers it (a modal's backdrop
 * neither). A wrapped paragraph counts as one text. What `expect` asks. */
bool ui_text_shown(struct ui *ui, const char *text);
/* The layout check of what a person can touch now (everything after the
 * last block). One line per finding is appended to out; returns how many:
 *  - a control off the screen, smaller than UI_TARGET_MIN, overlapping
 *    another control, or partly covered by a box drawn after it;
 *  - a text cut (ellipsis), off the screen, covered by anything drawn
 *    after it, or running over the edge of a box beneath it;
 *  - a text under 20 px, or body text (a wrapped paragraph or a text of
 *    five words or more) under 24 px;
 *  - a text under 4.5:1 contrast against what is drawn behind it (each
 *    text draw, sampled at its middle and both ends). */
int ui_layout_check(struct ui *ui, struct vp_buf *out);
/* Appends every visible text of the frame, " | " separated. */
void ui_visible_texts(struct ui *ui, char *out, size_t size);

/* Describes the frame for outside test drivers, one line each:
 * "control<TAB>x<TAB>y<TAB>w<TAB>h<TAB>label" for touchable controls and
 * "text<TAB>text" for visible text. */
void ui_describe(struct ui *ui, struct vp_buf *out);

/* Pushes the SDL events a finger makes for a tap at logical (x, y):
 * finger down then finger up. */
void ui_push_tap(struct ui *ui, int x, int y);

/* Reads the last presented frame as RGB (w*h*3 bytes, malloc'ed). */
bool ui_read_pixels(struct ui *ui, unsigned char **rgb, int *w, int *h);

/* Frame statistics (for benchmarks). */
struct ui_stats {
    int64_t frames;
    double last_ms;
    double worst_ms;
};
void ui_get_stats(const struct ui *ui, struct ui_stats *out);
/* Render time of the last n frames (copied into ms, at most cap). */
size_t ui_frame_times(const struct ui *ui, double *ms, size_t cap);

#endif
