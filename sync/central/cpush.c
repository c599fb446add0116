#include "cpush.h"
#include "vp_alloc.h"
#include "vp_buf.h"
#include "vp_json.h"
#include "vp_str.h"
#include "vp_wire.h"
#include <stdlib.h>
#include <string.h>

static void take_item(json_t *el, const char *id, const struct vp_catalog *cat,
                      struct cstore_item *it)
{
    struct vp_json_err err;
    memset(&err, 0, sizeof(err));
    vp_strlcpy(it->id, id, sizeof(it->id));
    it->valid = vp_record_from_json(el, cat, &it->rec, &err);
    if (it->valid) {
        vp_strlcpy(it->id, vp_record_id(&it->rec), sizeof(it->id));
        vp_record_hash(el, it->hash);
    } else {
        struct vp_buf why = VP_BUF_INIT;
        vp_buf_addf(&why, "%s%s%s", err.field, err.field[0] ? ": " : "", err.message);
        vp_strlcpy(it->reason, why.data, sizeof(it->reason));
        vp_buf_release(&why);
    }
}

static enum cpush_parse parse_records(json_t *js, const struct vp_catalog *cat,
                                      struct cstore_item **out, size_t *n)
{
    static const char *const keys[] = { "records", NULL };
    json_t *recs = json_object_get(js, "records");
    struct cstore_item *items;
    if (!json_is_object(js) || !vp_json_only_keys(js, keys, NULL) || !json_is_array(recs))
        return CPUSH_MALFORMED;
    *n = json_array_size(recs);
    if (*n > VP_PUSH_MAX_RECORDS)
        return CPUSH_TOO_LARGE;
    items = vp_xcalloc(*n ? *n : 1, sizeof(*items));
    for (size_t i = 0; i < *n; i++) {
        json_t *el = json_array_get(recs, i);
        const char *id = NULL;
        /* an id that is not a UUID cannot be answered for: the whole request is
         * malformed (the tablet splits it until the one bad record is found) */
        if (!json_is_object(el) || !vp_json_get_uuid(el, "id", true, &id, NULL)) {
            free(items);
            return CPUSH_MALFORMED;
        }
        take_item(el, id, cat, &items[i]);
    }
    *out = items;
    return CPUSH_OK;
}

enum cpush_parse cpush_parse(const char *body, size_t len, const struct vp_catalog *cat,
                             struct cstore_item **items, size_t *n)
{
    json_t *js = NULL;
    enum cpush_parse res;
    *items = NULL;
    *n = 0;
    if (len > VP_PUSH_MAX_BYTES)
        return CPUSH_TOO_LARGE;
    if (vp_json_parse(body, len, &js, NULL) != VP_OK)
        return CPUSH_MALFORMED;
    res = parse_records(js, cat, items, n);
    json_decref(js);
    return res;
}
