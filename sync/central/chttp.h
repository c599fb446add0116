/*
 * chttp.h - the central service's HTTP server on libmicrohttpd: an internal
 * thread pool with epoll, bodies collected per connection with a hard cap,
 * gzip bodies decoded with a cap, a caller-owned route table, JSON errors,
 * security headers on every answer, and a clean stop.
 *
 * Handlers run on the pool's threads only after the whole request body has
 * arrived. A handler fills a struct chttp_resp; the server queues it. Work
 * that would hold a request thread for long (password hashing) goes to a
 * small worker pool through chttp_defer(); the connection waits suspended.
 *
 * Before any handler: every request has deadlines (headers complete within
 * header_ms of connecting or of the previous answer, the body within body_ms
 * after that, the answer sent within send_ms; see cwatch.h), a client
 * address has at most per_ip_connections connections, a request target
 * with broken percent-encoding, an encoded NUL or invalid UTF-8 is a 400,
 * and so are conflicting Content-Length headers (or Content-Length with
 * Transfer-Encoding). Every answer the server gives carries the security
 * headers and, for errors, {"error","message"}; what libmicrohttpd answers
 * by itself (malformed HTTP) is listed in docs/central.md.
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
struct chttp_server;
struct chttp_job;

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
    char addr_key[64]; /* ip as a throttle key: an IPv6 address's /64, IPv4 as is */
    bool tls;
    enum vp_lang lang; /* from Accept-Language: English if it starts with "en" */
    /* filled by the route's auth */
    struct cstore_device device;
    struct cstore_coach coach;
    struct cstore_session session;
    char sid[CSTORE_SID_LEN];
    struct chttp_server *server; /* internal (chttp_defer) */
    int64_t started_us;          /* internal: when the body was complete (metrics) */
};

struct chttp_resp {
    int status;
    struct vp_buf body;
    const char *content_type;
    const unsigned char *static_data; /* a persistent buffer instead of body */
    size_t static_len;
    int retry_after;       /* seconds, 0 = no header */
    char set_cookie[320];  /* "" = no header */
    bool cacheable;        /* static files; everything else is no-store */
    char disposition[200]; /* Content-Disposition, "" = none (chttp_attachment) */
    bool drop;             /* close the connection without any answer (fault hooks) */
    bool close;            /* Connection: close after this answer */
    struct chttp_job *job; /* internal: set by chttp_defer() */
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

/* Zero in any field means its default (in brackets). */
struct chttp_config {
    const char *host; /* IPv4, IPv6 or "localhost" */
    int port;         /* 0 = pick a free one */
    char *tls_cert;   /* PEM text or NULL (borrowed) */
    char *tls_key;
    unsigned threads;            /* request threads [4] */
    unsigned max_connections;    /* in all [1000] */
    unsigned per_ip_connections; /* per client address [16] */
    unsigned timeout_s;          /* idle connection [30] */
    int header_ms;               /* headers complete [10000] */
    int body_ms;                 /* body complete after the headers [30000] */
    int send_ms;                 /* answer sent after it is ready [60000] */
    unsigned work_threads;       /* the worker pool for chttp_defer [cpwpool_default_workers()] */
    unsigned work_queue;         /* jobs that may wait for it [4 per worker] */
    bool insecure_http;          /* allow plain HTTP on a non-loopback address */
    /* A literal IP address (NULL: none). Requests from it name their client
     * in X-Forwarded-For (the last hop); per-address limits (connections,
     * throttles) and the audit then use that address. Never trusted from
     * any other address. */
    const char *trusted_proxy;
    const struct chttp_router *router; /* borrowed; lives until chttp_stop() */
};

#define CHTTP_HEADER_MS       10000
#define CHTTP_BODY_MS         30000
#define CHTTP_SEND_MS         60000
#define CHTTP_PER_IP          16
#define CHTTP_MAX_CONNECTIONS 1000

/* Starts serving. VP_ERR_INVALID for a bad or non-loopback address without
 * TLS or insecure_http, or a trusted_proxy that is not an IP address (why
 * says which: "address", "insecure", "proxy"), VP_ERR_IO if it cannot listen. */
vp_result chttp_start(const struct chttp_config *cfg, struct capp *app, struct chttp_server **out,
                      const char **why);
/* The port actually bound. */
int chttp_port(const struct chttp_server *srv);
/* Stops accepting, waits (at most wait_ms) for requests in flight, stops. */
void chttp_stop(struct chttp_server *srv, int wait_ms);

/* True if a raw request target (path and query, still percent-encoded) has
 * only well-formed %XX escapes, no %00, and decodes to UTF-8 text without
 * control characters (tab and newline aside). */
bool chttp_target_valid(const char *target);
/* True unless the request has two different Content-Length headers, or
 * Content-Length together with Transfer-Encoding (RFC 9112 section 6.3). */
bool chttp_framing_valid(struct MHD_Connection *conn);

/* Inflates a gzip body into out (appended), at most CHTTP_BODY_MAX bytes.
 * VP_ERR_INVALID for a broken stream, VP_ERR_FULL when it is too large. */
vp_result chttp_gunzip(const char *data, size_t len, struct vp_buf *out);

/* ---- for handlers ---- */

/* Sets Content-Disposition to an attachment named name (ASCII letters,
 * digits, '-', '_' and '.'; anything else becomes '_'). */
void chttp_attachment(struct chttp_resp *resp, const char *name);
const char *chttp_query(struct chttp_req *req, const char *key);
const char *chttp_header(struct chttp_req *req, const char *name);
const char *chttp_cookie(struct chttp_req *req, const char *name);

/* Answers with JSON (steals the reference). A NULL or unencodable js (a
 * json_pack that failed) is logged and answered 500 {"error":"internal"}. */
void chttp_json(struct chttp_resp *resp, int status, json_t *js);
/* Answers {"error":code,"message":...}; the message is the translation of
 * "api.error.CODE" in the request's language unless message is given.
 * Cannot fail on its content: bytes of code or message that are not valid
 * UTF-8 are shown as '?'. Every CODE a handler uses needs an api.error.CODE
 * text in assets/i18n/{nl,en}/central.txt (tests/unit/i18n_keys.mjs checks). */
void chttp_error(struct chttp_req *req, struct chttp_resp *resp, int status, const char *code,
                 const char *message);
/* Maps a store result to an error answer (REFUSED 403, NOT_FOUND 404,
 * AUTH 401, BUSY/FULL 503 with Retry-After, INVALID 422, else 500). */
void chttp_store_error(struct chttp_req *req, struct chttp_resp *resp, vp_result res);
/* True if the request says Content-Type: application/json; else answers 415. */
bool chttp_want_json(struct chttp_req *req, struct chttp_resp *resp);
/* Parses the body as strict JSON; on failure answers 400 and returns NULL. */
json_t *chttp_body_json(struct chttp_req *req, struct chttp_resp *resp);

/* Runs work(ctx) on the server's worker pool, then finish(req, resp, ctx)
 * on a request thread, which answers; free_ctx(ctx) (may be NULL) comes
 * last. Meanwhile the connection is suspended: no request thread waits.
 * True: the handler returns at once without answering; ctx now belongs to
 * the server; req stays valid for finish, but req->body does not (copy what
 * work needs into ctx). False: the pool's queue is full; it answered 429
 * with Retry-After, neither function runs and ctx is still the caller's. A
 * request without a server (the fuzzer's) runs both at once and returns true. */
typedef void (*chttp_work_fn)(void *ctx);
typedef void (*chttp_finish_fn)(struct chttp_req *req, struct chttp_resp *resp, void *ctx);
bool chttp_defer(struct chttp_req *req, struct chttp_resp *resp, chttp_work_fn work,
                 chttp_finish_fn finish, void *ctx, void (*free_ctx)(void *ctx));

#endif
