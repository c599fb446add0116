/*
 * vp_platform.h - the one place for operating-system specifics:
 * data folders, directories and whole-file reads. Everything else in
 * vindplaats uses these (or SDL's equivalents in app/).
 */
#ifndef VP_PLATFORM_H
#define VP_PLATFORM_H
#include "vp_buf.h"
#include "vp_error.h"
#include <stddef.h>
#include <stdint.h>

/* The data folder: explicit (from --data) if given, else $VINDPLAATS_DATA,
 * else $XDG_DATA_HOME/vindplaats, else ~/.local/share/vindplaats.
 * Returns a malloc'ed path the caller frees. */
char *vp_data_dir(const char *explicit_dir);

/* Creates path and its parents (mode 0700). VP_OK if it already exists. */
vp_result vp_mkdir_p(const char *path);

/* Joins dir and name with one '/'. The caller frees the result. */
char *vp_path_join(const char *dir, const char *name);

/* Reads a whole file of at most max bytes into out (appended).
 * VP_ERR_NOT_FOUND, VP_ERR_IO, or VP_ERR_INVALID when it is larger than max. */
vp_result vp_read_file(const char *path, size_t max, struct vp_buf *out);

/* Free space for an unprivileged writer on the file system holding path, in
 * MiB; -1 if it cannot be told. */
int64_t vp_disk_free_mb(const char *path);
/* Writes data to path atomically (temp file, fsync, rename, fsync dir). */
vp_result vp_write_file_atomic(const char *path, const void *data, size_t len);

/* Loads the 32-byte server secret kept in dir/file, creating it (random,
 * mode 0600, dir made 0700 if missing) on first use. Two processes that
 * start at once agree on one key (the file is linked into place, never
 * overwritten). VP_ERR_CORRUPT if the file is not exactly 32 bytes,
 * VP_ERR_IO/VP_ERR_FULL if it cannot be read or written. */
vp_result vp_secret_load(const char *dir, const char *file, unsigned char key[32]);

#endif
