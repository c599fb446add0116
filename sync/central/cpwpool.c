/*
 * cpwpool.c - the workers: a ring of waiting jobs under one mutex, one
 * condition for "work queued" and one for "a job finished".
 */
#include "cpwpool.h"
#include "vp_alloc.h"
#include "vp_log.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WORKER_NICE 10

struct job {
    cpwpool_fn run;
    void *arg;
};

struct cpwpool {
    pthread_mutex_t lock;
    pthread_cond_t work, idle;
    struct job *ring;
    size_t cap, head, len, reserved;
    unsigned nthreads, running;
    bool closed, stopping;
    pthread_t *threads;
};

static void *worker(void *arg)
{
    struct cpwpool *p = arg;
    /* below the request threads: when a core is scarce, tablets go first
     * (on Linux a thread's nice value is its own) */
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WORKER_NICE) != 0)
        vp_debug("password pool: could not lower the workers' priority");
    pthread_mutex_lock(&p->lock);
    for (;;) {
        struct job j;
        while (!p->len && !p->stopping)
            pthread_cond_wait(&p->work, &p->lock);
        if (!p->len)
            break; /* stopping and nothing left */
        j = p->ring[p->head];
        p->head = (p->head + 1) % p->cap;
        p->len--;
        p->running++;
        pthread_mutex_unlock(&p->lock);
        j.run(j.arg);
        pthread_mutex_lock(&p->lock);
        p->running--;
        if (!p->len && !p->running && !p->reserved)
            pthread_cond_broadcast(&p->idle);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

struct cpwpool *cpwpool_new(unsigned workers, size_t queue_max)
{
    struct cpwpool *p = vp_xcalloc(1, sizeof(*p));
    p->nthreads = workers ? workers : 1;
    p->cap = queue_max ? queue_max : 1;
    p->ring = vp_xcalloc(p->cap, sizeof(*p->ring));
    p->threads = vp_xcalloc(p->nthreads, sizeof(*p->threads));
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->idle, NULL);
    for (unsigned i = 0; i < p->nthreads; i++)
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
            abort(); /* out of threads at start: nothing sensible to do */
    return p;
}

void cpwpool_free(struct cpwpool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->closed = p->stopping = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->idle);
    pthread_mutex_destroy(&p->lock);
    free(p->threads);
    free(p->ring);
    free(p);
}

bool cpwpool_reserve(struct cpwpool *p)
{
    bool ok;
    pthread_mutex_lock(&p->lock);
    ok = !p->closed && p->len + p->reserved < p->cap;
    if (ok)
        p->reserved++;
    pthread_mutex_unlock(&p->lock);
    return ok;
}

void cpwpool_submit(struct cpwpool *p, cpwpool_fn run, void *arg)
{
    pthread_mutex_lock(&p->lock);
    p->reserved--;
    p->ring[(p->head + p->len) % p->cap] = (struct job){ run, arg };
    p->len++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->lock);
}

void cpwpool_close(struct cpwpool *p)
{
    pthread_mutex_lock(&p->lock);
    p->closed = true;
    pthread_mutex_unlock(&p->lock);
}

bool cpwpool_drain(struct cpwpool *p, int wait_ms)
{
    struct timespec until;
    bool idle;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->lock);
    while ((p->len || p->running || p->reserved) &&
           pthread_cond_timedwait(&p->idle, &p->lock, &until) != ETIMEDOUT)
        ;
    idle = !p->len && !p->running && !p->reserved;
    pthread_mutex_unlock(&p->lock);
    return idle;
}

unsigned cpwpool_default_workers(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 4)
        return 1;
    return 2;
}
