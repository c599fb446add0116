/*
 * world.h - a small world for the sync fault tests: one real central
 * service (a child process), a fault proxy in front of it, and tablets
 * (device stores in folders) enrolled through the proxy. Restarting the
 * central service on another port only moves the proxy's target, so the
 * tablets' stored server address stays valid.
 */
#ifndef SYNC_WORLD_H
#define SYNC_WORLD_H
#include "devstore.h"
#include "faultproxy.h"
#include "sync_client.h"
#include <stdbool.h>
#include <sys/types.h>

#define WORLD_MAX_TABLETS 4
#define WORLD_MAX_SAVED   4096

struct tablet {
    char *path; /* kiosk.db */
    char location[64];
    char ids[WORLD_MAX_SAVED][VP_UUID_LEN]; /* observations promised to a person */
    int nids;
};

struct world {
    char *dir;
    char *central_data;
    pid_t central_pid;
    int central_port;
    struct faultproxy *proxy;
    char url[64]; /* the proxy's address, what tablets use */
    char loc_id[5][VP_UUID_LEN], loc_code[5][16], loc_name[5][32];
    char coach_email[128], coach_password[64]; /* the demo's coach */
    int nloc;
    struct tablet tab[WORLD_MAX_TABLETS];
    int ntab;
};

/* Creates the folder, runs `demo`, starts the service and the proxy. */
int world_open(struct world *w);
/* Stops everything and removes the folder. */
void world_close(struct world *w);

/* Starts the central service (fault: VP_FAULT value or NULL). */
int world_central_start(struct world *w, const char *fault);
/* SIGTERM and wait (clean); or SIGKILL (crash). */
void world_central_stop(struct world *w);
void world_central_kill(struct world *w);
/* Runs a vindplaats-central subcommand to completion; 0 on exit status 0. */
int world_central_cmd(struct world *w, const char *const argv[]);

/* Enrols a new tablet to location name (a fresh code each time). Returns
 * its index or -1. The fixture adds nothing: staff and children come from
 * the demo data through the first pull. */
int world_tablet_add(struct world *w, const char *location);
/* Saves n observations on tablet t (in-process); each id is remembered. */
int world_save(struct world *w, int t, int n);
/* One sync round of tablet t. */
vp_result world_sync(struct world *w, int t, struct sync_report *rep);

/* The first integer of sql on the centre's database (read-only), or -1. */
int64_t world_central_int(struct world *w, const char *sql);

/* The closing check of every fault test: every remembered observation is
 * at the centre exactly once, the centre has no others from these tablets,
 * nothing a tablet holds as acknowledged is missing there, and every
 * database passes PRAGMA integrity_check. Prints what is wrong; 0 if ok. */
int world_check(struct world *w);

/* Runs argv (a test tool) with extra environment entries, stdout to out_path
 * (or /dev/null); kills it with SIGKILL after kill_after_ms if >= 0.
 * Returns the exit status, or -9 if it was killed. */
int world_run(const char *const argv[], const char *const env[], const char *out_path,
              int kill_after_ms);

#endif
