/*
 * chttp_conn.c - the libmicrohttpd server: connections and their deadlines
 * (cwatch.h), the checks before routing (chttp_guard.c), per-request body
 * collection with caps, work deferred to the worker pool (cpwpool.h) while
 * the connection waits suspended, answers with security headers, start and
 * stop.
 *
 * A request's life: on_target (request line read: the raw target checked),
 * on_access first call (headers complete: framing checked, body expected),
 * on_access with data (body), on_access last call (respond: route, answer
 * or suspend for a job), after a job on_access once more (finish_job), and
 * on_completed (next request's header clock starts).
 */
#include "capi.h"
#include "chttp.h"
#include "chttp_peer.h"
#include "cmetrics.h"
#include "cpwpool.h"
#include "cwatch.h"
#include "vp_alloc.h"
#include "vp_log.h"
#include "vp_str.h"
#include "vp_time.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct chttp_server {
    struct MHD_Daemon *daemon;
    struct capp *app;
    const struct chttp_router *router; /* borrowed from the caller */
    bool tls;
    int port;
    atomic_int in_flight; /* requests whose headers arrived and are not completed */
    struct cwatch *watch;
    struct cpwpool *pool;
    bool has_proxy; /* --trusted-proxy: its X-Forwarded-For names the client */
    struct cpeer_addr proxy;
    struct cpeer_count *peers; /* with a proxy: connections per client address, counted here */
    atomic_bool told_no_xff;   /* warned once about a proxied request without it */
};

/* Per connection (libmicrohttpd's socket context). */
struct conn_ctx {
    struct cwatch_conn *watch;
    char key[CPEER_TEXT];
    bool counted; /* holds one of its address's connections in srv->peers */
};

struct chttp_job {
    struct MHD_Connection *conn;
    chttp_work_fn work;
    chttp_finish_fn finish;
    void (*free_ctx)(void *ctx);
    void *ctx;
};

/* What we keep per request, from its request line to its completion. */
struct conn_state {
    struct vp_buf body;
    size_t cap;
    bool started; /* headers complete: the handler side has seen it */
    bool too_large;
    bool gzip;
    bool bad_encoding;
    bool bad_target;       /* broken percent-encoding, %00, invalid UTF-8 */
    bool bad_framing;      /* conflicting Content-Length */
    struct chttp_req *req; /* kept while job runs */
    struct chttp_job *job;
    char ip[CPEER_TEXT];  /* the client: the socket's address, or the proxy's last hop */
    char key[CPEER_TEXT]; /* ip as a throttle key */
    bool counted;         /* a proxied request: holds one of key's connections */
};

static struct cwatch_conn *watched(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    const struct conn_ctx *ctx = ci ? ci->socket_context : NULL;
    return ctx ? ctx->watch : NULL;
}

static bool socket_peer(struct MHD_Connection *conn, struct cpeer_addr *out)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return cpeer_from_sockaddr(ci ? ci->client_addr : NULL, out);
}

/* Who sent this request: the socket's address, or, from the trusted proxy,
 * the last hop of its X-Forwarded-For (else the proxy itself, and a warning
 * once: a proxy that does not say who it forwards puts all clients in one
 * bucket). Returns whether it came through the proxy. */
static bool request_peer(struct chttp_server *srv, struct MHD_Connection *conn,
                         struct conn_state *cs)
{
    struct cpeer_addr sock, fwd;
    bool known = socket_peer(conn, &sock),
         proxied = known && srv->has_proxy && cpeer_equal(&sock, &srv->proxy);
    if (proxied && cpeer_forwarded(conn, &fwd)) {
        cpeer_text(&fwd, cs->ip, cs->key);
        return true;
    }
    if (proxied && !atomic_exchange(&srv->told_no_xff, true))
        vp_warn("http: a request from the trusted proxy had no usable X-Forwarded-For");
    cpeer_text(known ? &sock : NULL, cs->ip, cs->key);
    return proxied;
}

/* ---- deferred work ---- */

bool chttp_defer(struct chttp_req *req, struct chttp_resp *resp, chttp_work_fn work,
                 chttp_finish_fn finish, void *ctx, void (*free_ctx)(void *ctx))
{
    struct chttp_job *job;
    if (!req->server) { /* a request without a connection (the fuzzer's): at once */
        work(ctx);
        finish(req, resp, ctx);
        if (free_ctx)
            free_ctx(ctx);
        return true;
    }
    if (!cpwpool_reserve(req->server->pool)) {
        chttp_error(req, resp, 429, "busy", NULL);
        resp->retry_after = 2;
        return false;
    }
    job = vp_xcalloc(1, sizeof(*job));
    job->conn = req->conn;
    job->work = work;
    job->finish = finish;
    job->free_ctx = free_ctx;
    job->ctx = ctx;
    resp->job = job;
    return true;
}

static void job_free(struct chttp_job *job)
{
    if (job && job->free_ctx)
        job->free_ctx(job->ctx);
    free(job);
}

/* On a worker: the work, then the connection goes back to the request threads. */
static void run_job(void *arg)
{
    struct chttp_job *job = arg;
    struct MHD_Connection *conn = job->conn;
    job->work(job->ctx);
    MHD_resume_connection(conn); /* job is not touched after this */
}

/* ---- answers ---- */

static enum MHD_Result queue(struct chttp_server *srv, struct MHD_Connection *conn,
                             struct chttp_resp *resp)
{
    struct MHD_Response *r;
    enum MHD_Result ok;
    char num[16];
    if (resp->static_data) {
        r = MHD_create_response_from_buffer(resp->static_len, (void *)resp->static_data,
                                            MHD_RESPMEM_PERSISTENT);
    } else {
        size_t len = resp->body.len;
        char *data = vp_buf_detach(&resp->body, NULL);
        r = MHD_create_response_from_buffer_with_free_callback(len, data, free);
    }
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type",
                            resp->content_type ? resp->content_type : "application/json");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'; base-uri 'none';"
                            " form-action 'self'");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", resp->cacheable ? "no-cache" : "no-store");
    if (srv->tls)
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
    if (resp->retry_after > 0) {
        snprintf(num, sizeof(num), "%d", resp->retry_after);
        MHD_add_response_header(r, "Retry-After", num);
    }
    if (resp->disposition[0])
        MHD_add_response_header(r, "Content-Disposition", resp->disposition);
    if (resp->set_cookie[0])
        MHD_add_response_header(r, "Set-Cookie", resp->set_cookie);
    if (resp->close || atomic_load(&srv->app->stopping))
        MHD_add_response_header(r, "Connection", "close");
    ok = MHD_queue_response(conn, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    cwatch_phase(srv->watch, watched(conn), CWATCH_SEND);
    return ok;
}

static void handle(struct chttp_server *srv, struct chttp_req *req, struct conn_state *cs,
                   struct chttp_resp *resp)
{
    struct vp_buf plain = VP_BUF_INIT;
    vp_result res;
    if (cs->bad_target || cs->bad_framing) {
        chttp_error(req, resp, 400, "malformed", NULL);
        resp->close = true; /* a body, if any, was not read */
    } else if (atomic_load(&srv->app->stopping)) {
        chttp_error(req, resp, 503, "unavailable", NULL);
        resp->retry_after = 2;
    } else if (cs->bad_encoding) {
        chttp_error(req, resp, 415, "unsupported_media_type", NULL);
    } else if (cs->too_large) {
        chttp_error(req, resp, 413, "too_large", NULL);
    } else if (cs->gzip && cs->body.len &&
               (res = chttp_gunzip(cs->body.data, cs->body.len, &plain)) != VP_OK) {
        if (res == VP_ERR_FULL)
            chttp_error(req, resp, 413, "too_large", NULL);
        else
            chttp_error(req, resp, 400, "malformed", NULL);
    } else {
        const struct vp_buf *b = cs->gzip && cs->body.len ? &plain : &cs->body;
        req->body = b->data;
        req->body_len = b->len;
        chttp_router_dispatch(srv->router, req, resp);
        req->body = NULL; /* plain goes now: a deferred job must not read it */
        req->body_len = 0;
    }
    vp_buf_release(&plain);
}

static void resp_init(struct chttp_resp *resp)
{
    memset(resp, 0, sizeof(*resp));
    vp_buf_init(&resp->body);
    resp->status = 200;
}

/* Answers resp (or drops the connection) and frees what the request kept. */
static enum MHD_Result answer(struct chttp_server *srv, struct MHD_Connection *conn,
                              struct chttp_req *req, struct chttp_resp *resp)
{
    enum MHD_Result ok;
    if (!resp->drop)
        cmetrics_request(srv->app->metrics, req->route ? req->route->pattern : NULL, req->method,
                         resp->status, cmetrics_now_us() - req->started_us);
    ok = resp->drop ? MHD_NO : queue(srv, conn, resp);
    vp_buf_release(&resp->body);
    free(req);
    return ok;
}

static enum MHD_Result respond(struct chttp_server *srv, struct MHD_Connection *conn,
                               const char *url, const char *method, struct conn_state *cs)
{
    struct chttp_req *req = vp_xcalloc(1, sizeof(*req));
    struct chttp_resp resp;
    const char *lang;
    resp_init(&resp);
    req->conn = conn;
    req->app = srv->app;
    req->server = srv;
    req->method = method;
    req->path = url;
    req->tls = srv->tls;
    req->started_us = cmetrics_now_us();
    lang = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language");
    req->lang = lang && !strncasecmp(lang, "en", 2) ? VP_LANG_EN : VP_LANG_NL;
    vp_strlcpy(req->ip, cs->ip, sizeof(req->ip));
    vp_strlcpy(req->addr_key, cs->key, sizeof(req->addr_key));
    cwatch_phase(srv->watch, watched(conn), CWATCH_WORK);
    handle(srv, req, cs, &resp);
    if (!resp.job)
        return answer(srv, conn, req, &resp);
    /* the handler deferred: wait suspended, no thread held, until the job is done */
    cs->req = req;
    cs->job = resp.job;
    vp_buf_release(&resp.body);
    MHD_suspend_connection(conn);
    cpwpool_submit(srv->pool, run_job, cs->job);
    return MHD_YES;
}

/* Back from the worker pool: the handler's second half answers. */
static enum MHD_Result finish_job(struct chttp_server *srv, struct MHD_Connection *conn,
                                  struct conn_state *cs)
{
    struct chttp_req *req = cs->req;
    struct chttp_job *job = cs->job;
    struct chttp_resp resp;
    resp_init(&resp);
    cs->req = NULL;
    cs->job = NULL;
    job->finish(req, &resp, job->ctx);
    job_free(job);
    return answer(srv, conn, req, &resp);
}

/* ---- the request's callbacks ---- */

static void start_body(struct MHD_Connection *conn, struct conn_state *cs)
{
    const char *enc = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Encoding");
    const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    int64_t n;
    if (enc && !strcasecmp(enc, "gzip"))
        cs->gzip = true;
    else if (enc && *enc && strcasecmp(enc, "identity") != 0)
        cs->bad_encoding = true;
    cs->cap = cs->gzip ? CHTTP_GZIP_MAX : CHTTP_BODY_MAX;
    if (clen && vp_parse_i64(clen, 0, INT64_MAX, &n) && (uint64_t)n > cs->cap)
        cs->too_large = true;
    cs->bad_framing = !chttp_framing_valid(conn);
}

/* The request line has arrived (headers not yet): the raw target is checked
 * here, where an encoded NUL is still visible. Returns the request's state. */
static void *on_target(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct conn_state *cs = vp_xcalloc(1, sizeof(*cs));
    (void)cls;
    (void)conn;
    vp_buf_init(&cs->body);
    cs->bad_target = !chttp_target_valid(uri);
    return cs;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_size, void **con_cls)
{
    struct chttp_server *srv = cls;
    struct conn_state *cs = *con_cls;
    (void)version;
    if (!cs) /* defensive: on_target always runs first */
        *con_cls = cs = on_target(NULL, "/", conn);
    if (!cs->started) {
        /* behind a proxy the forwarded address holds the connection: over
         * its limit the request is closed at once, unanswered, as a direct
         * client's connection would be */
        if (request_peer(srv, conn, cs) && srv->peers) {
            if (!cpeer_count_take(srv->peers, cs->key))
                return MHD_NO;
            cs->counted = true;
        }
        cs->started = true;
        atomic_fetch_add(&srv->in_flight, 1);
        start_body(conn, cs);
        if (cs->bad_target || cs->bad_framing)
            return respond(srv, conn, url, method, cs); /* 400 now, body unread */
        cwatch_phase(srv->watch, watched(conn), CWATCH_BODY);
        return MHD_YES;
    }
    if (*upload_size) {
        /* keep reading an oversized body (and drop it): answer once it is complete */
        if (!cs->too_large && cs->body.len + *upload_size > cs->cap) {
            cs->too_large = true;
            vp_buf_release(&cs->body);
        }
        if (!cs->too_large)
            vp_buf_add(&cs->body, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (cs->job)
        return finish_job(srv, conn, cs);
    return respond(srv, conn, url, method, cs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct chttp_server *srv = cls;
    struct conn_state *cs = *con_cls;
    (void)toe;
    cwatch_phase(srv->watch, watched(conn), CWATCH_HEADERS); /* the next request's clock */
    if (!cs)
        return;
    job_free(cs->job); /* only at shutdown: the job ran, the answer did not go out */
    if (cs->counted)
        cpeer_count_give(srv->peers, cs->key);
    free(cs->req);
    vp_buf_release(&cs->body);
    if (cs->started)
        atomic_fetch_sub(&srv->in_flight, 1);
    free(cs);
    *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct chttp_server *srv = cls;
    struct conn_ctx *ctx = *socket_context;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *fd =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct cpeer_addr a;
        bool known = socket_peer(conn, &a);
        char ip[CPEER_TEXT];
        ctx = vp_xcalloc(1, sizeof(*ctx));
        cpeer_text(known ? &a : NULL, ip, ctx->key);
        ctx->watch = fd ? cwatch_open(srv->watch, fd->connect_fd, ip) : NULL;
        /* with a proxy the server counts direct clients' connections itself
         * (libmicrohttpd's limit would count every proxied client as one) */
        if (srv->peers && !(known && cpeer_equal(&a, &srv->proxy))) {
            ctx->counted = cpeer_count_take(srv->peers, ctx->key);
            if (!ctx->counted && fd)
                shutdown(fd->connect_fd, SHUT_RDWR); /* closed at once, unanswered */
        }
        *socket_context = ctx;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && ctx) {
        if (ctx->counted)
            cpeer_count_give(srv->peers, ctx->key);
        cwatch_close(srv->watch, ctx->watch);
        free(ctx);
        *socket_context = NULL;
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    (void)cls;
    vsnprintf(line, sizeof(line), fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    vp_info("http: %s", line);
}

/* ---- start and stop ---- */

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
    return false;
}

static vp_result resolve(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len)
{
    struct addrinfo hints, *ai = NULL;
    char portstr[16];
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(portstr, sizeof(portstr), "%d", port);
    if (getaddrinfo(host, portstr, &hints, &ai) != 0 || !ai)
        return VP_ERR_INVALID;
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    freeaddrinfo(ai);
    return VP_OK;
}

static unsigned or_default(unsigned v, unsigned def)
{
    return v ? v : def;
}

/* The helpers the server runs next to libmicrohttpd: watchdog and pool. */
static void start_helpers(struct chttp_server *srv, const struct chttp_config *cfg)
{
    struct cwatch_limits lim;
    unsigned workers = or_default(cfg->work_threads, cpwpool_default_workers());
    memset(&lim, 0, sizeof(lim));
    lim.ms[CWATCH_HEADERS] = cfg->header_ms ? cfg->header_ms : CHTTP_HEADER_MS;
    lim.ms[CWATCH_BODY] = cfg->body_ms ? cfg->body_ms : CHTTP_BODY_MS;
    lim.ms[CWATCH_SEND] = cfg->send_ms ? cfg->send_ms : CHTTP_SEND_MS;
    srv->watch = cwatch_new(&lim);
    srv->pool = cpwpool_new(workers, or_default(cfg->work_queue, 4 * workers));
}

static struct MHD_Daemon *start_daemon(struct chttp_server *srv, const struct chttp_config *cfg,
                                       struct sockaddr_storage *ss, unsigned flags)
{
    struct MHD_OptionItem o[16];
    int n = 0;
#define OPT(opt, val, ptr) (o[n++] = (struct MHD_OptionItem){ (opt), (intptr_t)(val), (ptr) })
    OPT(MHD_OPTION_SOCK_ADDR, 0, ss);
    OPT(MHD_OPTION_THREAD_POOL_SIZE, or_default(cfg->threads, 4), NULL);
    if (!srv->peers) /* else counted by the server itself */
        OPT(MHD_OPTION_PER_IP_CONNECTION_LIMIT, or_default(cfg->per_ip_connections, CHTTP_PER_IP),
            NULL);
    OPT(MHD_OPTION_CONNECTION_LIMIT, or_default(cfg->max_connections, CHTTP_MAX_CONNECTIONS), NULL);
    OPT(MHD_OPTION_CONNECTION_TIMEOUT, or_default(cfg->timeout_s, 30), NULL);
    OPT(MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv);
    OPT(MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, srv);
    OPT(MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_target, srv);
    OPT(MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL);
    if (cfg->tls_cert && cfg->tls_key) {
        OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, cfg->tls_cert);
        OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, cfg->tls_key);
    }
    OPT(MHD_OPTION_END, 0, NULL);
#undef OPT
    return MHD_start_daemon(flags, 0, NULL, NULL, on_access, srv, MHD_OPTION_ARRAY, o,
                            MHD_OPTION_END);
}

static void stop_helpers(struct chttp_server *srv)
{
    cwatch_free(srv->watch);
    cpwpool_free(srv->pool);
    cpeer_count_free(srv->peers);
}

vp_result chttp_start(const struct chttp_config *cfg, struct capp *app, struct chttp_server **out,
                      const char **why)
{
    struct chttp_server *srv;
    struct sockaddr_storage ss;
    socklen_t sslen;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
    bool tls = cfg->tls_cert && cfg->tls_key;
    const union MHD_DaemonInfo *info;
    struct cpeer_addr proxy;
    if (!cfg->router) {
        *why = "routes";
        return VP_ERR_INVALID;
    }
    if (resolve(cfg->host, cfg->port, &ss, &sslen) != VP_OK) {
        *why = "address";
        return VP_ERR_INVALID;
    }
    if (!tls && !cfg->insecure_http && !is_loopback((struct sockaddr *)&ss)) {
        *why = "insecure";
        return VP_ERR_INVALID;
    }
    if (cfg->trusted_proxy && !cpeer_parse(cfg->trusted_proxy, &proxy)) {
        *why = "proxy";
        return VP_ERR_INVALID;
    }
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (tls)
        flags |= MHD_USE_TLS;
    srv = vp_xcalloc(1, sizeof(*srv));
    srv->app = app;
    srv->router = cfg->router;
    srv->tls = tls;
    if (cfg->trusted_proxy) {
        srv->has_proxy = true;
        srv->proxy = proxy;
        srv->peers = cpeer_count_new(or_default(cfg->per_ip_connections, CHTTP_PER_IP));
    }
    start_helpers(srv, cfg);
    srv->daemon = start_daemon(srv, cfg, &ss, flags);
    if (!srv->daemon) {
        stop_helpers(srv);
        free(srv);
        *why = tls ? "tls" : "listen";
        return tls ? VP_ERR_TLS : VP_ERR_IO;
    }
    info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? (int)info->port : cfg->port;
    *out = srv;
    return VP_OK;
}

int chttp_port(const struct chttp_server *srv)
{
    return srv->port;
}

void chttp_stop(struct chttp_server *srv, int wait_ms)
{
    int64_t until = vp_mono_ms() + wait_ms;
    if (!srv)
        return;
    atomic_store(&srv->app->stopping, true);
    MHD_quiesce_daemon(srv->daemon);
    /* every queued job runs and resumes its connection: libmicrohttpd must
     * not be stopped with a suspended one */
    cpwpool_close(srv->pool);
    if (!cpwpool_drain(srv->pool, 60000))
        vp_warn("http: password jobs still running at stop");
    while (atomic_load(&srv->in_flight) > 0 && vp_mono_ms() < until)
        usleep(10000);
    MHD_stop_daemon(srv->daemon);
    stop_helpers(srv);
    free(srv);
}
