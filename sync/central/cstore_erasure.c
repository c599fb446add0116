/*
 * cstore_erasure.c - the erasure log: DIR/erasures.log, one line per erased
 * child, "TIME<TAB>CHILD_ID<TAB>LOCATION_ID" (RFC 3339 UTC; never a name).
 *
 * The log lives in the data folder and is not part of any backup. An erasure
 * appends and flushes its line before its transaction commits, so a line
 * can only be missing for an erasure that never happened; a restore applies
 * the log again, so an older backup cannot bring an erased child back.
 * (The other way round, a line whose commit then failed, erases that child
 * at the next restore: the coach did ask for it.)
 */
#include "cstore_int.h"
#include "vp_alloc.h"
#include "vp_log.h"
#include "vp_platform.h"
#include "vp_str.h"
#include "vp_time.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOG_MAX (64u << 20) /* ~600,000 erasures */

struct erasure {
    int64_t at_ms;
    char child_id[VP_UUID_LEN];
    char location_id[VP_UUID_LEN];
    bool in_data_log; /* false: only next to the backup; copied over on restore */
};

static vp_result write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return errno == ENOSPC ? VP_ERR_FULL : VP_ERR_IO;
        p += w;
        len -= (size_t)w;
    }
    return VP_OK;
}

void cst_fsync_dir(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
}

vp_result cst_erasure_log_add(const char *dir, const char *child_id, const char *location_id,
                              int64_t at_ms)
{
    char *path = vp_path_join(dir, CSTORE_ERASURE_LOG), line[160], when[VP_TIME_LEN];
    bool existed = access(path, F_OK) == 0;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    vp_result res;
    if (fd < 0) {
        res = errno == ENOSPC ? VP_ERR_FULL : VP_ERR_IO;
        vp_error("erasure log: cannot open %s", path);
        free(path);
        return res;
    }
    vp_time_format(at_ms, when);
    snprintf(line, sizeof(line), "%s\t%s\t%s\n", when, child_id, location_id);
    res = write_all(fd, line, strlen(line)); /* one write: O_APPEND keeps lines whole */
    if (!res && fsync(fd) != 0)
        res = VP_ERR_IO;
    close(fd);
    if (!res && !existed)
        cst_fsync_dir(dir);
    if (res)
        vp_error("erasure log: cannot append to %s", path);
    free(path);
    return res;
}

/* Parses one line; false for a damaged one (a torn last line after a
 * crash: its erasure never committed). */
static bool parse_line(char *line, struct erasure *e)
{
    char *child = strchr(line, '\t'), *loc;
    if (!child)
        return false;
    *child++ = '\0';
    loc = strchr(child, '\t');
    if (!loc)
        return false;
    *loc++ = '\0';
    if (vp_time_parse(line, &e->at_ms) != VP_OK || !vp_uuid_valid(child) || !vp_uuid_valid(loc))
        return false;
    vp_strlcpy(e->child_id, child, sizeof(e->child_id));
    vp_strlcpy(e->location_id, loc, sizeof(e->location_id));
    return true;
}

static bool listed(const struct erasure *list, size_t n, const char *child_id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i].child_id, child_id))
            return true;
    return false;
}

/* Appends the entries of the log at path that are not listed yet. A missing
 * file is an empty log. */
static vp_result read_log(const char *path, bool data_log, struct erasure **list, size_t *n,
                          size_t *cap)
{
    struct vp_buf text = VP_BUF_INIT;
    vp_result res = vp_read_file(path, LOG_MAX, &text);
    char *line, *next;
    int lineno = 0;
    if (res == VP_ERR_NOT_FOUND)
        return VP_OK;
    if (res) {
        vp_error("erasure log: cannot read %s", path);
        return res;
    }
    for (line = text.data; line && *line; line = next) {
        struct erasure e;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        memset(&e, 0, sizeof(e));
        if (!parse_line(line, &e)) {
            vp_warn("erasure log: %s line %d is damaged; skipped", path, lineno);
            continue;
        }
        if (listed(*list, *n, e.child_id))
            continue;
        e.in_data_log = data_log;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *list = vp_xrealloc(*list, *cap * sizeof(**list));
        }
        (*list)[(*n)++] = e;
    }
    vp_buf_release(&text);
    return VP_OK;
}

/* The log that `backup --to DIR` copies next to its backups. */
static char *log_beside(const char *file)
{
    char *dir = vp_xstrdup(file), *slash = strrchr(dir, '/'), *path;
    if (slash)
        *slash = '\0';
    path = vp_path_join(slash ? (slash == dir ? "/" : dir) : ".", CSTORE_ERASURE_LOG);
    free(dir);
    return path;
}

static const char SQL_ERASED[] = "SELECT 1 FROM erased_children WHERE child_id = ?1";

static bool already_erased(struct cconn *c, const char *child_id)
{
    sqlite3_stmt *s = cst_prep(c, SQL_ERASED);
    bool found;
    cst_bind_text(s, 1, child_id);
    found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_reset(s);
    return found;
}

vp_result cst_erasure_log_apply(struct cconn *c, const char *dir, const char *backup_file,
                                int64_t now_ms, int *erased_again)
{
    char *data_log = vp_path_join(dir, CSTORE_ERASURE_LOG), *beside = NULL;
    struct erasure *list = NULL;
    size_t n = 0, cap = 0;
    vp_result res = read_log(data_log, true, &list, &n, &cap);
    *erased_again = 0;
    if (!res && backup_file) {
        beside = log_beside(backup_file);
        res = read_log(beside, false, &list, &n, &cap);
    }
    for (size_t i = 0; !res && i < n; i++) {
        const struct erasure *e = &list[i];
        if (!e->in_data_log)
            res = cst_erasure_log_add(dir, e->child_id, e->location_id, e->at_ms);
        if (res || already_erased(c, e->child_id))
            continue;
        res = cst_child_erase_rows(c, e->child_id, e->location_id, e->at_ms);
        if (!res)
            res = cst_audit(c, NULL, "erase", e->child_id, e->location_id, "restore: erasure log",
                            "", now_ms);
        if (!res)
            ++*erased_again;
    }
    if (!res && *erased_again)
        vp_info("restore: %d erased children erased again from the erasure log", *erased_again);
    free(list);
    free(beside);
    free(data_log);
    return res;
}
