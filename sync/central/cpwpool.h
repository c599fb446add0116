/*
 * cpwpool.h - a small, bounded pool of worker threads for work that must
 * never run on a request thread: password hashing (argon2id, 64 MiB, about
 * a tenth of a second of one core each). A fixed number of workers and a
 * fixed queue: when the queue is full, cpwpool_submit() refuses at once and
 * the caller answers 429, so a login flood costs at most `workers` cores and
 * `workers` x 64 MiB, and never a request thread. The workers run at nice
 * 10: when cores are scarce, the request threads (tablets) go first.
 */
#ifndef CPWPOOL_H
#define CPWPOOL_H
#include <stdbool.h>
#include <stddef.h>

struct cpwpool;

/* A job: run(arg) on a worker. run is responsible for arg (frees it or hands
 * it on, e.g. resumes the connection that waits for it). */
typedef void (*cpwpool_fn)(void *arg);

/* Starts workers threads (>= 1) with room for queue_max waiting jobs. */
struct cpwpool *cpwpool_new(unsigned workers, size_t queue_max);
/* Finishes every queued job, then stops the workers and frees the pool. */
void cpwpool_free(struct cpwpool *p);

/* Reserves a place in the queue: false (nothing reserved) when queue_max
 * jobs already wait or are reserved, or the pool is closed. Every true is
 * followed by exactly one cpwpool_submit(). Reserving first lets a caller
 * get ready for the job (suspend its connection) before a worker can run it. */
bool cpwpool_reserve(struct cpwpool *p);
/* Queues run(arg) in a place reserved before. */
void cpwpool_submit(struct cpwpool *p, cpwpool_fn run, void *arg);
/* No new reservations from now on (cpwpool_reserve() answers false). */
void cpwpool_close(struct cpwpool *p);
/* Waits (at most wait_ms) until no job is reserved, queued or running; true
 * if the pool is idle. */
bool cpwpool_drain(struct cpwpool *p, int wait_ms);

/* The default number of workers for this machine: half the cores, at least
 * one and at most two, so request threads keep a core of their own. */
unsigned cpwpool_default_workers(void);

#endif
