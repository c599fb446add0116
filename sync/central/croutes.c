/*
 * croutes.c - the one list of route groups. A new group defines its routes
 * in its own file and adds one line here. The first matching route wins, so
 * list specific groups before catch-alls.
 */
#include "capi.h"

vp_result croutes_fill(struct chttp_router *r)
{
    vp_result (*const groups[])(struct chttp_router *) = {
        capi_device_routes,
        capi_console_routes,
        cstatic_routes,
    };
    chttp_router_init(r, capi_authorize);
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
        vp_result res = groups[i](r);
        if (res) {
            chttp_router_release(r);
            return res;
        }
    }
    return VP_OK;
}
