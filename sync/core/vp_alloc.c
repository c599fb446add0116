#include "vp_alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t size)
{
    fprintf(stderr, "vindplaats: out of memory (%zu bytes)\n", size);
    abort();
}

void vp_out_of_memory(const char *what)
{
    fprintf(stderr, "vindplaats: out of memory (%s)\n", what);
    abort();
}

void *vp_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *vp_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *vp_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

char *vp_xstrdup(const char *s)
{
    return vp_xstrndup(s, strlen(s));
}

char *vp_xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = vp_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
