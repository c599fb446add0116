#include "vp_core.h"
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>

static void *json_alloc(size_t size)
{
    return vp_xmalloc(size);
}

vp_result vp_core_init(void)
{
    if (sodium_init() < 0)
        return VP_ERR_INTERNAL;
    json_set_alloc_funcs(json_alloc, free);
    return VP_OK;
}
