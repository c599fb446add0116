/*
 * cwatch.c - the connection watchdog: a list of open connections under one
 * mutex and one thread that walks it every TICK_MS.
 */
#include "cwatch.h"
#include "vp_alloc.h"
#include "vp_log.h"
#include "vp_str.h"
#include "vp_time.h"
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define TICK_MS 250

struct cwatch_conn {
    struct cwatch_conn *prev, *next;
    int fd;
    enum cwatch_phase phase;
    int64_t since_ms;
    bool cut;
    char addr[48];
};

struct cwatch {
    struct cwatch_limits lim;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct cwatch_conn *head;
    bool stopping;
    pthread_t thread;
};

static const char *const phase_names[CWATCH_NPHASES] = { "headers", "body", "work", "answer" };

/* Shuts down every connection past its deadline (lock held). */
static void sweep(struct cwatch *w, int64_t now)
{
    for (struct cwatch_conn *c = w->head; c; c = c->next) {
        int64_t limit = w->lim.ms[c->phase];
        if (c->cut || !limit || now - c->since_ms < limit)
            continue;
        c->cut = true;
        shutdown(c->fd, SHUT_RDWR);
        vp_info("http: closed a connection from %s: %s not complete within %lld ms", c->addr,
                phase_names[c->phase], (long long)limit);
    }
}

static void *watch(void *arg)
{
    struct cwatch *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        struct timespec until;
        sweep(w, vp_mono_ms());
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!w->stopping && pthread_cond_timedwait(&w->wake, &w->lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct cwatch *cwatch_new(const struct cwatch_limits *lim)
{
    struct cwatch *w = vp_xcalloc(1, sizeof(*w));
    pthread_condattr_t attr;
    w->lim = *lim;
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&w->thread, NULL, watch, w) != 0)
        abort(); /* out of threads at start */
    return w;
}

void cwatch_free(struct cwatch *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    while (w->head) {
        struct cwatch_conn *c = w->head;
        w->head = c->next;
        free(c);
    }
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

struct cwatch_conn *cwatch_open(struct cwatch *w, int fd, const char *addr)
{
    struct cwatch_conn *c = vp_xcalloc(1, sizeof(*c));
    c->fd = fd;
    c->phase = CWATCH_HEADERS;
    c->since_ms = vp_mono_ms();
    vp_strlcpy(c->addr, addr, sizeof(c->addr));
    pthread_mutex_lock(&w->lock);
    c->next = w->head;
    if (w->head)
        w->head->prev = c;
    w->head = c;
    pthread_mutex_unlock(&w->lock);
    return c;
}

void cwatch_close(struct cwatch *w, struct cwatch_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&w->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        w->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&w->lock);
    free(c);
}

void cwatch_phase(struct cwatch *w, struct cwatch_conn *c, enum cwatch_phase ph)
{
    int64_t now = vp_mono_ms();
    if (!c)
        return;
    pthread_mutex_lock(&w->lock);
    c->phase = ph;
    c->since_ms = now;
    pthread_mutex_unlock(&w->lock);
}
