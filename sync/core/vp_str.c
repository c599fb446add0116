#include "vp_str.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t vp_utf8_cut(const char *s, size_t n)
{
    size_t m = n;
    /* a byte 10xxxxxx continues the sequence before it: cutting there splits it */
    while (m > 0 && n - m < 3 && ((unsigned char)s[m] & 0xc0) == 0x80)
        m--;
    return ((unsigned char)s[m] & 0xc0) == 0x80 ? n : m;
}

size_t vp_strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : vp_utf8_cut(src, size - 1);
        memmove(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

int vp_snprintf(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(dst, size, fmt, ap);
    va_end(ap);
    if (size && n >= 0 && (size_t)n >= size) {
        /* dst holds size - 1 bytes of a longer text: the next byte is unknown,
         * so drop the last sequence unless it is complete */
        size_t len = size - 1, last = vp_utf8_last_char_len(dst, len);
        if (last && last <= 4 && vp_utf8_seq_len(dst + len - last, last) != last)
            dst[len - last] = '\0';
    }
    return n;
}

void vp_utf8_shorten(char *dst, size_t size, const char *src, size_t max_chars)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* … */
    size_t bytes = 0, chars = 0, last = 0;
    while (src[bytes] && chars < max_chars) {
        size_t n = vp_utf8_seq_len(src + bytes, strnlen(src + bytes, 4));
        last = bytes;
        bytes += n ? n : 1;
        chars++;
    }
    if (src[bytes] && max_chars > 0 && last + sizeof(ellipsis) <= size) {
        /* longer than max_chars: the last character that fits becomes "…" */
        memcpy(dst, src, last);
        memcpy(dst + last, ellipsis, sizeof(ellipsis));
        return;
    }
    if (size)
        vp_strlcpy(dst, src, bytes + 1 < size ? bytes + 1 : size);
}

void vp_utf8_scrub(char *str)
{
    size_t len = strlen(str), i = 0;
    while (i < len) {
        size_t n = vp_utf8_seq_len(str + i, len - i);
        if (n) {
            i += n;
        } else {
            str[i++] = '?';
        }
    }
}

bool vp_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end = NULL;
    long long v;
    if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || !end || *end || v < min || v > max)
        return false;
    *out = (int64_t)v;
    return true;
}

size_t vp_utf8_seq_len(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c;
    size_t n;
    uint32_t cp;
    if (!len)
        return 0;
    c = s[0];
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0) {
        n = 1;
        cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 2;
        cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 3;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n >= len)
        return 0; /* truncated sequence */
    for (size_t k = 1; k <= n; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3f);
    }
    /* overlong forms, surrogates, out of range */
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n + 1;
}

bool vp_utf8_valid_text(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        if (c < 0x80 && ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f))
            return false;
        if ((n = vp_utf8_seq_len(str + i, len - i)) == 0)
            return false;
        i += n;
    }
    return true;
}

size_t vp_utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

size_t vp_utf8_last_char_len(const char *s, size_t len)
{
    size_t n = 0;
    while (len > 0) {
        len--;
        n++;
        if (((unsigned char)s[len] & 0xc0) != 0x80)
            break;
    }
    return n;
}

bool vp_str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

bool vp_str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

void vp_hex_encode(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}
