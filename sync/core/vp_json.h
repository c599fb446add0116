/*
 * vp_json.h - strict JSON reading and canonical writing over jansson.
 *
 * Input from the network or from files is parsed with duplicate keys
 * rejected, and read field by field with typed getters that check presence,
 * type and range and say which field was wrong. The first problem found is
 * kept in a struct vp_json_err so the caller can answer with one sentence.
 *
 * Canonical form (sorted keys, compact, UTF-8) is what record content hashes
 * are computed over; both ends of the sync use vp_json_canonical().
 */
#ifndef VP_JSON_H
#define VP_JSON_H
#include "vp_error.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vp_json_err {
    char field[64];    /* which field, e.g. "records[3].level" or "": valid UTF-8 */
    char message[160]; /* what is wrong with it, plain English: valid UTF-8 */
};

/* Parses len bytes of text. Duplicate keys, trailing garbage, invalid UTF-8
 * and nesting deeper than jansson's limit are errors. On success *out is a
 * new reference the caller must json_decref(). */
vp_result vp_json_parse(const char *text, size_t len, json_t **out, struct vp_json_err *err);

/* Records the first error only; later calls are ignored. Returns false so
 * getters can `return vp_json_fail(...)`. */
bool vp_json_fail(struct vp_json_err *err, const char *field, const char *message);

/* Typed getters. Each returns true and sets *out if the field is present
 * with the right type and in range; if it is absent and !required it
 * returns true and leaves *out unchanged. JSON null counts as absent for
 * optional fields and as an error for required ones.
 * Strings must be valid text (no control characters) of at most max_chars
 * code points; *out points into obj and lives as long as obj. */
bool vp_json_get_str(json_t *obj, const char *key, bool required, size_t max_chars,
                     const char **out, struct vp_json_err *err);
bool vp_json_get_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max,
                     int64_t *out, struct vp_json_err *err);
bool vp_json_get_bool(json_t *obj, const char *key, bool required, bool *out,
                      struct vp_json_err *err);
/* A string that must be one of the NULL-terminated list of choices. */
bool vp_json_get_enum(json_t *obj, const char *key, bool required, const char *const choices[],
                      const char **out, struct vp_json_err *err);
/* A UUID string (any version). */
bool vp_json_get_uuid(json_t *obj, const char *key, bool required, const char **out,
                      struct vp_json_err *err);
/* An RFC 3339 time string, converted to ms. */
bool vp_json_get_time(json_t *obj, const char *key, bool required, int64_t *out,
                      struct vp_json_err *err);

/* Fails if obj has a key not in the NULL-terminated allowed list: records
 * with unexpected fields are refused so nothing unplanned (a birth date, a
 * surname) can ride along. The unknown key is reported in err->field, cut
 * at a character boundary if it is long (always valid UTF-8). */
bool vp_json_only_keys(json_t *obj, const char *const allowed[], struct vp_json_err *err);

/* Sorted keys, no spaces: the text two ends hash to compare content.
 * Returns a malloc'ed string the caller frees, or NULL if value is NULL or
 * holds a string that is not valid UTF-8 (never aborts on content). */
char *vp_json_canonical(const json_t *value);

/* Compact text of value (key order kept). Caller frees. NULL as for
 * vp_json_canonical(): a caller answering a request checks it. */
char *vp_json_dump(const json_t *value);

/* A JSON string of s that cannot fail on its content: bytes that are not
 * valid UTF-8 become '?', NULL becomes "". For error messages that may
 * carry a caller's text. New reference. */
json_t *vp_json_text(const char *s);

/* json_object_set_new for a string, or null if s is NULL. */
void vp_json_set_str(json_t *obj, const char *key, const char *s);

#endif
