/*
 * cstore.c - the SQLite backend's plumbing: per-thread connections,
 * statement cache, transactions, migrations, epoch, backup and restore.
 */
#include "cstore_int.h"
#include "vp_alloc.h"
#include "vp_log.h"
#include "vp_platform.h"
#include "vp_str.h"
#include "vp_time.h"
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000

/* ---- small helpers shared by the backend ---- */

void cst_bind_text(sqlite3_stmt *s, int i, const char *text)
{
    if (text)
        sqlite3_bind_text(s, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

void cst_bind_int(sqlite3_stmt *s, int i, int64_t v)
{
    sqlite3_bind_int64(s, i, v);
}

const char *cst_col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

int64_t cst_col_int(sqlite3_stmt *s, int i)
{
    return sqlite3_column_int64(s, i);
}

void cst_secret_hash(const char *secret, char out[VP_HASH_HEX_LEN])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), NULL, 0);
    vp_hex_encode(h, sizeof(h), out);
}

void cst_code_hash(const struct cstore *st, const char *code, char out[VP_HASH_HEX_LEN])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)code, strlen(code), st->code_key,
                       sizeof(st->code_key));
    vp_hex_encode(h, sizeof(h), out);
}

void cst_random_token(char out[CSTORE_TOKEN_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, CSTORE_TOKEN_LEN, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

vp_result cst_result(struct cconn *c, int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return VP_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return VP_ERR_BUSY;
    case SQLITE_FULL: return VP_ERR_FULL;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY: return VP_ERR_IO;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return VP_ERR_CORRUPT;
    case SQLITE_CONSTRAINT: return VP_ERR_CONSTRAINT;
    default:
        vp_error("central store: sqlite error %d: %s", rc, c ? sqlite3_errmsg(c->db) : "");
        return VP_ERR_INTERNAL;
    }
}

/* A statement that fails when stepped ("integer overflow"), prepared on a
 * private in-memory database so that it can be made even when c->db is
 * broken: what cst_prep() gives instead of aborting the process. */
static sqlite3_stmt *failing_stmt(struct cconn *c)
{
    if (!c->broken_stmt) {
        if (!c->broken_db &&
            sqlite3_open_v2(":memory:", &c->broken_db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
            vp_out_of_memory("sqlite (in-memory database)");
        if (sqlite3_prepare_v2(c->broken_db, "SELECT abs(-9223372036854775807 - 1)", -1,
                               &c->broken_stmt, NULL) != SQLITE_OK)
            vp_out_of_memory("sqlite (statement)");
    }
    sqlite3_reset(c->broken_stmt);
    return c->broken_stmt;
}

sqlite3_stmt *cst_prep(struct cconn *c, const char *sql)
{
    size_t h = ((uintptr_t)sql >> 3) % CCONN_CACHE;
    for (size_t i = 0; i < CCONN_CACHE; i++) {
        size_t k = (h + i) % CCONN_CACHE;
        if (c->cache[k].sql == sql) {
            sqlite3_reset(c->cache[k].stmt);
            sqlite3_clear_bindings(c->cache[k].stmt);
            return c->cache[k].stmt;
        }
        if (!c->cache[k].sql) {
            sqlite3_stmt *s = NULL;
            int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
            if (rc != SQLITE_OK) {
                /* a bug or a broken database: the request fails, the service lives */
                vp_error("central store: cannot prepare statement (%s): %.80s",
                         sqlite3_errmsg(c->db), sql);
                return failing_stmt(c);
            }
            c->cache[k].sql = sql;
            c->cache[k].stmt = s;
            return s;
        }
    }
    vp_error("central store: statement cache full (raise CCONN_CACHE): %.80s", sql);
    return failing_stmt(c);
}

vp_result cst_exec(struct cconn *c, const char *sql)
{
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    return cst_result(c, rc);
}

/* Writers of this process take the store's mutex before BEGIN IMMEDIATE:
 * SQLite's busy handler sleeps in growing steps and is unfair, which showed
 * as a long latency tail under concurrent pushes. Other processes (the
 * command line next to a running server) still meet the busy timeout. */
static void write_unlock(struct cconn *c)
{
    if (c->writing && c->write_lock) {
        c->writing = false;
        pthread_mutex_unlock(c->write_lock);
    }
}

vp_result cst_begin(struct cconn *c)
{
    vp_result res;
    if (c->write_lock && !c->writing) {
        pthread_mutex_lock(c->write_lock);
        c->writing = true;
    }
    res = cst_exec(c, "BEGIN IMMEDIATE");
    if (res)
        write_unlock(c);
    return res;
}

vp_result cst_commit(struct cconn *c)
{
    vp_result res = cst_exec(c, "COMMIT");
    if (res)
        cst_rollback(c);
    write_unlock(c);
    return res;
}

void cst_rollback(struct cconn *c)
{
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    write_unlock(c);
}

vp_result cst_checkpoint(struct cconn *c)
{
    int rc;
    if (c->write_lock)
        pthread_mutex_lock(c->write_lock);
    rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    if (c->write_lock)
        pthread_mutex_unlock(c->write_lock);
    if (rc != SQLITE_OK)
        vp_warn("central store: the log after an erasure is not emptied yet: %s",
                sqlite3_errmsg(c->db));
    return rc == SQLITE_OK ? VP_OK : cst_result(c, rc);
}

vp_result cst_done(struct cconn *c, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    vp_result res = rc == SQLITE_DONE || rc == SQLITE_ROW ? VP_OK : cst_result(c, rc);
    sqlite3_reset(s);
    return res;
}

/* ---- connections ---- */

static vp_result conn_open(const char *path, struct cconn **out)
{
    struct cconn *c = vp_xcalloc(1, sizeof(*c));
    int rc = sqlite3_open_v2(
        path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    vp_result res;
    if (rc != SQLITE_OK) {
        res = cst_result(c, rc);
        sqlite3_close(c->db);
        free(c);
        return res ? res : VP_ERR_IO;
    }
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    /* secure_delete: deleted rows (an erased child) are overwritten with
     * zeros, not left in free pages of the file */
    res = cst_exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                      " PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
                      " PRAGMA secure_delete=ON");
    if (res) {
        sqlite3_close(c->db);
        free(c);
        return res;
    }
    *out = c;
    return VP_OK;
}

static void conn_close(struct cconn *c)
{
    for (size_t i = 0; i < CCONN_CACHE; i++)
        if (c->cache[i].stmt)
            sqlite3_finalize(c->cache[i].stmt);
    sqlite3_finalize(c->broken_stmt);
    sqlite3_close(c->broken_db);
    sqlite3_close(c->db);
    free(c);
}

struct cconn *cst_conn(struct cstore *st, vp_result *res)
{
    struct cconn *c = pthread_getspecific(st->key);
    if (c)
        return c;
    *res = conn_open(st->path, &c);
    if (*res)
        return NULL;
    c->write_lock = &st->write_lock;
    pthread_setspecific(st->key, c);
    pthread_mutex_lock(&st->lock);
    c->next = st->conns;
    st->conns = c;
    pthread_mutex_unlock(&st->lock);
    return c;
}

/* ---- schema and meta ---- */

static vp_result migrate(struct cconn *c)
{
    sqlite3_stmt *s = cst_prep(c, "PRAGMA user_version");
    int version;
    vp_result res;
    if (sqlite3_step(s) != SQLITE_ROW)
        return cst_result(c, sqlite3_errcode(c->db));
    version = sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    if (version > cst_migration_count) {
        vp_error("central store: schema version %d is newer than this program's %d", version,
                 cst_migration_count);
        return VP_ERR_TOO_NEW;
    }
    for (; version < cst_migration_count; version++) {
        char pragma[64];
        if ((res = cst_begin(c)) != VP_OK)
            return res;
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", version + 1);
        if ((res = cst_exec(c, cst_migrations[version])) != VP_OK ||
            (res = cst_exec(c, pragma)) != VP_OK || (res = cst_commit(c)) != VP_OK) {
            cst_rollback(c);
            return res;
        }
        vp_info("central store: migrated to schema %d", version + 1);
    }
    return VP_OK;
}

static const char SQL_META_GET[] = "SELECT value FROM meta WHERE key = ?1";
static const char SQL_META_SET[] = "INSERT INTO meta(key, value) VALUES (?1, ?2)"
                                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value";
static const char SQL_CATALOG_ADD[] =
    "INSERT OR IGNORE INTO catalogs(version, json) VALUES (?1, ?2)";

static vp_result meta_set(struct cconn *c, const char *key, const char *value)
{
    sqlite3_stmt *s = cst_prep(c, SQL_META_SET);
    cst_bind_text(s, 1, key);
    cst_bind_text(s, 2, value);
    return cst_done(c, s);
}

/* Reads the epoch, making one on first open; seeds the default catalog. */
static vp_result load_meta(struct cstore *st, struct cconn *c)
{
    sqlite3_stmt *s = cst_prep(c, SQL_META_GET);
    size_t len;
    const char *cat = vp_catalog_default_json(&len);
    vp_result res;
    cst_bind_text(s, 1, "server_epoch");
    if (sqlite3_step(s) == SQLITE_ROW) {
        vp_strlcpy(st->epoch, cst_col(s, 0), sizeof(st->epoch));
        sqlite3_reset(s);
    } else {
        sqlite3_reset(s);
        vp_uuid4(st->epoch);
        if ((res = cst_begin(c)) || (res = meta_set(c, "server_epoch", st->epoch)) ||
            (res = cst_commit(c))) {
            cst_rollback(c);
            return res;
        }
    }
    if ((res = vp_catalog_parse(cat, len, &st->catalog, NULL)) != VP_OK)
        return VP_ERR_INTERNAL;
    s = cst_prep(c, SQL_CATALOG_ADD);
    cst_bind_int(s, 1, st->catalog.version);
    cst_bind_text(s, 2, cat);
    return cst_done(c, s);
}

vp_result cstore_open(const char *dir, struct cstore **out)
{
    struct cstore *st = vp_xcalloc(1, sizeof(*st));
    struct cconn *c;
    vp_result res = vp_mkdir_p(dir);
    if (res) {
        free(st);
        return res;
    }
    st->dir = vp_xstrdup(dir);
    st->path = vp_path_join(dir, "central.db");
    pthread_key_create(&st->key, NULL);
    pthread_mutex_init(&st->lock, NULL);
    pthread_mutex_init(&st->write_lock, NULL);
    if ((res = vp_secret_load(dir, CSTORE_CODE_KEY_FILE, st->code_key)) != VP_OK) {
        vp_error("central store: cannot read or make the key file %s", CSTORE_CODE_KEY_FILE);
        cstore_close(st);
        return res;
    }
    c = cst_conn(st, &res);
    if (c && (res = migrate(c)) == VP_OK)
        res = load_meta(st, c);
    if (res) {
        cstore_close(st);
        return res;
    }
    *out = st;
    return VP_OK;
}

void cstore_close(struct cstore *st)
{
    if (!st)
        return;
    while (st->conns) {
        struct cconn *next = st->conns->next;
        conn_close(st->conns);
        st->conns = next;
    }
    pthread_setspecific(st->key, NULL);
    pthread_key_delete(st->key);
    pthread_mutex_destroy(&st->lock);
    pthread_mutex_destroy(&st->write_lock);
    vp_catalog_release(&st->catalog);
    sodium_memzero(st->code_key, sizeof(st->code_key));
    free(st->dir);
    free(st->path);
    free(st);
}

const char *cstore_epoch(const struct cstore *st)
{
    return st->epoch;
}

const struct vp_catalog *cstore_catalog(const struct cstore *st)
{
    return &st->catalog;
}

/* ---- backup and restore ---- */

static vp_result copy_db(sqlite3 *from, sqlite3 *to)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    int rc;
    if (!b)
        return cst_result(NULL, sqlite3_errcode(to));
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    return rc == SQLITE_DONE ? VP_OK : cst_result(NULL, rc);
}

vp_result cstore_backup(struct cstore *st, const char *file)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    sqlite3 *to = NULL;
    int fd;
    if (!c)
        return res;
    unlink(file);
    fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); /* it holds first names */
    if (fd < 0)
        return VP_ERR_IO;
    close(fd);
    if (sqlite3_open_v2(file, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        sqlite3_close(to);
        return VP_ERR_IO;
    }
    res = copy_db(c->db, to);
    sqlite3_close(to);
    return res;
}

/* Checks that file is a database this program can use. */
static vp_result check_backup(const char *file)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    vp_result res = VP_ERR_CORRUPT;
    if (access(file, R_OK) != 0)
        return VP_ERR_NOT_FOUND;
    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        int v = sqlite3_column_int(s, 0);
        res = v > cst_migration_count ? VP_ERR_TOO_NEW : v < 1 ? VP_ERR_CORRUPT : VP_OK;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return res;
}

vp_result cstore_restore(const char *dir, const char *file, int *erased_again)
{
    struct cstore *st = NULL;
    struct cconn *c;
    sqlite3 *from = NULL;
    char epoch[VP_UUID_LEN];
    int again = 0;
    vp_result res = check_backup(file);
    if (!erased_again) /* the caller does not want to know */
        erased_again = &again;
    if (res)
        return res;
    if ((res = cstore_open(dir, &st)) != VP_OK)
        return res;
    c = cst_conn(st, &res);
    if (sqlite3_open_v2(file, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        res = VP_ERR_IO;
    else
        res = copy_db(from, c->db);
    sqlite3_close(from);
    if (!res)
        res = migrate(c);
    vp_uuid4(epoch);
    *erased_again = 0;
    if (!res && !(res = cst_begin(c)) &&
        !(res = cst_erasure_log_apply(c, dir, file, vp_now_ms(), erased_again)) &&
        !(res = meta_set(c, "server_epoch", epoch)))
        res = cst_commit(c);
    cst_rollback(c);
    if (!res && *erased_again) /* the erased rows out of the WAL file too */
        cst_checkpoint(c);
    cstore_close(st);
    return res;
}
