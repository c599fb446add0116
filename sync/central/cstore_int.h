/*
 * cstore_int.h - what the SQLite backend's files share (not part of the
 * store interface). SQL lives in the cstore_*.c files, next to the code that
 * runs it, as static strings prepared once per connection.
 */
#ifndef CSTORE_INT_H
#define CSTORE_INT_H
#include "cstore.h"
#include "vp_buf.h"
#include "vp_catalog.h"
#include <pthread.h>
#include <sqlite3.h>

#define CCONN_CACHE 256

/* One thread's connection with its prepared-statement cache (keyed by the
 * address of the static SQL text). */
struct cconn {
    sqlite3 *db;
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cache[CCONN_CACHE];
    struct cconn *next;
    sqlite3 *broken_db;          /* in memory, only for broken_stmt */
    sqlite3_stmt *broken_stmt;   /* what cst_prep() returns when it cannot prepare */
    pthread_mutex_t *write_lock; /* the store's: writers queue in order, not in busy sleeps */
    bool writing;                /* this connection holds write_lock */
};

struct cstore {
    char *dir;
    char *path;
    pthread_key_t key;
    pthread_mutex_t lock; /* guards conns */
    struct cconn *conns;
    pthread_mutex_t write_lock;
    char epoch[VP_UUID_LEN];
    struct vp_catalog catalog;
    unsigned char code_key[32]; /* keys the enrolment-code hashes (DIR/CSTORE_CODE_KEY_FILE) */
};

/* The calling thread's connection; NULL with *res set if it cannot open. */
struct cconn *cst_conn(struct cstore *st, vp_result *res);
/* A cached statement, reset and unbound. The SQL is static text: a prepare
 * failure is a bug (or a broken database); it is logged and a statement
 * that fails when stepped is returned, so the request fails (500) and the
 * service goes on. Never NULL. */
sqlite3_stmt *cst_prep(struct cconn *c, const char *sql);
vp_result cst_begin(struct cconn *c); /* BEGIN IMMEDIATE */
vp_result cst_commit(struct cconn *c);
void cst_rollback(struct cconn *c);
vp_result cst_exec(struct cconn *c, const char *sql);
/* Copies the WAL into the database and truncates it to zero bytes, so what
 * was just deleted (secure_delete zeroes it in the database) is not left in
 * old log pages either. Call after the commit of an erasure; waits for
 * this process's writers and at most the busy timeout for other readers.
 * A failure is logged: the log is emptied by a later erasure or checkpoint. */
vp_result cst_checkpoint(struct cconn *c);
/* Maps a SQLite result code to a vp_result (logging unexpected ones). */
vp_result cst_result(struct cconn *c, int rc);
/* Steps a statement that returns no rows. */
vp_result cst_done(struct cconn *c, sqlite3_stmt *s);

void cst_bind_text(sqlite3_stmt *s, int i, const char *text); /* NULL binds null */
void cst_bind_int(sqlite3_stmt *s, int i, int64_t v);
/* Column text, "" for NULL. Valid until the next step/reset. */
const char *cst_col(sqlite3_stmt *s, int i);
int64_t cst_col_int(sqlite3_stmt *s, int i);

/* Hex BLAKE2b-256 of a random secret of 256 bits (tokens, session ids):
 * nobody can guess one, so an unkeyed fast hash is enough. */
void cst_secret_hash(const char *secret, char out[VP_HASH_HEX_LEN]);
/* Hex keyed BLAKE2b-256 of a normalised enrolment code. A code has only 60
 * bits, so its hash is keyed with the store's secret key: a copy of the
 * database alone does not let anyone search for the codes. */
void cst_code_hash(const struct cstore *st, const char *code, char out[VP_HASH_HEX_LEN]);
/* 32 random bytes as base64url without padding. */
void cst_random_token(char out[CSTORE_TOKEN_LEN]);

/* Appends a change to a location's feed. entity_id (may be NULL) lets a newer
 * change of the same type and entity replace the older one. body is the
 * change's JSON without "seq" (borrowed). */
vp_result cst_feed_add(struct cconn *c, const char *location_id, const char *type,
                       const char *entity_id, json_t *body, int64_t now_ms);
/* Publishes the child's case as a "case" change. */
vp_result cst_feed_case(struct cconn *c, const char *child_id, int64_t now_ms);

/* Whether the coach may see the location (assignment). */
bool cst_coach_may(struct cconn *c, const char *coach_id, const char *location_id);
/* cstore_coach_scope() and cstore_coach_may_manage() on a connection (inside
 * a transaction, say). coach_id NULL is the operator: allowed. */
vp_result cst_coach_scope(struct cconn *c, const char *coach_id, enum cstore_kind kind,
                          const char *id, char loc[VP_UUID_LEN]);
vp_result cst_coach_may_manage(struct cconn *c, const char *admin_id, const char *target_id);
/* Hashes a coach's password (argon2id, interactive limits; slow: call it
 * outside a transaction). VP_ERR_INVALID if shorter than 8 bytes. */
vp_result cst_coach_hash(const char *password, char *hash, size_t size);
/* Inserts a new coach account with a hash from cst_coach_hash(), inside
 * the caller's transaction. VP_ERR_EXISTS if the email is taken,
 * VP_ERR_INVALID for a bad email or name. */
vp_result cst_coach_insert(struct cconn *c, const char *email, const char *name, const char *hash,
                           int64_t now_ms, struct cstore_coach *out);
/* Adds a location and publishes its settings and the catalog, inside the
 * caller's transaction. VP_ERR_EXISTS if org already has a location of
 * that name; VP_ERR_INVALID for a bad name or org. */
vp_result cst_location_add(struct cconn *c, const char *name, const char *org, int64_t now_ms,
                           struct cstore_location *out);
/* The location of a child ("" and VP_ERR_NOT_FOUND if unknown). */
vp_result cst_child_location(struct cconn *c, const char *child_id, char loc[VP_UUID_LEN]);
/* The coach-facing view of a child (see cstore_child_view()). */
json_t *cst_child_view(struct cconn *c, const char *child_id, int64_t now_ms);
/* Signals (observations) visible to the coach, newest first, as a JSON
 * array (new reference); children by pseudonym only. Not a console resource
 * of its own (the console lists signals with cstore_console_inbox()): the
 * dossier (cstore_dossier()) and the command line's export build on it. */
vp_result cstore_signals_list(struct cstore *st, const char *coach_id,
                              const struct cstore_filter *f, int64_t now_ms, json_t **out);
/* The child's case as JSON (json_null() if none). */
json_t *cst_case_json(struct cconn *c, const char *child_id);
vp_result cst_audit(struct cconn *c, const char *coach_id, const char *action, const char *child_id,
                    const char *location_id, const char *detail, const char *ip, int64_t now_ms);

/* Deletes everything about a child, the feed included, keeps a tombstone (so
 * late pushes naming it are rejected) and publishes an "erase" change to
 * location_id. Inside the caller's transaction. */
vp_result cst_child_erase_rows(struct cconn *c, const char *child_id, const char *location_id,
                               int64_t now_ms);
/* Appends one line to DIR's erasure log and flushes it (cstore_erasure.c). */
vp_result cst_erasure_log_add(const char *dir, const char *child_id, const char *location_id,
                              int64_t at_ms);
/* Erases again, inside the caller's transaction, every logged child that has
 * no tombstone: the log of dir and, if backup_file is not NULL, the
 * erasures.log next to it (its lines missing from dir's log are appended
 * there). Damaged lines are skipped with a warning. */
vp_result cst_erasure_log_apply(struct cconn *c, const char *dir, const char *backup_file,
                                int64_t now_ms, int *erased_again);
/* fsync() of a folder, so a new or renamed entry in it survives power loss. */
void cst_fsync_dir(const char *dir);

/* CSV writing shared by the CLI export and the console's CSV (cstore_export.c):
 * one field with RFC 4180 quoting and a leading apostrophe before anything a
 * spreadsheet would run as a formula; a JSON value as such a field. */
void cst_csv_field(struct vp_buf *out, const char *s, bool first);
void cst_csv_value(struct vp_buf *out, json_t *v, bool first);
/* The column line, and one row: each column from row, else from fallback
 * (may be NULL), CRLF-terminated. */
void cst_csv_header(struct vp_buf *out, const char *const cols[]);
void cst_csv_row(struct vp_buf *out, json_t *row, json_t *fallback, const char *const cols[]);
extern const char *const cst_csv_case_cols[];

/* The schema's numbered migrations (cstore_schema.c). */
extern const char *const cst_migrations[];
extern const int cst_migration_count;

#endif
