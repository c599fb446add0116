/*
 * devstore_obs.c - observation rows: checking, writing, reading and
 * deleting one version of a signal, and the child's list of signals. The
 * rules of when a version is written in place or as a new record live in
 * devstore_signal.c; this file only moves rows.
 */
#include "devstore_int.h"
#include <stdlib.h>
#include <string.h>

static void join_signals(const struct vp_observation *o, char *out, size_t size)
{
    struct vp_buf b = VP_BUF_INIT;
    for (int i = 0; i < o->nsignals; i++) {
        if (i)
            vp_buf_addch(&b, ',');
        vp_buf_adds(&b, o->signals[i]);
    }
    vp_strlcpy(out, b.data, size);
    vp_buf_release(&b);
}

static void split_signals(const char *text, struct vp_observation *o)
{
    o->nsignals = 0;
    while (*text && o->nsignals < VP_MAX_SIGNALS) {
        size_t len = strcspn(text, ",");
        if (len > 0 && len < VP_CODE_LEN) {
            memcpy(o->signals[o->nsignals], text, len);
            o->signals[o->nsignals][len] = '\0';
            o->nsignals++;
        }
        text += len;
        if (*text == ',')
            text++;
    }
}

vp_result ds_obs_validate(struct devstore *s, const struct vp_observation *o)
{
    const struct vp_catalog *cat;
    vp_result res;
    if (!vp_uuid_valid(o->child_id) || !vp_uuid_valid(o->staff_id) || o->level < 1 ||
        o->level > 3 || o->frequency >= VP_FREQ_COUNT || o->situation >= VP_SIT_COUNT ||
        o->consultation >= VP_CONSULT_COUNT)
        return VP_ERR_INVALID;
    if (!o->retracted && (o->nsignals < 1 || o->nsignals > VP_MAX_SIGNALS))
        return VP_ERR_INVALID;
    if (o->consultation == VP_CONSULT_NAMED && !o->consent_confirmed)
        return VP_ERR_INVALID;
    if (!vp_note_valid(o->note, NULL))
        return VP_ERR_INVALID;
    res = ds_catalog(s, &cat);
    if (res)
        return res;
    for (int i = 0; i < o->nsignals; i++) {
        if (!vp_catalog_find(cat, o->signals[i], NULL))
            return VP_ERR_INVALID;
        for (int k = 0; k < i; k++)
            if (!strcmp(o->signals[k], o->signals[i]))
                return VP_ERR_INVALID;
    }
    return VP_OK;
}

vp_result ds_obs_insert(struct devstore *s, const struct vp_observation *o, bool hold)
{
    char sigs[VP_MAX_SIGNALS * VP_CODE_LEN];
    struct vp_record rec;
    vp_result res;
    join_signals(o, sigs, sizeof(sigs));
    res = ds_exec(s,
                  "INSERT INTO observations(id, signal_id, child_id, staff_id, signals, level,"
                  " frequency, situation, note, parents_informed, consultation, consent_confirmed,"
                  " retracted, corrects, device_time, catalog_version)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                  "sssssbbbsbbbbsii", o->id, o->signal_id, o->child_id, o->staff_id, sigs, o->level,
                  (int)o->frequency, (int)o->situation, o->note, o->parents_informed ? 1 : 0,
                  (int)o->consultation, o->consent_confirmed ? 1 : 0, o->retracted ? 1 : 0,
                  o->corrects[0] ? o->corrects : NULL, o->device_time_ms, o->catalog_version);
    if (res)
        return res;
    rec.type = VP_REC_OBSERVATION;
    rec.u.obs = *o;
    res = ds_outbox_add(s, &rec, o->child_id, o->signal_id);
    if (!res && hold)
        res = ds_exec(s, "UPDATE outbox SET hold_until = ?2 WHERE record_id = ?1", "si", o->id,
                      vp_now_ms() + DEV_SETTLE_MS);
    return res;
}

vp_result ds_obs_delete(struct devstore *s, const char *id)
{
    vp_result res =
        ds_exec(s, "DELETE FROM outbox WHERE record_id = ?1 AND state = 'pending'", "s", id);
    if (!res)
        res = ds_exec(s, "DELETE FROM observations WHERE id = ?1", "s", id);
    return res;
}

void ds_obs_read(sqlite3_stmt *st, void *item)
{
    struct vp_observation *o = item;
    char sigs[VP_MAX_SIGNALS * VP_CODE_LEN];
    memset(o, 0, sizeof(*o));
    ds_col_text(st, 0, o->id, sizeof(o->id));
    ds_col_text(st, 1, o->child_id, sizeof(o->child_id));
    ds_col_text(st, 2, o->staff_id, sizeof(o->staff_id));
    ds_col_text(st, 3, sigs, sizeof(sigs));
    split_signals(sigs, o);
    o->level = sqlite3_column_int(st, 4);
    o->frequency = (enum vp_frequency)sqlite3_column_int(st, 5);
    o->situation = (enum vp_situation)sqlite3_column_int(st, 6);
    ds_col_text(st, 7, o->note, sizeof(o->note));
    o->parents_informed = sqlite3_column_int(st, 8) != 0;
    o->consultation = (enum vp_consultation)sqlite3_column_int(st, 9);
    o->consent_confirmed = sqlite3_column_int(st, 10) != 0;
    o->retracted = sqlite3_column_int(st, 11) != 0;
    ds_col_text(st, 12, o->corrects, sizeof(o->corrects));
    o->device_time_ms = sqlite3_column_int64(st, 13);
    o->catalog_version = sqlite3_column_int64(st, 14);
    ds_col_text(st, 15, o->signal_id, sizeof(o->signal_id));
}

vp_result devstore_observation_get(struct devstore *s, const char *id, struct vp_observation *out)
{
    return ds_get_one(
        s, ds_prepare(s, "SELECT " DS_OBS_COLUMNS " FROM observations o WHERE o.id = ?1", "s", id),
        sizeof(*out), ds_obs_read, out);
}

static void read_obs_item(sqlite3_stmt *st, void *item)
{
    struct dev_obs_item *it = item;
    ds_obs_read(st, &it->obs);
    ds_col_text(st, 16, it->staff_name, sizeof(it->staff_name));
}

/* Each signal once, as its latest version (the highest id: UUIDv7 order on
 * this tablet); a signal whose latest version is a retraction is gone. */
vp_result devstore_child_observations(struct devstore *s, const char *child_id, size_t limit,
                                      struct dev_obs_item **out, size_t *n)
{
    sqlite3_stmt *st =
        ds_prepare(s,
                   "SELECT " DS_OBS_COLUMNS ", coalesce(st.display_name, '') FROM observations o"
                   " LEFT JOIN staff st ON st.id = o.staff_id"
                   " WHERE o.child_id = ?1 AND o.retracted = 0"
                   " AND o.id = (SELECT max(v.id) FROM observations v"
                   "             WHERE v.signal_id = o.signal_id)"
                   " ORDER BY o.signal_id DESC LIMIT ?2",
                   "si", child_id, (int64_t)limit);
    return ds_collect(s, st, sizeof(**out), read_obs_item, (void **)out, n);
}
