/*
 * cattack.h - the two attacks of issue 10 as reusable loads, for the
 * availability test and the benchmark (loopback only; sources 127.0.N.M):
 *
 *  - slow headers: ADDRS x CONNS connections that each send a request line
 *    and then one header line every line_ms, never finishing; one that the
 *    server closes is opened again at its next tick;
 *  - a login flood: N wrong logins (each a new e-mail) spread evenly over
 *    spread_ms from `addrs` addresses, sent on time whatever the answers.
 */
#ifndef CATTACK_H
#define CATTACK_H
#include <pthread.h>
#include <stdatomic.h>

struct cattack_slow {
    int port;
    int addrs, conns; /* from 127.0.1.1 .. 127.0.1.addrs */
    int line_ms;
    /* results */
    long connects, cut;
    /* internal */
    atomic_bool stop;
    pthread_t thread;
};

void cattack_slow_start(struct cattack_slow *a);
void cattack_slow_stop(struct cattack_slow *a);

struct cattack_logins {
    int port;
    int n;         /* logins in all */
    int addrs;     /* from 127.0.3.1 .. 127.0.3.addrs */
    int spread_ms; /* over this long */
    /* results, after cattack_logins_wait() */
    int evaluated, refused, other; /* 401, 429, anything else (0: no answer) */
    /* internal */
    struct cattack_login *each;
};

void cattack_logins_start(struct cattack_logins *f);
void cattack_logins_wait(struct cattack_logins *f);

#endif
