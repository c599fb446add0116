/*
 * craw.h - raw HTTP/1.1 over a plain socket, for tests that need what
 * libcurl will not do: a chosen source address (127.0.0.N, so one test can
 * be many clients), malformed requests, bytes trickled slowly.
 */
#ifndef CRAW_H
#define CRAW_H
#include "vp_buf.h"
#include <stdbool.h>
#include <stddef.h>

/* A blocking TCP connection from src (e.g. "127.0.0.7"; NULL = any) to
 * 127.0.0.1:port. Returns the fd, or -1. */
int craw_connect(const char *src, int port);
/* Sends all len bytes; false on error. */
bool craw_send(int fd, const void *data, size_t len);
/* Reads into out until the peer closes, the answer is complete (by its
 * Content-Length) or timeout_ms passes. Returns true if the peer closed or
 * the answer is complete. */
bool craw_read(int fd, int timeout_ms, struct vp_buf *out);
/* Waits (at most timeout_ms) for the peer to close; true if it did (EOF or
 * reset). Discards anything read. */
bool craw_wait_closed(int fd, int timeout_ms);

/* Connects from src, sends request, reads the answer (Connection: close is
 * up to the request). Returns the status, 0 if no HTTP answer came. */
int craw_request(const char *src, int port, const char *request, size_t len, int timeout_ms,
                 struct vp_buf *answer);

/* The status of a raw answer, 0 if none. */
int craw_status(const struct vp_buf *answer);
/* The value of header name (case-insensitive) in a raw answer, copied into
 * buf; NULL if absent. */
const char *craw_header(const struct vp_buf *answer, const char *name, char *buf, size_t size);
/* The body of a raw answer (after the blank line), or "". */
const char *craw_body(const struct vp_buf *answer);

/* Raises this process's open-file limit to its hard limit (tests with
 * a thousand sockets). */
void craw_raise_file_limit(void);

#endif
