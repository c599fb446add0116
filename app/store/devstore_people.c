/*
 * devstore_people.c - groups, children and staff of this location.
 *
 * Each change writes the entity's row and, in the same transaction, a
 * revision record to the outbox so the other tablets of the location get it
 * through the central service (last writer wins, by server sequence).
 */
#include "devstore_int.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* argon2id with parameters that take ~50 ms and 16 MiB on a cheap tablet:
 * the 5-attempt lockout is the real defence of a 4-6 digit PIN; the hash
 * keeps PINs out of sight in files and on the server. The central service's
 * demo data uses the same parameters. */
#define PIN_OPSLIMIT 3
#define PIN_MEMLIMIT (16u * 1024u * 1024u)

static bool name_ok(const char *name)
{
    size_t len;
    if (!name)
        return false;
    len = strlen(name);
    return len > 0 && vp_utf8_valid_text(name, len) && !strchr(name, '\n') &&
           vp_utf8_length(name) <= VP_NAME_MAX_CHARS && name[0] != ' ';
}

static bool birth_month_ok(const char *bm)
{
    int64_t y, m;
    char ys[5] = { 0 }, ms[3] = { 0 };
    struct vp_civil now;
    if (!bm || strlen(bm) != 7 || bm[4] != '-')
        return false;
    memcpy(ys, bm, 4);
    memcpy(ms, bm + 5, 2);
    if (!vp_parse_i64(ys, 2000, 2100, &y) || ms[0] < '0' || ms[0] > '1' ||
        !vp_parse_i64(ms, 1, 12, &m))
        return false;
    vp_time_civil(vp_now_ms(), false, &now);
    return y * 12 + m <= (int64_t)now.year * 12 + now.month; /* not in the future */
}

/* ---- groups ---- */

static vp_result queue_group(struct devstore *s, const char *group_id, const char *name,
                             bool archived)
{
    struct vp_record rec;
    vp_result res;
    memset(&rec, 0, sizeof(rec));
    rec.type = VP_REC_GROUP;
    res = ds_new_id(s, rec.u.group.id);
    if (res)
        return res;
    vp_strlcpy(rec.u.group.group_id, group_id, VP_UUID_LEN);
    vp_strlcpy(rec.u.group.name, name, sizeof(rec.u.group.name));
    rec.u.group.archived = archived;
    rec.u.group.device_time_ms = vp_now_ms();
    return ds_outbox_add(s, &rec, NULL, group_id);
}

vp_result devstore_group_add(struct devstore *s, const char *name, char id_out[VP_UUID_LEN])
{
    char id[VP_UUID_LEN];
    vp_result res;
    if (!name_ok(name))
        return VP_ERR_INVALID;
    res = ds_begin(s);
    if (!res)
        res = ds_new_id(s, id);
    if (!res)
        res = ds_exec(s, "INSERT INTO groups(id, name) VALUES (?1, ?2)", "ss", id, name);
    if (!res)
        res = queue_group(s, id, name, false);
    res = ds_finish(s, res);
    if (!res && id_out)
        memcpy(id_out, id, VP_UUID_LEN);
    return res;
}

vp_result devstore_group_update(struct devstore *s, const char *group_id, const char *name,
                                bool archived)
{
    int64_t n = 0;
    vp_result res;
    if (!name_ok(name) || !vp_uuid_valid(group_id))
        return VP_ERR_INVALID;
    res = ds_begin(s);
    if (!res)
        res = ds_query_int(s, &n, "SELECT count(*) FROM groups WHERE id = ?1", "s", group_id);
    if (!res && n == 0)
        res = VP_ERR_NOT_FOUND;
    if (!res)
        res = ds_exec(s, "UPDATE groups SET name = ?2, archived = ?3 WHERE id = ?1", "ssb",
                      group_id, name, archived ? 1 : 0);
    if (!res)
        res = queue_group(s, group_id, name, archived);
    return ds_finish(s, res);
}

static void read_group(sqlite3_stmt *st, void *item)
{
    struct dev_group *g = item;
    ds_col_text(st, 0, g->id, sizeof(g->id));
    ds_col_text(st, 1, g->name, sizeof(g->name));
    g->archived = sqlite3_column_int(st, 2) != 0;
}

vp_result devstore_groups(struct devstore *s, bool include_archived, struct dev_group **out,
                          size_t *n)
{
    sqlite3_stmt *st = ds_prepare(s,
                                  "SELECT id, name, archived FROM groups"
                                  " WHERE archived = 0 OR ?1 ORDER BY name COLLATE NOCASE, id",
                                  "b", include_archived ? 1 : 0);
    return ds_collect(s, st, sizeof(**out), read_group, (void **)out, n);
}

/* ---- children ---- */

/* "K-" and four characters from an alphabet without look-alikes. */
static vp_result new_pseudonym(struct devstore *s, char out[VP_PSEUDONYM_LEN])
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    for (int attempt = 0; attempt < 64; attempt++) {
        int64_t taken = 0;
        vp_result res;
        out[0] = 'K';
        out[1] = '-';
        for (int i = 0; i < 4; i++)
            out[2 + i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
        out[6] = '\0';
        res =
            ds_query_int(s, &taken, "SELECT count(*) FROM children WHERE pseudonym = ?1", "s", out);
        if (res)
            return res;
        if (!taken)
            return VP_OK;
    }
    return VP_ERR_CONSTRAINT;
}

static vp_result queue_child(struct devstore *s, const struct dev_child *c)
{
    struct vp_record rec;
    vp_result res;
    memset(&rec, 0, sizeof(rec));
    rec.type = VP_REC_CHILD;
    res = ds_new_id(s, rec.u.child.id);
    if (res)
        return res;
    vp_strlcpy(rec.u.child.child_id, c->id, VP_UUID_LEN);
    vp_strlcpy(rec.u.child.group_id, c->group_id, VP_UUID_LEN);
    vp_strlcpy(rec.u.child.first_name, c->first_name, sizeof(rec.u.child.first_name));
    vp_strlcpy(rec.u.child.birth_month, c->birth_month, sizeof(rec.u.child.birth_month));
    vp_strlcpy(rec.u.child.pseudonym, c->pseudonym, sizeof(rec.u.child.pseudonym));
    rec.u.child.archived = c->archived;
    rec.u.child.device_time_ms = vp_now_ms();
    return ds_outbox_add(s, &rec, c->id, c->id);
}

static vp_result group_usable(struct devstore *s, const char *group_id)
{
    int64_t n = 0;
    vp_result res = ds_query_int(
        s, &n, "SELECT count(*) FROM groups WHERE id = ?1 AND archived = 0", "s", group_id);
    return res ? res : n ? VP_OK : VP_ERR_CONSTRAINT;
}

vp_result devstore_child_add(struct devstore *s, const char *group_id, const char *first_name,
                             const char *birth_month, char id_out[VP_UUID_LEN])
{
    struct dev_child c;
    vp_result res;
    if (!name_ok(first_name) || !birth_month_ok(birth_month) || !vp_uuid_valid(group_id))
        return VP_ERR_INVALID;
    memset(&c, 0, sizeof(c));
    vp_strlcpy(c.group_id, group_id, sizeof(c.group_id));
    vp_strlcpy(c.first_name, first_name, sizeof(c.first_name));
    vp_strlcpy(c.birth_month, birth_month, sizeof(c.birth_month));
    res = ds_begin(s);
    if (!res)
        res = group_usable(s, group_id);
    if (!res)
        res = ds_new_id(s, c.id);
    if (!res)
        res = new_pseudonym(s, c.pseudonym);
    if (!res)
        res = ds_exec(s,
                      "INSERT INTO children(id, group_id, first_name, birth_month, pseudonym)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)",
                      "sssss", c.id, c.group_id, c.first_name, c.birth_month, c.pseudonym);
    if (!res)
        res = queue_child(s, &c);
    res = ds_finish(s, res);
    if (!res && id_out)
        memcpy(id_out, c.id, VP_UUID_LEN);
    return res;
}

vp_result devstore_child_update(struct devstore *s, const char *child_id, const char *group_id,
                                const char *first_name, const char *birth_month, bool archived)
{
    struct dev_child c;
    vp_result res;
    if (!name_ok(first_name) || !birth_month_ok(birth_month) || !vp_uuid_valid(group_id))
        return VP_ERR_INVALID;
    res = ds_begin(s);
    if (!res)
        res = devstore_child_get(s, child_id, &c);
    if (!res && strcmp(c.group_id, group_id) != 0)
        res = group_usable(s, group_id);
    if (!res) {
        vp_strlcpy(c.group_id, group_id, sizeof(c.group_id));
        vp_strlcpy(c.first_name, first_name, sizeof(c.first_name));
        vp_strlcpy(c.birth_month, birth_month, sizeof(c.birth_month));
        c.archived = archived;
        res = ds_exec(s,
                      "UPDATE children SET group_id = ?2, first_name = ?3, birth_month = ?4,"
                      " archived = ?5 WHERE id = ?1",
                      "ssssb", c.id, c.group_id, c.first_name, c.birth_month, archived ? 1 : 0);
    }
    if (!res)
        res = queue_child(s, &c);
    return ds_finish(s, res);
}

#define CHILD_COLUMNS                                                                              \
    "SELECT c.id, c.group_id, c.first_name, c.birth_month, c.pseudonym, c.archived,"               \
    " (SELECT count(*) FROM advice a WHERE a.child_id = c.id AND a.read_at = 0) FROM children c"

static void read_child(sqlite3_stmt *st, void *item)
{
    struct dev_child *c = item;
    ds_col_text(st, 0, c->id, sizeof(c->id));
    ds_col_text(st, 1, c->group_id, sizeof(c->group_id));
    ds_col_text(st, 2, c->first_name, sizeof(c->first_name));
    ds_col_text(st, 3, c->birth_month, sizeof(c->birth_month));
    ds_col_text(st, 4, c->pseudonym, sizeof(c->pseudonym));
    c->archived = sqlite3_column_int(st, 5) != 0;
    c->unread_advice = sqlite3_column_int(st, 6);
}

vp_result devstore_child_get(struct devstore *s, const char *child_id, struct dev_child *out)
{
    return ds_get_one(s, ds_prepare(s, CHILD_COLUMNS " WHERE c.id = ?1", "s", child_id),
                      sizeof(*out), read_child, out);
}

vp_result devstore_children(struct devstore *s, const char *group_id, bool include_archived,
                            struct dev_child **out, size_t *n)
{
    sqlite3_stmt *st = ds_prepare(s,
                                  CHILD_COLUMNS " WHERE (?1 IS NULL OR c.group_id = ?1)"
                                                " AND (c.archived = 0 OR ?2)"
                                                " ORDER BY c.first_name COLLATE NOCASE, c.id",
                                  "sb", group_id, include_archived ? 1 : 0);
    return ds_collect(s, st, sizeof(**out), read_child, (void **)out, n);
}

/* ---- staff ---- */

bool devstore_pin_format_ok(const char *pin)
{
    size_t len = pin ? strlen(pin) : 0;
    return len >= DEV_PIN_MIN && len <= DEV_PIN_MAX && strspn(pin, "0123456789") == len;
}

static vp_result hash_pin(const char *pin, char out[crypto_pwhash_STRBYTES])
{
    if (crypto_pwhash_str_alg(out, pin, strlen(pin), PIN_OPSLIMIT, PIN_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return VP_ERR_INTERNAL; /* only fails when memory is exhausted */
    return VP_OK;
}

static vp_result queue_staff(struct devstore *s, const char *staff_id)
{
    struct vp_record rec;
    sqlite3_stmt *st;
    bool row;
    vp_result res;
    memset(&rec, 0, sizeof(rec));
    rec.type = VP_REC_STAFF;
    st = ds_prepare(s, "SELECT display_name, role, pin_hash, archived FROM staff WHERE id = ?1",
                    "s", staff_id);
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res && !row)
        res = VP_ERR_NOT_FOUND;
    if (!res) {
        char role[16];
        ds_col_text(st, 0, rec.u.staff.display_name, sizeof(rec.u.staff.display_name));
        ds_col_text(st, 1, role, sizeof(role));
        ds_col_text(st, 2, rec.u.staff.pin_hash, sizeof(rec.u.staff.pin_hash));
        rec.u.staff.archived = sqlite3_column_int(st, 3) != 0;
        rec.u.staff.role = vp_role_parse(role) == VP_ROLE_MANAGER ? VP_ROLE_MANAGER : VP_ROLE_PM;
    }
    sqlite3_reset(st);
    if (!res)
        res = ds_new_id(s, rec.u.staff.id);
    if (res)
        return res;
    vp_strlcpy(rec.u.staff.staff_id, staff_id, VP_UUID_LEN);
    rec.u.staff.device_time_ms = vp_now_ms();
    return ds_outbox_add(s, &rec, NULL, staff_id);
}

vp_result devstore_staff_add(struct devstore *s, const char *display_name, enum vp_role role,
                             const char *pin, char id_out[VP_UUID_LEN])
{
    char hash[crypto_pwhash_STRBYTES], id[VP_UUID_LEN];
    vp_result res;
    if (!name_ok(display_name) || !devstore_pin_format_ok(pin) || role >= VP_ROLE_COUNT)
        return VP_ERR_INVALID;
    res = hash_pin(pin, hash); /* before the transaction: it takes a while */
    if (!res)
        res = ds_begin(s);
    if (res)
        return res;
    res = ds_new_id(s, id);
    if (!res)
        res = ds_exec(s,
                      "INSERT INTO staff(id, display_name, role, pin_hash) VALUES (?1, ?2, ?3, ?4)",
                      "ssss", id, display_name, vp_role_name(role), hash);
    if (!res)
        res = queue_staff(s, id);
    res = ds_finish(s, res);
    if (!res && id_out)
        memcpy(id_out, id, VP_UUID_LEN);
    return res;
}

static vp_result staff_exists(struct devstore *s, const char *staff_id)
{
    int64_t n = 0;
    vp_result res = ds_query_int(s, &n, "SELECT count(*) FROM staff WHERE id = ?1", "s", staff_id);
    return res ? res : n ? VP_OK : VP_ERR_NOT_FOUND;
}

vp_result devstore_staff_update(struct devstore *s, const char *staff_id, const char *display_name,
                                enum vp_role role, bool archived)
{
    vp_result res;
    if (!name_ok(display_name) || role >= VP_ROLE_COUNT)
        return VP_ERR_INVALID;
    res = ds_begin(s);
    if (!res)
        res = staff_exists(s, staff_id);
    if (!res)
        res =
            ds_exec(s, "UPDATE staff SET display_name = ?2, role = ?3, archived = ?4 WHERE id = ?1",
                    "sssb", staff_id, display_name, vp_role_name(role), archived ? 1 : 0);
    if (!res)
        res = queue_staff(s, staff_id);
    return ds_finish(s, res);
}

vp_result devstore_staff_set_pin(struct devstore *s, const char *staff_id, const char *pin)
{
    char hash[crypto_pwhash_STRBYTES];
    vp_result res;
    if (!devstore_pin_format_ok(pin))
        return VP_ERR_INVALID;
    res = hash_pin(pin, hash);
    if (!res)
        res = ds_begin(s);
    if (res)
        return res;
    res = staff_exists(s, staff_id);
    if (!res)
        res = ds_exec(s,
                      "UPDATE staff SET pin_hash = ?2, failed_attempts = 0, locked_until = 0"
                      " WHERE id = ?1",
                      "ss", staff_id, hash);
    if (!res)
        res = queue_staff(s, staff_id);
    return ds_finish(s, res);
}

#define STAFF_COLUMNS                                                                              \
    "SELECT id, display_name, role, archived, failed_attempts, locked_until FROM staff"

static void read_staff(sqlite3_stmt *st, void *item)
{
    struct dev_staff *m = item;
    char role[16];
    ds_col_text(st, 0, m->id, sizeof(m->id));
    ds_col_text(st, 1, m->display_name, sizeof(m->display_name));
    ds_col_text(st, 2, role, sizeof(role));
    m->role = vp_role_parse(role) == VP_ROLE_MANAGER ? VP_ROLE_MANAGER : VP_ROLE_PM;
    m->archived = sqlite3_column_int(st, 3) != 0;
    m->failed_attempts = sqlite3_column_int(st, 4);
    m->locked_until_ms = sqlite3_column_int64(st, 5);
}

vp_result devstore_staff_get(struct devstore *s, const char *staff_id, struct dev_staff *out)
{
    return ds_get_one(s, ds_prepare(s, STAFF_COLUMNS " WHERE id = ?1", "s", staff_id), sizeof(*out),
                      read_staff, out);
}

vp_result devstore_staff(struct devstore *s, bool include_archived, struct dev_staff **out,
                         size_t *n)
{
    sqlite3_stmt *st = ds_prepare(s,
                                  STAFF_COLUMNS " WHERE archived = 0 OR ?1"
                                                " ORDER BY display_name COLLATE NOCASE, id",
                                  "b", include_archived ? 1 : 0);
    return ds_collect(s, st, sizeof(**out), read_staff, (void **)out, n);
}

vp_result devstore_staff_unlock(struct devstore *s, const char *staff_id, const char *pin,
                                int64_t now_ms, int64_t *locked_until_ms)
{
    char hash[VP_PIN_HASH_MAX];
    int64_t locked_until = 0, failed = 0, archived = 0;
    sqlite3_stmt *st;
    bool row, match;
    vp_result res;
    if (locked_until_ms)
        *locked_until_ms = 0;
    st = ds_prepare(s,
                    "SELECT pin_hash, locked_until, failed_attempts, archived FROM staff"
                    " WHERE id = ?1",
                    "s", staff_id);
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res && !row)
        res = VP_ERR_NOT_FOUND;
    if (!res) {
        ds_col_text(st, 0, hash, sizeof(hash));
        locked_until = sqlite3_column_int64(st, 1);
        failed = sqlite3_column_int64(st, 2);
        archived = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (res)
        return res;
    if (archived)
        return VP_ERR_NOT_FOUND;
    if (locked_until > now_ms) {
        if (locked_until_ms)
            *locked_until_ms = locked_until;
        return VP_ERR_LOCKED_OUT;
    }
    match =
        pin && devstore_pin_format_ok(pin) && crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
    if (match)
        return ds_exec(s, "UPDATE staff SET failed_attempts = 0, locked_until = 0 WHERE id = ?1",
                       "s", staff_id);
    failed = locked_until ? 1 : failed + 1; /* a lockout that ran out starts a fresh count */
    locked_until = failed >= DEV_LOCKOUT_ATTEMPTS ? now_ms + DEV_LOCKOUT_MS : 0;
    res =
        ds_exec(s, "UPDATE staff SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1", "sii",
                staff_id, failed >= DEV_LOCKOUT_ATTEMPTS ? (int64_t)0 : failed, locked_until);
    if (res)
        return res;
    if (locked_until_ms)
        *locked_until_ms = locked_until;
    return VP_ERR_AUTH;
}
