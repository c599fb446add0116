/*
 * cpush.h - parsing of push requests, apart from HTTP so that the fuzzer
 * (tests/fuzz) drives exactly the code the server runs. Pull requests and
 * every answer envelope are in sync/wire/vp_envelope.h.
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
 * an element is not an object with a UUID "id"; too large above
 * VP_PUSH_MAX_RECORDS records. Otherwise every record is validated with
 * vp_record_from_json(): valid ones get their canonical hash, invalid ones a
 * reason. On CPUSH_OK *items (n of them, at least one slot) is malloc'ed and
 * the caller frees it. */
enum cpush_parse cpush_parse(const char *body, size_t len, const struct vp_catalog *cat,
                             struct cstore_item **items, size_t *n);

#endif
