#include "vp_buf.h"
#include "vp_alloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char vp_buf_empty[1];

void vp_buf_init(struct vp_buf *b)
{
    b->data = vp_buf_empty;
    b->len = 0;
    b->cap = 0;
}

void vp_buf_release(struct vp_buf *b)
{
    if (b->cap)
        free(b->data);
    vp_buf_init(b);
}

char *vp_buf_detach(struct vp_buf *b, size_t *len)
{
    char *res;
    if (len)
        *len = b->len;
    res = b->cap ? b->data : vp_xstrdup("");
    vp_buf_init(b);
    return res;
}

void vp_buf_grow(struct vp_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    size_t cap;
    if (need <= b->cap)
        return;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap * 2;
    if (b->cap) {
        b->data = vp_xrealloc(b->data, cap);
    } else {
        b->data = vp_xmalloc(cap);
        b->data[0] = '\0';
    }
    b->cap = cap;
}

void vp_buf_add(struct vp_buf *b, const void *data, size_t len)
{
    if (!len)
        return;
    vp_buf_grow(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void vp_buf_adds(struct vp_buf *b, const char *s)
{
    vp_buf_add(b, s, strlen(s));
}

void vp_buf_addch(struct vp_buf *b, char c)
{
    vp_buf_add(b, &c, 1);
}

void vp_buf_addf(struct vp_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    vp_buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void vp_buf_reset(struct vp_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
}
