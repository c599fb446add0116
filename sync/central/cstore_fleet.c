/*
 * cstore_fleet.c - the health of the tablets: the rule (cfleet_assess()),
 * the Tablets tab, the inbox banner, the numbers for /metrics, renaming a
 * tablet and closing a location for the holidays (cstore_fleet.h).
 */
#include "cstore_console_int.h"
#include "cstore_fleet.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include "vp_time.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the rule ---- */

const char *cfleet_health_name(enum cfleet_health h)
{
    static const char *const names[] = { "green", "amber", "red", "closed", "revoked" };
    return h >= 0 && h < CFLEET_NHEALTH ? names[h] : "unknown";
}

const char *cfleet_advice_name(int i)
{
    static const char *const names[] = { "switch_on",  "never_synced", "sync_failing",
                                         "quarantine", "clock",        "disk",
                                         "update_app", "catalog",      "no_heartbeat" };
    return i >= 0 && i < CFLEET_NADVICE ? names[i] : "unknown";
}

/* The next dot-separated part of *p as a number (or -1 when it is not one),
 * with its text in part. */
static int64_t version_part(const char **p, char *part, size_t size)
{
    size_t n = strcspn(*p, ".");
    int64_t v = -1;
    vp_snprintf(part, size, "%.*s", (int)(n < size ? n : size - 1), *p);
    if (!vp_parse_i64(part, 0, INT64_MAX, &v))
        v = -1;
    *p += n;
    if (**p == '.')
        (*p)++;
    return v;
}

bool cfleet_version_older(const char *a, const char *b)
{
    char pa[32], pb[32];
    while (*a || *b) {
        int64_t va = version_part(&a, pa, sizeof(pa)), vb = version_part(&b, pb, sizeof(pb));
        int cmp;
        if (va >= 0 && vb >= 0)
            cmp = va < vb ? -1 : va > vb;
        else
            cmp = strcmp(pa, pb);
        if (cmp)
            return cmp < 0;
    }
    return false;
}

void cfleet_now_init(struct cfleet_now *now, int64_t now_ms, const char *app_version,
                     int64_t catalog_version)
{
    struct vp_civil civ;
    vp_time_civil(now_ms, true, &civ);
    now->now_ms = now_ms;
    snprintf(now->today, sizeof(now->today), "%04d-%02d-%02d", (civ.year % 10000 + 10000) % 10000,
             (civ.month % 100 + 100) % 100, (civ.day % 100 + 100) % 100);
    now->app_version = app_version;
    now->catalog_version = catalog_version;
}

/* A tablet-clock time on the centre's clock: shifted by the offset, never
 * later than the heartbeat's arrival; 0 stays 0 (never). */
static int64_t on_centre_clock(int64_t device_ms, const struct cfleet_tablet *t)
{
    int64_t v;
    if (device_ms <= 0)
        return 0;
    v = device_ms - (t->hb.device_time_ms - t->hb_received_ms);
    return v > t->hb_received_ms ? t->hb_received_ms : v;
}

static unsigned advice_of(const struct cfleet_tablet *t, const struct cfleet_now *now,
                          const struct cfleet_state *st)
{
    unsigned a = 0;
    int64_t offset_ms = st->clock_offset_s * 1000;
    bool in_contact = now->now_ms - t->last_contact_ms <= CFLEET_CONTACT_MS;
    bool late = st->quiet_ms > CFLEET_AMBER_MS;
    if (late && !in_contact)
        a |= CFLEET_ADVICE_SWITCH_ON;
    if (!st->success_ms)
        a |= CFLEET_ADVICE_NEVER_SYNCED;
    if (late && in_contact)
        a |= CFLEET_ADVICE_SYNC_FAILING;
    if (!t->has_heartbeat)
        return a | CFLEET_ADVICE_NO_HEARTBEAT;
    if (t->hb.quarantined > 0)
        a |= CFLEET_ADVICE_QUARANTINE;
    if (offset_ms > CFLEET_CLOCK_MS || offset_ms < -CFLEET_CLOCK_MS)
        a |= CFLEET_ADVICE_CLOCK;
    if (t->hb.disk_free_mb >= 0 && t->hb.disk_free_mb < CFLEET_DISK_MB)
        a |= CFLEET_ADVICE_DISK;
    if (now->app_version && cfleet_version_older(t->hb.app_version, now->app_version))
        a |= CFLEET_ADVICE_UPDATE_APP;
    if (t->hb.catalog_version < now->catalog_version)
        a |= CFLEET_ADVICE_CATALOG;
    return a;
}

void cfleet_assess(const struct cfleet_tablet *t, const struct cfleet_now *now,
                   struct cfleet_state *out)
{
    int64_t since;
    memset(out, 0, sizeof(*out));
    if (t->has_heartbeat) {
        out->clock_offset_s = (t->hb.device_time_ms - t->hb_received_ms) / 1000;
        out->success_ms = on_centre_clock(t->hb.last_success_ms, t);
        out->attempt_ms = on_centre_clock(t->hb.last_attempt_ms, t);
        out->oldest_pending_ms = on_centre_clock(t->hb.oldest_pending_ms, t);
    } else {
        /* protocol 1: the centre's last contact is the best it knows */
        out->success_ms = t->last_contact_ms > t->enrolled_ms ? t->last_contact_ms : 0;
    }
    since = out->success_ms ? out->success_ms : t->enrolled_ms;
    out->quiet_ms = now->now_ms > since ? now->now_ms - since : 0;
    out->days_quiet = out->quiet_ms / CFLEET_DAY_MS;
    if (t->revoked_ms)
        out->health = CFLEET_REVOKED;
    else if (t->closed_until[0] && strcmp(now->today, t->closed_until) <= 0)
        out->health = CFLEET_CLOSED;
    else if (out->quiet_ms > CFLEET_RED_MS)
        out->health = CFLEET_RED;
    else if (out->quiet_ms > CFLEET_AMBER_MS)
        out->health = CFLEET_AMBER;
    else
        out->health = CFLEET_GREEN;
    if (out->health != CFLEET_REVOKED)
        out->advice = advice_of(t, now, out);
    if (out->health == CFLEET_CLOSED) /* quiet is expected there: nothing to chase */
        out->advice &= ~(unsigned)(CFLEET_ADVICE_SWITCH_ON | CFLEET_ADVICE_SYNC_FAILING |
                                   CFLEET_ADVICE_NEVER_SYNCED);
}

/* ---- reading ---- */

/* Every tablet (of the coach's locations; ?1 NULL: all), with its location
 * and newest heartbeat. Last contact: the newest of enrolment, the last
 * authenticated request (devices.last_seen_at, noted at most once a
 * minute) and the last heartbeat. */
static const char SQL_FLEET[] =
    "SELECT d.id, d.name, d.location_id, l.name, l.closed_until, d.created_at,"
    " COALESCE(d.revoked_at, 0),"
    " MAX(d.created_at, COALESCE(d.last_seen_at, 0), COALESCE(h.received_at, 0)),"
    " h.received_at, h.app_version, h.catalog_version, h.pending_signals, h.oldest_pending,"
    " h.quarantined, h.last_attempt, h.last_success, h.disk_free_mb, h.device_time"
    " FROM devices d JOIN locations l ON l.id = d.location_id"
    " LEFT JOIN device_health h ON h.device_id = d.id"
    " WHERE ?1 IS NULL OR d.location_id IN"
    "  (SELECT location_id FROM coach_locations WHERE coach_id = ?1)"
    " ORDER BY l.name, d.name, d.created_at";
static const char SQL_CATALOG_NEWEST[] = "SELECT COALESCE(MAX(version), 0) FROM catalogs";

static void row_tablet(sqlite3_stmt *s, struct cfleet_tablet *t)
{
    memset(t, 0, sizeof(*t));
    vp_strlcpy(t->closed_until, cst_col(s, 4), sizeof(t->closed_until));
    t->enrolled_ms = cst_col_int(s, 5);
    t->revoked_ms = cst_col_int(s, 6);
    t->last_contact_ms = cst_col_int(s, 7);
    t->has_heartbeat = sqlite3_column_type(s, 8) != SQLITE_NULL;
    if (!t->has_heartbeat)
        return;
    t->hb_received_ms = cst_col_int(s, 8);
    vp_strlcpy(t->hb.app_version, cst_col(s, 9), sizeof(t->hb.app_version));
    t->hb.catalog_version = cst_col_int(s, 10);
    t->hb.pending_signals = cst_col_int(s, 11);
    t->hb.oldest_pending_ms = cst_col_int(s, 12);
    t->hb.quarantined = cst_col_int(s, 13);
    t->hb.last_attempt_ms = cst_col_int(s, 14);
    t->hb.last_success_ms = cst_col_int(s, 15);
    t->hb.disk_free_mb = cst_col_int(s, 16);
    t->hb.device_time_ms = cst_col_int(s, 17);
}

static json_t *time_or_null(int64_t ms)
{
    char t[VP_TIME_LEN];
    if (ms <= 0)
        return json_null();
    vp_time_format(ms, t);
    return json_string(t);
}

static json_t *heartbeat_json(const struct cfleet_tablet *t, const struct cfleet_state *st)
{
    json_t *o;
    if (!t->has_heartbeat)
        return json_null();
    o = json_object();
    json_object_set_new(o, "app_version", json_string(t->hb.app_version));
    json_object_set_new(o, "catalog_version", json_integer(t->hb.catalog_version));
    json_object_set_new(o, "pending_signals", json_integer(t->hb.pending_signals));
    json_object_set_new(o, "oldest_pending", time_or_null(st->oldest_pending_ms));
    json_object_set_new(o, "quarantined", json_integer(t->hb.quarantined));
    json_object_set_new(o, "disk_free_mb", json_integer(t->hb.disk_free_mb));
    json_object_set_new(o, "clock_offset_s", json_integer(st->clock_offset_s));
    json_object_set_new(o, "received_at", time_or_null(t->hb_received_ms));
    return o;
}

static json_t *tablet_json(sqlite3_stmt *s, const struct cfleet_tablet *t,
                           const struct cfleet_state *st)
{
    json_t *o = json_object(), *adv = json_array();
    json_object_set_new(o, "id", json_string(cst_col(s, 0)));
    json_object_set_new(o, "name", vp_json_text(cst_col(s, 1)));
    json_object_set_new(o, "location_id", json_string(cst_col(s, 2)));
    json_object_set_new(o, "location", vp_json_text(cst_col(s, 3)));
    json_object_set_new(o, "enrolled_at", time_or_null(t->enrolled_ms));
    json_object_set_new(o, "revoked_at", time_or_null(t->revoked_ms));
    json_object_set_new(o, "last_contact", time_or_null(t->last_contact_ms));
    json_object_set_new(o, "last_attempt", time_or_null(st->attempt_ms));
    json_object_set_new(o, "last_success", time_or_null(st->success_ms));
    json_object_set_new(o, "health", json_string(cfleet_health_name(st->health)));
    json_object_set_new(o, "days_quiet", json_integer(st->days_quiet));
    json_object_set_new(o, "never_synced", json_boolean(!st->success_ms));
    json_object_set_new(o, "closed_until", json_string(t->closed_until));
    json_object_set_new(o, "heartbeat", heartbeat_json(t, st));
    for (int i = 0; i < CFLEET_NADVICE; i++)
        if (st->advice & (1u << i))
            json_array_append_new(adv, json_string(cfleet_advice_name(i)));
    json_object_set_new(o, "advice", adv);
    return o;
}

/* Calls fn for every tablet of the coach's locations (coach_id NULL: all). */
typedef void (*fleet_fn)(sqlite3_stmt *s, const struct cfleet_tablet *t,
                         const struct cfleet_state *st, void *ctx);

static vp_result fleet_walk(struct cconn *c, const char *coach_id, const char *app_version,
                            int64_t now_ms, fleet_fn fn, void *ctx, struct cfleet_now *now)
{
    sqlite3_stmt *s = cst_prep(c, SQL_CATALOG_NEWEST);
    int rc = sqlite3_step(s);
    int64_t catalog = rc == SQLITE_ROW ? cst_col_int(s, 0) : 0;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return cst_result(c, rc);
    cfleet_now_init(now, now_ms, app_version, catalog);
    s = cst_prep(c, SQL_FLEET);
    cst_bind_text(s, 1, coach_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct cfleet_tablet t;
        struct cfleet_state st;
        row_tablet(s, &t);
        cfleet_assess(&t, now, &st);
        fn(s, &t, &st, ctx);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? VP_OK : cst_result(c, rc);
}

static void list_one(sqlite3_stmt *s, const struct cfleet_tablet *t, const struct cfleet_state *st,
                     void *ctx)
{
    json_array_append_new(ctx, tablet_json(s, t, st));
}

static const char SQL_LOCS[] =
    "SELECT l.id, l.name, l.closed_until FROM locations l JOIN coach_locations me"
    " ON me.location_id = l.id AND me.coach_id = ?1 ORDER BY l.name";

static json_t *locations_json(struct cconn *c, const char *coach_id, const struct cfleet_now *now)
{
    json_t *out = json_array();
    sqlite3_stmt *s = cst_prep(c, SQL_LOCS);
    cst_bind_text(s, 1, coach_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *until = cst_col(s, 2);
        json_array_append_new(out, json_pack("{s:s,s:o,s:s,s:b}", "id", cst_col(s, 0), "name",
                                             vp_json_text(cst_col(s, 1)), "closed_until", until,
                                             "closed", *until && strcmp(now->today, until) <= 0));
    }
    sqlite3_reset(s);
    return out;
}

vp_result cstore_fleet_list(struct cstore *st, const char *coach_id, const char *app_version,
                            int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    struct cfleet_now now;
    json_t *devs;
    if (!c)
        return res;
    if (!coach_id || !ccon_is_admin(c, coach_id))
        return VP_ERR_REFUSED;
    devs = json_array();
    if ((res = fleet_walk(c, coach_id, app_version, now_ms, list_one, devs, &now)) != VP_OK) {
        json_decref(devs);
        return res;
    }
    *out =
        json_pack("{s:o,s:o,s:s,s:I,s:s}", "devices", devs, "locations",
                  locations_json(c, coach_id, &now), "app_version", app_version ? app_version : "",
                  "catalog_version", (json_int_t)now.catalog_version, "today", now.today);
    return *out ? VP_OK : VP_ERR_INTERNAL;
}

/* The banner: per location, its newest success (or enrolment). */
struct quiet_loc {
    char id[VP_UUID_LEN];
    char name[CSTORE_NAME_LEN];
    int64_t newest; /* the newest success, else the newest enrolment */
    bool succeeded; /* some tablet ever succeeded */
    bool closed;
    int tablets;
};

struct quiet_acc {
    struct quiet_loc *locs;
    size_t n, cap;
};

static void quiet_one(sqlite3_stmt *s, const struct cfleet_tablet *t, const struct cfleet_state *st,
                      void *ctx)
{
    struct quiet_acc *acc = ctx;
    struct quiet_loc *l = acc->n ? &acc->locs[acc->n - 1] : NULL;
    int64_t when = st->success_ms ? st->success_ms : t->enrolled_ms;
    if (st->health == CFLEET_REVOKED)
        return;
    if (!l || strcmp(l->id, cst_col(s, 2)) != 0) { /* rows come ordered by location */
        if (acc->n == acc->cap) {
            acc->cap = acc->cap ? acc->cap * 2 : 8;
            acc->locs = vp_xrealloc(acc->locs, acc->cap * sizeof(*acc->locs));
        }
        l = &acc->locs[acc->n++];
        memset(l, 0, sizeof(*l));
        vp_strlcpy(l->id, cst_col(s, 2), sizeof(l->id));
        vp_strlcpy(l->name, cst_col(s, 3), sizeof(l->name));
    }
    l->closed = st->health == CFLEET_CLOSED;
    l->tablets++;
    /* a success outranks any enrolment; among equals, the newest */
    if ((st->success_ms && !l->succeeded) || (!st->success_ms == !l->succeeded && when > l->newest))
        l->newest = when;
    l->succeeded = l->succeeded || st->success_ms;
}

vp_result cstore_fleet_quiet(struct cstore *st, const char *coach_id, int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    struct cfleet_now now;
    struct quiet_acc acc = { NULL, 0, 0 };
    if (!c)
        return res;
    if (!coach_id)
        return VP_ERR_REFUSED;
    if ((res = fleet_walk(c, coach_id, NULL, now_ms, quiet_one, &acc, &now)) == VP_OK) {
        *out = json_array();
        for (size_t i = 0; i < acc.n; i++) {
            const struct quiet_loc *l = &acc.locs[i];
            if (l->closed || now_ms - l->newest <= CFLEET_AMBER_MS)
                continue;
            json_array_append_new(
                *out, json_pack("{s:s,s:o,s:I,s:i}", "id", l->id, "name", vp_json_text(l->name),
                                "days", (json_int_t)((now_ms - l->newest) / CFLEET_DAY_MS),
                                "tablets", l->tablets));
        }
    }
    free(acc.locs);
    return res;
}

struct count_acc {
    int64_t *counts;
    int64_t quarantined;
};

static void count_one(sqlite3_stmt *s, const struct cfleet_tablet *t, const struct cfleet_state *st,
                      void *ctx)
{
    struct count_acc *acc = ctx;
    (void)s;
    acc->counts[st->health]++;
    if (st->health != CFLEET_REVOKED && t->has_heartbeat)
        acc->quarantined += t->hb.quarantined;
}

static const char SQL_SIGNALS[] = "SELECT COUNT(*) FROM signals"; /* cstore_signal.h */

static int64_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

vp_result cstore_numbers_read(struct cstore *st, const char *app_version, int64_t now_ms,
                              struct cstore_numbers *out)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    struct cfleet_now now;
    struct count_acc acc;
    sqlite3_stmt *s;
    char wal[4096];
    int rc;
    memset(out, 0, sizeof(*out));
    if (!c)
        return res;
    acc.counts = out->tablets;
    acc.quarantined = 0;
    if ((res = fleet_walk(c, NULL, app_version, now_ms, count_one, &acc, &now)) != VP_OK)
        return res;
    out->quarantined = acc.quarantined;
    s = cst_prep(c, SQL_SIGNALS);
    rc = sqlite3_step(s);
    out->signals = rc == SQLITE_ROW ? cst_col_int(s, 0) : 0;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return cst_result(c, rc);
    vp_snprintf(wal, sizeof(wal), "%s-wal", st->path);
    out->db_bytes = file_size(st->path) + file_size(wal);
    return VP_OK;
}

/* ---- changing ---- */

static vp_result finish(struct cconn *c, vp_result res)
{
    if (!res)
        res = cst_commit(c);
    if (res)
        cst_rollback(c);
    return res;
}

/* One line of text, 1..max characters, not only spaces. */
static bool name_valid(const char *name)
{
    size_t len = strlen(name);
    if (!vp_utf8_valid_text(name, len) || strpbrk(name, "\t\n"))
        return false;
    if (strspn(name, " ") == len)
        return false;
    return vp_utf8_length(name) <= CFLEET_NAME_MAX_CHARS;
}

static const char SQL_RENAME[] = "UPDATE devices SET name = ?2 WHERE id = ?1";

vp_result cstore_fleet_rename(struct cstore *st, const char *coach_id, const char *device_id,
                              const char *name, const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    struct vp_change chg;
    char loc[VP_UUID_LEN], detail[260];
    sqlite3_stmt *s;
    json_t *js;
    if (!c)
        return res;
    if (!coach_id || !ccon_is_admin(c, coach_id))
        return VP_ERR_REFUSED;
    if (!name_valid(name))
        return VP_ERR_INVALID;
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    if ((res = cst_coach_scope(c, coach_id, CSTORE_KIND_DEVICE, device_id, loc)) != VP_OK)
        return finish(c, res);
    s = cst_prep(c, SQL_RENAME);
    cst_bind_text(s, 1, device_id);
    cst_bind_text(s, 2, name);
    if ((res = cst_done(c, s)) != VP_OK)
        return finish(c, res);
    memset(&chg, 0, sizeof(chg));
    chg.type = VP_CHG_DEVICE;
    vp_strlcpy(chg.u.device.device_id, device_id, sizeof(chg.u.device.device_id));
    vp_strlcpy(chg.u.device.name, name, sizeof(chg.u.device.name));
    js = vp_change_to_json(&chg);
    res = cst_feed_add(c, loc, "device", device_id, js, now_ms);
    json_decref(js);
    vp_snprintf(detail, sizeof(detail), "device=%s name=%s", device_id, name);
    if (!res)
        res = cst_audit(c, coach_id, "device_rename", NULL, loc, detail, ip, now_ms);
    return finish(c, res);
}

/* "YYYY-MM-DD", a real date, from any time up to 400 days after now. */
static bool until_valid(const char *d, int64_t now_ms)
{
    int64_t y, m, day, days;
    char part[5];
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return false;
    vp_snprintf(part, sizeof(part), "%.4s", d);
    if (!vp_parse_i64(part, 2000, 9999, &y))
        return false;
    vp_snprintf(part, sizeof(part), "%.2s", d + 5);
    if (!vp_parse_i64(part, 1, 12, &m))
        return false;
    vp_snprintf(part, sizeof(part), "%.2s", d + 8);
    if (!vp_parse_i64(part, 1, mdays[m - 1], &day))
        return false;
    if (m == 2 && day == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    days = vp_days_from_civil((int)y, (int)m, (int)day);
    return days * CFLEET_DAY_MS <= now_ms + 400 * CFLEET_DAY_MS;
}

static const char SQL_CLOSE[] = "UPDATE locations SET closed_until = ?2 WHERE id = ?1";

vp_result cstore_fleet_close(struct cstore *st, const char *coach_id, const char *location_id,
                             const char *until, const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    sqlite3_stmt *s;
    char detail[40];
    if (!c)
        return res;
    if (!coach_id || !ccon_is_admin(c, coach_id))
        return VP_ERR_REFUSED;
    if (*until && !until_valid(until, now_ms))
        return VP_ERR_INVALID;
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    if ((res = cst_coach_scope(c, coach_id, CSTORE_KIND_LOCATION, location_id, NULL)) != VP_OK)
        return finish(c, res);
    s = cst_prep(c, SQL_CLOSE);
    cst_bind_text(s, 1, location_id);
    cst_bind_text(s, 2, until);
    res = cst_done(c, s);
    vp_snprintf(detail, sizeof(detail), "until=%s", *until ? until : "open");
    if (!res)
        res = cst_audit(c, coach_id, "location_closed", NULL, location_id, detail, ip, now_ms);
    return finish(c, res);
}
