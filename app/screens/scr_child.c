/*
 * scr_child.c - "Kind": a big "Nieuw signaal", the coach's advice (tap
 * "Gelezen" to mark it read), the route (case status, consultation, next
 * step) and the child's timeline of signals.
 */
#include "app_int.h"
#include <string.h>

#define SIDE_W 380

void scr_child_enter(struct app *a)
{
    struct dev_child c;
    if (devstore_child_get(a->db, a->child.id, &c) == VP_OK)
        a->child = c;
    free(a->obs);
    free(a->adv);
    a->obs = NULL;
    a->adv = NULL;
    a->nobs = a->nadv = 0;
    if (devstore_child_observations(a->db, a->child.id, 60, &a->obs, &a->nobs) != VP_OK)
        a->nobs = 0;
    if (devstore_child_advice(a->db, a->child.id, &a->adv, &a->nadv) != VP_OK)
        a->nadv = 0;
    a->have_case = devstore_child_case(a->db, a->child.id, &a->kase) == VP_OK;
    if (!a->groups && devstore_groups(a->db, true, &a->groups, &a->ngroups) != VP_OK)
        a->ngroups = 0;
}

void scr_child_action(struct app *a, int action, int arg)
{
    vp_result res;
    switch (action) {
    case A_BACK: app_go(a, SCR_CHILDREN); break;
    case A_NEWSIG: app_go(a, SCR_SIGNAL); break;
    case A_PAGE: a->page += arg; break;
    case A_READ:
        if (arg >= 0 && (size_t)arg < a->nadv) {
            res = devstore_advice_mark_read(a->db, a->adv[arg].id, a->me.id);
            if (res)
                app_error(a, res);
            else
                app_wake_sync(a);
            scr_child_enter(a);
        }
        break;
    default: break;
    }
}

static const char *group_name(struct app *a, const char *id)
{
    for (size_t i = 0; i < a->ngroups; i++)
        if (vp_str_eq(a->groups[i].id, id))
            return a->groups[i].name;
    return "";
}

static const char *case_label(enum vp_case_status s)
{
    struct vp_buf b = VP_BUF_INIT;
    const char *out;
    vp_buf_addf(&b, "kiosk.case.%s", vp_case_status_name(s));
    out = vp_tr(b.data);
    vp_buf_release(&b);
    return out;
}

static const char *consult_label(enum vp_consultation c)
{
    return c == VP_CONSULT_NAMED       ? T("consult.named")
           : c == VP_CONSULT_ANONYMOUS ? T("consult.anonymous")
                                       : T("consult.none");
}

/* An advice card; returns its height. */
static int advice_card(struct app *a, struct ui_rect r, int i)
{
    struct ui *ui = a->ui;
    const struct dev_advice *adv = &a->adv[i];
    bool unread = adv->read_ms == 0;
    char when[64];
    struct vp_buf meta = VP_BUF_INIT;
    int th = ui_wrap_height(ui, r.w - 56, UI_F_BODY, adv->text, 4);
    int h = 16 + 30 + th + (unread ? 16 + 64 : 0) + 18, y = r.y + 16;
    app_when_text(adv->created_ms, vp_now_ms(), when, sizeof(when));
    vp_tr_fmt(&meta, "kiosk.child.advice_meta", "when", when, NULL);
    if (a->have_case)
        vp_buf_addf(&meta, " \xC2\xB7 %s: %s", T("child.status"), case_label(a->kase.status));
    ui_fill(ui, (struct ui_rect){ r.x, r.y, r.w, h }, unread ? UI_RGB(0xE4ECEC) : UI_C_SURFACE, 16);
    ui_fill(ui, (struct ui_rect){ r.x, r.y, 8, h }, UI_C_PRIMARY, 0);
    ui_text_in(ui, (struct ui_rect){ r.x + 28, y, r.w - 56, 28 }, UI_F_SMALL, UI_C_INK2, UI_LEFT,
               meta.data);
    vp_buf_release(&meta);
    y += 30;
    ui_text_wrap(ui, (struct ui_rect){ r.x + 28, y, r.w - 56, 0 }, UI_F_BODY, UI_C_INK, adv->text,
                 4);
    y += th + 16;
    if (unread)
        ui_button(ui, (struct ui_rect){ r.x + 28, y, 180, 64 }, &st_outline, A_READ, i,
                  T("child.read"), UI_CENTER);
    return h;
}

static void obs_details(struct app *a, const struct dev_obs_item *it, struct vp_buf *b)
{
    const struct vp_observation *o = &it->obs;
    char when[64];
    app_when_text(o->device_time_ms, vp_now_ms(), when, sizeof(when));
    vp_buf_adds(b, when);
    if (it->staff_name[0])
        vp_buf_addf(b, " \xC2\xB7 %s", it->staff_name);
    if (o->situation != VP_SIT_UNSET) {
        struct vp_buf k = VP_BUF_INIT;
        vp_buf_addf(&k, "kiosk.sit.during.%s", vp_situation_name(o->situation));
        vp_buf_addf(b, " \xC2\xB7 %s", vp_tr(k.data));
        vp_buf_release(&k);
    }
    if (o->frequency != VP_FREQ_UNSET) {
        struct vp_buf k = VP_BUF_INIT;
        vp_buf_addf(&k, "kiosk.freq.%s", vp_frequency_name(o->frequency));
        vp_buf_addf(b, " \xC2\xB7 %s", vp_tr(k.data));
        vp_buf_release(&k);
    }
    if (o->parents_informed)
        vp_buf_addf(b, " \xC2\xB7 %s", T("child.parents_informed"));
    if (o->consultation != VP_CONSULT_NONE)
        vp_buf_addf(b, " \xC2\xB7 %s", consult_label(o->consultation));
}

/* A signal in the timeline; returns its height. */
static int obs_card(struct app *a, struct ui_rect r, const struct dev_obs_item *it)
{
    struct ui *ui = a->ui;
    const struct vp_observation *o = &it->obs;
    struct vp_buf title = VP_BUF_INIT, sub = VP_BUF_INIT;
    const char *lvl = app_level_label(o->level);
    int lw = ui_text_width(ui, UI_F_BODY, lvl) + 30, h = o->note[0] ? 136 : 100;
    for (int i = 0; i < o->nsignals; i++)
        vp_buf_addf(&title, "%s%s", i ? " \xC2\xB7 " : "", app_signal_label(a, o->signals[i]));
    obs_details(a, it, &sub);
    ui_card(ui, (struct ui_rect){ r.x, r.y, r.w, h }, UI_C_SURFACE, 16);
    ui_text_in(ui, (struct ui_rect){ r.x + 22, r.y + 16, r.w - 44 - lw - 16, 36 },
               UI_F_BODY | UI_BOLD, UI_C_INK, UI_LEFT, title.data);
    ui_disc(ui, r.x + r.w - 22 - lw + 10, r.y + 34, 10, app_level_color(o->level));
    ui_text_in(ui, (struct ui_rect){ r.x + r.w - 22 - lw + 30, r.y + 16, lw - 30, 36 }, UI_F_BODY,
               app_level_color(o->level), UI_LEFT, lvl);
    ui_text_in(ui, (struct ui_rect){ r.x + 22, r.y + 56, r.w - 44, 30 }, UI_F_SUB, UI_C_INK2,
               UI_LEFT, sub.data);
    if (o->note[0]) { /* names are stored as codes; here they read as names */
        char note[VP_NOTE_BYTES];
        devstore_note_decode(a->db, o->note, note, sizeof(note));
        ui_text_in(ui, (struct ui_rect){ r.x + 22, r.y + 92, r.w - 44, 30 }, UI_F_SUB, UI_C_INK,
                   UI_LEFT, note);
    }
    vp_buf_release(&title);
    vp_buf_release(&sub);
    return h;
}

static void route_card(struct app *a, struct ui_rect r)
{
    struct ui *ui = a->ui;
    struct vp_buf b = VP_BUF_INIT;
    int y = r.y + 18, tw = r.w - 44;
    int th;
    if (a->have_case) {
        vp_buf_addf(&b, "%s: %s\n%s: %s", T("child.status_label"), case_label(a->kase.status),
                    T("child.consultation"), consult_label(a->kase.consultation));
        if (a->kase.next_action[0]) {
            vp_buf_addf(&b, "\n%s: %s", T("child.next_step"), a->kase.next_action);
            if (a->kase.next_action_due[0]) {
                int yy = 0, m = 0, d = 0;
                if (sscanf(a->kase.next_action_due, "%4d-%2d-%2d", &yy, &m, &d) == 3 && m >= 1 &&
                    m <= 12) {
                    struct vp_buf k = VP_BUF_INIT;
                    vp_buf_addf(&k, "kiosk.mon.%d", m);
                    vp_buf_addf(&b, " (%d\xC2\xA0%s)", d, vp_tr(k.data));
                    vp_buf_release(&k);
                } else {
                    vp_buf_addf(&b, " (%s)", a->kase.next_action_due);
                }
            }
        }
    } else {
        vp_buf_adds(&b, T("child.no_case"));
    }
    th = ui_wrap_height(ui, tw, UI_F_BODY, b.data, 8);
    ui_card(ui, (struct ui_rect){ r.x, r.y, r.w, 18 + 30 + th + 20 }, UI_C_SURFACE, 16);
    ui_text(ui, r.x + 22, y, UI_F_SUB, UI_C_INK2, T("child.route"));
    y += 32;
    ui_text_wrap(ui, (struct ui_rect){ r.x + 22, y, tw, 0 }, UI_F_BODY, UI_C_INK, b.data, 8);
    vp_buf_release(&b);
}

static void timeline(struct app *a, struct ui_rect r)
{
    size_t shown = 0, first = (size_t)a->page * 4;
    int y = r.y;
    if (a->nobs == 0) {
        ui_text_wrap(a->ui, (struct ui_rect){ r.x, y + 8, r.w, 0 }, UI_F_BODY, UI_C_INK2,
                     T("child.no_signals"), 0);
        return;
    }
    if (first >= a->nobs)
        first = a->page = 0;
    for (size_t i = first; i < a->nobs; i++) {
        int h = a->obs[i].obs.note[0] ? 136 : 100;
        if (y + h > r.y + r.h - (i + 1 < a->nobs ? 76 : 0) && shown > 0)
            break;
        y += obs_card(a, (struct ui_rect){ r.x, y, r.w, 0 }, &a->obs[i]) + 14;
        shown++;
    }
    if (first > 0)
        ui_button(a->ui, (struct ui_rect){ r.x, r.y + r.h - 64, 220, 64 }, &st_outline, A_PAGE, -1,
                  T("child.newer"), UI_CENTER);
    if (first + shown < a->nobs)
        ui_button(a->ui, (struct ui_rect){ r.x + r.w - 260, r.y + r.h - 64, 260, 64 }, &st_outline,
                  A_PAGE, 1, T("child.older"), UI_CENTER);
}

void scr_child_build(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), top = M_HEAD + 22, bottom = h - M_FOOT - 16;
    int side = w >= 1000 ? SIDE_W : 280, left_w = w - 2 * M_MARGIN - side - 24, y = top;
    char age[64];
    struct vp_buf title = VP_BUF_INIT;
    const char *grp = group_name(a, a->child.group_id);
    app_age_text(a->child.birth_month, vp_now_ms(), age, sizeof(age));
    vp_buf_addf(&title, "%s \xC2\xB7 %s, %s", T("children.title"), a->child.first_name, age);
    if (grp[0])
        vp_buf_addf(&title, " \xC2\xB7 %s", grp);
    app_header(a, title.data, true, true);
    vp_buf_release(&title);
    app_footer(a, true, NULL, 0);
    /* right column: the big button and the route */
    ui_button(ui, (struct ui_rect){ w - M_MARGIN - side, top, side, 96 }, &st_primary, A_NEWSIG, 0,
              T("child.new_signal"), UI_CENTER);
    route_card(a, (struct ui_rect){ w - M_MARGIN - side, top + 96 + 16, side, 0 });
    /* left column: unread advice first, else the newest one; then signals */
    {
        int shown = 0;
        for (size_t i = 0; i < a->nadv && shown < 2; i++) {
            if (a->adv[i].read_ms != 0)
                continue;
            y += advice_card(a, (struct ui_rect){ M_MARGIN, y, left_w, 0 }, (int)i) + 16;
            shown++;
        }
        if (shown == 0 && a->nadv > 0 && a->page == 0)
            y += advice_card(a, (struct ui_rect){ M_MARGIN, y, left_w, 0 }, 0) + 16;
    }
    timeline(a, (struct ui_rect){ M_MARGIN, y, left_w, bottom - y });
}
