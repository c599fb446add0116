/*
 * http.h - the sync client's one libcurl easy handle, reused for every
 * request of a worker so connections are kept alive.
 *
 * Settings that are always on: TLS peer and host verification, NOSIGNAL,
 * a connect timeout, a low-speed abort, a total cap, no proxy from the
 * environment unless the store's "proxy" setting names one.
 */
#ifndef SYNC_HTTP_H
#define SYNC_HTTP_H
#include "vp_buf.h"
#include "vp_error.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_RESPONSE (8u << 20)

struct http_options {
    const char *cafile;     /* NULL or "" = system CAs */
    const char *pinned_key; /* curl "sha256//..." or NULL */
    const char *proxy;      /* NULL or "" = none, ignoring *_proxy env vars */
    long connect_timeout_s; /* default 10 */
    long total_timeout_s;   /* default 120 */
    long stall_timeout_s;   /* abort when < 1 byte/s for this long; default 20 */
};

struct http_response {
    long status;            /* 0 if no HTTP answer arrived */
    struct vp_buf body;     /* capped at HTTP_MAX_RESPONSE */
    long retry_after_s;     /* from Retry-After, -1 if absent */
    int64_t bytes_sent;     /* request line, headers and body as sent */
    int64_t bytes_received; /* status line, headers and body as received */
};

struct http;

/* Creates a handle; never fails (out of memory aborts). */
struct http *http_new(const struct http_options *opt);
void http_free(struct http *h);

/* Sends one request and waits for the whole answer. body may be NULL (GET).
 * Bodies larger than 1 KiB are sent gzip-compressed. Returns VP_OK when an
 * HTTP answer arrived (any status; see resp->status), VP_ERR_TLS when the
 * server could not be verified, VP_ERR_NETWORK for everything else on the
 * way (no route, refused, reset, timeout): outcome unknown.
 * resp must be initialised by the caller and released with
 * http_response_release(). */
vp_result http_request(struct http *h, const char *method, const char *url, const char *token,
                       const char *body, size_t len, struct http_response *resp);

void http_response_init(struct http_response *r);
void http_response_release(struct http_response *r);

/* Gzip-compresses len bytes into out (appended). */
vp_result http_gzip(const char *data, size_t len, struct vp_buf *out);

#endif
