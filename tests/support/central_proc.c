#define _GNU_SOURCE
#include "central_proc.h"
#include "vp_str.h"
#include "vp_time.h"
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef VP_CENTRAL_BIN
#define VP_CENTRAL_BIN "vindplaats-central"
#endif

const char *central_proc_binary(void)
{
    const char *env = getenv("VP_CENTRAL_BIN");
    return env && *env ? env : VP_CENTRAL_BIN;
}

/* Reads one line from fd within timeout_ms; false on EOF or timeout. */
static bool read_line(int fd, char *line, size_t size, int timeout_ms)
{
    size_t n = 0;
    int64_t until = vp_mono_ms() + timeout_ms;
    while (n + 1 < size) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        int left = (int)(until - vp_mono_ms());
        char c;
        if (left <= 0 || poll(&pfd, 1, left) <= 0)
            return false;
        if (read(fd, &c, 1) != 1)
            return false;
        if (c == '\n')
            break;
        line[n++] = c;
    }
    line[n] = '\0';
    return true;
}

static void exec_serve(struct central_proc *p, int out_fd)
{
    const char *argv[8 + CENTRAL_PROC_MAX_ARGS];
    int n = 0;
    dup2(out_fd, 1);
    close(out_fd);
    for (int i = 0; i < p->nenv; i++)
        putenv(p->env[i]);
    argv[n++] = central_proc_binary();
    argv[n++] = "serve";
    argv[n++] = "--data";
    argv[n++] = p->data_dir;
    argv[n++] = "--listen";
    argv[n++] = "127.0.0.1:0";
    for (int i = 0; i < p->nargs; i++)
        argv[n++] = p->args[i];
    argv[n] = NULL;
    execv(argv[0], (char *const *)argv);
    fprintf(stderr, "central_proc: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static int launch(struct central_proc *p)
{
    int fds[2];
    char line[256];
    const char *colon;
    int64_t port;
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    p->pid = fork();
    if (p->pid < 0)
        return -1;
    if (p->pid == 0) {
        close(fds[0]);
        exec_serve(p, fds[1]);
    }
    close(fds[1]);
    p->out_fd = fds[0];
    if (!read_line(p->out_fd, line, sizeof(line), 15000) ||
        !vp_str_starts_with(line, "listening on ") || !(colon = strrchr(line, ':')) ||
        !vp_parse_i64(colon + 1, 1, 65535, &port)) {
        fprintf(stderr, "central_proc: the server did not say where it listens\n");
        central_proc_kill(p);
        return -1;
    }
    p->port = (int)port;
    snprintf(p->url, sizeof(p->url), "http://127.0.0.1:%d", p->port);
    if (!central_proc_wait_healthy(p, 10000)) {
        fprintf(stderr, "central_proc: /healthz did not answer\n");
        central_proc_kill(p);
        return -1;
    }
    return 0;
}

static void set_env(struct central_proc *p, const char *const env[])
{
    p->nenv = 0;
    for (int i = 0; env && env[i] && i < CENTRAL_PROC_MAX_ENV; i++)
        vp_strlcpy(p->env[p->nenv++], env[i], sizeof(p->env[0]));
}

int central_proc_start(struct central_proc *p, const char *data_dir, const char *const env[],
                       const char *const args[])
{
    memset(p, 0, sizeof(*p));
    p->out_fd = -1;
    vp_strlcpy(p->data_dir, data_dir, sizeof(p->data_dir));
    set_env(p, env);
    for (int i = 0; args && args[i] && i < CENTRAL_PROC_MAX_ARGS; i++)
        vp_strlcpy(p->args[p->nargs++], args[i], sizeof(p->args[0]));
    return launch(p);
}

int central_proc_restart(struct central_proc *p, const char *const env[])
{
    if (p->pid)
        central_proc_stop(p);
    if (env)
        set_env(p, env);
    return launch(p);
}

static int reap(struct central_proc *p, int timeout_ms)
{
    int64_t until = vp_mono_ms() + timeout_ms;
    int status = 0;
    while (waitpid(p->pid, &status, WNOHANG) == 0) {
        if (vp_mono_ms() > until) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &status, 0);
            status = -1;
            break;
        }
        usleep(10000);
    }
    if (p->out_fd >= 0)
        close(p->out_fd);
    p->out_fd = -1;
    p->pid = 0;
    if (status == -1 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

int central_proc_stop(struct central_proc *p)
{
    if (!p->pid)
        return -1;
    kill(p->pid, SIGTERM);
    return reap(p, 15000);
}

void central_proc_kill(struct central_proc *p)
{
    if (!p->pid)
        return;
    kill(p->pid, SIGKILL);
    reap(p, 15000);
}

bool central_proc_wait_healthy(const struct central_proc *p, int timeout_ms)
{
    int64_t until = vp_mono_ms() + timeout_ms;
    do {
        struct central_http r;
        central_http("GET", p->url, "/healthz", NULL, NULL, 0, 2000, &r);
        central_http_release(&r);
        if (r.status == 200)
            return true;
        usleep(20000);
    } while (vp_mono_ms() < until);
    return false;
}

/* ---- running commands ---- */

static void run_child(const char *data_dir, const char *const argv[], int in_fd, int out_fd)
{
    const char *args[32];
    int n = 0;
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    close(in_fd);
    close(out_fd);
    args[n++] = central_proc_binary();
    for (int i = 0; argv[i] && n < 28; i++)
        args[n++] = argv[i];
    args[n++] = "--data";
    args[n++] = data_dir;
    args[n] = NULL;
    execv(args[0], (char *const *)args);
    _exit(127);
}

int central_proc_run(const char *data_dir, const char *const argv[], const char *stdin_text,
                     struct vp_buf *out)
{
    int in[2], outp[2], status;
    char buf[4096];
    ssize_t got;
    pid_t pid;
    if (pipe(in) != 0 || pipe(outp) != 0)
        return -1;
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(in[1]);
        close(outp[0]);
        run_child(data_dir, argv, in[0], outp[1]);
    }
    close(in[0]);
    close(outp[1]);
    if (stdin_text && write(in[1], stdin_text, strlen(stdin_text)) < 0)
        perror("central_proc: write");
    close(in[1]);
    while ((got = read(outp[0], buf, sizeof(buf))) > 0)
        if (out)
            vp_buf_add(out, buf, (size_t)got);
    close(outp[0]);
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static bool parse_demo_line(char *line, struct central_demo_location *loc)
{
    char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (!t2 || strchr(t2 + 1, '\t'))
        return false;
    *t1 = *t2 = '\0';
    if (strlen(line) != 36)
        return false;
    vp_strlcpy(loc->id, line, sizeof(loc->id));
    vp_strlcpy(loc->code, t1 + 1, sizeof(loc->code));
    vp_strlcpy(loc->name, t2 + 1, sizeof(loc->name));
    return true;
}

/* The password follows the first ": " after the email on the coach line. */
static void parse_password(const char *text, char *password)
{
    const char *at = strstr(text, "@kluppluz.example");
    const char *p = at ? strstr(at, ": ") : NULL;
    size_t n;
    password[0] = '\0';
    if (!p)
        return;
    p += 2;
    n = strcspn(p, " \n");
    if (n < 64) {
        memcpy(password, p, n);
        password[n] = '\0';
    }
}

int central_proc_demo(const char *data_dir, struct central_demo_location *out, int max,
                      char *password)
{
    static const char *const argv[] = { "demo", NULL };
    struct vp_buf text = VP_BUF_INIT;
    int n = 0;
    char *line, *save = NULL;
    if (central_proc_run(data_dir, argv, NULL, &text) != 0) {
        vp_buf_release(&text);
        return -1;
    }
    if (password)
        parse_password(text.data, password);
    for (line = strtok_r(text.data, "\n", &save); line && n < max;
         line = strtok_r(NULL, "\n", &save))
        if (parse_demo_line(line, &out[n]))
            n++;
    vp_buf_release(&text);
    return n;
}

/* ---- HTTP ---- */

static size_t on_data(char *ptr, size_t size, size_t n, void *ud)
{
    vp_buf_add(ud, ptr, size * n);
    return size * n;
}

int central_http(const char *method, const char *base, const char *path,
                 const char *const headers[], const void *body, size_t len, int timeout_ms,
                 struct central_http *out)
{
    static bool inited;
    struct curl_slist *hl = NULL;
    struct vp_buf url = VP_BUF_INIT;
    CURL *c;
    CURLcode rc;
    memset(out, 0, sizeof(*out));
    vp_buf_init(&out->body);
    vp_buf_init(&out->headers);
    if (!inited) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        inited = true;
    }
    c = curl_easy_init();
    vp_buf_addf(&url, "%s%s", base, path);
    for (int i = 0; headers && headers[i]; i++)
        hl = curl_slist_append(hl, headers[i]);
    hl = curl_slist_append(hl, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url.data);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout_ms ? timeout_ms : 30000));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &out->headers);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    vp_buf_release(&url);
    return rc == CURLE_OK ? 0 : -1;
}

void central_http_release(struct central_http *r)
{
    vp_buf_release(&r->body);
    vp_buf_release(&r->headers);
}

const char *central_http_header(const struct central_http *r, const char *name, char *buf,
                                size_t size)
{
    size_t nlen = strlen(name);
    for (const char *line = r->headers.data; line && *line;) {
        const char *end = strchr(line, '\n');
        if (!strncasecmp(line, name, nlen) && line[nlen] == ':') {
            const char *v = line + nlen + 1;
            size_t n;
            while (*v == ' ')
                v++;
            n = (size_t)((end ? end : v + strlen(v)) - v);
            while (n && (v[n - 1] == '\r' || v[n - 1] == '\n'))
                n--;
            if (n >= size)
                n = size - 1;
            memcpy(buf, v, n);
            buf[n] = '\0';
            return buf;
        }
        line = end ? end + 1 : NULL;
    }
    return NULL;
}
