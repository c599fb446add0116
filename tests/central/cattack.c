#include "cattack.h"
#include "craw.h"
#include "vp_time.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_nonblocking(const char *src, int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    inet_pton(AF_INET, src, &a.sin_addr);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
        goto fail;
    a.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 && errno != EINPROGRESS)
        goto fail;
    return fd;
fail:
    close(fd);
    return -1;
}

static void *slow_headers(void *arg)
{
    struct cattack_slow *a = arg;
    int n = a->addrs * a->conns;
    struct pollfd *p = calloc((size_t)n, sizeof(*p));
    int64_t *next = calloc((size_t)n, sizeof(*next));
    char src[32], junk[4096];
    if (!p || !next)
        abort();
    for (int i = 0; i < n; i++) {
        p[i].fd = -1;
        next[i] = vp_mono_ms() + ((int64_t)i * a->line_ms) / n; /* spread over one tick */
    }
    while (!atomic_load(&a->stop)) {
        int64_t now = vp_mono_ms();
        for (int i = 0; i < n; i++) {
            if (now < next[i])
                continue;
            next[i] = now + a->line_ms;
            if (p[i].fd < 0) {
                snprintf(src, sizeof(src), "127.0.1.%d", 1 + i % a->addrs);
                p[i].fd = connect_nonblocking(src, a->port);
                p[i].events = POLLIN;
                a->connects++;
                if (p[i].fd >= 0)
                    send(p[i].fd, "GET /healthz HTTP/1.1\r\n", 23, MSG_NOSIGNAL);
            } else {
                send(p[i].fd, "X-Slow: 1\r\n", 11, MSG_NOSIGNAL);
            }
        }
        if (poll(p, (nfds_t)n, 100) > 0)
            for (int i = 0; i < n; i++)
                if (p[i].fd >= 0 && p[i].revents && recv(p[i].fd, junk, sizeof(junk), 0) <= 0) {
                    close(p[i].fd); /* the server cut it: again at the next tick */
                    p[i].fd = -1;
                    a->cut++;
                }
    }
    for (int i = 0; i < n; i++)
        if (p[i].fd >= 0)
            close(p[i].fd);
    free(p);
    free(next);
    return NULL;
}

void cattack_slow_start(struct cattack_slow *a)
{
    atomic_store(&a->stop, false);
    a->connects = a->cut = 0;
    craw_raise_file_limit();
    pthread_create(&a->thread, NULL, slow_headers, a);
}

void cattack_slow_stop(struct cattack_slow *a)
{
    atomic_store(&a->stop, true);
    pthread_join(a->thread, NULL);
}

struct cattack_login {
    pthread_t thread;
    int port, i, addrs;
    int64_t due;
    int status;
};

static void *wrong_login(void *arg)
{
    struct cattack_login *w = arg;
    struct vp_buf req = VP_BUF_INIT, body = VP_BUF_INIT, ans = VP_BUF_INIT;
    char src[32];
    int64_t now = vp_mono_ms();
    if (now < w->due)
        usleep((useconds_t)(w->due - now) * 1000);
    snprintf(src, sizeof(src), "127.0.3.%d", 1 + w->i % w->addrs);
    vp_buf_addf(&body, "{\"email\":\"flood-%d@example.org\",\"password\":\"fout-%d\"}", w->i, w->i);
    vp_buf_addf(&req,
                "POST /api/console/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                body.len, body.data);
    w->status = craw_request(src, w->port, req.data, req.len, 20000, &ans);
    vp_buf_release(&req);
    vp_buf_release(&body);
    vp_buf_release(&ans);
    return NULL;
}

void cattack_logins_start(struct cattack_logins *f)
{
    int64_t t0 = vp_mono_ms();
    f->each = calloc((size_t)f->n, sizeof(*f->each));
    if (!f->each)
        abort();
    for (int i = 0; i < f->n; i++) {
        struct cattack_login *w = &f->each[i];
        w->port = f->port;
        w->i = i;
        w->addrs = f->addrs;
        w->due = t0 + (int64_t)i * f->spread_ms / f->n;
        pthread_create(&w->thread, NULL, wrong_login, w);
    }
}

void cattack_logins_wait(struct cattack_logins *f)
{
    f->evaluated = f->refused = f->other = 0;
    for (int i = 0; i < f->n; i++) {
        pthread_join(f->each[i].thread, NULL);
        if (f->each[i].status == 401)
            f->evaluated++;
        else if (f->each[i].status == 429)
            f->refused++;
        else
            f->other++;
    }
    free(f->each);
    f->each = NULL;
}
