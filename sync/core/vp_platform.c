#include "vp_platform.h"
#include "vp_alloc.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

char *vp_path_join(const char *dir, const char *name)
{
    struct vp_buf b = VP_BUF_INIT;
    vp_buf_adds(&b, dir);
    if (b.len && b.data[b.len - 1] != '/')
        vp_buf_addch(&b, '/');
    vp_buf_adds(&b, name);
    return vp_buf_detach(&b, NULL);
}

char *vp_data_dir(const char *explicit_dir)
{
    const char *env;
    if (explicit_dir && *explicit_dir)
        return vp_xstrdup(explicit_dir);
    env = getenv("VINDPLAATS_DATA");
    if (env && *env)
        return vp_xstrdup(env);
    env = getenv("XDG_DATA_HOME");
    if (env && *env)
        return vp_path_join(env, "vindplaats");
    env = getenv("HOME");
    if (!env || !*env)
        env = "/tmp";
    {
        char *share = vp_path_join(env, ".local/share");
        char *res = vp_path_join(share, "vindplaats");
        free(share);
        return res;
    }
}

vp_result vp_mkdir_p(const char *path)
{
    char *copy = vp_xstrdup(path);
    vp_result res = VP_OK;
    for (char *p = copy + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
                res = errno == ENOSPC ? VP_ERR_FULL : VP_ERR_IO;
                break;
            }
            *p = saved;
            if (!saved)
                break;
        }
    }
    free(copy);
    return res;
}

vp_result vp_read_file(const char *path, size_t max, struct vp_buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n, total = 0;
    vp_result res = VP_OK;
    if (!f)
        return errno == ENOENT ? VP_ERR_NOT_FOUND : VP_ERR_IO;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        total += n;
        if (total > max) {
            res = VP_ERR_INVALID;
            break;
        }
        vp_buf_add(out, chunk, n);
    }
    if (!res && ferror(f))
        res = VP_ERR_IO;
    fclose(f);
    return res;
}

vp_result vp_write_file_atomic(const char *path, const void *data, size_t len)
{
    struct vp_buf tmp = VP_BUF_INIT;
    const char *p = data;
    int fd;
    vp_result res = VP_OK;
    vp_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        res = errno == ENOSPC ? VP_ERR_FULL : VP_ERR_IO;
        goto out;
    }
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            res = errno == ENOSPC ? VP_ERR_FULL : VP_ERR_IO;
            break;
        }
        p += w;
        len -= (size_t)w;
    }
    if (!res && fsync(fd) != 0)
        res = VP_ERR_IO;
    close(fd);
    if (!res && rename(tmp.data, path) != 0)
        res = VP_ERR_IO;
    if (res) {
        unlink(tmp.data);
    } else {
        char *dir = vp_xstrdup(path), *slash = strrchr(dir, '/');
        int dfd;
        if (slash)
            *slash = '\0';
        dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
out:
    vp_buf_release(&tmp);
    return res;
}

int64_t vp_disk_free_mb(const char *path)
{
    struct statvfs fs;
    if (!path || statvfs(path, &fs) != 0)
        return -1;
    return (int64_t)((unsigned long long)fs.f_bavail * fs.f_frsize / (1024 * 1024));
}

/* Reads exactly 32 bytes from path. */
static vp_result secret_read(const char *path, unsigned char key[32])
{
    struct vp_buf b = VP_BUF_INIT;
    vp_result res = vp_read_file(path, 32, &b);
    if (res == VP_ERR_INVALID || (!res && b.len != 32))
        res = VP_ERR_CORRUPT;
    if (!res)
        memcpy(key, b.data, 32);
    if (b.data)
        sodium_memzero(b.data, b.len);
    vp_buf_release(&b);
    return res;
}

/* Writes a fresh key to a private temp file and links it into place. */
static vp_result secret_create(const char *path, unsigned char key[32])
{
    struct vp_buf tmp = VP_BUF_INIT;
    vp_result res = VP_OK;
    int fd;
    randombytes_buf(key, 32);
    vp_buf_addf(&tmp, "%s.new.%ld", path, (long)getpid());
    fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        res = errno == ENOSPC ? VP_ERR_FULL : VP_ERR_IO;
        goto out;
    }
    if (write(fd, key, 32) != 32 || fsync(fd) != 0)
        res = errno == ENOSPC ? VP_ERR_FULL : VP_ERR_IO;
    close(fd);
    if (!res && link(tmp.data, path) != 0)
        res = errno == EEXIST ? secret_read(path, key) : VP_ERR_IO; /* another start won */
    unlink(tmp.data);
out:
    vp_buf_release(&tmp);
    return res;
}

vp_result vp_secret_load(const char *dir, const char *file, unsigned char key[32])
{
    char *path;
    vp_result res = vp_mkdir_p(dir);
    if (res)
        return res;
    path = vp_path_join(dir, file);
    res = secret_read(path, key);
    if (res == VP_ERR_NOT_FOUND)
        res = secret_create(path, key);
    free(path);
    return res;
}
