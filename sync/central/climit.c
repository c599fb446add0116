#include "climit.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS   8192
#define PROBE   32
#define KEY_LEN 72

struct slot {
    char key[KEY_LEN];
    double tokens;
    int64_t at_ms; /* when tokens was computed */
};

struct climit {
    double rate, burst;
    pthread_mutex_t lock;
    struct slot *slots;
};

struct climit *climit_new(double rate, double burst)
{
    struct climit *l = vp_xcalloc(1, sizeof(*l));
    l->rate = rate;
    l->burst = burst;
    l->slots = vp_xcalloc(SLOTS, sizeof(struct slot));
    pthread_mutex_init(&l->lock, NULL);
    return l;
}

void climit_free(struct climit *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l->slots);
    free(l);
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static double level(const struct climit *l, const struct slot *s, int64_t now)
{
    double t = s->tokens + (double)(now - s->at_ms) * l->rate / 1000.0;
    return t > l->burst ? l->burst : t;
}

/* The key's slot (refilled to now), claiming a free or full one if new. */
static struct slot *find(struct climit *l, const char *key, int64_t now)
{
    uint32_t h = hash(key);
    struct slot *spare = NULL, *oldest = NULL;
    for (int i = 0; i < PROBE; i++) {
        struct slot *s = &l->slots[(h + (uint32_t)i) % SLOTS];
        if (!strcmp(s->key, key)) {
            s->tokens = level(l, s, now);
            s->at_ms = now;
            return s;
        }
        if (!spare && (!s->key[0] || level(l, s, now) >= l->burst))
            spare = s;
        if (!oldest || s->at_ms < oldest->at_ms)
            oldest = s;
    }
    if (!spare)
        spare = oldest;
    vp_strlcpy(spare->key, key, sizeof(spare->key));
    spare->tokens = l->burst;
    spare->at_ms = now;
    return spare;
}

static int wait_s(const struct climit *l, double tokens)
{
    double secs = (1.0 - tokens) / l->rate;
    int w = (int)ceil(secs);
    return w < 1 ? 1 : w;
}

static int use(struct climit *l, const char *key, int64_t now, bool take)
{
    struct slot *s;
    int wait = 0;
    pthread_mutex_lock(&l->lock);
    s = find(l, key, now);
    if (s->tokens >= 1.0) {
        if (take)
            s->tokens -= 1.0;
    } else {
        wait = wait_s(l, s->tokens);
    }
    pthread_mutex_unlock(&l->lock);
    return wait;
}

int climit_take(struct climit *l, const char *key, int64_t now_ms)
{
    return use(l, key, now_ms, true);
}

int climit_peek(struct climit *l, const char *key, int64_t now_ms)
{
    return use(l, key, now_ms, false);
}

void climit_reset(struct climit *l, const char *key)
{
    uint32_t h = hash(key);
    pthread_mutex_lock(&l->lock);
    for (int i = 0; i < PROBE; i++) {
        struct slot *s = &l->slots[(h + (uint32_t)i) % SLOTS];
        if (!strcmp(s->key, key)) {
            s->key[0] = '\0';
            break;
        }
    }
    pthread_mutex_unlock(&l->lock);
}
