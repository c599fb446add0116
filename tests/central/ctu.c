#include "ctu.h"
#include "vp_alloc.h"
#include "vp_json.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
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

const char *const ctu_volatile_tables[] = { "audit", "sessions", NULL };

static int line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the rows of one table, sorted, to out. */
static int dump_table(sqlite3 *db, const char *table, struct vp_buf *out)
{
    char sql[200], **rows = NULL;
    size_t n = 0;
    sqlite3_stmt *s = NULL;
    snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "ctu: %s: %s\n", sql, sqlite3_errmsg(db));
        return -1;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct vp_buf row = VP_BUF_INIT;
        for (int i = 0; i < sqlite3_column_count(s); i++) {
            const unsigned char *v = sqlite3_column_text(s, i);
            vp_buf_addf(&row, "%s%s", i ? "|" : "", v ? (const char *)v : "NULL");
        }
        rows = vp_xrealloc(rows, (n + 1) * sizeof(*rows));
        rows[n++] = vp_buf_detach(&row, NULL);
    }
    sqlite3_finalize(s);
    if (n)
        qsort(rows, n, sizeof(*rows), line_cmp);
    vp_buf_addf(out, "[%s]\n", table);
    for (size_t i = 0; i < n; i++) {
        vp_buf_addf(out, "%s\n", rows[i] ? rows[i] : "");
        free(rows[i]);
    }
    free(rows);
    return 0;
}

static bool listed(const char *const list[], const char *name)
{
    for (size_t i = 0; list && list[i]; i++)
        if (!strcmp(list[i], name))
            return true;
    return false;
}

int ctu_db_dump(const char *dir, const char *const skip[], struct vp_buf *out)
{
    sqlite3 *db = db_open(dir, false);
    sqlite3_stmt *s = NULL;
    int bad = db ? 0 : -1, tables = 0;
    if (!bad && sqlite3_prepare_v2(db,
                                   "SELECT name FROM sqlite_master WHERE type = 'table'"
                                   " AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                   -1, &s, NULL) != SQLITE_OK)
        bad = -1;
    while (!bad && sqlite3_step(s) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        if (!listed(skip, name)) {
            bad = dump_table(db, name, out);
            tables++;
        }
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return bad ? bad : tables > 0 ? 0 : -1;
}

static void db_text_of(const char *dir, char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void db_text_of(const char *dir, char *out, size_t size, const char *fmt, ...)
{
    char sql[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    ctu_db_text(dir, sql, out, size);
}

/* Enrols a tablet at loc and pushes one observation for its first child. */
static int world_tablet(struct ctu_world *w, const char *loc, char *token, char *device,
                        char *child, char *signal)
{
    char code[16], staff[40];
    json_t *obs, *ans = NULL;
    int ok;
    ctu_code(w->dir, loc, code);
    if (ctu_enroll(w->url, code, token, device) != 200)
        return -1;
    db_text_of(w->dir, child, 40, "SELECT child_id FROM children WHERE location_id = '%s' LIMIT 1",
               loc);
    db_text_of(w->dir, staff, sizeof(staff),
               "SELECT staff_id FROM staff WHERE location_id = '%s' LIMIT 1", loc);
    obs = ctu_observation(child, staff, 2);
    vp_strlcpy(signal, json_string_value(json_object_get(obs, "id")), 40);
    ok = ctu_push(w->url, token, json_pack("[o]", obs), &ans) == 200 &&
         !strcmp(ctu_result(ans, 0), "stored");
    json_decref(ans);
    return ok ? 0 : -1;
}

static int world_coach(struct ctu_world *w, const char *email, const char *loc, bool admin,
                       char *id)
{
    struct central_http r;
    char body[400];
    json_t *js;
    long status;
    snprintf(body, sizeof(body),
             "{\"email\":\"%s\",\"name\":\"%s\",\"password\":\"%s\",\"locations\":[\"%s\"],"
             "\"admin\":%s}",
             email, email, CTU_PASSWORD, loc, admin ? "true" : "false");
    status = ctu_coach(w->url, "POST", "/api/console/admin/coaches", w->demo_cookie, w->demo_csrf,
                       body, &r);
    id[0] = '\0';
    if (status == 200 && (js = parse(&r)) != NULL) {
        vp_strlcpy(id, json_string_value(json_object_get(js, "id")), 40);
        json_decref(js);
    }
    if (status != 200)
        fprintf(stderr, "ctu: adding coach %s: %ld %s\n", email, status,
                r.body.data ? r.body.data : "");
    central_http_release(&r);
    return status == 200 ? 0 : -1;
}

int ctu_world_login(struct ctu_world *w)
{
    return ctu_login(w->url, "x@example.org", CTU_PASSWORD, w->x_cookie, w->x_csrf) == 200 &&
                   ctu_login(w->url, "y@example.org", CTU_PASSWORD, w->y_cookie, w->y_csrf) == 200
               ? 0
               : -1;
}

int ctu_world_make(struct ctu_world *w, const char *url, const char *dir,
                   const struct central_demo_location *locs, const char *demo_password, int own,
                   int foreign)
{
    struct central_http r;
    char path[200];
    memset(w, 0, sizeof(*w));
    w->url = url;
    w->dir = dir;
    vp_strlcpy(w->own, locs[own].id, sizeof(w->own));
    vp_strlcpy(w->foreign, locs[foreign].id, sizeof(w->foreign));
    vp_strlcpy(w->foreign_name, locs[foreign].name, sizeof(w->foreign_name));
    db_text_of(dir, w->org, sizeof(w->org), "SELECT org FROM locations WHERE id = '%s'",
               w->foreign);
    if (world_tablet(w, w->own, w->own_token, w->own_device, w->own_child, w->own_signal) ||
        world_tablet(w, w->foreign, w->foreign_token, w->foreign_device, w->foreign_child,
                     w->foreign_signal) ||
        ctu_login(url, "coach@kluppluz.example", demo_password, w->demo_cookie, w->demo_csrf) !=
            200 ||
        world_coach(w, "x@example.org", w->own, false, w->coach_x) ||
        world_coach(w, "y@example.org", w->own, true, w->admin_y) ||
        world_coach(w, "z@example.org", w->foreign, false, w->coach_z)) {
        fprintf(stderr, "ctu: cannot build the two-location world\n");
        return -1;
    }
    snprintf(path, sizeof(path), "/api/console/children/%s/case", w->foreign_child);
    if (ctu_coach(url, "POST", path, w->demo_cookie, w->demo_csrf, "{\"status\":\"reviewing\"}",
                  &r) != 200)
        return -1;
    central_http_release(&r);
    snprintf(path, sizeof(path), "/api/console/children/%s/advice", w->foreign_child);
    if (ctu_coach(url, "POST", path, w->demo_cookie, w->demo_csrf, "{\"text\":\"Samen oefenen.\"}",
                  &r) != 200)
        return -1;
    central_http_release(&r);
    return ctu_world_login(w);
}
