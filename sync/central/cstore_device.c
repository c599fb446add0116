/*
 * cstore_device.c - locations, enrolment codes, devices and the change feed.
 * (Applying pushed records is cstore_push.c.)
 */
#include "cstore_int.h"
#include "vp_alloc.h"
#include "vp_json.h"
#include "vp_log.h"
#include "vp_str.h"
#include "vp_time.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS (24LL * 3600 * 1000)

/* ---- the feed ---- */

static const char SQL_FEED_DROP[] =
    "DELETE FROM changes WHERE entity_id = ?1 AND type = ?2 AND location_id = ?3";
static const char SQL_FEED_ADD[] = "INSERT INTO changes(location_id, type, entity_id, body,"
                                   " created_at) VALUES (?1, ?2, ?3, ?4, ?5)";

vp_result cst_feed_add(struct cconn *c, const char *location_id, const char *type,
                       const char *entity_id, json_t *body, int64_t now_ms)
{
    sqlite3_stmt *s;
    char *text;
    vp_result res;
    if (entity_id) {
        s = cst_prep(c, SQL_FEED_DROP);
        cst_bind_text(s, 1, entity_id);
        cst_bind_text(s, 2, type);
        cst_bind_text(s, 3, location_id);
        if ((res = cst_done(c, s)) != VP_OK)
            return res;
    }
    json_object_del(body, "seq");
    if ((text = vp_json_dump(body)) == NULL)
        return VP_ERR_INTERNAL; /* a change that cannot be encoded: a bug, logged by the caller */
    s = cst_prep(c, SQL_FEED_ADD);
    cst_bind_text(s, 1, location_id);
    cst_bind_text(s, 2, type);
    cst_bind_text(s, 3, entity_id);
    cst_bind_text(s, 4, text);
    cst_bind_int(s, 5, now_ms);
    res = cst_done(c, s);
    free(text);
    return res;
}

static const char SQL_PULL[] = "SELECT seq, body FROM changes WHERE location_id = ?1 AND seq > ?2"
                               " ORDER BY seq LIMIT ?3";

/* This backend's cursor: "" or the decimal sequence of the last change sent. */
static bool cursor_seq(const char *cursor, int64_t *seq)
{
    *seq = 0;
    return !*cursor || vp_parse_i64(cursor, 0, INT64_MAX, seq);
}

vp_result cstore_pull(struct cstore *st, const char *location_id, const char *since, int limit,
                      struct vp_buf *out, char next[VP_CURSOR_MAX], bool *more)
{
    vp_result res;
    struct cconn *c;
    sqlite3_stmt *s;
    int rc, n = 0;
    int64_t from, last;
    if (!cursor_seq(since, &from))
        return VP_ERR_INVALID;
    if (!(c = cst_conn(st, &res)))
        return res;
    last = from;
    *more = false;
    s = cst_prep(c, SQL_PULL);
    cst_bind_text(s, 1, location_id);
    cst_bind_int(s, 2, from);
    cst_bind_int(s, 3, (int64_t)limit + 1);
    vp_buf_addch(out, '[');
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *body = cst_col(s, 1);
        if (n == limit) {
            *more = true;
            break;
        }
        last = cst_col_int(s, 0);
        /* the stored body is an object without "seq": splice it in first */
        vp_buf_addf(out, "%s{\"seq\":%lld%s%s", n ? "," : "", (long long)last,
                    body[1] == '}' ? "" : ",", body + 1);
        n++;
    }
    sqlite3_reset(s);
    vp_buf_addch(out, ']');
    snprintf(next, VP_CURSOR_MAX, "%lld", (long long)last);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? VP_OK : cst_result(c, rc);
}

/* ---- locations ---- */

static const char SQL_LOC_ADD[] = "INSERT INTO locations(id, name, org, created_at)"
                                  " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_LOC_GET[] = "SELECT id, name, org, safety_contact, autolock_seconds,"
                                  " retention_days FROM locations WHERE id = ?1";
static const char SQL_LOC_FIND[] = "SELECT id FROM locations WHERE name = ?1 AND org = ?2";
static const char SQL_CATALOG_LATEST[] =
    "SELECT version, json FROM catalogs ORDER BY version DESC LIMIT 1";

static vp_result loc_read(struct cconn *c, const char *id, struct cstore_location *out,
                          struct vp_settings *set)
{
    sqlite3_stmt *s = cst_prep(c, SQL_LOC_GET);
    int rc;
    cst_bind_text(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (out) {
            vp_strlcpy(out->id, cst_col(s, 0), sizeof(out->id));
            vp_strlcpy(out->name, cst_col(s, 1), sizeof(out->name));
            vp_strlcpy(out->org, cst_col(s, 2), sizeof(out->org));
        }
        if (set) {
            memset(set, 0, sizeof(*set));
            vp_strlcpy(set->location_name, cst_col(s, 1), sizeof(set->location_name));
            vp_strlcpy(set->org_name, cst_col(s, 2), sizeof(set->org_name));
            vp_strlcpy(set->safety_contact, cst_col(s, 3), sizeof(set->safety_contact));
            set->autolock_seconds = cst_col_int(s, 4);
            set->retention_days = cst_col_int(s, 5);
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? VP_OK : rc == SQLITE_DONE ? VP_ERR_NOT_FOUND : cst_result(c, rc);
}

/* Publishes the location's settings and the newest catalog. */
static vp_result publish_location(struct cconn *c, const char *id, int64_t now_ms)
{
    struct vp_change chg;
    json_t *js;
    vp_result res;
    sqlite3_stmt *s;
    memset(&chg, 0, sizeof(chg));
    chg.type = VP_CHG_SETTINGS;
    if ((res = loc_read(c, id, NULL, &chg.u.settings)) != VP_OK)
        return res;
    js = vp_change_to_json(&chg);
    res = cst_feed_add(c, id, "settings", id, js, now_ms);
    json_decref(js);
    if (res)
        return res;
    s = cst_prep(c, SQL_CATALOG_LATEST);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return VP_ERR_INTERNAL;
    }
    chg.type = VP_CHG_CATALOG;
    chg.u.catalog.version = cst_col_int(s, 0);
    chg.u.catalog.json = vp_xstrdup(cst_col(s, 1));
    sqlite3_reset(s);
    js = vp_change_to_json(&chg);
    vp_change_release(&chg);
    res = cst_feed_add(c, id, "catalog", id, js, now_ms);
    json_decref(js);
    return res;
}

vp_result cstore_location_add(struct cstore *st, const char *name, const char *org,
                              struct cstore_location *out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    struct vp_uuid7 gen = { 0, 0 };
    int64_t now = vp_now_ms();
    sqlite3_stmt *s;
    if (!c)
        return res;
    if (!*name || vp_utf8_length(name) > 80 || vp_utf8_length(org) > 80 ||
        !vp_utf8_valid_text(name, strlen(name)) || !vp_utf8_valid_text(org, strlen(org)))
        return VP_ERR_INVALID;
    memset(out, 0, sizeof(*out));
    vp_uuid7_next(&gen, now, out->id);
    vp_strlcpy(out->name, name, sizeof(out->name));
    vp_strlcpy(out->org, org, sizeof(out->org));
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    s = cst_prep(c, SQL_LOC_ADD);
    cst_bind_text(s, 1, out->id);
    cst_bind_text(s, 2, name);
    cst_bind_text(s, 3, org);
    cst_bind_int(s, 4, now);
    if ((res = cst_done(c, s)) || (res = publish_location(c, out->id, now)) ||
        (res = cst_commit(c)))
        cst_rollback(c);
    return res;
}

vp_result cstore_location_get(struct cstore *st, const char *id, struct cstore_location *out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    return c ? loc_read(c, id, out, NULL) : res;
}

vp_result cstore_location_find(struct cstore *st, const char *name, const char *org,
                               struct cstore_location *out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    sqlite3_stmt *s;
    char id[VP_UUID_LEN];
    if (!c)
        return res;
    s = cst_prep(c, SQL_LOC_FIND);
    cst_bind_text(s, 1, name);
    cst_bind_text(s, 2, org);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return VP_ERR_NOT_FOUND;
    }
    vp_strlcpy(id, cst_col(s, 0), sizeof(id));
    sqlite3_reset(s);
    return loc_read(c, id, out, NULL);
}

/* ---- enrolment codes ---- */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

bool cstore_code_normalise(const char *text, char out[CSTORE_CODE_CHARS + 1])
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        char ch = *p;
        if (ch == '-' || ch == ' ')
            continue;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (ch == 'O')
            ch = '0';
        else if (ch == 'I' || ch == 'L')
            ch = '1';
        if (!strchr(crockford, ch) || n == CSTORE_CODE_CHARS)
            return false;
        out[n++] = ch;
    }
    out[n] = '\0';
    return n == CSTORE_CODE_CHARS;
}

static const char SQL_CODE_ADD[] = "INSERT INTO enroll_codes(code_hash, location_id, created_at,"
                                   " expires_at) VALUES (?1, ?2, ?3, ?4)";

vp_result cstore_enroll_code_new(struct cstore *st, const char *location_id, int64_t now_ms,
                                 char code[CSTORE_CODE_LEN])
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    char plain[CSTORE_CODE_CHARS + 1], hash[VP_HASH_HEX_LEN];
    sqlite3_stmt *s;
    size_t k = 0;
    if (!c)
        return res;
    if ((res = loc_read(c, location_id, NULL, NULL)) != VP_OK)
        return res;
    for (int i = 0; i < CSTORE_CODE_CHARS; i++) {
        plain[i] = crockford[randombytes_uniform(32)];
        if (i && i % 4 == 0)
            code[k++] = '-';
        code[k++] = plain[i];
    }
    plain[CSTORE_CODE_CHARS] = code[k] = '\0';
    cst_code_hash(st, plain, hash);
    sodium_memzero(plain, sizeof(plain));
    s = cst_prep(c, SQL_CODE_ADD);
    cst_bind_text(s, 1, hash);
    cst_bind_text(s, 2, location_id);
    cst_bind_int(s, 3, now_ms);
    cst_bind_int(s, 4, now_ms + CSTORE_CODE_DAYS * DAY_MS);
    return cst_done(c, s);
}

/* ---- devices ---- */

static const char SQL_CODE_GET[] =
    "SELECT location_id, expires_at, used_at FROM enroll_codes WHERE code_hash = ?1";
static const char SQL_CODE_USE[] =
    "UPDATE enroll_codes SET used_at = ?2, device_id = ?3 WHERE code_hash = ?1";
static const char SQL_DEV_ADD[] = "INSERT INTO devices(id, location_id, name, token_hash,"
                                  " created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_DEV_AUTH[] = "SELECT id, location_id, name, coalesce(last_seen_at, 0)"
                                   " FROM devices WHERE token_hash = ?1 AND revoked_at IS NULL";
static const char SQL_DEV_SEEN[] = "UPDATE devices SET last_seen_at = ?2 WHERE id = ?1";

/* Notes when a tablet was last heard from, at most once a minute. A failure
 * (a full disk) must not refuse the tablet: it is only logged. */
static void device_seen(struct cconn *c, const char *device_id, int64_t last_seen)
{
    int64_t now = vp_now_ms();
    sqlite3_stmt *s;
    vp_result res;
    if (now - last_seen < 60000)
        return;
    res = cst_begin(c);
    if (!res) {
        s = cst_prep(c, SQL_DEV_SEEN);
        cst_bind_text(s, 1, device_id);
        cst_bind_int(s, 2, now);
        res = cst_done(c, s);
        res = res ? res : cst_commit(c);
        if (res)
            cst_rollback(c);
    }
    if (res)
        vp_warn("central: could not note the last contact of a device: %s", vp_result_name(res));
}

static const char SQL_DEV_HEARTBEAT[] =
    "INSERT INTO device_health(device_id, app_version, catalog_version, pending_signals,"
    " oldest_pending, quarantined, last_attempt, last_success, disk_free_mb, device_time,"
    " received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT(device_id) DO UPDATE SET app_version = excluded.app_version,"
    " catalog_version = excluded.catalog_version, pending_signals = excluded.pending_signals,"
    " oldest_pending = excluded.oldest_pending, quarantined = excluded.quarantined,"
    " last_attempt = excluded.last_attempt, last_success = excluded.last_success,"
    " disk_free_mb = excluded.disk_free_mb, device_time = excluded.device_time,"
    " received_at = excluded.received_at";

vp_result cstore_device_heartbeat(struct cstore *st, const char *device_id,
                                  const struct vp_heartbeat *hb, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    sqlite3_stmt *s;
    if (!c)
        return res;
    res = cst_begin(c);
    if (res)
        return res;
    s = cst_prep(c, SQL_DEV_HEARTBEAT);
    cst_bind_text(s, 1, device_id);
    cst_bind_text(s, 2, hb->app_version);
    cst_bind_int(s, 3, hb->catalog_version);
    cst_bind_int(s, 4, hb->pending_signals);
    cst_bind_int(s, 5, hb->oldest_pending_ms);
    cst_bind_int(s, 6, hb->quarantined);
    cst_bind_int(s, 7, hb->last_attempt_ms);
    cst_bind_int(s, 8, hb->last_success_ms);
    cst_bind_int(s, 9, hb->disk_free_mb);
    cst_bind_int(s, 10, hb->device_time_ms);
    cst_bind_int(s, 11, now_ms);
    res = cst_done(c, s);
    res = res ? res : cst_commit(c);
    if (res)
        cst_rollback(c);
    return res;
}

static const char SQL_DEV_REVOKE[] =
    "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";

/* Checks the code inside the transaction: unknown, used, expired. */
static vp_result code_check(struct cconn *c, const char *hash, int64_t now_ms,
                            char loc[VP_UUID_LEN])
{
    sqlite3_stmt *s = cst_prep(c, SQL_CODE_GET);
    vp_result res;
    int rc;
    cst_bind_text(s, 1, hash);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        vp_strlcpy(loc, cst_col(s, 0), VP_UUID_LEN);
        res = sqlite3_column_type(s, 2) != SQLITE_NULL || cst_col_int(s, 1) <= now_ms
                  ? VP_ERR_REFUSED
                  : VP_OK;
    } else {
        res = rc == SQLITE_DONE ? VP_ERR_AUTH : cst_result(c, rc);
    }
    sqlite3_reset(s);
    return res;
}

static vp_result device_insert(struct cconn *c, const char *hash, struct cstore_device *dev,
                               char token[CSTORE_TOKEN_LEN], int64_t now_ms)
{
    char token_hash[VP_HASH_HEX_LEN];
    sqlite3_stmt *s;
    vp_result res;
    cst_random_token(token);
    cst_secret_hash(token, token_hash);
    s = cst_prep(c, SQL_DEV_ADD);
    cst_bind_text(s, 1, dev->id);
    cst_bind_text(s, 2, dev->location_id);
    cst_bind_text(s, 3, dev->name);
    cst_bind_text(s, 4, token_hash);
    cst_bind_int(s, 5, now_ms);
    if ((res = cst_done(c, s)) != VP_OK)
        return res;
    s = cst_prep(c, SQL_CODE_USE);
    cst_bind_text(s, 1, hash);
    cst_bind_int(s, 2, now_ms);
    cst_bind_text(s, 3, dev->id);
    return cst_done(c, s);
}

vp_result cstore_device_enroll(struct cstore *st, const char *code, const char *device_name,
                               int64_t now_ms, struct cstore_device *dev,
                               struct cstore_location *loc, char token[CSTORE_TOKEN_LEN])
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    char plain[CSTORE_CODE_CHARS + 1], hash[VP_HASH_HEX_LEN];
    if (!c)
        return res;
    if (!cstore_code_normalise(code, plain))
        return VP_ERR_AUTH; /* an 8-character code of an older version too */
    cst_code_hash(st, plain, hash);
    memset(dev, 0, sizeof(*dev));
    vp_uuid4(dev->id);
    vp_strlcpy(dev->name, device_name, sizeof(dev->name));
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    if ((res = code_check(c, hash, now_ms, dev->location_id)) ||
        (res = device_insert(c, hash, dev, token, now_ms)) ||
        (res = loc_read(c, dev->location_id, loc, NULL)) || (res = cst_commit(c)))
        cst_rollback(c);
    return res;
}

vp_result cstore_device_auth(struct cstore *st, const char *token, struct cstore_device *out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    char hash[VP_HASH_HEX_LEN];
    sqlite3_stmt *s;
    int rc;
    if (!c)
        return res;
    if (strlen(token) != CSTORE_TOKEN_LEN - 1)
        return VP_ERR_AUTH;
    cst_secret_hash(token, hash);
    s = cst_prep(c, SQL_DEV_AUTH);
    cst_bind_text(s, 1, hash);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        int64_t last_seen = cst_col_int(s, 3);
        vp_strlcpy(out->id, cst_col(s, 0), sizeof(out->id));
        vp_strlcpy(out->location_id, cst_col(s, 1), sizeof(out->location_id));
        vp_strlcpy(out->name, cst_col(s, 2), sizeof(out->name));
        sqlite3_reset(s);
        device_seen(c, out->id, last_seen);
        return VP_OK;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? VP_ERR_AUTH : cst_result(c, rc);
}

vp_result cstore_device_revoke(struct cstore *st, const char *device_id)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    sqlite3_stmt *s;
    if (!c)
        return res;
    s = cst_prep(c, SQL_DEV_REVOKE);
    cst_bind_text(s, 1, device_id);
    cst_bind_int(s, 2, vp_now_ms());
    if ((res = cst_done(c, s)) != VP_OK)
        return res;
    return sqlite3_changes(c->db) ? VP_OK : VP_ERR_NOT_FOUND;
}
