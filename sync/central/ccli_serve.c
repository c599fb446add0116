/*
 * ccli_serve.c - `vindplaats-central serve`: open the store, start the HTTP
 * server (and /metrics on its own address or behind a token), print
 * "listening on URL" once ready, stop cleanly on SIGTERM or SIGINT (stop
 * accepting, finish requests in flight, close the database).
 */
#include "capi.h"
#include "ccli.h"
#include "cmetrics.h"
#include "vp_alloc.h"
#include "vp_log.h"
#include "vp_platform.h"
#include "vp_str.h"
#include <pthread.h>
#include "vp_time.h"
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define DEFAULT_LISTEN "127.0.0.1:8420"
#define PEM_MAX        (256 * 1024)
#define TOKEN_MIN      16

/* What serve adds beyond the main listener's config: /metrics. */
struct serve_metrics {
    bool listen; /* its own listener on host:port */
    char host[256];
    int port;
    char token[128]; /* on the main listener behind this bearer token ("" = not there) */
};

/* Splits "HOST:PORT" or "[V6]:PORT" into host (without brackets) and port. */
static bool split_listen(const char *text, char *host, size_t size, int *port)
{
    const char *colon = strrchr(text, ':');
    const char *h = text;
    size_t hlen;
    int64_t p;
    if (!colon || !vp_parse_i64(colon + 1, 0, 65535, &p))
        return false;
    hlen = (size_t)(colon - text);
    if (hlen >= 2 && text[0] == '[' && text[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    if (!hlen || hlen >= size)
        return false;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = (int)p;
    return true;
}

static bool read_pem(const char *path, struct vp_buf *out)
{
    if (vp_read_file(path, PEM_MAX, out) == VP_OK)
        return true;
    ccli_say_error("central.serve.tls_file", "file", path, NULL);
    return false;
}

/* --header-timeout S, --body-timeout S (1-600), --connections-per-address N (1-1000). */
static bool read_limits(const struct ccli_args *a, struct chttp_config *cfg)
{
    int64_t h = CHTTP_HEADER_MS / 1000, b = CHTTP_BODY_MS / 1000, n = CHTTP_PER_IP;
    if ((a->header_timeout && !vp_parse_i64(a->header_timeout, 1, 600, &h)) ||
        (a->body_timeout && !vp_parse_i64(a->body_timeout, 1, 600, &b)) ||
        (a->per_address && !vp_parse_i64(a->per_address, 1, 1000, &n))) {
        ccli_say_error("central.usage.limits", NULL);
        return false;
    }
    cfg->header_ms = (int)h * 1000;
    cfg->body_ms = (int)b * 1000;
    cfg->per_ip_connections = (unsigned)n;
    return true;
}

/* Room for every connection the server may hold: the soft limit on open
 * files goes up to the hard one (a service's soft limit is often 1024). */
static void raise_file_limit(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max && r.rlim_cur < 65536) {
        r.rlim_cur = r.rlim_max < 65536 ? r.rlim_max : 65536;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

static bool read_config(const struct ccli_args *a, struct chttp_config *cfg, char *host,
                        size_t hsize, struct vp_buf *cert, struct vp_buf *key)
{
    int64_t v;
    memset(cfg, 0, sizeof(*cfg));
    if (!split_listen(a->listen ? a->listen : DEFAULT_LISTEN, host, hsize, &cfg->port)) {
        ccli_say_error("central.usage.listen", NULL);
        return false;
    }
    cfg->host = host;
    cfg->insecure_http = a->insecure_http;
    if (a->trusted_proxy) {
        unsigned char addr[sizeof(struct in6_addr)];
        if (inet_pton(AF_INET, a->trusted_proxy, addr) != 1 &&
            inet_pton(AF_INET6, a->trusted_proxy, addr) != 1) {
            ccli_say_error("central.usage.proxy", NULL);
            return false;
        }
        cfg->trusted_proxy = a->trusted_proxy;
    }
    if (a->threads) {
        if (!vp_parse_i64(a->threads, 1, 64, &v)) {
            ccli_say_error("central.usage.threads", NULL);
            return false;
        }
        cfg->threads = (unsigned)v;
    }
    if (!read_limits(a, cfg))
        return false;
    if (!a->tls_cert != !a->tls_key) {
        ccli_say_error("central.usage.tls", NULL);
        return false;
    }
    if (a->tls_cert) {
        if (!read_pem(a->tls_cert, cert) || !read_pem(a->tls_key, key))
            return false;
        cfg->tls_cert = cert->data;
        cfg->tls_key = key->data;
    }
    return true;
}

/* The token: the file's first line, 16-127 printable ASCII characters
 * without spaces (from a file, so it is not in the process list). */
static bool read_token(const char *path, char *out, size_t size)
{
    struct vp_buf b = VP_BUF_INIT;
    size_t n;
    bool ok = vp_read_file(path, 4096, &b) == VP_OK && b.len;
    out[0] = '\0';
    if (ok) {
        n = strcspn(b.data, "\r\n");
        ok = n >= TOKEN_MIN && n < size;
        for (size_t i = 0; ok && i < n; i++)
            ok = b.data[i] > ' ' && b.data[i] < 0x7f;
        if (ok)
            vp_snprintf(out, size, "%.*s", (int)n, b.data);
        sodium_memzero(b.data, b.len);
    }
    vp_buf_release(&b);
    if (!ok)
        ccli_say_error("central.serve.metrics_token", "file", path, NULL);
    return ok;
}

/* --metrics-listen HOST:PORT, --metrics-token-file FILE, --log-format. */
static bool read_extras(const struct ccli_args *a, struct serve_metrics *m)
{
    enum vp_log_format format;
    memset(m, 0, sizeof(*m));
    if (a->log_format) {
        if (!vp_log_parse_format(a->log_format, &format)) {
            ccli_say_error("central.usage.log_format", NULL);
            return false;
        }
        vp_log_set_format(format);
    }
    if (a->metrics_listen) {
        if (!split_listen(a->metrics_listen, m->host, sizeof(m->host), &m->port)) {
            ccli_say_error("central.usage.listen", NULL);
            return false;
        }
        m->listen = true;
    }
    return !a->metrics_token_file || read_token(a->metrics_token_file, m->token, sizeof(m->token));
}

bool ccli_retention_days(const struct ccli_args *a, int64_t *signal_days, int64_t *case_days)
{
    *signal_days = CSTORE_SIGNAL_DAYS;
    *case_days = CSTORE_CASE_DAYS;
    if ((a->signal_days && !vp_parse_i64(a->signal_days, 30, 3650, signal_days)) ||
        (a->case_days && !vp_parse_i64(a->case_days, 30, 3650, case_days))) {
        ccli_say_error("central.usage.retention", NULL);
        return false;
    }
    return true;
}

/* Retention runs at start and every hour; a failure is logged, not fatal. */
static void purge_now(struct cstore *st, const struct capp_options *opt)
{
    vp_result res = cstore_purge(st, vp_now_ms(), opt->signal_days, opt->case_days, NULL);
    if (res)
        vp_warn("retention: purge failed: %s", vp_result_name(res));
}

static void say_start_error(const char *why, const char *host)
{
    if (!strcmp(why, "insecure"))
        ccli_say_error("central.serve.insecure", NULL);
    else if (!strcmp(why, "tls"))
        ccli_say_error("central.serve.tls", NULL);
    else
        ccli_say_error("central.serve.listen", "address", host, NULL);
}

/* /metrics on its own listener: that route only, plain HTTP under the same
 * rule as the main listener (loopback, or --insecure-http). */
static vp_result start_metrics(const struct chttp_config *cfg, const struct serve_metrics *m,
                               struct capp *app, struct chttp_router *router,
                               struct chttp_server **out)
{
    struct chttp_config mc;
    const char *why = "";
    vp_result res;
    chttp_router_init(router, capi_authorize);
    if ((res = cmetrics_open_routes(router)) != VP_OK)
        return res;
    memset(&mc, 0, sizeof(mc));
    mc.host = m->host;
    mc.port = m->port;
    mc.insecure_http = cfg->insecure_http;
    mc.threads = 1;
    mc.per_ip_connections = cfg->per_ip_connections;
    mc.router = router;
    if ((res = chttp_start(&mc, app, out, &why)) != VP_OK)
        say_start_error(why, m->host);
    return res;
}

static void wait_for_signal(struct cstore *st, const struct capp_options *opt)
{
    sigset_t set;
    int sig = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    purge_now(st, opt);
    for (;;) {
        struct timespec hour = { 3600, 0 };
        sig = sigtimedwait(&set, NULL, &hour);
        if (sig == SIGTERM || sig == SIGINT)
            break;
        if (sig < 0 && errno == EAGAIN)
            purge_now(st, opt);
    }
    vp_info("signal %d: stopping", sig);
}

static int serve_until_signal(struct cstore *st, const struct chttp_config *cfg,
                              const struct capp_options *opt, const struct serve_metrics *m)
{
    struct capp app;
    struct chttp_router router, mrouter;
    struct chttp_config with_routes = *cfg;
    struct chttp_server *srv = NULL, *msrv = NULL;
    const char *why = "";
    vp_result res;
    capp_init(&app, st, opt);
    app.tls = cfg->tls_cert != NULL;
    vp_strlcpy(app.metrics_token, m->token, sizeof(app.metrics_token));
    chttp_router_init(&mrouter, NULL);
    res = croutes_fill(&router);
    if (!res && m->token[0])
        res = cmetrics_token_routes(&router);
    with_routes.router = &router;
    if (!res && (res = chttp_start(&with_routes, &app, &srv, &why)) != VP_OK)
        say_start_error(why, cfg->host);
    if (!res && m->listen && (res = start_metrics(cfg, m, &app, &mrouter, &msrv)) != VP_OK)
        chttp_stop(srv, 0);
    if (res) {
        chttp_router_release(&router);
        chttp_router_release(&mrouter);
        capp_release(&app);
        return CCLI_FAIL;
    }
    printf("listening on %s://%s%s%s:%d\n", app.tls ? "https" : "http",
           strchr(cfg->host, ':') ? "[" : "", cfg->host, strchr(cfg->host, ':') ? "]" : "",
           chttp_port(srv));
    fflush(stdout);
    if (msrv)
        vp_info("metrics on http://%s:%d/metrics", m->host, chttp_port(msrv));
    wait_for_signal(st, opt);
    chttp_stop(srv, 10000);
    chttp_stop(msrv, 1000);
    chttp_router_release(&router);
    chttp_router_release(&mrouter);
    capp_release(&app);
    return CCLI_OK;
}

int ccli_serve(const struct ccli_args *a)
{
    struct chttp_config cfg;
    struct capp_options opt;
    struct serve_metrics metrics;
    struct vp_buf cert = VP_BUF_INIT, key = VP_BUF_INIT;
    struct cstore *st = NULL;
    char host[256], *dir;
    sigset_t set;
    unsigned char secret[32];
    int64_t rate = 0;
    int status = CCLI_USAGE;
    vp_result res;
    memset(&opt, 0, sizeof(opt));
    memset(&metrics, 0, sizeof(metrics));
    if (a->rate && !vp_parse_i64(a->rate, 1, 1000000, &rate)) {
        ccli_say_error("central.usage.rate", NULL);
        return CCLI_USAGE;
    }
    opt.device_rate_per_min = (double)rate;
    if (!ccli_retention_days(a, &opt.signal_days, &opt.case_days))
        goto out;
    if (!read_config(a, &cfg, host, sizeof(host), &cert, &key) || !read_extras(a, &metrics))
        goto out;
    /* every thread inherits this mask: only sigwait() sees the signals */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    raise_file_limit();
    dir = vp_data_dir(a->data);
    res = cstore_open(dir, &st);
    if (!res && (res = vp_secret_load(dir, CCLI_SECRET_FILE, secret)) != VP_OK)
        cstore_close(st);
    free(dir);
    if (res) {
        status = ccli_fail(res);
        goto out;
    }
    opt.secret = secret;
    status = serve_until_signal(st, &cfg, &opt, &metrics);
    cstore_close(st);
out:
    sodium_memzero(secret, sizeof(secret));
    sodium_memzero(&metrics, sizeof(metrics));
    if (key.len)
        sodium_memzero(key.data, key.len);
    vp_buf_release(&cert);
    vp_buf_release(&key);
    return status;
}
