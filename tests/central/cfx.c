/*
 * cfx.c - the in-process store fixture (cfx.h).
 */
#include "cfx.h"
#include "cstore_int.h"
#include "vp_str.h"
#include "vp_test.h"
#include "vp_time.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const cfx_names[CFX_KIDS] = { "Tess", "\xC3\x89mile", "Zo\xC3\xAB" }; /* Émile, Zoë */

static struct vp_uuid7 gen;

static void die(const char *what, vp_result res)
{
    fprintf(stderr, "cfx: %s failed: %s\n", what, vp_result_name(res));
    abort();
}

static void seed(struct cfx *f, struct vp_record *rec)
{
    vp_result res = cstore_location_seed(f->st, f->loc.id, rec, f->now);
    if (res)
        die("seed", res);
}

static void seed_all(struct cfx *f)
{
    struct vp_record rec;
    const char *loc[1] = { f->loc.id };
    vp_result res;
    memset(&rec, 0, sizeof(rec));
    rec.type = VP_REC_GROUP;
    vp_uuid7_next(&gen, f->now, rec.u.group.id);
    vp_uuid7_next(&gen, f->now, f->group);
    vp_strlcpy(rec.u.group.group_id, f->group, sizeof(rec.u.group.group_id));
    vp_strlcpy(rec.u.group.name, "Dikkertjes", sizeof(rec.u.group.name));
    seed(f, &rec);
    for (int k = 0; k < CFX_KIDS; k++) {
        memset(&rec, 0, sizeof(rec));
        rec.type = VP_REC_CHILD;
        vp_uuid7_next(&gen, f->now, rec.u.child.id);
        vp_uuid7_next(&gen, f->now, f->kids[k]);
        snprintf(f->codes[k], sizeof(f->codes[k]), "K-%04X", 0x7F3A + k);
        vp_strlcpy(rec.u.child.child_id, f->kids[k], sizeof(rec.u.child.child_id));
        vp_strlcpy(rec.u.child.group_id, f->group, sizeof(rec.u.child.group_id));
        vp_strlcpy(rec.u.child.first_name, cfx_names[k], sizeof(rec.u.child.first_name));
        vp_strlcpy(rec.u.child.birth_month, "2023-04", sizeof(rec.u.child.birth_month));
        vp_strlcpy(rec.u.child.pseudonym, f->codes[k], sizeof(rec.u.child.pseudonym));
        seed(f, &rec);
    }
    memset(&rec, 0, sizeof(rec));
    rec.type = VP_REC_STAFF;
    vp_uuid7_next(&gen, f->now, rec.u.staff.id);
    vp_uuid7_next(&gen, f->now, f->staff);
    vp_strlcpy(rec.u.staff.staff_id, f->staff, sizeof(rec.u.staff.staff_id));
    vp_strlcpy(rec.u.staff.display_name, "Anouk", sizeof(rec.u.staff.display_name));
    vp_strlcpy(rec.u.staff.pin_hash, "$argon2id$v=19$m=65536,t=2,p=1$x$y",
               sizeof(rec.u.staff.pin_hash));
    seed(f, &rec);
    res = cstore_coach_add(f->st, "coach@example.org", "Coach", "een-lang-wachtwoord", loc, 1,
                           &f->coach);
    if (res)
        die("coach", res);
}

void cfx_open(struct cfx *f)
{
    vp_result res;
    memset(f, 0, sizeof(*f));
    f->dir = vp_test_tempdir();
    f->now = vp_now_ms() - 3600 * 1000;
    if ((res = cstore_open(f->dir, &f->st)) != VP_OK)
        die("open", res);
    if ((res = cstore_location_add(f->st, "Potje Knor", "Org", &f->loc)) != VP_OK)
        die("location", res);
    vp_strlcpy(f->dev.id, "0190a000-0000-7000-8000-00000000d001", sizeof(f->dev.id));
    vp_strlcpy(f->dev.location_id, f->loc.id, sizeof(f->dev.location_id));
    seed_all(f);
}

void cfx_close(struct cfx *f)
{
    cstore_close(f->st);
    f->st = NULL;
}

void cfx_reopen(struct cfx *f)
{
    vp_result res = cstore_open(f->dir, &f->st);
    if (res)
        die("reopen", res);
}

void cfx_free(struct cfx *f)
{
    if (f->st)
        cfx_close(f);
    vp_test_rmtree(f->dir);
    free(f->dir);
}

static void set_codes(struct vp_observation *o, const char *codes)
{
    char buf[VP_MAX_SIGNALS * VP_CODE_LEN];
    o->nsignals = 0;
    vp_strlcpy(buf, codes, sizeof(buf));
    for (char *p = buf; *p && o->nsignals < VP_MAX_SIGNALS;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        vp_strlcpy(o->signals[o->nsignals++], p, VP_CODE_LEN);
        p = comma ? comma + 1 : p + strlen(p);
    }
}

struct vp_observation cfx_obs(struct cfx *f, int k, int level, const char *codes, const char *note)
{
    struct vp_observation o;
    memset(&o, 0, sizeof(o));
    vp_uuid7_next(&gen, f->now, o.id);
    vp_strlcpy(o.child_id, f->kids[k], sizeof(o.child_id));
    vp_strlcpy(o.staff_id, f->staff, sizeof(o.staff_id));
    set_codes(&o, codes);
    o.level = level;
    vp_strlcpy(o.note, note ? note : "", sizeof(o.note));
    o.consultation = VP_CONSULT_NONE;
    o.device_time_ms = f->now - 60000;
    o.catalog_version = 1;
    return o;
}

struct vp_observation cfx_amend(struct cfx *f, const struct vp_observation *prev, int level,
                                const char *codes, const char *note)
{
    struct vp_observation o = *prev;
    vp_uuid7_next(&gen, f->now, o.id);
    vp_strlcpy(o.corrects, prev->id, sizeof(o.corrects));
    set_codes(&o, codes);
    o.level = level;
    vp_strlcpy(o.note, note ? note : "", sizeof(o.note));
    o.device_time_ms = f->now;
    return o;
}

struct vp_observation cfx_undo(struct cfx *f, const struct vp_observation *prev)
{
    struct vp_observation o;
    memset(&o, 0, sizeof(o));
    vp_uuid7_next(&gen, f->now, o.id);
    vp_strlcpy(o.child_id, prev->child_id, sizeof(o.child_id));
    vp_strlcpy(o.staff_id, prev->staff_id, sizeof(o.staff_id));
    vp_strlcpy(o.corrects, prev->id, sizeof(o.corrects));
    o.level = prev->level;
    o.retracted = true;
    o.device_time_ms = f->now;
    o.catalog_version = 1;
    return o;
}

vp_result cfx_push(struct cfx *f, const struct vp_observation *obs, size_t n,
                   const char *statuses[])
{
    struct cstore_item *items = calloc(n, sizeof(*items));
    vp_result res;
    for (size_t i = 0; i < n; i++) {
        json_t *js;
        items[i].valid = true;
        items[i].rec.type = VP_REC_OBSERVATION;
        items[i].rec.u.obs = obs[i];
        vp_strlcpy(items[i].id, obs[i].id, sizeof(items[i].id));
        js = vp_record_to_json(&items[i].rec);
        vp_record_hash(js, items[i].hash);
        json_decref(js);
    }
    res = cstore_push(f->st, &f->dev, items, n, f->now, NULL);
    for (size_t i = 0; i < n && statuses; i++)
        statuses[i] = res ? "error" : vp_push_status_name(items[i].status);
    free(items);
    return res;
}

const char *cfx_push1(struct cfx *f, const struct vp_observation *o)
{
    const char *status = "error";
    cfx_push(f, o, 1, &status);
    return status;
}

json_t *cfx_inbox(struct cfx *f, enum ccon_view view, enum ccon_order order, int64_t since)
{
    struct ccon_filter flt;
    json_t *out = NULL;
    memset(&flt, 0, sizeof(flt));
    flt.view = view;
    flt.order = order;
    flt.since_ms = since;
    flt.limit = CCON_INBOX_MAX;
    if (cstore_console_inbox(f->st, f->coach.id, &flt, f->now, &out) != VP_OK)
        return NULL;
    return out;
}

json_t *cfx_child(struct cfx *f, int k)
{
    json_t *out = NULL;
    if (cstore_console_child(f->st, f->coach.id, f->kids[k], "test", f->now, &out) != VP_OK)
        return NULL;
    return out;
}

int64_t cfx_sql_int(struct cfx *f, const char *sql)
{
    vp_result res;
    struct cconn *c = cst_conn(f->st, &res);
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (!c || sqlite3_prepare_v2(c->db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "cfx: %s: %s\n", sql, c ? sqlite3_errmsg(c->db) : "no connection");
        return -1;
    }
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

int cfx_sql(struct cfx *f, const char *sql)
{
    vp_result res;
    struct cconn *c = cst_conn(f->st, &res);
    char *err = NULL;
    int rc = c ? sqlite3_exec(c->db, sql, NULL, NULL, &err) : SQLITE_ERROR;
    if (rc != SQLITE_OK)
        fprintf(stderr, "cfx: %s: %s\n", sql, err ? err : "");
    sqlite3_free(err);
    return rc == SQLITE_OK ? 0 : -1;
}
