/*
 * fuzz_central_push.c - libFuzzer target for the sync wire's parsing at both
 * ends: push bodies (plain and gzip), pull requests and enrolment codes as
 * the server reads them (cpush.h, vp_envelope.h, chttp_gunzip(),
 * cstore_code_normalise()), push answers and pull pages as the tablet reads
 * them (vp_envelope.h), and the bounded text copies every handler uses
 * (vp_strlcpy, vp_snprintf, vp_utf8_scrub).
 *
 * The first byte picks the mode ('0' push, '1' gzip push, '2' pull request,
 * '3' enrolment code and text bounds, '4' push answer, '5' pull page); the
 * rest is the input. Seeds are in tests/fuzz/corpus/push, the dictionary
 * (JSON, keys, multibyte and invalid UTF-8) in push.dict. Envelopes must
 * survive a round trip: what was read, written again and read back, is the
 * same.
 */
#include "chttp.h"
#include "cpush.h"
#include "vp_alloc.h"
#include "vp_core.h"
#include "vp_envelope.h"
#include "vp_json.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_items(const struct cstore_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* every record is either valid with a hash or rejected with a reason */
        if (items[i].valid ? strlen(items[i].hash) != 64 : items[i].reason[0] == '\0')
            abort();
    }
}

static void push(const char *body, size_t len, const struct vp_catalog *cat)
{
    struct cstore_item *items = NULL;
    size_t n = 0;
    if (cpush_parse(body, len, cat, &items, &n) == CPUSH_OK)
        check_items(items, n);
    free(items);
}

static json_t *parse(const char *text, size_t len)
{
    json_t *js = NULL;
    return vp_json_parse(text, len, &js, NULL) == VP_OK ? js : NULL;
}

static void pull_request(const char *text, size_t len)
{
    json_t *js = parse(text, len), *again;
    struct vp_pull_request a, b;
    if (js && vp_pull_request_from_json(js, &a, NULL)) {
        if (!vp_cursor_valid(a.since) || a.limit < 1 || a.limit > VP_PULL_MAX_LIMIT)
            abort();
        again = vp_pull_request_to_json(&a);
        if (!vp_pull_request_from_json(again, &b, NULL) || memcmp(&a, &b, sizeof(a)) != 0)
            abort();
        json_decref(again);
    }
    json_decref(js);
}

static void push_answer(const char *text, size_t len)
{
    json_t *js = parse(text, len), *again;
    struct vp_push_answer a, b;
    if (js && vp_push_answer_from_json(js, &a, NULL)) {
        again = vp_push_answer_to_json(&a);
        /* every result written is read back, in order, unchanged */
        if (!vp_push_answer_from_json(again, &b, NULL) || b.n != a.n)
            abort();
        for (size_t i = 0; i < a.n; i++)
            if (strcmp(a.results[i].id, b.results[i].id) != 0 ||
                a.results[i].status != b.results[i].status)
                abort();
        vp_push_answer_release(&b);
        vp_push_answer_release(&a);
        json_decref(again);
    }
    json_decref(js);
}

static void pull_page(const char *text, size_t len)
{
    json_t *js = parse(text, len), *changes, *again, *changes2;
    struct vp_pull_meta a, b;
    if (js && vp_pull_page_from_json(js, &a, &changes, NULL)) {
        struct vp_buf out = VP_BUF_INIT;
        char *arr = vp_json_dump(changes);
        vp_pull_page_write(&out, arr, strlen(arr), &a);
        again = parse(out.data, out.len);
        if (!again || !vp_pull_page_from_json(again, &b, &changes2, NULL) ||
            strcmp(a.cursor, b.cursor) != 0 || a.more != b.more ||
            strcmp(a.server_epoch, b.server_epoch) != 0 ||
            json_array_size(changes) != json_array_size(changes2))
            abort();
        json_decref(again);
        vp_buf_release(&out);
        free(arr);
    }
    json_decref(js);
}

/* Bounded copies of valid text stay valid text; scrubbed text is valid. */
static void text_bounds(char *s)
{
    bool valid = vp_utf8_valid_text(s, strlen(s));
    char small[7], fmt[7];
    json_t *js;
    for (size_t size = 1; size <= sizeof(small); size++) {
        vp_strlcpy(small, s, size);
        vp_snprintf(fmt, size, "%s", s);
        if (valid && (!vp_utf8_valid_text(small, strlen(small)) ||
                      !vp_utf8_valid_text(fmt, strlen(fmt)) || strcmp(small, fmt) != 0))
            abort();
    }
    vp_utf8_scrub(s);
    if ((js = json_string(s)) == NULL) /* jansson refuses text that is not UTF-8 */
        abort();
    json_decref(js);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vp_catalog cat;
    static int ready;
    const char *text = (const char *)data + 1;
    size_t len = size ? size - 1 : 0;
    if (!ready) {
        vp_core_init();
        if (vp_catalog_load_default(&cat) != VP_OK)
            abort();
        ready = 1;
    }
    if (!size)
        return 0;
    switch (data[0] % 6) {
    case 0: push(text, len, &cat); break;
    case 1: {
        struct vp_buf plain = VP_BUF_INIT;
        if (chttp_gunzip(text, len, &plain) == VP_OK)
            push(plain.data, plain.len, &cat);
        vp_buf_release(&plain);
        break;
    }
    case 2: pull_request(text, len); break;
    case 4: push_answer(text, len); break;
    case 5: pull_page(text, len); break;
    default: {
        char *copy = vp_xstrndup(text, len), out[CSTORE_CODE_CHARS + 1];
        if (cstore_code_normalise(copy, out) && strlen(out) != CSTORE_CODE_CHARS)
            abort();
        text_bounds(copy);
        free(copy);
        break;
    }
    }
    return 0;
}
