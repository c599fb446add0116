/*
 * chttp.h - the central service's HTTP server on libmicrohttpd: an internal
 * thread pool with epoll, bodies collected per connection with a hard cap,
 * gzip bodies decoded with a cap, a caller-owned route table, JSON errors,
 * security headers on every answer, and a clean stop.
 *
 * Handlers run on the pool's threads only after the whole request body has
 * arrived. A handler fills a struct chttp_resp; the server queues it.
 *
 * Routes: the application owns a struct chttp_router, fills it at start
 * (croutes.c) and hands it to chttp_start() in the config. Each route says
 * who may call it (its access rule) and which parts of the request name a
 * location, child, signal, device or coach account (its scope). The
 * router's authorize function (capi_authorize()) checks both, in one place,
 * before the handler runs. Patterns are paths whose segments may be
 * "{name}" (one segment, captured in req->params in order) or a final "*"
 * (the rest of the path, captured too). A coach or admin route must
 * declare every "{name}" of its pattern in its scope; scopes are checked
 * for coach and admin routes only.
 */
#ifndef CHTTP_H
#define CHTTP_H
#include "cstore.h"
#include "vp_buf.h"
#include "vp_i18n.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CHTTP_MAX_PARAMS 4
#define CHTTP_PARAM_LEN  256
#define CHTTP_BODY_MAX   (1 << 20)    /* after gzip decoding */
#define CHTTP_GZIP_MAX   (256 * 1024) /* a compressed body */

struct capp;
struct MHD_Connection;

/* Who may call a route. */
enum chttp_access {
    CHTTP_PUBLIC, /* anyone */
    CHTTP_DEVICE, /* Authorization: Bearer TOKEN of an enrolled, unrevoked device */
    CHTTP_COACH,  /* a coach's session cookie; X-CSRF-Token too unless GET/HEAD */
    CHTTP_ADMIN   /* as CHTTP_COACH, and the coach is an admin */
};

/* Where a request carries an id. */
enum chttp_where {
    CHTTP_IN_NONE = 0, /* ends a route's scope list */
    CHTTP_IN_PATH,     /* the "{name}" segment of the pattern */
    CHTTP_IN_QUERY,    /* the query parameter name (optional) */
    CHTTP_IN_BODY      /* the top-level JSON body field name: a string or an
                        * array of strings (optional) */
};

/* One id a request carries and what it names. Every id present must be
 * within the caller's reach (cstore_coach_scope()) or the request is
 * answered 403/404 before the handler runs. */
struct chttp_scope {
    enum chttp_where where;
    const char *name;
    enum cstore_kind kind;
};

#define CHTTP_MAX_SCOPES 3
/* The scope of a route that takes no ids. */
/* clang-format off */
#define CHTTP_NO_IDS { { CHTTP_IN_NONE, NULL, 0 } }
/* clang-format on */

/* A name/value pair, for requests made without a connection (tests, the
 * fuzzer): see struct chttp_req. */
struct chttp_kv {
    const char *key;
    const char *value;
};

struct chttp_route;

struct chttp_req {
    struct MHD_Connection *conn; /* for chttp_query() and chttp_header() */
    /* Without a connection (conn NULL) the lookups read these lists
     * instead, each ended by a {NULL, NULL} pair (may be NULL). */
    const struct chttp_kv *fake_query, *fake_headers, *fake_cookies;
    const struct chttp_route *route; /* the route that matched */
    struct capp *app;
    const char *method;
    const char *path;
    const char *body; /* NUL-terminated, body_len bytes (decoded) */
    size_t body_len;
    char params[CHTTP_MAX_PARAMS][CHTTP_PARAM_LEN];
    int nparams;
    char ip[64];
    bool tls;
    enum vp_lang lang; /* from Accept-Language: English if it starts with "en" */
    /* filled by the route's auth */
    struct cstore_device device;
    struct cstore_coach coach;
    struct cstore_session session;
    char sid[CSTORE_SID_LEN];
};

struct chttp_resp {
    int status;
    struct vp_buf body;
    const char *content_type;
    const unsigned char *static_data; /* a persistent buffer instead of body */
    size_t static_len;
    int retry_after;         /* seconds, 0 = no header */
    char set_cookie[320];    /* "" = no header */
    bool cacheable;          /* static files; everything else is no-store */
    const char *disposition; /* Content-Disposition (static text) or NULL */
    bool drop;               /* close the connection without any answer (fault hooks) */
};

typedef void (*chttp_fn)(struct chttp_req *req, struct chttp_resp *resp);

struct chttp_route {
    const char *method; /* "GET", "POST", ... */
    const char *pattern;
    enum chttp_access access;
    chttp_fn fn;
    /* the ids the request may carry, ended by CHTTP_IN_NONE; none: the route
     * takes no ids and acts on the caller or on what she holds */
    struct chttp_scope scope[CHTTP_MAX_SCOPES + 1];
};

/* Checks a route's access and scope for a request (before its handler).
 * False when it has already answered (401, 403, 404, 429, ...). */
typedef bool (*chttp_authorize_fn)(struct chttp_req *req, struct chttp_resp *resp,
                                   const struct chttp_route *route);

/* The route table: owned by the caller, filled before chttp_start() and not
 * changed while the server runs (the server only reads it). */
struct chttp_router {
    const struct chttp_route **routes; /* borrowed entries of static tables */
    size_t n, cap;
    chttp_authorize_fn authorize; /* NULL: every route is public */
};

void chttp_router_init(struct chttp_router *r, chttp_authorize_fn authorize);
void chttp_router_release(struct chttp_router *r);
/* Adds routes (borrowed: keep the array static); the first match wins.
 * VP_ERR_INVALID (and nothing added; *bad, if not NULL, names the route) if
 * a coach or admin route has a "{name}" or "*" segment without a
 * CHTTP_IN_PATH scope, a scope names a segment the pattern lacks, or a
 * public or device route has a scope (it would not be checked). */
vp_result chttp_router_add(struct chttp_router *r, const struct chttp_route *routes, size_t n,
                           const struct chttp_route **bad);
/* Answers a request whose body is complete: the first route whose pattern
 * and method match runs (authorize, then the handler); 404 for an unknown
 * path, 405 for a known path with another method. */
void chttp_router_dispatch(const struct chttp_router *r, struct chttp_req *req,
                           struct chttp_resp *resp);
/* The value the matched route captured for "{name}", or NULL. */
const char *chttp_param(const struct chttp_req *req, const char *name);

struct chttp_config {
    const char *host; /* IPv4, IPv6 or "localhost" */
    int port;         /* 0 = pick a free one */
    char *tls_cert;   /* PEM text or NULL (borrowed) */
    char *tls_key;
    unsigned threads;
    unsigned per_ip_connections;
    unsigned timeout_s;
    bool insecure_http;                /* allow plain HTTP on a non-loopback address */
    const struct chttp_router *router; /* borrowed; lives until chttp_stop() */
};

struct chttp_server;

/* Starts serving. VP_ERR_INVALID for a bad or non-loopback address without
 * TLS or insecure_http (why says which), VP_ERR_IO if it cannot listen. */
vp_result chttp_start(const struct chttp_config *cfg, struct capp *app, struct chttp_server **out,
                      const char **why);
/* The port actually bound. */
int chttp_port(const struct chttp_server *srv);
/* Stops accepting, waits (at most wait_ms) for requests in flight, stops. */
void chttp_stop(struct chttp_server *srv, int wait_ms);

/* Inflates a gzip body into out (appended), at most CHTTP_BODY_MAX bytes.
 * VP_ERR_INVALID for a broken stream, VP_ERR_FULL when it is too large. */
vp_result chttp_gunzip(const char *data, size_t len, struct vp_buf *out);

/* ---- for handlers ---- */

const char *chttp_query(struct chttp_req *req, const char *key);
const char *chttp_header(struct chttp_req *req, const char *name);
const char *chttp_cookie(struct chttp_req *req, const char *name);

/* Answers with JSON (steals the reference). */
void chttp_json(struct chttp_resp *resp, int status, json_t *js);
/* Answers {"error":code,"message":...}; the message is the translation of
 * "api.error.CODE" in the request's language unless message is given. */
void chttp_error(struct chttp_req *req, struct chttp_resp *resp, int status, const char *code,
                 const char *message);
/* Maps a store result to an error answer (REFUSED 403, NOT_FOUND 404,
 * AUTH 401, BUSY/FULL 503 with Retry-After, INVALID 422, else 500). */
void chttp_store_error(struct chttp_req *req, struct chttp_resp *resp, vp_result res);
/* True if the request says Content-Type: application/json; else answers 415. */
bool chttp_want_json(struct chttp_req *req, struct chttp_resp *resp);
/* Parses the body as strict JSON; on failure answers 400 and returns NULL. */
json_t *chttp_body_json(struct chttp_req *req, struct chttp_resp *resp);

#endif
