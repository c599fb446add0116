/*
 * vp_str.h - small string helpers that replace the banned libc functions
 * (strcpy, strncpy, strcat, atoi, ...; see tests/banned.sh).
 */
#ifndef VP_STR_H
#define VP_STR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies src into dst (size bytes), always NUL-terminated.
 * Returns strlen(src); truncation happened if the result >= size. */
size_t vp_strlcpy(char *dst, const char *src, size_t size);

/* Parses a whole decimal integer in [min, max]. Leading/trailing garbage,
 * empty text and overflow are VP-style failures: returns false, *out untouched. */
bool vp_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

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
