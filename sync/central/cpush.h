/*
 * cpush.h - parsing of push and pull requests, apart from HTTP so that the
 * fuzzer (tests/fuzz) drives exactly the code the server runs.
 */
#ifndef CPUSH_H
#define CPUSH_H
#include "cstore.h"
#include "vp_catalog.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cpush_parse { CPUSH_OK, CPUSH_MALFORMED, CPUSH_TOO_LARGE };

/* Parses a push body {"records":[...]} strictly. The request is malformed
 * when it is not JSON, has other top-level keys, records is not an array, or
 * an element is not an object with a string "id"; too large above
 * VP_PUSH_MAX_RECORDS records. Otherwise every record is validated with
 * vp_record_from_json(): valid ones get their canonical hash, invalid ones a
 * reason. On CPUSH_OK *items (n of them, at least one slot) is malloc'ed and
 * the caller frees it. */
enum cpush_parse cpush_parse(const char *body, size_t len, const struct vp_catalog *cat,
                             struct cstore_item **items, size_t *n);

/* Parses pull's since (default 0, >= 0) and limit (default 500, 1..1000);
 * either may be NULL. False if one is not a whole number in range. */
bool cpull_parse(const char *since, const char *limit, int64_t *since_out, int64_t *limit_out);

#endif
