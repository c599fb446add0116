/*
 * kiosk.h - the vindplaats-kiosk program: the window loop, script mode,
 * the command-line subcommands and the glue to the sync worker.
 */
#ifndef KIOSK_H
#define KIOSK_H
#include "app.h"
#include "vp_error.h"
#include <SDL.h>
#include <stdbool.h>

/* Exit statuses (CONTRACT.md §2). */
#define KIOSK_EXIT_OK     0
#define KIOSK_EXIT_FAILED 1
#define KIOSK_EXIT_USAGE  2

struct kiosk_opts {
    const char *data_dir; /* NULL: VINDPLAATS_DATA or the per-user folder */
    bool fullscreen;
    int width, height;
    const char *lang; /* NULL: the stored setting */
    bool accelerated;
    const char *font;
    const char *script;                 /* script mode: the file */
    const char *shots;                  /* script mode: screenshot folder */
    const char *server, *code, *cafile; /* enroll */
    bool json;                          /* status */
};

/* Makes the data folder and returns DIR/kiosk.db (caller frees), or NULL
 * after printing why. */
char *kiosk_db_path(const char *data_dir);

/* Everything a running kiosk holds, for the window loop and the script
 * runner alike. */
struct kiosk_session {
    char *db_path;
    struct devstore *db;
    struct ui *ui;
    struct kiosk_sync *sync;
    struct app *app;
};

/* Opens the store, the window (hidden for scripts), the sync worker and
 * the app. On failure prints one sentence and returns false. */
bool kiosk_session_open(struct kiosk_session *s, const struct kiosk_opts *o, bool hidden);
void kiosk_session_close(struct kiosk_session *s);
/* Handles one SDL event (including the sync worker's). */
void kiosk_session_event(struct kiosk_session *s, const SDL_Event *ev);

/* Tests only: VP_KIOSK_CLOCK=RFC3339 starts app time at that moment, so
 * screenshots do not depend on the day they are taken (script mode and the
 * window alike). */
void kiosk_clock_start(void);

/* VP_KIOSK_BENCH=1: frame and save statistics on stderr at the end. */
void kiosk_bench_report(struct kiosk_session *s);

int kiosk_run_window(const struct kiosk_opts *o);
int kiosk_run_script(const struct kiosk_opts *o);
int kiosk_cmd_enroll(const struct kiosk_opts *o);
int kiosk_cmd_sync(const struct kiosk_opts *o);
int kiosk_cmd_status(const struct kiosk_opts *o);

/* ---- the sync worker, seen from the UI thread ---- */

struct kiosk_sync;

/* Starts the worker on db_path (NULL result without a sync client). Its
 * reports arrive as an SDL user event of type kiosk_sync_event_type(). */
struct kiosk_sync *kiosk_sync_start(const char *db_path);
void kiosk_sync_stop(struct kiosk_sync *ks);
Uint32 kiosk_sync_event_type(void);
/* Fills the hooks the screens use (wake, enroll). */
void kiosk_sync_hooks(struct kiosk_sync *ks, struct app_hooks *h);
/* Hands every queued report to the app. */
void kiosk_sync_deliver(struct kiosk_sync *ks, struct app *a);
/* App time moved (script mode's `wait`): the worker re-reads when the next
 * held signal settles, and runs a round if that is now. */
void kiosk_sync_recheck(struct kiosk_sync *ks);
/* Waits until the worker is idle (script mode). */
void kiosk_sync_wait_idle(struct kiosk_sync *ks);
/* One blocking round; rep_pending gets what is left. Message in msg. */
vp_result kiosk_sync_round(const char *db_path, int64_t *pending, char *msg, size_t size);
vp_result kiosk_sync_enroll(const char *db_path, const char *url, const char *code,
                            const char *cafile, char *msg, size_t size);
void kiosk_sync_global_init(void);
void kiosk_sync_global_cleanup(void);

#endif
