/*
 * sync_client.h - the tablet's side of the sync, over libcurl.
 *
 * Two ways to use it:
 *  - blocking calls for the command line and UI scripts: sync_enroll() and
 *    sync_round() (one push + pull round);
 *  - a worker thread for the kiosk: sync_worker_start() opens its own
 *    devstore connection, wakes on a timer, on sync_worker_wake() (a new
 *    record, "Nu synchroniseren") and on enrolment requests, and reports
 *    through a callback that runs on the worker thread (the kiosk turns it
 *    into an SDL user event; the UI thread never waits on the network).
 *
 * Call sync_global_init() once at program start, before any thread.
 * docs/protocol.md describes the wire; docs/sync.md the client's rules
 * (frozen batches, backoff, quarantine, epochs, retention).
 */
#ifndef SYNC_CLIENT_H
#define SYNC_CLIENT_H
#include "vp_error.h"
#include <stdbool.h>
#include <stdint.h>

#define SYNC_BATCH_RECORDS 200
#define SYNC_BATCH_BYTES   (256 * 1024)

enum sync_event {
    SYNC_EVT_ROUND_DONE,    /* a push+pull round ended (see result) */
    SYNC_EVT_ENROLLED,      /* an enrolment request succeeded */
    SYNC_EVT_ENROLL_FAILED, /* an enrolment request failed (see result, message) */
    SYNC_EVT_DATA_CHANGED   /* pulled changes altered what screens show */
};

struct sync_report {
    enum sync_event event;
    vp_result result; /* VP_OK or why the round/enrolment failed */
    int64_t pushed;   /* records sent in this round */
    int64_t acked;    /* stored or duplicate */
    int64_t quarantined;
    int64_t pulled;     /* changes applied */
    int64_t pending;    /* records still waiting afterwards */
    int http_status;    /* last HTTP status seen, 0 if none */
    long retry_after_s; /* the server's Retry-After of the last answer, -1 if none */
    int64_t bytes_up;   /* on the wire: HTTP headers and bodies, compressed */
    int64_t bytes_down;
    char message[256]; /* plain sentence in the current language, "" if ok */
};

vp_result sync_global_init(void);
void sync_global_cleanup(void);

/* Enrols the device whose store is at db_path: POST /api/v1/enroll with the
 * one-time code, then stores the token, location and epoch. cafile may be
 * NULL (system CAs). On success the first pull has also been attempted so
 * staff and children of the location are there. */
vp_result sync_enroll(const char *db_path, const char *server_url, const char *code,
                      const char *cafile, const char *device_name, struct sync_report *rep);

/* One round: push every pending record in frozen batches, then pull every
 * page. Returns VP_OK when the round completed (even if some records went to
 * quarantine); rep->pending tells what is left. */
vp_result sync_round(const char *db_path, struct sync_report *rep);

typedef void (*sync_notify_fn)(void *ctx, const struct sync_report *rep);

struct sync_worker;

vp_result sync_worker_start(const char *db_path, sync_notify_fn notify, void *ctx,
                            struct sync_worker **out);
/* Run a round soon (something settled and waits, or "Nu synchroniseren"). */
void sync_worker_wake(struct sync_worker *w);
/* A signal was written that is held until it settles (docs/sync.md): the
 * worker re-reads when the earliest hold ends and runs a round then, not
 * up to a whole interval later. No round runs now. */
void sync_worker_recheck(struct sync_worker *w);
/* Ask the worker to enrol; the answer arrives as SYNC_EVT_ENROLLED/_FAILED.
 * The strings are copied. */
void sync_worker_enroll(struct sync_worker *w, const char *server_url, const char *code,
                        const char *cafile);
/* Waits until the worker has nothing queued and is not in a round, at most
 * timeout_ms. True if it became idle. (Script mode uses this.) */
bool sync_worker_wait_idle(struct sync_worker *w, int timeout_ms);
/* Stops and joins the worker. NULL is fine. */
void sync_worker_stop(struct sync_worker *w);

#endif
