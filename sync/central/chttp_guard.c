/*
 * chttp_guard.c - checks on the request itself, before any route sees it:
 * the raw request target (percent-encoding, NUL, UTF-8) and the body's
 * framing headers (RFC 9112 section 6.3).
 */
#include "chttp.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool chttp_target_valid(const char *target)
{
    size_t n = strlen(target), len = 0;
    char *plain = vp_xmalloc(n + 1);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        int hi, lo;
        if (target[i] != '%') {
            plain[len++] = target[i];
            continue;
        }
        hi = i + 2 < n ? hex(target[i + 1]) : -1; /* "%" or "%4" at the end: -1 */
        lo = hi < 0 ? -1 : hex(target[i + 2]);
        ok = hi >= 0 && lo >= 0 && (hi | lo) != 0; /* and never %00 */
        plain[len++] = (char)(hi * 16 + lo);
        i += 2;
    }
    ok = ok && vp_utf8_valid_text(plain, len);
    free(plain);
    return ok;
}

struct framing {
    const char *length; /* the first Content-Length */
    bool conflict;      /* a second, different Content-Length */
    bool chunked;       /* Transfer-Encoding present */
};

static enum MHD_Result each_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct framing *f = cls;
    (void)kind;
    if (!strcasecmp(key, "Transfer-Encoding")) {
        f->chunked = true;
    } else if (!strcasecmp(key, "Content-Length")) {
        if (!f->length)
            f->length = value ? value : "";
        else if (strcmp(f->length, value ? value : "") != 0)
            f->conflict = true;
    }
    return MHD_YES;
}

bool chttp_framing_valid(struct MHD_Connection *conn)
{
    struct framing f;
    memset(&f, 0, sizeof(f));
    MHD_get_connection_values(conn, MHD_HEADER_KIND, each_header, &f);
    return !f.conflict && !(f.chunked && f.length);
}
