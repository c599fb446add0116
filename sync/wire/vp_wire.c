#include "vp_wire.h"
#include "vp_alloc.h"
#include "vp_buf.h"
#include "vp_str.h"
#include "vp_time.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ---- */

static const char *const record_types[VP_REC_TYPE_COUNT + 1] = { "observation", "child",
                                                                 "group",       "staff",
                                                                 "advice_read", NULL };
static const char *const frequencies[VP_FREQ_COUNT + 1] = { "", "once", "often", "daily", NULL };
static const char *const situations[VP_SIT_COUNT + 1] = { "",        "play",  "meal",   "drop_off",
                                                          "outside", "sleep", "circle", NULL };
static const char *const consultations[VP_CONSULT_COUNT + 1] = { "none", "anonymous", "named",
                                                                 NULL };
static const char *const roles[VP_ROLE_COUNT + 1] = { "pm", "manager", NULL };
static const char *const case_statuses[VP_CASE_STATUS_COUNT + 1] = {
    "new",      "reviewing", "more_info",       "advised", "follow_up",
    "referred", "waiting",   "support_started", "closed",  NULL
};
static const char *const change_types[VP_CHG_TYPE_COUNT + 1] = {
    "group", "child", "staff", "advice", "case", "catalog", "settings", "erase", "device", NULL
};

static int index_of(const char *const list[], const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; list[i]; i++)
        if (!strcmp(list[i], s))
            return i;
    return -1;
}

const char *vp_record_type_name(enum vp_record_type t)
{
    return t < VP_REC_TYPE_COUNT ? record_types[t] : NULL;
}
const char *vp_frequency_name(enum vp_frequency f)
{
    return f > VP_FREQ_UNSET && f < VP_FREQ_COUNT ? frequencies[f] : NULL;
}
const char *vp_situation_name(enum vp_situation s)
{
    return s > VP_SIT_UNSET && s < VP_SIT_COUNT ? situations[s] : NULL;
}
const char *vp_consultation_name(enum vp_consultation c)
{
    return c < VP_CONSULT_COUNT ? consultations[c] : NULL;
}
const char *vp_role_name(enum vp_role r)
{
    return r < VP_ROLE_COUNT ? roles[r] : NULL;
}
const char *vp_case_status_name(enum vp_case_status s)
{
    return s < VP_CASE_STATUS_COUNT ? case_statuses[s] : NULL;
}
const char *vp_change_type_name(enum vp_change_type t)
{
    return t < VP_CHG_TYPE_COUNT ? change_types[t] : NULL;
}
int vp_frequency_parse(const char *s)
{
    int i = index_of(frequencies, s);
    return i > 0 ? i : -1;
}
int vp_situation_parse(const char *s)
{
    int i = index_of(situations, s);
    return i > 0 ? i : -1;
}
int vp_consultation_parse(const char *s)
{
    return index_of(consultations, s);
}
int vp_role_parse(const char *s)
{
    return index_of(roles, s);
}
int vp_case_status_parse(const char *s)
{
    return index_of(case_statuses, s);
}
int vp_change_type_parse(const char *s)
{
    return index_of(change_types, s);
}

const char *vp_record_id(const struct vp_record *rec)
{
    switch (rec->type) {
    case VP_REC_OBSERVATION: return rec->u.obs.id;
    case VP_REC_CHILD: return rec->u.child.id;
    case VP_REC_GROUP: return rec->u.group.id;
    case VP_REC_STAFF: return rec->u.staff.id;
    case VP_REC_ADVICE_READ: return rec->u.read.id;
    default: return "";
    }
}

/* ---- child tokens in notes ---- */

#define TOKEN_HEAD "{child:"

size_t vp_note_token_at(const char *s, char id[VP_UUID_LEN])
{
    const char *u = s + strlen(TOKEN_HEAD);
    if (strncmp(s, TOKEN_HEAD, strlen(TOKEN_HEAD)) != 0)
        return 0;
    for (int i = 0; i < 36; i++) {
        char c = u[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
    }
    if (u[36] != '}')
        return 0;
    if (id) {
        memcpy(id, u, 36);
        id[36] = '\0';
    }
    return VP_NOTE_TOKEN_BYTES;
}

/* Walks the note: counts characters (a token as one) and tokens; false at
 * a brace that is not part of a token. */
static bool note_walk(const char *note, size_t *chars, size_t *tokens)
{
    const char *p = note;
    *chars = *tokens = 0;
    while (*p) {
        size_t tok = vp_note_token_at(p, NULL);
        if (tok) {
            p += tok;
            (*tokens)++;
        } else if (*p == '{' || *p == '}') {
            return false;
        } else {
            p++;
            while ((*p & 0xC0) == 0x80)
                p++;
        }
        (*chars)++;
    }
    return true;
}

size_t vp_note_length(const char *note)
{
    size_t chars, tokens;
    note_walk(note, &chars, &tokens);
    return chars;
}

bool vp_note_valid(const char *note, const char **why)
{
    size_t chars, tokens;
    const char *reason = NULL;
    if (!vp_utf8_valid_text(note, strlen(note)))
        reason = "contains characters that are not allowed";
    else if (!note_walk(note, &chars, &tokens))
        reason = "may contain { and } only in a child token {child:UUID}";
    else if (tokens > VP_NOTE_MAX_TOKENS)
        reason = "names more than 16 children";
    else if (chars > VP_NOTE_MAX_CHARS)
        reason = "is too long";
    if (why)
        *why = reason;
    return reason == NULL;
}

void vp_note_render(const char *note, vp_note_name_fn name, void *ctx, struct vp_buf *out)
{
    const char *p = note, *run = note;
    char id[VP_UUID_LEN];
    while (*p) {
        size_t tok = vp_note_token_at(p, id);
        if (!tok) {
            p++;
            continue;
        }
        vp_buf_add(out, run, (size_t)(p - run));
        name(ctx, id, out);
        p += tok;
        run = p;
    }
    vp_buf_add(out, run, (size_t)(p - run));
}

/* ---- records to JSON ---- */

static void set_time(json_t *o, const char *key, int64_t ms)
{
    char t[VP_TIME_LEN];
    vp_time_format(ms, t);
    json_object_set_new(o, key, json_string(t));
}

static json_t *observation_json(const struct vp_observation *ob)
{
    json_t *o = json_object(), *sigs = json_array();
    json_object_set_new(o, "type", json_string("observation"));
    json_object_set_new(o, "id", json_string(ob->id));
    if (ob->signal_id[0])
        json_object_set_new(o, "signal_id", json_string(ob->signal_id));
    json_object_set_new(o, "child_id", json_string(ob->child_id));
    json_object_set_new(o, "staff_id", json_string(ob->staff_id));
    for (int i = 0; i < ob->nsignals; i++)
        json_array_append_new(sigs, json_string(ob->signals[i]));
    json_object_set_new(o, "signals", sigs);
    json_object_set_new(o, "level", json_integer(ob->level));
    if (ob->frequency != VP_FREQ_UNSET)
        json_object_set_new(o, "frequency", json_string(vp_frequency_name(ob->frequency)));
    if (ob->situation != VP_SIT_UNSET)
        json_object_set_new(o, "situation", json_string(vp_situation_name(ob->situation)));
    json_object_set_new(o, "note", json_string(ob->note));
    json_object_set_new(o, "parents_informed", json_boolean(ob->parents_informed));
    json_object_set_new(o, "consultation", json_string(vp_consultation_name(ob->consultation)));
    json_object_set_new(o, "consent_confirmed", json_boolean(ob->consent_confirmed));
    json_object_set_new(o, "retracted", json_boolean(ob->retracted));
    if (ob->corrects[0])
        json_object_set_new(o, "corrects", json_string(ob->corrects));
    set_time(o, "device_time", ob->device_time_ms);
    json_object_set_new(o, "catalog_version", json_integer(ob->catalog_version));
    return o;
}

static json_t *child_json(const struct vp_child_rev *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string("child"));
    json_object_set_new(o, "id", json_string(c->id));
    json_object_set_new(o, "child_id", json_string(c->child_id));
    json_object_set_new(o, "group_id", json_string(c->group_id));
    json_object_set_new(o, "first_name", json_string(c->first_name));
    json_object_set_new(o, "birth_month", json_string(c->birth_month));
    json_object_set_new(o, "pseudonym", json_string(c->pseudonym));
    json_object_set_new(o, "archived", json_boolean(c->archived));
    set_time(o, "device_time", c->device_time_ms);
    return o;
}

static json_t *group_json(const struct vp_group_rev *g)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string("group"));
    json_object_set_new(o, "id", json_string(g->id));
    json_object_set_new(o, "group_id", json_string(g->group_id));
    json_object_set_new(o, "name", json_string(g->name));
    json_object_set_new(o, "archived", json_boolean(g->archived));
    set_time(o, "device_time", g->device_time_ms);
    return o;
}

static json_t *staff_json(const struct vp_staff_rev *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string("staff"));
    json_object_set_new(o, "id", json_string(s->id));
    json_object_set_new(o, "staff_id", json_string(s->staff_id));
    json_object_set_new(o, "display_name", json_string(s->display_name));
    json_object_set_new(o, "role", json_string(vp_role_name(s->role)));
    json_object_set_new(o, "pin_hash", json_string(s->pin_hash));
    if (s->pin_change_required) /* only when set: older records keep their hash */
        json_object_set_new(o, "pin_change_required", json_true());
    json_object_set_new(o, "archived", json_boolean(s->archived));
    set_time(o, "device_time", s->device_time_ms);
    return o;
}

static json_t *read_json(const struct vp_advice_read *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string("advice_read"));
    json_object_set_new(o, "id", json_string(r->id));
    json_object_set_new(o, "advice_id", json_string(r->advice_id));
    json_object_set_new(o, "staff_id", json_string(r->staff_id));
    set_time(o, "read_at", r->read_at_ms);
    return o;
}

json_t *vp_record_to_json(const struct vp_record *rec)
{
    switch (rec->type) {
    case VP_REC_OBSERVATION: return observation_json(&rec->u.obs);
    case VP_REC_CHILD: return child_json(&rec->u.child);
    case VP_REC_GROUP: return group_json(&rec->u.group);
    case VP_REC_STAFF: return staff_json(&rec->u.staff);
    case VP_REC_ADVICE_READ: return read_json(&rec->u.read);
    default: return json_null();
    }
}

/* ---- records from JSON (strict) ---- */

static bool copy_uuid(json_t *js, const char *key, bool required, bool v7, char out[VP_UUID_LEN],
                      struct vp_json_err *err)
{
    const char *s = NULL;
    if (!vp_json_get_uuid(js, key, required, &s, err))
        return false;
    if (!s) {
        out[0] = '\0';
        return true;
    }
    if (v7 && !vp_uuid7_valid(s))
        return vp_json_fail(err, key, "must be a UUIDv7");
    vp_strlcpy(out, s, VP_UUID_LEN);
    /* ids compare as text: store them lower-case */
    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    return true;
}

static bool copy_text(json_t *js, const char *key, bool required, size_t max_chars, bool nonempty,
                      char *out, size_t size, struct vp_json_err *err)
{
    const char *s = NULL;
    if (!vp_json_get_str(js, key, required, max_chars, &s, err))
        return false;
    if (!s) {
        out[0] = '\0';
        return true;
    }
    if (nonempty && !*s)
        return vp_json_fail(err, key, "must not be empty");
    if (vp_strlcpy(out, s, size) >= size)
        return vp_json_fail(err, key, "is too long");
    return true;
}

static bool valid_birth_month(const char *s)
{
    int64_t y, m;
    char ys[5], ms[3];
    if (strlen(s) != 7 || s[4] != '-')
        return false;
    memcpy(ys, s, 4);
    ys[4] = '\0';
    memcpy(ms, s + 5, 2);
    ms[2] = '\0';
    return vp_parse_i64(ys, 2000, 2100, &y) && ms[0] >= '0' && ms[0] <= '1' &&
           vp_parse_i64(ms, 1, 12, &m);
}

static bool valid_pseudonym(const char *s)
{
    size_t n = strlen(s);
    return n >= 3 && n < VP_PSEUDONYM_LEN &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == n;
}

static bool parse_observation(json_t *js, const struct vp_catalog *cat, struct vp_observation *o,
                              struct vp_json_err *err)
{
    static const char *const keys[] = { "type",
                                        "id",
                                        "signal_id",
                                        "child_id",
                                        "staff_id",
                                        "signals",
                                        "level",
                                        "frequency",
                                        "situation",
                                        "note",
                                        "parents_informed",
                                        "consultation",
                                        "consent_confirmed",
                                        "retracted",
                                        "corrects",
                                        "device_time",
                                        "catalog_version",
                                        NULL };
    static const char *const freq_choices[] = { "once", "often", "daily", NULL };
    static const char *const sit_choices[] = { "play",  "meal",   "drop_off", "outside",
                                               "sleep", "circle", NULL };
    const char *freq = NULL, *sit = NULL, *consult = "none", *why = NULL;
    int64_t level = 0, catv = 1;
    json_t *sigs;
    memset(o, 0, sizeof(*o));
    if (!vp_json_only_keys(js, keys, err) || !copy_uuid(js, "id", true, true, o->id, err) ||
        !copy_uuid(js, "child_id", true, false, o->child_id, err) ||
        !copy_uuid(js, "staff_id", true, false, o->staff_id, err) ||
        !copy_uuid(js, "corrects", false, true, o->corrects, err) ||
        !copy_uuid(js, "signal_id", false, true, o->signal_id, err) ||
        !vp_json_get_int(js, "level", true, 1, 3, &level, err) ||
        !vp_json_get_enum(js, "frequency", false, freq_choices, &freq, err) ||
        !vp_json_get_enum(js, "situation", false, sit_choices, &sit, err) ||
        !copy_text(js, "note", false, VP_NOTE_BYTES, false, o->note, sizeof(o->note), err) ||
        !vp_json_get_bool(js, "parents_informed", false, &o->parents_informed, err) ||
        !vp_json_get_enum(js, "consultation", false, consultations, &consult, err) ||
        !vp_json_get_bool(js, "consent_confirmed", false, &o->consent_confirmed, err) ||
        !vp_json_get_bool(js, "retracted", false, &o->retracted, err) ||
        !vp_json_get_time(js, "device_time", true, &o->device_time_ms, err) ||
        !vp_json_get_int(js, "catalog_version", false, 1, INT32_MAX, &catv, err))
        return false;
    o->level = (int)level;
    o->frequency = freq ? (enum vp_frequency)vp_frequency_parse(freq) : VP_FREQ_UNSET;
    o->situation = sit ? (enum vp_situation)vp_situation_parse(sit) : VP_SIT_UNSET;
    o->consultation = (enum vp_consultation)vp_consultation_parse(consult);
    o->catalog_version = catv;
    if (o->consultation == VP_CONSULT_NAMED && !o->consent_confirmed)
        return vp_json_fail(err, "consultation",
                            "named consultation needs the parents' consent confirmed");
    if (o->retracted && !o->corrects[0])
        return vp_json_fail(err, "retracted", "a retraction must name the observation it undoes");
    if (o->corrects[0] && !strcmp(o->corrects, o->id))
        return vp_json_fail(err, "corrects", "an observation cannot correct itself");
    if (!o->corrects[0] && o->signal_id[0] && strcmp(o->signal_id, o->id) != 0)
        return vp_json_fail(err, "signal_id", "must equal id on a signal's first record");
    if (o->corrects[0] && !strcmp(o->signal_id, o->id))
        return vp_json_fail(err, "signal_id", "a correction belongs to an earlier record's signal");
    if (!vp_note_valid(o->note, &why))
        return vp_json_fail(err, "note", why);
    sigs = json_object_get(js, "signals");
    if (!json_is_array(sigs))
        return vp_json_fail(err, "signals", "must be a list of signal codes");
    if (json_array_size(sigs) > VP_MAX_SIGNALS || (!o->retracted && json_array_size(sigs) == 0))
        return vp_json_fail(err, "signals", "must name 1 to 8 signals");
    for (size_t i = 0; i < json_array_size(sigs); i++) {
        json_t *s = json_array_get(sigs, i);
        const char *code = json_string_value(s);
        if (!json_is_string(s) || json_string_length(s) >= VP_CODE_LEN)
            return vp_json_fail(err, "signals", "must be signal codes");
        if (cat && !vp_catalog_find(cat, code, NULL))
            return vp_json_fail(err, "signals", "names a signal code that is not in the catalog");
        for (int k = 0; k < o->nsignals; k++)
            if (!strcmp(o->signals[k], code))
                return vp_json_fail(err, "signals", "names the same signal twice");
        vp_strlcpy(o->signals[o->nsignals++], code, VP_CODE_LEN);
    }
    return true;
}

static bool parse_child(json_t *js, struct vp_child_rev *c, struct vp_json_err *err)
{
    static const char *const keys[] = { "type",        "id",          "child_id",  "group_id",
                                        "first_name",  "birth_month", "pseudonym", "archived",
                                        "device_time", NULL };
    memset(c, 0, sizeof(*c));
    if (!vp_json_only_keys(js, keys, err) || !copy_uuid(js, "id", true, true, c->id, err) ||
        !copy_uuid(js, "child_id", true, false, c->child_id, err) ||
        !copy_uuid(js, "group_id", true, false, c->group_id, err) ||
        !copy_text(js, "first_name", true, VP_NAME_MAX_CHARS, true, c->first_name,
                   sizeof(c->first_name), err) ||
        !copy_text(js, "birth_month", true, 7, true, c->birth_month, sizeof(c->birth_month), err) ||
        !copy_text(js, "pseudonym", true, VP_PSEUDONYM_LEN - 1, true, c->pseudonym,
                   sizeof(c->pseudonym), err) ||
        !vp_json_get_bool(js, "archived", false, &c->archived, err) ||
        !vp_json_get_time(js, "device_time", true, &c->device_time_ms, err))
        return false;
    if (!valid_birth_month(c->birth_month))
        return vp_json_fail(err, "birth_month", "must be a month written YYYY-MM");
    if (!valid_pseudonym(c->pseudonym))
        return vp_json_fail(err, "pseudonym", "must be capital letters, digits and dashes");
    return true;
}

static bool parse_group(json_t *js, struct vp_group_rev *g, struct vp_json_err *err)
{
    static const char *const keys[] = { "type",     "id",          "group_id", "name",
                                        "archived", "device_time", NULL };
    memset(g, 0, sizeof(*g));
    return vp_json_only_keys(js, keys, err) && copy_uuid(js, "id", true, true, g->id, err) &&
           copy_uuid(js, "group_id", true, false, g->group_id, err) &&
           copy_text(js, "name", true, VP_NAME_MAX_CHARS, true, g->name, sizeof(g->name), err) &&
           vp_json_get_bool(js, "archived", false, &g->archived, err) &&
           vp_json_get_time(js, "device_time", true, &g->device_time_ms, err);
}

static bool parse_staff(json_t *js, struct vp_staff_rev *s, struct vp_json_err *err)
{
    static const char *const keys[] = { "type",
                                        "id",
                                        "staff_id",
                                        "display_name",
                                        "role",
                                        "pin_hash",
                                        "pin_change_required",
                                        "archived",
                                        "device_time",
                                        NULL };
    const char *role = NULL;
    memset(s, 0, sizeof(*s));
    if (!vp_json_only_keys(js, keys, err) || !copy_uuid(js, "id", true, true, s->id, err) ||
        !copy_uuid(js, "staff_id", true, false, s->staff_id, err) ||
        !copy_text(js, "display_name", true, VP_NAME_MAX_CHARS, true, s->display_name,
                   sizeof(s->display_name), err) ||
        !vp_json_get_enum(js, "role", true, roles, &role, err) ||
        !copy_text(js, "pin_hash", true, VP_PIN_HASH_MAX - 1, true, s->pin_hash,
                   sizeof(s->pin_hash), err) ||
        !vp_json_get_bool(js, "pin_change_required", false, &s->pin_change_required, err) ||
        !vp_json_get_bool(js, "archived", false, &s->archived, err) ||
        !vp_json_get_time(js, "device_time", true, &s->device_time_ms, err))
        return false;
    s->role = (enum vp_role)vp_role_parse(role);
    if (!vp_str_starts_with(s->pin_hash, "$argon2id$"))
        return vp_json_fail(err, "pin_hash", "must be an argon2id hash, never a PIN");
    return true;
}

static bool parse_read(json_t *js, struct vp_advice_read *r, struct vp_json_err *err)
{
    static const char *const keys[] = { "type", "id", "advice_id", "staff_id", "read_at", NULL };
    memset(r, 0, sizeof(*r));
    return vp_json_only_keys(js, keys, err) && copy_uuid(js, "id", true, true, r->id, err) &&
           copy_uuid(js, "advice_id", true, false, r->advice_id, err) &&
           copy_uuid(js, "staff_id", true, false, r->staff_id, err) &&
           vp_json_get_time(js, "read_at", true, &r->read_at_ms, err);
}

bool vp_record_from_json(json_t *js, const struct vp_catalog *cat, struct vp_record *out,
                         struct vp_json_err *err)
{
    const char *type = NULL;
    int t;
    if (!json_is_object(js))
        return vp_json_fail(err, "", "a record must be an object");
    if (!vp_json_get_str(js, "type", true, 32, &type, err))
        return false;
    t = index_of(record_types, type);
    if (t < 0)
        return vp_json_fail(err, "type", "is not a known record type");
    out->type = (enum vp_record_type)t;
    switch (out->type) {
    case VP_REC_OBSERVATION: return parse_observation(js, cat, &out->u.obs, err);
    case VP_REC_CHILD: return parse_child(js, &out->u.child, err);
    case VP_REC_GROUP: return parse_group(js, &out->u.group, err);
    case VP_REC_STAFF: return parse_staff(js, &out->u.staff, err);
    case VP_REC_ADVICE_READ: return parse_read(js, &out->u.read, err);
    default: return vp_json_fail(err, "type", "is not a known record type");
    }
}

void vp_record_hash(const json_t *js, char out[VP_HASH_HEX_LEN])
{
    unsigned char h[32];
    char *text = vp_json_canonical(js); /* parsed JSON: always encodable */
    crypto_generichash(h, sizeof(h), (const unsigned char *)(text ? text : ""),
                       text ? strlen(text) : 0, NULL, 0);
    free(text);
    vp_hex_encode(h, sizeof(h), out);
}

/* ---- changes ---- */

json_t *vp_change_to_json(const struct vp_change *c)
{
    json_t *o = NULL;
    struct vp_record rec;
    switch (c->type) {
    case VP_CHG_GROUP:
        rec.type = VP_REC_GROUP;
        rec.u.group = c->u.group;
        o = vp_record_to_json(&rec);
        break;
    case VP_CHG_CHILD:
        rec.type = VP_REC_CHILD;
        rec.u.child = c->u.child;
        o = vp_record_to_json(&rec);
        break;
    case VP_CHG_STAFF:
        rec.type = VP_REC_STAFF;
        rec.u.staff = c->u.staff;
        o = vp_record_to_json(&rec);
        break;
    case VP_CHG_ADVICE:
        o = json_object();
        json_object_set_new(o, "type", json_string("advice"));
        json_object_set_new(o, "advice_id", json_string(c->u.advice.advice_id));
        json_object_set_new(o, "child_id", json_string(c->u.advice.child_id));
        json_object_set_new(o, "text", json_string(c->u.advice.text));
        json_object_set_new(o, "author", json_string(c->u.advice.author));
        set_time(o, "created_at", c->u.advice.created_ms);
        break;
    case VP_CHG_CASE:
        o = json_object();
        json_object_set_new(o, "type", json_string("case"));
        json_object_set_new(o, "child_id", json_string(c->u.kase.child_id));
        json_object_set_new(o, "status", json_string(vp_case_status_name(c->u.kase.status)));
        json_object_set_new(o, "next_action", json_string(c->u.kase.next_action));
        json_object_set_new(o, "next_action_due", json_string(c->u.kase.next_action_due));
        json_object_set_new(o, "consultation",
                            json_string(vp_consultation_name(c->u.kase.consultation)));
        break;
    case VP_CHG_CATALOG: {
        json_error_t jerr;
        o = json_object();
        json_object_set_new(o, "type", json_string("catalog"));
        json_object_set_new(o, "version", json_integer(c->u.catalog.version));
        json_object_set_new(o, "catalog",
                            c->u.catalog.json ? json_loads(c->u.catalog.json, 0, &jerr)
                                              : json_null());
        break;
    }
    case VP_CHG_SETTINGS:
        o = json_object();
        json_object_set_new(o, "type", json_string("settings"));
        json_object_set_new(o, "location_name", json_string(c->u.settings.location_name));
        json_object_set_new(o, "org_name", json_string(c->u.settings.org_name));
        json_object_set_new(o, "safety_contact", json_string(c->u.settings.safety_contact));
        json_object_set_new(o, "autolock_seconds", json_integer(c->u.settings.autolock_seconds));
        json_object_set_new(o, "retention_days", json_integer(c->u.settings.retention_days));
        break;
    case VP_CHG_ERASE:
        o = json_object();
        json_object_set_new(o, "type", json_string("erase"));
        json_object_set_new(o, "child_id", json_string(c->u.erase_child_id));
        break;
    case VP_CHG_DEVICE:
        o = json_object();
        json_object_set_new(o, "type", json_string("device"));
        json_object_set_new(o, "device_id", json_string(c->u.device.device_id));
        json_object_set_new(o, "name", json_string(c->u.device.name));
        break;
    default: return json_null();
    }
    json_object_set_new(o, "seq", json_integer(c->seq));
    return o;
}

static bool parse_device_name(json_t *js, struct vp_device_name *d, struct vp_json_err *err)
{
    static const char *const keys[] = { "type", "seq", "device_id", "name", NULL };
    return vp_json_only_keys(js, keys, err) &&
           copy_uuid(js, "device_id", true, false, d->device_id, err) &&
           copy_text(js, "name", true, VP_NAME_MAX_CHARS, true, d->name, sizeof(d->name), err);
}

/* Entity changes reuse the record validators; "seq" is not a record field. */
static bool parse_entity_change(json_t *js, struct vp_change *out, struct vp_json_err *err)
{
    json_t *copy = json_copy(js);
    struct vp_record rec;
    bool ok;
    json_object_del(copy, "seq");
    ok = vp_record_from_json(copy, NULL, &rec, err);
    json_decref(copy);
    if (!ok)
        return false;
    if (rec.type == VP_REC_GROUP && out->type == VP_CHG_GROUP)
        out->u.group = rec.u.group;
    else if (rec.type == VP_REC_CHILD && out->type == VP_CHG_CHILD)
        out->u.child = rec.u.child;
    else if (rec.type == VP_REC_STAFF && out->type == VP_CHG_STAFF)
        out->u.staff = rec.u.staff;
    else
        return vp_json_fail(err, "type", "does not match the change");
    return true;
}

static bool parse_advice(json_t *js, struct vp_advice *a, struct vp_json_err *err)
{
    static const char *const keys[] = { "type", "seq",    "advice_id",  "child_id",
                                        "text", "author", "created_at", NULL };
    return vp_json_only_keys(js, keys, err) &&
           copy_uuid(js, "advice_id", true, false, a->advice_id, err) &&
           copy_uuid(js, "child_id", true, false, a->child_id, err) &&
           copy_text(js, "text", true, 2000, true, a->text, sizeof(a->text), err) &&
           copy_text(js, "author", false, VP_NAME_MAX_CHARS, false, a->author, sizeof(a->author),
                     err) &&
           vp_json_get_time(js, "created_at", true, &a->created_ms, err);
}

static bool parse_case(json_t *js, struct vp_case *k, struct vp_json_err *err)
{
    static const char *const keys[] = { "type",         "seq",         "child_id",
                                        "status",       "next_action", "next_action_due",
                                        "consultation", NULL };
    const char *status = NULL, *consult = "none";
    if (!vp_json_only_keys(js, keys, err) ||
        !copy_uuid(js, "child_id", true, false, k->child_id, err) ||
        !vp_json_get_enum(js, "status", true, case_statuses, &status, err) ||
        !copy_text(js, "next_action", false, 200, false, k->next_action, sizeof(k->next_action),
                   err) ||
        !copy_text(js, "next_action_due", false, 10, false, k->next_action_due,
                   sizeof(k->next_action_due), err) ||
        !vp_json_get_enum(js, "consultation", false, consultations, &consult, err))
        return false;
    k->status = (enum vp_case_status)vp_case_status_parse(status);
    k->consultation = (enum vp_consultation)vp_consultation_parse(consult);
    return true;
}

static bool parse_settings(json_t *js, struct vp_settings *s, struct vp_json_err *err)
{
    static const char *const keys[] = { "type",           "seq",
                                        "location_name",  "org_name",
                                        "safety_contact", "autolock_seconds",
                                        "retention_days", NULL };
    s->autolock_seconds = 90;
    s->retention_days = 30;
    return vp_json_only_keys(js, keys, err) &&
           copy_text(js, "location_name", true, 80, true, s->location_name,
                     sizeof(s->location_name), err) &&
           copy_text(js, "org_name", false, 80, false, s->org_name, sizeof(s->org_name), err) &&
           copy_text(js, "safety_contact", false, 300, false, s->safety_contact,
                     sizeof(s->safety_contact), err) &&
           vp_json_get_int(js, "autolock_seconds", false, 15, 3600, &s->autolock_seconds, err) &&
           vp_json_get_int(js, "retention_days", false, 1, 3650, &s->retention_days, err);
}

bool vp_change_from_json(json_t *js, struct vp_change *out, struct vp_json_err *err)
{
    const char *type = NULL;
    int t;
    memset(out, 0, sizeof(*out));
    if (!json_is_object(js))
        return vp_json_fail(err, "", "a change must be an object");
    if (!vp_json_get_int(js, "seq", true, 1, INT64_MAX, &out->seq, err) ||
        !vp_json_get_str(js, "type", true, 32, &type, err))
        return false;
    t = vp_change_type_parse(type);
    if (t < 0)
        return vp_json_fail(err, "type", "is not a known change type");
    out->type = (enum vp_change_type)t;
    switch (out->type) {
    case VP_CHG_GROUP:
    case VP_CHG_CHILD:
    case VP_CHG_STAFF: return parse_entity_change(js, out, err);
    case VP_CHG_ADVICE: return parse_advice(js, &out->u.advice, err);
    case VP_CHG_CASE: return parse_case(js, &out->u.kase, err);
    case VP_CHG_SETTINGS: return parse_settings(js, &out->u.settings, err);
    case VP_CHG_ERASE: return copy_uuid(js, "child_id", true, false, out->u.erase_child_id, err);
    case VP_CHG_DEVICE: return parse_device_name(js, &out->u.device, err);
    case VP_CHG_CATALOG: {
        json_t *cat = json_object_get(js, "catalog");
        struct vp_catalog parsed;
        char *text;
        if (!vp_json_get_int(js, "version", true, 1, INT32_MAX, &out->u.catalog.version, err))
            return false;
        if (!json_is_object(cat))
            return vp_json_fail(err, "catalog", "must be a catalog object");
        text = vp_json_dump(cat);
        if (!text)
            return vp_json_fail(err, "catalog", "must be a catalog object");
        if (vp_catalog_parse(text, strlen(text), &parsed, err) != VP_OK) {
            free(text);
            return false;
        }
        vp_catalog_release(&parsed);
        out->u.catalog.json = text;
        return true;
    }
    default: return vp_json_fail(err, "type", "is not a known change type");
    }
}

void vp_change_release(struct vp_change *chg)
{
    if (chg->type == VP_CHG_CATALOG) {
        free(chg->u.catalog.json);
        chg->u.catalog.json = NULL;
    }
}
