/*
 * test_model.c - the model-based test of "one truth about a signal".
 *
 * For each seed a generator makes a random history of what a pm'er and the
 * world do to one tablet: save a signal, add extras, change the level or the
 * note (with children's names in it), undo (also twice, as a double tap),
 * leave the screen, lock, let time pass, sync over a good link, over a link
 * cut before the request or after the centre acted but before its answer
 * reached the tablet, kill the kiosk (its store is reopened and settles as at
 * start-up), back the centre up and restore it from an older backup. Every
 * step goes through the real device store, the real sync client and the real
 * central service (a child process behind a fault proxy, tests/sync/world.h).
 * Beside it runs a small reference model (model.c), written from the rules in
 * docs/sync.md as a person sees them, not from the product's code.
 *
 * After each history the link is healed and the tablet drained; then the
 * tablet's own view of every child, the centre's stored signals and every
 * coach view (inbox "all" and "Nieuw", child page, Kinderen, Overzicht,
 * Beheer, the case, the CSV export, the dossier) must say exactly what the
 * model says: each live signal once, with its last content; an undone one
 * nowhere, and its content gone from the centre's database.
 *
 * Each seed works in a location of its own, so a seed replays alone: a failure
 * prints `VP_MODEL_SEEDS=1 VP_MODEL_FIRST=N` and the history. VP_MODEL_SEEDS
 * sets how many seeds run, VP_MODEL_FIRST the first one, VP_MODEL_STEPS the
 * steps per seed (at least 50).
 */
#include "central_proc.h"
#include "devstore.h"
#include "model.h"
#include "sync_client.h"
#include "vp_core.h"
#include "vp_fault.h"
#include "vp_test.h"
#include "world.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NCHILD      3
#define MAX_BACKUPS 4
#define HIST_MAX    4096

/* ---- a small deterministic generator (splitmix64) ---- */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static unsigned below(struct rng *r, unsigned n)
{
    return (unsigned)(rng_next(r) % n);
}

/* ---- one seed's world ---- */

static const char *const child_names[NCHILD] = { "Zoë", "Daan", "Roos" };
static const char *const codes[] = { "TAAL-02", "SOC-05", "GED-01", "SPEL-02", "ZELF-04",
                                     "MOT-03",  "WEL-06", "ZIN-02", "TAAL-08" };
#define NCODES (sizeof(codes) / sizeof(codes[0]))

struct seed {
    uint64_t n;
    struct rng rng;
    struct world *w;
    char loc_id[VP_UUID_LEN];
    char path[512]; /* the tablet's kiosk.db */
    struct devstore *db;
    char child[NCHILD][VP_UUID_LEN];
    char staff[VP_UUID_LEN];
    struct model m;
    char current[VP_UUID_LEN]; /* the signal on screen, "" if none */
    char backups[MAX_BACKUPS][512];
    int nbackups;
    bool restored;       /* the centre was restored and the tablet has not synced since */
    char hist[HIST_MAX]; /* the history so far, for a failure report */
    size_t hlen;
};

/* Adds "what arg;" to the history printed with a failure. */
static void note_step(struct seed *s, const char *what, const char *arg)
{
    int n = snprintf(s->hist + s->hlen, sizeof(s->hist) - s->hlen, "%s%s%s", what, arg ? " " : "",
                     arg ? arg : "");
    if (n > 0 && s->hlen + (size_t)n < sizeof(s->hist) - 2) {
        s->hlen += (size_t)n;
        s->hist[s->hlen++] = ';';
        s->hist[s->hlen] = '\0';
    }
}

/* ---- the coach, over the console API ---- */

static char coach_cookie[128], coach_csrf[128];
static int coach_login(struct world *w);

static long coach_once(struct world *w, const char *method, const char *path, const char *body,
                       struct central_http *out)
{
    char c[160], x[160];
    const char *headers[] = { c, "Content-Type: application/json", x, NULL };
    snprintf(c, sizeof(c), "Cookie: %s", coach_cookie);
    snprintf(x, sizeof(x), "X-CSRF-Token: %s", coach_csrf);
    central_http(method, w->url, path, headers, body, body ? strlen(body) : 0, 0, out);
    return out->status;
}

/* A coach request; logs in again only when the session is gone (a restore
 * from a backup made before the login). Logging in is argon2id: slow. */
static long coach(struct world *w, const char *method, const char *path, const char *body,
                  struct central_http *out)
{
    if (coach_once(w, method, path, body, out) != 401)
        return out->status;
    central_http_release(out);
    if (coach_login(w) != 0)
        return 401;
    return coach_once(w, method, path, body, out);
}

static json_t *coach_json(struct world *w, const char *method, const char *path, const char *body)
{
    struct central_http r;
    json_t *js = NULL;
    if (coach(w, method, path, body, &r) == 200)
        vp_json_parse(r.body.data, r.body.len, &js, NULL);
    else
        fprintf(stderr, "model: %s %s answered %ld: %.*s\n", method, path, r.status,
                (int)r.body.len, r.body.data ? r.body.data : "");
    central_http_release(&r);
    return js;
}

static int coach_login(struct world *w)
{
    struct central_http r;
    char body[512], set[400];
    const char *headers[] = { "Content-Type: application/json", NULL };
    json_t *js = NULL;
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", w->coach_email,
             w->coach_password);
    central_http("POST", w->url, "/api/console/login", headers, body, strlen(body), 0, &r);
    if (r.status != 200 || !central_http_header(&r, "Set-Cookie", set, sizeof(set)) ||
        vp_json_parse(r.body.data, r.body.len, &js, NULL)) {
        central_http_release(&r);
        return -1;
    }
    set[strcspn(set, ";")] = '\0';
    vp_strlcpy(coach_cookie, set, sizeof(coach_cookie));
    vp_strlcpy(coach_csrf, json_string_value(json_object_get(js, "csrf")), sizeof(coach_csrf));
    json_decref(js);
    central_http_release(&r);
    return 0;
}

/* ---- setting a seed up: a location of its own, a tablet, three children ---- */

static int seed_open(struct seed *s, struct world *w, uint64_t n)
{
    char body[200], path[200], code[40];
    struct sync_report rep;
    json_t *js;
    char *dir;
    memset(s, 0, sizeof(*s));
    s->n = n;
    s->rng.s = n * 0x2545f4914f6cdd1dULL + 1;
    s->w = w;
    snprintf(body, sizeof(body), "{\"name\":\"Model %llu\",\"org\":\"Model\"}",
             (unsigned long long)n);
    js = coach_json(w, "POST", "/api/console/admin/locations", body);
    if (!js)
        return -1;
    vp_strlcpy(s->loc_id, json_string_value(json_object_get(js, "id")), sizeof(s->loc_id));
    json_decref(js);
    snprintf(path, sizeof(path), "/api/console/admin/locations/%s/code", s->loc_id);
    js = coach_json(w, "POST", path, "{}");
    if (!js)
        return -1;
    vp_strlcpy(code, json_string_value(json_object_get(js, "code")), sizeof(code));
    json_decref(js);
    snprintf(path, sizeof(path), "model%llu", (unsigned long long)n);
    dir = vp_path_join(w->dir, path);
    vp_mkdir_p(dir);
    snprintf(s->path, sizeof(s->path), "%s/kiosk.db", dir);
    free(dir);
    faultproxy_set_mode(w->proxy, FP_PASS);
    if (sync_enroll(s->path, w->url, code, NULL, path, &rep) != VP_OK) {
        fprintf(stderr, "model: enrolment failed: %s\n", rep.message);
        return -1;
    }
    if (devstore_open(s->path, &s->db))
        return -1;
    {
        char group[VP_UUID_LEN];
        if (devstore_group_add(s->db, "Vlinders", group) ||
            devstore_staff_add(s->db, "Ilse", VP_ROLE_PM, "1234", s->staff))
            return -1;
        for (int i = 0; i < NCHILD; i++)
            if (devstore_child_add(s->db, group, child_names[i], "2023-10", s->child[i]))
                return -1;
    }
    return sync_round(s->path, &rep) == VP_OK ? 0 : -1;
}

static void seed_close(struct seed *s)
{
    devstore_close(s->db);
    s->db = NULL;
    for (int i = 0; i < s->nbackups; i++)
        unlink(s->backups[i]);
}

/* ---- the person's actions, on the store as the kiosk's screens call it ---- */

static void random_codes(struct seed *s, const char **out, int *n)
{
    *n = 1 + (int)below(&s->rng, 2);
    out[0] = codes[below(&s->rng, NCODES)];
    if (*n == 2) {
        out[1] = codes[below(&s->rng, NCODES)];
        if (!strcmp(out[0], out[1]))
            *n = 1;
    }
}

static void fill(struct seed *s, const struct model_signal *ms, struct vp_observation *o)
{
    memset(o, 0, sizeof(*o));
    vp_strlcpy(o->child_id, s->child[ms->child], VP_UUID_LEN);
    vp_strlcpy(o->staff_id, s->staff, VP_UUID_LEN);
    for (int i = 0; i < ms->ncodes; i++)
        vp_strlcpy(o->signals[i], ms->codes[i], VP_CODE_LEN);
    o->nsignals = ms->ncodes;
    o->level = ms->level;
    o->frequency = (enum vp_frequency)ms->frequency;
    o->situation = (enum vp_situation)ms->situation;
    if (ms->note[0])
        devstore_note_encode(s->db, ms->note, o->child_id, NULL, 0, o->note, sizeof(o->note));
}

static int act_save(struct seed *s)
{
    struct vp_observation o;
    struct model_signal tmp, *ms;
    const char *c[2];
    int n;
    memset(&tmp, 0, sizeof(tmp));
    tmp.child = (int)below(&s->rng, NCHILD);
    random_codes(s, c, &n);
    for (int i = 0; i < n; i++)
        vp_strlcpy(tmp.codes[i], c[i], MODEL_CODE_LEN);
    tmp.ncodes = n;
    tmp.level = 1 + (int)below(&s->rng, 3);
    fill(s, &tmp, &o);
    if (devstore_signal_record(s->db, &o, true) != VP_OK)
        return -1;
    ms = model_save(&s->m, o.id, tmp.child, tmp.level, c, n);
    if (!ms)
        return 0; /* the model is full: the history goes on without it */
    vp_strlcpy(s->current, o.id, sizeof(s->current));
    note_step(s, "save", o.id + 24);
    return 0;
}

/* The signal the person changes: mostly the one on screen. */
static struct model_signal *target(struct seed *s)
{
    struct model_signal *ms = s->current[0] ? model_find(&s->m, s->current) : NULL;
    if (!ms || ms->undone || below(&s->rng, 4) == 0)
        ms = model_live(&s->m, (unsigned)rng_next(&s->rng));
    return ms;
}

static int amend(struct seed *s, struct model_signal *ms)
{
    struct vp_observation o;
    fill(s, ms, &o);
    return devstore_signal_amend(s->db, ms->id, &o, true, NULL) == VP_OK ? 0 : -1;
}

static int act_extra(struct seed *s, bool twice)
{
    struct model_signal *ms = target(s);
    unsigned what;
    if (!ms)
        return 0;
    what = below(&s->rng, 5);
    if (what == 0)
        ms->frequency = 1 + (int)below(&s->rng, 3);
    else if (what == 1)
        ms->situation = 1 + (int)below(&s->rng, 6);
    else if (what == 2)
        ms->level = 1 + (int)below(&s->rng, 3);
    else if (what == 3 && ms->ncodes < MODEL_MAX_CODES) {
        const char *c = codes[below(&s->rng, NCODES)];
        if (!model_has_code(ms, c))
            vp_strlcpy(ms->codes[ms->ncodes++], c, MODEL_CODE_LEN);
    } else {
        /* a note, sometimes naming a child: the centre must show a code */
        snprintf(ms->note, sizeof(ms->note), "%s speelt €%u, daarna met %s bij de kring",
                 child_names[below(&s->rng, NCHILD)], below(&s->rng, 100),
                 below(&s->rng, 2) ? child_names[below(&s->rng, NCHILD)] : "niemand");
    }
    vp_strlcpy(s->current, ms->id, sizeof(s->current));
    note_step(s, twice ? "extra twice" : "extra", ms->id + 24);
    if (amend(s, ms) != 0 || (twice && amend(s, ms) != 0))
        return -1;
    return 0;
}

static int act_undo(struct seed *s, bool twice)
{
    struct model_signal *ms = target(s);
    vp_result res;
    if (!ms)
        return 0;
    note_step(s, twice ? "undo twice" : "undo", ms->id + 24);
    if (devstore_signal_undo(s->db, ms->id, s->staff, true) != VP_OK)
        return -1;
    ms->undone = true;
    /* a second tap on the same toast finds nothing left to undo */
    if (twice && (res = devstore_signal_undo(s->db, ms->id, s->staff, true)) != VP_ERR_NOT_FOUND) {
        fprintf(stderr, "model: a second undo answered %s\n", vp_result_name(res));
        return -1;
    }
    s->current[0] = '\0';
    return 0;
}

static int act_settle(struct seed *s, const char *why)
{
    note_step(s, why, NULL);
    s->current[0] = '\0';
    return devstore_signals_settle(s->db) == VP_OK ? 0 : -1;
}

/* A round as the worker runs it, over a link in the given mode. Any outcome
 * is allowed here; only the end state counts. */
static int act_sync(struct seed *s, enum fp_mode mode, bool sync_now)
{
    static const char *const names[] = { "sync", "sync stalled", "sync cut before",
                                         "sync cut after" };
    struct sync_report rep;
    note_step(s, names[mode], NULL);
    if (sync_now && act_settle(s, "sync now") != 0)
        return -1;
    faultproxy_set_mode(s->w->proxy, mode);
    sync_round(s->path, &rep);
    faultproxy_set_mode(s->w->proxy, FP_PASS);
    return 0;
}

/* kill -9 of the kiosk in the middle of a sync round (right after it froze a
 * batch, after the centre answered but before the answer was applied, or
 * right after it requeued everything for a new epoch), then it starts again */
static int act_kill(struct seed *s);
static int act_die_in_sync(struct seed *s, const char *point)
{
    struct sync_report rep;
    note_step(s, "die in sync at", point);
    faultproxy_set_mode(s->w->proxy, FP_PASS);
    vp_fault_set(point);
    sync_round(s->path, &rep);
    vp_fault_set(NULL);
    return act_kill(s);
}

/* kill -9 of the kiosk between two of its transactions; it starts again and
 * settles what it left unsettled (as kiosk_loop.c does at start-up) */
static int act_kill(struct seed *s)
{
    note_step(s, "kill", NULL);
    devstore_close(s->db);
    s->db = NULL;
    s->current[0] = '\0';
    if (devstore_open(s->path, &s->db))
        return -1;
    return devstore_signals_settle(s->db) == VP_OK ? 0 : -1;
}

/* A backup of the running centre, with SQLite's online backup (what the
 * `backup` command does; done here in-process: a process per backup made
 * the run several times slower under ASan). */
static int act_backup(struct seed *s)
{
    char name[64], *file, *live;
    sqlite3 *from = NULL, *to = NULL;
    sqlite3_backup *b;
    int rc = -1;
    if (s->nbackups == MAX_BACKUPS)
        return 0;
    snprintf(name, sizeof(name), "backup-%llu-%d.db", (unsigned long long)s->n, s->nbackups);
    file = vp_path_join(s->w->dir, name);
    live = vp_path_join(s->w->central_data, "central.db");
    note_step(s, "backup", NULL);
    if (sqlite3_open_v2(live, &from, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_open(file, &to) == SQLITE_OK &&
        (b = sqlite3_backup_init(to, "main", from, "main"))) {
        int step;
        while ((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED)
            usleep(1000);
        rc = sqlite3_backup_finish(b) == SQLITE_OK && step == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_close(from);
    sqlite3_close(to);
    if (!rc)
        vp_strlcpy(s->backups[s->nbackups++], file, sizeof(s->backups[0]));
    free(live);
    free(file);
    return rc;
}

/* The centre is restored from one of this seed's backups (older than now,
 * younger than the tablet's retention): it gets a new epoch and the tablet
 * pushes again what it holds. The coach logs in again. */
static int act_restore(struct seed *s)
{
    const char *argv[] = { VP_CENTRAL_BIN, "restore", "--from", NULL, "--data", NULL, NULL };
    if (s->nbackups == 0)
        return 0;
    argv[3] = s->backups[below(&s->rng, (unsigned)s->nbackups)];
    argv[5] = s->w->central_data;
    note_step(s, "restore", NULL);
    world_central_stop(s->w);
    if (world_central_cmd(s->w, argv) != 0 || world_central_start(s->w, NULL) != 0)
        return -1;
    s->restored = true; /* the coach's session was in every backup: it still holds */
    return 0;
}

static int step(struct seed *s)
{
    static const char *const die_points[] = { "sync_die_after_freeze", "sync_die_before_apply",
                                              "sync_die_after_requeue" };
    unsigned r = below(&s->rng, 100);
    /* the first sync after a restore: half the time the kiosk dies just
     * after it noticed the new epoch and requeued, before it pushed again */
    if (s->restored && r >= 66 && r < 89) {
        s->restored = false;
        if (below(&s->rng, 2) == 0)
            return act_die_in_sync(s, die_points[2]);
    }
    if (r < 18)
        return act_save(s);
    if (r < 36)
        return act_extra(s, false);
    if (r < 39)
        return act_extra(s, true);
    if (r < 46)
        return act_undo(s, false);
    if (r < 49)
        return act_undo(s, true);
    if (r < 56)
        return act_settle(s, "leave");
    if (r < 59)
        return act_settle(s, "lock");
    if (r < 66) {
        int64_t ms = (int64_t)below(&s->rng, 150) * 1000;
        char t[32];
        snprintf(t, sizeof(t), "wait %llds", (long long)(ms / 1000));
        note_step(s, t, NULL);
        vp_time_advance(ms);
        return 0;
    }
    if (r < 76)
        return act_sync(s, FP_PASS, below(&s->rng, 3) == 0);
    if (r < 82)
        return act_sync(s, FP_RESET, false);
    if (r < 89)
        return act_sync(s, FP_DROP_ANSWER, false);
    if (r < 91)
        return act_kill(s);
    if (r < 93)
        return act_die_in_sync(s, die_points[below(&s->rng, 3)]);
    if (r < 97)
        return act_backup(s);
    /* a restore stops and starts the centre: the slowest step */
    return r < 99 ? act_restore(s) : act_kill(s);
}

/* Heals the link and syncs until the tablet holds nothing unsent. */
static int drain(struct seed *s)
{
    struct dev_outbox_stats st;
    struct sync_report rep;
    faultproxy_set_mode(s->w->proxy, FP_PASS);
    if (devstore_signals_settle(s->db))
        return -1;
    for (int i = 0; i < 6; i++) {
        if (sync_round(s->path, &rep) == VP_OK && !devstore_outbox_stats(s->db, &st) &&
            st.pending == 0)
            return 0;
    }
    fprintf(stderr, "model: the tablet did not drain: %s\n", rep.message);
    return -1;
}

/* ---- the checks: every view says what the model says ---- */

static int fail(struct seed *s, const char *what, const char *detail)
{
    fprintf(stderr, "model seed %llu: %s%s%s\n", (unsigned long long)s->n, what, detail ? ": " : "",
            detail ? detail : "");
    return -1;
}

/* The codes of a signal as the tablet or the centre lists them. */
static bool same_codes(const struct model_signal *ms, const char *const *got, int n)
{
    if (n != ms->ncodes)
        return false;
    for (int i = 0; i < n; i++)
        if (!model_has_code(ms, got[i]))
            return false;
    return true;
}

static int check_tablet(struct seed *s)
{
    struct dev_outbox_stats st;
    if (devstore_outbox_stats(s->db, &st) || st.quarantined != 0 || st.pending != 0)
        return fail(s, "the tablet holds quarantined or pending records", NULL);
    for (int c = 0; c < NCHILD; c++) {
        struct dev_obs_item *items = NULL;
        size_t n = 0;
        int want = model_live_count(&s->m, c);
        if (devstore_child_observations(s->db, s->child[c], 1000, &items, &n))
            return fail(s, "tablet: child page unreadable", NULL);
        if ((int)n != want) {
            char d[64];
            snprintf(d, sizeof(d), "%s shows %zu signals, the person left %d", child_names[c], n,
                     want);
            free(items);
            return fail(s, "tablet", d);
        }
        for (size_t i = 0; i < n; i++) {
            struct vp_observation *o = &items[i].obs;
            struct model_signal *ms = model_find(&s->m, o->signal_id);
            const char *got[VP_MAX_SIGNALS];
            char note[VP_TEXT_BYTES(VP_NOTE_MAX_CHARS)];
            for (int k = 0; k < o->nsignals; k++)
                got[k] = o->signals[k];
            devstore_note_decode(s->db, o->note, note, sizeof(note));
            if (!ms || ms->undone || ms->child != c || ms->level != o->level ||
                !same_codes(ms, got, o->nsignals) || ms->frequency != (int)o->frequency ||
                ms->situation != (int)o->situation || strcmp(ms->note, note) != 0) {
                free(items);
                return fail(s, "tablet shows a signal other than the person left it", o->signal_id);
            }
        }
        free(items);
    }
    return 0;
}

/* Every signal object in arr (with "id", "level", "signals", "note") is a
 * live signal of the model, once; count must equal want. child -1: any. */
static int check_list(struct seed *s, const char *view, json_t *arr, int child)
{
    int want = model_live_count(&s->m, child), seen[MODEL_MAX_SIGNALS] = { 0 };
    char d[200];
    size_t i;
    json_t *el;
    if (!json_is_array(arr))
        return fail(s, view, "no list of signals");
    if ((int)json_array_size(arr) != want) {
        snprintf(d, sizeof(d), "%zu signals, the person left %d", json_array_size(arr), want);
        return fail(s, view, d);
    }
    json_array_foreach(arr, i, el)
    {
        const char *id = json_string_value(json_object_get(el, "id"));
        const char *note = json_string_value(json_object_get(el, "note"));
        struct model_signal *ms = id ? model_find(&s->m, id) : NULL;
        json_t *sigs = json_object_get(el, "signals");
        const char *got[VP_MAX_SIGNALS];
        int n = 0;
        size_t k;
        json_t *c;
        json_array_foreach(sigs, k, c) if (n < VP_MAX_SIGNALS) got[n++] = json_string_value(c);
        if (!ms || ms->undone)
            return fail(s, view, "shows a signal the person undid or never saved");
        if (seen[ms - s->m.sig]++)
            return fail(s, view, "shows a signal twice");
        if (json_integer_value(json_object_get(el, "level")) != ms->level ||
            !same_codes(ms, got, n)) {
            snprintf(d, sizeof(d), "%s: level %lld, the person left %d", id,
                     (long long)json_integer_value(json_object_get(el, "level")), ms->level);
            return fail(s, view, d);
        }
        for (int k2 = 0; note && k2 < NCHILD; k2++)
            if (strstr(note, child_names[k2]))
                return fail(s, view, "a child's name reached the coach without consent");
    }
    return 0;
}

static int check_centre(struct seed *s)
{
    char path[256], sql[512];
    struct central_http r;
    json_t *js;
    int total = model_live_count(&s->m, -1), rc = 0;
    /* the inbox, all and Nieuw (nothing was marked seen: every live signal is new) */
    snprintf(path, sizeof(path), "/api/console/signals?location=%s&view=all&limit=1000", s->loc_id);
    js = coach_json(s->w, "GET", path, NULL);
    rc = js ? check_list(s, "inbox", json_object_get(js, "signals"), -1) : fail(s, "inbox", NULL);
    json_decref(js);
    snprintf(path, sizeof(path), "/api/console/signals?location=%s&view=new&limit=1000", s->loc_id);
    js = rc ? NULL : coach_json(s->w, "GET", path, NULL);
    if (!rc)
        rc = js ? check_list(s, "Nieuw", json_object_get(js, "signals"), -1)
                : fail(s, "Nieuw", NULL);
    json_decref(js);
    /* each child's page and dossier */
    for (int c = 0; !rc && c < NCHILD; c++) {
        snprintf(path, sizeof(path), "/api/console/children/%s", s->child[c]);
        js = coach_json(s->w, "GET", path, NULL);
        if (model_live_count(&s->m, c) == 0 && !js)
            continue; /* nothing left of this child at the centre: no page */
        rc = js ? check_list(s, "child page", json_object_get(js, "signals"), c)
                : fail(s, "child page", child_names[c]);
        json_decref(js);
        if (rc)
            break;
        snprintf(path, sizeof(path), "/api/console/children/%s/dossier.json", s->child[c]);
        js = coach_json(s->w, "GET", path, NULL);
        rc = js ? check_list(s, "dossier", json_object_get(js, "signals"), c)
                : fail(s, "dossier", child_names[c]);
        json_decref(js);
    }
    /* Kinderen (the cases list): each child's signal count */
    if (!rc) {
        size_t i;
        json_t *el;
        snprintf(path, sizeof(path), "/api/console/cases?location=%s&limit=1000", s->loc_id);
        js = coach_json(s->w, "GET", path, NULL);
        if (!js)
            rc = fail(s, "Kinderen", NULL);
        json_array_foreach(json_object_get(js, "cases"), i, el)
        {
            const char *id = json_string_value(json_object_get(el, "child_id"));
            for (int c = 0; !rc && c < NCHILD; c++)
                if (id && !strcmp(id, s->child[c]) &&
                    json_integer_value(json_object_get(
                        json_object_get(el, "case"), "signal_count")) != model_live_count(&s->m, c))
                    rc = fail(s, "Kinderen: a child's signal count", child_names[c]);
        }
        json_decref(js);
    }
    /* Overzicht and Beheer: the location's total */
    if (!rc) {
        snprintf(path, sizeof(path), "/api/console/overview?location=%s&weeks=12", s->loc_id);
        js = coach_json(s->w, "GET", path, NULL);
        if (!js || json_integer_value(json_object_get(js, "signals")) != total)
            rc = fail(s, "Overzicht: the signal total", NULL);
        json_decref(js);
    }
    if (!rc) {
        size_t i;
        json_t *el;
        bool found = false;
        js = coach_json(s->w, "GET", "/api/console/admin/locations", NULL);
        json_array_foreach(json_object_get(js, "locations"), i, el)
        {
            const char *id = json_string_value(json_object_get(el, "id"));
            if (id && !strcmp(id, s->loc_id)) {
                found = true;
                if (json_integer_value(json_object_get(el, "signals")) != total)
                    rc = fail(s, "Beheer: the location's signal count", NULL);
            }
        }
        if (!found && !rc)
            rc = fail(s, "Beheer: the location is missing", NULL);
        json_decref(js);
    }
    /* the CSV: one row per live signal (and a header) */
    if (!rc) {
        int rows = -1;
        snprintf(path, sizeof(path), "/api/console/export/signals.csv?location=%s", s->loc_id);
        if (coach(s->w, "GET", path, NULL, &r) == 200)
            for (size_t i = 0; i < r.body.len; i++)
                rows += r.body.data[i] == '\n';
        if (rows != total)
            rc = fail(s, "CSV: rows", NULL);
        for (int c = 0; !rc && c < NCHILD; c++)
            if (r.body.data && strstr(r.body.data, child_names[c]))
                rc = fail(s, "CSV: a child's name reached the coach", child_names[c]);
        central_http_release(&r);
    }
    /* undone signals: no content left at the centre */
    for (int i = 0; !rc && i < s->m.n; i++) {
        if (!s->m.sig[i].undone)
            continue;
        snprintf(sql, sizeof(sql),
                 "SELECT COUNT(*) FROM observations WHERE signal_id = '%s' OR id = '%s'",
                 s->m.sig[i].id, s->m.sig[i].id);
        if (world_central_int(s->w, sql) != 0)
            rc = fail(s, "an undone signal's content is still at the centre", s->m.sig[i].id);
    }
    return rc;
}

/* ---- running seeds ---- */

static int64_t env_int(const char *name, int64_t fallback)
{
    const char *v = getenv(name);
    int64_t n;
    return v && vp_parse_i64(v, 0, INT64_MAX, &n) ? n : fallback;
}

static int run_seed(struct world *w, uint64_t n, int steps)
{
    struct seed *s = vp_xcalloc(1, sizeof(*s));
    int rc = seed_open(s, w, n);
    if (rc)
        fprintf(stderr, "model seed %llu: could not set up\n", (unsigned long long)n);
    for (int i = 0; !rc && i < steps; i++)
        if ((rc = step(s)) != 0)
            fail(s, "a step failed", NULL);
    if (!rc)
        rc = drain(s);
    if (!rc)
        rc = check_tablet(s);
    if (!rc)
        rc = check_centre(s);
    if (rc)
        fprintf(stderr, "replay: VP_MODEL_FIRST=%llu VP_MODEL_SEEDS=1\nhistory: %s\n",
                (unsigned long long)n, s->hist);
    seed_close(s);
    free(s);
    return rc;
}

static void test_every_view_agrees_with_the_model(void)
{
    struct world w;
    uint64_t first = (uint64_t)env_int("VP_MODEL_FIRST", 1);
    uint64_t seeds = (uint64_t)env_int("VP_MODEL_SEEDS", 200);
    int steps = (int)env_int("VP_MODEL_STEPS", 60), failed = 0;
    int64_t t0 = vp_mono_ms() - vp_time_offset(); /* real time: the history moves app time */
    if (steps < 50)
        steps = 50;
    CHECK(world_open(&w) == 0);
    CHECK(coach_login(&w) == 0);
    for (uint64_t n = first; n < first + seeds && failed < 3; n++)
        failed += run_seed(&w, n, steps) != 0;
    fprintf(stderr, "model: %llu seeds of %d steps in %.1f s, %d failed\n",
            (unsigned long long)seeds, steps,
            (double)(vp_mono_ms() - vp_time_offset() - t0) / 1000.0, failed);
    world_close(&w);
    CHECK_INT_EQ(failed, 0);
}

int main(void)
{
    vp_core_init();
    sync_global_init();
    VP_TEST(test_every_view_agrees_with_the_model);
    return vp_test_done();
}
