#include "faultproxy.h"
#include "vp_core.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct faultproxy {
    int listen_fd;
    int port;
    atomic_int target;
    atomic_int mode;
    atomic_int connections;
    atomic_int active; /* link threads still running */
    atomic_bool stop;
    pthread_t thread;
};

struct link {
    struct faultproxy *p;
    int client;
};

static int connect_local(int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static void reset_close(int fd)
{
    struct linger l = { 1, 0 }; /* close with RST */
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd);
}

/* Copies what is readable from one side to the other; false on EOF/error. */
static bool pump(int from, int to)
{
    char buf[16384];
    ssize_t n = read(from, buf, sizeof(buf));
    if (n <= 0)
        return false;
    for (ssize_t off = 0; off < n;) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w <= 0)
            return false;
        off += w;
    }
    return true;
}

static void *serve_link(void *arg)
{
    struct link *l = arg;
    struct faultproxy *p = l->p;
    int server = -1;
    char sink[16384];
    while (!atomic_load(&p->stop)) {
        struct pollfd fds[2] = { { l->client, POLLIN, 0 }, { server, POLLIN, 0 } };
        int mode = atomic_load(&p->mode);
        if (poll(fds, server >= 0 ? 2 : 1, 100) < 0 && errno != EINTR)
            break;
        if (mode == FP_RESET) {
            if (fds[0].revents & POLLIN)
                (void)!read(l->client, sink, sizeof(sink));
            reset_close(l->client);
            l->client = -1;
            break;
        }
        if (mode == FP_STALL) { /* swallow everything, answer nothing */
            if ((fds[0].revents & POLLIN) && read(l->client, sink, sizeof(sink)) <= 0)
                break;
            continue;
        }
        if (server < 0) {
            server = connect_local(atomic_load(&p->target));
            if (server < 0) {
                reset_close(l->client); /* the server is down: the link is refused */
                l->client = -1;
                break;
            }
            continue;
        }
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(l->client, server))
            break;
        if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && mode == FP_DROP_ANSWER) {
            (void)!read(server, sink, sizeof(sink)); /* the answer goes nowhere */
            reset_close(l->client);
            l->client = -1;
            break;
        }
        if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(server, l->client))
            break;
    }
    if (l->client >= 0)
        close(l->client);
    if (server >= 0)
        close(server);
    free(l);
    atomic_fetch_sub(&p->active, 1);
    return NULL;
}

static void *accept_loop(void *arg)
{
    struct faultproxy *p = arg;
    while (!atomic_load(&p->stop)) {
        struct pollfd pfd = { p->listen_fd, POLLIN, 0 };
        pthread_t t;
        struct link *l;
        int fd;
        if (poll(&pfd, 1, 100) <= 0)
            continue;
        fd = accept(p->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        atomic_fetch_add(&p->connections, 1);
        l = vp_xcalloc(1, sizeof(*l));
        l->p = p;
        l->client = fd;
        atomic_fetch_add(&p->active, 1);
        if (pthread_create(&t, NULL, serve_link, l) != 0) {
            atomic_fetch_sub(&p->active, 1);
            close(fd);
            free(l);
            continue;
        }
        pthread_detach(t);
    }
    return NULL;
}

struct faultproxy *faultproxy_start(int target_port)
{
    struct faultproxy *p = vp_xcalloc(1, sizeof(*p));
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int one = 1;
    p->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(p->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(p->listen_fd, 64) != 0 ||
        getsockname(p->listen_fd, (struct sockaddr *)&a, &len) != 0) {
        if (p->listen_fd >= 0)
            close(p->listen_fd);
        free(p);
        return NULL;
    }
    p->port = ntohs(a.sin_port);
    atomic_store(&p->target, target_port);
    atomic_store(&p->mode, FP_PASS);
    if (pthread_create(&p->thread, NULL, accept_loop, p) != 0) {
        close(p->listen_fd);
        free(p);
        return NULL;
    }
    return p;
}

int faultproxy_port(const struct faultproxy *p)
{
    return p->port;
}

void faultproxy_set_mode(struct faultproxy *p, enum fp_mode mode)
{
    atomic_store(&p->mode, (int)mode);
}

void faultproxy_set_target(struct faultproxy *p, int target_port)
{
    atomic_store(&p->target, target_port);
}

int faultproxy_connections(struct faultproxy *p)
{
    return atomic_load(&p->connections);
}

void faultproxy_stop(struct faultproxy *p)
{
    if (!p)
        return;
    atomic_store(&p->stop, true);
    pthread_join(p->thread, NULL);
    close(p->listen_fd);
    while (atomic_load(&p->active) > 0) /* links notice stop within one poll interval */
        usleep(10 * 1000);
    free(p);
}
