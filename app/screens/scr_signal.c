/*
 * scr_signal.c - "Nieuw signaal": domain tiles, then signal chips. The
 * first chip saves the signal at once (level 1, or 3 for a red flag) with
 * an "Ongedaan maken" toast; more chips, the level and the extras amend it.
 * Fast path from the child tile: child -> Nieuw signaal -> domain -> chip.
 */
#include "app_int.h"
#include <string.h>

#define DOMAIN_W 300

/* Too small for domains and chips side by side: one after the other. */
static bool compact(struct app *a)
{
    int avail = ui_height(a->ui) - M_HEAD - M_FOOT - 36;
    return avail < 8 * 64 + 7 * 8 + 8 || ui_width(a->ui) < 1000;
}

void scr_signal_enter(struct app *a)
{
    memset(&a->cur, 0, sizeof(a->cur));
    app_toast_clear_undo(a); /* an undo offered elsewhere undoes nothing here */
    scr_signal_note_reset(a);
    a->saved = false;
    a->level_chosen = false;
    a->sig_extras = false;
    a->saved_id[0] = '\0';
    a->sig_msg[0] = '\0';
    a->domain = compact(a) ? -1 : 0;
}

/* Height of the saved line, the level row and the rows of extras. */
#define EXTRAS_H(a, w) (16 + scr_signal_extras_height(a, w))

static const struct vp_domain *cur_domain(struct app *a);

/* Compact layout: do the chips of the current domain and the extras fit
 * one above the other? */
static bool extras_fit(struct app *a)
{
    const struct vp_domain *d = cur_domain(a);
    int rows = d ? (int)(d->nsignals + 1) / 2 : 4;
    int avail = ui_height(a->ui) - M_HEAD - 18 - M_FOOT - 12 - 76;
    return rows * 76 + EXTRAS_H(a, ui_width(a->ui) - 2 * M_MARGIN) <= avail;
}

static const struct vp_domain *cur_domain(struct app *a)
{
    if (a->domain < 0 || (size_t)a->domain >= a->cat.ndomains)
        return NULL;
    return &a->cat.domains[a->domain];
}

static int default_level(struct app *a)
{
    for (int i = 0; i < a->cur.nsignals; i++) {
        const struct vp_signal *s = vp_catalog_find(&a->cat, a->cur.signals[i], NULL);
        if (s && s->red_flag)
            return 3;
    }
    return 1;
}

static void save_new(struct app *a, const char *code)
{
    Uint64 t0 = SDL_GetPerformanceCounter();
    struct vp_buf b = VP_BUF_INIT;
    vp_result res;
    memset(&a->cur, 0, sizeof(a->cur));
    vp_strlcpy(a->cur.child_id, a->child.id, sizeof(a->cur.child_id));
    vp_strlcpy(a->cur.staff_id, a->me.id, sizeof(a->cur.staff_id));
    vp_strlcpy(a->cur.signals[0], code, sizeof(a->cur.signals[0]));
    a->cur.nsignals = 1;
    a->cur.level = default_level(a);
    res = devstore_signal_record(a->db, &a->cur, true);
    a->last_save_ms =
        (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    a->save_ms[a->nsaves++ % 64] = a->last_save_ms;
    if (res) {
        app_error(a, res);
        return;
    }
    a->saved = true;
    a->level_chosen = false;
    vp_strlcpy(a->saved_id, a->cur.signal_id, sizeof(a->saved_id));
    vp_tr_fmt(&b, "kiosk.signal.saved_toast", "name", a->child.first_name, NULL);
    app_toast(a, b.data, true, 5000);
    vp_buf_release(&b);
    app_settle_changed(a);
}

/* Stores the current content of the saved signal. The store decides
 * whether that changes the latest version in place or adds a correction;
 * either way it settles before it travels. */
void scr_signal_amend(struct app *a)
{
    struct vp_observation stored;
    vp_result res;
    if (!a->saved)
        return;
    res = devstore_signal_amend(a->db, a->saved_id, &a->cur, true, &stored);
    if (res) {
        app_error(a, res);
        if (devstore_signal_get(a->db, a->saved_id, &a->cur) != VP_OK)
            a->saved = false;
        return;
    }
    a->cur = stored;
    app_settle_changed(a);
}

static void undo(struct app *a)
{
    vp_result res;
    if (!a->saved)
        return;
    res = devstore_signal_undo(a->db, a->saved_id, a->me.id, true);
    if (res) {
        app_error(a, res);
        return;
    }
    a->saved = false;
    a->sig_extras = false;
    memset(&a->cur, 0, sizeof(a->cur));
    scr_signal_note_reset(a);
    app_toast(a, T("signal.undone"), false, 3000);
    app_settle_changed(a);
}

static int find_signal(const struct vp_observation *o, const char *code)
{
    for (int i = 0; i < o->nsignals; i++)
        if (vp_str_eq(o->signals[i], code))
            return i;
    return -1;
}

static void chip(struct app *a, int idx)
{
    const struct vp_domain *d = cur_domain(a);
    const char *code;
    int at;
    if (!d || idx < 0 || (size_t)idx >= d->nsignals)
        return;
    code = d->signals[idx].code;
    if (!a->saved) {
        save_new(a, code);
        if (a->saved && compact(a) && !extras_fit(a))
            a->sig_extras = true;
        return;
    }
    at = find_signal(&a->cur, code);
    if (at >= 0) {
        if (a->cur.nsignals == 1) {
            undo(a);
            return;
        }
        memmove(a->cur.signals[at], a->cur.signals[at + 1],
                (size_t)(a->cur.nsignals - at - 1) * sizeof(a->cur.signals[0]));
        a->cur.nsignals--;
    } else {
        if (a->cur.nsignals >= VP_MAX_SIGNALS) {
            app_toast(a, T("signal.too_many"), false, 4000);
            return;
        }
        vp_strlcpy(a->cur.signals[a->cur.nsignals++], code, sizeof(a->cur.signals[0]));
    }
    if (!a->level_chosen)
        a->cur.level = default_level(a);
    scr_signal_amend(a);
}

void scr_signal_action(struct app *a, int action, int arg)
{
    switch (action) {
    case A_BACK:
    case A_DONE: app_go(a, SCR_CHILD); break;
    case A_DOMAIN:
        a->domain = arg;
        a->sig_extras = false;
        break;
    case A_DOMAINS:
        if (a->sig_extras)
            a->sig_extras = false;
        else
            a->domain = -1;
        break;
    case A_CHIP: chip(a, arg); break;
    case A_EXTRASVIEW: a->sig_extras = true; break;
    case A_UNDO: undo(a); break;
    case A_LEVEL:
        if (a->saved && arg >= 1 && arg <= 3) {
            a->cur.level = arg;
            a->level_chosen = true;
            scr_signal_amend(a);
        }
        break;
    case A_EXTRA:
        if (a->saved)
            scr_signal_extra(a, arg);
        break;
    default: break;
    }
}

static void domain_tile(struct app *a, struct ui_rect r, int i)
{
    const struct vp_domain *d = &a->cat.domains[i];
    bool on = i == a->domain;
    struct ui_style st = {
        UI_RGB(d->tint), on ? UI_RGB(d->stripe) : UI_C_LINE, UI_C_INK, 2, 14, UI_F_SUB, false
    };
    const char *label = d->label[vp_i18n_lang()];
    int font = on ? UI_F_BODY | UI_BOLD : UI_F_BODY;
    ui_control(a->ui, r, &st, A_DOMAIN, i, label, NULL);
    ui_fill(a->ui, (struct ui_rect){ r.x, r.y, 10, r.h }, UI_RGB(d->stripe), 6);
    if (ui_text_width(a->ui, font, label) <= r.w - 40)
        ui_text_in(a->ui, (struct ui_rect){ r.x + 26, r.y, r.w - 40, r.h }, font, UI_C_INK, UI_LEFT,
                   label);
    else {
        int th = ui_wrap_height(a->ui, r.w - 40, font, label, 0);
        ui_text_wrap(a->ui, (struct ui_rect){ r.x + 26, r.y + (r.h - th) / 2, r.w - 40, 0 }, font,
                     UI_C_INK, label, 0);
    }
}

/* One line if it fits, else two lines in the smaller size (narrow screens). */
static void chip_label(struct app *a, struct ui_rect c, bool on, const char *text)
{
    int font = on ? UI_F_BODY | UI_BOLD : UI_F_BODY;
    struct ui_rect in = { c.x + 22, c.y, c.w - 34, c.h };
    int h;
    if (ui_text_width(a->ui, font, text) <= in.w) {
        ui_text_in(a->ui, in, font, UI_C_INK, UI_LEFT, text);
        return;
    }
    h = ui_wrap_height(a->ui, in.w, font, text, 0);
    ui_text_wrap(a->ui, (struct ui_rect){ in.x, c.y + (c.h - h) / 2, in.w, 0 }, font, UI_C_INK,
                 text, 0);
}

/* Height of the row of chips i and i + 1: two lines of body text fit in
 * 64 px; more lines make the row taller. */
static int chip_row_height(struct app *a, const struct vp_domain *d, size_t i, int cw, int base)
{
    int h = base;
    for (size_t k = i; k < i + 2 && k < d->nsignals; k++) {
        struct vp_buf b = VP_BUF_INIT;
        int th;
        vp_buf_addf(&b, "%s \xE2\x9C\x93", d->signals[k].label[vp_i18n_lang()]);
        th = ui_wrap_height(a->ui, cw - 34, UI_F_BODY | UI_BOLD, b.data, 0) + 8;
        if (th > h)
            h = th;
        vp_buf_release(&b);
    }
    return h;
}

/* The chips of the current domain in two columns; returns the bottom. */
static int chips(struct app *a, struct ui_rect r, int base_h)
{
    const struct vp_domain *d = cur_domain(a);
    int cw = (r.w - 12) / 2, y = r.y, ch = base_h;
    if (!d)
        return y;
    for (size_t i = 0; i < d->nsignals; i++) {
        bool on = a->saved && find_signal(&a->cur, d->signals[i].code) >= 0;
        const char *label = d->signals[i].label[vp_i18n_lang()];
        struct vp_buf b = VP_BUF_INIT;
        struct ui_rect c;
        if (i % 2 == 0) { /* a row as high as its longest label needs */
            if (i > 0)
                y += ch + 12;
            ch = chip_row_height(a, d, i, cw, base_h);
        }
        c = (struct ui_rect){ r.x + (int)(i % 2) * (cw + 12), y, cw, ch };
        vp_buf_addf(&b, "%s%s", label, on ? " \xE2\x9C\x93" : "");
        ui_control(a->ui, c, on ? &st_chip_on : &st_chip, A_CHIP, (int)i, label, NULL);
        chip_label(a, c, on, b.data);
        vp_buf_release(&b);
    }
    return y + ch;
}

static void build_wide(struct app *a, int top, int bottom)
{
    int w = ui_width(a->ui), n = (int)a->cat.ndomains, dh, y;
    int rx = M_MARGIN + DOMAIN_W + 20, rw = w - M_MARGIN - rx;
    dh = n ? (bottom - top - (n - 1) * 8) / n : 66;
    if (dh > 66)
        dh = 66;
    for (int i = 0; i < n; i++)
        domain_tile(a, (struct ui_rect){ M_MARGIN, top + i * (dh + 8), DOMAIN_W, dh }, i);
    y = chips(a, (struct ui_rect){ rx, top, rw, 0 }, 72);
    scr_signal_extras_build(a, (struct ui_rect){ rx, y + 16, rw, bottom - y - 16 });
}

static void build_compact(struct app *a, int top, int bottom)
{
    int w = ui_width(a->ui), n = (int)a->cat.ndomains, cols = w >= 1000 ? 4 : 2;
    int cw = (w - 2 * M_MARGIN - (cols - 1) * 12) / cols, rows = (n + cols - 1) / cols;
    int dh = rows ? (bottom - top - (rows - 1) * 12) / rows : 80;
    const struct vp_domain *d = cur_domain(a);
    if (!d) {
        if (dh > 96)
            dh = 96;
        for (int i = 0; i < n; i++)
            domain_tile(a,
                        (struct ui_rect){ M_MARGIN + (i % cols) * (cw + 12),
                                          top + (i / cols) * (dh + 12), cw, dh },
                        i);
        return;
    }
    ui_button(a->ui, (struct ui_rect){ M_MARGIN, top, 240, 64 }, &st_outline, A_DOMAINS, 0,
              a->sig_extras ? T("signal.to_signals") : T("signal.to_domains"), UI_CENTER);
    {
        int right = w - M_MARGIN, lh;
        if (a->saved && !a->sig_extras && !extras_fit(a)) { /* the way to the extras */
            const char *more = T("signal.to_extras");
            int mw = ui_text_width(a->ui, UI_F_BODY, more) + 48;
            ui_button(a->ui, (struct ui_rect){ right - mw, top, mw, 64 }, &st_primary, A_EXTRASVIEW,
                      0, more, UI_CENTER);
            right -= mw + 12;
        }
        ui_fill(a->ui, (struct ui_rect){ M_MARGIN + 256, top + 8, 8, 48 }, UI_RGB(d->stripe), 4);
        lh = ui_wrap_height(a->ui, right - M_MARGIN - 276, UI_F_BODY | UI_BOLD,
                            d->label[vp_i18n_lang()], 0);
        ui_text_wrap(
            a->ui,
            (struct ui_rect){ M_MARGIN + 276, top + (64 - lh) / 2, right - M_MARGIN - 276, 0 },
            UI_F_BODY | UI_BOLD, UI_C_INK, d->label[vp_i18n_lang()], 0);
    }
    top += 64 + 12;
    if (a->sig_extras) {
        scr_signal_extras_build(a,
                                (struct ui_rect){ M_MARGIN, top, w - 2 * M_MARGIN, bottom - top });
    } else {
        int y = chips(a, (struct ui_rect){ M_MARGIN, top, w - 2 * M_MARGIN, 0 }, 64);
        if (bottom - y >= EXTRAS_H(a, w - 2 * M_MARGIN)) /* a tall screen: the extras fit below */
            scr_signal_extras_build(
                a, (struct ui_rect){ M_MARGIN, y + 16, w - 2 * M_MARGIN, bottom - y - 16 });
    }
}

void scr_signal_build(struct app *a)
{
    struct ui *ui = a->ui;
    int h = ui_height(ui), top = M_HEAD + 18, bottom = h - M_FOOT - 12;
    struct vp_buf title = VP_BUF_INIT;
    vp_buf_addf(&title, "%s \xC2\xB7 %s", a->child.first_name, T("signal.title"));
    app_header(a, title.data, true, true);
    vp_buf_release(&title);
    app_footer(a, true, T("signal.done"), A_DONE);
    if (compact(a))
        build_compact(a, top, bottom);
    else
        build_wide(a, top, bottom);
}
