/*
 * devstore_signal.c - a signal is one thing with versions; the rules of how
 * a change to it is written live here and nowhere else (docs/sync.md draws
 * them as a state machine).
 *
 * A signal's identity is its first record's id (signal_id); its versions
 * are the observation rows with that signal_id, in id order (UUIDv7 on this
 * tablet). A version "left" the tablet when it may be at the centre: it was
 * ever frozen into a batch (the outbox row's sticky ever_sent mark, which an
 * epoch requeue does not clear), it is in flight, acknowledged or
 * quarantined, or its outbox row is gone (purged after acknowledgement).
 *
 *   amend: latest never left -> change it in place (same id and time);
 *          else a correction naming the latest, same signal_id.
 *   undo:  no version ever left -> delete every version;
 *          latest never left   -> replace it in place by a retraction naming
 *                                 the version before it;
 *          else                -> a retraction naming the latest.
 *
 * VP_TEST_REENABLE_BUG (test builds only, see app/store/CMakeLists.txt)
 * brings one of the old tablet bugs of issue 9 back, so that tests can show
 * they catch it: 1 undo looks at the latest version only, 2 amend ignores
 * the sticky mark, 3 undo ignores the sticky mark.
 */
#include "devstore_int.h"
#include <string.h>

#ifndef VP_TEST_REENABLE_BUG
#define VP_TEST_REENABLE_BUG 0
#endif

/* Whether a version left, per outbox row b (NULL after a purge). */
#define LEFT_STICKY   "(b.record_id IS NULL OR b.ever_sent = 1 OR b.state <> 'pending')"
#define LEFT_BY_STATE "(b.record_id IS NULL OR b.state <> 'pending')" /* bugs 2 and 3 */

#if VP_TEST_REENABLE_BUG == 2
#define LEFT_AMEND LEFT_BY_STATE
#else
#define LEFT_AMEND LEFT_STICKY
#endif
#if VP_TEST_REENABLE_BUG == 3
#define LEFT_UNDO LEFT_BY_STATE
#else
#define LEFT_UNDO LEFT_STICKY
#endif

/* The signal a version (or the signal itself) belongs to. */
static vp_result signal_of(struct devstore *s, const char *id, char signal_id[VP_UUID_LEN])
{
    sqlite3_stmt *st = ds_prepare(s,
                                  "SELECT signal_id FROM observations"
                                  " WHERE id = ?1 OR signal_id = ?1 LIMIT 1",
                                  "s", id);
    bool row;
    vp_result res;
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res && !row)
        res = VP_ERR_NOT_FOUND;
    if (!res)
        ds_col_text(st, 0, signal_id, VP_UUID_LEN);
    sqlite3_reset(st);
    return res;
}

static vp_result latest_version(struct devstore *s, const char *signal_id,
                                struct vp_observation *out)
{
    return ds_get_one(s,
                      ds_prepare(s,
                                 "SELECT " DS_OBS_COLUMNS " FROM observations o"
                                 " WHERE o.signal_id = ?1 ORDER BY o.id DESC LIMIT 1",
                                 "s", signal_id),
                      sizeof(*out), ds_obs_read, out);
}

/* Did the version with this id leave (per the given rule)? */
static vp_result version_left(struct devstore *s, const char *sql, const char *id, bool *left)
{
    int64_t n = 0;
    vp_result res = ds_query_int(s, &n, sql, "s", id);
    *left = n > 0;
    return res;
}

static vp_result latest_left(struct devstore *s, const char *id, bool undo, bool *left)
{
    static const char amend_sql[] = "SELECT count(*) FROM observations o"
                                    " LEFT JOIN outbox b ON b.record_id = o.id"
                                    " WHERE o.id = ?1 AND " LEFT_AMEND;
    static const char undo_sql[] = "SELECT count(*) FROM observations o"
                                   " LEFT JOIN outbox b ON b.record_id = o.id"
                                   " WHERE o.id = ?1 AND " LEFT_UNDO;
    return version_left(s, undo ? undo_sql : amend_sql, id, left);
}

/* Did any version of the signal leave? */
static vp_result any_left(struct devstore *s, const struct vp_observation *latest, bool *left)
{
#if VP_TEST_REENABLE_BUG == 1
    return latest_left(s, latest->id, true, left); /* bug 1: the latest version only */
#else
    static const char sql[] = "SELECT count(*) FROM observations o"
                              " LEFT JOIN outbox b ON b.record_id = o.id"
                              " WHERE o.signal_id = ?1 AND " LEFT_UNDO;
    vp_result res = version_left(s, sql, latest->signal_id, left);
    /* a correction exists only because an earlier version left (which may
     * since have been purged after its acknowledgement) */
    if (!res && latest->corrects[0])
        *left = true;
    return res;
#endif
}

static vp_result delete_signal(struct devstore *s, const struct vp_observation *latest)
{
#if VP_TEST_REENABLE_BUG == 1
    return ds_obs_delete(s, latest->id); /* bug 1: the latest version only */
#else
    vp_result res = ds_exec(s,
                            "DELETE FROM outbox WHERE state = 'pending' AND record_id IN"
                            " (SELECT id FROM observations WHERE signal_id = ?1)",
                            "s", latest->signal_id);
    if (!res)
        res = ds_exec(s, "DELETE FROM observations WHERE signal_id = ?1", "s", latest->signal_id);
    return res;
#endif
}

static vp_result child_and_staff_exist(struct devstore *s, const struct vp_observation *o)
{
    int64_t n = 0;
    vp_result res = ds_query_int(s, &n,
                                 "SELECT (SELECT count(*) FROM children WHERE id = ?1)"
                                 " * (SELECT count(*) FROM staff WHERE id = ?2)",
                                 "ss", o->child_id, o->staff_id);
    return res ? res : n ? VP_OK : VP_ERR_CONSTRAINT;
}

vp_result devstore_signal_record(struct devstore *s, struct vp_observation *obs, bool hold)
{
    struct vp_observation o = *obs;
    const struct vp_catalog *cat;
    vp_result res;
    o.corrects[0] = '\0';
    o.retracted = false;
    res = ds_obs_validate(s, &o);
    if (!res)
        res = ds_begin(s);
    if (res)
        return res;
    res = child_and_staff_exist(s, &o);
    if (!res)
        res = ds_new_id(s, o.id);
    if (!res)
        res = ds_catalog(s, &cat);
    if (!res) {
        vp_strlcpy(o.signal_id, o.id, sizeof(o.signal_id));
        o.catalog_version = cat->version;
        o.device_time_ms = vp_now_ms();
        res = ds_obs_insert(s, &o, hold);
    }
    res = ds_finish(s, res);
    if (!res)
        *obs = o;
    return res;
}

vp_result devstore_observation_record(struct devstore *s, struct vp_observation *obs)
{
    return devstore_signal_record(s, obs, false);
}

/* The signal named by id (any of its versions) and its latest version. */
static vp_result find_signal(struct devstore *s, const char *id, struct vp_observation *latest)
{
    char signal_id[VP_UUID_LEN];
    vp_result res = signal_of(s, id, signal_id);
    if (!res)
        res = latest_version(s, signal_id, latest);
    if (!res && latest->retracted)
        res = VP_ERR_NOT_FOUND; /* undone: the signal is gone */
    return res;
}

vp_result devstore_signal_get(struct devstore *s, const char *id, struct vp_observation *out)
{
    return find_signal(s, id, out);
}

vp_result devstore_signal_amend(struct devstore *s, const char *id,
                                const struct vp_observation *obs, bool hold,
                                struct vp_observation *out)
{
    struct vp_observation latest, o = *obs;
    bool left = false;
    vp_result res = ds_obs_validate(s, &o);
    if (!res)
        res = ds_begin(s);
    if (res)
        return res;
    res = find_signal(s, id, &latest);
    if (!res && strcmp(latest.child_id, o.child_id) != 0)
        res = VP_ERR_INVALID;
    if (!res)
        res = latest_left(s, latest.id, false, &left);
    if (res)
        return ds_finish(s, res);
    o.retracted = false;
    o.catalog_version = latest.catalog_version;
    vp_strlcpy(o.signal_id, latest.signal_id, sizeof(o.signal_id));
    if (!left) { /* the latest version is still only here: change it in place */
        vp_strlcpy(o.id, latest.id, sizeof(o.id));
        vp_strlcpy(o.corrects, latest.corrects, sizeof(o.corrects));
        o.device_time_ms = latest.device_time_ms;
        res = ds_obs_delete(s, latest.id);
    } else { /* it may be at the centre: a correction names it */
        res = ds_new_id(s, o.id);
        vp_strlcpy(o.corrects, latest.id, sizeof(o.corrects));
        o.device_time_ms = vp_now_ms();
    }
    if (!res)
        res = ds_obs_insert(s, &o, hold);
    res = ds_finish(s, res);
    if (!res && out)
        *out = o;
    return res;
}

/* A retraction of the signal, naming the version it undoes. */
static void make_retraction(const struct vp_observation *latest, const char *staff_id,
                            struct vp_observation *o)
{
    memset(o, 0, sizeof(*o));
    vp_strlcpy(o->signal_id, latest->signal_id, sizeof(o->signal_id));
    vp_strlcpy(o->child_id, latest->child_id, sizeof(o->child_id));
    vp_strlcpy(o->staff_id, staff_id, sizeof(o->staff_id));
    o->level = latest->level;
    o->retracted = true;
    o->catalog_version = latest->catalog_version;
    o->device_time_ms = vp_now_ms();
}

vp_result devstore_signal_undo(struct devstore *s, const char *id, const char *staff_id, bool hold)
{
    struct vp_observation latest, o;
    bool any = false, last = false;
    vp_result res;
    if (!vp_uuid_valid(staff_id))
        return VP_ERR_INVALID;
    res = ds_begin(s);
    if (!res)
        res = find_signal(s, id, &latest);
    if (!res)
        res = any_left(s, &latest, &any);
    if (!res && any)
        res = latest_left(s, latest.id, true, &last);
    if (res)
        return ds_finish(s, res);
    if (!any)
        return ds_finish(s, delete_signal(s, &latest)); /* nothing ever left: no trace */
    make_retraction(&latest, staff_id, &o);
    if (!last) { /* the latest is only here: it becomes the retraction */
        vp_strlcpy(o.id, latest.id, sizeof(o.id));
        vp_strlcpy(o.corrects, latest.corrects, sizeof(o.corrects));
        res = ds_obs_delete(s, latest.id);
    } else {
        res = ds_new_id(s, o.id);
        vp_strlcpy(o.corrects, latest.id, sizeof(o.corrects));
    }
    if (!res)
        res = ds_obs_insert(s, &o, hold);
    return ds_finish(s, res);
}

/* ---- the settle window ---- */

vp_result devstore_signals_settle(struct devstore *s)
{
    return ds_exec(s, "UPDATE outbox SET hold_until = 0 WHERE hold_until <> 0", NULL);
}

vp_result devstore_signals_next_settle(struct devstore *s, int64_t *at_ms)
{
    int64_t at = 0;
    /* a hold further away than twice the window (the clock went back)
     * counts as settled already; one that has passed is due (it may be past
     * now) */
    vp_result res = ds_query_int(s, &at,
                                 "SELECT coalesce(min(hold_until), 0) FROM outbox"
                                 " WHERE state = 'pending' AND hold_until <> 0"
                                 " AND hold_until <= ?1 + ?2",
                                 "ii", vp_now_ms(), (int64_t)2 * DEV_SETTLE_MS);
    *at_ms = res ? 0 : at;
    return res;
}
