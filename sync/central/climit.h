/*
 * climit.h - token buckets by key (device id, client address, account), for
 * request rate limits and login throttling. Thread-safe; memory is fixed.
 *
 * Keys are never stored: a slot holds a SipHash of the key under a secret
 * (the server's key), so nobody can pick keys that land in one slot. A full
 * table never evicts a key that still remembers something (a bucket that is
 * not full): a new key that finds no room is refused like a throttled one,
 * until a neighbour's bucket has refilled.
 *
 * climit_take() checks and records in one step. A caller that wants "only
 * failures count" takes first and gives the token back on success: there is
 * no separate check, so parallel requests cannot all pass it.
 */
#ifndef CLIMIT_H
#define CLIMIT_H
#include <stdint.h>

struct climit;

/* rate: tokens added per second; burst: bucket size (and the start).
 * secret: 32 bytes that key the hash (NULL: a random key for this process). */
struct climit *climit_new(double rate, double burst, const unsigned char *secret);
void climit_free(struct climit *l);

/* Takes one token for key: 0 if there was one, else the whole seconds (>= 1)
 * to wait before the next one (nothing is taken then; also when the table
 * has no room for a new key). */
int climit_take(struct climit *l, const char *key, int64_t now_ms);
/* Gives back a token taken by climit_take (never above the burst), e.g. when
 * the attempt it paid for did not happen or did not count. */
void climit_give(struct climit *l, const char *key, int64_t now_ms);
/* Forgets key (a full bucket again), e.g. after a successful login. */
void climit_reset(struct climit *l, const char *key);

/* Where key's window of slots starts (for tests: it depends on the secret). */
uint32_t climit_slot(const struct climit *l, const char *key);

#endif
