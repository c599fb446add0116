/*
 * ccli.h - the vindplaats-central command line (CONTRACT.md §2). Exit status
 * 0 on success, 1 on a runtime failure, 2 on a usage error; errors are one
 * plain sentence on stderr in Dutch (English with VINDPLAATS_LANG=en or a
 * LANG starting with "en").
 */
#ifndef CCLI_H
#define CCLI_H
#include "vp_error.h"
#include <stdbool.h>
#include <stdint.h>

#define CCLI_MAX_LOCATIONS 32
#define CCLI_SECRET_FILE   "server.key" /* in the data folder: keys the throttles' hash */

struct ccli_args {
    const char *data, *listen, *tls_cert, *tls_key, *name, *org, *email, *location;
    const char *to, *from, *device, *rate, *threads;
    const char *keep;                                        /* backup --to DIR --keep N */
    const char *format;                                      /* export --format */
    const char *signal_days, *case_days;                     /* retention overrides */
    const char *header_timeout, *body_timeout, *per_address; /* serve: HTTP limits */
    const char *metrics_listen, *metrics_token_file;         /* serve: /metrics */
    const char *log_format;                                  /* serve: text or json */
    const char *trusted_proxy;                               /* serve: X-Forwarded-For from it */
    const char *locations[CCLI_MAX_LOCATIONS];
    int nlocations;
    bool insecure_http;
    const char *positional; /* e.g. "signals" of export */
};

enum { CCLI_OK = 0, CCLI_FAIL = 1, CCLI_USAGE = 2 };

/* Prints the translation of key (with {name} values) as one line on stderr. */
void ccli_say_error(const char *key, ...);
/* Prints a failed result as one sentence on stderr and returns CCLI_FAIL. */
int ccli_fail(vp_result res);

int ccli_serve(const struct ccli_args *a);
/* The retention periods from --signal-days/--case-days or the defaults;
 * false (after saying why) for a value that is not 30-3650 days. */
bool ccli_retention_days(const struct ccli_args *a, int64_t *signal_days, int64_t *case_days);
int ccli_demo(const struct ccli_args *a);

#endif
