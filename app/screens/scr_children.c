/*
 * scr_children.c - "Kinderen": group tabs and child tiles (first name, age,
 * a badge for unread advice), the sync line and the safety button.
 */
#include "app_int.h"
#include <string.h>

static void load_kids(struct app *a)
{
    free(a->kids);
    a->kids = NULL;
    a->nkids = 0;
    if (a->ngroups == 0)
        return;
    if (devstore_children(a->db, a->groups[a->group_idx].id, false, &a->kids, &a->nkids) != VP_OK)
        a->nkids = 0;
}

void scr_children_enter(struct app *a)
{
    free(a->groups);
    a->groups = NULL;
    a->ngroups = 0;
    if (devstore_groups(a->db, false, &a->groups, &a->ngroups) != VP_OK)
        a->ngroups = 0;
    /* stay on the group that was open */
    a->group_idx = 0;
    for (size_t i = 0; i < a->ngroups; i++)
        if (vp_str_eq(a->groups[i].id, a->group_id))
            a->group_idx = (int)i;
    if (a->ngroups)
        vp_strlcpy(a->group_id, a->groups[a->group_idx].id, sizeof(a->group_id));
    load_kids(a);
}

static void more_groups(struct app *a);

void scr_children_action(struct app *a, int action, int arg)
{
    switch (action) {
    case A_TAB:
        if (arg >= 0 && (size_t)arg < a->ngroups) {
            a->group_idx = arg;
            a->page = 0;
            vp_strlcpy(a->group_id, a->groups[arg].id, sizeof(a->group_id));
            load_kids(a);
        }
        break;
    case A_PAGE: a->page += arg; break;
    case A_MOREGROUPS: more_groups(a); break;
    case A_CHILD:
        if (arg >= 0 && (size_t)arg < a->nkids) {
            a->child = a->kids[arg];
            app_go(a, SCR_CHILD);
        }
        break;
    default: break;
    }
}

static void child_tile(struct app *a, struct ui_rect r, int i)
{
    struct ui *ui = a->ui;
    const struct dev_child *c = &a->kids[i];
    char age[64];
    int bw = 0;
    app_age_text(c->birth_month, vp_now_ms(), age, sizeof(age));
    ui_control(ui, r, &st_tile, A_CHILD, i, c->first_name, NULL);
    if (c->unread_advice > 0) {
        const char *badge = T("children.badge");
        bw = ui_text_width(ui, UI_F_BADGE, badge) + 24;
        struct ui_rect br = { r.x + r.w - 14 - bw, r.y + 14, bw, 30 };
        ui_fill(ui, br, UI_C_PRIMARY, 12);
        ui_text_in(ui, br, UI_F_BADGE, UI_C_ON_PRIM, UI_CENTER, badge);
        bw += 14;
    }
    ui_text_in(ui, (struct ui_rect){ r.x + 22, r.y + 18, r.w - 44 - bw, 40 }, UI_F_TILE, UI_C_INK,
               UI_LEFT, c->first_name);
    ui_text_in(ui, (struct ui_rect){ r.x + 22, r.y + 62, r.w - 44, 30 }, UI_F_SUB, UI_C_INK2,
               UI_LEFT, age);
}

/* The group tabs that fit in one row; with more groups than fit, the
 * last place opens them all as a list (it pages). */
static void on_group(struct app *a, int i)
{
    scr_children_action(a, A_TAB, i);
}

static void more_groups(struct app *a)
{
    const char *items[APP_MAX_CHOICES];
    int n = 0;
    for (size_t i = 0; i < a->ngroups && n < APP_MAX_CHOICES; i++)
        items[n++] = a->groups[i].name;
    app_choice_open(a, T("children.groups"), items, n, a->group_idx, on_group);
}

static void tabs(struct app *a, int y)
{
    struct ui *ui = a->ui;
    int x = M_MARGIN, w = ui_width(ui), right = w - M_MARGIN;
    const char *more = T("children.more_groups");
    int mw = ui_text_width(ui, UI_F_BODY, more) + 48;
    size_t fit = 0;
    for (int tx = M_MARGIN; fit < a->ngroups; fit++) {
        tx += ui_text_width(ui, UI_F_BODY, a->groups[fit].name) + 60 + 12;
        if (tx - 12 > right)
            break;
    }
    if (fit < a->ngroups) /* room for "Meer groepen" */
        while (fit > 0) {
            int tx = M_MARGIN;
            for (size_t i = 0; i < fit; i++)
                tx += ui_text_width(ui, UI_F_BODY, a->groups[i].name) + 60 + 12;
            if (tx + mw <= right)
                break;
            fit--;
        }
    for (size_t i = 0; i < fit; i++) {
        const char *name = a->groups[i].name;
        int tw = ui_text_width(ui, UI_F_BODY, name) + 60;
        ui_button(ui, (struct ui_rect){ x, y, tw, 64 },
                  (int)i == a->group_idx ? &st_tab_on : &st_tab, A_TAB, (int)i, name, UI_CENTER);
        x += tw + 12;
    }
    if (fit < a->ngroups)
        ui_button(ui, (struct ui_rect){ x, y, mw, 64 },
                  (size_t)a->group_idx >= fit ? &st_tab_on : &st_tab, A_MOREGROUPS, 0, more,
                  UI_CENTER);
}

void scr_children_build(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), y = M_HEAD + 18, bottom = h - M_FOOT - 12;
    int cols, tw, th = M_TILE_H, rows, per;
    size_t first, count;
    struct vp_buf title = VP_BUF_INIT;
    vp_buf_addf(&title, "%s \xC2\xB7 %s", a->location[0] ? a->location : T("app_name"),
                T("children.title"));
    app_header(a, title.data, false, true);
    vp_buf_release(&title);
    app_footer(a, true, NULL, 0);
    if (a->ngroups == 0) {
        ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, y + 8, w - 2 * M_MARGIN, 0 }, UI_F_BODY,
                     UI_C_INK, T("children.no_groups"), 0);
        return;
    }
    tabs(a, y);
    y += 64 + 20;
    cols = (w - 2 * M_MARGIN + M_GAP) / (250 + M_GAP);
    if (cols < 2)
        cols = 2;
    if (cols > 5)
        cols = 5;
    tw = (w - 2 * M_MARGIN - (cols - 1) * M_GAP) / cols;
    rows = (bottom - y + M_GAP) / (th + M_GAP);
    if (rows < 1)
        rows = 1;
    per = rows * cols;
    if ((int)a->nkids > per) { /* a row for the pager at the bottom */
        rows = (bottom - 64 - M_GAP - y + M_GAP) / (th + M_GAP);
        per = (rows < 1 ? 1 : rows) * cols;
    }
    app_pager(a, (struct ui_rect){ M_MARGIN, bottom - 64, w - 2 * M_MARGIN, 64 }, a->nkids,
              (size_t)per, &first, &count);
    if (a->nkids == 0)
        ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, y + 8, w - 2 * M_MARGIN, 0 }, UI_F_BODY,
                     UI_C_INK2, T("children.empty_group"), 0);
    for (size_t i = 0; i < count; i++) {
        int col = (int)i % cols, row = (int)i / cols;
        child_tile(
            a, (struct ui_rect){ M_MARGIN + col * (tw + M_GAP), y + row * (th + M_GAP), tw, th },
            (int)(first + i));
    }
}
