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
/* For a library that reports running out of memory itself (sqlite, argon2):
 * one line naming what, then abort(). The only abort a request may reach. */
_Noreturn void vp_out_of_memory(const char *what);

#endif
