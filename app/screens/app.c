/*
 * app.c - the screen state machine: navigation, input dispatch, timers,
 * auto-lock and frames.
 */
#include "app_int.h"
#include <string.h>

#define TOAST_MS 5000

static void load_language(struct app *a, const char *lang)
{
    char code[8];
    enum vp_lang l;
    if (!lang) {
        devstore_setting_get_text(a->db, "language", "nl", code, sizeof(code));
        lang = code;
    }
    if (vp_i18n_parse_lang(lang, &l))
        vp_i18n_set_lang(l);
}

void app_refresh_status(struct app *a)
{
    int64_t secs = 90;
    if (devstore_device_get(a->db, &a->dev) != VP_OK)
        memset(&a->dev, 0, sizeof(a->dev));
    vp_strlcpy(a->location, a->dev.location_name, sizeof(a->location));
    if (!a->location[0])
        devstore_setting_get_text(a->db, "location_name", "", a->location, sizeof(a->location));
    if (devstore_outbox_stats(a->db, &a->stats) != VP_OK)
        memset(&a->stats, 0, sizeof(a->stats));
    if (devstore_sync_state(a->db, &a->sst) != VP_OK)
        memset(&a->sst, 0, sizeof(a->sst));
    if (devstore_signals_next_settle(a->db, &a->settle_at) != VP_OK || a->settle_at <= vp_now_ms())
        a->settle_at = 0; /* a passed hold already counts as waiting */
    devstore_setting_get_int(a->db, "autolock_seconds", 90, &secs);
    if (secs < 10)
        secs = 10;
    a->autolock_ms = secs * 1000;
}

static bool needs_first_start(struct app *a)
{
    struct dev_staff *st = NULL;
    size_t n = 0;
    bool any = false;
    if (devstore_staff(a->db, false, &st, &n) == VP_OK)
        any = n > 0;
    free(st);
    return !a->dev.setup_done || !any;
}

vp_result app_create(struct ui *ui, struct devstore *db, const char *lang,
                     const struct app_hooks *hooks, struct app **out)
{
    struct app *a = vp_xcalloc(1, sizeof(*a));
    vp_result res;
    a->ui = ui;
    a->db = db;
    if (hooks)
        a->hooks = *hooks;
    a->lock_sel = -1;
    a->domain = 0;
    load_language(a, lang);
    res = devstore_catalog(db, &a->cat);
    if (res) {
        free(a);
        *out = NULL;
        return res;
    }
    app_refresh_status(a);
    a->last_input = vp_mono_ms();
    app_go(a, needs_first_start(a) ? SCR_FIRST : SCR_LOCK);
    *out = a;
    return VP_OK;
}

static void free_lists(struct app *a)
{
    free(a->staff);
    free(a->groups);
    free(a->kids);
    free(a->obs);
    free(a->adv);
    free(a->quar);
    free(a->adm_kids);
    free(a->adm_groups);
    free(a->adm_staff);
    free(a->note_names);
    a->note_names = NULL;
    a->nnote_names = 0;
    a->staff = NULL;
    a->groups = NULL;
    a->kids = NULL;
    a->obs = NULL;
    a->adv = NULL;
    a->quar = NULL;
    a->adm_kids = NULL;
    a->adm_groups = NULL;
    a->adm_staff = NULL;
    a->nstaff = a->ngroups = a->nkids = a->nobs = a->nadv = a->nquar = 0;
    a->nadm_kids = a->nadm_groups = a->nadm_staff = 0;
}

void app_destroy(struct app *a)
{
    if (!a)
        return;
    free_lists(a);
    vp_catalog_release(&a->cat);
    free(a);
}

static void enter(struct app *a)
{
    switch (a->screen) {
    case SCR_FIRST: scr_first_enter(a); break;
    case SCR_LOCK: scr_lock_enter(a); break;
    case SCR_CHILDREN: scr_children_enter(a); break;
    case SCR_CHILD: scr_child_enter(a); break;
    case SCR_SIGNAL: scr_signal_enter(a); break;
    case SCR_SYNC: scr_sync_enter(a); break;
    case SCR_ADMIN: scr_admin_enter(a); break;
    }
}

void app_go(struct app *a, enum screen s)
{
    if (a->screen == SCR_SIGNAL && s != SCR_SIGNAL) {
        app_settle_all(a); /* leaving the signal screen settles what it wrote */
        app_toast_clear_undo(a);
    }
    if (s != a->screen)
        a->page = 0;
    if (s == SCR_SYNC && a->screen != SCR_SYNC)
        a->sync_msg[0] = '\0';
    a->screen = s;
    a->overlay = OV_NONE;
    app_refresh_status(a);
    enter(a);
    a->dirty = true;
}

void app_reload(struct app *a)
{
    vp_catalog_release(&a->cat);
    if (devstore_catalog(a->db, &a->cat) != VP_OK)
        memset(&a->cat, 0, sizeof(a->cat));
    app_refresh_status(a);
    if (a->overlay == OV_NONE)
        enter(a);
    a->dirty = true;
}

void app_lock(struct app *a)
{
    app_settle_all(a);
    a->unlocked = false;
    memset(&a->me, 0, sizeof(a->me));
    a->toast_until = 0;
    a->saved = false;
    a->lock_sel = -1;
    app_go(a, SCR_LOCK);
}

void app_wake_sync(struct app *a)
{
    if (a->hooks.wake)
        a->hooks.wake(a->hooks.ctx);
}

void app_settle_changed(struct app *a)
{
    app_refresh_status(a);
    if (a->hooks.held)
        a->hooks.held(a->hooks.ctx);
}

void app_settle_all(struct app *a)
{
    vp_result res;
    int64_t held;
    app_refresh_status(a);
    held = a->stats.unsettled_signals;
    /* also clears holds that passed on their own, so every reader agrees */
    res = devstore_signals_settle(a->db);
    if (res)
        vp_warn("kiosk: cannot settle the held signals: %s", vp_result_name(res));
    app_refresh_status(a);
    if (held > 0)
        app_wake_sync(a);
}

void app_toast_clear_undo(struct app *a)
{
    if (a->toast_undo && a->toast_until) {
        a->toast_until = 0;
        a->dirty = true;
    }
    a->toast_undo = false;
}

void app_toast(struct app *a, const char *text, bool undo, int64_t ms)
{
    vp_strlcpy(a->toast, text, sizeof(a->toast));
    a->toast_undo = undo;
    a->toast_until = vp_mono_ms() + (ms > 0 ? ms : TOAST_MS);
    a->dirty = true;
}

void app_error(struct app *a, vp_result res)
{
    app_toast(a, vp_result_message(res), false, 6000);
}

static void dispatch(struct app *a, int action, int arg)
{
    if (a->overlay != OV_NONE && app_overlay_action(a, action, arg))
        return;
    switch (action) {
    case A_LOCK: app_lock(a); return;
    case A_SWITCH: app_lock(a); return;
    case A_SAFETY: a->overlay = OV_SAFETY; return;
    case A_SYNCSCR: app_go(a, SCR_SYNC); return;
    case A_ADMIN:
        if (a->unlocked && a->me.role == VP_ROLE_MANAGER)
            app_go(a, SCR_ADMIN);
        return;
    default: break;
    }
    switch (a->screen) {
    case SCR_FIRST: scr_first_action(a, action, arg); break;
    case SCR_LOCK: scr_lock_action(a, action, arg); break;
    case SCR_CHILDREN: scr_children_action(a, action, arg); break;
    case SCR_CHILD: scr_child_action(a, action, arg); break;
    case SCR_SIGNAL: scr_signal_action(a, action, arg); break;
    case SCR_SYNC: scr_sync_action(a, action, arg); break;
    case SCR_ADMIN: scr_admin_action(a, action, arg); break;
    }
}

static bool is_input(const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_KEYDOWN:
    case SDL_TEXTINPUT: return true;
    default: return false;
    }
}

static void key_event(struct app *a, const SDL_Event *ev)
{
    if (a->overlay != OV_NONE) {
        if (app_overlay_key(a, ev))
            a->dirty = true;
        return;
    }
    if (a->screen == SCR_LOCK && scr_lock_key(a, ev)) {
        a->dirty = true;
        return;
    }
    if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_ESCAPE && a->screen != SCR_LOCK &&
        a->screen != SCR_FIRST) {
        dispatch(a, A_BACK, 0);
        a->dirty = true;
    }
}

void app_event(struct app *a, const SDL_Event *ev)
{
    int action, arg;
    if (is_input(ev))
        a->last_input = vp_mono_ms();
    if (ui_handle_event(a->ui, ev))
        a->dirty = true;
    while (ui_next_action(a->ui, &action, &arg)) {
        dispatch(a, action, arg);
        a->dirty = true;
    }
    if (ev->type == SDL_KEYDOWN || ev->type == SDL_TEXTINPUT)
        key_event(a, ev);
}

void app_sync_note(struct app *a, const struct app_sync_note *note)
{
    if (a->screen == SCR_FIRST) {
        scr_first_sync(a, note);
    } else if (a->screen == SCR_ADMIN &&
               (note->kind == APP_SYNC_ENROLLED || note->kind == APP_SYNC_ENROLL_FAILED)) {
        vp_strlcpy(a->admin_msg,
                   note->kind == APP_SYNC_ENROLLED ? T("admin.enrolled") : note->message,
                   sizeof(a->admin_msg));
    }
    if (a->screen == SCR_SYNC && note->kind == APP_SYNC_ROUND) /* the round ended: say how */
        vp_strlcpy(a->sync_msg,
                   note->result == VP_OK ? T("sync.done")
                   : note->message[0]    ? note->message
                                         : vp_result_message(note->result),
                   sizeof(a->sync_msg));
    if (a->screen == SCR_SIGNAL || a->screen == SCR_FIRST || a->overlay != OV_NONE)
        app_refresh_status(a); /* keep what the person is doing as it is */
    else
        app_reload(a);
    a->dirty = true;
}

void app_tick(struct app *a)
{
    int64_t now = vp_mono_ms();
    if (a->unlocked && now - a->last_input >= a->autolock_ms) {
        app_lock(a);
        return;
    }
    if (a->toast_until && now >= a->toast_until) {
        a->toast_until = 0;
        a->dirty = true;
    }
    if (a->screen == SCR_LOCK)
        scr_lock_tick(a);
    if (a->settle_at && vp_now_ms() >= a->settle_at) {
        app_refresh_status(a); /* a held signal settled: it now counts as waiting */
        a->dirty = true;
    }
    if (vp_now_ms() / 60000 != a->clock_minute) {
        a->clock_minute = vp_now_ms() / 60000;
        a->dirty = true;
    }
}

int app_next_timer_ms(struct app *a)
{
    int64_t now = vp_mono_ms(), next = 60000 - vp_now_ms() % 60000;
    if (a->unlocked) {
        int64_t t = a->last_input + a->autolock_ms - now;
        if (t < next)
            next = t;
    }
    if (a->toast_until && a->toast_until - now < next)
        next = a->toast_until - now;
    if (a->settle_at && a->settle_at - vp_now_ms() < next)
        next = a->settle_at - vp_now_ms();
    if (a->screen == SCR_LOCK && a->lock_until > vp_now_ms()) {
        int64_t t = 1000 - (a->lock_until - vp_now_ms()) % 1000;
        if (t < next)
            next = t;
    }
    if (next < 0)
        next = 0;
    return (int)next;
}

static void build(struct app *a)
{
    ui_begin(a->ui, UI_C_BG);
    switch (a->screen) {
    case SCR_FIRST: scr_first_build(a); break;
    case SCR_LOCK: scr_lock_build(a); break;
    case SCR_CHILDREN: scr_children_build(a); break;
    case SCR_CHILD: scr_child_build(a); break;
    case SCR_SIGNAL: scr_signal_build(a); break;
    case SCR_SYNC: scr_sync_build(a); break;
    case SCR_ADMIN: scr_admin_build(a); break;
    }
    app_overlay_build(a);
}

bool app_frame(struct app *a, bool force)
{
    if (!a->dirty && !force)
        return false;
    a->dirty = false;
    build(a);
    ui_render(a->ui);
    if (vp_log_enabled(VP_LOG_DEBUG)) {
        struct ui_stats st;
        ui_get_stats(a->ui, &st);
        if (st.last_ms > 8.0)
            vp_debug("kiosk: slow frame %.1f ms on screen %d overlay %d", st.last_ms,
                     (int)a->screen, (int)a->overlay);
    }
    return true;
}

double app_last_save_ms(const struct app *a)
{
    return a->last_save_ms;
}

int app_save_times(const struct app *a, double *ms, int cap)
{
    int n = a->nsaves < 64 ? a->nsaves : 64;
    if (n > cap)
        n = cap;
    for (int i = 0; i < n; i++)
        ms[i] = a->save_ms[i];
    return n;
}

bool app_is_locked(const struct app *a)
{
    return !a->unlocked;
}
