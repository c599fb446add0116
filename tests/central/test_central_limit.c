/*
 * test_central_limit.c - the throttles and the password pool on their own
 * (climit.h, cpwpool.h), with a fake clock: taking is one atomic step, a
 * full table never evicts a key that remembers something, the hash is keyed;
 * the pool is bounded and refuses at once when full (issue 10, finding 5).
 */
#include "climit.h"
#include "cpwpool.h"
#include "vp_core.h"
#include "vp_test.h"
#include "vp_time.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static const unsigned char secret[32] = "0123456789abcdef0123456789abcde";

struct taker {
    struct climit *l;
    pthread_barrier_t *go;
    atomic_int *granted;
};

static void *take_once(void *arg)
{
    struct taker *t = arg;
    pthread_barrier_wait(t->go);
    if (climit_take(t->l, "coach@example.org", 1000) == 0)
        atomic_fetch_add(t->granted, 1);
    return NULL;
}

static void test_forty_parallel_takes_grant_exactly_the_burst(void)
{
    struct climit *l = climit_new(1.0 / 60.0, 5, secret);
    pthread_t th[40];
    pthread_barrier_t go;
    atomic_int granted = 0;
    struct taker t = { l, &go, &granted };
    pthread_barrier_init(&go, NULL, 40);
    for (int i = 0; i < 40; i++)
        pthread_create(&th[i], NULL, take_once, &t);
    for (int i = 0; i < 40; i++)
        pthread_join(th[i], NULL);
    CHECK_INT_EQ(atomic_load(&granted), 5);
    /* a minute later exactly one more */
    CHECK_INT_EQ(climit_take(l, "coach@example.org", 1000 + 60000), 0);
    CHECK(climit_take(l, "coach@example.org", 1000 + 60000) > 0);
    pthread_barrier_destroy(&go);
    climit_free(l);
}

static void test_give_returns_a_token_but_never_above_the_burst(void)
{
    struct climit *l = climit_new(1.0 / 60.0, 2, secret);
    CHECK_INT_EQ(climit_take(l, "k", 0), 0);
    CHECK_INT_EQ(climit_take(l, "k", 0), 0);
    CHECK(climit_take(l, "k", 0) >= 59); /* wait a minute for the next */
    climit_give(l, "k", 0);
    CHECK_INT_EQ(climit_take(l, "k", 0), 0);
    climit_give(l, "k", 0);
    climit_give(l, "k", 0);
    climit_give(l, "k", 0); /* three back, only two fit */
    CHECK_INT_EQ(climit_take(l, "k", 0), 0);
    CHECK_INT_EQ(climit_take(l, "k", 0), 0);
    CHECK(climit_take(l, "k", 0) > 0);
    climit_free(l);
}

static void test_flood_of_new_keys_never_evicts_a_locked_one(void)
{
    struct climit *l = climit_new(1.0 / 60.0, 5, secret);
    char key[64];
    int refused = 0;
    for (int i = 0; i < 5; i++)
        climit_take(l, "victim@example.org", 0);
    CHECK(climit_take(l, "victim@example.org", 0) > 0); /* locked */
    /* 100,000 other keys, each failing once (a bucket that is not full) */
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof(key), "attacker-%d@example.org", i);
        if (climit_take(l, key, 1) != 0)
            refused++;
    }
    /* the table (8192 slots) filled up: new keys were refused, not let in */
    CHECK(refused > 100000 - 8192);
    /* and the victim is still locked: no fresh five guesses */
    CHECK(climit_take(l, "victim@example.org", 2) > 0);
    /* once the buckets have refilled, new keys find room again */
    CHECK_INT_EQ(climit_take(l, "newcomer@example.org", 10 * 60000), 0);
    climit_free(l);
}

static void test_reset_forgets_a_key(void)
{
    struct climit *l = climit_new(1.0 / 60.0, 1, secret);
    CHECK_INT_EQ(climit_take(l, "a", 0), 0);
    CHECK(climit_take(l, "a", 0) > 0);
    climit_reset(l, "a");
    CHECK_INT_EQ(climit_take(l, "a", 0), 0);
    climit_free(l);
}

/* The old table (FNV-1a) let anyone compute e-mails that share one slot
 * window. Now the slot depends on the secret: keys crafted to share the
 * victim's window under one secret are scattered under another, and even
 * with the secret they fill the window without evicting the locked key. */
static void test_crafted_collisions_need_the_secret_and_evict_nothing(void)
{
    static const unsigned char other[32] = "another secret, another table..";
    struct climit *a = climit_new(1.0 / 60.0, 1, secret);
    struct climit *b = climit_new(1.0 / 60.0, 1, other);
    uint32_t target = climit_slot(a, "victim@example.org");
    char keys[80][32];
    int n = 0, same_in_b = 0, refused = 0;
    for (long i = 0; n < 80 && i < 50000000L; i++) {
        snprintf(keys[n], sizeof(keys[n]), "x%ld@example.org", i);
        if (climit_slot(a, keys[n]) == target)
            n++;
    }
    CHECK_INT_EQ(n, 80);
    for (int i = 0; i < n; i++)
        if (climit_slot(b, keys[i]) == climit_slot(b, "victim@example.org"))
            same_in_b++;
    CHECK(same_in_b <= 3); /* by chance 80/8192 each: a handful at most */
    /* with the secret known: the victim is locked, 80 crafted failures follow */
    CHECK_INT_EQ(climit_take(a, "victim@example.org", 0), 0);
    for (int i = 0; i < n; i++)
        if (climit_take(a, keys[i], 1) != 0)
            refused++;
    CHECK(refused >= 80 - 63); /* the window holds 64 slots, the victim has one */
    CHECK(climit_take(a, "victim@example.org", 2) > 0);
    climit_free(a);
    climit_free(b);
}

/* ---- the pool ---- */

static atomic_int ran;
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;

static void slow_job(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&gate); /* held by the test while it fills the queue */
    pthread_mutex_unlock(&gate);
    atomic_fetch_add(&ran, 1);
}

static void test_pool_refuses_at_once_when_full_and_runs_every_job(void)
{
    struct cpwpool *p = cpwpool_new(1, 3);
    int accepted = 0;
    int64_t t0;
    atomic_store(&ran, 0);
    pthread_mutex_lock(&gate);
    t0 = vp_mono_ms();
    for (int i = 0; i < 10; i++) {
        if (cpwpool_reserve(p)) {
            cpwpool_submit(p, slow_job, NULL);
            accepted++;
        }
        usleep(20000); /* the worker picks up the first job meanwhile */
    }
    /* one running plus three waiting; the other six refused without waiting */
    CHECK_INT_EQ(accepted, 4);
    CHECK(vp_mono_ms() - t0 < 2000);
    pthread_mutex_unlock(&gate);
    CHECK(cpwpool_drain(p, 5000));
    CHECK_INT_EQ(atomic_load(&ran), 4);
    cpwpool_close(p);
    CHECK(!cpwpool_reserve(p));
    cpwpool_free(p);
}

int main(void)
{
    vp_core_init();
    VP_TEST(test_forty_parallel_takes_grant_exactly_the_burst);
    VP_TEST(test_give_returns_a_token_but_never_above_the_burst);
    VP_TEST(test_flood_of_new_keys_never_evicts_a_locked_one);
    VP_TEST(test_reset_forgets_a_key);
    VP_TEST(test_crafted_collisions_need_the_secret_and_evict_nothing);
    VP_TEST(test_pool_refuses_at_once_when_full_and_runs_every_job);
    return vp_test_done();
}
