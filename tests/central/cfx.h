/*
 * cfx.h - a central store opened in-process for store-level tests: one
 * location with a group, three children (Tess, Émile, Zoë), a staff
 * member, a tablet and a coach; helpers to push observations (versions,
 * undo) through cstore_push() exactly as the device API does, and to read
 * every coach view.
 */
#ifndef CFX_H
#define CFX_H
#include "cstore.h"
#include "cstore_console.h"
#include <jansson.h>
#include <stdint.h>

#define CFX_KIDS 3

struct cfx {
    char *dir;
    struct cstore *st;
    struct cstore_location loc;
    struct cstore_device dev;
    struct cstore_coach coach;
    char group[VP_UUID_LEN];
    char kids[CFX_KIDS][VP_UUID_LEN];
    char codes[CFX_KIDS][VP_PSEUDONYM_LEN];
    char staff[VP_UUID_LEN];
    int64_t now; /* the store's clock for pushes and views; tests move it */
};

extern const char *const cfx_names[CFX_KIDS];

/* Opens a fresh store in a temporary folder and seeds it (aborts on failure). */
void cfx_open(struct cfx *f);
/* Closes the store (the folder stays until cfx_close_all). */
void cfx_close(struct cfx *f);
/* Re-opens the same folder. */
void cfx_reopen(struct cfx *f);
void cfx_free(struct cfx *f);

/* An observation of kid k: level, codes "A,B" and note; a new id. */
struct vp_observation cfx_obs(struct cfx *f, int k, int level, const char *codes, const char *note);
/* A correction of prev (new id, corrects prev.id) with level, codes, note. */
struct vp_observation cfx_amend(struct cfx *f, const struct vp_observation *prev, int level,
                                const char *codes, const char *note);
/* The undo of prev (retracted, no codes). */
struct vp_observation cfx_undo(struct cfx *f, const struct vp_observation *prev);
/* Pushes the observations in one batch; statuses[i] gets each status name
 * ("stored", "duplicate", ...). Returns the store's result. */
vp_result cfx_push(struct cfx *f, const struct vp_observation *obs, size_t n,
                   const char *statuses[]);
/* Pushes one; returns its status name ("error" if the push failed). */
const char *cfx_push1(struct cfx *f, const struct vp_observation *o);

/* The coach's inbox with view (new/all/archived), order and since (0 = any). */
json_t *cfx_inbox(struct cfx *f, enum ccon_view view, enum ccon_order order, int64_t since);
/* The coach's child page of kid k. */
json_t *cfx_child(struct cfx *f, int k);
/* One integer of SQL on the store's connection (-1 on error). */
int64_t cfx_sql_int(struct cfx *f, const char *sql);
/* Runs SQL on the store's connection; 0 on success. */
int cfx_sql(struct cfx *f, const char *sql);

#endif
