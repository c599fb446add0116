/*
 * capi.h - the central service's application: what handlers share (the
 * store, rate limits, session rules), the one place that decides access
 * (capi_authorize()) and the route groups.
 *
 * Route groups add their routes to the caller's router through
 * croutes_fill() (croutes.c); a new group adds one line there.
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
    struct cmetrics *metrics;     /* counters for /metrics (cmetrics.h) */
    char metrics_token[128];      /* /metrics on the main listener needs it ("" = no route) */
    struct climit *audit_denied; /* "denied" audit entries per coach: 10 at once, then 1 a minute */
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

/* The router's authorize function: checks the route's access rule (a
 * device token with its rate limit; a coach session, with the CSRF token
 * unless GET/HEAD; the admin flag), then every id the route's scope names
 * in the path, the query and the JSON body against the caller's locations
 * (cstore_coach_scope()). False when it has already answered: 401, 403
 * (also `csrf`), 404 for an unknown id, 400/422 for an id that is not a
 * UUID, 429. A refused GET of a child is audited as "view_denied". */
bool capi_authorize(struct chttp_req *req, struct chttp_resp *resp,
                    const struct chttp_route *route);

/* Route groups: each adds its routes to r (VP_ERR_INVALID for a route
 * without its scope, see chttp_router_add()). */
vp_result capi_device_routes(struct chttp_router *r);  /* /healthz, /api/v1/... */
vp_result capi_console_routes(struct chttp_router *r); /* /api/console/... */
vp_result cstatic_routes(struct chttp_router *r);      /* /, /static/... (assets/console) */
/* Initialises r with capi_authorize() and every group: the one list of
 * route groups. VP_ERR_INVALID (logged, naming the route; r is left
 * empty) if a route lacks its scope. */
vp_result croutes_fill(struct chttp_router *r);

#endif
