#include "ctu.h"
#include "vp_json.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const json_headers[] = { "Content-Type: application/json", NULL };

static json_t *parse(const struct central_http *r)
{
    json_error_t err;
    return json_loadb(r->body.data, r->body.len, 0, &err);
}

long ctu_enroll(const char *url, const char *code, char *token, char *device_id)
{
    struct central_http r;
    char body[256];
    json_t *js;
    long status;
    snprintf(body, sizeof(body), "{\"code\":\"%s\",\"device_name\":\"test\"}", code);
    central_http("POST", url, "/api/v1/enroll", json_headers, body, strlen(body), 0, &r);
    status = r.status;
    token[0] = device_id[0] = '\0';
    if (status == 200 && (js = parse(&r)) != NULL) {
        vp_strlcpy(token, json_string_value(json_object_get(js, "token")), 64);
        vp_strlcpy(device_id, json_string_value(json_object_get(js, "device_id")), 40);
        json_decref(js);
    }
    central_http_release(&r);
    return status;
}

void ctu_code(const char *dir, const char *location_id, char code[16])
{
    const char *argv[] = { "enroll-code", "--location", location_id, NULL };
    struct vp_buf out = VP_BUF_INIT;
    code[0] = '\0';
    if (central_proc_run(dir, argv, NULL, &out) == 0)
        vp_strlcpy(code, out.data, 16);
    code[strcspn(code, "\n")] = '\0';
    vp_buf_release(&out);
}

static long authed(const char *method, const char *url, const char *path, const char *token,
                   const char *body, json_t **answer)
{
    struct central_http r;
    char auth[128];
    const char *headers[] = { auth, "Content-Type: application/json", NULL };
    long status;
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    central_http(method, url, path, headers, body, body ? strlen(body) : 0, 0, &r);
    status = r.status;
    if (answer)
        *answer = parse(&r);
    central_http_release(&r);
    return status;
}

long ctu_push(const char *url, const char *token, json_t *records, json_t **answer)
{
    json_t *req = json_pack("{s:o}", "records", records);
    char *body = json_dumps(req, JSON_COMPACT);
    long status = authed("POST", url, "/api/v1/sync/push", token, body, answer);
    free(body);
    json_decref(req);
    return status;
}

long ctu_pull(const char *url, const char *token, int64_t since, int limit, json_t **answer)
{
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/sync/pull?since=%lld&limit=%d", (long long)since, limit);
    return authed("GET", url, path, token, NULL, answer);
}

long ctu_pull_post(const char *url, const char *token, json_t *request, json_t **answer)
{
    char *body = json_dumps(request, JSON_COMPACT);
    long status = authed("POST", url, "/api/v1/sync/pull", token, body, answer);
    free(body);
    json_decref(request);
    return status;
}

const char *ctu_result(json_t *answer, size_t i)
{
    json_t *r = json_array_get(json_object_get(answer, "results"), i);
    const char *s = json_string_value(json_object_get(r, "status"));
    return s ? s : "";
}

static pthread_mutex_t gen_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vp_uuid7 gen;

void ctu_uuid(char out[40])
{
    pthread_mutex_lock(&gen_lock);
    vp_uuid7_next(&gen, vp_now_ms(), out);
    pthread_mutex_unlock(&gen_lock);
}

json_t *ctu_observation(const char *child_id, const char *staff_id, int level)
{
    char id[40], t[VP_TIME_LEN];
    ctu_uuid(id);
    vp_time_format(vp_now_ms(), t);
    return json_pack("{s:s,s:s,s:s,s:s,s:[s,s],s:i,s:s,s:s,s:b,s:s,s:b,s:b,s:s,s:i}", "type",
                     "observation", "id", id, "child_id", child_id, "staff_id", staff_id, "signals",
                     "TAAL-02", "SOC-01", "level", level, "frequency", "often", "note",
                     "speelt vaak alleen", "parents_informed", 1, "consultation", "none",
                     "consent_confirmed", 0, "retracted", 0, "device_time", t, "catalog_version",
                     1);
}

json_t *ctu_child(const char *child_id, const char *group_id, const char *first_name)
{
    char id[40], t[VP_TIME_LEN];
    ctu_uuid(id);
    vp_time_format(vp_now_ms(), t);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s}", "type", "child", "id", id, "child_id",
                     child_id, "group_id", group_id, "first_name", first_name, "birth_month",
                     "2024-03", "pseudonym", "K-TEST", "archived", 0, "device_time", t);
}

static sqlite3 *db_open(const char *dir, bool write)
{
    char path[600];
    sqlite3 *db = NULL;
    snprintf(path, sizeof(path), "%s/central.db", dir);
    if (sqlite3_open_v2(path, &db, write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, NULL) !=
        SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 10000);
    return db;
}

void ctu_db_text(const char *dir, const char *sql, char *out, size_t size)
{
    sqlite3 *db = db_open(dir, false);
    sqlite3_stmt *s = NULL;
    out[0] = '\0';
    if (db && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        vp_strlcpy(out, (const char *)sqlite3_column_text(s, 0), size);
    else if (db && !s)
        fprintf(stderr, "ctu: %s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    sqlite3_close(db);
}

int64_t ctu_db_int(const char *dir, const char *sql)
{
    char text[64];
    int64_t v = -1;
    ctu_db_text(dir, sql, text, sizeof(text));
    if (!vp_parse_i64(text, INT64_MIN, INT64_MAX, &v))
        return -1;
    return v;
}

int ctu_db_exec(const char *dir, const char *sql)
{
    sqlite3 *db = db_open(dir, true);
    int rc = db ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_ERROR;
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

long ctu_login(const char *url, const char *email, const char *password, char *cookie, char *csrf)
{
    struct central_http r;
    char body[512], set[400];
    json_t *js;
    long status;
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    central_http("POST", url, "/api/console/login", json_headers, body, strlen(body), 0, &r);
    status = r.status;
    cookie[0] = csrf[0] = '\0';
    if (status == 200 && central_http_header(&r, "Set-Cookie", set, sizeof(set))) {
        set[strcspn(set, ";")] = '\0';
        vp_strlcpy(cookie, set, 64);
        if ((js = parse(&r)) != NULL) {
            vp_strlcpy(csrf, json_string_value(json_object_get(js, "csrf")), 64);
            json_decref(js);
        }
    }
    central_http_release(&r);
    return status;
}

long ctu_coach(const char *url, const char *method, const char *path, const char *cookie,
               const char *csrf, const char *body, struct central_http *out)
{
    char c[128], x[128];
    const char *headers[] = { c, "Content-Type: application/json", csrf ? x : NULL, NULL };
    snprintf(c, sizeof(c), "Cookie: %s", cookie);
    snprintf(x, sizeof(x), "X-CSRF-Token: %s", csrf ? csrf : "");
    central_http(method, url, path, headers, body, body ? strlen(body) : 0, 0, out);
    return out->status;
}
