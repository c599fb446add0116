/*
 * cwatch.h - deadlines for every request, enforced even against a client
 * that trickles bytes. libmicrohttpd 0.9.75 has only an idle timeout (reset
 * by every byte) and calls no handler before the headers are complete, so a
 * client sending one header line every few seconds would hold its
 * connection for ever. The watchdog keeps, per connection, the phase of the
 * request it is in and since when; a thread checks four times a second and
 * shuts down (shutdown(2), never close: libmicrohttpd owns the fd) the
 * socket of a connection that is past its phase's deadline. libmicrohttpd
 * then sees the socket fail and cleans the connection up as usual.
 *
 * The fd is only touched under the watchdog's lock, and cwatch_close() (the
 * connection is going away, called before libmicrohttpd closes the fd)
 * takes that lock too, so a recycled fd number is never shut down.
 */
#ifndef CWATCH_H
#define CWATCH_H
#include <stdint.h>

enum cwatch_phase {
    CWATCH_HEADERS, /* connected or between requests: until the headers are complete */
    CWATCH_BODY,    /* headers read: until the body is complete */
    CWATCH_WORK,    /* the server's turn (handler, password pool): no deadline */
    CWATCH_SEND,    /* answer queued: until it is sent */
    CWATCH_NPHASES
};

struct cwatch_limits {
    int64_t ms[CWATCH_NPHASES]; /* per phase; 0 = no deadline */
};

struct cwatch;
struct cwatch_conn;

/* Starts the watchdog thread. */
struct cwatch *cwatch_new(const struct cwatch_limits *lim);
/* Stops the thread and frees what is left (call after the server stopped). */
void cwatch_free(struct cwatch *w);

/* A new connection on fd from addr (text, for the log): phase HEADERS from now. */
struct cwatch_conn *cwatch_open(struct cwatch *w, int fd, const char *addr);
/* The connection is closing; c is freed. */
void cwatch_close(struct cwatch *w, struct cwatch_conn *c);
/* Moves c to phase ph, starting its clock now. */
void cwatch_phase(struct cwatch *w, struct cwatch_conn *c, enum cwatch_phase ph);

#endif
