/*
 * app_common.c - what every screen draws the same way: styles, header,
 * footer with the sync line, and the formatting of ages, dates and times.
 */
#include "app_int.h"
#include <string.h>

/* fill, border, text, border width, radius, font, shadow */
const struct ui_style st_primary = { UI_C_PRIMARY, UI_C_PRIMARY, UI_C_ON_PRIM, 0,
                                     14,           UI_F_BODY,    false };
const struct ui_style st_outline = { UI_C_SURFACE, UI_C_PRIMARY, UI_C_PRIMARY, 2,
                                     14,           UI_F_BODY,    false };
const struct ui_style st_tile = { UI_C_SURFACE, 0, UI_C_INK, 0, 16, UI_F_TILE, true };
const struct ui_style st_chip = { UI_C_SURFACE, UI_C_LINE, UI_C_INK, 2, 14, UI_F_BODY, false };
const struct ui_style st_chip_on = { UI_C_SELECTED,       UI_C_PRIMARY, UI_C_INK, 2, 14,
                                     UI_F_BODY | UI_BOLD, false };
const struct ui_style st_safety = {
    UI_C_SAFETY, UI_C_SAFETY, UI_C_ON_PRIM, 0, 14, UI_F_BODY, false
};
const struct ui_style st_link = { UI_C_PRIMARY, 0, UI_C_ON_PRIM, 0, 10, UI_F_SUB, false };
const struct ui_style st_tab = {
    UI_C_SURFACE, UI_C_PRIMARY, UI_C_PRIMARY, 2, 14, UI_F_BODY, false
};
const struct ui_style st_tab_on = { UI_C_PRIMARY, UI_C_PRIMARY, UI_C_ON_PRIM, 2,
                                    14,           UI_F_BODY,    false };
const struct ui_style st_danger = { UI_C_SURFACE, UI_C_LVL3, UI_C_LVL3, 2, 14, UI_F_BODY, false };

#define CHEVRON "\xE2\x80\xB9" /* ‹ */

/* Right side of the header: the staff member's name and, on the children
 * screen, the links to switch, lock and (for managers) admin. Returns the
 * left edge of what it drew. */
static int header_who(struct app *a, int links)
{
    struct ui *ui = a->ui;
    int x = ui_width(ui) - M_MARGIN;
    struct {
        const char *label;
        int action;
    } items[3];
    int n = 0;
    if (!a->unlocked)
        return x;
    if (links) {
        items[n].label = T("head.lock");
        items[n++].action = A_LOCK;
        items[n].label = T("head.switch");
        items[n++].action = A_SWITCH;
        if (a->me.role == VP_ROLE_MANAGER) {
            items[n].label = T("head.admin");
            items[n++].action = A_ADMIN;
        }
    }
    for (int i = 0; i < n; i++) {
        int w = ui_text_width(ui, UI_F_SUB, items[i].label) + 24;
        struct ui_rect r = { x - w, 4, w < UI_TARGET_MIN ? UI_TARGET_MIN : w, M_HEAD - 8 };
        if (w < UI_TARGET_MIN)
            r.x = x - UI_TARGET_MIN;
        ui_control(ui, r, &st_link, items[i].action, 0, items[i].label, NULL);
        ui_text_in(ui, r, UI_F_SUB, UI_C_ON_PRIM, UI_CENTER, items[i].label);
        ui_fill(ui, (struct ui_rect){ r.x + 12, r.y + r.h / 2 + 15, r.w - 24, 1 }, UI_C_ON_PRIM, 0);
        x = r.x - 4;
    }
    {
        int w = ui_text_width(ui, UI_F_SUB, a->me.display_name);
        x -= n ? 12 : 0;
        ui_text_in(ui, (struct ui_rect){ x - w, 0, w, M_HEAD }, UI_F_SUB, UI_RGB(0xE8EFEF),
                   UI_RIGHT, a->me.display_name);
        x -= w;
    }
    return x;
}

/* The title in the room between left and right: one line at the head
 * size, or two smaller lines when it is long (a child's name and age). */
static void header_title(struct app *a, int left, int right, const char *text)
{
    struct ui *ui = a->ui;
    int w = right - left, lh;
    if (w <= 0 || !*text)
        return;
    if (ui_text_width(ui, UI_F_HEAD, text) <= w) {
        ui_text_in(ui, (struct ui_rect){ left, 0, w, M_HEAD }, UI_F_HEAD, UI_C_ON_PRIM, UI_LEFT,
                   text);
        return;
    }
    lh = ui_wrap_height(ui, w, UI_F_BODY, text, 2);
    ui_text_wrap(ui, (struct ui_rect){ left, (M_HEAD - lh) / 2, w, 0 }, UI_F_BODY, UI_C_ON_PRIM,
                 text, 2);
}

void app_header(struct app *a, const char *title, bool back, bool who)
{
    struct ui *ui = a->ui;
    int x = M_MARGIN, w = ui_width(ui), right;
    ui_fill(ui, (struct ui_rect){ 0, 0, w, M_HEAD }, UI_C_PRIMARY, 0);
    right = who ? header_who(a, a->screen == SCR_CHILDREN) - 16 : w - M_MARGIN;
    if (back) {
        /* the first part of the title ("‹ Kinderen") is the way back */
        const char *dot = strstr(title, " \xC2\xB7 ");
        char first[160];
        size_t len = dot ? (size_t)(dot - title) : strlen(title);
        int tw;
        struct ui_rect r;
        /* bounded by whole characters: the part may hold a child's name */
        vp_strlcpy(first, title, len + 1 < sizeof(first) ? len + 1 : sizeof(first));
        tw = ui_text_width(ui, UI_F_HEAD, first);
        r = (struct ui_rect){ 8, 4, 40 + tw + 12, M_HEAD - 8 };
        ui_control(ui, r, &st_link, A_BACK, 0, first, NULL);
        ui_text(ui, 18, (M_HEAD - ui_line_height(ui, UI_F_TITLE + 6)) / 2 - 3, UI_F_TITLE + 6,
                UI_C_ON_PRIM, CHEVRON);
        ui_text_in(ui, (struct ui_rect){ 48, 0, tw, M_HEAD }, UI_F_HEAD, UI_C_ON_PRIM, UI_LEFT,
                   first);
        x = r.x + r.w + 4;
        title = dot ? dot + 1 : ""; /* "· Daan, 3 jaar" */
    }
    header_title(a, x, right, title);
}

void app_footer(struct app *a, bool safety, const char *button, int action)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), y = h - M_FOOT, right = w - M_MARGIN;
    ui_fill(ui, (struct ui_rect){ 0, y, w, M_FOOT }, UI_C_SURFACE, 0);
    ui_fill(ui, (struct ui_rect){ 0, y, w, 1 }, UI_C_LINE, 0);
    if (button) {
        int bw = ui_text_width(ui, UI_F_BODY, button) + 60;
        ui_button(ui, (struct ui_rect){ right - bw, y + 10, bw, 64 }, &st_primary, action, 0,
                  button, UI_CENTER);
        right -= bw + M_GAP;
    }
    if (safety) {
        const char *s = T("safety.button");
        int bw = ui_text_width(ui, UI_F_BODY, s) + 60;
        ui_button(ui, (struct ui_rect){ right - bw, y + 10, bw, 64 }, &st_safety, A_SAFETY, 0, s,
                  UI_CENTER);
        right -= bw + M_GAP;
    }
    if (a->toast_until && !a->toast_undo) /* the undo toast is the signal screen's own */
        app_toast_build(a, (struct ui_rect){ M_MARGIN - 8, y + 10, right - M_MARGIN + 8, 64 });
    else
        app_sync_line(a, (struct ui_rect){ M_MARGIN - 8, y + 10, right - M_MARGIN, 64 },
                      a->unlocked);
}

void app_age_text(const char *birth_month, int64_t now_ms, char *out, size_t size)
{
    int m = vp_age_months(birth_month, now_ms);
    char y[16], mm[16];
    struct vp_buf b = VP_BUF_INIT;
    if (m < 0) {
        vp_strlcpy(out, "", size);
        return;
    }
    snprintf(y, sizeof(y), "%d", m / 12);
    snprintf(mm, sizeof(mm), "%d", m % 12);
    if (m < 12)
        vp_tr_fmt(&b, "kiosk.age.months", "m", mm, NULL);
    else
        vp_tr_fill(&b, vp_tr_n("kiosk.age.years", m / 12), "y", y, "m", mm, NULL);
    vp_strlcpy(out, b.data, size);
    vp_buf_release(&b);
}

static const char *month_key(int m, bool abbrev)
{
    static const char *full[12] = { "kiosk.month.1",  "kiosk.month.2",  "kiosk.month.3",
                                    "kiosk.month.4",  "kiosk.month.5",  "kiosk.month.6",
                                    "kiosk.month.7",  "kiosk.month.8",  "kiosk.month.9",
                                    "kiosk.month.10", "kiosk.month.11", "kiosk.month.12" };
    static const char *abbr[12] = { "kiosk.mon.1", "kiosk.mon.2",  "kiosk.mon.3",  "kiosk.mon.4",
                                    "kiosk.mon.5", "kiosk.mon.6",  "kiosk.mon.7",  "kiosk.mon.8",
                                    "kiosk.mon.9", "kiosk.mon.10", "kiosk.mon.11", "kiosk.mon.12" };
    if (m < 1 || m > 12)
        m = 1;
    return vp_tr(abbrev ? abbr[m - 1] : full[m - 1]);
}

void app_when_text(int64_t ms, int64_t now_ms, char *out, size_t size)
{
    struct vp_civil c, n;
    char hm[8], day[48];
    struct vp_buf b = VP_BUF_INIT;
    int64_t dc, dn;
    vp_time_civil(ms, true, &c);
    vp_time_civil(now_ms, true, &n);
    dc = vp_days_from_civil(c.year, c.month, c.day);
    dn = vp_days_from_civil(n.year, n.month, n.day);
    snprintf(hm, sizeof(hm), "%02d:%02d", c.hour, c.minute);
    if (dc == dn)
        vp_tr_fmt(&b, "kiosk.when.today", "time", hm, NULL);
    else if (dc == dn - 1)
        vp_tr_fmt(&b, "kiosk.when.yesterday", "time", hm, NULL);
    else {
        if (c.year == n.year)
            snprintf(day, sizeof(day), "%d %s", c.day, month_key(c.month, true));
        else
            snprintf(day, sizeof(day), "%d %s %d", c.day, month_key(c.month, true), c.year);
        vp_buf_adds(&b, day);
    }
    vp_strlcpy(out, b.data, size);
    vp_buf_release(&b);
}

void app_clock_text(int64_t ms, char *out, size_t size)
{
    static const char *days[7] = { "kiosk.day.0", "kiosk.day.1", "kiosk.day.2", "kiosk.day.3",
                                   "kiosk.day.4", "kiosk.day.5", "kiosk.day.6" };
    struct vp_civil c;
    vp_time_civil(ms, true, &c);
    snprintf(out, size, "%s %d %s \xC2\xB7 %02d:%02d", vp_tr(days[c.weekday % 7]), c.day,
             month_key(c.month, false), c.hour, c.minute);
}

void app_ago_text(int64_t ms, int64_t now_ms, char *out, size_t size)
{
    int64_t d = (now_ms - ms) / 1000;
    char num[24];
    const char *key;
    struct vp_buf b = VP_BUF_INIT;
    if (d < 60) {
        vp_strlcpy(out, T("ago.now"), size);
        return;
    }
    if (d < 3600) {
        d /= 60;
        key = "kiosk.ago.minutes";
    } else if (d < 86400 * 2) {
        d /= 3600;
        key = "kiosk.ago.hours";
    } else {
        d /= 86400;
        key = "kiosk.ago.days";
    }
    snprintf(num, sizeof(num), "%lld", (long long)d);
    vp_tr_fill(&b, vp_tr_n(key, (long)d), "n", num, NULL);
    vp_strlcpy(out, b.data, size);
    vp_buf_release(&b);
}

const char *app_level_label(int level)
{
    return level == 3 ? vp_tr("level.3") : level == 2 ? vp_tr("level.2") : vp_tr("level.1");
}

ui_color app_level_color(int level)
{
    return level == 3 ? UI_C_LVL3 : level == 2 ? UI_C_LVL2 : UI_C_LVL1;
}

const char *app_signal_label(struct app *a, const char *code)
{
    const struct vp_signal *s = vp_catalog_find(&a->cat, code, NULL);
    return s ? s->label[vp_i18n_lang()] : code;
}

int app_pager_width(struct app *a)
{
    return ui_text_width(a->ui, UI_F_BODY, T("page.prev")) + 48 + M_GAP +
           ui_text_width(a->ui, UI_F_BODY, "88 / 88") + M_GAP +
           ui_text_width(a->ui, UI_F_BODY, T("page.next")) + 48;
}

void app_pager(struct app *a, struct ui_rect r, size_t n, size_t per_page, size_t *first,
               size_t *count)
{
    size_t pages;
    if (per_page == 0)
        per_page = 1;
    pages = (n + per_page - 1) / per_page;
    if (pages <= 1) {
        *first = 0;
        *count = n;
        return;
    }
    if (a->page < 0)
        a->page = 0;
    if ((size_t)a->page >= pages)
        a->page = (int)pages - 1;
    *first = (size_t)a->page * per_page;
    *count = n - *first < per_page ? n - *first : per_page;
    {
        /* right-aligned in r: [Vorige] 2 / 4 [Volgende] */
        const char *prev = T("page.prev"), *next = T("page.next");
        int wn = ui_text_width(a->ui, UI_F_BODY, next) + 48;
        int wp = ui_text_width(a->ui, UI_F_BODY, prev) + 48;
        int wpos = ui_text_width(a->ui, UI_F_BODY, "88 / 88");
        struct ui_rect rn = { r.x + r.w - wn, r.y, wn, 64 };
        struct ui_rect rpos = { rn.x - M_GAP - wpos, r.y, wpos, 64 };
        struct ui_rect rp = { rpos.x - M_GAP - wp, r.y, wp, 64 };
        char pos[64];
        snprintf(pos, sizeof(pos), "%d / %d", a->page + 1, (int)pages);
        if ((size_t)a->page + 1 < pages)
            ui_button(a->ui, rn, &st_outline, A_PAGE, 1, next, UI_CENTER);
        if (a->page > 0)
            ui_button(a->ui, rp, &st_outline, A_PAGE, -1, prev, UI_CENTER);
        ui_text_in(a->ui, rpos, UI_F_BODY, UI_C_INK2, UI_CENTER, pos);
    }
}
