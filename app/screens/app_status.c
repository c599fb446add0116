/*
 * app_status.c - the bottom line: the one thing about sending a person
 * most needs to know now (issue 11, and issue 13's quiet tablet). When
 * several apply it shows the most important: revoked, then not enrolled,
 * then "Al N dagen niets verstuurd", then records held back, then waiting.
 */
#include "app_int.h"
#include <string.h>

#define QUIET_DAYS 3

bool app_revoked(const struct app *a)
{
    /* the centre refused its token (401): the device id stays */
    return !a->dev.enrolled && a->dev.device_id[0] != '\0';
}

int app_quiet_days(const struct app *a)
{
    int64_t days;
    if (!a->dev.enrolled || a->sst.last_success_ms <= 0)
        return 0;
    days = (vp_now_ms() - a->sst.last_success_ms) / 86400000;
    return days > QUIET_DAYS ? (int)days : 0;
}

static void counted(const char *key, int64_t n, char *out, size_t size)
{
    struct vp_buf b = VP_BUF_INIT;
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)n);
    vp_tr_fill(&b, vp_tr_n(key, (long)n), "n", num, NULL);
    vp_strlcpy(out, b.data, size);
    vp_buf_release(&b);
}

void app_bottom_line(struct app *a, struct app_line *out)
{
    int quiet = app_quiet_days(a);
    memset(out, 0, sizeof(*out));
    out->dot = UI_C_LVL1;
    if (app_revoked(a)) {
        out->kind = AL_REVOKED;
        vp_strlcpy(out->text, T("line.revoked"), sizeof(out->text));
        vp_strlcpy(out->hint, T("line.revoked_hint"), sizeof(out->hint));
        out->dot = UI_C_LVL3;
    } else if (!a->dev.enrolled) {
        out->kind = AL_NOT_ENROLLED;
        vp_strlcpy(out->text, T("line.not_enrolled"), sizeof(out->text));
        vp_strlcpy(out->hint, T("line.not_enrolled_hint"), sizeof(out->hint));
        out->dot = UI_C_INK2;
    } else if (quiet > 0) {
        out->kind = AL_QUIET;
        counted("kiosk.line.quiet", quiet, out->text, sizeof(out->text));
        vp_strlcpy(out->hint, T("line.quiet_hint"), sizeof(out->hint));
        out->dot = UI_C_LVL3;
    } else if (a->stats.quarantined > 0) {
        out->kind = AL_HELD;
        counted("kiosk.sync.held", a->stats.quarantined, out->text, sizeof(out->text));
        out->dot = UI_C_LVL3;
    } else if (a->stats.pending_signals > 0) {
        out->kind = AL_WAITING;
        counted("kiosk.sync.waiting", a->stats.pending_signals, out->text, sizeof(out->text));
        out->dot = UI_C_LVL2;
    } else if (a->stats.pending > 0) {
        out->kind = AL_WAITING;
        vp_strlcpy(out->text, T("sync.waiting_changes"), sizeof(out->text));
        out->dot = UI_C_LVL2;
    } else if (a->sst.last_success_ms > 0) {
        char when[64];
        struct vp_civil c, n;
        struct vp_buf b = VP_BUF_INIT;
        out->kind = AL_SENT;
        vp_time_civil(a->sst.last_success_ms, true, &c);
        vp_time_civil(vp_now_ms(), true, &n);
        if (c.year == n.year && c.month == n.month && c.day == n.day)
            snprintf(when, sizeof(when), "%02d:%02d", c.hour, c.minute);
        else
            app_when_text(a->sst.last_success_ms, vp_now_ms(), when, sizeof(when));
        vp_tr_fmt(&b, "kiosk.sync.all_sent_at", "when", when, NULL);
        vp_strlcpy(out->text, b.data, sizeof(out->text));
        vp_buf_release(&b);
    } else {
        out->kind = AL_SENT;
        vp_strlcpy(out->text, T("sync.all_sent"), sizeof(out->text));
    }
}

void app_sync_line(struct app *a, struct ui_rect r, bool tappable)
{
    struct ui *ui = a->ui;
    struct app_line line;
    struct vp_buf b = VP_BUF_INIT;
    struct ui_rect tr = { r.x + 28, r.y, r.w - 28, r.h };
    int lh;
    app_bottom_line(a, &line);
    /* what to do too, where it fits */
    vp_buf_adds(&b, line.text);
    if (line.hint[0]) {
        vp_buf_addf(&b, ". %s", line.hint);
        if (ui_wrap_height(ui, tr.w, UI_F_BODY, b.data, 0) > 2 * ui_line_height(ui, UI_F_BODY)) {
            vp_buf_reset(&b);
            vp_buf_adds(&b, line.text);
        }
    }
    if (tappable)
        ui_control(ui, r, &(struct ui_style){ UI_C_SURFACE, 0, UI_C_INK, 0, 12, UI_F_BODY, false },
                   A_SYNCSCR, 0, line.text, NULL);
    ui_disc(ui, r.x + 10, r.y + r.h / 2, 8, line.dot);
    lh = ui_wrap_height(ui, tr.w, UI_F_BODY, b.data, 2);
    ui_text_wrap(ui, (struct ui_rect){ tr.x, r.y + (r.h - lh) / 2, tr.w, 0 }, UI_F_BODY, UI_C_INK,
                 b.data, 2);
    vp_buf_release(&b);
}
