/*
 * vp_envelope.h - what travels around the records and changes: the push
 * answer, the pull request with its heartbeat, and the pull page. One
 * definition for both ends: the central service writes answers with the
 * *_write/_to_json functions and the tablet reads them with *_from_json, so
 * the two cannot drift apart. docs/protocol.md (version 2) says the same for
 * people.
 *
 * Cursors are opaque to the tablet: printable ASCII of at most
 * VP_CURSOR_MAX - 1 bytes that the tablet stores and sends back unchanged.
 * "" means "from the beginning". Each backend chooses its own form (SQLite:
 * the decimal change sequence; PostgreSQL later: epoch, xid and id).
 *
 * Ownership: structs are caller-owned values except vp_push_answer.results,
 * which *_from_json allocates and vp_push_answer_release() frees.
 */
#ifndef VP_ENVELOPE_H
#define VP_ENVELOPE_H
#include "vp_buf.h"
#include "vp_json.h"
#include "vp_uuid.h"
#include "vp_wire.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VP_PROTOCOL_VERSION 2
#define VP_CURSOR_MAX       128 /* an opaque cursor and its NUL */
#define VP_REASON_MAX_CHARS 200 /* a push result's reason */
#define VP_APP_VERSION_MAX  32

/* ---- push answer ---- */

enum vp_push_status {
    VP_PUSH_STORED,    /* new, now durable */
    VP_PUSH_DUPLICATE, /* same id, same content already stored: success */
    VP_PUSH_CONFLICT,  /* same id, other content: quarantine, never drop */
    VP_PUSH_REJECTED,  /* invalid, or names what the centre does not know */
    VP_PUSH_STATUS_COUNT
};
const char *vp_push_status_name(enum vp_push_status s);
/* The status named s, or VP_PUSH_STATUS_COUNT for one this version does not
 * know (the tablet then leaves that record pending). */
enum vp_push_status vp_push_status_parse(const char *s);

struct vp_push_result {
    char id[VP_UUID_LEN];
    enum vp_push_status status;
    char reason[VP_TEXT_BYTES(VP_REASON_MAX_CHARS)]; /* conflict/rejected; else "" */
};

struct vp_push_answer {
    struct vp_push_result *results; /* n, in the order of the request's records */
    size_t n;
    int64_t server_time_ms;
    char server_epoch[VP_UUID_LEN];
};

/* Copies reason into r->reason as valid text: invalid bytes and control
 * characters become '?', and the text is cut at a character boundary. */
void vp_push_result_set_reason(struct vp_push_result *r, const char *reason);

/* The answer's JSON (a new reference). It has exactly a->n results: every
 * id must be a valid UUID and every reason valid text (set it with
 * vp_push_result_set_reason()), so no result can be lost on the way. */
json_t *vp_push_answer_to_json(const struct vp_push_answer *a);

/* Reads an answer strictly. On success out->results is malloc'ed (release
 * with vp_push_answer_release()); on failure nothing is allocated. */
bool vp_push_answer_from_json(json_t *js, struct vp_push_answer *out, struct vp_json_err *err);
void vp_push_answer_release(struct vp_push_answer *a);

/* ---- pull request (POST /api/v1/sync/pull) and heartbeat ---- */

/* A tablet's health, sent with every pull (docs/protocol.md). Times are the
 * tablet's clock in ms since the epoch, 0 = never; counts >= 0;
 * disk_free_mb -1 = unknown. */
struct vp_heartbeat {
    char app_version[VP_APP_VERSION_MAX];
    int64_t catalog_version;
    int64_t pending_signals;   /* signals waiting to be sent (not records) */
    int64_t oldest_pending_ms; /* when the oldest of them was saved; 0 = none */
    int64_t quarantined;       /* records the centre refused, waiting for a person */
    int64_t last_attempt_ms;   /* the last sync round that was tried */
    int64_t last_success_ms;   /* the last sync round that succeeded */
    int64_t disk_free_mb;
    int64_t device_time_ms; /* the tablet's clock when it sent this */
};

struct vp_pull_request {
    char since[VP_CURSOR_MAX];
    int64_t limit; /* 1..VP_PULL_MAX_LIMIT */
    bool has_heartbeat;
    struct vp_heartbeat heartbeat;
};

/* True if s can be a cursor: printable ASCII (0x21-0x7e), shorter than
 * VP_CURSOR_MAX. The empty cursor is valid. */
bool vp_cursor_valid(const char *s);

json_t *vp_pull_request_to_json(const struct vp_pull_request *r);
/* Reads {"since","limit","heartbeat"} strictly; since defaults to "", limit
 * to 500; unknown keys are refused. */
bool vp_pull_request_from_json(json_t *js, struct vp_pull_request *out, struct vp_json_err *err);

/* ---- pull page ---- */

struct vp_pull_meta {
    char cursor[VP_CURSOR_MAX]; /* send this next time */
    bool more;                  /* another page is waiting */
    char server_epoch[VP_UUID_LEN];
    int64_t server_time_ms;
};

/* Appends the page {"changes":CHANGES,"cursor",["next",]"more","server_epoch",
 * "server_time"} to out. changes_json is the JSON array text the store built
 * (len bytes). "next" (protocol 1's integer cursor) is written only when the
 * cursor is a decimal number, so version-1 tablets keep working. */
void vp_pull_page_write(struct vp_buf *out, const char *changes_json, size_t len,
                        const struct vp_pull_meta *m);

/* Reads a page: *changes is borrowed from js. Accepts protocol 1 pages
 * (integer "next", no "cursor"). */
bool vp_pull_page_from_json(json_t *js, struct vp_pull_meta *out, json_t **changes,
                            struct vp_json_err *err);

#endif
