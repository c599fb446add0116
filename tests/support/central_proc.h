/*
 * central_proc.h - run a real vindplaats-central for tests of any area.
 *
 *     struct central_proc p;
 *     struct central_demo_location locs[8];
 *     char pw[64];
 *     int n = central_proc_demo(dir, locs, 8, pw);      // before or after start
 *     central_proc_start(&p, dir, NULL, NULL);          // serve on 127.0.0.1:0
 *     ... p.url is "http://127.0.0.1:PORT" ...
 *     central_proc_kill(&p);                            // kill -9
 *     central_proc_restart(&p);                         // same dir, env, args
 *     central_proc_stop(&p);                            // SIGTERM, returns exit status
 *
 * The binary is $VP_CENTRAL_BIN if set, else the path compiled in (the
 * vindplaats-central target of this build). The server's stderr goes to the
 * test's stderr. Link the CMake target vp_central_proc.
 *
 * central_http() is a small blocking libcurl client for API tests.
 */
#ifndef CENTRAL_PROC_H
#define CENTRAL_PROC_H
#include "vp_buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CENTRAL_PROC_MAX_ENV  8
#define CENTRAL_PROC_MAX_ARGS 8

struct central_proc {
    pid_t pid; /* 0 when not running */
    int port;
    char url[64];
    char data_dir[512];
    int out_fd; /* the server's stdout (kept open while it runs) */
    char env[CENTRAL_PROC_MAX_ENV][256];
    int nenv;
    char args[CENTRAL_PROC_MAX_ARGS][256];
    int nargs;
};

const char *central_proc_binary(void);

/* Starts `serve --data DIR --listen 127.0.0.1:0 ARGS...` with the extra
 * environment ("NAME=value", NULL-terminated list, may be NULL), waits for
 * the "listening on" line and for /healthz. 0 on success, -1 on failure
 * (a reason on stderr). */
int central_proc_start(struct central_proc *p, const char *data_dir, const char *const env[],
                       const char *const args[]);
/* Starts it again with the same data folder, environment and arguments.
 * env may replace the environment (NULL keeps it). A new port is picked. */
int central_proc_restart(struct central_proc *p, const char *const env[]);
/* SIGTERM and wait (at most 15 s, then SIGKILL). Returns the exit status, or
 * -1 if it had to be killed or died of a signal. */
int central_proc_stop(struct central_proc *p);
/* SIGKILL and wait. */
void central_proc_kill(struct central_proc *p);
/* True once GET /healthz answers 200 (polls until timeout_ms). */
bool central_proc_wait_healthy(const struct central_proc *p, int timeout_ms);

/* Runs `vindplaats-central ARGV... --data DIR` (argv is NULL-terminated, the
 * command first), feeding stdin_text (may be NULL) and appending its stdout
 * to out (may be NULL). Returns the exit status (-1 if it could not run). */
int central_proc_run(const char *data_dir, const char *const argv[], const char *stdin_text,
                     struct vp_buf *out);

struct central_demo_location {
    char id[40];
    char code[16];
    char name[64];
};

/* Runs `demo` and parses its LOCATION_ID<TAB>CODE<TAB>NAME lines into out (at
 * most max) and the coach's password (if password is not NULL, 64 bytes).
 * Returns the number of locations, or -1. */
int central_proc_demo(const char *data_dir, struct central_demo_location *out, int max,
                      char *password);

/* ---- a small HTTP client ---- */

struct central_http {
    long status; /* 0 when the request failed (connection refused, reset, timeout) */
    struct vp_buf body;
    struct vp_buf headers; /* raw response header lines */
};

/* method, base url ("http://127.0.0.1:PORT") + path; headers a NULL-terminated
 * list of "Name: value" (may be NULL); body may be NULL. timeout_ms 0 = 30 s.
 * Returns 0 if an HTTP answer arrived, -1 otherwise (out->status 0). */
int central_http(const char *method, const char *base, const char *path,
                 const char *const headers[], const void *body, size_t len, int timeout_ms,
                 struct central_http *out);
void central_http_release(struct central_http *r);
/* The value of a response header (case-insensitive name) copied into buf,
 * or NULL if absent. */
const char *central_http_header(const struct central_http *r, const char *name, char *buf,
                                size_t size);

#endif
