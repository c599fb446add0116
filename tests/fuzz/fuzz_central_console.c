/*
 * fuzz_central_console.c - libFuzzer target for the console handlers that
 * take a body (case, advice, archive, seen, and the admin routes), driven
 * through the real route table (croutes_fill()) and capi_authorize() with a
 * request made without a connection: a logged-in admin coach (session
 * cookie and CSRF token) of one location, on a real store in a temporary
 * folder (in /dev/shm when there is one).
 *
 * Input: byte 0 picks the route, byte 1 the id in its path (her child, a
 * child of another location, her location, another location, another
 * coach, an unknown id, no UUID at all) and the answer's language; the rest
 * is the body. Every answer must be below 500, and a JSON answer must parse,
 * with "error" and "message" strings when it is an error. Seeds are in
 * tests/fuzz/corpus/console, the dictionary in console.dict;
 * VP_FUZZ_TRACE=1 prints each path, status and answer.
 */
#include "capi.h"
#include "vp_alloc.h"
#include "vp_core.h"
#include "vp_platform.h"
#include "vp_str.h"
#include "vp_time.h"
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The path before and after its id (NULL: a path without an id). */
static const struct {
    const char *head, *tail;
} route_paths[] = {
    { "/api/console/children/", "/case" },        { "/api/console/children/", "/advice" },
    { "/api/console/signals/", "/archive" },      { "/api/console/signals/seen", NULL },
    { "/api/console/admin/locations", NULL },     { "/api/console/admin/locations/", "/code" },
    { "/api/console/admin/coaches", NULL },       { "/api/console/admin/coaches/", "" },
    { "/api/console/admin/devices/", "/revoke" },
};
#define NROUTES (sizeof(route_paths) / sizeof(route_paths[0]))

static struct {
    char dir[256];
    struct cstore *store;
    struct capp app;
    struct chttp_router router;
    char cookie[CSTORE_SID_LEN + 16], sid[CSTORE_SID_LEN];
    struct cstore_session session;
    char ids[7][VP_UUID_LEN + 8]; /* the path ids byte 1 chooses from */
} fz;

static void cleanup(void)
{
    static const char *const files[] = { "central.db", "central.db-wal", "central.db-shm", NULL };
    for (int i = 0; files[i]; i++) {
        char *p = vp_path_join(fz.dir, files[i]);
        unlink(p);
        free(p);
    }
    rmdir(fz.dir);
}

static void seed_child(const char *loc, char out[VP_UUID_LEN])
{
    struct vp_uuid7 gen = { 0, 0 };
    struct vp_record rec;
    char group[VP_UUID_LEN];
    memset(&rec, 0, sizeof(rec));
    rec.type = VP_REC_GROUP;
    vp_uuid7_next(&gen, vp_now_ms(), rec.u.group.id);
    vp_uuid7_next(&gen, vp_now_ms(), rec.u.group.group_id);
    vp_strlcpy(rec.u.group.name, "Groep", sizeof(rec.u.group.name));
    rec.u.group.device_time_ms = vp_now_ms();
    if (cstore_location_seed(fz.store, loc, &rec, vp_now_ms()) != VP_OK)
        abort();
    vp_strlcpy(group, rec.u.group.group_id, sizeof(group));
    memset(&rec.u, 0, sizeof(rec.u));
    rec.type = VP_REC_CHILD;
    vp_uuid7_next(&gen, vp_now_ms(), rec.u.child.id);
    vp_uuid7_next(&gen, vp_now_ms(), rec.u.child.child_id);
    vp_strlcpy(rec.u.child.group_id, group, sizeof(rec.u.child.group_id));
    vp_strlcpy(rec.u.child.first_name, "Noor", sizeof(rec.u.child.first_name));
    vp_strlcpy(rec.u.child.birth_month, "2023-04", sizeof(rec.u.child.birth_month));
    vp_strlcpy(rec.u.child.pseudonym, "K-F0ZZ", sizeof(rec.u.child.pseudonym));
    rec.u.child.device_time_ms = vp_now_ms();
    if (cstore_location_seed(fz.store, loc, &rec, vp_now_ms()) != VP_OK)
        abort();
    vp_strlcpy(out, rec.u.child.child_id, VP_UUID_LEN);
}

static void setup(void)
{
    struct cstore_location own, other;
    struct cstore_coach coach, peer;
    const char *mine[1];
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    snprintf(fz.dir, sizeof(fz.dir), "%s/vp-fuzz-console-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(fz.dir))
        abort();
    atexit(cleanup);
    if (cstore_open(fz.dir, &fz.store) != VP_OK ||
        cstore_location_add(fz.store, "Eigen", "Fuzz", &own) != VP_OK ||
        cstore_location_add(fz.store, "Ander", "Fuzz", &other) != VP_OK)
        abort();
    mine[0] = own.id;
    /* the first coach is the admin while console_admins is empty */
    if (cstore_coach_add(fz.store, "fuzz@example.org", "Fuzz", "fuzz-fuzz-fuzz", mine, 1, &coach) !=
            VP_OK ||
        cstore_coach_add(fz.store, "peer@example.org", "Peer", "peer-peer-peer", mine, 1, &peer) !=
            VP_OK ||
        cstore_session_new(fz.store, coach.id, vp_now_ms(), fz.sid, &fz.session) != VP_OK)
        abort();
    snprintf(fz.cookie, sizeof(fz.cookie), "%s", fz.sid);
    seed_child(own.id, fz.ids[0]);
    seed_child(other.id, fz.ids[1]);
    vp_strlcpy(fz.ids[2], own.id, sizeof(fz.ids[2]));
    vp_strlcpy(fz.ids[3], other.id, sizeof(fz.ids[3]));
    vp_strlcpy(fz.ids[4], peer.id, sizeof(fz.ids[4]));
    vp_uuid4(fz.ids[5]);
    vp_strlcpy(fz.ids[6], "n\xc3\xa9t-een-uuid", sizeof(fz.ids[6]));
    capp_init(&fz.app, fz.store, NULL);
    if (croutes_fill(&fz.router) != VP_OK)
        abort();
}

/* What every answer must be: below 500, and well-formed when it is JSON. */
static void check_answer(const struct chttp_resp *resp)
{
    json_t *js, *err, *msg;
    if (resp->status < 200 || resp->status >= 500)
        abort();
    if (resp->content_type && strcmp(resp->content_type, "application/json") != 0)
        return;
    js = json_loadb(resp->body.data ? resp->body.data : "", resp->body.len, 0, NULL);
    if (!js)
        abort();
    err = json_object_get(js, "error");
    msg = json_object_get(js, "message");
    if (resp->status >= 400 && (!json_is_string(err) || !json_is_string(msg)))
        abort();
    json_decref(js);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    struct chttp_req *req;
    struct chttp_resp resp;
    char path[200], *body;
    const struct chttp_kv headers[] = { { "Content-Type", "application/json" },
                                        { "X-CSRF-Token", fz.session.csrf },
                                        { NULL, NULL } };
    const struct chttp_kv cookies[] = { { CAPI_SESSION_COOKIE, fz.cookie }, { NULL, NULL } };
    if (!ready) {
        vp_core_init();
        setup();
        ready = true;
    }
    if (size < 2)
        return 0;
    {
        unsigned r = data[0] % NROUTES;
        const char *tail = route_paths[r].tail;
        snprintf(path, sizeof(path), "%s%s%s", route_paths[r].head,
                 tail ? fz.ids[(data[1] & 0x7f) % 7] : "", tail ? tail : "");
    }
    req = vp_xcalloc(1, sizeof(*req));
    memset(&resp, 0, sizeof(resp));
    vp_buf_init(&resp.body);
    resp.status = 200;
    req->app = &fz.app;
    req->method = "POST";
    req->path = path;
    body = vp_xmalloc(size - 1);
    memcpy(body, data + 2, size - 2);
    body[size - 2] = '\0';
    req->body = body;
    req->body_len = size - 2;
    req->fake_headers = headers;
    req->fake_cookies = cookies;
    req->lang = data[1] & 0x80 ? VP_LANG_EN : VP_LANG_NL;
    vp_strlcpy(req->ip, "127.0.0.1", sizeof(req->ip));
    chttp_router_dispatch(&fz.router, req, &resp);
    if (getenv("VP_FUZZ_TRACE")) /* see what the corpus reaches */
        fprintf(stderr, "%s %d %.160s\n", path, resp.status, resp.body.data ? resp.body.data : "");
    check_answer(&resp);
    vp_buf_release(&resp.body);
    free(body);
    free(req);
    return 0;
}
