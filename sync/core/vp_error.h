/*
 * vp_error.h - the one result type of vindplaats.
 *
 * Every fallible function returns a vp_result; VP_OK is zero so callers can
 * write `if(!res)`. The codes name what went wrong in words a caller can act
 * on (retry, tell the user, give up); they are not SQLite or curl codes.
 * Out of memory is not a result: it aborts (see vp_alloc.h).
 *
 * We deliberately use one enum for every layer: the layers are thin and
 * translating between near-identical enums would only add code. The message a
 * user sees is built at the edge with vp_result_message() (Dutch or English).
 */
#ifndef VP_ERROR_H
#define VP_ERROR_H

typedef enum vp_result {
    VP_OK = 0,
    VP_ERR_INVALID,    /* the input breaks a rule (bad value, malformed text) */
    VP_ERR_NOT_FOUND,  /* the thing asked for does not exist */
    VP_ERR_CONSTRAINT, /* the change would break the data's rules (duplicate, dangling ref) */
    VP_ERR_FULL,       /* disk or database is full; nothing was changed */
    VP_ERR_CORRUPT,    /* a file is damaged or not what it should be */
    VP_ERR_TOO_NEW,    /* data was written by a newer version of this program */
    VP_ERR_BUSY,       /* another writer held the lock for too long */
    VP_ERR_IO,         /* the operating system refused a read or write */
    VP_ERR_AUTH,       /* wrong PIN, password or token */
    VP_ERR_LOCKED_OUT, /* too many wrong attempts; wait */
    VP_ERR_NETWORK,    /* no connection, timeout, reset: outcome unknown */
    VP_ERR_TLS,        /* certificate or pinned key did not match */
    VP_ERR_SERVER,     /* the server answered with an error of its own */
    VP_ERR_REFUSED,    /* the server refused the request (4xx) */
    VP_ERR_INTERNAL,   /* a bug: an invariant did not hold */
    VP_ERR_EXISTS,     /* a name, email or id that must be unique is taken */
    VP_RESULT_COUNT
} vp_result;

/* Short, stable English name of a result ("full"), for logs and JSON. */
const char *vp_result_name(vp_result res);

/* One plain sentence for a person, in the current language (vp_i18n). */
const char *vp_result_message(vp_result res);

#endif
