/*
 * scr_admin.c - "Beheer" for a manager: children, groups, staff, enrolling
 * the device, settings (auto-lock time, language, safety contact). The
 * edit forms are in scr_admin_forms.c.
 */
#include "app_int.h"
#include <string.h>

#define TABS_W 260

enum { FS_AUTOLOCK = 40, FS_LANG, FS_SAFETY, FD_URL, FD_CODE, FD_ENROL };

static const int autolock_choices[] = { 30, 60, 90, 120, 300 };
#define N_AUTOLOCK ((int)(sizeof(autolock_choices) / sizeof(autolock_choices[0])))

void scr_admin_enter(struct app *a)
{
    free(a->adm_kids);
    free(a->adm_groups);
    free(a->adm_staff);
    a->adm_kids = NULL;
    a->adm_groups = NULL;
    a->adm_staff = NULL;
    a->nadm_kids = a->nadm_groups = a->nadm_staff = 0;
    if (devstore_children(a->db, NULL, a->show_archived, &a->adm_kids, &a->nadm_kids) != VP_OK)
        a->nadm_kids = 0;
    if (devstore_groups(a->db, true, &a->adm_groups, &a->nadm_groups) != VP_OK)
        a->nadm_groups = 0;
    if (devstore_staff(a->db, a->show_archived, &a->adm_staff, &a->nadm_staff) != VP_OK)
        a->nadm_staff = 0;
}

static void autolock_text(int secs, char *out, size_t size)
{
    struct vp_buf b = VP_BUF_INIT;
    char n[16];
    if (secs % 60 == 0 && secs >= 120) {
        snprintf(n, sizeof(n), "%d", secs / 60);
        vp_tr_fmt(&b, "kiosk.admin.autolock_min", "n", n, NULL);
    } else {
        snprintf(n, sizeof(n), "%d", secs);
        vp_tr_fmt(&b, "kiosk.admin.autolock_sec", "n", n, NULL);
    }
    vp_strlcpy(out, b.data, size);
    vp_buf_release(&b);
}

static char autolock_labels[N_AUTOLOCK][64];

static void on_autolock(struct app *a, int i)
{
    vp_result res = devstore_setting_set_int(a->db, "autolock_seconds", autolock_choices[i]);
    if (res)
        app_error(a, res);
    app_refresh_status(a);
}

static void on_lang(struct app *a, int i)
{
    const char *code = i == 1 ? "en" : "nl";
    vp_result res = devstore_setting_set_text(a->db, "language", code);
    if (res)
        app_error(a, res);
    vp_i18n_set_lang(i == 1 ? VP_LANG_EN : VP_LANG_NL);
}

static void on_safety(struct app *a)
{
    vp_result res = devstore_setting_set_text(a->db, "safety_contact", a->form.extra);
    if (res)
        app_error(a, res);
}

static void settings_action(struct app *a, int arg)
{
    const char *items[APP_MAX_CHOICES];
    int cur = 0;
    if (arg == FS_AUTOLOCK) {
        for (int i = 0; i < N_AUTOLOCK; i++) {
            autolock_text(autolock_choices[i], autolock_labels[i], sizeof(autolock_labels[i]));
            items[i] = autolock_labels[i];
            if (autolock_choices[i] * 1000 == a->autolock_ms)
                cur = i;
        }
        app_choice_open(a, T("admin.autolock"), items, N_AUTOLOCK, cur, on_autolock);
    } else if (arg == FS_LANG) {
        items[0] = "Nederlands";
        items[1] = "English";
        app_choice_open(a, T("admin.language"), items, 2, vp_i18n_lang() == VP_LANG_EN, on_lang);
    } else if (arg == FS_SAFETY) {
        devstore_setting_get_text(a->db, "safety_contact", "", a->form.extra,
                                  sizeof(a->form.extra));
        app_edit_open(a, T("admin.safety_contact"), T("admin.safety_hint"), a->form.extra,
                      sizeof(a->form.extra), 200, false, on_safety);
    }
}

static void device_action(struct app *a, int arg)
{
    if (arg == FD_URL) {
        if (!a->first_url[0])
            vp_strlcpy(a->first_url, "https://", sizeof(a->first_url));
        app_edit_open(a, T("first.server"), T("first.server_hint"), a->first_url,
                      sizeof(a->first_url), DEV_URL_MAX - 1, false, NULL);
    } else if (arg == FD_CODE) {
        app_edit_open(a, T("first.code"), T("first.code_hint"), a->first_code,
                      sizeof(a->first_code), 20, false, NULL);
        a->kb.auto_cap = false;
    } else if (arg == FD_ENROL) {
        if (strlen(a->first_url) < 10 || !a->first_code[0]) {
            vp_strlcpy(a->admin_msg, T("first.need_both"), sizeof(a->admin_msg));
        } else if (!a->hooks.enroll || !a->hooks.can_enroll) {
            vp_strlcpy(a->admin_msg, T("first.no_client"), sizeof(a->admin_msg));
        } else {
            vp_strlcpy(a->admin_msg, T("first.busy"), sizeof(a->admin_msg));
            a->hooks.enroll(a->hooks.ctx, a->first_url, a->first_code);
        }
    }
}

void scr_admin_action(struct app *a, int action, int arg)
{
    switch (action) {
    case A_BACK:
        if (a->form.kind) {
            a->form.kind = 0;
            return;
        }
        app_go(a, SCR_CHILDREN);
        return;
    case A_ADMTAB:
        a->admin_tab = (enum admin_tab)arg;
        a->form.kind = 0;
        a->page = 0;
        a->admin_msg[0] = '\0';
        return;
    case A_SHOWARCH:
        a->show_archived = !a->show_archived;
        scr_admin_enter(a);
        return;
    case A_PAGE: a->page += arg; return;
    case A_ADMADD: scr_admin_open_form(a, a->admin_tab + 1, -1); return;
    case A_ADMITEM: scr_admin_open_form(a, a->admin_tab + 1, arg); return;
    case A_FORM:
        if (arg >= FD_URL)
            device_action(a, arg);
        else if (arg >= FS_AUTOLOCK)
            settings_action(a, arg);
        else
            scr_admin_form_action(a, arg);
        return;
    default: return;
    }
}

static const char *group_name(struct app *a, const char *id)
{
    for (size_t i = 0; i < a->nadm_groups; i++)
        if (vp_str_eq(a->adm_groups[i].id, id))
            return a->adm_groups[i].name;
    return "";
}

/* One row of a list: the name (what a script taps) and details. */
static void list_row(struct app *a, struct ui_rect r, int i, const char *name, const char *detail,
                     bool archived)
{
    struct ui *ui = a->ui;
    int nw;
    ui_control(ui, r, &st_chip, A_ADMITEM, i, name, NULL);
    nw = ui_text_in(ui, (struct ui_rect){ r.x + 22, r.y, r.w / 2, r.h }, UI_F_BODY,
                    archived ? UI_C_INK2 : UI_C_INK, UI_LEFT, name);
    if (detail[0] && ui_text_width(ui, UI_F_BODY, detail) <= r.w - nw - 70)
        ui_text_in(ui, (struct ui_rect){ r.x + 22 + nw + 24, r.y, r.w - nw - 70, r.h }, UI_F_BODY,
                   UI_C_INK2, UI_LEFT, detail);
}

static void list_body(struct app *a, struct ui_rect r)
{
    size_t n = a->admin_tab == AT_CHILDREN ? a->nadm_kids
               : a->admin_tab == AT_GROUPS ? a->nadm_groups
                                           : a->nadm_staff;
    const char *add = a->admin_tab == AT_CHILDREN ? T("admin.add_child")
                      : a->admin_tab == AT_GROUPS ? T("admin.add_group")
                                                  : T("admin.add_staff");
    const char *arch = T("admin.show_archived");
    int aw = ui_text_width(a->ui, UI_F_BODY, add) + 56;
    int hw = ui_text_width(a->ui, UI_F_BODY, arch) + 56, top = r.y + 80;
    size_t per, first, count;
    ui_button(a->ui, (struct ui_rect){ r.x, r.y, aw, 64 }, &st_primary, A_ADMADD, 0, add,
              UI_CENTER);
    if (a->admin_tab != AT_GROUPS) {
        struct ui_rect hr = { r.x + aw + 16, r.y, hw, 64 };
        if (hr.x + hr.w > r.x + r.w) { /* narrow: a row of its own */
            hr = (struct ui_rect){ r.x, r.y + 74, hw, 64 };
            top += 74;
        }
        ui_button(a->ui, hr, a->show_archived ? &st_tab_on : &st_outline, A_SHOWARCH, 0, arch,
                  UI_CENTER);
    }
    per = (size_t)((r.y + r.h - top + 10) / (64 + 10));
    if (n > per) /* the pager's row at the bottom */
        per = (size_t)((r.y + r.h - 74 - top + 10) / (64 + 10));
    if (a->admin_focus[0] && per > 0) { /* the page of what was just saved */
        for (size_t i = 0; i < n; i++) {
            const char *id = a->admin_tab == AT_CHILDREN ? a->adm_kids[i].id
                             : a->admin_tab == AT_GROUPS ? a->adm_groups[i].id
                                                         : a->adm_staff[i].id;
            if (vp_str_eq(id, a->admin_focus))
                a->page = (int)(i / per);
        }
        a->admin_focus[0] = '\0';
    }
    app_pager(a, (struct ui_rect){ r.x, r.y + r.h - 64, r.w, 64 }, n, per ? per : 1, &first,
              &count);
    for (size_t k = 0; k < count; k++) {
        size_t i = first + k;
        struct ui_rect row = { r.x, top + (int)k * 74, r.w, 64 };
        struct vp_buf d = VP_BUF_INIT;
        char age[64];
        if (a->admin_tab == AT_CHILDREN) {
            const struct dev_child *c = &a->adm_kids[i];
            app_age_text(c->birth_month, vp_now_ms(), age, sizeof(age));
            vp_buf_addf(&d, "%s \xC2\xB7 %s%s%s", group_name(a, c->group_id), age,
                        c->archived ? " " : "", c->archived ? T("admin.archived_mark") : "");
            list_row(a, row, (int)i, c->first_name, d.data, c->archived);
        } else if (a->admin_tab == AT_GROUPS) {
            const struct dev_group *g = &a->adm_groups[i];
            list_row(a, row, (int)i, g->name, g->archived ? T("admin.archived_mark") : "",
                     g->archived);
        } else {
            const struct dev_staff *s = &a->adm_staff[i];
            vp_buf_addf(&d, "%s%s%s", s->role == VP_ROLE_MANAGER ? T("role.manager") : T("role.pm"),
                        s->archived ? " " : "", s->archived ? T("admin.archived_mark") : "");
            list_row(a, row, (int)i, s->display_name, d.data, s->archived);
        }
        vp_buf_release(&d);
    }
}

static void device_body(struct app *a, struct ui_rect r)
{
    struct ui *ui = a->ui;
    struct vp_buf b = VP_BUF_INIT;
    int y = r.y;
    if (a->dev.enrolled)
        vp_tr_fmt(&b, "kiosk.admin.enrolled_to", "location", a->location, "server",
                  a->dev.server_url, NULL);
    else
        vp_buf_adds(&b, T("admin.not_enrolled"));
    y += ui_text_wrap(ui, (struct ui_rect){ r.x, y, r.w, 0 }, UI_F_BODY, UI_C_INK, b.data, 3) + 20;
    vp_buf_release(&b);
    app_field(a, (struct ui_rect){ r.x, y, r.w, 96 }, T("first.server"), a->first_url, false,
              A_FORM, FD_URL);
    y += 96 + 12;
    app_field(a, (struct ui_rect){ r.x, y, r.w, 96 }, T("first.code"), a->first_code, false, A_FORM,
              FD_CODE);
    y += 96 + 20;
    ui_button(ui, (struct ui_rect){ r.x, y, 300, 64 }, &st_primary, A_FORM, FD_ENROL,
              T("first.enrol"), UI_CENTER);
    if (a->admin_msg[0])
        ui_text_wrap(ui, (struct ui_rect){ r.x + 320, y + 4, r.w - 320, 0 }, UI_F_SUB, UI_C_INK,
                     a->admin_msg, 2);
}

static void settings_body(struct app *a, struct ui_rect r)
{
    char al[64], contact[VP_TEXT_BYTES(300)];
    int y = r.y;
    autolock_text((int)(a->autolock_ms / 1000), al, sizeof(al));
    devstore_setting_get_text(a->db, "safety_contact", "", contact, sizeof(contact));
    app_field(a, (struct ui_rect){ r.x, y, r.w, 96 }, T("admin.autolock"), al, false, A_FORM,
              FS_AUTOLOCK);
    y += 96 + 16;
    app_field(a, (struct ui_rect){ r.x, y, r.w, 96 }, T("admin.language"),
              vp_i18n_lang() == VP_LANG_EN ? "English" : "Nederlands", false, A_FORM, FS_LANG);
    y += 96 + 16;
    app_field(a, (struct ui_rect){ r.x, y, r.w, 96 }, T("admin.safety_contact"), contact, false,
              A_FORM, FS_SAFETY);
}

void scr_admin_build(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), top = M_HEAD + 22, bottom = h - M_FOOT - 16;
    int tw = TABS_W, cx;
    struct ui_rect body;
    static const char *tab_keys[AT_COUNT] = { "kiosk.admin.tab.children", "kiosk.admin.tab.groups",
                                              "kiosk.admin.tab.staff", "kiosk.admin.tab.device",
                                              "kiosk.admin.tab.settings" };
    struct vp_buf title = VP_BUF_INIT;
    if (w < 1000) { /* as wide as the longest section name needs */
        tw = 0;
        for (int i = 0; i < AT_COUNT; i++) {
            int t = ui_text_width(ui, UI_F_BODY, vp_tr(tab_keys[i])) + 48;
            if (t > tw)
                tw = t;
        }
    }
    cx = M_MARGIN + tw + 20;
    body = (struct ui_rect){ cx, top, w - M_MARGIN - cx, bottom - top };
    vp_buf_addf(&title, "%s \xC2\xB7 %s", T("back"), T("admin.title"));
    if (a->form.kind && bottom - top < 520)
        vp_buf_addf(&title, " \xC2\xB7 %s", scr_admin_form_title(a));
    app_header(a, title.data, true, true);
    vp_buf_release(&title);
    app_footer(a, true, NULL, 0);
    for (int i = 0; i < AT_COUNT; i++)
        ui_button(ui, (struct ui_rect){ M_MARGIN, top + i * 74, tw, 64 },
                  (int)a->admin_tab == i ? &st_tab_on : &st_tab, A_ADMTAB, i, vp_tr(tab_keys[i]),
                  UI_LEFT);
    if (a->form.kind)
        scr_admin_form_build(a, body);
    else if (a->admin_tab == AT_DEVICE)
        device_body(a, body);
    else if (a->admin_tab == AT_SETTINGS)
        settings_body(a, body);
    else
        list_body(a, body);
}
