/*
 * climit.h - token buckets by key (device id, client address, account), for
 * request rate limits and login throttling. Thread-safe; memory is fixed
 * (a full table forgets the keys that are back at a full bucket first, so a
 * flood of new keys cannot evict a throttled one cheaply).
 */
#ifndef CLIMIT_H
#define CLIMIT_H
#include <stdint.h>

struct climit;

/* rate: tokens added per second; burst: bucket size (and the start). */
struct climit *climit_new(double rate, double burst);
void climit_free(struct climit *l);

/* Takes one token for key: 0 if there was one, else the whole seconds (>= 1)
 * to wait before the next one (nothing is taken then). */
int climit_take(struct climit *l, const char *key, int64_t now_ms);
/* Like climit_take without taking: 0 if a token is available. */
int climit_peek(struct climit *l, const char *key, int64_t now_ms);
/* Forgets key (a full bucket again), e.g. after a successful login. */
void climit_reset(struct climit *l, const char *key);

#endif
