/*
 * app.h - the kiosk's screens as one state machine, driven by the program
 * in app/kiosk (window loop or script runner).
 *
 * Data flows one way: the device store -> the screen model (struct app) ->
 * the UI layer's display list. Input flows back as named actions. The app
 * never touches the network: enrolment and "sync now" go through hooks the
 * program provides (the sync worker), and the worker's reports come back
 * through app_sync_note().
 *
 * Time: timers (auto-lock, toast, lockout countdown, clock) use vp_mono_ms()
 * and vp_now_ms(), so script mode can move time with vp_time_advance().
 *
 * Ownership: the app borrows ui and db; both must outlive it.
 */
#ifndef APP_H
#define APP_H
#include "devstore.h"
#include "ui.h"
#include <SDL.h>

struct app;

/* What the program offers the screens. Any hook may be NULL. */
struct app_hooks {
    void *ctx;
    void (*wake)(void *ctx); /* sync soon */
    void (*held)(void *ctx); /* a signal waits to settle: mind when, no round */
    void (*enroll)(void *ctx, const char *url, const char *code); /* async enrol */
    bool can_enroll;                                              /* a sync client exists */
};

/* A report of the sync worker, as the screens need it. */
enum app_sync_kind { APP_SYNC_ROUND, APP_SYNC_ENROLLED, APP_SYNC_ENROLL_FAILED, APP_SYNC_DATA };
struct app_sync_note {
    enum app_sync_kind kind;
    vp_result result;
    char message[256]; /* plain sentence, may be "" */
};

/* Creates the app on an open store. lang may be NULL (use the stored
 * setting). Chooses the first screen: first start, or the lock screen. */
vp_result app_create(struct ui *ui, struct devstore *db, const char *lang,
                     const struct app_hooks *hooks, struct app **out);
void app_destroy(struct app *a);

/* Feeds one SDL event (pointer, keys, window). */
void app_event(struct app *a, const SDL_Event *ev);
/* The worker reported something: reload what the screen shows. */
void app_sync_note(struct app *a, const struct app_sync_note *note);
/* Re-reads the store for the current screen (after `sync` in a script). */
void app_reload(struct app *a);

/* Handles due timers. Call after waiting. */
void app_tick(struct app *a);
/* Milliseconds until the next timer is due (>= 0), or -1 for none. */
int app_next_timer_ms(struct app *a);

/* Draws a frame if something changed (or always if force). Returns true
 * if it drew. */
bool app_frame(struct app *a, bool force);

/* For benchmarks: the time the last "save" took from tap to commit. */
double app_last_save_ms(const struct app *a);
/* The last saves' times (at most cap, at most 64); returns how many. */
int app_save_times(const struct app *a, double *ms, int cap);

/* For tests: true when the lock screen is showing. */
bool app_is_locked(const struct app *a);

#endif
