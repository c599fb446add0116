/*
 * devstore_int.h - what the devstore_*.c files share; not for other code.
 *
 * The SQL helpers take a bind spec: one letter per parameter,
 *   's' const char * (NULL binds NULL), 'i' int64_t, 'b' int (0/1 or small int).
 * Statements are prepared once per connection and cached by their SQL text
 * pointer (SQL strings are static literals in these files).
 */
#ifndef DEVSTORE_INT_H
#define DEVSTORE_INT_H
#include "devstore.h"
#include "vp_core.h"
#include <sqlite3.h>

#define STMT_CACHE 128

struct devstore {
    sqlite3 *db;
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
    int ncache;
    struct vp_catalog catalog; /* parsed current catalog, cached */
    int64_t catalog_version;   /* 0 = not loaded yet */
};

/* Maps an SQLite result code to a vp_result (logs unexpected ones). */
vp_result ds_sqlite_result(struct devstore *s, int rc);

/* A cached prepared statement with parameters bound (reset first).
 * NULL only on a programming error (bad SQL), which is logged. */
sqlite3_stmt *ds_prepare(struct devstore *s, const char *sql, const char *spec, ...);
/* Runs a statement that returns no rows. */
vp_result ds_exec(struct devstore *s, const char *sql, const char *spec, ...);
/* Steps a prepared statement: VP_OK with *row true/false, or an error. */
vp_result ds_step(struct devstore *s, sqlite3_stmt *st, bool *row);
/* Runs a query expected to return one int64 (first column of first row).
 * VP_ERR_NOT_FOUND if no row. */
vp_result ds_query_int(struct devstore *s, int64_t *out, const char *sql, const char *spec, ...);

vp_result ds_begin(struct devstore *s); /* BEGIN IMMEDIATE */
vp_result ds_commit(struct devstore *s);
void ds_rollback(struct devstore *s);
/* Commits if res is VP_OK, else rolls back; returns the final result. */
vp_result ds_finish(struct devstore *s, vp_result res);

/* Reads one row of a list into item. */
typedef void (*ds_row_fn)(sqlite3_stmt *st, void *item);
/* Steps st to the end, reading each row with read into a malloc'ed array of
 * items of item_size bytes. On error *out is NULL and *n is 0. */
vp_result ds_collect(struct devstore *s, sqlite3_stmt *st, size_t item_size, ds_row_fn read,
                     void **out, size_t *n);

/* Steps st once and reads the row into item (zeroed first).
 * VP_ERR_NOT_FOUND if there is no row. */
vp_result ds_get_one(struct devstore *s, sqlite3_stmt *st, size_t item_size, ds_row_fn read,
                     void *item);

/* Copies column i as text into out (size bytes); "" for NULL. */
void ds_col_text(sqlite3_stmt *st, int i, char *out, size_t size);

/* Makes the next record id (UUIDv7) from the persisted generator state.
 * Must run inside a write transaction. */
vp_result ds_new_id(struct devstore *s, char out[VP_UUID_LEN]);

/* Appends a record to the outbox as pending (inside a transaction).
 * child_id links it to a child for erasure; entity_id names the entity a
 * revision is about, or the signal an observation is a version of (NULL
 * for receipts). */
vp_result ds_outbox_add(struct devstore *s, const struct vp_record *rec, const char *child_id,
                        const char *entity_id);

/* ---- observation rows (devstore_obs.c) ---- */

/* The columns ds_obs_read() reads, of observations aliased as o. */
#define DS_OBS_COLUMNS                                                                             \
    "o.id, o.child_id, o.staff_id, o.signals, o.level, o.frequency, o.situation, o.note,"          \
    " o.parents_informed, o.consultation, o.consent_confirmed, o.retracted, o.corrects,"           \
    " o.device_time, o.catalog_version, o.signal_id"

/* Checks what a caller may get wrong in an observation (the database
 * checks the rest). */
vp_result ds_obs_validate(struct devstore *s, const struct vp_observation *o);
/* Writes one version and its outbox row (inside a transaction); with hold,
 * the row is held back from batches for DEV_SETTLE_MS. */
vp_result ds_obs_insert(struct devstore *s, const struct vp_observation *o, bool hold);
/* Deletes one version and its outbox row if that is still pending. */
vp_result ds_obs_delete(struct devstore *s, const char *id);
/* Reads DS_OBS_COLUMNS into a struct vp_observation. */
void ds_obs_read(sqlite3_stmt *st, void *item);

/* The cached catalog (loads it on first use). */
vp_result ds_catalog(struct devstore *s, const struct vp_catalog **out);

/* Migrations, in devstore_schema.c. */
extern const char *const ds_migrations[];
extern const int ds_migration_count;

#endif
