#include "vp_json.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool vp_json_fail(struct vp_json_err *err, const char *field, const char *message)
{
    if (err && !err->message[0]) {
        vp_strlcpy(err->field, field ? field : "", sizeof(err->field));
        vp_strlcpy(err->message, message, sizeof(err->message));
        vp_utf8_scrub(err->field); /* whatever the caller passed, the error reads */
        vp_utf8_scrub(err->message);
    }
    return false;
}

vp_result vp_json_parse(const char *text, size_t len, json_t **out, struct vp_json_err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!root) {
        char msg[320];
        /* jansson's text may quote the input, cut by bytes: scrub it */
        vp_utf8_scrub(jerr.text);
        vp_snprintf(msg, sizeof(msg), "not valid JSON at line %d column %d: %s", jerr.line,
                    jerr.column, jerr.text);
        vp_json_fail(err, "", msg);
        return VP_ERR_INVALID;
    }
    *out = root;
    return VP_OK;
}

/* Looks a field up; false with an error if required and absent. */
static bool field(json_t *obj, const char *key, bool required, json_t **val,
                  struct vp_json_err *err)
{
    *val = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (*val && json_is_null(*val))
        *val = NULL;
    if (!*val && required)
        return vp_json_fail(err, key, "is required");
    return true;
}

bool vp_json_get_str(json_t *obj, const char *key, bool required, size_t max_chars,
                     const char **out, struct vp_json_err *err)
{
    json_t *v;
    const char *s;
    size_t len;
    if (!field(obj, key, required, &v, err))
        return false;
    if (!v)
        return true;
    if (!json_is_string(v))
        return vp_json_fail(err, key, "must be a string");
    s = json_string_value(v);
    len = json_string_length(v);
    if (strlen(s) != len || !vp_utf8_valid_text(s, len))
        return vp_json_fail(err, key, "contains characters that are not allowed");
    if (vp_utf8_length(s) > max_chars)
        return vp_json_fail(err, key, "is too long");
    *out = s;
    return true;
}

bool vp_json_get_int(json_t *obj, const char *key, bool required, int64_t min, int64_t max,
                     int64_t *out, struct vp_json_err *err)
{
    json_t *v;
    json_int_t i;
    if (!field(obj, key, required, &v, err))
        return false;
    if (!v)
        return true;
    if (!json_is_integer(v))
        return vp_json_fail(err, key, "must be a whole number");
    i = json_integer_value(v);
    if (i < min || i > max)
        return vp_json_fail(err, key, "is out of range");
    *out = (int64_t)i;
    return true;
}

bool vp_json_get_bool(json_t *obj, const char *key, bool required, bool *out,
                      struct vp_json_err *err)
{
    json_t *v;
    if (!field(obj, key, required, &v, err))
        return false;
    if (!v)
        return true;
    if (!json_is_boolean(v))
        return vp_json_fail(err, key, "must be true or false");
    *out = json_is_true(v);
    return true;
}

bool vp_json_get_enum(json_t *obj, const char *key, bool required, const char *const choices[],
                      const char **out, struct vp_json_err *err)
{
    const char *s = NULL;
    if (!vp_json_get_str(obj, key, required, 64, &s, err))
        return false;
    if (!s)
        return true;
    for (size_t i = 0; choices[i]; i++) {
        if (!strcmp(s, choices[i])) {
            *out = choices[i];
            return true;
        }
    }
    return vp_json_fail(err, key, "has a value that is not allowed");
}

bool vp_json_get_uuid(json_t *obj, const char *key, bool required, const char **out,
                      struct vp_json_err *err)
{
    const char *s = NULL;
    if (!vp_json_get_str(obj, key, required, 36, &s, err))
        return false;
    if (!s)
        return true;
    if (!vp_uuid_valid(s))
        return vp_json_fail(err, key, "must be a UUID");
    *out = s;
    return true;
}

bool vp_json_get_time(json_t *obj, const char *key, bool required, int64_t *out,
                      struct vp_json_err *err)
{
    const char *s = NULL;
    if (!vp_json_get_str(obj, key, required, 40, &s, err))
        return false;
    if (!s)
        return true;
    if (vp_time_parse(s, out) != VP_OK)
        return vp_json_fail(err, key, "must be an RFC 3339 time");
    return true;
}

bool vp_json_only_keys(json_t *obj, const char *const allowed[], struct vp_json_err *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(obj))
        return vp_json_fail(err, "", "must be an object");
    json_object_foreach(obj, key, v)
    {
        size_t i;
        for (i = 0; allowed[i]; i++)
            if (!strcmp(key, allowed[i]))
                break;
        if (!allowed[i]) /* the key is valid UTF-8 (jansson checks); cut whole characters */
            return vp_json_fail(err, key, "is not a known field");
    }
    return true;
}

/* jansson allocates through vp_xmalloc (vp_core_init), so running out of
 * memory has already aborted: NULL here means value was NULL or held text
 * that is not UTF-8 (a json_stringn_nocheck). A request must not be able to
 * stop the process, so that is the caller's error to handle. */
char *vp_json_canonical(const json_t *value)
{
    return value ? json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
}

char *vp_json_dump(const json_t *value)
{
    return value ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

json_t *vp_json_text(const char *s)
{
    char *copy;
    json_t *js;
    if (!s)
        return json_string("");
    copy = vp_xstrdup(s);
    vp_utf8_scrub(copy);
    js = json_string(copy);
    free(copy);
    return js;
}

void vp_json_set_str(json_t *obj, const char *key, const char *s)
{
    json_object_set_new(obj, key, s ? json_string(s) : json_null());
}
