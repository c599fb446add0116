/*
 * ctu.h - helpers shared by the central service's tests: talking to a real
 * server (enrol, push, pull, coach login), building records, and reading
 * the server's database afterwards (read-only, next to the running server).
 */
#ifndef CTU_H
#define CTU_H
#include "central_proc.h"
#include <jansson.h>
#include <stdint.h>

/* Enrols with code; fills token (64) and device_id (40). Returns the status. */
long ctu_enroll(const char *url, const char *code, char *token, char *device_id);
/* A new enrolment code for location through the command line ("" on failure). */
void ctu_code(const char *dir, const char *location_id, char code[16]);

/* POST /api/v1/sync/push of {"records": records} (steals records). Returns the
 * status; *answer (if not NULL) is the parsed body (caller decrefs). */
long ctu_push(const char *url, const char *token, json_t *records, json_t **answer);
/* GET /api/v1/sync/pull?since=&limit= ; same conventions. */
long ctu_pull(const char *url, const char *token, int64_t since, int limit, json_t **answer);
/* POST /api/v1/sync/pull (protocol 2) with request as the body (steals it). */
long ctu_pull_post(const char *url, const char *token, json_t *request, json_t **answer);
/* The status of results[i] of a push answer ("" if missing). */
const char *ctu_result(json_t *answer, size_t i);

/* A valid observation record (new UUIDv7 id) naming child and staff. */
json_t *ctu_observation(const char *child_id, const char *staff_id, int level);
/* A child revision (new id) for child_id in group_id. */
json_t *ctu_child(const char *child_id, const char *group_id, const char *first_name);
/* A fresh UUIDv7 text. */
void ctu_uuid(char out[40]);

/* The first text column of the first row of sql on DIR/central.db, or "". */
void ctu_db_text(const char *dir, const char *sql, char *out, size_t size);
/* The first integer of the first row of sql, or -1. */
int64_t ctu_db_int(const char *dir, const char *sql);
/* Runs sql (a write) on the database; 0 on success. */
int ctu_db_exec(const char *dir, const char *sql);

/* Logs a coach in: cookie ("vp_session=...") and csrf (64 bytes each).
 * Returns the status. */
long ctu_login(const char *url, const char *email, const char *password, char *cookie, char *csrf);
/* A coach request with cookie (and csrf for non-GET). body may be NULL. */
long ctu_coach(const char *url, const char *method, const char *path, const char *cookie,
               const char *csrf, const char *body, struct central_http *out);

/* Appends every row of every table of the database except those in skip
 * (NULL-terminated list), sorted, to out as text: compare two dumps to see
 * whether anything changed. A table added by a later migration is in the
 * dump without anyone listing it. 0 on success. */
int ctu_db_dump(const char *dir, const char *const skip[], struct vp_buf *out);
/* What a refused request may still change: the audit log and sessions. */
extern const char *const ctu_volatile_tables[];

/* Two locations for access tests, after central_proc_demo(): "own" (A) and
 * "foreign" (F), each with an enrolled tablet that pushed one observation,
 * a case and advice on the foreign child (by the demo coach), and three
 * accounts made through the admin API: coach X (A), admin Y (A) and coach
 * Z (F), all with password CTU_PASSWORD. Cookies and CSRF tokens of X and
 * Y are filled in by ctu_world_login(). */
#define CTU_PASSWORD "een-goed-wachtwoord"
struct ctu_world {
    const char *url, *dir;
    char demo_cookie[64], demo_csrf[64];
    char own[40], foreign[40], foreign_name[64], org[64];
    char own_token[64], own_device[40], foreign_token[64], foreign_device[40];
    char own_child[40], foreign_child[40], own_signal[40], foreign_signal[40];
    char coach_x[40], admin_y[40], coach_z[40];
    char x_cookie[64], x_csrf[64], y_cookie[64], y_csrf[64];
};
/* Builds the world; own and foreign are demo location indexes. 0 on success
 * (a reason on stderr otherwise). */
int ctu_world_make(struct ctu_world *w, const char *url, const char *dir,
                   const struct central_demo_location *locs, const char *demo_password, int own,
                   int foreign);
/* Logs X and Y in again (after a logout, say). 0 on success. */
int ctu_world_login(struct ctu_world *w);

#endif
