/*
 * capi.h - the central service's application: what handlers share (the
 * store, rate limits, session rules) and the route groups.
 *
 * Route groups register themselves through croutes_register_all()
 * (croutes.c); a new group (the console's pages, say) adds one line there.
 */
#ifndef CAPI_H
#define CAPI_H
#include "chttp.h"
#include "climit.h"
#include "cstore.h"
#include <stdatomic.h>

#define CAPI_SESSION_COOKIE "vp_session"

struct capp {
    struct cstore *store;
    struct climit *device_rate;   /* requests per device */
    struct climit *login_ip;      /* failed logins per client address */
    struct climit *login_account; /* failed logins per email */
    struct climit *audit_refused; /* one "login_throttled" audit entry a minute per key */
    bool tls;
    atomic_bool stopping;
    int64_t session_idle_ms;
    int64_t session_abs_ms;
};

struct capp_options {
    const unsigned char *secret; /* 32 bytes keying the throttles' hash (NULL: random) */
    double device_rate_per_min;  /* 0 = default (1200) */
    int64_t signal_days;         /* retention of unlinked signals */
    int64_t case_days;           /* retention of closed case files */
};

void capp_init(struct capp *app, struct cstore *store, const struct capp_options *opt);
void capp_release(struct capp *app);

/* Checks the route's auth (chttp calls this before the handler). False when
 * it already answered (401, 403, 429). */
bool capi_authorize(struct chttp_req *req, struct chttp_resp *resp, enum chttp_auth auth);

/* Route groups. */
void capi_device_register(void);  /* /healthz, /api/v1/... */
void capi_console_register(void); /* /api/console/... (auth, inbox, dossier, case, export) */
void cstatic_register(void);      /* /, /static/... (assets/console) */
/* Registers every group: the one list of route groups. */
void croutes_register_all(void);

#endif
