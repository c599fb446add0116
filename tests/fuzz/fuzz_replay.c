/*
 * fuzz_replay.c - runs every file of the fuzz corpus through the fuzz
 * target once, so builds without libFuzzer (gcc, the ASan preset) still
 * check the corpus. Usage: fuzz_replay [DIR|FILE]... (default: the corpus).
 */
#include "vp_buf.h"
#include "vp_platform.h"
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    struct vp_buf b = VP_BUF_INIT;
    if (vp_read_file(path, 4 << 20, &b) != VP_OK) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
    vp_buf_release(&b);
    return 0;
}

static int run_path(const char *path, int *count)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int bad = 0;
    if (stat(path, &st) != 0)
        return 1;
    if (!S_ISDIR(st.st_mode)) {
        (*count)++;
        return run_file(path);
    }
    if (!(d = opendir(path)))
        return 1;
    while ((e = readdir(d)) != NULL) {
        char *full;
        if (e->d_name[0] == '.')
            continue;
        full = vp_path_join(path, e->d_name);
        bad |= run_path(full, count);
        free(full);
    }
    closedir(d);
    return bad;
}

int main(int argc, char **argv)
{
    int bad = 0, count = 0;
    if (argc < 2)
        bad = run_path(FUZZ_CORPUS_DIR, &count);
    for (int i = 1; i < argc; i++)
        bad |= run_path(argv[i], &count);
    fprintf(stderr, "%d corpus inputs replayed\n", count);
    return bad || count == 0;
}
