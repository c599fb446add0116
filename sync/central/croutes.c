/*
 * croutes.c - the one list of route groups. A new group (say the console's
 * own pages in capi_console_pages.c) defines its routes in its own file and
 * adds one line here. The first matching route wins, so list specific
 * groups before catch-alls.
 */
#include "capi.h"
#include "console_api.h"

void croutes_register_all(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    capi_device_register();
    capi_console_register();
    console_api_register();
    cstatic_register();
}
