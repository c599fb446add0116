/*
 * scr_lock.c - "Vergrendeld": who are you, and your PIN. Shows the location,
 * the clock, the sync state in words and staff tiles; never a child's name
 * or a signal. Five wrong PINs lock that person out for a minute, shown as
 * a countdown.
 */
#include "app_int.h"
#include <string.h>

#define PIN_CARD_W 520
#define PIN_CARD_H 404

/* Also called when a sync report arrives: the chosen name and the digits
 * typed so far stay as they are if that person is still there. */
void scr_lock_enter(struct app *a)
{
    char sel[VP_UUID_LEN] = "";
    if (a->lock_sel >= 0 && (size_t)a->lock_sel < a->nstaff)
        vp_strlcpy(sel, a->staff[a->lock_sel].id, sizeof(sel));
    free(a->staff);
    a->staff = NULL;
    a->nstaff = 0;
    if (devstore_staff(a->db, false, &a->staff, &a->nstaff) != VP_OK)
        a->nstaff = 0;
    a->lock_sel = -1;
    for (size_t i = 0; sel[0] && i < a->nstaff; i++)
        if (vp_str_eq(a->staff[i].id, sel))
            a->lock_sel = (int)i;
    if (a->lock_sel < 0) {
        a->lock_until = 0;
        a->lock_msg[0] = '\0';
        ui_field_set(&a->pin, "", DEV_PIN_MAX, true);
    }
}

static void countdown_text(struct app *a, char *out, size_t size)
{
    int64_t left = (a->lock_until - vp_now_ms() + 999) / 1000;
    char t[16];
    struct vp_buf b = VP_BUF_INIT;
    snprintf(t, sizeof(t), "%d:%02d", (int)(left / 60), (int)(left % 60));
    vp_tr_fmt(&b, "kiosk.lock.locked_out", "time", t, NULL);
    vp_strlcpy(out, b.data, size);
    vp_buf_release(&b);
}

void scr_lock_tick(struct app *a)
{
    if (!a->lock_until)
        return;
    if (vp_now_ms() >= a->lock_until) {
        a->lock_until = 0;
        vp_strlcpy(a->lock_msg, T("lock.try_again"), sizeof(a->lock_msg));
    } else {
        countdown_text(a, a->lock_msg, sizeof(a->lock_msg));
    }
    a->dirty = true;
}

static void select_staff(struct app *a, int idx)
{
    if (idx < 0 || (size_t)idx >= a->nstaff)
        return;
    a->lock_sel = idx;
    a->lock_msg[0] = '\0';
    a->lock_until = 0;
    ui_field_set(&a->pin, "", DEV_PIN_MAX, true);
    if (a->staff[idx].locked_until_ms > vp_now_ms()) {
        a->lock_until = a->staff[idx].locked_until_ms;
        countdown_text(a, a->lock_msg, sizeof(a->lock_msg));
    }
}

static void wrong_pin(struct app *a, const char *staff_id)
{
    struct dev_staff st;
    int left = DEV_LOCKOUT_ATTEMPTS;
    char n[16];
    struct vp_buf b = VP_BUF_INIT;
    if (devstore_staff_get(a->db, staff_id, &st) == VP_OK)
        left = DEV_LOCKOUT_ATTEMPTS - st.failed_attempts;
    if (left <= 0)
        left = 1;
    snprintf(n, sizeof(n), "%d", left);
    vp_tr_fill(&b, vp_tr_n("kiosk.lock.wrong", left), "n", n, NULL);
    vp_strlcpy(a->lock_msg, b.data, sizeof(a->lock_msg));
    vp_buf_release(&b);
}

static void try_unlock(struct app *a)
{
    struct dev_staff *st;
    int64_t until = 0;
    vp_result res;
    if (a->lock_sel < 0)
        return;
    st = &a->staff[a->lock_sel];
    if (!devstore_pin_format_ok(a->pin.text) && a->lock_until == 0) {
        vp_strlcpy(a->lock_msg, T("lock.pin_format"), sizeof(a->lock_msg));
        return;
    }
    res = devstore_staff_unlock(a->db, st->id, a->pin.text, vp_now_ms(), &until);
    ui_field_set(&a->pin, "", DEV_PIN_MAX, true);
    if (res == VP_OK) {
        a->me = *st;
        a->unlocked = true;
        a->last_input = vp_mono_ms();
        app_go(a, SCR_CHILDREN);
    } else if (res == VP_ERR_LOCKED_OUT || (res == VP_ERR_AUTH && until > vp_now_ms())) {
        a->lock_until = until;
        st->locked_until_ms = until;
        countdown_text(a, a->lock_msg, sizeof(a->lock_msg));
    } else if (res == VP_ERR_AUTH) {
        wrong_pin(a, st->id);
    } else {
        vp_strlcpy(a->lock_msg, vp_result_message(res), sizeof(a->lock_msg));
    }
}

void scr_lock_action(struct app *a, int action, int arg)
{
    switch (action) {
    case A_STAFF: select_staff(a, arg); break;
    case A_OTHERNAME: a->lock_sel = -1; break;
    case A_PAGE: a->page += arg; break;
    case A_PIN: {
        enum ui_key_result r = ui_pinpad_press(&a->pin, arg);
        if (r == UI_KEY_ENTER)
            try_unlock(a);
        else if (r == UI_KEY_FULL && a->lock_until == 0) /* a 7th digit: say so */
            vp_strlcpy(a->lock_msg, T("lock.pin_format"), sizeof(a->lock_msg));
        else if (a->lock_until == 0)
            a->lock_msg[0] = '\0';
        break;
    }
    default: break;
    }
}

bool scr_lock_key(struct app *a, const SDL_Event *ev)
{
    if (a->lock_sel < 0)
        return false;
    enum ui_key_result r = ui_field_event(&a->pin, ev);
    if (r == UI_KEY_ENTER)
        try_unlock(a);
    else if (r == UI_KEY_FULL && a->lock_until == 0)
        vp_strlcpy(a->lock_msg, T("lock.pin_format"), sizeof(a->lock_msg));
    return true;
}

static void staff_tile(struct app *a, struct ui_rect r, int i)
{
    const struct dev_staff *st = &a->staff[i];
    bool sel = i == a->lock_sel;
    struct ui_style s = st_tile;
    const char *role = st->role == VP_ROLE_MANAGER ? T("role.manager") : T("role.pm");
    ui_control(a->ui, r, &s, A_STAFF, i, st->display_name, NULL);
    if (sel)
        ui_frame(a->ui, r, UI_C_PRIMARY, 16, 3);
    ui_text_in(a->ui, (struct ui_rect){ r.x + 22, r.y + 18, r.w - 44, 40 }, UI_F_TILE, UI_C_INK,
               UI_LEFT, st->display_name);
    ui_text_in(a->ui, (struct ui_rect){ r.x + 22, r.y + 60, r.w - 44, 30 }, UI_F_SUB, UI_C_INK2,
               UI_LEFT, st->locked_until_ms > vp_now_ms() ? T("lock.blocked") : role);
}

/* The PIN card: whose PIN, dots, the pad. With other_name the title row
 * also offers "Andere naam" (small screens show no tiles beside it). */
static void pin_card(struct app *a, struct ui_rect c, bool other_name)
{
    struct ui *ui = a->ui;
    struct vp_buf b = VP_BUF_INIT;
    size_t n = strlen(a->pin.text), shown = n < 4 ? 4 : n;
    int dx = c.x + c.w / 2 - (int)(shown * 36 - 14) / 2, top = c.y;
    ui_card(ui, c, UI_C_SURFACE, 16);
    vp_tr_fmt(&b, "kiosk.lock.pin_for", "name", a->staff[a->lock_sel].display_name, NULL);
    if (other_name) {
        const char *other = T("lock.other_name");
        int ow = ui_text_width(ui, UI_F_SUB, other) + 40;
        ui_button(
            ui, (struct ui_rect){ c.x + c.w - 22 - ow, c.y + 14, ow, 64 },
            &(struct ui_style){ UI_C_SURFACE, UI_C_PRIMARY, UI_C_PRIMARY, 2, 12, UI_F_SUB, false },
            A_OTHERNAME, 0, other, UI_CENTER);
        ui_text_in(ui, (struct ui_rect){ c.x + 22, c.y + 14, c.w - 66 - ow, 64 }, UI_F_BODY,
                   UI_C_INK, UI_LEFT, b.data);
        top += 24;
    } else {
        ui_text_in(ui, (struct ui_rect){ c.x + 22, c.y + 18, c.w - 44, 36 }, UI_F_BODY, UI_C_INK,
                   UI_LEFT, b.data);
    }
    vp_buf_release(&b);
    for (size_t i = 0; i < shown; i++) {
        int cx = dx + (int)i * 36 + 11;
        if (i < n)
            ui_disc(ui, cx, top + 75, 11, UI_C_PRIMARY);
        else
            ui_ring(ui, cx, top + 75, 11, 3, UI_C_PRIMARY);
    }
    ui_pinpad_build(ui, (struct ui_rect){ c.x + 22, top + 102, c.w - 44, 4 * 64 + 3 * 8 }, A_PIN,
                    T("pin.clear"), T("ok"));
}

static void message_line(struct app *a, struct ui_rect r)
{
    if (!a->lock_msg[0])
        return;
    ui_text_wrap(a->ui, r, UI_F_BODY, a->lock_until ? UI_C_LVL3 : UI_C_INK, a->lock_msg, 0);
}

static void tiles(struct app *a, int y, int avail)
{
    int w = ui_width(a->ui), cols = (w - 2 * M_MARGIN + M_GAP) / (260 + M_GAP);
    int tw, rows;
    size_t first, count;
    if (cols < 2)
        cols = 2;
    if (cols > 4)
        cols = 4;
    tw = (w - 2 * M_MARGIN - (cols - 1) * M_GAP) / cols;
    rows = (avail + M_GAP) / (108 + M_GAP);
    if (rows < 1)
        rows = 1;
    app_pager(a, (struct ui_rect){ M_MARGIN, y - 80, w - 2 * M_MARGIN, 64 }, a->nstaff,
              (size_t)(rows * cols), &first, &count);
    for (size_t i = 0; i < count; i++) {
        int col = (int)i % cols, row = (int)i / cols;
        staff_tile(
            a, (struct ui_rect){ M_MARGIN + col * (tw + M_GAP), y + row * (108 + M_GAP), tw, 108 },
            (int)(first + i));
    }
}

/* Header (location, clock) and footer (sync line, the privacy note). */
static void lock_chrome(struct app *a, bool footer_free)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), nw;
    const char *note = T("lock.no_child_data");
    char clock[96];
    ui_fill(ui, (struct ui_rect){ 0, 0, w, M_HEAD }, UI_C_PRIMARY, 0);
    ui_text_in(ui, (struct ui_rect){ M_MARGIN, 0, w / 2, M_HEAD }, UI_F_HEAD, UI_C_ON_PRIM, UI_LEFT,
               a->location[0] ? a->location : T("app_name"));
    app_clock_text(vp_now_ms(), clock, sizeof(clock));
    if (ui_text_width(ui, UI_F_HEAD, clock) > w / 2 - M_MARGIN) { /* no weekday */
        char *sp = strchr(clock, ' ');
        if (sp)
            memmove(clock, sp + 1, strlen(sp + 1) + 1);
    }
    ui_text_in(ui, (struct ui_rect){ w / 2, 0, w / 2 - M_MARGIN, M_HEAD }, UI_F_HEAD, UI_C_ON_PRIM,
               UI_RIGHT, clock);
    if (footer_free) { /* the PIN message takes the footer's place */
        ui_fill(ui, (struct ui_rect){ 0, h - M_FOOT, w, M_FOOT }, UI_C_SURFACE, 0);
        ui_fill(ui, (struct ui_rect){ 0, h - M_FOOT, w, 1 }, UI_C_LINE, 0);
    } else {
        app_footer(a, false, NULL, 0);
    }
    (void)nw;
    (void)note;
}

/* Height of the staff tiles when all of them are shown. */
static int tiles_height(struct app *a, int w)
{
    int cols = (w - 2 * M_MARGIN + M_GAP) / (260 + M_GAP);
    if (cols < 2)
        cols = 2;
    if (cols > 4)
        cols = 4;
    return (int)((a->nstaff + (size_t)cols - 1) / (size_t)cols) * (108 + M_GAP);
}

void scr_lock_build(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), top = M_HEAD + 24, bottom = h - M_FOOT;
    int tiles_h = tiles_height(a, w);
    bool compact = a->lock_sel >= 0 && top + 72 + tiles_h + PIN_CARD_H + 12 > bottom;
    bool side_msg = w - (w + PIN_CARD_W) / 2 - 24 - M_MARGIN >= 260;
    if (a->lock_sel >= 0 && !side_msg && a->lock_msg[0] &&
        top + 72 + tiles_h + PIN_CARD_H + 80 > bottom)
        compact = true;
    lock_chrome(a, compact && a->lock_msg[0]);
    if (a->nstaff == 0) {
        ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, top, w - 2 * M_MARGIN, 0 }, UI_F_BODY,
                     UI_C_INK, T("lock.no_staff"), 0);
        return;
    }
    if (compact) {
        struct ui_rect c = { (w - PIN_CARD_W) / 2, M_HEAD + 8, PIN_CARD_W, PIN_CARD_H + 24 };
        if (c.w > w - 2 * M_MARGIN)
            c = (struct ui_rect){ M_MARGIN, c.y, w - 2 * M_MARGIN, c.h };
        pin_card(a, c, true);
        if (a->lock_msg[0]) /* in the footer: the person is busy with the PIN */
            message_line(a, (struct ui_rect){ M_MARGIN, bottom + 14, w - 2 * M_MARGIN, 0 });
        return;
    }
    ui_text(ui, M_MARGIN, top + 4, UI_F_TITLE, UI_C_INK, T("lock.who"));
    { /* the privacy promise beside the question, or under it */
        const char *note = T("lock.no_child_data");
        int qw = ui_text_width(ui, UI_F_TITLE, T("lock.who")) + 32;
        if (ui_text_width(ui, UI_F_BODY, note) <= w - 2 * M_MARGIN - qw)
            ui_text_in(ui, (struct ui_rect){ M_MARGIN + qw, top, w - 2 * M_MARGIN - qw, 48 },
                       UI_F_BODY, UI_C_INK2, UI_RIGHT, note);
        else if (a->lock_sel < 0)
            ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, bottom - 72, w - 2 * M_MARGIN, 0 },
                         UI_F_BODY, UI_C_INK2, note, 2);
    }
    tiles(a, top + 72, a->lock_sel >= 0 ? tiles_h : bottom - top - 72 - 80);
    if (a->lock_sel >= 0) {
        int cy = top + 72 + tiles_h + 8;
        struct ui_rect c = { (w - PIN_CARD_W) / 2, cy, PIN_CARD_W, PIN_CARD_H };
        pin_card(a, c, false);
        if (side_msg)
            message_line(
                a, (struct ui_rect){ c.x + c.w + 24, cy + 20, w - c.x - c.w - 24 - M_MARGIN, 0 });
        else
            message_line(a, (struct ui_rect){ c.x, cy + PIN_CARD_H + 16, c.w, 0 });
    } else {
        message_line(a, (struct ui_rect){ M_MARGIN, bottom - 80, w - 2 * M_MARGIN, 0 });
    }
}
