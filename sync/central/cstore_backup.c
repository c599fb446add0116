/*
 * cstore_backup.c - dated backups in a folder with rotation, for the daily
 * timer: `vindplaats-central backup --to DIR --keep N`.
 *
 * A backup is written as DIR/.central-STAMP.db.PID.part and renamed when it is
 * whole and flushed, so every file named central-*.db is a complete backup,
 * and rotation deletes old ones only after the new one is in place.
 */
#include "cstore_int.h"
#include "vp_alloc.h"
#include "vp_log.h"
#include "vp_platform.h"
#include "vp_str.h"
#include "vp_time.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PREFIX "central-"
#define SUFFIX "Z.db"

/* "central-YYYYMMDDTHHMMSSZ.db": sorting the names sorts the backups by time. */
static bool dated_name(const char *name)
{
    static const char shape[] = PREFIX "########T######" SUFFIX; /* # a digit */
    if (strlen(name) != sizeof(shape) - 1)
        return false;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == '#' ? (name[i] < '0' || name[i] > '9') : name[i] != shape[i])
            return false;
    return true;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Deletes the oldest dated backups in dir beyond the newest keep. */
static vp_result rotate(const char *dir, int keep)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char **names = NULL;
    size_t n = 0, cap = 0;
    vp_result res = VP_OK;
    if (!d)
        return VP_ERR_IO;
    while ((ent = readdir(d)) != NULL) {
        if (!dated_name(ent->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = vp_xrealloc(names, cap * sizeof(*names));
        }
        names[n++] = vp_xstrdup(ent->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (i + (size_t)keep < n) {
            char *path = vp_path_join(dir, names[i]);
            if (unlink(path) != 0 && errno != ENOENT) { /* ENOENT: a backup run beside us */
                vp_warn("backup: cannot delete the old backup %s", path);
                res = VP_ERR_IO;
            }
            free(path);
        }
        free(names[i]);
    }
    free(names);
    if (n > (size_t)keep)
        cst_fsync_dir(dir);
    return res;
}

static vp_result flush_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    vp_result res = fd >= 0 && fsync(fd) == 0 ? VP_OK : VP_ERR_IO;
    if (fd >= 0)
        close(fd);
    return res;
}

/* Copies the erasure log next to the backups, so that a copy of the folder
 * kept elsewhere carries it (cstore_restore() reads it from there too).
 * Not when the folder is the data folder itself: that is the log. */
static vp_result copy_erasure_log(const char *data_dir, const char *dir)
{
    char *from = vp_path_join(data_dir, CSTORE_ERASURE_LOG);
    char *to = vp_path_join(dir, CSTORE_ERASURE_LOG);
    char *a = realpath(data_dir, NULL), *b = realpath(dir, NULL);
    struct vp_buf text = VP_BUF_INIT;
    vp_result res = VP_OK;
    if (a && b && strcmp(a, b) != 0) {
        res = vp_read_file(from, 64u << 20, &text);
        if (res == VP_ERR_NOT_FOUND)
            res = VP_OK;
        else if (!res)
            res = vp_write_file_atomic(to, text.data, text.len);
    }
    vp_buf_release(&text);
    free(a);
    free(b);
    free(from);
    free(to);
    return res;
}

vp_result cstore_backup_dated(struct cstore *st, const char *dir, int keep, int64_t now_ms,
                              char name[CSTORE_BACKUP_NAME_LEN])
{
    struct vp_civil t;
    char part[CSTORE_BACKUP_NAME_LEN + 32];
    char *part_path = NULL, *path = NULL;
    vp_result res = vp_mkdir_p(dir);
    if (res)
        return res;
    vp_time_civil(now_ms, false, &t);
    snprintf(name, CSTORE_BACKUP_NAME_LEN, PREFIX "%04d%02d%02dT%02d%02d%02d" SUFFIX,
             t.year % 10000, t.month, t.day, t.hour, t.minute, t.second);
    /* the pid: two runs in the same second each write a whole file of their own */
    snprintf(part, sizeof(part), ".%s.%ld.part", name, (long)getpid());
    part_path = vp_path_join(dir, part);
    path = vp_path_join(dir, name);
    res = cstore_backup(st, part_path);
    if (!res)
        res = flush_file(part_path);
    if (!res && rename(part_path, path) != 0)
        res = VP_ERR_IO;
    if (res) {
        unlink(part_path);
        goto out;
    }
    cst_fsync_dir(dir);
    res = copy_erasure_log(st->dir, dir);
    if (!res && keep > 0)
        res = rotate(dir, keep);
out:
    free(part_path);
    free(path);
    return res;
}
