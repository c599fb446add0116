/*
 * cstore_console_int.h - what the console's store files share (not part of
 * the store interface).
 */
#ifndef CSTORE_CONSOLE_INT_H
#define CSTORE_CONSOLE_INT_H
#include "cstore_console.h"
#include "cstore_int.h"

/* The calling thread's connection, with the console's tables made sure of. */
struct cconn *ccon_conn(struct cstore *st, vp_result *res);
/* Sets key to the column's time as RFC 3339 text, or null. */
void ccon_put_time(json_t *o, const char *key, sqlite3_stmt *s, int col);
/* The true median of v[0..n) (sorts v): the middle value, or the mean of
 * the two middle values; false when n is 0. */
bool ccon_median(int *v, size_t n, double *out);
/* cstore_console_inbox() with any limit (exports). */
vp_result cstore_console_inbox_all(struct cstore *st, const char *coach_id,
                                   const struct ccon_filter *f, int64_t now_ms, int limit,
                                   json_t **out);
bool ccon_is_admin(struct cconn *c, const char *coach_id);

#endif
