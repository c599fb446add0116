/*
 * cmetrics.h - the centre's numbers for Prometheus (GET /metrics, text
 * exposition format 0.0.4): requests by route, method and status; push and
 * pull latency histograms; pushed records by outcome; login failures and
 * throttles; and, read from the store at each scrape, the signals stored
 * (cstore_signal.h's definition), the tablets per health colour
 * (cstore_fleet.h's rule), the records tablets hold in quarantine and the
 * database's size. docs/central.md lists every metric.
 *
 * Never open by default: /metrics exists only on its own listen address
 * (serve --metrics-listen) or on the main one behind a bearer token read
 * from a file (serve --metrics-token-file). No label carries a name, a
 * note or any text a person typed: routes are the route table's patterns,
 * methods a fixed list, ids none.
 *
 * Counting is lock-free (atomics) except the request table, a small array
 * under a mutex; a struct cmetrics is shared by every request thread.
 */
#ifndef CMETRICS_H
#define CMETRICS_H
#include "chttp.h"
#include "cstore.h"
#include "vp_buf.h"
#include <stdint.h>

struct cmetrics;

/* Counters that are not requests. */
enum cmetrics_event {
    CMETRICS_LOGIN_FAILED,     /* a wrong email or password */
    CMETRICS_LOGIN_THROTTLED,  /* a login refused by the throttle (429) */
    CMETRICS_ENROLL_FAILED,    /* an unknown enrolment code */
    CMETRICS_ENROLL_THROTTLED, /* an enrolment refused by the throttle */
    CMETRICS_DEVICE_THROTTLED, /* a tablet over its request rate (429) */
    CMETRICS_NEVENTS
};

/* New, all zero; freed with cmetrics_free(). */
struct cmetrics *cmetrics_new(void);
void cmetrics_free(struct cmetrics *m);

/* One answered request: the matched route's pattern (NULL: none matched),
 * its method, the status sent and how long it took from its complete body
 * to the answer (us). Push and pull also go into their histograms. m may be
 * NULL (no metrics kept). */
void cmetrics_request(struct cmetrics *m, const char *route, const char *method, int status,
                      int64_t micros);
void cmetrics_count(struct cmetrics *m, enum cmetrics_event e);
/* The outcome of one pushed record (enum vp_push_status). */
void cmetrics_push_result(struct cmetrics *m, int status);

/* Appends the whole exposition to out: the counters, then the store's
 * numbers (VP_ERR_* of the store if it cannot read them; out then holds
 * the counters only). */
vp_result cmetrics_write(struct cmetrics *m, struct cstore *st, struct vp_buf *out);

/* Microseconds of a monotonic clock (for cmetrics_request's durations). */
int64_t cmetrics_now_us(void);

/* The /metrics routes. cmetrics_open_routes: GET /metrics for anyone (the
 * dedicated listener). cmetrics_token_routes: GET /metrics with
 * "Authorization: Bearer TOKEN" equal to app->metrics_token, else 401 (the
 * main listener). */
vp_result cmetrics_open_routes(struct chttp_router *r);
vp_result cmetrics_token_routes(struct chttp_router *r);

#endif
