/* sync_internal.h - shared by the sync client's files; not for other code. */
#ifndef SYNC_INTERNAL_H
#define SYNC_INTERNAL_H
#include "devstore.h"
#include "http.h"
#include "sync_client.h"
#include "vp_core.h"
#include <stdatomic.h>

/* What one round needs: a store connection, the HTTP handle, the device. */
struct sync_ctx {
    struct devstore *store;
    struct http *http;
    struct dev_device device;
    char *http_for;     /* the settings http was made for (malloc'ed) */
    long retry_after_s; /* from the last answer, -1 if none */
    int64_t server_time_ms;
    atomic_bool *stop; /* optional: the worker is shutting down */
};

/* (Re)creates c->http when the device's TLS or proxy settings changed. */
void sync_ctx_http(struct sync_ctx *c);
bool sync_ctx_stopping(struct sync_ctx *c);
vp_result sync_ctx_round(struct sync_ctx *c, struct sync_report *rep);
vp_result sync_ctx_enroll(struct sync_ctx *c, const char *server_url, const char *code,
                          const char *cafile, const char *device_name, struct sync_report *rep);
void sync_ctx_release(struct sync_ctx *c);

/* Full jitter: a random delay in [0, min(10 min, 2 s * 2^attempt)], but
 * never less than the server's Retry-After (seconds, -1 if none). */
int64_t sync_backoff_ms(int attempt, long retry_after_s);

/* server + path, without a doubled slash. Caller frees. */
char *sync_url(const char *server, const char *path);
/* The server's error message from a JSON error body, or a generic sentence. */
void sync_error_reason(const struct http_response *resp, char *out, size_t size);

#endif
