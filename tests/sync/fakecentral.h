/*
 * fakecentral.h - a scripted stand-in for the central service, on
 * libmicrohttpd, for testing the sync client's decisions in isolation
 * (what it does with a 500, a 422, a malformed 200, a new epoch...).
 * The real service is tested against the real client in test_sync_faults.
 */
#ifndef FAKECENTRAL_H
#define FAKECENTRAL_H
#include "vp_buf.h"
#include <pthread.h>

struct fake_request {
    char method[8];
    char url[256];      /* path and query */
    char auth[128];     /* Authorization header */
    int gzipped;        /* Content-Encoding: gzip */
    struct vp_buf body; /* decompressed */
};

/* Fills status, body and retry_after (-1 = no header) for a request. */
typedef void (*fake_handler)(void *ctx, const struct fake_request *req, int *status,
                             struct vp_buf *body, int *retry_after);

struct fakecentral;

struct fakecentral *fakecentral_start(fake_handler handler, void *ctx);
/* "http://127.0.0.1:PORT" */
const char *fakecentral_url(const struct fakecentral *f);
int fakecentral_requests(struct fakecentral *f);
void fakecentral_stop(struct fakecentral *f);

#endif
