/*
 * devstore.h - the tablet's own data, in one SQLite file (kiosk.db).
 *
 * Everything the kiosk needs to work offline lives here: this device's
 * enrolment, groups, children, staff, the signal catalog, observations, the
 * outbox of records waiting to be pushed, the coach's advice and case
 * status, the sync state and settings. No SQL exists outside app/store/.
 *
 * Threads: one struct devstore per thread (the UI thread and the sync thread
 * each open their own). The file is in WAL mode with synchronous=FULL, so a
 * function that returned VP_OK has committed durably: power loss cannot take
 * it back. Every writer uses BEGIN IMMEDIATE and waits up to 5 s for the lock.
 *
 * Errors: every function returns a vp_result. On any error nothing was
 * changed (each call is one transaction). VP_ERR_FULL means the disk or
 * database is full, VP_ERR_CORRUPT a damaged file, VP_ERR_TOO_NEW a file
 * from a newer version (refused; the file is left untouched),
 * VP_ERR_CONSTRAINT a rule of the data (unknown group, duplicate id),
 * VP_ERR_INVALID bad input (empty name, PIN of the wrong length).
 *
 * Ownership: out-structs are caller-owned; lists returned through a
 * `**out` pointer are malloc'ed arrays the caller frees with free().
 */
#ifndef DEVSTORE_H
#define DEVSTORE_H
#include "vp_catalog.h"
#include "vp_error.h"
#include "vp_envelope.h"
#include "vp_wire.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct devstore;

#define DEVSTORE_SCHEMA_VERSION 3
#define DEV_URL_MAX             256
#define DEV_TOKEN_MAX           64
#define DEV_PATH_MAX            512
#define DEV_REASON_MAX          256
#define DEV_PIN_MIN             4
#define DEV_PIN_MAX             6
#define DEV_LOCKOUT_ATTEMPTS    5
#define DEV_LOCKOUT_MS          60000

/* ---- open and close ---- */

/* Opens (creating if needed) the store at path and applies pending schema
 * migrations, each in its own transaction. A new store gets the default
 * catalog and default settings. On error *out is NULL and the file is as
 * it was. */
vp_result devstore_open(const char *path, struct devstore **out);
void devstore_close(struct devstore *s);

/* The schema version of the open file (PRAGMA user_version). */
int devstore_schema_version(struct devstore *s);

/* For tests of full disks: caps the file at max_pages pages. */
vp_result devstore_limit_pages(struct devstore *s, int64_t max_pages);

/* Runs PRAGMA integrity_check; VP_OK only if it says "ok". */
vp_result devstore_check_integrity(struct devstore *s);

/* ---- this device ---- */

struct dev_device {
    bool enrolled;
    char device_id[VP_UUID_LEN];
    char device_name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    char location_id[VP_UUID_LEN];
    char location_name[VP_TEXT_BYTES(80)];
    char org_name[VP_TEXT_BYTES(80)];
    char server_url[DEV_URL_MAX];
    char token[DEV_TOKEN_MAX];
    char cafile[DEV_PATH_MAX]; /* "" = system CAs */
    char pinned_key[128];      /* curl "sha256//..." or "" */
    bool setup_done;           /* first-start flow finished (enrolled or "later") */
};

vp_result devstore_device_get(struct devstore *s, struct dev_device *out);
/* Stores a successful enrolment. The server epoch goes to the sync state. */
vp_result devstore_device_enrol(struct devstore *s, const struct dev_device *dev,
                                const char *server_epoch);
/* Forgets the token (after a 401): the device must be enrolled again.
 * Records stay in the outbox. */
vp_result devstore_device_forget_token(struct devstore *s);
/* Marks the first-start flow as finished (e.g. "later": no network here). */
vp_result devstore_device_set_setup_done(struct devstore *s, bool done);

/* ---- settings (small key/value pairs) ---- */

/* Known keys: "autolock_seconds" (90), "language" ("nl"), "retention_days"
 * (30), "safety_contact" (""), "sync_interval_seconds" (60). */
vp_result devstore_setting_get_int(struct devstore *s, const char *key, int64_t fallback,
                                   int64_t *out);
vp_result devstore_setting_set_int(struct devstore *s, const char *key, int64_t value);
/* Copies the text into out (size bytes); fallback if unset. */
vp_result devstore_setting_get_text(struct devstore *s, const char *key, const char *fallback,
                                    char *out, size_t size);
vp_result devstore_setting_set_text(struct devstore *s, const char *key, const char *value);

/* ---- groups ---- */

struct dev_group {
    char id[VP_UUID_LEN];
    char name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    bool archived;
};

/* Each change also queues a group revision record for the server. */
vp_result devstore_group_add(struct devstore *s, const char *name, char id_out[VP_UUID_LEN]);
vp_result devstore_group_update(struct devstore *s, const char *group_id, const char *name,
                                bool archived);
/* Groups sorted by name. */
vp_result devstore_groups(struct devstore *s, bool include_archived, struct dev_group **out,
                          size_t *n);

/* ---- children ---- */

struct dev_child {
    char id[VP_UUID_LEN];
    char group_id[VP_UUID_LEN];
    char first_name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    char birth_month[8]; /* YYYY-MM */
    char pseudonym[VP_PSEUDONYM_LEN];
    bool archived;
    int unread_advice; /* advice from the coach not yet marked read */
};

/* Adds a child with a fresh pseudonym ("K-7F3A"). birth_month is YYYY-MM and
 * not in the future; the group must exist and not be archived. */
vp_result devstore_child_add(struct devstore *s, const char *group_id, const char *first_name,
                             const char *birth_month, char id_out[VP_UUID_LEN]);
vp_result devstore_child_update(struct devstore *s, const char *child_id, const char *group_id,
                                const char *first_name, const char *birth_month, bool archived);
vp_result devstore_child_get(struct devstore *s, const char *child_id, struct dev_child *out);
/* Children of one group (or all if group_id is NULL), sorted by first name. */
vp_result devstore_children(struct devstore *s, const char *group_id, bool include_archived,
                            struct dev_child **out, size_t *n);

/* ---- staff ---- */

struct dev_staff {
    char id[VP_UUID_LEN];
    char display_name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    enum vp_role role;
    bool archived;
    int failed_attempts;
    int64_t locked_until_ms; /* wall-clock ms; 0 = not locked */
};

/* True if pin is 4-6 digits. */
bool devstore_pin_format_ok(const char *pin);
/* Adds a staff member; the PIN is hashed (argon2id) and only the hash kept. */
vp_result devstore_staff_add(struct devstore *s, const char *display_name, enum vp_role role,
                             const char *pin, char id_out[VP_UUID_LEN]);
vp_result devstore_staff_update(struct devstore *s, const char *staff_id, const char *display_name,
                                enum vp_role role, bool archived);
/* A manager resets a PIN; this also clears a lockout. */
vp_result devstore_staff_set_pin(struct devstore *s, const char *staff_id, const char *pin);
vp_result devstore_staff_get(struct devstore *s, const char *staff_id, struct dev_staff *out);
/* Staff sorted by name. */
vp_result devstore_staff(struct devstore *s, bool include_archived, struct dev_staff **out,
                         size_t *n);
/* Checks a PIN at wall-clock time now_ms. VP_OK and the failure count is
 * reset; VP_ERR_AUTH when wrong (the fifth wrong attempt in a row locks the
 * member out for DEV_LOCKOUT_MS); VP_ERR_LOCKED_OUT while locked (the PIN is
 * not even checked). *locked_until_ms (optional) tells until when. */
vp_result devstore_staff_unlock(struct devstore *s, const char *staff_id, const char *pin,
                                int64_t now_ms, int64_t *locked_until_ms);

/* ---- catalog ---- */

/* The current catalog (caller releases it with vp_catalog_release()). */
vp_result devstore_catalog(struct devstore *s, struct vp_catalog *out);
/* Replaces the catalog if version is newer than the current one. */
vp_result devstore_catalog_replace(struct devstore *s, const char *json, int64_t version);

/* ---- signals (devstore_signal.c; docs/sync.md draws the state machine) ----
 *
 * A signal is one thing with versions. Its identity is its first record's
 * id (signal_id); corrections and a retraction are later versions with the
 * same signal_id, in id order. Whether a change is written in place or as a
 * new version depends on whether ANY version may have left the tablet (ever
 * frozen into a batch -- a mark an epoch requeue keeps --, in flight,
 * acknowledged or quarantined), never on the latest record's state alone.
 *
 * The settle window: a version written with hold = true is durable at once
 * but not offered to the sync worker until it settles: at
 * devstore_signals_settle() (the person left the signal screen, the tablet
 * locked, "Nu synchroniseren", start-up) or DEV_SETTLE_MS after it was
 * written, whichever is first. Until then amend and undo find it "never
 * left" and change it in place. */

#define DEV_SETTLE_MS 120000 /* two minutes after the last edit */

/* Records a new signal and queues it, in one durable transaction. The
 * caller fills child_id, staff_id, signals, level and any extras; the store
 * sets id, signal_id (= id), device_time_ms and catalog_version (and writes
 * them back into *obs). Checks: child and staff exist, level 1-3, signals
 * known in the catalog, named consultation only with consent confirmed, the
 * note's token rule (vp_note_valid). */
vp_result devstore_signal_record(struct devstore *s, struct vp_observation *obs, bool hold);
/* The same, settled at once (tools, tests, imports). */
vp_result devstore_observation_record(struct devstore *s, struct vp_observation *obs);

/* Changes the signal that id names (its signal_id or any version's id) to
 * the content of *obs (same child). If its latest version never left, that
 * version is changed in place (same id and time); otherwise a correction
 * naming it is added. *out (optional) gets the version as stored.
 * VP_ERR_NOT_FOUND if the signal is unknown or undone. */
vp_result devstore_signal_amend(struct devstore *s, const char *id,
                                const struct vp_observation *obs, bool hold,
                                struct vp_observation *out);

/* "Ongedaan maken" of the signal id names: if no version ever left, every
 * version is deleted; else if the latest never left, it is replaced in
 * place by a retraction naming the version before it; else a retraction
 * naming the latest is added. VP_ERR_NOT_FOUND if unknown or undone. */
vp_result devstore_signal_undo(struct devstore *s, const char *id, const char *staff_id, bool hold);

/* The signal's latest version; VP_ERR_NOT_FOUND if unknown or undone. */
vp_result devstore_signal_get(struct devstore *s, const char *id, struct vp_observation *out);

/* Settles every held version now: they are offered to the next batch. */
vp_result devstore_signals_settle(struct devstore *s);
/* When the earliest hold of a version not yet sent ends (wall-clock ms; it
 * may have passed: then the worker has something to send now), or 0 if
 * none. A hold further away than twice DEV_SETTLE_MS (the clock went back)
 * counts as settled already. */
vp_result devstore_signals_next_settle(struct devstore *s, int64_t *at_ms);

/* One version, by its record id. */
vp_result devstore_observation_get(struct devstore *s, const char *id, struct vp_observation *out);

struct dev_obs_item {
    struct vp_observation obs;
    char staff_name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
};

/* The child's signals, newest signal first, each once as its latest
 * version; undone signals are left out. At most limit items. */
vp_result devstore_child_observations(struct devstore *s, const char *child_id, size_t limit,
                                      struct dev_obs_item **out, size_t *n);

/* ---- names in notes (devstore_note.c) ----
 *
 * A note is stored with each whole-word, case-sensitive match of a child's
 * first name (any child of this location) as the token {child:UUID}; the
 * tablet shows tokens as the first name again. The person sees every
 * replacement and may keep a name (names that are also words: Roos, Ben).
 * about_child (may be NULL) is the child the signal is about: where two
 * children share a first name, the token names that child. */

struct dev_note_name {
    char name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)]; /* as typed */
    char child_id[VP_UUID_LEN];                  /* "" for a staff member */
};

/* The names of this location's children and staff members (first word of
 * the display name) in typed, each once, in the order they occur. */
vp_result devstore_note_names(struct devstore *s, const char *typed, const char *about_child,
                              struct dev_note_name **out, size_t *n);
/* Builds the note to store from what the person typed (at most
 * VP_NOTE_MAX_CHARS characters): children's names become tokens, except
 * the names in keep; typed "{" and "}" become "(" and ")". VP_ERR_INVALID
 * if typed is too long or names more than VP_NOTE_MAX_TOKENS children. */
vp_result devstore_note_encode(struct devstore *s, const char *typed, const char *about_child,
                               const char *const *keep, size_t nkeep, char *out, size_t size);
/* The note as the tablet shows it: each token becomes the child's first
 * name ("…" for a child no longer here). */
void devstore_note_decode(struct devstore *s, const char *note, char *out, size_t size);

/* ---- advice and case status from the coach ---- */

struct dev_advice {
    char id[VP_UUID_LEN];
    char child_id[VP_UUID_LEN];
    char text[VP_TEXT_BYTES(2000)];
    char author[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    int64_t created_ms;
    int64_t read_ms; /* 0 = unread */
};

/* The child's advice, newest first. */
vp_result devstore_child_advice(struct devstore *s, const char *child_id, struct dev_advice **out,
                                size_t *n);
/* The child's case as the coach last set it; VP_ERR_NOT_FOUND if none. */
vp_result devstore_child_case(struct devstore *s, const char *child_id, struct vp_case *out);
/* Marks advice read (once) and queues a read receipt for the coach. */
vp_result devstore_advice_mark_read(struct devstore *s, const char *advice_id,
                                    const char *staff_id);

/* ---- outbox (used by the sync worker) ---- */

/* `pending` counts records the worker can send now (records still settling
 * are not in it: it would find nothing to send in them). What a person is
 * told counts signals, and a signal still settling is waiting too: it has
 * not reached the coach (issue 9: "count as waiting everywhere"). */
struct dev_outbox_stats {
    int64_t pending;           /* settled records waiting to be sent (includes in flight) */
    int64_t in_flight;         /* frozen in a batch, outcome not yet known */
    int64_t quarantined;       /* refused by the server; needs a person */
    int64_t acked;             /* on the server, still kept here */
    int64_t oldest_pending_ms; /* creation time of the oldest waiting record, settling or
                                  not; 0 if none */
    int64_t pending_signals;   /* signals (not records) with a version waiting, settling
                                  or not: the sync line's "3 signalen wachten" */
    int64_t unsettled_signals; /* of those, signals with a version still settling */
};
vp_result devstore_outbox_stats(struct devstore *s, struct dev_outbox_stats *out);

/* A frozen batch: the request body and the ids in it, in creation order. */
struct dev_batch {
    char id[VP_UUID_LEN];
    size_t count;
    char (*record_ids)[VP_UUID_LEN];
    char *body; /* {"records":[...]} */
    size_t body_len;
};

/* Returns the batch that is still in flight if there is one (a retry sends
 * the same records), else freezes up to max_records pending, settled
 * records (and at most max_bytes of body, but always at least one) into a
 * new batch; each frozen record is marked as having left for good.
 * count == 0 means there is nothing to send. Release with
 * devstore_batch_release(). */
vp_result devstore_batch_take(struct devstore *s, size_t max_records, size_t max_bytes,
                              struct dev_batch *out);
void devstore_batch_release(struct dev_batch *b);

struct dev_push_result {
    const char *id;
    enum vp_push_status status;
    const char *reason; /* for conflict and rejected; may be NULL */
};

/* Applies the server's answer to a batch in one transaction: stored and
 * duplicate become acknowledged, conflict and rejected go to quarantine with
 * their reason. Records of the batch without a result go back to pending.
 * Results for ids not in the batch are ignored. */
vp_result devstore_batch_finish(struct devstore *s, const char *batch_id,
                                const struct dev_push_result *results, size_t n, int64_t now_ms);

struct dev_quarantined {
    char id[VP_UUID_LEN];
    char type[16];
    char reason[DEV_REASON_MAX];
    int64_t created_ms;
};
vp_result devstore_quarantined(struct devstore *s, struct dev_quarantined **out, size_t *n);

/* After a new server epoch: every record still held (acknowledged or in
 * flight) becomes pending again and the pull cursor is reset to 0. */
vp_result devstore_outbox_requeue_all(struct devstore *s, const char *new_epoch);

/* Retention: deletes acknowledged observations (and their outbox rows)
 * acknowledged before cutoff_ms. Nothing unacknowledged is ever purged.
 * *purged (optional) gets the count. */
vp_result devstore_purge_acknowledged(struct devstore *s, int64_t cutoff_ms, int64_t *purged);

/* ---- pull ---- */

/* Applies a page of changes and stores the new cursor (opaque text from the
 * server, vp_cursor_valid(); VP_ERR_INVALID otherwise), in one transaction.
 * Entity revisions are not applied over a local revision of the same entity
 * that is still waiting to be pushed. An erase purges the child and every
 * record about it, pending ones included. */
vp_result devstore_apply_changes(struct devstore *s, const struct vp_change *changes, size_t n,
                                 const char *next_cursor);

/* ---- sync state ---- */

struct dev_sync_state {
    char cursor[VP_CURSOR_MAX]; /* opaque, from the server; "" = from the start */
    char server_epoch[VP_UUID_LEN];
    int64_t last_attempt_ms;
    int64_t last_success_ms;
    vp_result last_error;                 /* VP_OK if the last attempt succeeded */
    char last_error_text[DEV_REASON_MAX]; /* plain sentence (current language) */
    int64_t last_server_time_ms;          /* for showing clock skew */
};
vp_result devstore_sync_state(struct devstore *s, struct dev_sync_state *out);
/* This tablet's health for the centre (protocol 2 heartbeat): everything
 * but app_version and device_time_ms, which the caller sets. */
vp_result devstore_heartbeat(struct devstore *s, struct vp_heartbeat *out);
vp_result devstore_sync_success(struct devstore *s, int64_t now_ms, int64_t server_time_ms);
vp_result devstore_sync_failure(struct devstore *s, int64_t now_ms, vp_result err,
                                const char *text);

#endif
