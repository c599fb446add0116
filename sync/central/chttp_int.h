/*
 * chttp_int.h - what the server's own files share (not for handlers).
 */
#ifndef CHTTP_INT_H
#define CHTTP_INT_H
#include "chttp.h"

/* Routes req to its handler (after auth), or answers 404/405 (chttp.c). */
void chttp_dispatch(struct chttp_req *req, struct chttp_resp *resp);

#endif
