/*
 * kiosk_sync.c - glue between the sync worker thread and the UI thread.
 *
 * The worker's callback runs on its own thread: it copies the report into
 * a small queue under a mutex and pushes an SDL user event (SDL_PushEvent
 * is thread-safe). The UI thread drains the queue when that event arrives
 * and the screens re-read the store. The UI never waits on the network.
 */
#include "kiosk.h"
#include "devstore.h"
#include "vp_core.h"
#include <SDL.h>
#include <string.h>
#ifdef VP_HAVE_SYNCCLIENT
#include "sync_client.h"
#endif

#define QUEUE 32

struct kiosk_sync {
    SDL_mutex *lock;
    struct app_sync_note q[QUEUE];
    int head, len;
#ifdef VP_HAVE_SYNCCLIENT
    struct sync_worker *worker;
#endif
};

static Uint32 event_type = (Uint32)-1;

Uint32 kiosk_sync_event_type(void)
{
    if (event_type == (Uint32)-1)
        event_type = SDL_RegisterEvents(1);
    return event_type;
}

#ifdef VP_HAVE_SYNCCLIENT
static enum app_sync_kind kind_of(enum sync_event e)
{
    switch (e) {
    case SYNC_EVT_ENROLLED: return APP_SYNC_ENROLLED;
    case SYNC_EVT_ENROLL_FAILED: return APP_SYNC_ENROLL_FAILED;
    case SYNC_EVT_DATA_CHANGED: return APP_SYNC_DATA;
    default: return APP_SYNC_ROUND;
    }
}

/* Runs on the worker thread. */
static void notify(void *ctx, const struct sync_report *rep)
{
    struct kiosk_sync *ks = ctx;
    struct app_sync_note n;
    SDL_Event ev;
    memset(&n, 0, sizeof(n));
    n.kind = kind_of(rep->event);
    n.result = rep->result;
    vp_strlcpy(n.message, rep->message, sizeof(n.message));
    SDL_LockMutex(ks->lock);
    if (ks->len == QUEUE) { /* drop the oldest: a later report says more */
        ks->head = (ks->head + 1) % QUEUE;
        ks->len--;
    }
    ks->q[(ks->head + ks->len) % QUEUE] = n;
    ks->len++;
    SDL_UnlockMutex(ks->lock);
    memset(&ev, 0, sizeof(ev));
    ev.type = kiosk_sync_event_type();
    SDL_PushEvent(&ev);
}

static void hook_wake(void *ctx)
{
    struct kiosk_sync *ks = ctx;
    sync_worker_wake(ks->worker);
}

static void hook_held(void *ctx)
{
    struct kiosk_sync *ks = ctx;
    sync_worker_recheck(ks->worker);
}

static void hook_enroll(void *ctx, const char *url, const char *code)
{
    struct kiosk_sync *ks = ctx;
    sync_worker_enroll(ks->worker, url, code, NULL);
}
#endif

struct kiosk_sync *kiosk_sync_start(const char *db_path)
{
#ifdef VP_HAVE_SYNCCLIENT
    struct kiosk_sync *ks = vp_xcalloc(1, sizeof(*ks));
    ks->lock = SDL_CreateMutex();
    kiosk_sync_event_type();
    if (!ks->lock || sync_worker_start(db_path, notify, ks, &ks->worker) != VP_OK) {
        vp_warn("kiosk: the sync worker did not start; working offline");
        if (ks->lock)
            SDL_DestroyMutex(ks->lock);
        free(ks);
        return NULL;
    }
    return ks;
#else
    (void)db_path;
    return NULL;
#endif
}

void kiosk_sync_stop(struct kiosk_sync *ks)
{
    if (!ks)
        return;
#ifdef VP_HAVE_SYNCCLIENT
    sync_worker_stop(ks->worker);
#endif
    SDL_DestroyMutex(ks->lock);
    free(ks);
}

void kiosk_sync_hooks(struct kiosk_sync *ks, struct app_hooks *h)
{
    memset(h, 0, sizeof(*h));
#ifdef VP_HAVE_SYNCCLIENT
    if (ks) {
        h->ctx = ks;
        h->wake = hook_wake;
        h->held = hook_held;
        h->enroll = hook_enroll;
        h->can_enroll = true;
    }
#else
    (void)ks;
#endif
}

void kiosk_sync_deliver(struct kiosk_sync *ks, struct app *a)
{
    struct app_sync_note n;
    if (!ks)
        return;
    for (;;) {
        SDL_LockMutex(ks->lock);
        if (ks->len == 0) {
            SDL_UnlockMutex(ks->lock);
            return;
        }
        n = ks->q[ks->head];
        ks->head = (ks->head + 1) % QUEUE;
        ks->len--;
        SDL_UnlockMutex(ks->lock);
        app_sync_note(a, &n);
    }
}

void kiosk_sync_recheck(struct kiosk_sync *ks)
{
#ifdef VP_HAVE_SYNCCLIENT
    if (ks)
        sync_worker_recheck(ks->worker);
#else
    (void)ks;
#endif
}

void kiosk_sync_wait_idle(struct kiosk_sync *ks)
{
#ifdef VP_HAVE_SYNCCLIENT
    if (ks)
        sync_worker_wait_idle(ks->worker, 30000);
#else
    (void)ks;
#endif
}

/* "Nu synchroniseren" (and the `sync` command) sends what is still
 * settling too. */
static vp_result settle_all(const char *db_path)
{
    struct devstore *db = NULL;
    vp_result res = devstore_open(db_path, &db);
    if (!res)
        res = devstore_signals_settle(db);
    devstore_close(db);
    return res;
}

vp_result kiosk_sync_round(const char *db_path, int64_t *pending, char *msg, size_t size)
{
#ifdef VP_HAVE_SYNCCLIENT
    struct sync_report rep;
    vp_result res = settle_all(db_path);
    memset(&rep, 0, sizeof(rep));
    if (res) {
        *pending = -1;
        vp_strlcpy(msg, vp_result_message(res), size);
        return res;
    }
    res = sync_round(db_path, &rep);
    *pending = rep.pending;
    vp_strlcpy(msg, rep.message[0] ? rep.message : vp_result_message(res), size);
    return res;
#else
    (void)db_path;
    *pending = -1;
    vp_strlcpy(msg, vp_tr("kiosk.cli.no_sync_client"), size);
    return VP_ERR_INTERNAL;
#endif
}

vp_result kiosk_sync_enroll(const char *db_path, const char *url, const char *code,
                            const char *cafile, char *msg, size_t size)
{
#ifdef VP_HAVE_SYNCCLIENT
    struct sync_report rep;
    vp_result res;
    memset(&rep, 0, sizeof(rep));
    res = sync_enroll(db_path, url, code, cafile, NULL, &rep);
    vp_strlcpy(msg, rep.message[0] ? rep.message : vp_result_message(res), size);
    return res;
#else
    (void)db_path;
    (void)url;
    (void)code;
    (void)cafile;
    vp_strlcpy(msg, vp_tr("kiosk.cli.no_sync_client"), size);
    return VP_ERR_INTERNAL;
#endif
}

void kiosk_sync_global_init(void)
{
#ifdef VP_HAVE_SYNCCLIENT
    sync_global_init();
#endif
}

void kiosk_sync_global_cleanup(void)
{
#ifdef VP_HAVE_SYNCCLIENT
    sync_global_cleanup();
#endif
}
