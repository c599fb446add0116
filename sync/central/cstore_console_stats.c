/*
 * cstore_console_stats.c - the console's overview: aggregated numbers only
 * (signals per week per domain and per location, lead times per location,
 * open cases by status, overdue next actions). Nothing here names a child.
 * Signals and their times are counted as cstore_signal.h defines them.
 */
#include "cstore_console_int.h"
#include "cstore_signal.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include "vp_time.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS  (24LL * 3600 * 1000)
#define WEEK_MS (7 * DAY_MS)
/* 2019: on average ten months from the first signal to the best fitting place */
#define REFERENCE_DAYS 304

enum { STEP_TALK, STEP_CONSULT, STEP_REFERRAL, STEP_SUPPORT, NSTEPS };
static const char *const step_names[NSTEPS] = { "parent_talk", "consultation", "referral",
                                                "support" };

static const char SQL_LOCS[] =
    "SELECT l.id, l.name FROM coach_locations cl JOIN locations l ON l.id = cl.location_id"
    " WHERE cl.coach_id = ?1 AND (?2 IS NULL OR l.id = ?2) ORDER BY l.name";
static const char SQL_WEEKLY[] =
    "SELECT sg.location_id, o.signals, sg.first_received_at FROM" CST_SIGNAL_FROM
    " WHERE sg.location_id IN (SELECT location_id FROM coach_locations WHERE coach_id = ?1)"
    " AND (?2 IS NULL OR sg.location_id = ?2) AND sg.first_received_at >= ?3";
/* Lead times start at the case's first live signal (null: none left). */
static const char SQL_CASES[] = "SELECT k.location_id, k.status," CST_CHILD_FIRST_SIGNAL(
    "k.child_id") ", k.parent_talk_at,"
                  " k.consultation_at, k.referral_at, k.support_at, k.next_action_due, "
                  "k.follow_up_date"
                  " FROM cases k"
                  " WHERE k.location_id IN (SELECT location_id FROM coach_locations WHERE coach_id "
                  "= ?1)"
                  " AND (?2 IS NULL OR k.location_id = ?2)";

/* An array of day counts. */
struct days {
    int *v;
    size_t n, cap;
};

static void days_add(struct days *d, int v)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = vp_xrealloc(d->v, d->cap * sizeof(int));
    }
    d->v[d->n++] = v;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

bool ccon_median(int *v, size_t n, double *out)
{
    if (!n)
        return false;
    qsort(v, n, sizeof(int), cmp_int);
    *out = n % 2 ? v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
    return true;
}

/* A median as JSON: whole days as an integer, a half day as a real; null
 * without values. */
static json_t *median_json(struct days *d)
{
    double m;
    if (!ccon_median(d->v, d->n, &m))
        return json_null();
    return m == (double)(json_int_t)m ? json_integer((json_int_t)m) : json_real(m);
}

/* {"n","median","mean","waiting","waiting_median"} */
static json_t *days_json(struct days *done, struct days *waiting)
{
    json_t *o = json_object();
    long long sum = 0;
    json_object_set_new(o, "n", json_integer((json_int_t)done->n));
    json_object_set_new(o, "median", median_json(done));
    for (size_t i = 0; i < done->n; i++)
        sum += done->v[i];
    json_object_set_new(
        o, "mean", done->n ? json_integer((json_int_t)(sum / (long long)done->n)) : json_null());
    json_object_set_new(o, "waiting", json_integer((json_int_t)waiting->n));
    json_object_set_new(o, "waiting_median", median_json(waiting));
    free(done->v);
    free(waiting->v);
    memset(done, 0, sizeof(*done));
    memset(waiting, 0, sizeof(*waiting));
    return o;
}

/* The index of a location in locs (an array of {"id"}), or -1. */
static int loc_index(json_t *locs, const char *id)
{
    size_t i;
    json_t *l;
    json_array_foreach(locs, i, l)
    {
        if (!strcmp(json_string_value(json_object_get(l, "id")), id))
            return (int)i;
    }
    return -1;
}

static json_t *zeros(int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(0));
    return a;
}

static void bump(json_t *arr, int i)
{
    json_t *v = json_array_get(arr, (size_t)i);
    json_integer_set(v, json_integer_value(v) + 1);
}

/* Signals per week: "weeks" (Monday dates), "signals" (their total),
 * "by_week", "by_location" (signals) and "by_domain" (a signal counts once
 * in each of its domains). */
static vp_result weekly(struct cconn *c, const char *coach_id, const char *location_id, int weeks,
                        int64_t now_ms, json_t *locs, json_t *out)
{
    int64_t today = now_ms >= 0 ? now_ms / DAY_MS : (now_ms - DAY_MS + 1) / DAY_MS;
    int64_t monday = today - ((today % 7 + 7 + 3) % 7), first = monday - 7LL * (weeks - 1);
    json_t *wk = json_array(), *by_dom = json_object(), *by_loc = json_object();
    json_t *by_week = zeros(weeks);
    json_int_t total = 0;
    sqlite3_stmt *s;
    int rc;
    for (int i = 0; i < weeks; i++) {
        char t[VP_TIME_LEN];
        vp_time_format((first + 7LL * i) * DAY_MS, t);
        t[10] = '\0';
        json_array_append_new(wk, json_string(t));
    }
    for (size_t i = 0; i < json_array_size(locs); i++)
        json_object_set_new(by_loc,
                            json_string_value(json_object_get(json_array_get(locs, i), "id")),
                            zeros(weeks));
    s = cst_prep(c, SQL_WEEKLY);
    cst_bind_text(s, 1, coach_id);
    cst_bind_text(s, 2, location_id);
    cst_bind_int(s, 3, first * DAY_MS);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int w = (int)((cst_col_int(s, 2) - first * DAY_MS) / WEEK_MS);
        char codes[VP_MAX_SIGNALS * VP_CODE_LEN + 1], seen[VP_MAX_SIGNALS][VP_CODE_LEN];
        int nseen = 0;
        json_t *arr;
        if (w < 0 || w >= weeks)
            continue;
        total++;
        bump(by_week, w);
        if ((arr = json_object_get(by_loc, cst_col(s, 0))))
            bump(arr, w);
        vp_strlcpy(codes, cst_col(s, 1), sizeof(codes));
        for (char *p = codes; *p;) {
            char *comma = strchr(p, ','), *dash;
            bool dup = false;
            if (comma)
                *comma = '\0';
            if ((dash = strchr(p, '-')))
                *dash = '\0';
            for (int i = 0; i < nseen; i++)
                dup |= !strcmp(seen[i], p);
            if (!dup && nseen < VP_MAX_SIGNALS) {
                vp_strlcpy(seen[nseen++], p, VP_CODE_LEN);
                if (!(arr = json_object_get(by_dom, p))) {
                    arr = zeros(weeks);
                    json_object_set_new(by_dom, p, arr);
                }
                bump(arr, w);
            }
            p = comma ? comma + 1 : p + strlen(p);
        }
    }
    sqlite3_reset(s);
    json_object_set_new(out, "weeks", wk);
    json_object_set_new(out, "signals", json_integer(total));
    json_object_set_new(out, "by_week", by_week);
    json_object_set_new(out, "by_domain", by_dom);
    json_object_set_new(out, "by_location", by_loc);
    return rc == SQLITE_DONE ? VP_OK : cst_result(c, rc);
}

struct loc_acc {
    struct days done[NSTEPS], waiting[NSTEPS];
    json_t *status; /* {"status": count} of open cases */
    int overdue, follow_up_overdue, open, closed;
};

static json_t *acc_json(struct loc_acc *a)
{
    json_t *o = json_object(), *lt = json_object();
    for (int k = 0; k < NSTEPS; k++)
        json_object_set_new(lt, step_names[k], days_json(&a->done[k], &a->waiting[k]));
    json_object_set_new(o, "lead_times", lt);
    json_object_set_new(o, "status", a->status);
    json_object_set_new(o, "open", json_integer(a->open));
    json_object_set_new(o, "closed", json_integer(a->closed));
    json_object_set_new(o, "overdue", json_integer(a->overdue));
    json_object_set_new(o, "follow_up_overdue", json_integer(a->follow_up_overdue));
    return o;
}

static void acc_case(struct loc_acc *a, sqlite3_stmt *s, int64_t now_ms, const char *today)
{
    const char *status = cst_col(s, 1), *due = cst_col(s, 7), *follow = cst_col(s, 8);
    int64_t first = cst_col_int(s, 2);
    bool closed = !strcmp(status, "closed");
    bool has_signal = sqlite3_column_type(s, 2) != SQLITE_NULL;
    for (int k = 0; k < NSTEPS && has_signal; k++) {
        if (sqlite3_column_type(s, 3 + k) != SQLITE_NULL)
            days_add(&a->done[k], (int)((cst_col_int(s, 3 + k) - first) / DAY_MS));
        else if (!closed)
            days_add(&a->waiting[k], (int)((now_ms - first) / DAY_MS));
    }
    if (closed) {
        a->closed++;
        return;
    }
    a->open++;
    json_object_set_new(a->status, status,
                        json_integer(json_integer_value(json_object_get(a->status, status)) + 1));
    if (*due && strcmp(due, today) < 0)
        a->overdue++;
    if (!strcmp(status, "follow_up") && *follow && strcmp(follow, today) < 0)
        a->follow_up_overdue++;
}

static vp_result case_stats(struct cconn *c, const char *coach_id, const char *location_id,
                            int64_t now_ms, json_t *locs, json_t *out)
{
    size_t nloc = json_array_size(locs);
    struct loc_acc *acc = vp_xcalloc(nloc + 1, sizeof(*acc)); /* [nloc] is the total */
    char today[VP_TIME_LEN];
    json_t *per = json_object();
    sqlite3_stmt *s;
    int rc;
    vp_time_format(now_ms, today);
    today[10] = '\0';
    for (size_t i = 0; i <= nloc; i++)
        acc[i].status = json_object();
    s = cst_prep(c, SQL_CASES);
    cst_bind_text(s, 1, coach_id);
    cst_bind_text(s, 2, location_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int i = loc_index(locs, cst_col(s, 0));
        if (i < 0)
            continue;
        acc_case(&acc[i], s, now_ms, today);
        acc_case(&acc[nloc], s, now_ms, today);
    }
    sqlite3_reset(s);
    for (size_t i = 0; i < nloc; i++)
        json_object_set_new(per, json_string_value(json_object_get(json_array_get(locs, i), "id")),
                            acc_json(&acc[i]));
    json_object_set_new(out, "per_location", per);
    json_object_set_new(out, "total", acc_json(&acc[nloc]));
    free(acc);
    return rc == SQLITE_DONE ? VP_OK : cst_result(c, rc);
}

vp_result cstore_console_overview(struct cstore *st, const char *coach_id, const char *location_id,
                                  int weeks, int64_t now_ms, json_t **out)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    json_t *locs;
    sqlite3_stmt *s;
    char at[VP_TIME_LEN];
    if (!c)
        return res;
    if (location_id && !cst_coach_may(c, coach_id, location_id))
        return VP_ERR_REFUSED;
    weeks = weeks < 4 ? 4 : weeks > 52 ? 52 : weeks;
    locs = json_array();
    s = cst_prep(c, SQL_LOCS);
    cst_bind_text(s, 1, coach_id);
    cst_bind_text(s, 2, location_id);
    while (sqlite3_step(s) == SQLITE_ROW)
        json_array_append_new(locs,
                              json_pack("{s:s,s:s}", "id", cst_col(s, 0), "name", cst_col(s, 1)));
    sqlite3_reset(s);
    *out = json_object();
    vp_time_format(now_ms, at);
    json_object_set_new(*out, "generated_at", json_string(at));
    json_object_set_new(*out, "reference_days", json_integer(REFERENCE_DAYS));
    json_object_set_new(*out, "locations", locs);
    if ((res = weekly(c, coach_id, location_id, weeks, now_ms, locs, *out)) != VP_OK ||
        (res = case_stats(c, coach_id, location_id, now_ms, locs, *out)) != VP_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return res;
}
