/*
 * vp_buf.h - a growable byte buffer that is always NUL-terminated.
 *
 * Modelled on git's strbuf. The struct is caller-owned:
 *
 *     struct vp_buf b = VP_BUF_INIT;
 *     vp_buf_addf(&b, "%d signalen", n);
 *     use(b.data);
 *     vp_buf_release(&b);
 *
 * Invariant: data is never NULL after any call (it points at a static "" when
 * empty), data[len] == '\0', len < cap or cap == 0.
 */
#ifndef VP_BUF_H
#define VP_BUF_H
#include <stddef.h>

struct vp_buf {
    char *data;
    size_t len;
    size_t cap;
};

extern char vp_buf_empty[];
#define VP_BUF_INIT                                                                                \
    {                                                                                              \
        vp_buf_empty, 0, 0                                                                         \
    }

void vp_buf_init(struct vp_buf *b);
/* Frees the memory; the buffer is empty and reusable afterwards. */
void vp_buf_release(struct vp_buf *b);
/* Takes the data out: the caller frees the returned string; b is reset. */
char *vp_buf_detach(struct vp_buf *b, size_t *len);
void vp_buf_grow(struct vp_buf *b, size_t extra);
void vp_buf_add(struct vp_buf *b, const void *data, size_t len);
void vp_buf_adds(struct vp_buf *b, const char *s);
void vp_buf_addch(struct vp_buf *b, char c);
void vp_buf_addf(struct vp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vp_buf_reset(struct vp_buf *b);

#endif
