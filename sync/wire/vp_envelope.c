/*
 * vp_envelope.c - push answers, pull requests and pull pages (vp_envelope.h).
 */
#include "vp_envelope.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include "vp_time.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const push_status_names[VP_PUSH_STATUS_COUNT] = { "stored", "duplicate",
                                                                     "conflict", "rejected" };

const char *vp_push_status_name(enum vp_push_status s)
{
    return (unsigned)s < VP_PUSH_STATUS_COUNT ? push_status_names[s] : "unknown";
}

enum vp_push_status vp_push_status_parse(const char *s)
{
    for (int i = 0; i < VP_PUSH_STATUS_COUNT; i++)
        if (s && !strcmp(s, push_status_names[i]))
            return (enum vp_push_status)i;
    return VP_PUSH_STATUS_COUNT;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is not one. */
static size_t utf8_seq(const unsigned char *s)
{
    size_t n;
    uint32_t cp;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void vp_push_result_set_reason(struct vp_push_result *r, const char *reason)
{
    const unsigned char *s = (const unsigned char *)(reason ? reason : "");
    size_t out = 0, chars = 0;
    while (*s && chars < VP_REASON_MAX_CHARS) {
        size_t n = utf8_seq(s);
        if (n == 0 || (n == 1 && *s < 0x20)) { /* broken or a control character */
            r->reason[out++] = '?';
            s++;
        } else {
            memcpy(r->reason + out, s, n);
            out += n;
            s += n;
        }
        chars++;
    }
    r->reason[out] = '\0';
}

static void add_time(json_t *o, const char *key, int64_t ms)
{
    char t[VP_TIME_LEN];
    vp_time_format(ms, t);
    json_object_set_new(o, key, json_string(t));
}

json_t *vp_push_answer_to_json(const struct vp_push_answer *a)
{
    json_t *o = json_object(), *results = json_array();
    for (size_t i = 0; i < a->n; i++) {
        const struct vp_push_result *r = &a->results[i];
        json_t *el = json_object();
        json_object_set_new(el, "id", json_string(r->id));
        json_object_set_new(el, "status", json_string(vp_push_status_name(r->status)));
        if (r->status == VP_PUSH_CONFLICT || r->status == VP_PUSH_REJECTED)
            json_object_set_new(el, "reason", json_string(r->reason));
        json_array_append_new(results, el);
    }
    json_object_set_new(o, "results", results);
    add_time(o, "server_time", a->server_time_ms);
    json_object_set_new(o, "server_epoch", json_string(a->server_epoch));
    return o;
}

void vp_push_answer_release(struct vp_push_answer *a)
{
    free(a->results);
    memset(a, 0, sizeof(*a));
}

static bool read_result(json_t *el, struct vp_push_result *r, struct vp_json_err *err)
{
    const char *id = NULL, *status = NULL, *reason = NULL;
    if (!json_is_object(el))
        return vp_json_fail(err, "results", "must hold objects");
    if (!vp_json_get_uuid(el, "id", true, &id, err) ||
        !vp_json_get_str(el, "status", true, 16, &status, err) ||
        !vp_json_get_str(el, "reason", false, VP_REASON_MAX_CHARS, &reason, err))
        return false;
    vp_strlcpy(r->id, id, sizeof(r->id));
    r->status = vp_push_status_parse(status);
    vp_push_result_set_reason(r, reason);
    return true;
}

/* The server epoch: opaque printable ASCII (a UUID from our centre). */
static bool get_epoch(json_t *js, char out[VP_UUID_LEN], struct vp_json_err *err)
{
    const char *epoch = NULL;
    if (!vp_json_get_str(js, "server_epoch", true, VP_UUID_LEN - 1, &epoch, err))
        return false;
    if (!*epoch || !vp_cursor_valid(epoch))
        return vp_json_fail(err, "server_epoch", "is not an epoch");
    vp_strlcpy(out, epoch, VP_UUID_LEN);
    return true;
}

bool vp_push_answer_from_json(json_t *js, struct vp_push_answer *out, struct vp_json_err *err)
{
    json_t *results = json_object_get(js, "results");
    size_t n;
    memset(out, 0, sizeof(*out));
    if (!json_is_object(js) || !json_is_array(results))
        return vp_json_fail(err, "results", "is required");
    if (!get_epoch(js, out->server_epoch, err) ||
        !vp_json_get_time(js, "server_time", false, &out->server_time_ms, err))
        return false;
    n = json_array_size(results);
    if (n > VP_PUSH_MAX_RECORDS)
        return vp_json_fail(err, "results", "has more results than a push may have records");
    out->results = vp_xcalloc(n ? n : 1, sizeof(*out->results));
    out->n = n;
    for (size_t i = 0; i < n; i++) {
        if (!read_result(json_array_get(results, i), &out->results[i], err)) {
            vp_push_answer_release(out);
            return false;
        }
    }
    return true;
}

/* ---- pull request ---- */

bool vp_cursor_valid(const char *s)
{
    size_t n = 0;
    if (!s)
        return false;
    for (; s[n]; n++)
        if ((unsigned char)s[n] < 0x21 || (unsigned char)s[n] > 0x7e || n + 1 >= VP_CURSOR_MAX)
            return false;
    return true;
}

static json_t *heartbeat_json(const struct vp_heartbeat *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "app_version", json_string(h->app_version));
    json_object_set_new(o, "catalog_version", json_integer(h->catalog_version));
    json_object_set_new(o, "pending_signals", json_integer(h->pending_signals));
    if (h->oldest_pending_ms)
        add_time(o, "oldest_pending", h->oldest_pending_ms);
    json_object_set_new(o, "quarantined", json_integer(h->quarantined));
    if (h->last_attempt_ms)
        add_time(o, "last_attempt", h->last_attempt_ms);
    if (h->last_success_ms)
        add_time(o, "last_success", h->last_success_ms);
    json_object_set_new(o, "disk_free_mb", json_integer(h->disk_free_mb));
    add_time(o, "device_time", h->device_time_ms);
    return o;
}

json_t *vp_pull_request_to_json(const struct vp_pull_request *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "since", json_string(r->since));
    json_object_set_new(o, "limit", json_integer(r->limit));
    if (r->has_heartbeat)
        json_object_set_new(o, "heartbeat", heartbeat_json(&r->heartbeat));
    return o;
}

static bool read_heartbeat(json_t *js, struct vp_heartbeat *h, struct vp_json_err *err)
{
    static const char *const keys[] = {
        "app_version",  "catalog_version", "pending_signals", "oldest_pending", "quarantined",
        "last_attempt", "last_success",    "disk_free_mb",    "device_time",    NULL
    };
    const char *version = NULL;
    memset(h, 0, sizeof(*h));
    h->disk_free_mb = -1;
    if (!json_is_object(js))
        return vp_json_fail(err, "heartbeat", "must be an object");
    if (!vp_json_only_keys(js, keys, err) ||
        !vp_json_get_str(js, "app_version", true, VP_APP_VERSION_MAX - 1, &version, err) ||
        !vp_json_get_int(js, "catalog_version", true, 0, INT32_MAX, &h->catalog_version, err) ||
        !vp_json_get_int(js, "pending_signals", true, 0, INT32_MAX, &h->pending_signals, err) ||
        !vp_json_get_time(js, "oldest_pending", false, &h->oldest_pending_ms, err) ||
        !vp_json_get_int(js, "quarantined", true, 0, INT32_MAX, &h->quarantined, err) ||
        !vp_json_get_time(js, "last_attempt", false, &h->last_attempt_ms, err) ||
        !vp_json_get_time(js, "last_success", false, &h->last_success_ms, err) ||
        !vp_json_get_int(js, "disk_free_mb", false, -1, INT32_MAX, &h->disk_free_mb, err) ||
        !vp_json_get_time(js, "device_time", true, &h->device_time_ms, err))
        return false;
    /* the version is shown in the console: plain ASCII only */
    for (const char *p = version; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            return vp_json_fail(err, "app_version", "contains characters that are not allowed");
    vp_strlcpy(h->app_version, version, sizeof(h->app_version));
    return true;
}

bool vp_pull_request_from_json(json_t *js, struct vp_pull_request *out, struct vp_json_err *err)
{
    static const char *const keys[] = { "since", "limit", "heartbeat", NULL };
    const char *since = NULL;
    json_t *hb;
    memset(out, 0, sizeof(*out));
    out->limit = 500;
    if (!json_is_object(js))
        return vp_json_fail(err, "", "must be an object");
    if (!vp_json_only_keys(js, keys, err) ||
        !vp_json_get_str(js, "since", false, VP_CURSOR_MAX - 1, &since, err) ||
        !vp_json_get_int(js, "limit", false, 1, VP_PULL_MAX_LIMIT, &out->limit, err))
        return false;
    if (since && !vp_cursor_valid(since))
        return vp_json_fail(err, "since", "is not a cursor this server gave");
    vp_strlcpy(out->since, since ? since : "", sizeof(out->since));
    hb = json_object_get(js, "heartbeat");
    if (hb && !json_is_null(hb)) {
        if (!read_heartbeat(hb, &out->heartbeat, err))
            return false;
        out->has_heartbeat = true;
    }
    return true;
}

/* ---- pull page ---- */

static bool decimal(const char *s)
{
    if (!*s || strlen(s) > 18)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

void vp_pull_page_write(struct vp_buf *out, const char *changes_json, size_t len,
                        const struct vp_pull_meta *m)
{
    char t[VP_TIME_LEN];
    vp_time_format(m->server_time_ms, t);
    /* cursor and epoch are printable ASCII without quotes or backslashes
     * (vp_cursor_valid allows neither '"' nor '\\' to matter: escape anyway) */
    vp_buf_adds(out, "{\"changes\":");
    vp_buf_add(out, changes_json, len);
    vp_buf_adds(out, ",\"cursor\":\"");
    for (const char *p = m->cursor; *p; p++) {
        if (*p == '"' || *p == '\\')
            vp_buf_addch(out, '\\');
        vp_buf_addch(out, *p);
    }
    vp_buf_addch(out, '"');
    if (decimal(m->cursor))
        vp_buf_addf(out, ",\"next\":%s", m->cursor);
    vp_buf_addf(out, ",\"more\":%s,\"server_epoch\":\"%s\",\"server_time\":\"%s\"}",
                m->more ? "true" : "false", m->server_epoch, t);
}

bool vp_pull_page_from_json(json_t *js, struct vp_pull_meta *out, json_t **changes,
                            struct vp_json_err *err)
{
    const char *cursor = NULL;
    int64_t next = -1;
    memset(out, 0, sizeof(*out));
    *changes = json_object_get(js, "changes");
    if (!json_is_object(js) || !json_is_array(*changes))
        return vp_json_fail(err, "changes", "is required");
    if (!vp_json_get_str(js, "cursor", false, VP_CURSOR_MAX - 1, &cursor, err) ||
        !vp_json_get_int(js, "next", !cursor, 0, INT64_MAX, &next, err) ||
        !vp_json_get_bool(js, "more", true, &out->more, err) ||
        !get_epoch(js, out->server_epoch, err) ||
        !vp_json_get_time(js, "server_time", false, &out->server_time_ms, err))
        return false;
    if (cursor && !vp_cursor_valid(cursor))
        return vp_json_fail(err, "cursor", "is not a cursor");
    if (cursor)
        vp_strlcpy(out->cursor, cursor, sizeof(out->cursor));
    else
        snprintf(out->cursor, sizeof(out->cursor), "%lld", (long long)next);
    return true;
}
