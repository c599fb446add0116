/*
 * vp_wire.h - the sync wire format, shared by the tablet and the central
 * service. docs/protocol.md describes the same thing for people.
 *
 * Up (device -> central, POST /api/v1/sync/push) travel *records*: each has a
 * "type" and a client-made UUIDv7 "id". Records are immutable: an edit of a
 * child, group or staff member is a new revision record naming the entity;
 * a correction of an observation is a new observation naming the old one.
 *
 * Down (central -> device, GET /api/v1/sync/pull) travel *changes*: each has
 * a "seq" (the server's receive sequence) and a "type".
 *
 * vp_record_from_json() is the one strict validator of records; the central
 * service calls it on every pushed record and the fuzzer drives it. The
 * structs hold copies (no pointers into the JSON), so they are plain values.
 */
#ifndef VP_WIRE_H
#define VP_WIRE_H
#include "vp_catalog.h"
#include "vp_json.h"
#include "vp_uuid.h"
#include <stdbool.h>
#include <stdint.h>

#define VP_MAX_SIGNALS      8   /* signal codes in one observation */
#define VP_NOTE_MAX_CHARS   280 /* a note is a few words, not a report */
#define VP_NOTE_MAX_TOKENS  16  /* child tokens ({child:UUID}) in one note */
#define VP_NOTE_TOKEN_BYTES 44  /* strlen("{child:") + 36 + strlen("}") */
/* A note's bytes: 280 characters of up to 4 bytes, or fewer with tokens. */
#define VP_NOTE_BYTES       (VP_NOTE_MAX_CHARS * 4 + VP_NOTE_MAX_TOKENS * VP_NOTE_TOKEN_BYTES + 1)
#define VP_NAME_MAX_CHARS   40 /* first names, group names, display names */
#define VP_TEXT_BYTES(n)    ((n)*4 + 1)
#define VP_PSEUDONYM_LEN    16
#define VP_PIN_HASH_MAX     160
#define VP_PUSH_MAX_RECORDS 500       /* the client sends 200; the server allows some slack */
#define VP_PUSH_MAX_BYTES   (1 << 20) /* 1 MiB of JSON after decompression */
#define VP_PULL_MAX_LIMIT   1000

enum vp_record_type {
    VP_REC_OBSERVATION,
    VP_REC_CHILD,
    VP_REC_GROUP,
    VP_REC_STAFF,
    VP_REC_ADVICE_READ,
    VP_REC_TYPE_COUNT
};

enum vp_frequency { VP_FREQ_UNSET, VP_FREQ_ONCE, VP_FREQ_OFTEN, VP_FREQ_DAILY, VP_FREQ_COUNT };
enum vp_situation {
    VP_SIT_UNSET,
    VP_SIT_PLAY,
    VP_SIT_MEAL,
    VP_SIT_DROP_OFF, /* brengen/halen */
    VP_SIT_OUTSIDE,
    VP_SIT_SLEEP,
    VP_SIT_CIRCLE, /* kring */
    VP_SIT_COUNT
};
enum vp_consultation { VP_CONSULT_NONE, VP_CONSULT_ANONYMOUS, VP_CONSULT_NAMED, VP_CONSULT_COUNT };
enum vp_role { VP_ROLE_PM, VP_ROLE_MANAGER, VP_ROLE_COUNT };

/* One version of a signal. A signal's first record starts it (signal_id ==
 * id); a correction (corrects = the version it replaces) or a retraction
 * (retracted, corrects = the version it undoes) is a later version with the
 * same signal_id. Records from older tablets may lack signal_id (""): the
 * centre derives it from the corrects chain. */
struct vp_observation {
    char id[VP_UUID_LEN];
    char signal_id[VP_UUID_LEN]; /* the signal's first record; "" = not given */
    char child_id[VP_UUID_LEN];
    char staff_id[VP_UUID_LEN];
    char corrects[VP_UUID_LEN]; /* "" unless this corrects an earlier observation */
    char signals[VP_MAX_SIGNALS][VP_CODE_LEN];
    int nsignals; /* 1..VP_MAX_SIGNALS; 0 only when retracted */
    int level;    /* 1 even volgen, 2 zorg, 3 grote zorg */
    enum vp_frequency frequency;
    enum vp_situation situation;
    char note[VP_NOTE_BYTES]; /* see "child tokens in notes" below */
    bool parents_informed;
    enum vp_consultation consultation;
    bool consent_confirmed; /* required true when consultation is named */
    bool retracted;         /* "ongedaan gemaakt" after it left the tablet */
    int64_t device_time_ms; /* the tablet's clock: shown, never trusted for order */
    int64_t catalog_version;
};

struct vp_child_rev {
    char id[VP_UUID_LEN]; /* this revision */
    char child_id[VP_UUID_LEN];
    char group_id[VP_UUID_LEN];
    char first_name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    char birth_month[8]; /* "YYYY-MM" */
    char pseudonym[VP_PSEUDONYM_LEN];
    bool archived;
    int64_t device_time_ms;
};

struct vp_group_rev {
    char id[VP_UUID_LEN];
    char group_id[VP_UUID_LEN];
    char name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    bool archived;
    int64_t device_time_ms;
};

struct vp_staff_rev {
    char id[VP_UUID_LEN];
    char staff_id[VP_UUID_LEN];
    char display_name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    enum vp_role role;
    char pin_hash[VP_PIN_HASH_MAX]; /* libsodium argon2id string; never the PIN */
    bool pin_change_required;       /* a one-time PIN: replace it at the first unlock */
    bool archived;
    int64_t device_time_ms;
};

struct vp_advice_read {
    char id[VP_UUID_LEN];
    char advice_id[VP_UUID_LEN];
    char staff_id[VP_UUID_LEN];
    int64_t read_at_ms; /* device clock */
};

struct vp_record {
    enum vp_record_type type;
    union {
        struct vp_observation obs;
        struct vp_child_rev child;
        struct vp_group_rev group;
        struct vp_staff_rev staff;
        struct vp_advice_read read;
    } u;
};

/* Names on the wire, and their inverse (NULL / -1 when unknown). */
const char *vp_record_type_name(enum vp_record_type t);
const char *vp_frequency_name(enum vp_frequency f); /* NULL for UNSET */
const char *vp_situation_name(enum vp_situation s); /* NULL for UNSET */
const char *vp_consultation_name(enum vp_consultation c);
const char *vp_role_name(enum vp_role r);
int vp_frequency_parse(const char *s);
int vp_situation_parse(const char *s);
int vp_consultation_parse(const char *s);
int vp_role_parse(const char *s);

/* The id of any record. */
const char *vp_record_id(const struct vp_record *rec);

/* Builds the JSON of a record (a new reference). The record must be valid. */
json_t *vp_record_to_json(const struct vp_record *rec);

/* Validates one pushed record strictly: known type, only known fields, right
 * types, ids are UUIDs (the record id a UUIDv7), levels 1-3, 1-8 distinct
 * signal codes of the catalog (if cat is not NULL), named consultation only
 * with confirmed consent, sane text. On failure returns false with err set
 * and *out undefined. */
bool vp_record_from_json(json_t *js, const struct vp_catalog *cat, struct vp_record *out,
                         struct vp_json_err *err);

/* ---- child tokens in notes ----
 *
 * A note names a child of the location only as the token {child:UUID}
 * (lower-case UUID): the tablet shows it as the child's first name, the
 * centre as the child's pseudonym code (or the first name where that
 * child's consent is recorded). Any other "{" or "}" is invalid. The
 * length that counts (at most VP_NOTE_MAX_CHARS) counts each token as one
 * character; a note holds at most VP_NOTE_MAX_TOKENS tokens. */

/* True if note is valid text that keeps the token rule and the limits; else
 * false with *why (optional) a short English reason. */
bool vp_note_valid(const char *note, const char **why);
/* The length that counts: code points, each token as one. */
size_t vp_note_length(const char *note);
/* If s starts with a well-formed token, copies its child id into id and
 * returns the token's length in bytes (VP_NOTE_TOKEN_BYTES); else 0. */
size_t vp_note_token_at(const char *s, char id[VP_UUID_LEN]);
/* Appends note to out with each token replaced by what name() appends for
 * its child id (a valid note; other text is copied as it is). */
struct vp_buf;
typedef void (*vp_note_name_fn)(void *ctx, const char *child_id, struct vp_buf *out);
void vp_note_render(const char *note, vp_note_name_fn name, void *ctx, struct vp_buf *out);

/* Hex BLAKE2b-256 of the record's canonical JSON: equal content, equal hash.
 * This is what "same id, same content" compares. */
#define VP_HASH_HEX_LEN 65
void vp_record_hash(const json_t *js, char out[VP_HASH_HEX_LEN]);

/* ---- changes (central -> device) ---- */

enum vp_change_type {
    VP_CHG_GROUP,
    VP_CHG_CHILD,
    VP_CHG_STAFF,
    VP_CHG_ADVICE,
    VP_CHG_CASE,
    VP_CHG_CATALOG,
    VP_CHG_SETTINGS,
    VP_CHG_ERASE,
    VP_CHG_DEVICE, /* protocol 2: a tablet's name as the console set it */
    VP_CHG_TYPE_COUNT
};

/* Case status codes at the coach (labels: i18n "case.status.CODE"). */
enum vp_case_status {
    VP_CASE_NEW,
    VP_CASE_REVIEWING,
    VP_CASE_MORE_INFO,
    VP_CASE_ADVISED,
    VP_CASE_FOLLOW_UP,
    VP_CASE_REFERRED,
    VP_CASE_WAITING,
    VP_CASE_SUPPORT_STARTED,
    VP_CASE_CLOSED,
    VP_CASE_STATUS_COUNT
};
const char *vp_case_status_name(enum vp_case_status s);
int vp_case_status_parse(const char *s);
const char *vp_change_type_name(enum vp_change_type t);
int vp_change_type_parse(const char *s);

struct vp_advice {
    char advice_id[VP_UUID_LEN];
    char child_id[VP_UUID_LEN];
    char text[VP_TEXT_BYTES(2000)];
    char author[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    int64_t created_ms; /* server time */
};

struct vp_case {
    char child_id[VP_UUID_LEN];
    enum vp_case_status status;
    char next_action[VP_TEXT_BYTES(200)];
    char next_action_due[11]; /* "YYYY-MM-DD" or "" */
    enum vp_consultation consultation;
};

struct vp_settings {
    char location_name[VP_TEXT_BYTES(80)];
    char org_name[VP_TEXT_BYTES(80)];
    char safety_contact[VP_TEXT_BYTES(300)]; /* aandachtsfunctionaris, shown with Veilig Thuis */
    int64_t autolock_seconds;
    int64_t retention_days;
};

/* A tablet's name, set by the coach in the console: the tablet whose id it
 * is takes it (the console's name wins over the one typed at enrolment). */
struct vp_device_name {
    char device_id[VP_UUID_LEN];
    char name[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
};

/* A change as the device sees it. Catalog changes carry their JSON text
 * (catalog_json, malloc'ed; free with vp_change_release()). */
struct vp_change {
    int64_t seq;
    enum vp_change_type type;
    union {
        struct vp_group_rev group;
        struct vp_child_rev child;
        struct vp_staff_rev staff;
        struct vp_advice advice;
        struct vp_case kase;
        struct vp_settings settings;
        char erase_child_id[VP_UUID_LEN];
        struct vp_device_name device;
        struct {
            int64_t version;
            char *json;
        } catalog;
    } u;
};

json_t *vp_change_to_json(const struct vp_change *chg);
bool vp_change_from_json(json_t *js, struct vp_change *out, struct vp_json_err *err);
void vp_change_release(struct vp_change *chg);

#endif
