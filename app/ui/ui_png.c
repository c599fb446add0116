/*
 * ui_png.c - minimal PNG encode/decode over zlib.
 */
#include "ui_png.h"
#include "vp_alloc.h"
#include "vp_buf.h"
#include "vp_platform.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void put32(struct vp_buf *b, uint32_t v)
{
    unsigned char c[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 8), (unsigned char)v };
    vp_buf_add(b, c, 4);
}

static void chunk(struct vp_buf *b, const char *type, const unsigned char *data, size_t len)
{
    uLong crc = crc32(0L, (const Bytef *)type, 4);
    put32(b, (uint32_t)len);
    vp_buf_add(b, type, 4);
    if (len) {
        vp_buf_add(b, data, len);
        crc = crc32(crc, data, (uInt)len);
    }
    put32(b, (uint32_t)crc);
}

bool ui_png_write(const char *path, const unsigned char *rgb, int w, int h)
{
    static const unsigned char sig[8] = { 137, 80, 78, 71, 13, 10, 26, 10 };
    size_t row = (size_t)w * 3, rawlen = (row + 1) * (size_t)h;
    unsigned char *raw = vp_xmalloc(rawlen), ihdr[13];
    uLongf zlen = compressBound((uLong)rawlen);
    unsigned char *z = vp_xmalloc(zlen);
    struct vp_buf b = VP_BUF_INIT;
    bool ok;
    for (int y = 0; y < h; y++) {
        unsigned char *dst = raw + (size_t)y * (row + 1);
        const unsigned char *src = rgb + (size_t)y * row;
        dst[0] = 1; /* Sub filter: flat UI areas compress well */
        for (size_t i = 0; i < row; i++)
            dst[1 + i] = (unsigned char)(src[i] - (i >= 3 ? src[i - 3] : 0));
    }
    ok = compress2(z, &zlen, raw, (uLong)rawlen, 6) == Z_OK;
    vp_buf_add(&b, sig, 8);
    ihdr[0] = (unsigned char)(w >> 24);
    ihdr[1] = (unsigned char)(w >> 16);
    ihdr[2] = (unsigned char)(w >> 8);
    ihdr[3] = (unsigned char)w;
    ihdr[4] = (unsigned char)(h >> 24);
    ihdr[5] = (unsigned char)(h >> 16);
    ihdr[6] = (unsigned char)(h >> 8);
    ihdr[7] = (unsigned char)h;
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering */
    ihdr[12] = 0; /* no interlace */
    chunk(&b, "IHDR", ihdr, 13);
    if (ok)
        chunk(&b, "IDAT", z, zlen);
    chunk(&b, "IEND", NULL, 0);
    ok = ok && vp_write_file_atomic(path, b.data, b.len) == VP_OK;
    vp_buf_release(&b);
    free(raw);
    free(z);
    return ok;
}

static uint32_t get32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes the row filters in place; bpp bytes per pixel. */
static bool unfilter(unsigned char *raw, int w, int h, int bpp)
{
    size_t row = (size_t)w * (size_t)bpp;
    for (int y = 0; y < h; y++) {
        unsigned char *line = raw + (size_t)y * (row + 1), *cur = line + 1;
        unsigned char *prev = y ? raw + (size_t)(y - 1) * (row + 1) + 1 : NULL;
        for (size_t i = 0; i < row; i++) {
            int a = i >= (size_t)bpp ? cur[i - bpp] : 0, b = prev ? prev[i] : 0;
            int c = prev && i >= (size_t)bpp ? prev[i - bpp] : 0;
            switch (line[0]) {
            case 0: break;
            case 1: cur[i] = (unsigned char)(cur[i] + a); break;
            case 2: cur[i] = (unsigned char)(cur[i] + b); break;
            case 3: cur[i] = (unsigned char)(cur[i] + (a + b) / 2); break;
            case 4: cur[i] = (unsigned char)(cur[i] + paeth(a, b, c)); break;
            default: return false;
            }
        }
    }
    return true;
}

bool ui_png_read(const char *path, unsigned char **rgb, int *w, int *h)
{
    struct vp_buf file = VP_BUF_INIT, idat = VP_BUF_INIT;
    const unsigned char *p;
    size_t pos = 8;
    int width = 0, height = 0, bpp = 0;
    bool ok = false;
    if (vp_read_file(path, 64u << 20, &file) != VP_OK || file.len < 8)
        goto out;
    p = (const unsigned char *)file.data;
    while (pos + 12 <= file.len) {
        uint32_t len = get32(p + pos);
        const unsigned char *type = p + pos + 4, *data = p + pos + 8;
        if (pos + 12 + len > file.len)
            goto out;
        if (!memcmp(type, "IHDR", 4) && len >= 13) {
            width = (int)get32(data);
            height = (int)get32(data + 4);
            if (data[8] != 8 || (data[9] != 2 && data[9] != 6) || data[12] != 0)
                goto out;
            bpp = data[9] == 2 ? 3 : 4;
        } else if (!memcmp(type, "IDAT", 4)) {
            vp_buf_add(&idat, data, len);
        }
        pos += 12 + len;
    }
    if (width <= 0 || height <= 0 || width > 10000 || height > 10000)
        goto out;
    {
        uLongf rawlen = (uLongf)(((size_t)width * (size_t)bpp + 1) * (size_t)height);
        unsigned char *raw = vp_xmalloc(rawlen), *dst;
        if (uncompress(raw, &rawlen, (const Bytef *)idat.data, (uLong)idat.len) != Z_OK ||
            !unfilter(raw, width, height, bpp)) {
            free(raw);
            goto out;
        }
        dst = vp_xmalloc((size_t)width * (size_t)height * 3);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                memcpy(dst + ((size_t)y * (size_t)width + (size_t)x) * 3,
                       raw + (size_t)y * ((size_t)width * (size_t)bpp + 1) + 1 +
                           (size_t)x * (size_t)bpp,
                       3);
        free(raw);
        *rgb = dst;
        *w = width;
        *h = height;
        ok = true;
    }
out:
    vp_buf_release(&file);
    vp_buf_release(&idat);
    return ok;
}
