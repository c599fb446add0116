/*
 * cstore_push.c - applying pushed records: dedup by id and content hash,
 * location checks, last-writer-wins entity revisions published to the
 * location's feed, observations filed under their signal (cstore_signal.c)
 * and opening a case.
 */
#include "cstore_signal.h"
#include "vp_json.h"
#include "vp_log.h"
#include "vp_fault.h"
#include "vp_str.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where an entity lives, seen from the pushing device's location. */
enum owner { OWN_NONE, OWN_HERE, OWN_OTHER, OWN_ERASED };

struct push {
    struct cconn *c;
    const char *device_id;
    const char *loc;
    int64_t now;
    char signal_id[VP_UUID_LEN]; /* the signal of the observation being applied, else "" */
};

static const char SQL_OWN_CHILD[] = "SELECT location_id FROM children WHERE child_id = ?1";
static const char SQL_OWN_ERASED[] = "SELECT location_id FROM erased_children WHERE child_id = ?1";
static const char SQL_OWN_GROUP[] = "SELECT location_id FROM groups WHERE group_id = ?1";
static const char SQL_OWN_STAFF[] = "SELECT location_id FROM staff WHERE staff_id = ?1";
static const char SQL_OWN_ADVICE[] = "SELECT location_id FROM advice WHERE id = ?1";
static const char SQL_OWN_RECORD[] = "SELECT location_id FROM records WHERE id = ?1";
static const char SQL_REC_GET[] = "SELECT location_id, hash FROM records WHERE id = ?1";
static const char SQL_REC_ADD[] =
    "INSERT INTO records(id, location_id, device_id, type, hash, child_id, received_at,"
    " signal_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, ''))";

static enum owner owner_of(struct push *p, const char *sql, const char *id)
{
    sqlite3_stmt *s = cst_prep(p->c, sql);
    enum owner o = OWN_NONE;
    cst_bind_text(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW)
        o = strcmp(cst_col(s, 0), p->loc) ? OWN_OTHER : OWN_HERE;
    sqlite3_reset(s);
    return o;
}

static enum owner child_owner(struct push *p, const char *child_id)
{
    enum owner o = owner_of(p, SQL_OWN_ERASED, child_id);
    if (o == OWN_HERE)
        return OWN_ERASED;
    return o == OWN_OTHER ? OWN_OTHER : owner_of(p, SQL_OWN_CHILD, child_id);
}

static void reject(struct cstore_item *it, const char *reason)
{
    it->status = VP_PUSH_REJECTED;
    vp_strlcpy(it->reason, reason, sizeof(it->reason));
}

/* Checks a named entity: REFUSED for another location's, rejects unknown. */
static vp_result check_named(struct cstore_item *it, enum owner o, const char *field,
                             const char *noun)
{
    char reason[160];
    if (o == OWN_OTHER)
        return VP_ERR_REFUSED;
    if (o == OWN_ERASED) {
        reject(it, "child_id: names a child that was erased");
    } else if (o == OWN_NONE) {
        snprintf(reason, sizeof(reason), "%s: names %s the server does not know for this location",
                 field, noun);
        reject(it, reason);
    }
    return VP_OK;
}

static vp_result publish_entity(struct push *p, const struct vp_record *rec, const char *entity)
{
    struct vp_change chg;
    json_t *js;
    vp_result res;
    memset(&chg, 0, sizeof(chg));
    if (rec->type == VP_REC_CHILD) {
        chg.type = VP_CHG_CHILD;
        chg.u.child = rec->u.child;
    } else if (rec->type == VP_REC_GROUP) {
        chg.type = VP_CHG_GROUP;
        chg.u.group = rec->u.group;
    } else {
        chg.type = VP_CHG_STAFF;
        chg.u.staff = rec->u.staff;
    }
    js = vp_change_to_json(&chg);
    res = cst_feed_add(p->c, p->loc, vp_change_type_name(chg.type), entity, js, p->now);
    json_decref(js);
    return res;
}

static const char SQL_CHILD_PUT[] =
    "INSERT INTO children(child_id, location_id, group_id, first_name, birth_month, pseudonym,"
    " archived, rev_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT(child_id) DO UPDATE SET group_id = excluded.group_id,"
    " first_name = excluded.first_name, birth_month = excluded.birth_month,"
    " pseudonym = excluded.pseudonym, archived = excluded.archived, rev_id = excluded.rev_id,"
    " updated_at = excluded.updated_at";
static const char SQL_GROUP_PUT[] =
    "INSERT INTO groups(group_id, location_id, name, archived, rev_id, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(group_id) DO UPDATE SET name = excluded.name,"
    " archived = excluded.archived, rev_id = excluded.rev_id, updated_at = excluded.updated_at";
static const char SQL_STAFF_PUT[] =
    "INSERT INTO staff(staff_id, location_id, display_name, role, pin_hash, archived, rev_id,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(staff_id) DO UPDATE SET"
    " display_name = excluded.display_name, role = excluded.role, pin_hash = excluded.pin_hash,"
    " archived = excluded.archived, rev_id = excluded.rev_id, updated_at = excluded.updated_at";

static vp_result apply_child(struct push *p, struct cstore_item *it)
{
    const struct vp_child_rev *r = &it->rec.u.child;
    sqlite3_stmt *s;
    enum owner child = child_owner(p, r->child_id);
    vp_result res;
    if (child != OWN_NONE) { /* a new child is fine; another location's or an erased one not */
        res = check_named(it, child, "child_id", "a child");
        if (res || it->status == VP_PUSH_REJECTED)
            return res;
    }
    if (owner_of(p, SQL_OWN_GROUP, r->group_id) != OWN_HERE)
        return check_named(it, owner_of(p, SQL_OWN_GROUP, r->group_id), "group_id", "a group");
    s = cst_prep(p->c, SQL_CHILD_PUT);
    cst_bind_text(s, 1, r->child_id);
    cst_bind_text(s, 2, p->loc);
    cst_bind_text(s, 3, r->group_id);
    cst_bind_text(s, 4, r->first_name);
    cst_bind_text(s, 5, r->birth_month);
    cst_bind_text(s, 6, r->pseudonym);
    cst_bind_int(s, 7, r->archived);
    cst_bind_text(s, 8, r->id);
    cst_bind_int(s, 9, p->now);
    if ((res = cst_done(p->c, s)) != VP_OK)
        return res;
    return publish_entity(p, &it->rec, r->child_id);
}

static vp_result apply_group(struct push *p, struct cstore_item *it)
{
    const struct vp_group_rev *r = &it->rec.u.group;
    sqlite3_stmt *s;
    vp_result res;
    if (owner_of(p, SQL_OWN_GROUP, r->group_id) == OWN_OTHER)
        return VP_ERR_REFUSED;
    s = cst_prep(p->c, SQL_GROUP_PUT);
    cst_bind_text(s, 1, r->group_id);
    cst_bind_text(s, 2, p->loc);
    cst_bind_text(s, 3, r->name);
    cst_bind_int(s, 4, r->archived);
    cst_bind_text(s, 5, r->id);
    cst_bind_int(s, 6, p->now);
    if ((res = cst_done(p->c, s)) != VP_OK)
        return res;
    return publish_entity(p, &it->rec, r->group_id);
}

static vp_result apply_staff(struct push *p, struct cstore_item *it)
{
    const struct vp_staff_rev *r = &it->rec.u.staff;
    sqlite3_stmt *s;
    vp_result res;
    if (owner_of(p, SQL_OWN_STAFF, r->staff_id) == OWN_OTHER)
        return VP_ERR_REFUSED;
    s = cst_prep(p->c, SQL_STAFF_PUT);
    cst_bind_text(s, 1, r->staff_id);
    cst_bind_text(s, 2, p->loc);
    cst_bind_text(s, 3, r->display_name);
    cst_bind_text(s, 4, vp_role_name(r->role));
    cst_bind_text(s, 5, r->pin_hash);
    cst_bind_int(s, 6, r->archived);
    cst_bind_text(s, 7, r->id);
    cst_bind_int(s, 8, p->now);
    if ((res = cst_done(p->c, s)) != VP_OK)
        return res;
    return publish_entity(p, &it->rec, r->staff_id);
}

static const char SQL_OBS_ADD[] =
    "INSERT INTO observations(id, location_id, child_id, staff_id, device_id, signals, level,"
    " frequency, situation, note, parents_informed, consultation, consent_confirmed, retracted,"
    " corrects, device_time, catalog_version, received_at, signal_id) VALUES (?1, ?2, ?3, ?4,"
    " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";
static const char SQL_CASE_OPEN[] = "INSERT OR IGNORE INTO cases(child_id, location_id, updated_at)"
                                    " VALUES (?1, ?2, ?3)";
/* A pm'er who confirms parental consent for a named consultation records it. */
static const char SQL_CASE_CONSENT[] =
    "UPDATE cases SET consent = 'given', consent_at = ?2, consent_by = 'location',"
    " updated_at = ?2 WHERE child_id = ?1 AND consent IN ('unknown', 'asked')";

static vp_result obs_insert(struct push *p, const struct vp_observation *o)
{
    sqlite3_stmt *s = cst_prep(p->c, SQL_OBS_ADD);
    char sigs[VP_MAX_SIGNALS * VP_CODE_LEN] = "";
    size_t len = 0;
    for (int i = 0; i < o->nsignals; i++)
        len +=
            (size_t)snprintf(sigs + len, sizeof(sigs) - len, "%s%s", i ? "," : "", o->signals[i]);
    cst_bind_text(s, 1, o->id);
    cst_bind_text(s, 2, p->loc);
    cst_bind_text(s, 3, o->child_id);
    cst_bind_text(s, 4, o->staff_id);
    cst_bind_text(s, 5, p->device_id);
    cst_bind_text(s, 6, sigs);
    cst_bind_int(s, 7, o->level);
    cst_bind_text(s, 8, o->frequency ? vp_frequency_name(o->frequency) : "");
    cst_bind_text(s, 9, o->situation ? vp_situation_name(o->situation) : "");
    cst_bind_text(s, 10, o->note);
    cst_bind_int(s, 11, o->parents_informed);
    cst_bind_text(s, 12, vp_consultation_name(o->consultation));
    cst_bind_int(s, 13, o->consent_confirmed);
    cst_bind_int(s, 14, o->retracted);
    cst_bind_text(s, 15, o->corrects[0] ? o->corrects : NULL);
    cst_bind_int(s, 16, o->device_time_ms);
    cst_bind_int(s, 17, o->catalog_version);
    cst_bind_int(s, 18, p->now);
    cst_bind_text(s, 19, p->signal_id);
    return cst_done(p->c, s);
}

/* The signal id the tablet sent (the wire's optional "signal_id"), or NULL:
 * older tablets send none and the corrects chain decides. */
static const char *wire_signal_id(const struct vp_observation *o)
{
    return o->signal_id[0] ? o->signal_id : NULL;
}

/* Files the observation under its signal: a new version, or the signal's
 * undo; nothing but the record id for a signal undone before. */
static vp_result file_observation(struct push *p, struct cstore_item *it, bool *open_case)
{
    const struct vp_observation *o = &it->rec.u.obs;
    enum cst_signal_fate fate;
    const char *why = NULL;
    vp_result res = cst_signal_resolve(p->c, o, wire_signal_id(o), p->signal_id, &fate, &why);
    *open_case = false;
    if (res == VP_ERR_INVALID) {
        reject(it, why);
        return VP_OK;
    }
    if (res || fate == CST_SIGNAL_UNDONE)
        return res;
    if (o->retracted)
        return cst_signal_undo(p->c, p->signal_id, p->loc, o->child_id, p->now);
    if ((res = obs_insert(p, o)) != VP_OK)
        return res;
    *open_case = true;
    return cst_signal_add_version(p->c, p->signal_id, p->loc, o, p->now);
}

static vp_result apply_observation(struct push *p, struct cstore_item *it)
{
    const struct vp_observation *o = &it->rec.u.obs;
    sqlite3_stmt *s;
    bool open_case;
    vp_result res = check_named(it, child_owner(p, o->child_id), "child_id", "a child");
    if (res || it->status == VP_PUSH_REJECTED)
        return res;
    res = check_named(it, owner_of(p, SQL_OWN_STAFF, o->staff_id), "staff_id", "a staff member");
    if (res || it->status == VP_PUSH_REJECTED)
        return res;
    if (o->corrects[0] && owner_of(p, SQL_OWN_RECORD, o->corrects) == OWN_OTHER)
        return VP_ERR_REFUSED;
    if ((res = file_observation(p, it, &open_case)) != VP_OK || !open_case)
        return res;
    s = cst_prep(p->c, SQL_CASE_OPEN);
    cst_bind_text(s, 1, o->child_id);
    cst_bind_text(s, 2, p->loc);
    cst_bind_int(s, 3, p->now);
    if ((res = cst_done(p->c, s)) != VP_OK)
        return res;
    if (o->consultation == VP_CONSULT_NAMED && o->consent_confirmed) {
        s = cst_prep(p->c, SQL_CASE_CONSENT);
        cst_bind_text(s, 1, o->child_id);
        cst_bind_int(s, 2, p->now);
        if ((res = cst_done(p->c, s)) != VP_OK)
            return res;
        if (sqlite3_changes(p->c->db))
            res = cst_feed_case(p->c, o->child_id, p->now);
    }
    return res;
}

static const char SQL_READ_ADD[] = "INSERT OR IGNORE INTO advice_reads(id, advice_id, staff_id,"
                                   " read_at, received_at) VALUES (?1, ?2, ?3, ?4, ?5)";

static vp_result apply_read(struct push *p, struct cstore_item *it)
{
    const struct vp_advice_read *r = &it->rec.u.read;
    sqlite3_stmt *s;
    vp_result res =
        check_named(it, owner_of(p, SQL_OWN_ADVICE, r->advice_id), "advice_id", "advice");
    if (res || it->status == VP_PUSH_REJECTED)
        return res;
    res = check_named(it, owner_of(p, SQL_OWN_STAFF, r->staff_id), "staff_id", "a staff member");
    if (res || it->status == VP_PUSH_REJECTED)
        return res;
    s = cst_prep(p->c, SQL_READ_ADD);
    cst_bind_text(s, 1, r->id);
    cst_bind_text(s, 2, r->advice_id);
    cst_bind_text(s, 3, r->staff_id);
    cst_bind_int(s, 4, r->read_at_ms);
    cst_bind_int(s, 5, p->now);
    return cst_done(p->c, s);
}

/* Same id seen before: duplicate, conflict, or another location's record. */
static vp_result check_seen(struct push *p, struct cstore_item *it, bool *seen)
{
    sqlite3_stmt *s = cst_prep(p->c, SQL_REC_GET);
    vp_result res = VP_OK;
    cst_bind_text(s, 1, it->id);
    *seen = sqlite3_step(s) == SQLITE_ROW;
    if (*seen) {
        if (strcmp(cst_col(s, 0), p->loc) != 0) {
            res = VP_ERR_REFUSED;
        } else if (!strcmp(cst_col(s, 1), it->hash)) {
            it->status = VP_PUSH_DUPLICATE;
        } else {
            it->status = VP_PUSH_CONFLICT;
            vp_strlcpy(it->reason, "a different record with this id is already stored",
                       sizeof(it->reason));
        }
    }
    sqlite3_reset(s);
    return res;
}

static vp_result push_one(struct push *p, struct cstore_item *it)
{
    const struct vp_record *rec = &it->rec;
    sqlite3_stmt *s;
    bool seen;
    vp_result res;
    it->status = VP_PUSH_STORED;
    p->signal_id[0] = '\0';
    if (!it->valid) {
        it->status = VP_PUSH_REJECTED;
        return VP_OK;
    }
    if ((res = check_seen(p, it, &seen)) != VP_OK || seen)
        return res;
    switch (rec->type) {
    case VP_REC_OBSERVATION: res = apply_observation(p, it); break;
    case VP_REC_CHILD: res = apply_child(p, it); break;
    case VP_REC_GROUP: res = apply_group(p, it); break;
    case VP_REC_STAFF: res = apply_staff(p, it); break;
    case VP_REC_ADVICE_READ: res = apply_read(p, it); break;
    default: reject(it, "type: is not a known record type"); break;
    }
    if (res || it->status != VP_PUSH_STORED)
        return res;
    s = cst_prep(p->c, SQL_REC_ADD);
    cst_bind_text(s, 1, it->id);
    cst_bind_text(s, 2, p->loc);
    cst_bind_text(s, 3, p->device_id);
    cst_bind_text(s, 4, vp_record_type_name(rec->type));
    cst_bind_text(s, 5, it->hash);
    cst_bind_text(s, 6,
                  rec->type == VP_REC_OBSERVATION ? rec->u.obs.child_id
                  : rec->type == VP_REC_CHILD     ? rec->u.child.child_id
                                                  : NULL);
    cst_bind_int(s, 7, p->now);
    cst_bind_text(s, 8, p->signal_id);
    return cst_done(p->c, s);
}

static vp_result push_all(struct push *p, struct cstore_item *items, size_t n, size_t *bad)
{
    vp_result res = cst_begin(p->c);
    for (size_t i = 0; !res && i < n; i++) {
        res = push_one(p, &items[i]);
        if (res && bad)
            *bad = i;
    }
    if (!res && vp_fault("push_slow"))
        sqlite3_sleep(2000);
    if (!res)
        res = cst_commit(p->c);
    else
        cst_rollback(p->c);
    return res;
}

vp_result cstore_push(struct cstore *st, const struct cstore_device *dev, struct cstore_item *items,
                      size_t n, int64_t now_ms, size_t *bad_index)
{
    vp_result res;
    struct push p;
    p.c = cst_conn(st, &res);
    if (!p.c)
        return res;
    p.device_id = dev->id;
    p.loc = dev->location_id;
    p.now = now_ms;
    return push_all(&p, items, n, bad_index);
}

vp_result cstore_location_seed(struct cstore *st, const char *location_id,
                               const struct vp_record *rec, int64_t now_ms)
{
    struct cstore_device dev;
    struct cstore_item it;
    json_t *js = vp_record_to_json(rec);
    vp_result res;
    memset(&dev, 0, sizeof(dev));
    vp_strlcpy(dev.id, "central", sizeof(dev.id));
    vp_strlcpy(dev.location_id, location_id, sizeof(dev.location_id));
    memset(&it, 0, sizeof(it));
    it.valid = true;
    it.rec = *rec;
    vp_strlcpy(it.id, vp_record_id(rec), sizeof(it.id));
    vp_record_hash(js, it.hash);
    json_decref(js);
    res = cstore_push(st, &dev, &it, 1, now_ms, NULL);
    if (!res && it.status == VP_PUSH_REJECTED) {
        vp_warn("seed record %s rejected: %s", it.id, it.reason);
        res = VP_ERR_INVALID;
    }
    return res;
}
