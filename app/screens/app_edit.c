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

/* Full-screen text entry: title, the field, a hint, the keyboard. */
static void build_edit(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), y = 24;
    int kbw = w - 2 * M_MARGIN, kbh;
    struct ui_rect field;
    char shown[UI_FIELD_BYTES + 8];
    ui_block(ui, UI_C_BG);
    ui_text_in(ui, (struct ui_rect){ M_MARGIN, y, w - 2 * M_MARGIN - 220, 64 }, UI_F_TITLE - 4,
               UI_C_INK, UI_LEFT, a->edit_title);
    ui_button(ui, (struct ui_rect){ w - M_MARGIN - 200, y, 200, 64 }, &st_outline, A_CLOSE, 0,
              T("cancel"), UI_CENTER);
    y += 64 + M_GAP;
    field = (struct ui_rect){ M_MARGIN, y, w - 2 * M_MARGIN, 72 };
    ui_fill(ui, field, UI_C_SURFACE, 12);
    ui_frame(ui, field, UI_C_PRIMARY, 12, 2);
    if (a->edit_pin) {
        size_t n = strlen(a->edit.text);
        shown[0] = '\0';
        for (size_t i = 0; i < n; i++)
            vp_strlcpy(shown + strlen(shown), "\xE2\x97\x8F ", sizeof(shown) - strlen(shown));
    } else {
        vp_snprintf(shown, sizeof(shown), "%s|", a->edit.text);
    }
    ui_text_in(ui, (struct ui_rect){ field.x + 20, field.y, field.w - 40, field.h }, UI_F_BODY,
               UI_C_INK, UI_LEFT, shown);
    y += 72 + 8;
    if (a->edit_hint[0])
        y += ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, y, w - 2 * M_MARGIN, 0 }, UI_F_SUB,
                          UI_C_INK2, a->edit_hint, 2);
    y += M_GAP;
    if (a->edit_pin) {
        int pw = 480, ph = 4 * 72 + 3 * 8;
        if (ph > h - y - 16)
            ph = 4 * 64 + 3 * 8;
        ui_pinpad_build(ui, (struct ui_rect){ (w - pw) / 2, y, pw, ph }, A_PIN, T("pin.clear"),
                        T("ok"));
        return;
    }
    if (kbw > 1200)
        kbw = 1200;
    kbh = ui_keyboard_height(kbw, h - y - 16);
    ui_keyboard_build(ui, &a->kb, &a->edit,
                      (struct ui_rect){ (w - kbw) / 2, h - kbh - 20, kbw, kbh }, A_KEY,
                      T("key.space"), T("key.done"));
}

static void build_choice(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), cw = w < 640 ? w - 40 : 560;
    int ch = 32 + 64 + a->nchoice * (64 + 10) + 64 + 40, x = (w - cw) / 2, y = (h - ch) / 2;
    ui_block(ui, BACKDROP);
    ui_card(ui, (struct ui_rect){ x, y, cw, ch }, UI_C_SURFACE, 16);
    ui_text_in(ui, (struct ui_rect){ x + 28, y + 20, cw - 56, 56 }, UI_F_HEAD | UI_BOLD, UI_C_INK,
               UI_LEFT, a->choice_title);
    y += 20 + 64;
    for (int i = 0; i < a->nchoice; i++) {
        const struct ui_style *st = i == a->choice_sel ? &st_chip_on : &st_chip;
        ui_button(ui, (struct ui_rect){ x + 28, y, cw - 56, 64 }, st, A_CHOICE, i, a->choice[i],
                  UI_LEFT);
        y += 64 + 10;
    }
    ui_button(ui, (struct ui_rect){ x + cw - 28 - 200, y + 8, 200, 64 }, &st_outline, A_CLOSE, 0,
              T("cancel"), UI_CENTER);
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
         ui_wrap_height(ui, tw, UI_F_SUB, T("safety.vt_hours"), 0) + 20 +
         ui_wrap_height(ui, tw, UI_F_SUB, T("safety.nothing_stored"), 0) + 24 + 64 + 28;
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
    ui_text(ui, x, y, UI_F_SUB, UI_C_INK2, T("safety.contact_label"));
    y += 30;
    y += ui_text_wrap(ui, (struct ui_rect){ x, y, tw, 0 }, UI_F_BODY, UI_C_INK, contact, 4) + 20;
    ui_text(ui, x, y, UI_F_SUB, UI_C_INK2, T("safety.vt_label"));
    y += 30;
    ui_text(ui, x, y, UI_F_BODY | UI_BOLD, UI_C_INK, T("safety.vt_phone"));
    y += 36;
    y += ui_text_wrap(ui, (struct ui_rect){ x, y, tw, 0 }, UI_F_SUB, UI_C_INK2,
                      T("safety.vt_hours"), 0) +
         20;
    y += ui_text_wrap(ui, (struct ui_rect){ x, y, tw, 0 }, UI_F_SUB, UI_C_INK2,
                      T("safety.nothing_stored"), 0) +
         24;
    ui_button(ui, (struct ui_rect){ x + tw - 200, y, 200, 64 }, &st_primary, A_CLOSE, 0, T("close"),
              UI_CENTER);
}

static void build_toast(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui);
    int tw = ui_text_width(ui, UI_F_SUB, a->toast), uw = 0, bw, x;
    const char *undo = T("undo");
    struct ui_rect box;
    if (!a->toast_until)
        return;
    if (a->toast_undo)
        uw = ui_text_width(ui, UI_F_BODY | UI_BOLD, undo) + 44;
    bw = 22 + tw + 22 + uw;
    if (bw > w - 40) {
        tw -= bw - (w - 40);
        bw = w - 40;
    }
    x = (w - bw) / 2;
    box = (struct ui_rect){ x, h - M_FOOT - 20 - 72, bw, 72 };
    ui_fill(ui, box, UI_C_TOAST, 14);
    ui_text_in(ui, (struct ui_rect){ x + 22, box.y, tw, 72 }, UI_F_SUB, UI_C_ON_PRIM, UI_LEFT,
               a->toast);
    if (a->toast_undo) {
        struct ui_rect u = { x + 22 + tw + 8, box.y + 4, uw, 64 };
        ui_control(ui, u,
                   &(struct ui_style){ UI_C_TOAST, 0, UI_C_TOAST_HI, 0, 12, UI_F_BODY, false },
                   A_UNDO, 0, undo, NULL);
        ui_text_in(ui, u, UI_F_BODY | UI_BOLD, UI_C_TOAST_HI, UI_CENTER, undo);
    }
}

void app_overlay_build(struct app *a)
{
    build_toast(a);
    switch (a->overlay) {
    case OV_NONE: break;
    case OV_SAFETY: build_safety(a); break;
    case OV_EDIT: build_edit(a); break;
    case OV_CHOICE: build_choice(a); break;
    case OV_CONFIRM: build_confirm(a); break;
    case OV_NAMES: scr_signal_names_build(a); break;
    }
}

static void edit_key_result(struct app *a, enum ui_key_result r)
{
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
    ui_text(ui, r.x + 2, r.y, UI_F_SUB, UI_C_INK2, label);
    ui_control(ui, box, &st_chip, action, arg, label, NULL);
    if (masked) {
        for (size_t i = 0; value[i] && i < 8; i++)
            vp_strlcpy(dots + strlen(dots), "\xE2\x97\x8F ", sizeof(dots) - strlen(dots));
        value = dots;
    }
    if (value[0])
        ui_text_in(ui, (struct ui_rect){ box.x + 20, box.y, box.w - 40, box.h }, UI_F_BODY,
                   UI_C_INK, UI_LEFT, value);
    else
        ui_text_in(ui, (struct ui_rect){ box.x + 20, box.y, box.w - 40, box.h }, UI_F_SUB,
                   UI_C_INK2, UI_LEFT, T("field.tap_to_type"));
}
