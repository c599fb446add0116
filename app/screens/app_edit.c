/*
 * app_edit.c - the overlays every screen can open: text entry on the
 * on-screen keyboard (or PIN pad), a choice, a yes/no question, the safety
 * information, and the toast.
 */
#include "app_int.h"
#include <string.h>

#define BACKDROP UI_RGBA(0x1E1E1E, 0x80)

void app_edit_open(struct app *a, const char *title, const char *hint, char *target, size_t size,
                   size_t max_chars, bool pin, app_done_fn done)
{
    vp_strlcpy(a->edit_title, title, sizeof(a->edit_title));
    vp_strlcpy(a->edit_hint, hint ? hint : "", sizeof(a->edit_hint));
    ui_field_set(&a->edit, pin ? "" : target, pin ? DEV_PIN_MAX : max_chars, pin);
    a->kb.shift = false;
    a->kb.symbols = false;
    a->edit_full = false;
    a->kb.auto_cap = !pin && max_chars <= VP_NAME_MAX_CHARS && max_chars > 0;
    a->edit_pin = pin;
    a->edit_target = target;
    a->edit_size = size;
    a->edit_done = done;
    a->overlay = OV_EDIT;
    a->dirty = true;
}

void app_choice_open(struct app *a, const char *title, const char *const *items, int n,
                     int selected, app_choice_fn done)
{
    vp_strlcpy(a->choice_title, title, sizeof(a->choice_title));
    if (n > APP_MAX_CHOICES)
        n = APP_MAX_CHOICES;
    for (int i = 0; i < n; i++)
        a->choice[i] = items[i];
    a->nchoice = n;
    a->choice_page = 0;
    a->choice_sel = selected;
    a->choice_done = done;
    a->overlay = OV_CHOICE;
    a->dirty = true;
}

void app_confirm_open(struct app *a, const char *title, const char *text, const char *yes,
                      const char *no, app_confirm_fn done)
{
    vp_strlcpy(a->confirm_title, title, sizeof(a->confirm_title));
    vp_strlcpy(a->confirm_text, text, sizeof(a->confirm_text));
    a->confirm_yes = yes;
    a->confirm_no = no;
    a->confirm_done = done;
    a->overlay = OV_CONFIRM;
    a->dirty = true;
}

static void edit_accept(struct app *a)
{
    app_done_fn done = a->edit_done;
    vp_strlcpy(a->edit_target, a->edit.text, a->edit_size);
    a->overlay = OV_NONE;
    if (done)
        done(a);
}

/* Full-screen text entry: title, the field with its cursor, a hint, the
 * keyboard (or the PIN pad) at the bottom. */
static void build_edit(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), y = 16,
        cw = ui_text_width(ui, UI_F_BODY, T("cancel")) + 60;
    int kbw = w - 2 * M_MARGIN, kbh;
    struct ui_rect field;
    ui_block(ui, UI_C_BG);
    ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, y + 4, w - 2 * M_MARGIN - cw - 16, 0 },
                 UI_F_HEAD | UI_BOLD, UI_C_INK, a->edit_title, 2);
    ui_button(ui, (struct ui_rect){ w - M_MARGIN - cw, y, cw, 64 }, &st_outline, A_CLOSE, 0,
              T("cancel"), UI_CENTER);
    y += 64 + 12;
    field = (struct ui_rect){ M_MARGIN, y, w - 2 * M_MARGIN, 64 };
    ui_fill(ui, field, UI_C_SURFACE, 12);
    ui_frame(ui, field, UI_C_PRIMARY, 12, 2);
    ui_field_draw(ui, &a->edit, (struct ui_rect){ field.x + 20, field.y, field.w - 40, field.h },
                  UI_F_BODY, UI_C_INK, a->edit_pin);
    y += 64 + 8;
    if (a->edit_full)
        y += ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, y, w - 2 * M_MARGIN, 0 }, UI_F_BODY,
                          UI_C_LVL3, a->edit_pin ? T("lock.pin_format") : T("edit.full"), 2);
    else if (a->edit_hint[0])
        y += ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, y, w - 2 * M_MARGIN, 0 }, UI_F_BODY,
                          UI_C_INK2, a->edit_hint, 3);
    y += 12;
    if (a->edit_pin) {
        int pw = 480, ph = 4 * 72 + 3 * 8;
        if (ph > h - y - 16)
            ph = 4 * 64 + 3 * 8;
        ui_pinpad_build(ui, (struct ui_rect){ (w - pw) / 2, h - ph - 16, pw, ph }, A_PIN,
                        T("pin.clear"), T("ok"));
        return;
    }
    if (kbw > 1200)
        kbw = 1200;
    kbh = ui_keyboard_height(kbw, h - y - 16);
    ui_keyboard_build(ui, &a->kb, &a->edit,
                      (struct ui_rect){ (w - kbw) / 2, h - kbh - 16, kbw, kbh }, A_KEY,
                      T("key.space"), T("key.done"));
}

/* A card with the choices, as many as fit; more page with Vorige and
 * Volgende (taps only). */
static void build_choice(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), cw = w < 640 ? w - 40 : 560;
    int per = (h - 40 - 84 - 84 - 20) / 74, first, count, ch, x = (w - cw) / 2, y;
    int cancel_w = ui_text_width(ui, UI_F_BODY, T("cancel")) + 60;
    if (per < 1)
        per = 1;
    if (a->nchoice <= per)
        a->choice_page = 0;
    first = a->choice_page * per;
    if (first >= a->nchoice)
        first = a->choice_page = 0;
    count = a->nchoice - first < per ? a->nchoice - first : per;
    ch = 20 + 64 + count * 74 + 84 + 20;
    y = (h - ch) / 2;
    ui_block(ui, BACKDROP);
    ui_card(ui, (struct ui_rect){ x, y, cw, ch }, UI_C_SURFACE, 16);
    ui_text_in(ui, (struct ui_rect){ x + 28, y + 20, cw - 56, 56 }, UI_F_HEAD | UI_BOLD, UI_C_INK,
               UI_LEFT, a->choice_title);
    y += 20 + 64;
    for (int i = first; i < first + count; i++) {
        const struct ui_style *st = i == a->choice_sel ? &st_chip_on : &st_chip;
        ui_button(ui, (struct ui_rect){ x + 28, y, cw - 56, 64 }, st, A_CHOICE, i, a->choice[i],
                  UI_LEFT);
        y += 64 + 10;
    }
    y += 10;
    ui_button(ui, (struct ui_rect){ x + cw - 28 - cancel_w, y, cancel_w, 64 }, &st_outline, A_CLOSE,
              0, T("cancel"), UI_CENTER);
    if (a->nchoice > per) {
        const char *prev = T("page.prev"), *next = T("page.next");
        int wp = ui_text_width(ui, UI_F_BODY, prev) + 40,
            wn = ui_text_width(ui, UI_F_BODY, next) + 40;
        if (a->choice_page > 0)
            ui_button(ui, (struct ui_rect){ x + 28, y, wp, 64 }, &st_outline, A_PAGE, -1, prev,
                      UI_CENTER);
        if (first + count < a->nchoice)
            ui_button(ui, (struct ui_rect){ x + 28 + wp + 12, y, wn, 64 }, &st_outline, A_PAGE, 1,
                      next, UI_CENTER);
    }
}

static void build_confirm(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), cw = w < 760 ? w - 40 : 700;
    int th = ui_wrap_height(ui, cw - 56, UI_F_BODY, a->confirm_text, 0);
    int ch = 20 + 60 + th + 24 + 64 * 2 + 10 + 28, x = (w - cw) / 2, y = (h - ch) / 2;
    ui_block(ui, BACKDROP);
    ui_card(ui, (struct ui_rect){ x, y, cw, ch }, UI_C_SURFACE, 16);
    ui_text_in(ui, (struct ui_rect){ x + 28, y + 20, cw - 56, 52 }, UI_F_HEAD | UI_BOLD, UI_C_INK,
               UI_LEFT, a->confirm_title);
    y += 20 + 60;
    y += ui_text_wrap(ui, (struct ui_rect){ x + 28, y, cw - 56, 0 }, UI_F_BODY, UI_C_INK,
                      a->confirm_text, 0);
    y += 24;
    ui_button(ui, (struct ui_rect){ x + 28, y, cw - 56, 64 }, &st_primary, A_YES, 0, a->confirm_yes,
              UI_CENTER);
    ui_button(ui, (struct ui_rect){ x + 28, y + 74, cw - 56, 64 }, &st_outline, A_NO, 0,
              a->confirm_no, UI_CENTER);
}

/* "Zorg over veiligheid?": the organisation's contact and Veilig Thuis.
 * Nothing is stored. */
static void build_safety(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), cw = w < 820 ? w - 40 : 760, x = (w - cw) / 2;
    char contact[VP_TEXT_BYTES(300)];
    int ch, y, tw = cw - 56;
    devstore_setting_get_text(a->db, "safety_contact", "", contact, sizeof(contact));
    if (!contact[0])
        vp_strlcpy(contact, T("safety.no_contact"), sizeof(contact));
    ch = 20 + 60 + ui_wrap_height(ui, tw, UI_F_BODY, T("safety.intro"), 0) + 20 + 30 +
         ui_wrap_height(ui, tw, UI_F_BODY, contact, 4) + 20 + 30 + 36 +
         ui_wrap_height(ui, tw, UI_F_BODY, T("safety.vt_hours"), 0) + 20 +
         ui_wrap_height(ui, tw, UI_F_BODY, T("safety.nothing_stored"), 0) + 24 + 64 + 28;
    y = (h - ch) / 2;
    if (y < 8)
        y = 8;
    ui_block(ui, BACKDROP);
    ui_card(ui, (struct ui_rect){ x, y, cw, ch }, UI_C_SURFACE, 16);
    ui_fill(ui, (struct ui_rect){ x + 10, y + 20, 6, ch - 40 }, UI_C_SAFETY, 3);
    x += 28;
    ui_text_in(ui, (struct ui_rect){ x, y + 20, tw, 52 }, UI_F_HEAD | UI_BOLD, UI_C_SAFETY, UI_LEFT,
               T("safety.title"));
    y += 80;
    y += ui_text_wrap(ui, (struct ui_rect){ x, y, tw, 0 }, UI_F_BODY, UI_C_INK, T("safety.intro"),
                      0) +
         20;
    ui_text(ui, x, y, UI_F_BODY, UI_C_INK2, T("safety.contact_label"));
    y += 30;
    y += ui_text_wrap(ui, (struct ui_rect){ x, y, tw, 0 }, UI_F_BODY, UI_C_INK, contact, 4) + 20;
    ui_text(ui, x, y, UI_F_BODY, UI_C_INK2, T("safety.vt_label"));
    y += 30;
    ui_text(ui, x, y, UI_F_BODY | UI_BOLD, UI_C_INK, T("safety.vt_phone"));
    y += 36;
    y += ui_text_wrap(ui, (struct ui_rect){ x, y, tw, 0 }, UI_F_BODY, UI_C_INK2,
                      T("safety.vt_hours"), 0) +
         20;
    y += ui_text_wrap(ui, (struct ui_rect){ x, y, tw, 0 }, UI_F_BODY, UI_C_INK2,
                      T("safety.nothing_stored"), 0) +
         24;
    ui_button(ui, (struct ui_rect){ x + tw - 200, y, 200, 64 }, &st_primary, A_CLOSE, 0, T("close"),
              UI_CENTER);
}

/* The toast takes the bottom line's place in the footer for its few
 * seconds, so it covers nothing. (The signal screen's "Ongedaan maken" is
 * a button of that screen.) */
void app_toast_build(struct app *a, struct ui_rect r)
{
    struct ui *ui = a->ui;
    int lh = ui_wrap_height(ui, r.w - 40, UI_F_BODY, a->toast, 2);
    ui_fill(ui, r, UI_C_TOAST, 14);
    ui_text_wrap(ui, (struct ui_rect){ r.x + 20, r.y + (r.h - lh) / 2, r.w - 40, 0 }, UI_F_BODY,
                 UI_C_ON_PRIM, a->toast, 2);
}

void app_reader_open(struct app *a, const char *title, const char *text, int read_arg)
{
    a->reader_read = read_arg;
    vp_strlcpy(a->reader_title, title, sizeof(a->reader_title));
    vp_strlcpy(a->reader_text, text, sizeof(a->reader_text));
    a->reader_page = 0;
    a->overlay = OV_READ;
    a->dirty = true;
}

/* A long text to read in full: as many lines as the screen holds, then
 * Vorige / Volgende (taps only, no dragging). */
static void build_reader(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), tw = w - 2 * M_MARGIN, y = 20;
    int lh = ui_line_height(ui, UI_F_BODY), per, total;
    const char *prev = T("page.prev"), *next = T("page.next"), *close = T("close");
    int wp = ui_text_width(ui, UI_F_BODY, prev) + 48, wn = ui_text_width(ui, UI_F_BODY, next) + 48,
        wc = ui_text_width(ui, UI_F_BODY, close) + 60;
    char pos[32];
    if (tw > 900)
        tw = 900;
    ui_block(ui, UI_C_BG);
    y += ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, y, tw, 0 }, UI_F_HEAD | UI_BOLD, UI_C_INK,
                      a->reader_title, 2) +
         16;
    per = (h - y - 64 - 40) / lh;
    if (per < 1)
        per = 1;
    total = ui_wrap_height(ui, tw, UI_F_BODY, a->reader_text, 0) / lh;
    if (a->reader_page * per >= total)
        a->reader_page = 0;
    ui_text_page(ui, (struct ui_rect){ M_MARGIN, y, tw, 0 }, UI_F_BODY, UI_C_INK, a->reader_text,
                 a->reader_page * per, per);
    y = h - 64 - 20;
    ui_button(ui, (struct ui_rect){ w - M_MARGIN - wc, y, wc, 64 }, &st_primary, A_CLOSE, 0, close,
              UI_CENTER);
    if (a->reader_read >= 0) { /* unread advice: "Gelezen" here too */
        int wr = ui_text_width(ui, UI_F_BODY, T("child.read")) + 60;
        ui_button(ui, (struct ui_rect){ w - M_MARGIN - wc - 16 - wr, y, wr, 64 }, &st_outline,
                  A_READ, a->reader_read, T("child.read"), UI_CENTER);
    }
    if (total > per) {
        snprintf(pos, sizeof(pos), "%d / %d", a->reader_page + 1, (total + per - 1) / per);
        if (a->reader_page > 0)
            ui_button(ui, (struct ui_rect){ M_MARGIN, y, wp, 64 }, &st_outline, A_PAGE, -1, prev,
                      UI_CENTER);
        ui_text_in(ui, (struct ui_rect){ M_MARGIN + wp + 16, y, 120, 64 }, UI_F_BODY, UI_C_INK2,
                   UI_CENTER, pos);
        if ((a->reader_page + 1) * per < total)
            ui_button(ui, (struct ui_rect){ M_MARGIN + wp + 152, y, wn, 64 }, &st_outline, A_PAGE,
                      1, next, UI_CENTER);
    }
}

void app_overlay_build(struct app *a)
{
    switch (a->overlay) {
    case OV_NONE: break;
    case OV_SAFETY: build_safety(a); break;
    case OV_EDIT: build_edit(a); break;
    case OV_CHOICE: build_choice(a); break;
    case OV_CONFIRM: build_confirm(a); break;
    case OV_NAMES: scr_signal_names_build(a); break;
    case OV_READ: build_reader(a); break;
    }
}

static void edit_key_result(struct app *a, enum ui_key_result r)
{
    a->edit_full = r == UI_KEY_FULL;
    if (r == UI_KEY_ENTER)
        edit_accept(a);
    a->dirty = true;
}

bool app_overlay_action(struct app *a, int action, int arg)
{
    switch (a->overlay) {
    case OV_NONE: return false;
    case OV_EDIT:
        if (action == A_KEY)
            edit_key_result(a, ui_keyboard_press(&a->kb, &a->edit, arg));
        else if (action == A_PIN)
            edit_key_result(a, ui_pinpad_press(&a->edit, arg));
        else if (action == A_CLOSE)
            a->overlay = OV_NONE;
        return true;
    case OV_CHOICE:
        if (action == A_CHOICE) {
            a->overlay = OV_NONE;
            if (a->choice_done)
                a->choice_done(a, arg);
        } else if (action == A_CLOSE) {
            a->overlay = OV_NONE;
        } else if (action == A_PAGE) {
            a->choice_page += arg;
        }
        return true;
    case OV_CONFIRM:
        if (action == A_YES || action == A_NO) {
            a->overlay = OV_NONE;
            if (a->confirm_done)
                a->confirm_done(a, action == A_YES);
        }
        return true;
    case OV_SAFETY:
        if (action == A_CLOSE)
            a->overlay = OV_NONE;
        return true;
    case OV_NAMES: scr_signal_names_action(a, action, arg); return true;
    case OV_READ:
        if (action == A_CLOSE)
            a->overlay = OV_NONE;
        else if (action == A_READ) {
            a->overlay = OV_NONE;
            return false; /* the child screen marks it read */
        } else if (action == A_PAGE)
            a->reader_page += arg;
        return true;
    }
    return false;
}

bool app_overlay_key(struct app *a, const SDL_Event *ev)
{
    if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_ESCAPE) {
        a->overlay = OV_NONE;
        return true;
    }
    if (a->overlay != OV_EDIT)
        return false;
    edit_key_result(a, ui_field_event(&a->edit, ev));
    return true;
}

void app_field(struct app *a, struct ui_rect r, const char *label, const char *value, bool masked,
               int action, int arg)
{
    struct ui *ui = a->ui;
    struct ui_rect box = { r.x, r.y + 30, r.w, 64 };
    char dots[64] = "";
    ui_text(ui, r.x + 2, r.y, UI_F_BODY, UI_C_INK2, label);
    ui_control(ui, box, &st_chip, action, arg, label, NULL);
    if (masked) {
        for (size_t i = 0; value[i] && i < 8; i++)
            vp_strlcpy(dots + strlen(dots), "\xE2\x97\x8F ", sizeof(dots) - strlen(dots));
        value = dots;
    }
    if (value[0] && ui_text_width(ui, UI_F_BODY, value) > box.w - 40) { /* two lines */
        int lh = ui_wrap_height(ui, box.w - 40, UI_F_BODY, value, 2);
        ui_text_wrap(ui, (struct ui_rect){ box.x + 20, box.y + (box.h - lh) / 2, box.w - 40, 0 },
                     UI_F_BODY, UI_C_INK, value, 2);
    } else if (value[0])
        ui_text_in(ui, (struct ui_rect){ box.x + 20, box.y, box.w - 40, box.h }, UI_F_BODY,
                   UI_C_INK, UI_LEFT, value);
    else
        ui_text_in(ui, (struct ui_rect){ box.x + 20, box.y, box.w - 40, box.h }, UI_F_SUB,
                   UI_C_INK2, UI_LEFT, T("field.tap_to_type"));
}
