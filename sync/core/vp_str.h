/*
 * vp_str.h - small string helpers that replace the banned libc functions
 * (strcpy, strncpy, strcat, atoi, ...; see tests/banned.sh).
 */
#ifndef VP_STR_H
#define VP_STR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies src into dst (size bytes), always NUL-terminated. When src does
 * not fit it is cut at a character boundary: a UTF-8 sequence is copied
 * whole or not at all, so the copy of valid text is valid text.
 * Returns strlen(src); truncation happened if the result >= size.
 * This and vp_snprintf() are the project's only bounded text copies. */
size_t vp_strlcpy(char *dst, const char *src, size_t size);

/* snprintf() that never ends in half a character: when the text does not
 * fit, it is cut at the last whole UTF-8 sequence that fits. Returns what
 * snprintf() returns (the untruncated length, or < 0 on a format error). */
int vp_snprintf(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Where to cut text s of at least n bytes so that at most n bytes are kept
 * and no UTF-8 sequence is split: n, or less by up to 3 bytes. */
size_t vp_utf8_cut(const char *s, size_t n);

/* Copies at most max_chars characters (code points) of valid text src into
 * dst (size bytes, at least 4 * max_chars + 1 to hold them all). If src is
 * longer, the copy ends in "…" and counts it as one of the max_chars. For
 * text derived from a longer field (a display label), never for input:
 * input with a character limit is refused at the edge instead. */
void vp_utf8_shorten(char *dst, size_t size, const char *src, size_t max_chars);

/* Replaces, in place, every byte that is not part of a valid UTF-8 sequence
 * (truncated, overlong, surrogate, > U+10FFFF) with '?'. The length stays the
 * same; afterwards s is valid UTF-8. For text that must be shown or encoded
 * whatever it holds (error messages, log lines). */
void vp_utf8_scrub(char *s);

/* Parses a whole decimal integer in [min, max]. Leading/trailing garbage,
 * empty text and overflow are VP-style failures: returns false, *out untouched. */
bool vp_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Length in bytes (1-4) of the valid UTF-8 sequence at s[0..len), or 0 if
 * it is not one (truncated, overlong, surrogate, > U+10FFFF, or len == 0). */
size_t vp_utf8_seq_len(const char *s, size_t len);

/* True if the len bytes at s are valid UTF-8 without NUL bytes or control
 * characters other than tab and newline. */
bool vp_utf8_valid_text(const char *s, size_t len);

/* Number of code points in valid UTF-8 text. */
size_t vp_utf8_length(const char *s);

/* Byte length of the last code point of s[0..len), 0 if len == 0. */
size_t vp_utf8_last_char_len(const char *s, size_t len);

bool vp_str_eq(const char *a, const char *b);
bool vp_str_starts_with(const char *s, const char *prefix);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void vp_hex_encode(const unsigned char *in, size_t n, char *out);

#endif
