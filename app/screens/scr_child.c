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
    case A_READALL:
        if (arg >= 0 && (size_t)arg < a->nadv)
            app_reader_open(a, T("child.advice_title"), a->adv[arg].text,
                            a->adv[arg].read_ms == 0 ? arg : -1);
        break;
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

/* An advice card: the whole advice when it fits in max_h, else its first
 * words and "Lees het hele advies" (the reader pages it). Returns its
 * height. */
/* Below this height the child page shows its advice as one button. */
#define ADVICE_CARDS_MIN_H 520

static int advice_card(struct app *a, struct ui_rect r, int i, int max_h)
{
    struct ui *ui = a->ui;
    const struct dev_advice *adv = &a->adv[i];
    bool unread = adv->read_ms == 0, whole;
    char when[64];
    struct vp_buf meta = VP_BUF_INIT;
    int tw = r.w - 56, mh, th, h, y = r.y + 16;
    const char *text = adv->text;
    app_when_text(adv->created_ms, vp_now_ms(), when, sizeof(when));
    vp_tr_fmt(&meta, "kiosk.child.advice_meta", "when", when, NULL);
    if (a->have_case)
        vp_buf_addf(&meta, " \xC2\xB7 %s: %s", T("child.status"), case_label(a->kase.status));
    mh = ui_wrap_height(ui, tw, UI_F_BODY, meta.data, 0);
    th = ui_wrap_height(ui, tw, UI_F_BODY, text, 0);
    h = 16 + mh + 8 + th + 16 + 64 + 18;
    whole = h <= max_h || max_h <= 0;
    if (!whole) { /* a title and the reader, which shows it in full */
        vp_buf_reset(&meta);
        vp_buf_adds(&meta, T("child.advice_title"));
        mh = ui_wrap_height(ui, tw, UI_F_BODY, meta.data, 0);
        text = "";
        th = 0;
        h = 16 + mh + 8 + 64 + 18;
    } else if (!unread) {
        h -= 16 + 64;
    }
    ui_fill(ui, (struct ui_rect){ r.x, r.y, r.w, h }, unread ? UI_RGB(0xE4ECEC) : UI_C_SURFACE, 16);
    ui_fill(ui, (struct ui_rect){ r.x, r.y, 8, h }, UI_C_PRIMARY, 0);
    ui_text_wrap(ui, (struct ui_rect){ r.x + 28, y, tw, 0 }, UI_F_BODY, UI_C_INK2, meta.data, 0);
    vp_buf_release(&meta);
    y += mh + 8;
    ui_text_wrap(ui, (struct ui_rect){ r.x + 28, y, tw, 0 }, UI_F_BODY, UI_C_INK, text, 0);
    y += th + (th ? 16 : 0);
    if (!whole) {
        int bw = ui_text_width(ui, UI_F_BODY, T("child.read_all")) + 48;
        ui_button(ui, (struct ui_rect){ r.x + 28, y, bw, 64 }, &st_primary, A_READALL, i,
                  T("child.read_all"), UI_CENTER);
    } else if (unread) {
        int bw = ui_text_width(ui, UI_F_BODY, T("child.read")) + 60;
        ui_button(ui, (struct ui_rect){ r.x + 28, y, bw, 64 }, &st_outline, A_READ, i,
                  T("child.read"), UI_CENTER);
    }
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

/* A signal in the timeline, every word wrapped; with draw false only its
 * height. */
static int obs_card(struct app *a, struct ui_rect r, const struct dev_obs_item *it, bool draw)
{
    struct ui *ui = a->ui;
    const struct vp_observation *o = &it->obs;
    struct vp_buf title = VP_BUF_INIT, sub = VP_BUF_INIT;
    const char *lvl = app_level_label(o->level);
    char note[VP_NOTE_BYTES] = "";
    int lw = ui_text_width(ui, UI_F_BODY, lvl) + 30, tw = r.w - 44, y = r.y + 16, h;
    int th, sh, nh = 0;
    for (int i = 0; i < o->nsignals; i++)
        vp_buf_addf(&title, "%s%s", i ? " \xC2\xB7 " : "", app_signal_label(a, o->signals[i]));
    obs_details(a, it, &sub);
    if (o->note[0]) /* names are stored as codes; here they read as names */
        devstore_note_decode(a->db, o->note, note, sizeof(note));
    th = ui_wrap_height(ui, tw - lw - 16, UI_F_BODY | UI_BOLD, title.data, 0);
    sh = ui_wrap_height(ui, tw, UI_F_BODY, sub.data, 0);
    if (note[0])
        nh = ui_wrap_height(ui, tw, UI_F_BODY, note, 0) + 6;
    h = 16 + th + 6 + sh + 6 + nh + 14;
    if (draw) {
        ui_card(ui, (struct ui_rect){ r.x, r.y, r.w, h }, UI_C_SURFACE, 16);
        ui_text_wrap(ui, (struct ui_rect){ r.x + 22, y, tw - lw - 16, 0 }, UI_F_BODY | UI_BOLD,
                     UI_C_INK, title.data, 0);
        ui_disc(ui, r.x + r.w - 22 - lw + 10, y + 14, 10, app_level_color(o->level));
        ui_text_in(ui, (struct ui_rect){ r.x + r.w - 22 - lw + 30, y, lw - 30, 28 }, UI_F_BODY,
                   app_level_color(o->level), UI_LEFT, lvl);
        y += th + 6;
        ui_text_wrap(ui, (struct ui_rect){ r.x + 22, y, tw, 0 }, UI_F_BODY, UI_C_INK2, sub.data, 0);
        y += sh + 6;
        if (note[0])
            ui_text_wrap(ui, (struct ui_rect){ r.x + 22, y, tw, 0 }, UI_F_BODY, UI_C_INK, note, 0);
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
    th = ui_wrap_height(ui, tw, UI_F_BODY, b.data, 0);
    ui_card(ui, (struct ui_rect){ r.x, r.y, r.w, 18 + 32 + th + 20 }, UI_C_SURFACE, 16);
    ui_text(ui, r.x + 22, y, UI_F_SUB, UI_C_INK2, T("child.route"));
    y += 32;
    ui_text_wrap(ui, (struct ui_rect){ r.x + 22, y, tw, 0 }, UI_F_BODY, UI_C_INK, b.data, 0);
    vp_buf_release(&b);
}

static void timeline(struct app *a, struct ui_rect r)
{
    size_t shown = 0, first = 0;
    int y = r.y, pw = ui_text_width(a->ui, UI_F_BODY, T("child.newer")) + 48,
        ow = ui_text_width(a->ui, UI_F_BODY, T("child.older")) + 48;
    if (a->nobs == 0) {
        ui_text_wrap(a->ui, (struct ui_rect){ r.x, y + 8, r.w, 0 }, UI_F_BODY, UI_C_INK2,
                     T("child.no_signals"), 0);
        return;
    }
    /* pages by what fits: page p starts where page p - 1 ended */
    for (int p = 0; p < a->page && first < a->nobs; p++) {
        int yy = r.y;
        size_t n = 0;
        while (first < a->nobs) {
            int h = obs_card(a, (struct ui_rect){ r.x, yy, r.w, 0 }, &a->obs[first], false);
            if (yy + h > r.y + r.h - 76 && n > 0)
                break;
            yy += h + 14;
            first++;
            n++;
        }
    }
    if (first >= a->nobs)
        first = a->page = 0;
    for (size_t i = first; i < a->nobs; i++) {
        int h = obs_card(a, (struct ui_rect){ r.x, y, r.w, 0 }, &a->obs[i], false);
        if (y + h > r.y + r.h - 76)
            break;
        y += obs_card(a, (struct ui_rect){ r.x, y, r.w, 0 }, &a->obs[i], true) + 14;
        shown++;
    }
    if (first > 0)
        ui_button(a->ui, (struct ui_rect){ r.x, r.y + r.h - 64, pw, 64 }, &st_outline, A_PAGE, -1,
                  T("child.newer"), UI_CENTER);
    if (first + shown < a->nobs)
        ui_button(a->ui, (struct ui_rect){ r.x + r.w - ow, r.y + r.h - 64, ow, 64 }, &st_outline,
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
    /* left column: unread advice first, else the newest one; then signals.
     * On a short screen (800x600) advice cards would leave no room for the
     * signal just saved: the advice is one button there, the reader shows it. */
    if (bottom - top < ADVICE_CARDS_MIN_H && a->nadv > 0 && a->page == 0) {
        size_t first = 0;
        int unread = 0;
        struct vp_buf label = VP_BUF_INIT;
        for (size_t i = a->nadv; i-- > 0;)
            if (a->adv[i].read_ms == 0) {
                first = i;
                unread++;
            }
        vp_buf_adds(&label, unread ? T("child.advice_new") : T("child.advice_open"));
        ui_button(ui, (struct ui_rect){ M_MARGIN, y, left_w, 64 },
                  unread ? &st_primary : &st_outline, A_READALL, (int)first, label.data, UI_CENTER);
        vp_buf_release(&label);
        y += 64 + 16;
    } else {
        int shown = 0, room = (bottom - top) / 2;
        for (size_t i = 0; i < a->nadv && shown < 2 && a->page == 0; i++) {
            if (a->adv[i].read_ms != 0)
                continue;
            y += advice_card(a, (struct ui_rect){ M_MARGIN, y, left_w, 0 }, (int)i, room) + 16;
            shown++;
        }
        if (shown == 0 && a->nadv > 0 && a->page == 0)
            y += advice_card(a, (struct ui_rect){ M_MARGIN, y, left_w, 0 }, 0, room) + 16;
    }
    timeline(a, (struct ui_rect){ M_MARGIN, y, left_w, bottom - y });
}
