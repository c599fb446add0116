#include "world.h"
#include "vp_core.h"
#include "vp_test.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef VP_CENTRAL_BIN
#error "VP_CENTRAL_BIN must name the vindplaats-central binary"
#endif

static int central_out = -1; /* read end of the service's stdout */

int world_run(const char *const argv[], const char *const env[], const char *out_path,
              int kill_after_ms)
{
    pid_t pid = fork();
    int status = 0;
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            close(fd);
        }
        for (int i = 0; env && env[i]; i++)
            putenv((char *)(uintptr_t)env[i]);
        execv(argv[0], (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    if (kill_after_ms >= 0) {
        int64_t deadline = vp_mono_ms() + kill_after_ms;
        while (vp_mono_ms() < deadline) {
            if (waitpid(pid, &status, WNOHANG) == pid)
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            usleep(1000);
        }
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return -9;
    }
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int world_central_cmd(struct world *w, const char *const argv[])
{
    char *out = vp_path_join(w->dir, "cmd.out");
    int rc = world_run(argv, NULL, out, -1);
    free(out);
    return rc;
}

/* Reads the service's stdout until "listening on http://H:PORT". */
static int wait_listening(int fd, int *port)
{
    char buf[512];
    size_t len = 0;
    int64_t deadline = vp_mono_ms() + 15000;
    while (vp_mono_ms() < deadline && len < sizeof(buf) - 1) {
        struct pollfd p = { fd, POLLIN, 0 };
        ssize_t n;
        char *at, *colon;
        if (poll(&p, 1, 100) <= 0)
            continue;
        n = read(fd, buf + len, sizeof(buf) - 1 - len);
        if (n <= 0)
            return -1;
        len += (size_t)n;
        buf[len] = '\0';
        at = strstr(buf, "listening on ");
        if (at && strchr(at, '\n')) {
            int64_t v;
            char num[16];
            colon = strrchr(at, ':');
            if (!colon)
                return -1;
            vp_strlcpy(num, colon + 1, sizeof(num));
            num[strcspn(num, "/\n")] = '\0';
            if (!vp_parse_i64(num, 1, 65535, &v))
                return -1;
            *port = (int)v;
            return 0;
        }
    }
    return -1;
}

int world_central_start(struct world *w, const char *fault)
{
    int fds[2];
    pid_t pid;
    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char *log = vp_path_join(w->dir, "central.log");
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        const char *argv[] = { VP_CENTRAL_BIN, "serve",       "--data", w->central_data,
                               "--listen",     "127.0.0.1:0", NULL };
        dup2(fds[1], 1);
        if (fd >= 0)
            dup2(fd, 2);
        close(fds[0]);
        close(fds[1]);
        if (fault)
            setenv("VP_FAULT", fault, 1);
        else
            unsetenv("VP_FAULT");
        execv(argv[0], (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    close(fds[1]);
    if (central_out >= 0)
        close(central_out);
    central_out = fds[0];
    w->central_pid = pid;
    if (wait_listening(central_out, &w->central_port) != 0) {
        fprintf(stderr, "world: central did not start (see %s/central.log)\n", w->dir);
        world_central_kill(w);
        return -1;
    }
    faultproxy_set_target(w->proxy, w->central_port);
    return 0;
}

static void reap(struct world *w, int sig)
{
    int status;
    if (w->central_pid <= 0)
        return;
    kill(w->central_pid, sig);
    waitpid(w->central_pid, &status, 0);
    w->central_pid = 0;
}

void world_central_stop(struct world *w)
{
    reap(w, SIGTERM);
}

void world_central_kill(struct world *w)
{
    reap(w, SIGKILL);
}

static int parse_demo(struct world *w, const char *path)
{
    struct vp_buf b = VP_BUF_INIT;
    char *line, *save = NULL;
    if (vp_read_file(path, 1 << 20, &b))
        return -1;
    for (line = b.data; line && *line && w->nloc < 5;) {
        char *next = strchr(line, '\n');
        char *t1, *t2;
        if (next)
            *next++ = '\0';
        if (vp_str_starts_with(line, "Coach: ")) { /* "Coach: EMAIL, wachtwoord: PW (..." */
            const char *comma = strchr(line, ','), *colon = comma ? strchr(comma, ':') : NULL;
            if (comma && colon) {
                vp_strlcpy(w->coach_email, line + 7, sizeof(w->coach_email));
                w->coach_email[comma - line - 7] = '\0';
                vp_strlcpy(w->coach_password, colon + 2, sizeof(w->coach_password));
                w->coach_password[strcspn(w->coach_password, " ")] = '\0';
            }
        }
        t1 = strchr(line, '\t');
        t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (t1 && t2 && !strchr(t2 + 1, '\t')) {
            *t1 = *t2 = '\0';
            vp_strlcpy(w->loc_id[w->nloc], line, VP_UUID_LEN);
            vp_strlcpy(w->loc_code[w->nloc], t1 + 1, 16);
            vp_strlcpy(w->loc_name[w->nloc], t2 + 1, 32);
            w->nloc++;
        }
        line = next;
    }
    (void)save;
    vp_buf_release(&b);
    return w->nloc == 5 ? 0 : -1;
}

int world_open(struct world *w)
{
    char *demo;
    const char *argv[] = { VP_CENTRAL_BIN, "demo", "--data", NULL, NULL };
    memset(w, 0, sizeof(*w));
    w->dir = vp_test_tempdir();
    w->central_data = vp_path_join(w->dir, "central");
    vp_mkdir_p(w->central_data);
    demo = vp_path_join(w->dir, "demo.txt");
    argv[3] = w->central_data;
    if (world_run(argv, NULL, demo, -1) != 0 || parse_demo(w, demo) != 0) {
        fprintf(stderr, "world: demo failed\n");
        free(demo);
        return -1;
    }
    free(demo);
    w->proxy = faultproxy_start(1);
    if (!w->proxy)
        return -1;
    snprintf(w->url, sizeof(w->url), "http://127.0.0.1:%d", faultproxy_port(w->proxy));
    return world_central_start(w, NULL);
}

void world_close(struct world *w)
{
    world_central_stop(w);
    if (central_out >= 0) {
        close(central_out);
        central_out = -1;
    }
    faultproxy_stop(w->proxy);
    for (int i = 0; i < w->ntab; i++)
        free(w->tab[i].path);
    if (!getenv("VP_KEEP_WORLD"))
        vp_test_rmtree(w->dir);
    else
        fprintf(stderr, "world kept in %s\n", w->dir);
    free(w->central_data);
    free(w->dir);
}

/* A fresh one-time code for the location (the demo's for the first tablet). */
static int fresh_code(struct world *w, int loc, char code[16])
{
    static bool used[5];
    const char *argv[] = { VP_CENTRAL_BIN, "enroll-code",   "--location", w->loc_id[loc],
                           "--data",       w->central_data, NULL };
    struct vp_buf out = VP_BUF_INIT;
    char *path;
    int rc;
    if (!used[loc]) {
        used[loc] = true;
        vp_strlcpy(code, w->loc_code[loc], 16);
        return 0;
    }
    path = vp_path_join(w->dir, "code.out");
    rc = world_run(argv, NULL, path, -1);
    if (!rc)
        rc = vp_read_file(path, 4096, &out) ? -1 : 0;
    free(path);
    if (!rc) {
        /* the code is the last word printed */
        char *p = out.data + out.len;
        while (p > out.data && (p[-1] == '\n' || p[-1] == ' '))
            *--p = '\0';
        while (p > out.data && p[-1] != '\n' && p[-1] != ' ' && p[-1] != '\t')
            p--;
        vp_strlcpy(code, p, 16);
    }
    vp_buf_release(&out);
    return rc;
}

int world_tablet_add(struct world *w, const char *location)
{
    struct tablet *t;
    struct sync_report rep;
    char code[16], name[32], *dir;
    int loc = -1;
    for (int i = 0; i < w->nloc; i++)
        if (!strcmp(w->loc_name[i], location))
            loc = i;
    if (loc < 0 || w->ntab == WORLD_MAX_TABLETS || fresh_code(w, loc, code) != 0)
        return -1;
    t = &w->tab[w->ntab];
    memset(t, 0, sizeof(*t));
    snprintf(name, sizeof(name), "tablet%d", w->ntab);
    dir = vp_path_join(w->dir, name);
    vp_mkdir_p(dir);
    t->path = vp_path_join(dir, "kiosk.db");
    free(dir);
    vp_strlcpy(t->location, location, sizeof(t->location));
    if (sync_enroll(t->path, w->url, code, NULL, name, &rep) != VP_OK) {
        fprintf(stderr, "world: enrolment failed: %s\n", rep.message);
        free(t->path);
        return -1;
    }
    return w->ntab++;
}

int world_save(struct world *w, int ti, int n)
{
    struct tablet *t = &w->tab[ti];
    struct devstore *s = NULL;
    struct dev_child *kids = NULL;
    struct dev_staff *staff = NULL;
    size_t nk = 0, ns = 0;
    int rc = 0;
    static const char *const codes[] = { "TAAL-02", "SOC-05", "GED-01", "SPEL-02", "ZELF-04" };
    if (devstore_open(t->path, &s) || devstore_children(s, NULL, false, &kids, &nk) ||
        devstore_staff(s, false, &staff, &ns) || !nk || !ns) {
        fprintf(stderr, "world: tablet %d has no children or staff\n", ti);
        devstore_close(s);
        return -1;
    }
    for (int i = 0; i < n && t->nids < WORLD_MAX_SAVED; i++) {
        struct vp_observation o;
        memset(&o, 0, sizeof(o));
        vp_strlcpy(o.child_id, kids[(size_t)i % nk].id, VP_UUID_LEN);
        vp_strlcpy(o.staff_id, staff[0].id, VP_UUID_LEN);
        vp_strlcpy(o.signals[0], codes[i % 5], VP_CODE_LEN);
        o.nsignals = 1;
        o.level = 1 + i % 3;
        if (devstore_observation_record(s, &o) != VP_OK) {
            rc = -1;
            break;
        }
        memcpy(t->ids[t->nids++], o.id, VP_UUID_LEN);
    }
    free(kids);
    free(staff);
    devstore_close(s);
    return rc;
}

vp_result world_sync(struct world *w, int t, struct sync_report *rep)
{
    return sync_round(w->tab[t].path, rep);
}

static int64_t query_int(sqlite3 *db, const char *sql, const char *arg)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (arg)
            sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

static int integrity_ok(sqlite3 *db, const char *what)
{
    sqlite3_stmt *st = NULL;
    int ok = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        ok = !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    if (!ok)
        fprintf(stderr, "check: integrity_check failed for %s\n", what);
    return ok;
}

/* Every acknowledged record a tablet still holds is at the centre. */
static int acked_all_present(sqlite3 *central, sqlite3 *tab, int ti)
{
    sqlite3_stmt *st = NULL;
    int bad = 0;
    sqlite3_prepare_v2(tab, "SELECT record_id FROM outbox WHERE state = 'acked'", -1, &st, NULL);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (query_int(central, "SELECT count(*) FROM records WHERE id = ?1", id) != 1) {
            fprintf(stderr, "check: tablet %d holds %s as acknowledged, the centre lacks it\n", ti,
                    id);
            bad++;
        }
    }
    sqlite3_finalize(st);
    return bad;
}

int64_t world_central_int(struct world *w, const char *sql)
{
    char *path = vp_path_join(w->central_data, "central.db");
    sqlite3 *db = NULL;
    int64_t v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        v = query_int(db, sql, NULL);
    sqlite3_close(db);
    free(path);
    return v;
}

int world_check(struct world *w)
{
    char *path = vp_path_join(w->central_data, "central.db");
    sqlite3 *central = NULL;
    int bad = 0;
    if (sqlite3_open_v2(path, &central, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "check: cannot open %s\n", path);
        free(path);
        return 1;
    }
    bad += !integrity_ok(central, "central.db");
    for (int ti = 0; ti < w->ntab; ti++) {
        struct tablet *t = &w->tab[ti];
        sqlite3 *tab = NULL;
        char device[VP_UUID_LEN] = "";
        sqlite3_stmt *st = NULL;
        for (int i = 0; i < t->nids; i++) {
            int64_t n =
                query_int(central, "SELECT count(*) FROM observations WHERE id = ?1", t->ids[i]);
            if (n != 1) {
                fprintf(stderr, "check: tablet %d observation %s is at the centre %lld times\n", ti,
                        t->ids[i], (long long)n);
                bad++;
            }
        }
        if (sqlite3_open_v2(t->path, &tab, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
            bad++;
            continue;
        }
        bad += !integrity_ok(tab, t->path);
        bad += acked_all_present(central, tab, ti);
        if (sqlite3_prepare_v2(tab, "SELECT device_id FROM device", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            vp_strlcpy(device, (const char *)sqlite3_column_text(st, 0), sizeof(device));
        sqlite3_finalize(st);
        {
            int64_t there = query_int(central,
                                      "SELECT count(*) FROM observations WHERE device_id = ?1"
                                      " AND retracted = 0 AND corrects IS NULL",
                                      device);
            if (there != t->nids) {
                fprintf(stderr, "check: tablet %d saved %d observations, the centre has %lld\n", ti,
                        t->nids, (long long)there);
                bad++;
            }
        }
        sqlite3_close(tab);
    }
    sqlite3_close(central);
    free(path);
    return bad;
}
