/*
 * devstore.c - opening the device store, its SQL helpers, and the small
 * single-row parts: device, settings, catalog, sync state.
 */
#include "devstore_int.h"
#include "vp_platform.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- results and statements ---- */

vp_result ds_sqlite_result(struct devstore *s, int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return VP_OK;
    case SQLITE_FULL: return VP_ERR_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return VP_ERR_CORRUPT;
    case SQLITE_CONSTRAINT: return VP_ERR_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return VP_ERR_BUSY;
    case SQLITE_NOMEM: vp_error("devstore: sqlite out of memory"); abort();
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM: return VP_ERR_IO;
    default:
        vp_error("devstore: sqlite error %d: %s", rc, s && s->db ? sqlite3_errmsg(s->db) : "");
        return VP_ERR_INTERNAL;
    }
}

static void bind_all(sqlite3_stmt *st, const char *spec, va_list ap)
{
    for (int i = 0; spec && spec[i]; i++) {
        int idx = i + 1;
        switch (spec[i]) {
        case 's': {
            const char *v = va_arg(ap, const char *);
            if (v)
                sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(st, idx);
            break;
        }
        case 'i': sqlite3_bind_int64(st, idx, va_arg(ap, int64_t)); break;
        case 'b': sqlite3_bind_int(st, idx, va_arg(ap, int)); break;
        default: abort(); /* a bind spec typo is a bug */
        }
    }
}

static sqlite3_stmt *prepare_v(struct devstore *s, const char *sql, const char *spec, va_list ap)
{
    sqlite3_stmt *st = NULL;
    for (int i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            st = s->cache[i].st;
            break;
        }
    }
    if (!st) {
        if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
            vp_error("devstore: cannot prepare: %s", sqlite3_errmsg(s->db));
            return NULL;
        }
        if (s->ncache < STMT_CACHE) {
            s->cache[s->ncache].sql = sql;
            s->cache[s->ncache].st = st;
            s->ncache++;
        } else {
            vp_error("devstore: statement cache full");
            abort();
        }
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    bind_all(st, spec, ap);
    return st;
}

sqlite3_stmt *ds_prepare(struct devstore *s, const char *sql, const char *spec, ...)
{
    va_list ap;
    sqlite3_stmt *st;
    va_start(ap, spec);
    st = prepare_v(s, sql, spec, ap);
    va_end(ap);
    return st;
}

vp_result ds_step(struct devstore *s, sqlite3_stmt *st, bool *row)
{
    int rc = sqlite3_step(st);
    *row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return VP_OK;
    return ds_sqlite_result(s,
                            sqlite3_extended_errcode(s->db) ? sqlite3_extended_errcode(s->db) : rc);
}

vp_result ds_exec(struct devstore *s, const char *sql, const char *spec, ...)
{
    va_list ap;
    sqlite3_stmt *st;
    bool row;
    vp_result res;
    va_start(ap, spec);
    st = prepare_v(s, sql, spec, ap);
    va_end(ap);
    if (!st)
        return VP_ERR_INTERNAL;
    do
        res = ds_step(s, st, &row);
    while (!res && row);
    sqlite3_reset(st);
    return res;
}

vp_result ds_query_int(struct devstore *s, int64_t *out, const char *sql, const char *spec, ...)
{
    va_list ap;
    sqlite3_stmt *st;
    bool row;
    vp_result res;
    va_start(ap, spec);
    st = prepare_v(s, sql, spec, ap);
    va_end(ap);
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res && !row)
        res = VP_ERR_NOT_FOUND;
    if (!res)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return res;
}

vp_result ds_collect(struct devstore *s, sqlite3_stmt *st, size_t item_size, ds_row_fn read,
                     void **out, size_t *n)
{
    size_t cap = 8, count = 0;
    char *list;
    bool row = true;
    vp_result res;
    *out = NULL;
    *n = 0;
    if (!st)
        return VP_ERR_INTERNAL;
    list = vp_xmalloc(cap * item_size);
    while (!(res = ds_step(s, st, &row)) && row) {
        if (count == cap)
            list = vp_xrealloc(list, (cap *= 2) * item_size);
        memset(list + count * item_size, 0, item_size);
        read(st, list + count * item_size);
        count++;
    }
    sqlite3_reset(st);
    if (res) {
        free(list);
        return res;
    }
    *out = list;
    *n = count;
    return VP_OK;
}

vp_result ds_get_one(struct devstore *s, sqlite3_stmt *st, size_t item_size, ds_row_fn read,
                     void *item)
{
    bool row;
    vp_result res;
    memset(item, 0, item_size);
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res && !row)
        res = VP_ERR_NOT_FOUND;
    if (!res)
        read(st, item);
    sqlite3_reset(st);
    return res;
}

void ds_col_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    vp_strlcpy(out, t ? (const char *)t : "", size);
}

vp_result ds_begin(struct devstore *s)
{
    return ds_exec(s, "BEGIN IMMEDIATE", NULL);
}

vp_result ds_commit(struct devstore *s)
{
    vp_result res = ds_exec(s, "COMMIT", NULL);
    if (res)
        ds_rollback(s);
    return res;
}

void ds_rollback(struct devstore *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

vp_result ds_finish(struct devstore *s, vp_result res)
{
    if (res) {
        ds_rollback(s);
        return res;
    }
    return ds_commit(s);
}

/* ---- ids ---- */

vp_result ds_new_id(struct devstore *s, char out[VP_UUID_LEN])
{
    struct vp_uuid7 gen = { 0, 0 };
    int64_t v;
    vp_result res;
    if (!ds_query_int(s, &v, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'uuid_last_ms'",
                      NULL))
        gen.last_ms = v;
    if (!ds_query_int(s, &v, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'uuid_counter'",
                      NULL))
        gen.counter = (uint16_t)v;
    vp_uuid7_next(&gen, vp_now_ms(), out);
    res = ds_exec(s,
                  "INSERT INTO meta(key, value) VALUES ('uuid_last_ms', ?1), ('uuid_counter', ?2)"
                  " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                  "ii", gen.last_ms, (int64_t)gen.counter);
    return res;
}

/* ---- open, migrate, close ---- */

static vp_result migrate(struct devstore *s, int from)
{
    for (int v = from; v < ds_migration_count; v++) {
        char pragma[64];
        vp_result res = ds_begin(s);
        if (!res && sqlite3_exec(s->db, ds_migrations[v], NULL, NULL, NULL) != SQLITE_OK)
            res = ds_sqlite_result(s, sqlite3_extended_errcode(s->db));
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
        if (!res && sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
            res = ds_sqlite_result(s, sqlite3_extended_errcode(s->db));
        res = ds_finish(s, res);
        if (res) {
            vp_error("devstore: migration %d failed: %s", v + 1, vp_result_name(res));
            return res;
        }
    }
    return VP_OK;
}

static vp_result seed_catalog(struct devstore *s)
{
    int64_t have = 0;
    size_t len;
    const char *json = vp_catalog_default_json(&len);
    struct vp_catalog cat;
    vp_result res;
    if (!ds_query_int(s, &have, "SELECT count(*) FROM catalog", NULL) && have > 0)
        return VP_OK;
    res = vp_catalog_parse(json, len, &cat, NULL);
    if (res)
        return VP_ERR_INTERNAL; /* the compiled-in catalog is always valid (tested) */
    res = devstore_catalog_replace(s, json, cat.version);
    vp_catalog_release(&cat);
    return res;
}

static vp_result read_user_version(struct devstore *s, int *version)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? VP_OK : ds_sqlite_result(s, rc);
}

vp_result devstore_open(const char *path, struct devstore **out)
{
    struct devstore *s = vp_xcalloc(1, sizeof(*s));
    int version = 0, rc;
    vp_result res;
    *out = NULL;
    rc = sqlite3_open_v2(path, &s->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        res = ds_sqlite_result(s, rc);
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    /* Read the version before changing anything: a damaged file or one from
     * a newer program must be left exactly as it was. */
    res = read_user_version(s, &version);
    if (res)
        goto fail;
    if (version > ds_migration_count) {
        res = VP_ERR_TOO_NEW;
        goto fail;
    }
    if (sqlite3_exec(s->db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                     " PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        res = ds_sqlite_result(s, sqlite3_extended_errcode(s->db));
        goto fail;
    }
    res = migrate(s, version);
    if (!res)
        res = seed_catalog(s);
    if (res)
        goto fail;
    *out = s;
    return VP_OK;
fail:
    devstore_close(s);
    return res;
}

void devstore_close(struct devstore *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].st);
    vp_catalog_release(&s->catalog);
    sqlite3_close(s->db);
    free(s);
}

int devstore_schema_version(struct devstore *s)
{
    int v = -1;
    read_user_version(s, &v);
    return v;
}

vp_result devstore_limit_pages(struct devstore *s, int64_t max_pages)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld", (long long)max_pages);
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? VP_OK : VP_ERR_INTERNAL;
}

vp_result devstore_check_integrity(struct devstore *s)
{
    sqlite3_stmt *st = NULL;
    vp_result res = VP_ERR_CORRUPT;
    if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        if (t && !strcmp((const char *)t, "ok"))
            res = VP_OK;
    }
    sqlite3_finalize(st);
    return res;
}

/* ---- device ---- */

vp_result devstore_device_get(struct devstore *s, struct dev_device *d)
{
    sqlite3_stmt *st = ds_prepare(
        s,
        "SELECT device_id, device_name, location_id, location_name, org_name, server_url, token,"
        " cafile, pinned_key, setup_done FROM device WHERE id = 1",
        NULL);
    bool row;
    vp_result res;
    memset(d, 0, sizeof(*d));
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res && !row)
        res = VP_ERR_CORRUPT;
    if (!res) {
        ds_col_text(st, 0, d->device_id, sizeof(d->device_id));
        ds_col_text(st, 1, d->device_name, sizeof(d->device_name));
        ds_col_text(st, 2, d->location_id, sizeof(d->location_id));
        ds_col_text(st, 3, d->location_name, sizeof(d->location_name));
        ds_col_text(st, 4, d->org_name, sizeof(d->org_name));
        ds_col_text(st, 5, d->server_url, sizeof(d->server_url));
        ds_col_text(st, 6, d->token, sizeof(d->token));
        ds_col_text(st, 7, d->cafile, sizeof(d->cafile));
        ds_col_text(st, 8, d->pinned_key, sizeof(d->pinned_key));
        d->setup_done = sqlite3_column_int(st, 9) != 0;
        d->enrolled = d->token[0] != '\0';
    }
    sqlite3_reset(st);
    return res;
}

vp_result devstore_device_enrol(struct devstore *s, const struct dev_device *d,
                                const char *server_epoch)
{
    vp_result res;
    if (!vp_uuid_valid(d->device_id) || !vp_uuid_valid(d->location_id) || !d->token[0] ||
        !d->server_url[0])
        return VP_ERR_INVALID;
    res = ds_begin(s);
    if (!res)
        res = ds_exec(s,
                      "UPDATE device SET device_id = ?1, device_name = ?2, location_id = ?3,"
                      " location_name = ?4, org_name = ?5, server_url = ?6, token = ?7,"
                      " cafile = ?8, pinned_key = ?9, setup_done = 1 WHERE id = 1",
                      "sssssssss", d->device_id, d->device_name, d->location_id, d->location_name,
                      d->org_name, d->server_url, d->token, d->cafile, d->pinned_key);
    if (!res)
        res = ds_exec(s, "UPDATE sync_state SET server_epoch = ?1, pull_cursor = '' WHERE id = 1",
                      "s", server_epoch ? server_epoch : "");
    if (!res && d->location_name[0])
        res = ds_exec(s,
                      "INSERT INTO settings(key, value) VALUES ('location_name', ?1)"
                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                      "s", d->location_name);
    return ds_finish(s, res);
}

vp_result devstore_device_forget_token(struct devstore *s)
{
    return ds_exec(s, "UPDATE device SET token = '' WHERE id = 1", NULL);
}

vp_result devstore_device_set_setup_done(struct devstore *s, bool done)
{
    return ds_exec(s, "UPDATE device SET setup_done = ?1 WHERE id = 1", "b", done ? 1 : 0);
}

/* ---- settings ---- */

vp_result devstore_setting_get_text(struct devstore *s, const char *key, const char *fallback,
                                    char *out, size_t size)
{
    sqlite3_stmt *st = ds_prepare(s, "SELECT value FROM settings WHERE key = ?1", "s", key);
    bool row;
    vp_result res;
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res) {
        if (row)
            ds_col_text(st, 0, out, size);
        else
            vp_strlcpy(out, fallback ? fallback : "", size);
    }
    sqlite3_reset(st);
    return res;
}

vp_result devstore_setting_set_text(struct devstore *s, const char *key, const char *value)
{
    if (!key || !*key || !value)
        return VP_ERR_INVALID;
    return ds_exec(s,
                   "INSERT INTO settings(key, value) VALUES (?1, ?2)"
                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   "ss", key, value);
}

vp_result devstore_setting_get_int(struct devstore *s, const char *key, int64_t fallback,
                                   int64_t *out)
{
    char text[32];
    vp_result res = devstore_setting_get_text(s, key, "", text, sizeof(text));
    if (res)
        return res;
    if (!text[0] || !vp_parse_i64(text, INT64_MIN, INT64_MAX, out))
        *out = fallback;
    return VP_OK;
}

vp_result devstore_setting_set_int(struct devstore *s, const char *key, int64_t value)
{
    char text[32];
    snprintf(text, sizeof(text), "%lld", (long long)value);
    return devstore_setting_set_text(s, key, text);
}

/* ---- catalog ---- */

vp_result ds_catalog(struct devstore *s, const struct vp_catalog **out)
{
    int64_t version = 0;
    vp_result res = ds_query_int(s, &version, "SELECT version FROM catalog WHERE id = 1", NULL);
    if (res)
        return res == VP_ERR_NOT_FOUND ? VP_ERR_CORRUPT : res;
    if (version != s->catalog_version) {
        sqlite3_stmt *st = ds_prepare(s, "SELECT json FROM catalog WHERE id = 1", NULL);
        bool row;
        struct vp_catalog cat;
        if (!st)
            return VP_ERR_INTERNAL;
        res = ds_step(s, st, &row);
        if (!res && row) {
            const char *json = (const char *)sqlite3_column_text(st, 0);
            int len = sqlite3_column_bytes(st, 0);
            if (vp_catalog_parse(json ? json : "", (size_t)len, &cat, NULL) == VP_OK) {
                vp_catalog_release(&s->catalog);
                s->catalog = cat;
                s->catalog_version = version;
            } else {
                res = VP_ERR_CORRUPT;
            }
        }
        sqlite3_reset(st);
        if (res)
            return res;
    }
    *out = &s->catalog;
    return VP_OK;
}

vp_result devstore_catalog(struct devstore *s, struct vp_catalog *out)
{
    const struct vp_catalog *cat;
    size_t len;
    vp_result res = ds_catalog(s, &cat);
    sqlite3_stmt *st;
    bool row;
    memset(out, 0, sizeof(*out));
    if (res)
        return res;
    /* hand out an independent copy: the caller may keep it across reloads */
    st = ds_prepare(s, "SELECT json FROM catalog WHERE id = 1", NULL);
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res && row) {
        len = (size_t)sqlite3_column_bytes(st, 0);
        res = vp_catalog_parse((const char *)sqlite3_column_text(st, 0), len, out, NULL);
    }
    sqlite3_reset(st);
    return res;
}

vp_result devstore_catalog_replace(struct devstore *s, const char *json, int64_t version)
{
    struct vp_catalog cat;
    int64_t current = 0;
    bool own_tx = sqlite3_get_autocommit(s->db) != 0;
    vp_result res;
    if (vp_catalog_parse(json, strlen(json), &cat, NULL) != VP_OK)
        return VP_ERR_INVALID;
    if (cat.version != version) {
        vp_catalog_release(&cat);
        return VP_ERR_INVALID;
    }
    res = own_tx ? ds_begin(s) : VP_OK;
    if (!res && !ds_query_int(s, &current, "SELECT version FROM catalog WHERE id = 1", NULL) &&
        current >= version)
        goto done; /* not newer: nothing to do */
    if (!res)
        res = ds_exec(s,
                      "INSERT INTO catalog(id, version, json) VALUES (1, ?1, ?2)"
                      " ON CONFLICT(id) DO UPDATE SET version = excluded.version,"
                      " json = excluded.json",
                      "is", version, json);
    if (!res)
        res = ds_exec(s, "DELETE FROM catalog_signals", NULL);
    for (size_t d = 0; !res && d < cat.ndomains; d++)
        for (size_t i = 0; !res && i < cat.domains[d].nsignals; i++) {
            const struct vp_signal *sig = &cat.domains[d].signals[i];
            res = ds_exec(s,
                          "INSERT INTO catalog_signals(code, domain, label_nl, label_en, red_flag,"
                          " version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          "ssssbi", sig->code, cat.domains[d].code, sig->label[VP_LANG_NL],
                          sig->label[VP_LANG_EN], sig->red_flag ? 1 : 0, version);
        }
done:
    vp_catalog_release(&cat);
    return own_tx ? ds_finish(s, res) : res;
}

/* ---- sync state ---- */

vp_result devstore_sync_state(struct devstore *s, struct dev_sync_state *o)
{
    sqlite3_stmt *st = ds_prepare(s,
                                  "SELECT pull_cursor, server_epoch, last_attempt, last_success,"
                                  " last_error, last_error_text, last_server_time"
                                  " FROM sync_state WHERE id = 1",
                                  NULL);
    bool row;
    vp_result res;
    memset(o, 0, sizeof(*o));
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res && !row)
        res = VP_ERR_CORRUPT;
    if (!res) {
        ds_col_text(st, 0, o->cursor, sizeof(o->cursor));
        ds_col_text(st, 1, o->server_epoch, sizeof(o->server_epoch));
        o->last_attempt_ms = sqlite3_column_int64(st, 2);
        o->last_success_ms = sqlite3_column_int64(st, 3);
        o->last_error = (vp_result)sqlite3_column_int(st, 4);
        ds_col_text(st, 5, o->last_error_text, sizeof(o->last_error_text));
        o->last_server_time_ms = sqlite3_column_int64(st, 6);
    }
    sqlite3_reset(st);
    return res;
}

vp_result devstore_heartbeat(struct devstore *s, struct vp_heartbeat *out)
{
    struct dev_outbox_stats os;
    struct dev_sync_state ss;
    const struct vp_catalog *cat;
    vp_result res;
    memset(out, 0, sizeof(*out));
    res = devstore_outbox_stats(s, &os);
    if (!res)
        res = devstore_sync_state(s, &ss);
    if (!res)
        res = ds_catalog(s, &cat);
    if (res)
        return res;
    out->catalog_version = cat->version;
    out->pending_signals = os.pending_signals;
    out->oldest_pending_ms = os.oldest_pending_ms;
    out->quarantined = os.quarantined;
    out->last_attempt_ms = ss.last_attempt_ms;
    out->last_success_ms = ss.last_success_ms;
    out->disk_free_mb = vp_disk_free_mb(sqlite3_db_filename(s->db, "main"));
    return VP_OK;
}

vp_result devstore_sync_success(struct devstore *s, int64_t now_ms, int64_t server_time_ms)
{
    return ds_exec(s,
                   "UPDATE sync_state SET last_attempt = ?1, last_success = ?1, last_error = 0,"
                   " last_error_text = '', last_server_time = ?2 WHERE id = 1",
                   "ii", now_ms, server_time_ms);
}

vp_result devstore_sync_failure(struct devstore *s, int64_t now_ms, vp_result err, const char *text)
{
    return ds_exec(s,
                   "UPDATE sync_state SET last_attempt = ?1, last_error = ?2,"
                   " last_error_text = ?3 WHERE id = 1",
                   "iis", now_ms, (int64_t)err, text ? text : "");
}
