/*
 * scr_admin_forms.c - the add/edit forms of Beheer: a child (first name,
 * birth month, group), a group (name), a staff member (name, role, PIN).
 * Archiving is a flag, not a deletion: the coach's history stays intact.
 */
#include "app_int.h"
#include <string.h>

enum { FF_NAME, FF_PREV, FF_NEXT, FF_GROUP, FF_ROLE, FF_PIN, FF_SAVE, FF_ARCHIVE, FF_CANCEL };
enum { FK_NONE, FK_CHILD, FK_GROUP, FK_STAFF };

static void now_month(int *y, int *m)
{
    struct vp_civil c;
    vp_time_civil(vp_now_ms(), true, &c);
    *y = c.year;
    *m = c.month;
}

void scr_admin_open_form(struct app *a, int kind, int index)
{
    struct admin_form *f = &a->form;
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->is_new = index < 0;
    a->admin_msg[0] = '\0';
    if (kind == FK_CHILD) {
        now_month(&f->year, &f->month);
        f->year -= 2;
        for (size_t i = 0; i < a->nadm_groups; i++)
            if (!a->adm_groups[i].archived) {
                vp_strlcpy(f->extra, a->adm_groups[i].id, sizeof(f->extra));
                break;
            }
        if (!f->is_new && (size_t)index < a->nadm_kids) {
            const struct dev_child *c = &a->adm_kids[index];
            vp_strlcpy(f->id, c->id, sizeof(f->id));
            vp_strlcpy(f->name, c->first_name, sizeof(f->name));
            vp_strlcpy(f->extra, c->group_id, sizeof(f->extra));
            sscanf(c->birth_month, "%4d-%2d", &f->year, &f->month);
            f->archived = c->archived;
        }
    } else if (kind == FK_GROUP && !f->is_new && (size_t)index < a->nadm_groups) {
        vp_strlcpy(f->id, a->adm_groups[index].id, sizeof(f->id));
        vp_strlcpy(f->name, a->adm_groups[index].name, sizeof(f->name));
        f->archived = a->adm_groups[index].archived;
    } else if (kind == FK_STAFF) {
        f->role = VP_ROLE_PM;
        if (!f->is_new && (size_t)index < a->nadm_staff) {
            vp_strlcpy(f->id, a->adm_staff[index].id, sizeof(f->id));
            vp_strlcpy(f->name, a->adm_staff[index].display_name, sizeof(f->name));
            f->role = a->adm_staff[index].role;
            f->archived = a->adm_staff[index].archived;
        }
    } else if (kind != FK_GROUP) {
        f->kind = FK_NONE;
    }
}

static void step_month(struct app *a, int d)
{
    struct admin_form *f = &a->form;
    int y, m, idx = f->year * 12 + f->month - 1 + d;
    now_month(&y, &m);
    if (idx > y * 12 + m - 1 || idx < (y - 8) * 12)
        return; /* not in the future, not older than a child in care */
    f->year = idx / 12;
    f->month = idx % 12 + 1;
}

static void on_group(struct app *a, int i)
{
    int k = 0;
    for (size_t g = 0; g < a->nadm_groups; g++) {
        if (a->adm_groups[g].archived)
            continue;
        if (k++ == i)
            vp_strlcpy(a->form.extra, a->adm_groups[g].id, sizeof(a->form.extra));
    }
}

static void on_role(struct app *a, int i)
{
    a->form.role = i == 1 ? VP_ROLE_MANAGER : VP_ROLE_PM;
}

static void on_reset_pin(struct app *a)
{
    vp_result res;
    if (!devstore_pin_format_ok(a->form.pin)) {
        vp_strlcpy(a->admin_msg, T("lock.pin_format"), sizeof(a->admin_msg));
        return;
    }
    res = devstore_staff_set_pin(a->db, a->form.id, a->form.pin);
    memset(a->form.pin, 0, sizeof(a->form.pin));
    vp_strlcpy(a->admin_msg, res ? vp_result_message(res) : T("admin.pin_reset"),
               sizeof(a->admin_msg));
    if (!res)
        app_wake_sync(a);
}

static void choose(struct app *a, int field)
{
    const char *items[APP_MAX_CHOICES];
    int n = 0, sel = -1;
    if (field == FF_GROUP) {
        for (size_t g = 0; g < a->nadm_groups && n < APP_MAX_CHOICES; g++) {
            if (a->adm_groups[g].archived)
                continue;
            if (vp_str_eq(a->adm_groups[g].id, a->form.extra))
                sel = n;
            items[n++] = a->adm_groups[g].name;
        }
        app_choice_open(a, T("admin.group"), items, n, sel, on_group);
    } else {
        items[0] = T("role.pm");
        items[1] = T("role.manager");
        app_choice_open(a, T("admin.role"), items, 2, a->form.role == VP_ROLE_MANAGER, on_role);
    }
}

static vp_result save(struct app *a, bool archive_toggle)
{
    struct admin_form *f = &a->form;
    char *id = a->admin_focus, bm[8];
    bool arch = archive_toggle ? !f->archived : f->archived;
    vp_strlcpy(a->admin_focus, f->id, sizeof(a->admin_focus)); /* shown after saving */
    snprintf(bm, sizeof(bm), "%04d-%02d", f->year, f->month);
    if (!f->name[0])
        return VP_ERR_INVALID;
    if (f->kind == FK_CHILD)
        return f->is_new ? devstore_child_add(a->db, f->extra, f->name, bm, id)
                         : devstore_child_update(a->db, f->id, f->extra, f->name, bm, arch);
    if (f->kind == FK_GROUP)
        return f->is_new ? devstore_group_add(a->db, f->name, id)
                         : devstore_group_update(a->db, f->id, f->name, arch);
    if (f->is_new) {
        if (!devstore_pin_format_ok(f->pin))
            return VP_ERR_AUTH;
        return devstore_staff_add(a->db, f->name, f->role, f->pin, id);
    }
    return devstore_staff_update(a->db, f->id, f->name, f->role, arch);
}

static void save_and_close(struct app *a, bool archive_toggle)
{
    vp_result res = save(a, archive_toggle);
    if (res == VP_ERR_AUTH) {
        vp_strlcpy(a->admin_msg, T("lock.pin_format"), sizeof(a->admin_msg));
        return;
    }
    if (res == VP_ERR_INVALID && !a->form.name[0]) {
        vp_strlcpy(a->admin_msg, T("first.need_name"), sizeof(a->admin_msg));
        return;
    }
    if (res) {
        vp_strlcpy(a->admin_msg, vp_result_message(res), sizeof(a->admin_msg));
        return;
    }
    memset(a->form.pin, 0, sizeof(a->form.pin));
    vp_strlcpy(a->admin_msg,
               archive_toggle ? (a->form.archived ? T("admin.restored") : T("admin.archived"))
                              : T("admin.saved"),
               sizeof(a->admin_msg));
    a->form.kind = FK_NONE;
    scr_admin_enter(a);
    app_refresh_status(a);
    app_wake_sync(a);
    app_toast(a, a->admin_msg, false, 3000);
}

void scr_admin_form_action(struct app *a, int arg)
{
    switch (arg) {
    case FF_NAME:
        app_edit_open(a, T("admin.name"),
                      a->form.kind == FK_CHILD ? T("admin.child_name_hint") : NULL, a->form.name,
                      sizeof(a->form.name), VP_NAME_MAX_CHARS, false, NULL);
        break;
    case FF_PREV: step_month(a, -1); break;
    case FF_NEXT: step_month(a, 1); break;
    case FF_GROUP:
    case FF_ROLE: choose(a, arg); break;
    case FF_PIN:
        app_edit_open(a, T("first.pin"), T("first.pin_hint"), a->form.pin, sizeof(a->form.pin),
                      DEV_PIN_MAX, true, a->form.is_new ? NULL : on_reset_pin);
        break;
    case FF_SAVE: save_and_close(a, false); break;
    case FF_ARCHIVE: save_and_close(a, true); break;
    case FF_CANCEL: a->form.kind = FK_NONE; break;
    default: break;
    }
}

static const char *form_group_name(struct app *a)
{
    for (size_t i = 0; i < a->nadm_groups; i++)
        if (vp_str_eq(a->adm_groups[i].id, a->form.extra))
            return a->adm_groups[i].name;
    return "";
}

static int month_row(struct app *a, int x, int y, int w)
{
    struct ui *ui = a->ui;
    char text[64];
    struct vp_buf k = VP_BUF_INIT;
    vp_buf_addf(&k, "kiosk.month.%d", a->form.month);
    snprintf(text, sizeof(text), "%s %d", vp_tr(k.data), a->form.year);
    vp_buf_release(&k);
    ui_text(ui, x + 2, y, UI_F_BODY, UI_C_INK2, T("admin.birth_month"));
    ui_button(ui, (struct ui_rect){ x, y + 30, 120, 64 }, &st_outline, A_FORM, FF_PREV,
              T("admin.earlier"), UI_CENTER);
    ui_text_in(ui, (struct ui_rect){ x + 130, y + 30, w - 260, 64 }, UI_F_BODY | UI_BOLD, UI_C_INK,
               UI_CENTER, text);
    ui_button(ui, (struct ui_rect){ x + w - 120, y + 30, 120, 64 }, &st_outline, A_FORM, FF_NEXT,
              T("admin.later"), UI_CENTER);
    return y + 96 + 8;
}

const char *scr_admin_form_title(struct app *a)
{
    const struct admin_form *f = &a->form;
    return f->kind == FK_CHILD   ? (f->is_new ? T("admin.add_child") : T("admin.edit_child"))
           : f->kind == FK_GROUP ? (f->is_new ? T("admin.add_group") : T("admin.edit_group"))
                                 : (f->is_new ? T("admin.add_staff") : T("admin.edit_staff"));
}

void scr_admin_form_build(struct app *a, struct ui_rect r)
{
    struct ui *ui = a->ui;
    struct admin_form *f = &a->form;
    int y = r.y, w = r.w > 720 ? 720 : r.w, bw = (w - 2 * 16) / 3;
    const char *title =
        f->kind == FK_CHILD   ? (f->is_new ? T("admin.add_child") : T("admin.edit_child"))
        : f->kind == FK_GROUP ? (f->is_new ? T("admin.add_group") : T("admin.edit_group"))
                              : (f->is_new ? T("admin.add_staff") : T("admin.edit_staff"));
    if (r.h >= 520) { /* else the header says it */
        ui_text(ui, r.x, y, UI_F_HEAD | UI_BOLD, UI_C_INK, title);
        y += 48;
    }
    app_field(a, (struct ui_rect){ r.x, y, w, 96 }, T("admin.name"), f->name, false, A_FORM,
              FF_NAME);
    y += 96 + 8;
    if (f->kind == FK_CHILD) {
        y = month_row(a, r.x, y, w);
        app_field(a, (struct ui_rect){ r.x, y, w, 96 }, T("admin.group"), form_group_name(a), false,
                  A_FORM, FF_GROUP);
        y += 96 + 8;
    } else if (f->kind == FK_STAFF) {
        app_field(a, (struct ui_rect){ r.x, y, w / 2 - 8, 96 }, T("admin.role"),
                  f->role == VP_ROLE_MANAGER ? T("role.manager") : T("role.pm"), false, A_FORM,
                  FF_ROLE);
        if (f->is_new)
            app_field(a, (struct ui_rect){ r.x + w / 2 + 8, y, w / 2 - 8, 96 }, T("first.pin"),
                      f->pin, true, A_FORM, FF_PIN);
        else
            ui_button(ui, (struct ui_rect){ r.x + w / 2 + 8, y + 30, w / 2 - 8, 64 }, &st_outline,
                      A_FORM, FF_PIN, T("admin.reset_pin"), UI_CENTER);
        y += 96 + 16;
    }
    ui_button(ui, (struct ui_rect){ r.x, y, bw, 64 }, &st_primary, A_FORM, FF_SAVE, T("admin.save"),
              UI_CENTER);
    if (!f->is_new)
        ui_button(ui, (struct ui_rect){ r.x + bw + 16, y, bw, 64 },
                  f->archived ? &st_outline : &st_danger, A_FORM, FF_ARCHIVE,
                  f->archived ? T("admin.restore") : T("admin.archive"), UI_CENTER);
    ui_button(ui, (struct ui_rect){ r.x + 2 * (bw + 16), y, bw, 64 }, &st_outline, A_FORM,
              FF_CANCEL, T("cancel"), UI_CENTER);
    if (a->admin_msg[0])
        ui_text_wrap(ui, (struct ui_rect){ r.x, y + 80, w, 0 }, UI_F_BODY, UI_C_LVL3, a->admin_msg,
                     0);
}
