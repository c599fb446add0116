/*
 * faultproxy.h - a small TCP proxy on 127.0.0.1 for the sync fault tests.
 *
 * It runs in a thread of the test process and forwards to a target port.
 * Its mode decides what happens to each new connection (and to connections
 * already open, at their next read):
 *   FP_PASS   forward both ways;
 *   FP_STALL  accept and read, but never forward or answer (a dead link);
 *   FP_RESET  read the request, then reset the connection (RST) without
 *             forwarding it: the server never sees it;
 *   FP_DROP_ANSWER  forward the request, swallow the server's answer and
 *             reset the client: the server acted (it answers only after its
 *             commit), the client never hears of it.
 */
#ifndef FAULTPROXY_H
#define FAULTPROXY_H

enum fp_mode { FP_PASS, FP_STALL, FP_RESET, FP_DROP_ANSWER };

struct faultproxy;

/* Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:target_port.
 * Returns NULL if it cannot listen. */
struct faultproxy *faultproxy_start(int target_port);
int faultproxy_port(const struct faultproxy *p);
void faultproxy_set_mode(struct faultproxy *p, enum fp_mode mode);
void faultproxy_set_target(struct faultproxy *p, int target_port);
/* Connections accepted so far. */
int faultproxy_connections(struct faultproxy *p);
void faultproxy_stop(struct faultproxy *p);

#endif
