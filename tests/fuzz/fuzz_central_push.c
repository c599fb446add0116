/*
 * fuzz_central_push.c - libFuzzer target for the central service's request
 * parsing and validation: push bodies (plain and gzip), pull parameters and
 * enrolment codes, through the same functions the server runs (cpush.h,
 * chttp_gunzip(), cstore_code_normalise()), and the bounded text copies
 * every handler uses (vp_strlcpy, vp_snprintf, vp_utf8_scrub).
 *
 * The first byte picks the mode ('0' push, '1' gzip push, '2' pull query
 * "since\nlimit", '3' enrolment code and text bounds); the rest is the
 * input. Seeds are in tests/fuzz/corpus/push, the dictionary (JSON, keys,
 * multibyte and invalid UTF-8) in push.dict.
 */
#include "chttp.h"
#include "cpush.h"
#include "vp_alloc.h"
#include "vp_core.h"
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

static void pull(const char *text, size_t len)
{
    char *copy = vp_xstrndup(text, len), *nl = strchr(copy, '\n');
    int64_t since, limit;
    if (nl)
        *nl = '\0';
    if (cpull_parse(copy, nl ? nl + 1 : NULL, &since, &limit) &&
        (since < 0 || limit < 1 || limit > VP_PULL_MAX_LIMIT))
        abort();
    free(copy);
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
    switch (data[0] % 4) {
    case 0: push(text, len, &cat); break;
    case 1: {
        struct vp_buf plain = VP_BUF_INIT;
        if (chttp_gunzip(text, len, &plain) == VP_OK)
            push(plain.data, plain.len, &cat);
        vp_buf_release(&plain);
        break;
    }
    case 2: pull(text, len); break;
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
