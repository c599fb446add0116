#include "vp_uuid.h"
#include <sodium.h>
#include <string.h>

#define COUNTER_MAX 0x0fff

static void format(const unsigned char b[16], char out[VP_UUID_LEN])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

void vp_uuid7_next(struct vp_uuid7 *gen, int64_t now_ms, char out[VP_UUID_LEN])
{
    unsigned char b[16];
    int64_t ms;
    uint16_t counter;

    if (now_ms > gen->last_ms) {
        ms = now_ms;
        /* Start low in the counter space so a burst in one ms has room. */
        counter = (uint16_t)(randombytes_uniform(COUNTER_MAX / 2 + 1));
    } else if (gen->counter < COUNTER_MAX) {
        ms = gen->last_ms; /* same ms, or the clock went back: count on */
        counter = (uint16_t)(gen->counter + 1);
    } else {
        ms = gen->last_ms + 1; /* counter exhausted: borrow the next ms */
        counter = 0;
    }
    gen->last_ms = ms;
    gen->counter = counter;

    randombytes_buf(b, sizeof(b));
    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)(((uint64_t)ms >> (8 * (5 - i))) & 0xff);
    b[6] = (unsigned char)(0x70 | ((counter >> 8) & 0x0f));
    b[7] = (unsigned char)(counter & 0xff);
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
    format(b, out);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool parse(const char *s, unsigned char b[16])
{
    size_t o = 0;
    if (!s || strlen(s) != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
            continue;
        }
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        b[o++] = (unsigned char)(hi << 4 | lo);
        i++;
    }
    return o == 16;
}

bool vp_uuid_valid(const char *s)
{
    unsigned char b[16];
    return parse(s, b);
}

bool vp_uuid7_valid(const char *s)
{
    unsigned char b[16];
    return parse(s, b) && (b[6] >> 4) == 7 && (b[8] & 0xc0) == 0x80;
}

int64_t vp_uuid7_ms(const char *s)
{
    unsigned char b[16];
    uint64_t ms = 0;
    if (!parse(s, b) || (b[6] >> 4) != 7)
        return -1;
    for (int i = 0; i < 6; i++)
        ms = ms << 8 | b[i];
    return (int64_t)ms;
}

void vp_uuid4(char out[VP_UUID_LEN])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof(b));
    b[6] = (unsigned char)(0x40 | (b[6] & 0x0f));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
    format(b, out);
}
