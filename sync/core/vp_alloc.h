/*
 * vp_alloc.h - allocation that never returns NULL.
 *
 * Running out of memory on a kiosk or the central service is not something
 * we can recover from meaningfully, so these wrappers print one line and
 * abort(). That keeps every other error path honest and testable.
 */
#ifndef VP_ALLOC_H
#define VP_ALLOC_H
#include <stddef.h>

void *vp_xmalloc(size_t size);
void *vp_xcalloc(size_t count, size_t size);
void *vp_xrealloc(void *ptr, size_t size);
char *vp_xstrdup(const char *s);
/* Duplicates at most n bytes of s and NUL-terminates the copy. */
char *vp_xstrndup(const char *s, size_t n);

#endif
