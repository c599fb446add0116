/*
 * cstore_coach.c - coach accounts (argon2id), their locations, sessions and
 * the audit log.
 */
#include "cstore_int.h"
#include "vp_alloc.h"
#include "vp_log.h"
#include "vp_str.h"
#include "vp_time.h"
#include <pthread.h>
#include <sodium.h>
#include <string.h>

static const char SQL_COACH_BY_EMAIL[] = "SELECT id, email, name, pw_hash FROM coaches"
                                         " WHERE email = ?1 COLLATE NOCASE";
static const char SQL_COACH_ADD[] = "INSERT INTO coaches(id, email, name, pw_hash, created_at)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_COACH_SET[] = "UPDATE coaches SET name = ?2, pw_hash = ?3 WHERE id = ?1";
static const char SQL_COACH_ASSIGN[] =
    "INSERT OR IGNORE INTO coach_locations(coach_id, location_id) VALUES (?1, ?2)";
static const char SQL_COACH_MAY[] =
    "SELECT 1 FROM coach_locations WHERE coach_id = ?1 AND location_id = ?2";
static const char SQL_COACH_LOCS[] =
    "SELECT l.id, l.name, l.org FROM coach_locations cl JOIN locations l ON l.id = cl.location_id"
    " WHERE cl.coach_id = ?1 ORDER BY l.name";

/* Reads a coach by email; the hash goes to pw (may be NULL). */
static vp_result coach_find(struct cconn *c, const char *email, struct cstore_coach *out, char *pw,
                            size_t pwsize)
{
    sqlite3_stmt *s = cst_prep(c, SQL_COACH_BY_EMAIL);
    int rc;
    cst_bind_text(s, 1, email);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        vp_strlcpy(out->id, cst_col(s, 0), sizeof(out->id));
        vp_strlcpy(out->email, cst_col(s, 1), sizeof(out->email));
        vp_strlcpy(out->name, cst_col(s, 2), sizeof(out->name));
        if (pw)
            vp_strlcpy(pw, cst_col(s, 3), pwsize);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? VP_OK : rc == SQLITE_DONE ? VP_ERR_NOT_FOUND : cst_result(c, rc);
}

static vp_result coach_write(struct cconn *c, const char *email, const char *name, const char *hash,
                             struct cstore_coach *out)
{
    sqlite3_stmt *s;
    vp_result res = coach_find(c, email, out, NULL, 0);
    if (res == VP_ERR_NOT_FOUND) {
        memset(out, 0, sizeof(*out));
        vp_uuid4(out->id);
        vp_strlcpy(out->email, email, sizeof(out->email));
        s = cst_prep(c, SQL_COACH_ADD);
        cst_bind_text(s, 1, out->id);
        cst_bind_text(s, 2, email);
        cst_bind_text(s, 3, name);
        cst_bind_text(s, 4, hash);
        cst_bind_int(s, 5, vp_now_ms());
    } else if (res == VP_OK) {
        s = cst_prep(c, SQL_COACH_SET);
        cst_bind_text(s, 1, out->id);
        cst_bind_text(s, 2, name);
        cst_bind_text(s, 3, hash);
    } else {
        return res;
    }
    vp_strlcpy(out->name, name, sizeof(out->name));
    return cst_done(c, s);
}

vp_result cstore_coach_add(struct cstore *st, const char *email, const char *name,
                           const char *password, const char *const *location_ids, size_t nloc,
                           struct cstore_coach *out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    char hash[crypto_pwhash_STRBYTES];
    if (!c)
        return res;
    if (!strchr(email, '@') || strlen(email) >= sizeof(out->email) || !*name ||
        vp_utf8_length(name) > 80 || !vp_utf8_valid_text(name, strlen(name)) ||
        strlen(password) < 8)
        return VP_ERR_INVALID;
    if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        vp_out_of_memory("argon2id"); /* its only failure for a bounded password */
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    res = coach_write(c, email, name, hash, out);
    for (size_t i = 0; !res && i < nloc; i++) {
        sqlite3_stmt *s = cst_prep(c, SQL_COACH_ASSIGN);
        cst_bind_text(s, 1, out->id);
        cst_bind_text(s, 2, location_ids[i]);
        res = cst_done(c, s);
        if (res == VP_ERR_CONSTRAINT)
            res = VP_ERR_NOT_FOUND; /* no such location */
    }
    if (res || (res = cst_commit(c)) != VP_OK)
        cst_rollback(c);
    return res;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void make_dummy(void)
{
    if (crypto_pwhash_str(dummy_hash, "no such coach", 13, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        vp_out_of_memory("argon2id");
}

vp_result cstore_coach_login(struct cstore *st, const char *email, const char *password,
                             struct cstore_coach *out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    char hash[crypto_pwhash_STRBYTES];
    bool ok;
    if (!c)
        return res;
    res = coach_find(c, email, out, hash, sizeof(hash));
    if (res && res != VP_ERR_NOT_FOUND)
        return res;
    if (res) {
        /* spend the same time as for a real account */
        pthread_once(&dummy_once, make_dummy);
        vp_strlcpy(hash, dummy_hash, sizeof(hash));
    }
    ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    return ok && !res ? VP_OK : VP_ERR_AUTH;
}

bool cst_coach_may(struct cconn *c, const char *coach_id, const char *location_id)
{
    sqlite3_stmt *s;
    bool ok;
    if (!coach_id)
        return true; /* the operator on the command line */
    s = cst_prep(c, SQL_COACH_MAY);
    cst_bind_text(s, 1, coach_id);
    cst_bind_text(s, 2, location_id);
    ok = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    return ok;
}

bool cstore_coach_may(struct cstore *st, const char *coach_id, const char *location_id)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    return c && cst_coach_may(c, coach_id, location_id);
}

vp_result cstore_coach_locations(struct cstore *st, const char *coach_id, json_t **out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    sqlite3_stmt *s;
    int rc;
    if (!c)
        return res;
    *out = json_array();
    s = cst_prep(c, SQL_COACH_LOCS);
    cst_bind_text(s, 1, coach_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(*out, json_pack("{s:s,s:s,s:s}", "id", cst_col(s, 0), "name",
                                              cst_col(s, 1), "org", cst_col(s, 2)));
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? VP_OK : cst_result(c, rc);
}

/* ---- sessions ---- */

static const char SQL_SESS_ADD[] = "INSERT INTO sessions(sid_hash, coach_id, csrf, created_at,"
                                   " last_seen) VALUES (?1, ?2, ?3, ?4, ?4)";
static const char SQL_SESS_GET[] =
    "SELECT s.csrf, s.created_at, s.last_seen, c.id, c.email, c.name FROM sessions s"
    " JOIN coaches c ON c.id = s.coach_id WHERE s.sid_hash = ?1";
static const char SQL_SESS_TOUCH[] = "UPDATE sessions SET last_seen = ?2 WHERE sid_hash = ?1";
static const char SQL_SESS_END[] = "DELETE FROM sessions WHERE sid_hash = ?1";
static const char SQL_SESS_PURGE[] = "DELETE FROM sessions WHERE last_seen < ?1";

vp_result cstore_session_new(struct cstore *st, const char *coach_id, int64_t now_ms,
                             char sid[CSTORE_SID_LEN], struct cstore_session *out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    char hash[VP_HASH_HEX_LEN];
    sqlite3_stmt *s;
    if (!c)
        return res;
    cst_random_token(sid);
    cst_random_token(out->csrf);
    out->created_ms = out->last_seen_ms = now_ms;
    cst_secret_hash(sid, hash);
    s = cst_prep(c, SQL_SESS_ADD);
    cst_bind_text(s, 1, hash);
    cst_bind_text(s, 2, coach_id);
    cst_bind_text(s, 3, out->csrf);
    cst_bind_int(s, 4, now_ms);
    if ((res = cst_done(c, s)) != VP_OK)
        return res;
    /* sessions idle for a day are gone for good */
    s = cst_prep(c, SQL_SESS_PURGE);
    cst_bind_int(s, 1, now_ms - 24LL * 3600 * 1000);
    return cst_done(c, s);
}

static vp_result sess_simple(struct cconn *c, const char *sql, const char *hash, int64_t now)
{
    sqlite3_stmt *s = cst_prep(c, sql);
    cst_bind_text(s, 1, hash);
    if (sql == SQL_SESS_TOUCH)
        cst_bind_int(s, 2, now);
    return cst_done(c, s);
}

vp_result cstore_session_get(struct cstore *st, const char *sid, int64_t now_ms, int64_t idle_ms,
                             int64_t abs_ms, struct cstore_session *sess,
                             struct cstore_coach *coach)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    char hash[VP_HASH_HEX_LEN];
    sqlite3_stmt *s;
    int rc;
    if (!c)
        return res;
    if (strlen(sid) != CSTORE_SID_LEN - 1)
        return VP_ERR_AUTH;
    cst_secret_hash(sid, hash);
    s = cst_prep(c, SQL_SESS_GET);
    cst_bind_text(s, 1, hash);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        vp_strlcpy(sess->csrf, cst_col(s, 0), sizeof(sess->csrf));
        sess->created_ms = cst_col_int(s, 1);
        sess->last_seen_ms = cst_col_int(s, 2);
        vp_strlcpy(coach->id, cst_col(s, 3), sizeof(coach->id));
        vp_strlcpy(coach->email, cst_col(s, 4), sizeof(coach->email));
        vp_strlcpy(coach->name, cst_col(s, 5), sizeof(coach->name));
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? VP_ERR_AUTH : cst_result(c, rc);
    if (now_ms - sess->last_seen_ms > idle_ms || now_ms - sess->created_ms > abs_ms) {
        sess_simple(c, SQL_SESS_END, hash, now_ms);
        return VP_ERR_AUTH;
    }
    /* touch at most once a minute: a session read should rarely write */
    if (now_ms - sess->last_seen_ms > 60000)
        sess_simple(c, SQL_SESS_TOUCH, hash, now_ms);
    return VP_OK;
}

vp_result cstore_session_end(struct cstore *st, const char *sid)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    char hash[VP_HASH_HEX_LEN];
    if (!c)
        return res;
    cst_secret_hash(sid, hash);
    return sess_simple(c, SQL_SESS_END, hash, 0);
}

/* ---- audit ---- */

static const char SQL_AUDIT_ADD[] = "INSERT INTO audit(at, coach_id, action, child_id, location_id,"
                                    " detail, ip) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_AUDIT_LIST[] =
    "SELECT a.at, a.coach_id, COALESCE(c.name, ''), a.action, a.child_id, a.location_id,"
    " a.detail FROM audit a LEFT JOIN coaches c ON c.id = a.coach_id"
    " WHERE ?1 IS NULL OR a.coach_id = ?1 OR a.location_id IN"
    " (SELECT location_id FROM coach_locations WHERE coach_id = ?1)"
    " ORDER BY a.id DESC LIMIT ?2";

vp_result cst_audit(struct cconn *c, const char *coach_id, const char *action, const char *child_id,
                    const char *location_id, const char *detail, const char *ip, int64_t now_ms)
{
    sqlite3_stmt *s = cst_prep(c, SQL_AUDIT_ADD);
    cst_bind_int(s, 1, now_ms);
    cst_bind_text(s, 2, coach_id);
    cst_bind_text(s, 3, action);
    cst_bind_text(s, 4, child_id);
    cst_bind_text(s, 5, location_id);
    cst_bind_text(s, 6, detail ? detail : "");
    cst_bind_text(s, 7, ip ? ip : "");
    return cst_done(c, s);
}

vp_result cstore_audit(struct cstore *st, const char *coach_id, const char *action,
                       const char *child_id, const char *location_id, const char *detail,
                       const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    return c ? cst_audit(c, coach_id, action, child_id, location_id, detail, ip, now_ms) : res;
}

vp_result cstore_audit_list(struct cstore *st, const char *coach_id, int limit, json_t **out)
{
    vp_result res;
    struct cconn *c = cst_conn(st, &res);
    sqlite3_stmt *s;
    int rc;
    if (!c)
        return res;
    *out = json_array();
    s = cst_prep(c, SQL_AUDIT_LIST);
    cst_bind_text(s, 1, coach_id);
    cst_bind_int(s, 2, limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        char at[VP_TIME_LEN];
        json_t *e = json_object();
        vp_time_format(cst_col_int(s, 0), at);
        json_object_set_new(e, "at", json_string(at));
        json_object_set_new(e, "coach_id", json_string(cst_col(s, 1)));
        json_object_set_new(e, "coach", json_string(cst_col(s, 2)));
        json_object_set_new(e, "action", json_string(cst_col(s, 3)));
        json_object_set_new(e, "child_id", json_string(cst_col(s, 4)));
        json_object_set_new(e, "location_id", json_string(cst_col(s, 5)));
        json_object_set_new(e, "detail", json_string(cst_col(s, 6)));
        json_array_append_new(*out, e);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? VP_OK : cst_result(c, rc);
}
