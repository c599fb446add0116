/*
 * scr_first.c - "Eerste start" on a new tablet: enrol (server address and
 * code, typed on the on-screen keyboard) or "Later" for a location without
 * network; then the first manager (name and PIN) unless enrolment brought
 * staff along; then the lock screen.
 */
#include "app_int.h"
#include <string.h>

enum { F_URL, F_CODE, F_ENROL, F_LATER, F_NAME, F_PIN, F_PIN2, F_SAVE };
enum { ST_ENROL, ST_BUSY, ST_MANAGER };

static bool has_staff(struct app *a)
{
    struct dev_staff *st = NULL;
    size_t n = 0;
    bool any = devstore_staff(a->db, false, &st, &n) == VP_OK && n > 0;
    free(st);
    return any;
}

void scr_first_enter(struct app *a)
{
    a->first_msg[0] = '\0'; /* "Later" does not carry an error over (issue 11) */
    a->first_stage = a->dev.setup_done || a->dev.enrolled ? ST_MANAGER : ST_ENROL;
    if (!a->first_url[0])
        vp_strlcpy(a->first_url, "https://", sizeof(a->first_url));
}

static void enrol(struct app *a)
{
    if (strlen(a->first_url) < 10 || !a->first_code[0]) {
        vp_strlcpy(a->first_msg, T("first.need_both"), sizeof(a->first_msg));
        return;
    }
    if (!a->hooks.enroll || !a->hooks.can_enroll) {
        vp_strlcpy(a->first_msg, T("first.no_client"), sizeof(a->first_msg));
        return;
    }
    a->first_stage = ST_BUSY;
    a->first_msg[0] = '\0';
    a->hooks.enroll(a->hooks.ctx, a->first_url, a->first_code);
}

static void later(struct app *a)
{
    vp_result res = devstore_device_set_setup_done(a->db, true);
    if (res) {
        app_error(a, res);
        return;
    }
    app_refresh_status(a);
    a->first_msg[0] = '\0'; /* the connection error does not belong on the next form */
    if (has_staff(a))
        app_go(a, SCR_LOCK);
    else
        a->first_stage = ST_MANAGER;
}

static void save_manager(struct app *a)
{
    char id[VP_UUID_LEN];
    vp_result res;
    if (!a->first_name[0]) {
        vp_strlcpy(a->first_msg, T("first.need_name"), sizeof(a->first_msg));
        return;
    }
    if (!devstore_pin_format_ok(a->first_pin)) {
        vp_strlcpy(a->first_msg, T("lock.pin_format"), sizeof(a->first_msg));
        return;
    }
    if (!vp_str_eq(a->first_pin, a->first_pin2)) {
        vp_strlcpy(a->first_msg, T("first.pin_mismatch"), sizeof(a->first_msg));
        return;
    }
    res = devstore_staff_add(a->db, a->first_name, VP_ROLE_MANAGER, a->first_pin, id);
    if (!res)
        res = devstore_device_set_setup_done(a->db, true);
    memset(a->first_pin, 0, sizeof(a->first_pin));
    memset(a->first_pin2, 0, sizeof(a->first_pin2));
    if (res) {
        vp_strlcpy(a->first_msg, vp_result_message(res), sizeof(a->first_msg));
        return;
    }
    app_wake_sync(a);
    app_go(a, SCR_LOCK);
}

static void clear_msg(struct app *a)
{
    a->first_msg[0] = '\0';
}

void scr_first_action(struct app *a, int action, int arg)
{
    if (action != A_FIRST)
        return;
    switch (arg) {
    case F_URL:
        app_edit_open(a, T("first.server"), T("first.server_hint"), a->first_url,
                      sizeof(a->first_url), DEV_URL_MAX - 1, false, clear_msg);
        break;
    case F_CODE:
        app_edit_open(a, T("first.code"), T("first.code_hint"), a->first_code,
                      sizeof(a->first_code), 20, false, clear_msg);
        a->kb.auto_cap = false;
        break;
    case F_ENROL: enrol(a); break;
    case F_LATER: later(a); break;
    case F_NAME:
        app_edit_open(a, T("first.name"), NULL, a->first_name, sizeof(a->first_name),
                      VP_NAME_MAX_CHARS, false, clear_msg);
        break;
    case F_PIN:
        app_edit_open(a, T("first.pin"), T("first.pin_hint"), a->first_pin, sizeof(a->first_pin),
                      DEV_PIN_MAX, true, clear_msg);
        break;
    case F_PIN2:
        app_edit_open(a, T("first.pin2"), NULL, a->first_pin2, sizeof(a->first_pin2), DEV_PIN_MAX,
                      true, clear_msg);
        break;
    case F_SAVE: save_manager(a); break;
    default: break;
    }
}

void scr_first_sync(struct app *a, const struct app_sync_note *note)
{
    if (a->first_stage != ST_BUSY)
        return;
    if (note->kind == APP_SYNC_ENROLLED) {
        app_refresh_status(a);
        if (has_staff(a))
            app_go(a, SCR_LOCK);
        else
            a->first_stage = ST_MANAGER;
    } else if (note->kind == APP_SYNC_ENROLL_FAILED) {
        a->first_stage = ST_ENROL;
        vp_strlcpy(a->first_msg, note->message[0] ? note->message : vp_result_message(note->result),
                   sizeof(a->first_msg));
    }
    a->dirty = true;
}

static void enrol_form(struct app *a, int x, int y, int w)
{
    struct ui *ui = a->ui;
    /* what went wrong in the intro's place, where it is seen */
    if (a->first_msg[0])
        y += ui_text_wrap(ui, (struct ui_rect){ x, y, w, 0 }, UI_F_BODY, UI_C_LVL3, a->first_msg,
                          0) +
             20;
    else
        y += ui_text_wrap(ui, (struct ui_rect){ x, y, w, 0 }, UI_F_BODY, UI_C_INK2,
                          T("first.intro"), 0) +
             20;
    app_field(a, (struct ui_rect){ x, y, w, 96 }, T("first.server"), a->first_url, false, A_FIRST,
              F_URL);
    y += 96 + 16;
    app_field(a, (struct ui_rect){ x, y, w, 96 }, T("first.code"), a->first_code, false, A_FIRST,
              F_CODE);
    y += 96 + 24;
    ui_button(ui, (struct ui_rect){ x, y, w / 2 - 8, 72 }, &st_primary, A_FIRST, F_ENROL,
              T("first.enrol"), UI_CENTER);
    ui_button(ui, (struct ui_rect){ x + w / 2 + 8, y, w / 2 - 8, 72 }, &st_outline, A_FIRST,
              F_LATER, T("first.later"), UI_CENTER);
}

static void manager_form(struct app *a, int x, int y, int w)
{
    struct ui *ui = a->ui;
    int half = (w - 16) / 2;
    y += ui_text_wrap(ui, (struct ui_rect){ x, y, w, 0 }, UI_F_BODY, UI_C_INK2,
                      T("first.manager_intro"), 3) +
         20;
    app_field(a, (struct ui_rect){ x, y, w, 96 }, T("first.name"), a->first_name, false, A_FIRST,
              F_NAME);
    y += 96 + 16;
    app_field(a, (struct ui_rect){ x, y, half, 96 }, T("first.pin"), a->first_pin, true, A_FIRST,
              F_PIN);
    app_field(a, (struct ui_rect){ x + half + 16, y, half, 96 }, T("first.pin2"), a->first_pin2,
              true, A_FIRST, F_PIN2);
    y += 96 + 24;
    ui_button(ui, (struct ui_rect){ x, y, w, 72 }, &st_primary, A_FIRST, F_SAVE,
              T("first.save_manager"), UI_CENTER);
    y += 72 + 16;
    if (a->first_msg[0])
        ui_text_wrap(ui, (struct ui_rect){ x, y, w, 0 }, UI_F_BODY, UI_C_LVL3, a->first_msg, 3);
}

void scr_first_build(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), cw = w < 860 ? w - 2 * M_MARGIN : 760, x = (w - cw) / 2;
    int y = M_HEAD + 28;
    ui_fill(ui, (struct ui_rect){ 0, 0, w, M_HEAD }, UI_C_PRIMARY, 0);
    ui_text_in(ui, (struct ui_rect){ M_MARGIN, 0, w - 2 * M_MARGIN, M_HEAD }, UI_F_HEAD,
               UI_C_ON_PRIM, UI_LEFT, T("app_name"));
    ui_text(ui, x, y, UI_F_TITLE, UI_C_INK,
            a->first_stage == ST_MANAGER ? T("first.manager_title") : T("first.title"));
    y += 60;
    if (a->first_stage == ST_BUSY)
        ui_text_wrap(ui, (struct ui_rect){ x, y, cw, 0 }, UI_F_BODY, UI_C_INK, T("first.busy"), 0);
    else if (a->first_stage == ST_ENROL)
        enrol_form(a, x, y, cw);
    else
        manager_form(a, x, y, cw);
}
