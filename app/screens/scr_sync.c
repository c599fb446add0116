/*
 * scr_sync.c - "Synchronisatie": the truth about the outbox. Pending
 * count, oldest pending age, last success, last error in plain words,
 * records the server refused (with its reason), and "Nu synchroniseren".
 */
#include "app_int.h"
#include <string.h>

void scr_sync_enter(struct app *a)
{
    free(a->quar);
    a->quar = NULL;
    a->nquar = 0;
    if (devstore_quarantined(a->db, &a->quar, &a->nquar) != VP_OK)
        a->nquar = 0;
}

void scr_sync_action(struct app *a, int action, int arg)
{
    (void)arg;
    if (action == A_BACK) {
        app_go(a, a->unlocked ? SCR_CHILDREN : SCR_LOCK);
    } else if (action == A_SYNCNOW) {
        if (!a->dev.enrolled) {
            vp_strlcpy(a->sync_msg, app_revoked(a) ? T("sync.revoked") : T("sync.not_enrolled"),
                       sizeof(a->sync_msg));
            return;
        }
        app_settle_all(a); /* "Nu synchroniseren" means now, settled or not */
        app_wake_sync(a);
        vp_strlcpy(a->sync_msg, T("sync.started"), sizeof(a->sync_msg));
    } else if (action == A_PAGE) {
        a->page += arg;
    }
}

static int row_height(struct app *a, int w, const char *label, const char *value);

/* One "label: value" row; returns the next y. */
static int row(struct app *a, int x, int y, int w, const char *label, const char *value, ui_color c)
{
    int lw = w * 2 / 5;
    ui_text_wrap(a->ui, (struct ui_rect){ x, y + 4, lw - 12, 0 }, UI_F_BODY, UI_C_INK2, label, 0);
    ui_text_wrap(a->ui, (struct ui_rect){ x + lw, y + 4, w - lw, 0 }, UI_F_BODY, c, value, 0);
    return y + row_height(a, w, label, value);
}

static void count_text(int64_t n, const char *key, char *out, size_t size)
{
    struct vp_buf b = VP_BUF_INIT;
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)n);
    vp_tr_fill(&b, vp_tr_n(key, (long)n), "n", num, NULL);
    vp_strlcpy(out, b.data, size);
    vp_buf_release(&b);
}

static int row_height(struct app *a, int w, const char *label, const char *value)
{
    int h = ui_wrap_height(a->ui, w - w * 2 / 5, UI_F_BODY, value, 0) + 4;
    int lh = ui_wrap_height(a->ui, w * 2 / 5 - 12, UI_F_BODY, label, 0) + 4;
    if (lh > h)
        h = lh;
    return (h < 40 ? 40 : h) + 14;
}

/* The status rows: label, value, colour. */
struct status_rows {
    const char *label[5];
    char value[5][APP_MSG];
    ui_color color[5];
};

static void fill_rows(struct app *a, struct status_rows *sr)
{
    int64_t t = vp_now_ms();
    for (int i = 0; i < 5; i++)
        sr->color[i] = UI_C_INK;
    sr->label[0] = T("sync.pending");
    count_text(a->stats.pending, "kiosk.sync.records", sr->value[0], APP_MSG);
    sr->label[1] = T("sync.oldest");
    if (a->stats.oldest_pending_ms > 0)
        app_ago_text(a->stats.oldest_pending_ms, t, sr->value[1], APP_MSG);
    else
        vp_strlcpy(sr->value[1], T("sync.none"), APP_MSG);
    sr->label[2] = T("sync.last_success");
    if (a->sst.last_success_ms > 0)
        app_when_text(a->sst.last_success_ms, t, sr->value[2], APP_MSG);
    else
        vp_strlcpy(sr->value[2], T("sync.never"), APP_MSG);
    sr->label[3] = T("sync.last_error");
    if (a->sst.last_error != VP_OK) {
        vp_strlcpy(sr->value[3],
                   a->sst.last_error_text[0] ? a->sst.last_error_text
                                             : vp_result_message(a->sst.last_error),
                   APP_MSG);
        sr->color[3] = UI_C_LVL3;
    } else {
        vp_strlcpy(sr->value[3], T("sync.no_error"), APP_MSG);
    }
    sr->label[4] = T("sync.server");
    if (a->dev.enrolled) {
        struct vp_buf b = VP_BUF_INIT;
        vp_buf_addf(&b, "%s (%s)", a->location[0] ? a->location : "-", a->dev.server_url);
        vp_strlcpy(sr->value[4], b.data, APP_MSG);
        vp_buf_release(&b);
    } else if (app_revoked(a)) {
        vp_strlcpy(sr->value[4], T("sync.revoked_short"), APP_MSG);
        sr->color[4] = UI_C_LVL3;
    } else {
        vp_strlcpy(sr->value[4], T("sync.not_enrolled_short"), APP_MSG);
    }
}

static int status_card_height(struct app *a, int w)
{
    struct status_rows sr;
    int h = 20 + 6;
    fill_rows(a, &sr);
    for (int i = 0; i < 5; i++)
        h += row_height(a, w - 48, sr.label[i], sr.value[i]);
    return h;
}

/* The card with the five facts; returns its height. */
static int status_card(struct app *a, struct ui_rect r)
{
    struct status_rows sr;
    int x = r.x + 24, y = r.y + 20, w = r.w - 48, h = 20 + 6;
    fill_rows(a, &sr);
    for (int i = 0; i < 5; i++)
        h += row_height(a, w, sr.label[i], sr.value[i]);
    ui_card(a->ui, (struct ui_rect){ r.x, r.y, r.w, h }, UI_C_SURFACE, 16);
    for (int i = 0; i < 5; i++)
        y = row(a, x, y, w, sr.label[i], sr.value[i], sr.color[i]);
    return h;
}

/* Records the server refused, as many as fit. */
static void held_list(struct app *a, struct ui_rect r)
{
    char head[APP_MSG], when[64];
    int y = r.y, bottom = r.y + r.h, hh;
    count_text((int64_t)a->nquar, "kiosk.sync.held_title", head, sizeof(head));
    if (y + 40 > bottom)
        return;
    ui_text_wrap(a->ui, (struct ui_rect){ r.x, y, r.w, 0 }, UI_F_BODY | UI_BOLD, UI_C_INK, head, 0);
    y += 40;
    hh = ui_wrap_height(a->ui, r.w, UI_F_BODY, a->nquar ? T("sync.held_help") : T("sync.held_none"),
                        0);
    if (y + hh > bottom)
        return;
    ui_text_wrap(a->ui, (struct ui_rect){ r.x, y, r.w, 0 }, UI_F_BODY, UI_C_INK2,
                 a->nquar ? T("sync.held_help") : T("sync.held_none"), 0);
    y += hh + 12;
    for (size_t i = 0; i < a->nquar && y + 80 <= bottom; i++) {
        struct vp_buf k = VP_BUF_INIT, line = VP_BUF_INIT;
        vp_buf_addf(&k, "kiosk.rectype.%s", a->quar[i].type);
        app_when_text(a->quar[i].created_ms, vp_now_ms(), when, sizeof(when));
        vp_buf_addf(&line, "%s \xC2\xB7 %s", vp_tr(k.data), when);
        ui_card(a->ui, (struct ui_rect){ r.x, y, r.w, 76 }, UI_C_SURFACE, 12);
        ui_text_in(a->ui, (struct ui_rect){ r.x + 18, y + 6, r.w - 36, 32 }, UI_F_BODY | UI_BOLD,
                   UI_C_INK, UI_LEFT, line.data);
        ui_text_in(a->ui, (struct ui_rect){ r.x + 18, y + 38, r.w - 36, 30 }, UI_F_BODY, UI_C_LVL3,
                   UI_LEFT, a->quar[i].reason[0] ? a->quar[i].reason : T("sync.no_reason"));
        y += 76 + 10;
        vp_buf_release(&k);
        vp_buf_release(&line);
    }
}

void scr_sync_build(struct app *a)
{
    struct ui *ui = a->ui;
    int w = ui_width(ui), h = ui_height(ui), top = M_HEAD + 22, bottom = h - M_FOOT - 16;
    int lw = w >= 1100 ? (w - 2 * M_MARGIN) * 3 / 5 : w - 2 * M_MARGIN, ch, y;
    struct vp_buf title = VP_BUF_INIT;
    vp_buf_addf(&title, "%s \xC2\xB7 %s", T("back"), T("sync.title"));
    app_header(a, title.data, true, true);
    vp_buf_release(&title);
    app_footer(a, a->unlocked, NULL, 0);
    if (a->sync_msg[0] && status_card_height(a, lw) + 16 + 72 + 12 +
                                  ui_wrap_height(ui, lw, UI_F_BODY, a->sync_msg, 0) >
                              bottom - top) {
        /* a small screen: what the tap did first; the facts after "Terug" */
        y = top + ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, top, lw, 0 }, UI_F_BODY, UI_C_INK,
                               a->sync_msg, 0);
        ui_button(ui, (struct ui_rect){ M_MARGIN, y + 16, 340, 72 }, &st_primary, A_SYNCNOW, 0,
                  T("sync.now"), UI_CENTER);
        return;
    }
    ch = status_card(a, (struct ui_rect){ M_MARGIN, top, lw, 0 });
    ui_button(ui, (struct ui_rect){ M_MARGIN, top + ch + 16, 340, 72 }, &st_primary, A_SYNCNOW, 0,
              T("sync.now"), UI_CENTER);
    y = top + ch + 16 + 72 + 12;
    if (a->sync_msg[0]) /* what "Nu synchroniseren" did, under the button */
        y += ui_text_wrap(ui, (struct ui_rect){ M_MARGIN, y, lw, 0 }, UI_F_BODY, UI_C_INK,
                          a->sync_msg, 0) +
             12;
    if (w >= 1100)
        held_list(a, (struct ui_rect){ M_MARGIN + lw + 32, top, w - 2 * M_MARGIN - lw - 32,
                                       bottom - top });
    else
        held_list(a, (struct ui_rect){ M_MARGIN, y + 12, lw, bottom - y - 12 });
}
