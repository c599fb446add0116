/*
 * climit.c - token buckets in one fixed open-addressed table: a key's slot
 * is somewhere in the PROBE slots after hash(key) % SLOTS.
 */
#include "climit.h"
#include "vp_alloc.h"
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 8192
#define PROBE 64

struct slot {
    uint64_t id; /* keyed hash of the key; 0 = free */
    double tokens;
    int64_t at_ms; /* when tokens was computed */
};

struct climit {
    double rate, burst;
    unsigned char hkey[crypto_shorthash_KEYBYTES];
    pthread_mutex_t lock;
    struct slot *slots;
};

struct climit *climit_new(double rate, double burst, const unsigned char *secret)
{
    static const char context[] = "vindplaats climit";
    struct climit *l = vp_xcalloc(1, sizeof(*l));
    l->rate = rate;
    l->burst = burst;
    l->slots = vp_xcalloc(SLOTS, sizeof(struct slot));
    if (secret)
        crypto_generichash(l->hkey, sizeof(l->hkey), (const unsigned char *)context,
                           sizeof(context) - 1, secret, 32);
    else
        randombytes_buf(l->hkey, sizeof(l->hkey));
    pthread_mutex_init(&l->lock, NULL);
    return l;
}

void climit_free(struct climit *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    sodium_memzero(l->hkey, sizeof(l->hkey));
    free(l->slots);
    free(l);
}

static uint64_t key_id(const struct climit *l, const char *key)
{
    unsigned char h[crypto_shorthash_BYTES];
    uint64_t id;
    crypto_shorthash(h, (const unsigned char *)key, strlen(key), l->hkey);
    memcpy(&id, h, sizeof(id));
    return id ? id : 1;
}

static double level(const struct climit *l, const struct slot *s, int64_t now)
{
    double t = s->tokens + (double)(now - s->at_ms) * l->rate / 1000.0;
    return t > l->burst ? l->burst : t;
}

static int wait_s(const struct climit *l, double missing)
{
    int w = (int)ceil(missing / l->rate);
    return w < 1 ? 1 : w;
}

/* The key's slot refilled to now; a new key gets a free slot or one whose
 * bucket is full again (it remembers nothing). NULL when there is none;
 * *wait then says when one of them will be full. */
static struct slot *find(struct climit *l, uint64_t id, int64_t now, int *wait)
{
    struct slot *spare = NULL;
    double most = 0;
    for (int i = 0; i < PROBE; i++) {
        struct slot *s = &l->slots[(id + (uint64_t)i) % SLOTS];
        double t = s->id ? level(l, s, now) : l->burst;
        if (s->id == id) {
            s->tokens = t;
            s->at_ms = now;
            return s;
        }
        if (!spare && t >= l->burst)
            spare = s;
        if (t > most)
            most = t;
    }
    if (!spare) {
        *wait = wait_s(l, l->burst - most);
        return NULL;
    }
    spare->id = id;
    spare->tokens = l->burst;
    spare->at_ms = now;
    return spare;
}

int climit_take(struct climit *l, const char *key, int64_t now_ms)
{
    uint64_t id = key_id(l, key);
    struct slot *s;
    int wait = 0;
    pthread_mutex_lock(&l->lock);
    s = find(l, id, now_ms, &wait);
    if (s && s->tokens >= 1.0)
        s->tokens -= 1.0;
    else if (s)
        wait = wait_s(l, 1.0 - s->tokens);
    pthread_mutex_unlock(&l->lock);
    return wait;
}

void climit_give(struct climit *l, const char *key, int64_t now_ms)
{
    uint64_t id = key_id(l, key);
    int wait = 0;
    struct slot *s;
    pthread_mutex_lock(&l->lock);
    s = find(l, id, now_ms, &wait);
    if (s)
        s->tokens = s->tokens + 1.0 > l->burst ? l->burst : s->tokens + 1.0;
    pthread_mutex_unlock(&l->lock);
}

void climit_reset(struct climit *l, const char *key)
{
    uint64_t id = key_id(l, key);
    pthread_mutex_lock(&l->lock);
    for (int i = 0; i < PROBE; i++) {
        struct slot *s = &l->slots[(id + (uint64_t)i) % SLOTS];
        if (s->id == id) {
            s->id = 0;
            break;
        }
    }
    pthread_mutex_unlock(&l->lock);
}

uint32_t climit_slot(const struct climit *l, const char *key)
{
    return (uint32_t)(key_id(l, key) % SLOTS);
}
