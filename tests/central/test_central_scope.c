/*
 * test_central_scope.c - every registered route, walked from the route
 * table itself (croutes_fill()), as a coach of another location and as an
 * admin of another location, with another location's ids in the path, the
 * query and the body. Each answer must be a 403 or 404 where the route
 * takes ids, never a 5xx, contain none of the other locations' ids, names,
 * pseudonyms or first names, and leave the database as it was. A new route
 * whose ids are not declared in its scope cannot even be registered
 * (test_route_without_scope_is_refused); one that reads an undeclared id
 * and acts on it shows up here as a change or a leak.
 */
#include "capi.h"
#include "ctu.h"
#include "vp_core.h"
#include "vp_test.h"
#include <sqlite3.h>

static struct central_proc srv;
static char dir[512], password[64];
static struct central_demo_location locs[5];
static struct ctu_world w;
static struct vp_buf markers;  /* NUL-separated texts no answer may contain */
static int requests, refusals; /* what the walk did, printed at the end */

/* A valid body for each route that takes one, apart from its ids (the
 * walk puts foreign ids into every declared body field). A POST route
 * missing here fails the walk: add what it needs to do real work. */
static const struct {
    const char *route, *body;
} samples[] = {
    { "POST /api/console/login", "{\"email\":\"z@example.org\",\"password\":\"falsch-falsch\"}" },
    { "POST /api/console/logout", "{}" },
    { "POST /api/console/signals/seen", "{\"ids\":[]}" },
    { "POST /api/console/signals/{id}/archive", "{\"reason\":\"other\"}" },
    { "POST /api/console/children/{id}/case",
      "{\"status\":\"closed\",\"closed_reason\":\"other\"}" },
    { "POST /api/console/children/{id}/advice", "{\"text\":\"Doe dit niet.\"}" },
    { "POST /api/console/children/{id}/erase", "{\"confirm\":true}" },
    { "POST /api/console/admin/locations", NULL }, /* filled in: the foreign location's name */
    { "POST /api/console/admin/locations/{id}/code", "{}" },
    { "POST /api/console/admin/locations/{id}/privacy", "{\"contact\":\"privacy@example.org\"}" },
    { "POST /api/console/admin/devices/{id}/revoke", "{}" },
    { "POST /api/console/admin/devices/{id}/name", "{\"name\":\"Overgenomen\"}" },
    { "POST /api/console/admin/locations/{id}/closed", "{\"until\":\"\"}" },
    { "POST /api/console/admin/coaches",
      "{\"email\":\"new@example.org\",\"name\":\"Nieuw\",\"password\":\"" CTU_PASSWORD
      "\",\"locations\":[],\"admin\":true}" },
    { "POST /api/console/admin/coaches/{id}", "{\"locations\":[],\"admin\":true}" },
    { "POST /api/v1/enroll", "{\"code\":\"AAAA-BBBB-CCCC\",\"device_name\":\"x\"}" },
    { "POST /api/v1/sync/push", "{\"records\":[]}" },
    { "POST /api/v1/sync/pull", "{\"since\":\"\",\"limit\":5}" },
};

static void marker(const char *text)
{
    if (text && strlen(text) >= 4) {
        vp_buf_adds(&markers, text);
        vp_buf_addch(&markers, '\0');
    }
}

/* Every id and name of the locations that are not w.own. */
static void collect_markers(void)
{
    static const char *const sql[] = {
        "SELECT id FROM locations WHERE id <> ?1",
        "SELECT name FROM locations WHERE id <> ?1",
        "SELECT child_id FROM children WHERE location_id <> ?1",
        "SELECT pseudonym FROM children WHERE location_id <> ?1",
        "SELECT '\"' || first_name || '\"' FROM children WHERE location_id <> ?1",
        "SELECT id FROM observations WHERE location_id <> ?1",
        "SELECT id FROM devices WHERE location_id <> ?1",
        "SELECT id FROM advice WHERE location_id <> ?1",
        "SELECT group_id FROM groups WHERE location_id <> ?1",
        "SELECT staff_id FROM staff WHERE location_id <> ?1",
    };
    char path[600];
    sqlite3 *db;
    snprintf(path, sizeof(path), "%s/central.db", dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return;
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(db, sql[i], -1, &s, NULL) != SQLITE_OK)
            continue;
        sqlite3_bind_text(s, 1, w.own, -1, SQLITE_STATIC);
        while (sqlite3_step(s) == SQLITE_ROW)
            marker((const char *)sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    marker(w.coach_z);
    marker("z@example.org");
}

/* The first marker in text, or NULL. */
static const char *leak(const char *text)
{
    for (size_t off = 0; text && off < markers.len; off += strlen(markers.data + off) + 1)
        if (strstr(text, markers.data + off))
            return markers.data + off;
    return NULL;
}

static const char *foreign_id(enum cstore_kind kind)
{
    switch (kind) {
    case CSTORE_KIND_LOCATION: return w.foreign;
    case CSTORE_KIND_CHILD: return w.foreign_child;
    case CSTORE_KIND_SIGNAL: return w.foreign_signal;
    case CSTORE_KIND_DEVICE: return w.foreign_device;
    case CSTORE_KIND_COACH: return w.coach_z;
    }
    return "";
}

static const struct chttp_scope *scope_of(const struct chttp_route *rt, const char *name,
                                          enum chttp_where where)
{
    for (const struct chttp_scope *sc = rt->scope; sc->where != CHTTP_IN_NONE; sc++)
        if (sc->where == where && !strncmp(sc->name, name, strlen(sc->name)) &&
            strlen(sc->name) == strlen(name))
            return sc;
    return NULL;
}

/* The path with every "{name}" replaced by a foreign id of its kind. */
static void build_path(const struct chttp_route *rt, struct vp_buf *out)
{
    for (const char *p = rt->pattern; *p; p++) {
        if (*p == '*') {
            vp_buf_adds(out, "console.css");
        } else if (*p == '{') {
            const char *end = strchr(p, '}');
            char name[64];
            const struct chttp_scope *sc;
            snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
            sc = scope_of(rt, name, CHTTP_IN_PATH);
            vp_buf_adds(out, sc ? foreign_id(sc->kind) : w.foreign_child);
            p = end;
        } else {
            vp_buf_addch(out, *p);
        }
    }
}

/* Foreign ids in every declared query parameter, and in the usual names. */
static void build_query(const struct chttp_route *rt, struct vp_buf *path)
{
    char sep = '?';
    for (const struct chttp_scope *sc = rt->scope; sc->where != CHTTP_IN_NONE; sc++) {
        if (sc->where != CHTTP_IN_QUERY)
            continue;
        vp_buf_addf(path, "%c%s=%s", sep, sc->name, foreign_id(sc->kind));
        sep = '&';
    }
    if (!scope_of(rt, "location", CHTTP_IN_QUERY))
        vp_buf_addf(path, "%clocation=%s", sep, w.foreign), sep = '&';
    if (!scope_of(rt, "child", CHTTP_IN_QUERY))
        vp_buf_addf(path, "%cchild=%s", sep, w.foreign_child);
}

/* The sample body with a foreign id (or a list of one) in every declared
 * body field; NULL if the route has no sample. */
static char *build_body(const struct chttp_route *rt)
{
    char key[200], name_body[300];
    const char *text = NULL;
    json_t *js;
    char *out;
    snprintf(key, sizeof(key), "%s %s", rt->method, rt->pattern);
    snprintf(name_body, sizeof(name_body), "{\"name\":\"%s\",\"org\":\"%s\"}", w.foreign_name,
             w.org);
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
        if (!strcmp(samples[i].route, key))
            text = samples[i].body ? samples[i].body : name_body;
    if (!text)
        return NULL;
    js = json_loads(text, 0, NULL);
    for (const struct chttp_scope *sc = rt->scope; js && sc->where != CHTTP_IN_NONE; sc++) {
        json_t *old = json_object_get(js, sc->name);
        if (sc->where != CHTTP_IN_BODY)
            continue;
        if (json_is_array(old))
            json_object_set_new(js, sc->name, json_pack("[s]", foreign_id(sc->kind)));
        else
            json_object_set_new(js, sc->name, json_string(foreign_id(sc->kind)));
    }
    out = json_dumps(js, JSON_COMPACT);
    json_decref(js);
    return out;
}

static bool has_scope(const struct chttp_route *rt)
{
    return rt->scope[0].where != CHTTP_IN_NONE;
}

/* One request as one caller; checks the status, the answer and the data. */
static void walk_one(const struct chttp_route *rt, const char *who, const char *cookie,
                     const char *csrf, bool admin, const char *path, const char *body,
                     bool want_refusal)
{
    struct vp_buf before = VP_BUF_INIT, after = VP_BUF_INIT;
    struct central_http r;
    const char *found;
    long status;
    CHECK_INT_EQ(ctu_db_dump(dir, ctu_volatile_tables, &before), 0);
    status = ctu_coach(srv.url, rt->method, path, cookie, csrf, body, &r);
    requests++;
    refusals += status == 403 || status == 404;
    CHECK_INT_EQ(ctu_db_dump(dir, ctu_volatile_tables, &after), 0);
    if (status == 0 || status >= 500)
        VP_TEST_FAIL_("%s %s as %s: status %ld: %.300s", rt->method, path, who, status,
                      r.body.data ? r.body.data : "");
    if (want_refusal && status != 403 && status != 404)
        VP_TEST_FAIL_("%s %s as %s: got %ld, want 403 or 404: %.300s", rt->method, path, who,
                      status, r.body.data ? r.body.data : "");
    if (rt->access == CHTTP_ADMIN && !admin && status != 403)
        VP_TEST_FAIL_("%s %s as a coach who is no admin: got %ld, want 403", rt->method, path,
                      status);
    if ((found = leak(r.body.data)) != NULL)
        VP_TEST_FAIL_("%s %s as %s: the answer names \"%s\" of another location: %.300s",
                      rt->method, path, who, found, r.body.data);
    if (strcmp(before.data, after.data) != 0)
        VP_TEST_FAIL_("%s %s as %s (status %ld) changed the data", rt->method, path, who, status);
    central_http_release(&r);
    vp_buf_release(&before);
    vp_buf_release(&after);
}

static void walk(const char *who, char *cookie, char *csrf, bool admin)
{
    struct chttp_router router;
    CHECK_OK(croutes_fill(&router));
    CHECK(router.n >= 30);
    for (size_t i = 0; i < router.n; i++) {
        const struct chttp_route *rt = router.routes[i];
        struct vp_buf path = VP_BUF_INIT;
        bool post = strcmp(rt->method, "GET") != 0;
        char *body = post ? build_body(rt) : NULL;
        bool coach_route = rt->access == CHTTP_COACH || rt->access == CHTTP_ADMIN;
        if (post && !body)
            VP_TEST_FAIL_("route %s %s has no sample body in test_central_scope.c", rt->method,
                          rt->pattern);
        build_path(rt, &path);
        build_query(rt, &path);
        walk_one(rt, who, cookie, csrf, admin, path.data, body, coach_route && has_scope(rt));
        /* a list without any filter shows only her own */
        if (!post && !strchr(rt->pattern, '{')) {
            vp_buf_reset(&path);
            build_path(rt, &path);
            walk_one(rt, who, cookie, csrf, admin, path.data, NULL, false);
        }
        free(body);
        vp_buf_release(&path);
        if (!strcmp(rt->pattern, "/api/console/logout"))
            CHECK_INT_EQ(ctu_world_login(&w), 0);
    }
    chttp_router_release(&router);
}

static void test_every_route_refuses_a_coach_of_another_location(void)
{
    walk("coach of another location", w.x_cookie, w.x_csrf, false);
}

static void test_every_route_refuses_an_admin_of_another_location(void)
{
    walk("admin of another location", w.y_cookie, w.y_csrf, true);
}

/* The walk above is only as good as the table: a route that captures an id
 * without saying what it names cannot be registered at all. */
static void dummy(struct chttp_req *req, struct chttp_resp *resp)
{
    (void)req;
    (void)resp;
}

static void test_route_without_scope_is_refused(void)
{
    static const struct chttp_route unscoped[] = {
        { "GET", "/api/console/children/{id}/notes", CHTTP_COACH, dummy, CHTTP_NO_IDS },
    };
    static const struct chttp_route misnamed[] = {
        { "GET",
          "/api/console/children/{child}",
          CHTTP_COACH,
          dummy,
          { { CHTTP_IN_PATH, "id", CSTORE_KIND_CHILD } } },
    };
    static const struct chttp_route scoped[] = {
        { "GET",
          "/api/console/children/{id}/notes",
          CHTTP_ADMIN,
          dummy,
          { { CHTTP_IN_PATH, "id", CSTORE_KIND_CHILD } } },
    };
    static const struct chttp_route device_scoped[] = {
        { "GET",
          "/api/v1/children/{id}",
          CHTTP_DEVICE,
          dummy,
          { { CHTTP_IN_PATH, "id", CSTORE_KIND_CHILD } } },
    };
    struct chttp_router r;
    const struct chttp_route *bad = NULL;
    chttp_router_init(&r, NULL);
    CHECK_ERR(chttp_router_add(&r, device_scoped, 1, &bad), VP_ERR_INVALID);
    CHECK_ERR(chttp_router_add(&r, unscoped, 1, &bad), VP_ERR_INVALID);
    CHECK(bad == &unscoped[0]);
    CHECK_ERR(chttp_router_add(&r, misnamed, 1, &bad), VP_ERR_INVALID);
    CHECK_INT_EQ(r.n, 0);
    CHECK_OK(chttp_router_add(&r, scoped, 1, &bad));
    CHECK_INT_EQ(r.n, 1);
    chttp_router_release(&r);
}

int main(void)
{
    char *tmp = vp_test_tempdir();
    snprintf(dir, sizeof(dir), "%s", tmp);
    vp_core_init();
    if (central_proc_demo(dir, locs, 5, password) != 5 ||
        central_proc_start(&srv, dir, NULL, NULL) != 0 ||
        ctu_world_make(&w, srv.url, dir, locs, password, 0, 3) != 0) {
        fprintf(stderr, "cannot set up the central service\n");
        return 1;
    }
    collect_markers();
    if (markers.len < 100) {
        fprintf(stderr, "too few markers of the other locations\n");
        return 1;
    }
    VP_TEST(test_route_without_scope_is_refused);
    VP_TEST(test_every_route_refuses_a_coach_of_another_location);
    VP_TEST(test_every_route_refuses_an_admin_of_another_location);
    fprintf(stderr, "%d requests walked, %d refused with 403/404\n", requests, refusals);
    if (central_proc_stop(&srv) != 0) {
        fprintf(stderr, "FAIL: the server did not stop cleanly\n");
        vp_test_failures++;
    }
    vp_buf_release(&markers);
    vp_test_rmtree(dir);
    free(tmp);
    return vp_test_done();
}
