/*
 * cstore.h - the central service's store: one narrow, domain-level interface.
 *
 * Everything the HTTP layer and the command line need from the database goes
 * through these functions; none of them exposes SQL or SQLite types, so a
 * PostgreSQL backend can be added behind the same interface.
 *
 * The SQLite backend keeps one file, DIR/central.db (WAL, synchronous=FULL,
 * foreign keys, busy timeout). A struct cstore may be shared by threads:
 * each thread gets its own connection, opened on first use and closed by
 * cstore_close(). Writers use BEGIN IMMEDIATE, so the server sequence of the
 * change feed increases in commit order.
 *
 * Results: VP_OK; VP_ERR_NOT_FOUND (no such thing); VP_ERR_AUTH (bad code,
 * token or password); VP_ERR_REFUSED (the caller may not touch that: another
 * location's data, a coach not assigned); VP_ERR_INVALID (a domain rule);
 * VP_ERR_EXISTS (a name or email that must be unique is taken);
 * VP_ERR_BUSY/FULL/IO/CORRUPT (storage; nothing was changed).
 *
 * Privacy rule (enforced only here, in cstore_child_view()): a coach gets a
 * child's first name and birth month only when the child's case records
 * consent "given" for a named consultation. Every coach-facing function that
 * names a child builds it through that one function.
 */
#ifndef CSTORE_H
#define CSTORE_H
#include "cexport.h"
#include "vp_buf.h"
#include "vp_error.h"
#include "vp_uuid.h"
#include "vp_envelope.h"
#include "vp_wire.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define CSTORE_SCHEMA_VERSION 1
#define CSTORE_CODE_CHARS     12 /* Crockford base32: 60 bits */
#define CSTORE_CODE_LEN       15 /* "ABCD-EFGH-JKMN" and a NUL */
#define CSTORE_TOKEN_LEN      44 /* 43 base64url characters and a NUL */
#define CSTORE_CODE_DAYS      7
#define CSTORE_NAME_LEN       VP_TEXT_BYTES(80)

/* The key of the enrolment-code hashes: a file in the data folder (0600),
 * made at first start. Without it, stored codes cannot be checked. */
#define CSTORE_CODE_KEY_FILE "enroll-code.key"

struct cstore;

/* Opens (creating if needed) DIR/central.db and brings its schema up to date.
 * VP_ERR_TOO_NEW if a newer program wrote it; VP_ERR_CORRUPT if it is not a
 * database. *out is freed with cstore_close(). */
vp_result cstore_open(const char *dir, struct cstore **out);
/* Closes every thread's connection. No other thread may use st any more. */
void cstore_close(struct cstore *st);
/* The server epoch (a UUID, new after a restore). Borrowed, lives with st. */
const char *cstore_epoch(const struct cstore *st);
/* The signal catalog used to validate observations. Borrowed. */
const struct vp_catalog *cstore_catalog(const struct cstore *st);

/* The erasure log in the data folder (cstore_erasure.c): one line per erased
 * child, "TIME<TAB>CHILD_ID<TAB>LOCATION_ID", never a name. It is written in
 * the same step as the erasure (flushed before it commits), is not part of
 * any backup, and cstore_restore() applies it again. */
#define CSTORE_ERASURE_LOG     "erasures.log"
#define CSTORE_BACKUP_NAME_LEN 32 /* "central-YYYYMMDDTHHMMSSZ.db" and a NUL */

/* Copies the live database to file (SQLite online backup; the server may
 * run). The file is made with mode 0600: it holds first names. */
vp_result cstore_backup(struct cstore *st, const char *file);
/* A dated backup in dir (made 0700 if missing): writes name (UTC time of
 * now_ms, "central-20261124T091400Z.db") through a temporary file and a
 * rename, so a file with such a name is always whole; copies the erasure
 * log next to it; then deletes the oldest dated backups beyond the newest
 * keep (keep 0: deletes none). Other files in dir are left alone. */
vp_result cstore_backup_dated(struct cstore *st, const char *dir, int keep, int64_t now_ms,
                              char name[CSTORE_BACKUP_NAME_LEN]);
/* Replaces the database in dir by the backup in file, erases again every
 * child in the erasure log of dir (and in an erasures.log next to file, whose
 * lines are added to dir's log) that the backup still holds, and gives it a
 * new epoch (devices then reset their cursors and push what they still hold),
 * all in one transaction after the copy. *erased_again (may be NULL) counts
 * those children.
 * The service must be stopped. VP_ERR_CORRUPT/TOO_NEW if file is not a usable
 * backup; on any failure run it again before starting the service. */
vp_result cstore_restore(const char *dir, const char *file, int *erased_again);

/* ---- locations and enrolment ---- */

struct cstore_location {
    char id[VP_UUID_LEN];
    char name[CSTORE_NAME_LEN];
    char org[CSTORE_NAME_LEN];
};

/* Adds a location and publishes its settings and the current catalog in its
 * change feed. */
vp_result cstore_location_add(struct cstore *st, const char *name, const char *org,
                              struct cstore_location *out);
vp_result cstore_location_get(struct cstore *st, const char *id, struct cstore_location *out);
/* The location with this name in this org; VP_ERR_NOT_FOUND if none. */
vp_result cstore_location_find(struct cstore *st, const char *name, const char *org,
                               struct cstore_location *out);
/* Publishes a child, group or staff revision in a location's feed as if a
 * tablet of that location had pushed it (used by demo). */
vp_result cstore_location_seed(struct cstore *st, const char *location_id,
                               const struct vp_record *rec, int64_t now_ms);

/* A new one-time enrolment code for the location, valid CSTORE_CODE_DAYS from
 * now_ms: 12 random Crockford base32 characters (60 bits) shown as three
 * groups of four, "ABCD-EFGH-JKMN". Only its keyed hash is stored. */
vp_result cstore_enroll_code_new(struct cstore *st, const char *location_id, int64_t now_ms,
                                 char code[CSTORE_CODE_LEN]);
/* Normalises typed code text into its 12 characters: dashes and spaces are
 * ignored, case does not matter, O reads as 0 and I/L as 1. False if it
 * cannot be a code (a wrong length or another character). */
bool cstore_code_normalise(const char *text, char out[CSTORE_CODE_CHARS + 1]);

struct cstore_device {
    char id[VP_UUID_LEN];
    char location_id[VP_UUID_LEN];
    char name[CSTORE_NAME_LEN];
};

/* Uses a code: VP_ERR_AUTH if unknown, VP_ERR_REFUSED if used or expired.
 * On success the device exists and token holds its secret (stored hashed). */
vp_result cstore_device_enroll(struct cstore *st, const char *code, const char *device_name,
                               int64_t now_ms, struct cstore_device *dev,
                               struct cstore_location *loc, char token[CSTORE_TOKEN_LEN]);
/* The device of a bearer token; VP_ERR_AUTH if unknown or revoked. */
vp_result cstore_device_auth(struct cstore *st, const char *token, struct cstore_device *out);
vp_result cstore_device_revoke(struct cstore *st, const char *device_id);

/* ---- push and pull ---- */

/* One pushed record. The caller sets id, valid, rec and hash (or valid =
 * false and a reason); cstore_push() sets status and, when needed, reason. */
struct cstore_item {
    char id[VP_UUID_LEN];
    bool valid;
    struct vp_record rec;
    char hash[VP_HASH_HEX_LEN];
    enum vp_push_status status; /* the one status enum of the wire (vp_envelope.h) */
    char reason[VP_TEXT_BYTES(VP_REASON_MAX_CHARS)];
};

/* Applies the records in order in one transaction and commits durably.
 * VP_ERR_REFUSED (nothing applied) if a record names an entity or record id
 * of another location; *bad_index then says which. Invalid items are
 * rejected and the others applied. */
vp_result cstore_push(struct cstore *st, const struct cstore_device *dev, struct cstore_item *items,
                      size_t n, int64_t now_ms, size_t *bad_index);

/* Appends to out a JSON array of the location's changes after the cursor
 * since ("" = from the start), at most limit, in feed order; sets next (the
 * cursor to send next time: since itself if nothing came) and *more. The
 * cursor is opaque to devices (vp_envelope.h); this backend's is the decimal
 * change sequence. VP_ERR_INVALID for a cursor this backend never gave. */
vp_result cstore_pull(struct cstore *st, const char *location_id, const char *since, int limit,
                      struct vp_buf *out, char next[VP_CURSOR_MAX], bool *more);

/* Keeps the newest heartbeat of a device (and when it came, by the
 * server's clock: the device's last contact). */
vp_result cstore_device_heartbeat(struct cstore *st, const char *device_id,
                                  const struct vp_heartbeat *hb, int64_t now_ms);

/* ---- coaches, sessions, audit ---- */

struct cstore_coach {
    char id[VP_UUID_LEN];
    char email[256];
    char name[CSTORE_NAME_LEN];
};

/* Adds a coach (argon2id hash of password) or, when the email exists, sets
 * her name and password. Locations are assigned (added to existing ones). */
vp_result cstore_coach_add(struct cstore *st, const char *email, const char *name,
                           const char *password, const char *const *location_ids, size_t nloc,
                           struct cstore_coach *out);
/* Checks a password; VP_ERR_AUTH for an unknown email or a wrong password
 * (the same time is spent either way). */
vp_result cstore_coach_login(struct cstore *st, const char *email, const char *password,
                             struct cstore_coach *out);
/* True if the coach is assigned to the location. */
bool cstore_coach_may(struct cstore *st, const char *coach_id, const char *location_id);

/* What an id in a request names (the route table's scope, chttp.h). */
enum cstore_kind {
    CSTORE_KIND_LOCATION = 1,
    CSTORE_KIND_CHILD,
    CSTORE_KIND_SIGNAL, /* an observation record's id */
    CSTORE_KIND_DEVICE,
    CSTORE_KIND_COACH /* another coach's account, acted on by an admin */
};

/* THE scope rule: may this coach act on the thing with this id? VP_OK;
 * VP_ERR_NOT_FOUND if there is no such thing; VP_ERR_REFUSED if it lies
 * outside her locations. A location, child, signal or device is hers when
 * its location is assigned to her. A coach account (CSTORE_KIND_COACH) is
 * hers to change, reset or deactivate only when it is not her own and every
 * location assigned to it is assigned to her (cstore_coach_may_manage()).
 * Admin routes use the same rule: an admin acts only within her locations.
 * loc (may be NULL) gets the thing's location ("" for a coach). Every store
 * function keeps its own check too (defence in depth). */
vp_result cstore_coach_scope(struct cstore *st, const char *coach_id, enum cstore_kind kind,
                             const char *id, char loc[VP_UUID_LEN]);
/* The admin rule for accounts: admin_id may change target_id (its locations,
 * admin flag, password, active state) only if target_id is another coach
 * whose locations are all admin_id's. VP_ERR_NOT_FOUND for an unknown
 * target, VP_ERR_REFUSED otherwise. (Whether admin_id is an admin at all is
 * the route's access rule.) */
vp_result cstore_coach_may_manage(struct cstore *st, const char *admin_id, const char *target_id);
/* JSON array of {"id","name","org"} of the coach's locations (new reference). */
vp_result cstore_coach_locations(struct cstore *st, const char *coach_id, json_t **out);

#define CSTORE_SID_LEN 44

struct cstore_session {
    char csrf[CSTORE_SID_LEN];
    int64_t created_ms;
    int64_t last_seen_ms;
};

/* A new session: sid (the cookie value) and csrf are random; only a hash of
 * sid is stored. */
vp_result cstore_session_new(struct cstore *st, const char *coach_id, int64_t now_ms,
                             char sid[CSTORE_SID_LEN], struct cstore_session *out);
/* The session's coach, if the session exists and is within idle_ms of its
 * last use and abs_ms of its start (it is touched); VP_ERR_AUTH otherwise
 * (an expired session is deleted). */
vp_result cstore_session_get(struct cstore *st, const char *sid, int64_t now_ms, int64_t idle_ms,
                             int64_t abs_ms, struct cstore_session *sess,
                             struct cstore_coach *coach);
vp_result cstore_session_end(struct cstore *st, const char *sid);

/* Writes one audit entry. coach_id, child_id, location_id, detail may be NULL. */
vp_result cstore_audit(struct cstore *st, const char *coach_id, const char *action,
                       const char *child_id, const char *location_id, const char *detail,
                       const char *ip, int64_t now_ms);

/* ---- the coach's work (every call checks the coach's locations) ---- */

struct cstore_filter {
    const char *location_id; /* NULL: all of the coach's locations */
    const char *child_id;    /* NULL: all children */
    const char *status;      /* case status code or NULL */
    int min_level;           /* 0: any */
    int64_t since_ms;        /* received at or after; 0: any */
    int limit;               /* 1..1000 */
};

/* Cases (one per child with signals) visible to the coach, as a JSON array. */
vp_result cstore_cases_list(struct cstore *st, const char *coach_id, const struct cstore_filter *f,
                            int64_t now_ms, json_t **out);

/* The child as a coach may see it: {"child_id","pseudonym","age_months",
 * "group","location_id","location","named"} plus "first_name" and
 * "birth_month" only with recorded consent. NULL coach_id = operator. */
vp_result cstore_child_view(struct cstore *st, const char *child_id, int64_t now_ms, json_t **out);

/* The child's dossier: child view, case, signals (amended ones with their
 * earlier versions in "earlier"), advice. VP_ERR_REFUSED if
 * the child is not in one of the coach's locations. Audited ("view"). */
vp_result cstore_dossier(struct cstore *st, const char *coach_id, const char *child_id,
                         const char *ip, int64_t now_ms, json_t **out);

/* A change to a case; NULL fields stay as they are. Codes are checked. */
struct cstore_case_edit {
    const char *status;       /* vp_case_status names */
    const char *consent;      /* unknown asked given refused withdrawn */
    const char *parent_talk;  /* not_planned planned held */
    const char *consultation; /* none anonymous named (named needs consent given) */
    const char *referred_to;  /* jgz cmd school gp speech other "" */
    const char
        *closed_reason; /* care_lapsed support_elsewhere parents_declined child_left other "" */
    const char *next_action; /* up to 200 characters */
    const char *next_action_owner;
    const char *next_action_due; /* YYYY-MM-DD or "" */
    const char *follow_up_date;  /* YYYY-MM-DD or "" */
};

/* Updates the case, publishes a "case" change to the child's location and
 * audits it; *out is the new case (JSON). VP_ERR_INVALID with a reason in
 * why (if not NULL) when a code or rule does not hold. */
vp_result cstore_case_update(struct cstore *st, const char *coach_id, const char *child_id,
                             const struct cstore_case_edit *edit, const char *ip, int64_t now_ms,
                             json_t **out, const char **why);
/* Adds advice (publishes an "advice" change and an updated "case"). */
vp_result cstore_advice_add(struct cstore *st, const char *coach_id, const char *child_id,
                            const char *text, const char *ip, int64_t now_ms, json_t **out);
/* Erases the child at the centre and publishes an "erase" change. Audited. */
vp_result cstore_child_erase(struct cstore *st, const char *coach_id, const char *child_id,
                             const char *ip, int64_t now_ms);

enum cstore_export_kind { CSTORE_EXPORT_SIGNALS, CSTORE_EXPORT_CASES };
/* CSV (header line first) of signals or cases for the coach's locations (or
 * one location; coach_id NULL = operator, all locations). Audited. */
vp_result cstore_export(struct cstore *st, const char *coach_id, enum cstore_export_kind kind,
                        const char *location_id, const char *ip, int64_t now_ms,
                        struct vp_buf *csv);
/* The same rows in a format: CEXPORT_CODES is cstore_export()'s CSV (codes,
 * UTC, the machine-readable export); CEXPORT_NL_CSV and CEXPORT_XLSX are
 * for people (cexport.h: words in lang, Dutch local time). Audited with the
 * format. */
vp_result cstore_export_as(struct cstore *st, const char *coach_id, enum cstore_export_kind kind,
                           enum cexport_format fmt, enum vp_lang lang, const char *location_id,
                           const char *ip, int64_t now_ms, struct vp_buf *out);

/* ---- retention (cstore_retention.c) ---- */

#define CSTORE_SIGNAL_DAYS 365 /* unlinked signals */
#define CSTORE_CASE_DAYS   730 /* case files after closing */

struct cstore_purge_stats {
    int64_t signals; /* signals removed (with all their versions) */
    int64_t cases;   /* closed case files removed */
};

/* Removes unlinked signals last changed more than signal_days ago and closed
 * case files closed more than case_days ago, in one transaction, audited.
 * VP_ERR_INVALID for a period under one day. */
vp_result cstore_purge(struct cstore *st, int64_t now_ms, int64_t signal_days, int64_t case_days,
                       struct cstore_purge_stats *out);

#endif
