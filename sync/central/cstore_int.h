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
};

/* The calling thread's connection; NULL with *res set if it cannot open. */
struct cconn *cst_conn(struct cstore *st, vp_result *res);
/* A cached statement, reset and unbound. The SQL is static text: a prepare
 * failure is a bug (or a broken database) and aborts with a log line. */
sqlite3_stmt *cst_prep(struct cconn *c, const char *sql);
vp_result cst_begin(struct cconn *c); /* BEGIN IMMEDIATE */
vp_result cst_commit(struct cconn *c);
void cst_rollback(struct cconn *c);
vp_result cst_exec(struct cconn *c, const char *sql);
/* Maps a SQLite result code to a vp_result (logging unexpected ones). */
vp_result cst_result(struct cconn *c, int rc);
/* Steps a statement that returns no rows. */
vp_result cst_done(struct cconn *c, sqlite3_stmt *s);

void cst_bind_text(sqlite3_stmt *s, int i, const char *text); /* NULL binds null */
void cst_bind_int(sqlite3_stmt *s, int i, int64_t v);
/* Column text, "" for NULL. Valid until the next step/reset. */
const char *cst_col(sqlite3_stmt *s, int i);
int64_t cst_col_int(sqlite3_stmt *s, int i);

/* Hex BLAKE2b-256 of a secret (codes, tokens, session ids). */
void cst_secret_hash(const char *secret, char out[VP_HASH_HEX_LEN]);
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
/* The location of a child ("" and VP_ERR_NOT_FOUND if unknown). */
vp_result cst_child_location(struct cconn *c, const char *child_id, char loc[VP_UUID_LEN]);
/* The coach-facing view of a child (see cstore_child_view()). */
json_t *cst_child_view(struct cconn *c, const char *child_id, int64_t now_ms);
/* The child's case as JSON (json_null() if none). */
json_t *cst_case_json(struct cconn *c, const char *child_id);
vp_result cst_audit(struct cconn *c, const char *coach_id, const char *action, const char *child_id,
                    const char *location_id, const char *detail, const char *ip, int64_t now_ms);

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
