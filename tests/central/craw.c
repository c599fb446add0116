#include "craw.h"
#include "vp_str.h"
#include "vp_time.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

int craw_connect(const char *src, int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    if (src) {
        inet_pton(AF_INET, src, &a.sin_addr);
        if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
            close(fd);
            return -1;
        }
    }
    a.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool craw_send(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* True once out holds a whole answer with a Content-Length. */
static bool complete(const struct vp_buf *out)
{
    char v[32];
    const char *end = out->len ? strstr(out->data, "\r\n\r\n") : NULL;
    int64_t n;
    if (!end || !craw_header(out, "Content-Length", v, sizeof(v)) ||
        !vp_parse_i64(v, 0, INT64_MAX, &n))
        return false;
    return (int64_t)(out->len - (size_t)(end + 4 - out->data)) >= n;
}

bool craw_read(int fd, int timeout_ms, struct vp_buf *out)
{
    int64_t until = vp_mono_ms() + timeout_ms;
    char chunk[16384];
    for (;;) {
        struct pollfd p = { fd, POLLIN, 0 };
        int64_t left = until - vp_mono_ms();
        ssize_t n;
        if (complete(out))
            return true;
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            return false;
        n = recv(fd, chunk, sizeof(chunk), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return true; /* closed (or reset) */
        vp_buf_add(out, chunk, (size_t)n);
    }
}

bool craw_wait_closed(int fd, int timeout_ms)
{
    int64_t until = vp_mono_ms() + timeout_ms;
    char chunk[4096];
    for (;;) {
        struct pollfd p = { fd, POLLIN, 0 };
        int64_t left = until - vp_mono_ms();
        ssize_t n;
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            return false;
        n = recv(fd, chunk, sizeof(chunk), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return true;
    }
}

int craw_request(const char *src, int port, const char *request, size_t len, int timeout_ms,
                 struct vp_buf *answer)
{
    int fd = craw_connect(src, port);
    if (fd < 0)
        return 0;
    if (craw_send(fd, request, len))
        craw_read(fd, timeout_ms, answer);
    close(fd);
    return craw_status(answer);
}

int craw_status(const struct vp_buf *answer)
{
    int64_t s;
    char code[4];
    if (answer->len < 12 || strncmp(answer->data, "HTTP/1.", 7) != 0)
        return 0;
    memcpy(code, answer->data + 9, 3);
    code[3] = '\0';
    return vp_parse_i64(code, 100, 599, &s) ? (int)s : 0;
}

const char *craw_header(const struct vp_buf *answer, const char *name, char *buf, size_t size)
{
    size_t nlen = strlen(name);
    const char *p = answer->len ? strstr(answer->data, "\r\n") : NULL;
    const char *end = answer->len ? strstr(answer->data, "\r\n\r\n") : NULL;
    while (p && end && p < end) {
        const char *line = p + 2, *eol = strstr(line, "\r\n");
        if (!eol)
            break;
        if ((size_t)(eol - line) > nlen && !strncasecmp(line, name, nlen) && line[nlen] == ':') {
            const char *v = line + nlen + 1;
            size_t n;
            while (*v == ' ')
                v++;
            n = (size_t)(eol - v);
            if (n >= size)
                n = size - 1;
            memcpy(buf, v, n);
            buf[n] = '\0';
            return buf;
        }
        p = eol;
    }
    return NULL;
}

const char *craw_body(const struct vp_buf *answer)
{
    const char *end = answer->len ? strstr(answer->data, "\r\n\r\n") : NULL;
    return end ? end + 4 : "";
}

void craw_raise_file_limit(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}
