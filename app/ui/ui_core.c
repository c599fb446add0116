/*
 * ui_core.c - window, display list, pointer input and script inspection.
 */
#include "ui_internal.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include "vp_time.h"
#include <string.h>

static void update_size(struct ui *ui)
{
    int ow = 0, oh = 0;
    float old = ui->scale;
    SDL_GetWindowSize(ui->win, &ui->w, &ui->h);
    if (SDL_GetRendererOutputSize(ui->ren, &ow, &oh) != 0 || ow <= 0) {
        ow = ui->w;
        oh = ui->h;
    }
    ui->out_w = ow;
    ui->out_h = oh;
    ui->scale = ui->w > 0 ? (float)ow / (float)ui->w : 1.0f;
    if (old != 0.0f && old != ui->scale) {
        ui_font_flush(ui);
        ui_corner_release(ui);
    }
}

static bool open_window(struct ui *ui, const struct ui_options *opt, char *err, size_t errsize)
{
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE;
    if (opt->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    if (opt->hidden)
        flags |= SDL_WINDOW_HIDDEN;
    ui->win = SDL_CreateWindow(opt->title ? opt->title : "", SDL_WINDOWPOS_CENTERED,
                               SDL_WINDOWPOS_CENTERED, opt->width, opt->height, flags);
    if (!ui->win) {
        SDL_snprintf(err, errsize, "cannot open a window: %s", SDL_GetError());
        return false;
    }
    SDL_SetWindowMinimumSize(ui->win, 800, 600);
    ui->ren = SDL_CreateRenderer(
        ui->win, -1, opt->accelerated ? SDL_RENDERER_ACCELERATED : SDL_RENDERER_SOFTWARE);
    if (!ui->ren && opt->accelerated)
        ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
    if (!ui->ren) {
        SDL_snprintf(err, errsize, "cannot create a renderer: %s", SDL_GetError());
        return false;
    }
    SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
    return true;
}

struct ui *ui_create(const struct ui_options *opt, char *err, size_t errsize)
{
    struct ui *ui = vp_xcalloc(1, sizeof(*ui));
    vp_buf_init(&ui->arena);
    /* One input path: no synthetic mouse from touch or touch from mouse. */
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    if (!opt->accelerated) {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        SDL_snprintf(err, errsize, "cannot start SDL video: %s", SDL_GetError());
        vp_buf_release(&ui->arena);
        free(ui);
        return NULL;
    }
    if (TTF_Init() != 0) {
        SDL_snprintf(err, errsize, "cannot start SDL_ttf: %s", TTF_GetError());
        SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
        vp_buf_release(&ui->arena);
        free(ui);
        return NULL;
    }
    if (!open_window(ui, opt, err, errsize) || !ui_font_init(ui, opt->font_path, err, errsize)) {
        ui_destroy(ui);
        return NULL;
    }
    update_size(ui);
    return ui;
}

void ui_destroy(struct ui *ui)
{
    if (!ui)
        return;
    ui_font_release(ui);
    ui_corner_release(ui);
    if (ui->ren)
        SDL_DestroyRenderer(ui->ren);
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    free(ui->items);
    vp_buf_release(&ui->arena);
    free(ui);
    TTF_Quit();
    SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
}

int ui_width(const struct ui *ui)
{
    return ui->w;
}

int ui_height(const struct ui *ui)
{
    return ui->h;
}

SDL_Window *ui_window(struct ui *ui)
{
    return ui->win;
}

int ui_px(const struct ui *ui, int v)
{
    float f = (float)v * ui->scale;
    return (int)(f >= 0 ? f + 0.5f : f - 0.5f);
}

const char *ui_str(const struct ui *ui, size_t off)
{
    return off == UI_NONE ? NULL : ui->arena.data + off;
}

/* ---- the display list ---- */

static size_t intern(struct ui *ui, const char *s)
{
    size_t off;
    if (!s)
        return UI_NONE;
    off = ui->arena.len;
    vp_buf_add(&ui->arena, s, strlen(s) + 1);
    return off;
}

static struct ui_item *add(struct ui *ui, enum ui_item_kind kind, struct ui_rect r)
{
    struct ui_item *it;
    if (ui->nitems == ui->capitems) {
        ui->capitems = ui->capitems ? ui->capitems * 2 : 256;
        ui->items = vp_xrealloc(ui->items, ui->capitems * sizeof(*ui->items));
    }
    it = &ui->items[ui->nitems++];
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    it->r = r;
    it->text = it->label = it->key = UI_NONE;
    return it;
}

void ui_begin(struct ui *ui, ui_color background)
{
    update_size(ui);
    ui->nitems = 0;
    vp_buf_reset(&ui->arena);
    ui->bg = background;
}

void ui_fill(struct ui *ui, struct ui_rect r, ui_color c, int radius)
{
    struct ui_item *it = add(ui, IT_FILL, r);
    it->fill = c;
    it->radius = radius;
}

void ui_frame(struct ui *ui, struct ui_rect r, ui_color c, int radius, int thickness)
{
    struct ui_item *it = add(ui, IT_FRAME, r);
    it->border = c;
    it->radius = radius;
    it->thick = thickness;
}

void ui_disc(struct ui *ui, int cx, int cy, int radius, ui_color c)
{
    struct ui_rect r = { cx - radius, cy - radius, 2 * radius, 2 * radius };
    struct ui_item *it = add(ui, IT_DISC, r);
    it->fill = c;
    it->radius = radius;
}

void ui_ring(struct ui *ui, int cx, int cy, int radius, int thickness, ui_color c)
{
    struct ui_rect r = { cx - radius, cy - radius, 2 * radius, 2 * radius };
    struct ui_item *it = add(ui, IT_RING, r);
    it->border = c;
    it->radius = radius;
    it->thick = thickness;
}

void ui_card(struct ui *ui, struct ui_rect r, ui_color fill, int radius)
{
    struct ui_item *it = add(ui, IT_SHADOW, r);
    it->radius = radius;
    ui_fill(ui, r, fill, radius);
}

int ui_text(struct ui *ui, int x, int y, int font, ui_color c, const char *text)
{
    struct ui_rect r = { x, y, 0, 0 };
    struct ui_item *it;
    if (!text || !*text)
        return 0;
    r.w = ui_text_width(ui, font, text);
    r.h = ui_line_height(ui, font);
    it = add(ui, IT_TEXT, r);
    it->fill = c;
    it->font = font;
    it->text = intern(ui, text);
    return r.w;
}

void ui_info(struct ui *ui, struct ui_rect r, const char *text, bool cut)
{
    struct ui_item *it = add(ui, IT_INFO, r);
    it->label = intern(ui, text);
    it->cut = cut;
}

struct ui_item *ui_last_item(struct ui *ui)
{
    return ui->nitems ? &ui->items[ui->nitems - 1] : NULL;
}

void ui_control(struct ui *ui, struct ui_rect r, const struct ui_style *st, int action, int arg,
                const char *label, const char *keychar)
{
    struct ui_item *it;
    if (st && st->shadow) {
        it = add(ui, IT_SHADOW, r);
        it->radius = st->radius;
    }
    it = add(ui, IT_CONTROL, r);
    if (st) {
        it->fill = st->fill;
        it->border = st->border;
        it->thick = st->border_w;
        it->radius = st->radius;
    }
    it->action = action;
    it->arg = arg;
    it->label = intern(ui, label);
    it->key = intern(ui, keychar);
}

void ui_allow_repeat(struct ui *ui)
{
    size_t i = ui->nitems;
    while (i-- > 0)
        if (ui->items[i].kind == IT_CONTROL) {
            ui->items[i].repeat_ok = true;
            return;
        }
}

void ui_button(struct ui *ui, struct ui_rect r, const struct ui_style *st, int action, int arg,
               const char *label, enum ui_align align)
{
    struct ui_rect in = r;
    ui_control(ui, r, st, action, arg, label, NULL);
    if (align != UI_CENTER) {
        in.x += 22;
        in.w -= 44;
    } else {
        in.x += 8;
        in.w -= 16;
    }
    ui_text_in(ui, in, st->font, st->text, align, label);
}

void ui_block(struct ui *ui, ui_color backdrop)
{
    struct ui_rect r = { 0, 0, ui->w, ui->h };
    struct ui_item *it = add(ui, IT_BLOCK, r);
    it->fill = backdrop;
}

void ui_render(struct ui *ui)
{
    Uint64 t0 = SDL_GetPerformanceCounter();
    double ms;
    ui_draw_list(ui);
    SDL_RenderPresent(ui->ren);
    ui_text_trim(ui);
    ms =
        (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    ui->times[ui->frames % UI_FRAME_TIMES] = ms;
    ui->frames++;
    ui->last_ms = ms;
    if (ms > ui->worst_ms)
        ui->worst_ms = ms;
}

/* ---- input ---- */

static bool inside(struct ui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* The topmost touchable control at (x, y), or NULL. */
static const struct ui_item *hit(const struct ui *ui, int x, int y)
{
    size_t i = ui->nitems;
    while (i-- > 0) {
        const struct ui_item *it = &ui->items[i];
        if (it->kind == IT_BLOCK)
            return NULL;
        if (it->kind == IT_CONTROL && inside(it->r, x, y))
            return it;
    }
    return NULL;
}

static bool pointer_down(struct ui *ui, int x, int y)
{
    const struct ui_item *it = hit(ui, x, y);
    ui->down = true;
    ui->px = x;
    ui->py = y;
    ui->pressed = it != NULL;
    if (it) {
        ui->pressed_action = it->action;
        ui->pressed_arg = it->arg;
        ui->pressed_repeat_ok = it->repeat_ok;
        ui->pressed_rect = it->r;
    }
    return ui->pressed;
}

static bool pointer_move(struct ui *ui, int x, int y)
{
    ui->px = x;
    ui->py = y;
    if (ui->pressed && !inside(ui->pressed_rect, x, y)) {
        ui->pressed = false; /* sliding off cancels */
        return true;
    }
    return false;
}

/* The second tap of a double tap on the same control (not a key). */
static bool double_tap(struct ui *ui)
{
    int64_t now = vp_mono_ms();
    /* last_action is 0 before the first tap (actions are > 0); app time
     * may be negative in tests that set the clock back */
    bool twice = !ui->pressed_repeat_ok && ui->pressed_action == ui->last_action &&
                 ui->pressed_arg == ui->last_arg && now - ui->last_action_ms < UI_DOUBLE_TAP_MS;
    if (!twice) {
        ui->last_action = ui->pressed_action;
        ui->last_arg = ui->pressed_arg;
        ui->last_action_ms = now;
    }
    return twice;
}

static bool pointer_up(struct ui *ui, int x, int y)
{
    bool was = ui->pressed;
    ui->down = false;
    ui->pressed = false;
    if (!was || !inside(ui->pressed_rect, x, y))
        return was;
    if (double_tap(ui))
        return true; /* counted once already */
    if (ui->q_len < UI_ACTION_QUEUE) {
        int slot = (ui->q_head + ui->q_len) % UI_ACTION_QUEUE;
        ui->q_action[slot] = ui->pressed_action;
        ui->q_arg[slot] = ui->pressed_arg;
        ui->q_len++;
    }
    return true;
}

static void finger_xy(const struct ui *ui, const SDL_TouchFingerEvent *f, int *x, int *y)
{
    *x = (int)(f->x * (float)ui->w);
    *y = (int)(f->y * (float)ui->h);
}

static bool handle_finger(struct ui *ui, const SDL_Event *ev)
{
    int x, y;
    finger_xy(ui, &ev->tfinger, &x, &y);
    if (ev->type == SDL_FINGERDOWN) {
        if (ui->down)
            return false; /* a second finger is ignored */
        ui->by_finger = true;
        ui->finger = ev->tfinger.fingerId;
        return pointer_down(ui, x, y);
    }
    if (!ui->down || !ui->by_finger || ev->tfinger.fingerId != ui->finger)
        return false;
    if (ev->type == SDL_FINGERMOTION)
        return pointer_move(ui, x, y);
    return pointer_up(ui, x, y);
}

static bool handle_mouse(struct ui *ui, const SDL_Event *ev)
{
    /* Events the system synthesised from touch arrive as fingers already. */
    if (ev->type == SDL_MOUSEMOTION) {
        if (ev->motion.which == SDL_TOUCH_MOUSEID || !ui->down || ui->by_finger)
            return false; /* no hover */
        return pointer_move(ui, ev->motion.x, ev->motion.y);
    }
    if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
        return false;
    if (ev->type == SDL_MOUSEBUTTONDOWN) {
        if (ui->down)
            return false;
        ui->by_finger = false;
        return pointer_down(ui, ev->button.x, ev->button.y);
    }
    if (!ui->down || ui->by_finger)
        return false;
    return pointer_up(ui, ev->button.x, ev->button.y);
}

bool ui_handle_event(struct ui *ui, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: return handle_finger(ui, ev);
    case SDL_MOUSEMOTION:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: return handle_mouse(ui, ev);
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_FOCUS_LOST && ui->down) {
            ui->down = false;
            ui->pressed = false;
        }
        return ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
               ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
               ev->window.event == SDL_WINDOWEVENT_RESTORED ||
               ev->window.event == SDL_WINDOWEVENT_SHOWN ||
               ev->window.event == SDL_WINDOWEVENT_FOCUS_LOST;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET: ui_font_flush(ui); return true;
    default: return false;
    }
}

bool ui_next_action(struct ui *ui, int *action, int *arg)
{
    if (ui->q_len == 0)
        return false;
    *action = ui->q_action[ui->q_head];
    *arg = ui->q_arg[ui->q_head];
    ui->q_head = (ui->q_head + 1) % UI_ACTION_QUEUE;
    ui->q_len--;
    return true;
}

bool ui_pointer_down(const struct ui *ui)
{
    return ui->down;
}

void ui_push_tap(struct ui *ui, int x, int y)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.tfinger.touchId = 1;
    ev.tfinger.fingerId = 1;
    ev.tfinger.x = ((float)x + 0.5f) / (float)ui->w;
    ev.tfinger.y = ((float)y + 0.5f) / (float)ui->h;
    ev.tfinger.pressure = 1.0f;
    ev.tfinger.windowID = SDL_GetWindowID(ui->win);
    ev.type = SDL_FINGERDOWN;
    ev.tfinger.timestamp = SDL_GetTicks();
    SDL_PushEvent(&ev);
    ev.type = SDL_FINGERUP;
    SDL_PushEvent(&ev);
}

bool ui_read_pixels(struct ui *ui, unsigned char **rgb, int *w, int *h)
{
    unsigned char *buf = vp_xmalloc((size_t)ui->out_w * (size_t)ui->out_h * 3);
    ui_draw_list(ui);
    if (SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_RGB24, buf, ui->out_w * 3) != 0) {
        free(buf);
        return false;
    }
    *rgb = buf;
    *w = ui->out_w;
    *h = ui->out_h;
    return true;
}

void ui_get_stats(const struct ui *ui, struct ui_stats *out)
{
    out->frames = ui->frames;
    out->last_ms = ui->last_ms;
    out->worst_ms = ui->worst_ms;
}

size_t ui_frame_times(const struct ui *ui, double *ms, size_t cap)
{
    size_t n = ui->frames < UI_FRAME_TIMES ? (size_t)ui->frames : UI_FRAME_TIMES;
    if (n > cap)
        n = cap;
    for (size_t i = 0; i < n; i++)
        ms[i] = ui->times[i];
    return n;
}
