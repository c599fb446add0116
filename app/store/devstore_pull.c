/*
 * devstore_pull.c - applying a page of pulled changes, with its cursor, in
 * one transaction.
 */
#include "devstore_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A local revision of this entity is still on its way to the server: ours
 * is newer than anything the server could be echoing back. */
static vp_result local_revision_waiting(struct devstore *s, const char *entity_id, bool *waiting)
{
    int64_t n = 0;
    vp_result res = ds_query_int(s, &n,
                                 "SELECT count(*) FROM outbox WHERE entity_id = ?1"
                                 " AND state IN ('pending', 'in_flight')",
                                 "s", entity_id);
    *waiting = n > 0;
    return res;
}

static vp_result apply_group(struct devstore *s, const struct vp_group_rev *g)
{
    bool waiting;
    vp_result res = local_revision_waiting(s, g->group_id, &waiting);
    if (res || waiting)
        return res;
    return ds_exec(s,
                   "INSERT INTO groups(id, name, archived) VALUES (?1, ?2, ?3)"
                   " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                   " archived = excluded.archived",
                   "ssb", g->group_id, g->name, g->archived ? 1 : 0);
}

static vp_result apply_child(struct devstore *s, const struct vp_child_rev *c)
{
    bool waiting;
    vp_result res = local_revision_waiting(s, c->child_id, &waiting);
    if (res || waiting)
        return res;
    return ds_exec(
        s,
        "INSERT INTO children(id, group_id, first_name, birth_month, pseudonym, archived)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        " ON CONFLICT(id) DO UPDATE SET group_id = excluded.group_id,"
        " first_name = excluded.first_name, birth_month = excluded.birth_month,"
        " pseudonym = excluded.pseudonym, archived = excluded.archived",
        "sssssb", c->child_id, c->group_id, c->first_name, c->birth_month, c->pseudonym,
        c->archived ? 1 : 0);
}

static vp_result apply_staff(struct devstore *s, const struct vp_staff_rev *m)
{
    bool waiting;
    vp_result res = local_revision_waiting(s, m->staff_id, &waiting);
    if (res || waiting)
        return res;
    /* the lockout state is this tablet's own and is kept */
    return ds_exec(s,
                   "INSERT INTO staff(id, display_name, role, pin_hash, archived)"
                   " VALUES (?1, ?2, ?3, ?4, ?5)"
                   " ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name,"
                   " role = excluded.role, archived = excluded.archived,"
                   " pin_hash = excluded.pin_hash,"
                   " failed_attempts = CASE WHEN staff.pin_hash = excluded.pin_hash"
                   "   THEN staff.failed_attempts ELSE 0 END,"
                   " locked_until = CASE WHEN staff.pin_hash = excluded.pin_hash"
                   "   THEN staff.locked_until ELSE 0 END",
                   "ssssb", m->staff_id, m->display_name, vp_role_name(m->role), m->pin_hash,
                   m->archived ? 1 : 0);
}

static vp_result apply_advice(struct devstore *s, const struct vp_advice *a)
{
    return ds_exec(s,
                   "INSERT INTO advice(id, child_id, text, author, created_at) VALUES"
                   " (?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET text = excluded.text,"
                   " author = excluded.author",
                   "ssssi", a->advice_id, a->child_id, a->text, a->author, a->created_ms);
}

static vp_result apply_case(struct devstore *s, const struct vp_case *k)
{
    return ds_exec(s,
                   "INSERT INTO cases(child_id, status, next_action, next_action_due, consultation)"
                   " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(child_id) DO UPDATE SET"
                   " status = excluded.status, next_action = excluded.next_action,"
                   " next_action_due = excluded.next_action_due,"
                   " consultation = excluded.consultation",
                   "ssssb", k->child_id, vp_case_status_name(k->status), k->next_action,
                   k->next_action_due, (int)k->consultation);
}

static vp_result apply_settings(struct devstore *s, const struct vp_settings *st)
{
    static const char sql[] = "INSERT INTO settings(key, value) VALUES (?1, ?2)"
                              " ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    char num[2][24];
    vp_result res;
    snprintf(num[0], sizeof(num[0]), "%lld", (long long)st->autolock_seconds);
    snprintf(num[1], sizeof(num[1]), "%lld", (long long)st->retention_days);
    res = ds_exec(s, sql, "ss", "location_name", st->location_name);
    if (!res)
        res = ds_exec(s, sql, "ss", "org_name", st->org_name);
    if (!res)
        res = ds_exec(s, sql, "ss", "safety_contact", st->safety_contact);
    if (!res)
        res = ds_exec(s, sql, "ss", "autolock_seconds", num[0]);
    if (!res)
        res = ds_exec(s, sql, "ss", "retention_days", num[1]);
    if (!res)
        res = ds_exec(s, "UPDATE device SET location_name = ?1, org_name = ?2 WHERE id = 1", "ss",
                      st->location_name, st->org_name);
    return res;
}

/* Erasure is final: the child and everything about it, pending records too. */
static vp_result apply_erase(struct devstore *s, const char *child_id)
{
    vp_result res =
        ds_exec(s, "DELETE FROM outbox WHERE child_id = ?1 OR entity_id = ?1", "s", child_id);
    if (!res)
        res = ds_exec(s, "DELETE FROM observations WHERE child_id = ?1", "s", child_id);
    if (!res)
        res = ds_exec(s, "DELETE FROM advice WHERE child_id = ?1", "s", child_id);
    if (!res)
        res = ds_exec(s, "DELETE FROM cases WHERE child_id = ?1", "s", child_id);
    if (!res)
        res = ds_exec(s, "DELETE FROM children WHERE id = ?1", "s", child_id);
    return res;
}

static vp_result apply_one(struct devstore *s, const struct vp_change *c)
{
    switch (c->type) {
    case VP_CHG_GROUP: return apply_group(s, &c->u.group);
    case VP_CHG_CHILD: return apply_child(s, &c->u.child);
    case VP_CHG_STAFF: return apply_staff(s, &c->u.staff);
    case VP_CHG_ADVICE: return apply_advice(s, &c->u.advice);
    case VP_CHG_CASE: return apply_case(s, &c->u.kase);
    case VP_CHG_SETTINGS: return apply_settings(s, &c->u.settings);
    case VP_CHG_ERASE: return apply_erase(s, c->u.erase_child_id);
    case VP_CHG_DEVICE: /* the coach named a tablet: this one takes its own name */
        return ds_exec(s, "UPDATE device SET device_name = ?2 WHERE id = 1 AND device_id = ?1",
                       "ss", c->u.device.device_id, c->u.device.name);
    case VP_CHG_CATALOG:
        return c->u.catalog.json
                   ? devstore_catalog_replace(s, c->u.catalog.json, c->u.catalog.version)
                   : VP_ERR_INVALID;
    default: return VP_ERR_INVALID;
    }
}

vp_result devstore_apply_changes(struct devstore *s, const struct vp_change *changes, size_t n,
                                 const char *next_cursor)
{
    vp_result res;
    bool erased = false;
    if (!vp_cursor_valid(next_cursor))
        return VP_ERR_INVALID;
    res = ds_begin(s);
    for (size_t i = 0; !res && i < n; i++) {
        res = apply_one(s, &changes[i]);
        erased = erased || changes[i].type == VP_CHG_ERASE;
    }
    if (!res)
        res = ds_exec(s, "UPDATE sync_state SET pull_cursor = ?1 WHERE id = 1", "s", next_cursor);
    res = ds_finish(s, res);
    /* secure_delete zeroed the rows in the database; the WAL still holds the
     * old pages until it is checkpointed and truncated */
    if (!res && erased &&
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) != SQLITE_OK)
        vp_warn("devstore: the log after an erasure is not emptied yet: %s", sqlite3_errmsg(s->db));
    return res;
}
