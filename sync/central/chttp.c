/*
 * chttp.c - the libmicrohttpd server: per-connection body collection with
 * caps, gzip decoding, answers with security headers, stop (routes:
 * chttp_router.c).
 */
#include "chttp.h"
#include "capi.h"
#include "vp_alloc.h"
#include "vp_i18n.h"
#include "vp_json.h"
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
#include <zlib.h>

struct chttp_server {
    struct MHD_Daemon *daemon;
    struct capp *app;
    const struct chttp_router *router;
    bool tls;
    int port;
    atomic_int in_flight;
};

/* What we keep per request while its body arrives. */
struct conn_state {
    struct vp_buf body;
    size_t cap;
    bool too_large;
    bool gzip;
    bool bad_encoding;
};

/* ---- request helpers ---- */

static const char *fake_lookup(const struct chttp_kv *kv, const char *key, bool nocase)
{
    for (; kv && kv->key; kv++)
        if (nocase ? !strcasecmp(kv->key, key) : !strcmp(kv->key, key))
            return kv->value;
    return NULL;
}

const char *chttp_query(struct chttp_req *req, const char *key)
{
    if (!req->conn)
        return fake_lookup(req->fake_query, key, false);
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *chttp_header(struct chttp_req *req, const char *name)
{
    if (!req->conn)
        return fake_lookup(req->fake_headers, name, true);
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *chttp_cookie(struct chttp_req *req, const char *name)
{
    if (!req->conn)
        return fake_lookup(req->fake_cookies, name, false);
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

void chttp_json(struct chttp_resp *resp, int status, json_t *js)
{
    char *text = vp_json_dump(js);
    json_decref(js);
    resp->status = status;
    resp->content_type = "application/json";
    vp_buf_reset(&resp->body);
    vp_buf_adds(&resp->body, text);
    free(text);
}

void chttp_error(struct chttp_req *req, struct chttp_resp *resp, int status, const char *code,
                 const char *message)
{
    char key[64];
    if (!message) {
        snprintf(key, sizeof(key), "api.error.%s", code);
        message = vp_tr_in(req->lang, key);
    }
    chttp_json(resp, status, json_pack("{s:s,s:s}", "error", code, "message", message));
}

void chttp_store_error(struct chttp_req *req, struct chttp_resp *resp, vp_result res)
{
    switch (res) {
    case VP_ERR_REFUSED: chttp_error(req, resp, 403, "forbidden", NULL); break;
    case VP_ERR_NOT_FOUND: chttp_error(req, resp, 404, "not_found", NULL); break;
    case VP_ERR_AUTH: chttp_error(req, resp, 401, "unauthorized", NULL); break;
    case VP_ERR_INVALID: chttp_error(req, resp, 422, "invalid", NULL); break;
    case VP_ERR_EXISTS: chttp_error(req, resp, 409, "exists", NULL); break;
    case VP_ERR_BUSY:
    case VP_ERR_FULL:
        chttp_error(req, resp, 503, "unavailable", NULL);
        resp->retry_after = 5;
        break;
    default:
        vp_error("request %s %s failed: %s", req->method, req->path, vp_result_name(res));
        chttp_error(req, resp, 500, "internal", NULL);
        break;
    }
}

bool chttp_want_json(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *ct = chttp_header(req, "Content-Type");
    if (ct && !strncasecmp(ct, "application/json", 16) &&
        (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' '))
        return true;
    chttp_error(req, resp, 415, "unsupported_media_type", NULL);
    return false;
}

json_t *chttp_body_json(struct chttp_req *req, struct chttp_resp *resp)
{
    struct vp_json_err err;
    json_t *js = NULL;
    memset(&err, 0, sizeof(err));
    if (vp_json_parse(req->body, req->body_len, &js, &err) != VP_OK) {
        chttp_error(req, resp, 400, "malformed", NULL);
        return NULL;
    }
    if (!json_is_object(js)) {
        json_decref(js);
        chttp_error(req, resp, 400, "malformed", NULL);
        return NULL;
    }
    return js;
}

/* ---- bodies ---- */

vp_result chttp_gunzip(const char *data, size_t len, struct vp_buf *out)
{
    z_stream z;
    int rc;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return VP_ERR_INTERNAL;
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    do {
        vp_buf_grow(out, 64 * 1024);
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)(out->cap - out->len - 1);
        rc = inflate(&z, Z_NO_FLUSH);
        out->len = (size_t)((char *)z.next_out - out->data);
        out->data[out->len] = '\0';
        if (out->len > CHTTP_BODY_MAX) {
            inflateEnd(&z);
            return VP_ERR_FULL;
        }
    } while (rc == Z_OK);
    inflateEnd(&z);
    return rc == Z_STREAM_END && z.avail_in == 0 ? VP_OK : VP_ERR_INVALID;
}

static void client_ip(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    vp_strlcpy(out, "unknown", size);
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)size);
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
    if (resp->disposition)
        MHD_add_response_header(r, "Content-Disposition", resp->disposition);
    if (resp->set_cookie[0])
        MHD_add_response_header(r, "Set-Cookie", resp->set_cookie);
    if (atomic_load(&srv->app->stopping))
        MHD_add_response_header(r, "Connection", "close");
    ok = MHD_queue_response(conn, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ok;
}

static void handle(struct chttp_server *srv, struct chttp_req *req, struct conn_state *cs,
                   struct chttp_resp *resp)
{
    struct vp_buf plain = VP_BUF_INIT;
    vp_result res;
    if (atomic_load(&srv->app->stopping)) {
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
    }
    vp_buf_release(&plain);
}

static enum MHD_Result respond(struct chttp_server *srv, struct MHD_Connection *conn,
                               const char *url, const char *method, struct conn_state *cs)
{
    struct chttp_req *req = vp_xcalloc(1, sizeof(*req));
    struct chttp_resp resp;
    const char *lang;
    enum MHD_Result ok;
    memset(&resp, 0, sizeof(resp));
    vp_buf_init(&resp.body);
    resp.status = 200;
    req->conn = conn;
    req->app = srv->app;
    req->method = method;
    req->path = url;
    req->tls = srv->tls;
    lang = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language");
    req->lang = lang && !strncasecmp(lang, "en", 2) ? VP_LANG_EN : VP_LANG_NL;
    client_ip(conn, req->ip, sizeof(req->ip));
    handle(srv, req, cs, &resp);
    ok = resp.drop ? MHD_NO : queue(srv, conn, &resp);
    vp_buf_release(&resp.body);
    free(req);
    return ok;
}

static void start_body(struct MHD_Connection *conn, struct conn_state *cs)
{
    const char *enc = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Encoding");
    const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    int64_t n;
    vp_buf_init(&cs->body);
    if (enc && !strcasecmp(enc, "gzip"))
        cs->gzip = true;
    else if (enc && *enc && strcasecmp(enc, "identity") != 0)
        cs->bad_encoding = true;
    cs->cap = cs->gzip ? CHTTP_GZIP_MAX : CHTTP_BODY_MAX;
    if (clen && vp_parse_i64(clen, 0, INT64_MAX, &n) && (uint64_t)n > cs->cap)
        cs->too_large = true;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_size, void **con_cls)
{
    struct chttp_server *srv = cls;
    struct conn_state *cs = *con_cls;
    (void)version;
    if (!cs) {
        cs = vp_xcalloc(1, sizeof(*cs));
        start_body(conn, cs);
        *con_cls = cs;
        atomic_fetch_add(&srv->in_flight, 1);
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
    return respond(srv, conn, url, method, cs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct chttp_server *srv = cls;
    struct conn_state *cs = *con_cls;
    (void)conn;
    (void)toe;
    if (!cs)
        return;
    vp_buf_release(&cs->body);
    free(cs);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
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

vp_result chttp_start(const struct chttp_config *cfg, struct capp *app, struct chttp_server **out,
                      const char **why)
{
    struct chttp_server *srv;
    struct sockaddr_storage ss;
    socklen_t sslen;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
    bool tls = cfg->tls_cert && cfg->tls_key;
    const union MHD_DaemonInfo *info;
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
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (tls)
        flags |= MHD_USE_TLS;
    srv = vp_xcalloc(1, sizeof(*srv));
    srv->app = app;
    srv->router = cfg->router;
    srv->tls = tls;
    {
        struct MHD_OptionItem o[12];
        int n = 0;
#define OPT(opt, val, ptr) (o[n++] = (struct MHD_OptionItem){ (opt), (intptr_t)(val), (ptr) })
        OPT(MHD_OPTION_SOCK_ADDR, 0, &ss);
        OPT(MHD_OPTION_THREAD_POOL_SIZE, cfg->threads ? cfg->threads : 4, NULL);
        OPT(MHD_OPTION_PER_IP_CONNECTION_LIMIT,
            cfg->per_ip_connections ? cfg->per_ip_connections : 64, NULL);
        OPT(MHD_OPTION_CONNECTION_LIMIT, 1000, NULL);
        OPT(MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s ? cfg->timeout_s : 30, NULL);
        OPT(MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv);
        OPT(MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL);
        if (tls) {
            OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, cfg->tls_cert);
            OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, cfg->tls_key);
        }
        OPT(MHD_OPTION_END, 0, NULL);
#undef OPT
        srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_access, srv, MHD_OPTION_ARRAY, o,
                                       MHD_OPTION_END);
    }
    if (!srv->daemon) {
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
    while (atomic_load(&srv->in_flight) > 0 && vp_mono_ms() < until)
        usleep(10000);
    MHD_stop_daemon(srv->daemon);
    free(srv);
}
