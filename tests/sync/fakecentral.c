#include "fakecentral.h"
#include "vp_core.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct fakecentral {
    struct MHD_Daemon *d;
    fake_handler handler;
    void *ctx;
    char url[64];
    atomic_int requests;
    pthread_mutex_t lock; /* one handler call at a time: tests keep simple state */
};

struct upload {
    struct vp_buf raw;
};

static void gunzip(const struct vp_buf *in, struct vp_buf *out)
{
    z_stream zs;
    unsigned char chunk[16384];
    int rc;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return;
    zs.next_in = (Bytef *)in->data;
    zs.avail_in = (uInt)in->len;
    do {
        zs.next_out = chunk;
        zs.avail_out = sizeof(chunk);
        rc = inflate(&zs, Z_NO_FLUSH);
        vp_buf_add(out, chunk, sizeof(chunk) - zs.avail_out);
    } while (rc == Z_OK);
    inflateEnd(&zs);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *size, void **state)
{
    struct fakecentral *f = cls;
    struct upload *up = *state;
    struct fake_request req;
    struct vp_buf out = VP_BUF_INIT;
    struct MHD_Response *resp;
    const char *v;
    int status = 500, retry_after = -1;
    enum MHD_Result ret;
    (void)version;
    if (!up) {
        up = vp_xcalloc(1, sizeof(*up));
        vp_buf_init(&up->raw);
        *state = up;
        return MHD_YES;
    }
    if (*size) {
        vp_buf_add(&up->raw, data, *size);
        *size = 0;
        return MHD_YES;
    }
    memset(&req, 0, sizeof(req));
    vp_buf_init(&req.body);
    vp_strlcpy(req.method, method, sizeof(req.method));
    vp_strlcpy(req.url, url, sizeof(req.url));
    v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "since");
    if (v) {
        size_t n = strlen(req.url);
        snprintf(req.url + n, sizeof(req.url) - n, "?since=%s", v);
    }
    v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    vp_strlcpy(req.auth, v ? v : "", sizeof(req.auth));
    v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Encoding");
    req.gzipped = v && !strcmp(v, "gzip");
    if (req.gzipped)
        gunzip(&up->raw, &req.body);
    else
        vp_buf_add(&req.body, up->raw.data, up->raw.len);
    atomic_fetch_add(&f->requests, 1);
    pthread_mutex_lock(&f->lock);
    f->handler(f->ctx, &req, &status, &out, &retry_after);
    pthread_mutex_unlock(&f->lock);
    resp = MHD_create_response_from_buffer(out.len, out.data, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    if (retry_after >= 0) {
        char ra[16];
        snprintf(ra, sizeof(ra), "%d", retry_after);
        MHD_add_response_header(resp, "Retry-After", ra);
    }
    ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    vp_buf_release(&out);
    vp_buf_release(&req.body);
    return ret;
}

static void on_done(void *cls, struct MHD_Connection *conn, void **state,
                    enum MHD_RequestTerminationCode code)
{
    struct upload *up = *state;
    (void)cls;
    (void)conn;
    (void)code;
    if (up) {
        vp_buf_release(&up->raw);
        free(up);
        *state = NULL;
    }
}

struct fakecentral *fakecentral_start(fake_handler handler, void *ctx)
{
    struct fakecentral *f = vp_xcalloc(1, sizeof(*f));
    const union MHD_DaemonInfo *info;
    f->handler = handler;
    f->ctx = ctx;
    pthread_mutex_init(&f->lock, NULL);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    f->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                            on_request, f, MHD_OPTION_NOTIFY_COMPLETED, on_done, f,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_END);
    if (!f->d) {
        free(f);
        return NULL;
    }
    info = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%u", (unsigned)info->port);
    return f;
}

const char *fakecentral_url(const struct fakecentral *f)
{
    return f->url;
}

int fakecentral_requests(struct fakecentral *f)
{
    return atomic_load(&f->requests);
}

void fakecentral_stop(struct fakecentral *f)
{
    if (!f)
        return;
    MHD_stop_daemon(f->d);
    pthread_mutex_destroy(&f->lock);
    free(f);
}
