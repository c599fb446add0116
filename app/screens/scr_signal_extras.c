/*
 * scr_signal_extras.c - the one-tap extras after a signal is saved: level
 * (three traffic-light buttons), how often, situation, parents informed,
 * note, consultation (named only after confirming the parents' consent).
 */
#include "app_int.h"
#include <string.h>

static const char *freq_label(enum vp_frequency f)
{
    switch (f) {
    case VP_FREQ_ONCE: return T("freq.once");
    case VP_FREQ_OFTEN: return T("freq.often");
    case VP_FREQ_DAILY: return T("freq.daily");
    default: return T("signal.extra.freq");
    }
}

static const char *sit_label(enum vp_situation s)
{
    struct vp_buf b = VP_BUF_INIT;
    const char *out;
    if (s == VP_SIT_UNSET)
        return T("signal.extra.situation");
    vp_buf_addf(&b, "kiosk.sit.%s", vp_situation_name(s));
    out = vp_tr(b.data);
    vp_buf_release(&b);
    return out;
}

static const char *coach_label(enum vp_consultation c)
{
    return c == VP_CONSULT_NAMED       ? T("consult.named")
           : c == VP_CONSULT_ANONYMOUS ? T("consult.anonymous")
                                       : T("signal.extra.coach");
}

static void on_freq(struct app *a, int i)
{
    a->cur.frequency = (enum vp_frequency)(i + 1);
    scr_signal_amend(a);
}

static void on_sit(struct app *a, int i)
{
    a->cur.situation = (enum vp_situation)(i + 1);
    scr_signal_amend(a);
}

static void on_consent(struct app *a, bool yes)
{
    if (!yes) { /* said on the screen, where there is room for it */
        vp_strlcpy(a->sig_msg, T("signal.named_refused"), sizeof(a->sig_msg));
        return;
    }
    a->sig_msg[0] = '\0';
    a->cur.consultation = VP_CONSULT_NAMED;
    a->cur.consent_confirmed = true;
    scr_signal_amend(a);
}

static void on_coach(struct app *a, int i)
{
    struct vp_buf b = VP_BUF_INIT;
    if (i == 2) {
        vp_tr_fmt(&b, "kiosk.signal.consent_text", "name", a->child.first_name, NULL);
        app_confirm_open(a, T("signal.consent_title"), b.data, T("signal.consent_yes"),
                         T("signal.consent_no"), on_consent);
        vp_buf_release(&b);
        return;
    }
    a->cur.consultation = i == 1 ? VP_CONSULT_ANONYMOUS : VP_CONSULT_NONE;
    a->cur.consent_confirmed = false;
    scr_signal_amend(a);
}

void scr_signal_extra(struct app *a, int which)
{
    static const char *freq_keys[] = { "kiosk.freq.once", "kiosk.freq.often", "kiosk.freq.daily" };
    const char *items[APP_MAX_CHOICES];
    switch (which) {
    case EX_FREQ:
        for (int i = 0; i < 3; i++)
            items[i] = vp_tr(freq_keys[i]);
        app_choice_open(a, T("signal.extra.freq_title"), items, 3, (int)a->cur.frequency - 1,
                        on_freq);
        break;
    case EX_SIT:
        for (int i = 1; i < VP_SIT_COUNT; i++)
            items[i - 1] = sit_label((enum vp_situation)i);
        app_choice_open(a, T("signal.extra.situation_title"), items, VP_SIT_COUNT - 1,
                        (int)a->cur.situation - 1, on_sit);
        break;
    case EX_PARENTS:
        a->cur.parents_informed = !a->cur.parents_informed;
        scr_signal_amend(a);
        break;
    case EX_NOTE: scr_signal_note_open(a); break;
    case EX_COACH:
        items[0] = T("consult.none");
        items[1] = T("consult.anonymous");
        items[2] = T("consult.named");
        app_choice_open(a, T("signal.extra.coach_title"), items, 3, (int)a->cur.consultation,
                        on_coach);
        break;
    default: break;
    }
}

/* "Opgeslagen als Even volgen. Wil je meer vastleggen?", and for the
 * first seconds "Ongedaan maken" beside it. Returns its height. */
static int saved_line(struct app *a, struct ui_rect r)
{
    struct ui *ui = a->ui;
    struct vp_buf b = VP_BUF_INIT;
    int tw = r.w, th, h;
    if (a->toast_undo && a->toast_until) {
        const char *undo = T("undo");
        int uw = ui_text_width(ui, UI_F_BODY | UI_BOLD, undo) + 48;
        tw -= uw + 16;
        ui_button(ui, (struct ui_rect){ r.x + r.w - uw, r.y, uw, 64 },
                  &(struct ui_style){ UI_C_TOAST, UI_C_TOAST, UI_C_ON_PRIM, 0, 14,
                                      UI_F_BODY | UI_BOLD, false },
                  A_UNDO, 0, undo, UI_CENTER);
    }
    if (a->toast_undo && a->toast_until) /* "Signaal opgeslagen voor Daan." */
        vp_buf_addf(&b, "%s. ", a->toast);
    vp_buf_addf(&b, "%s %s%s", T("signal.saved_pre"), app_level_label(a->cur.level),
                T("signal.saved_post"));
    th = ui_wrap_height(ui, tw, UI_F_BODY, b.data, 0);
    h = th < 64 ? 64 : th;
    ui_text_wrap(ui, (struct ui_rect){ r.x, r.y + (h - th) / 2, tw, 0 }, UI_F_BODY, UI_C_INK,
                 b.data, 0);
    vp_buf_release(&b);
    return h;
}

static void level_row(struct app *a, struct ui_rect r)
{
    int bw = (r.w - 2 * 12) / 3;
    for (int l = 1; l <= 3; l++) {
        ui_color c = app_level_color(l);
        bool on = a->cur.level == l;
        struct ui_style st = {
            on ? c : UI_C_SURFACE, c, on ? UI_C_ON_PRIM : c, 3, 14, UI_F_BODY, false
        };
        ui_button(a->ui, (struct ui_rect){ r.x + (l - 1) * (bw + 12), r.y, bw, 64 }, &st, A_LEVEL,
                  l, app_level_label(l), UI_CENTER);
    }
}

/* The extras as buttons that wrap to more rows; returns the bottom. */
static int extras_row(struct app *a, struct ui_rect r)
{
    const char *labels[EX_COUNT];
    bool on[EX_COUNT];
    int x = r.x, y = r.y;
    labels[EX_FREQ] = freq_label(a->cur.frequency);
    labels[EX_SIT] = sit_label(a->cur.situation);
    labels[EX_PARENTS] =
        a->cur.parents_informed ? T("signal.extra.parents_on") : T("signal.extra.parents");
    labels[EX_NOTE] = a->cur.note[0] ? T("signal.extra.note_on") : T("signal.extra.note");
    labels[EX_COACH] = coach_label(a->cur.consultation);
    on[EX_FREQ] = a->cur.frequency != VP_FREQ_UNSET;
    on[EX_SIT] = a->cur.situation != VP_SIT_UNSET;
    on[EX_PARENTS] = a->cur.parents_informed;
    on[EX_NOTE] = a->cur.note[0] != '\0';
    on[EX_COACH] = a->cur.consultation != VP_CONSULT_NONE;
    for (int i = 0; i < EX_COUNT; i++) {
        int bw = ui_text_width(a->ui, UI_F_BODY, labels[i]) + 48;
        if (bw > r.w)
            bw = r.w;
        if (x + bw > r.x + r.w && x > r.x) {
            x = r.x;
            y += 64 + 12;
        }
        if (a->ui)
            ui_button(a->ui, (struct ui_rect){ x, y, bw, 64 }, on[i] ? &st_tab_on : &st_outline,
                      A_EXTRA, i, labels[i], UI_CENTER);
        x += bw + 12;
    }
    return y + 64;
}

/* The height the extras need at width w (saved line, levels, extras). */
int scr_signal_extras_height(struct app *a, int w)
{
    const char *labels[EX_COUNT] = { freq_label(a->cur.frequency), sit_label(a->cur.situation),
                                     T("signal.extra.parents_on"), T("signal.extra.note_on"),
                                     coach_label(VP_CONSULT_ANONYMOUS) };
    int x = 0, rows = 1;
    for (int i = 0; i < EX_COUNT; i++) {
        int bw = ui_text_width(a->ui, UI_F_BODY, labels[i]) + 48;
        if (x + bw > w && x > 0) {
            x = 0;
            rows++;
        }
        x += bw + 12;
    }
    return 64 + 12 + 64 + 12 + rows * 76;
}

void scr_signal_extras_build(struct app *a, struct ui_rect r)
{
    struct ui *ui = a->ui;
    int y = r.y;
    if (!a->saved) {
        ui_text_wrap(ui, (struct ui_rect){ r.x, r.y + 4, r.w, 0 }, UI_F_BODY, UI_C_INK2,
                     T("signal.hint"), 0);
        return;
    }
    y += saved_line(a, (struct ui_rect){ r.x, y, r.w, 64 }) + 12;
    level_row(a, (struct ui_rect){ r.x, y, r.w, 64 });
    y = extras_row(a, (struct ui_rect){ r.x, y + 64 + 12, r.w, 64 }) + 12;
    if (a->sig_msg[0] && y + ui_wrap_height(ui, r.w, UI_F_BODY, a->sig_msg, 0) <= r.y + r.h)
        ui_text_wrap(ui, (struct ui_rect){ r.x, y, r.w, 0 }, UI_F_BODY, UI_C_LVL3, a->sig_msg, 0);
}
