#define _GNU_SOURCE
#include "vp_test.h"
#include "vp_core.h"
#include <ftw.h>
#include <unistd.h>

int vp_test_failures;
int vp_test_count;
const char *vp_test_current = "";

void vp_test_run(const char *name, void (*fn)(void))
{
    const char *only = getenv("VP_TEST_ONLY");
    int before = vp_test_failures;
    static int inited;
    if (!inited) {
        inited = 1;
        if (vp_core_init() != VP_OK) {
            fprintf(stderr, "cannot initialise libsodium\n");
            exit(1);
        }
    }
    if (only && *only && strcmp(only, name) != 0)
        return;
    vp_test_current = name;
    vp_test_count++;
    fn();
    fprintf(stderr, "%s %s\n", vp_test_failures == before ? "ok  " : "FAIL", name);
}

int vp_test_done(void)
{
    fprintf(stderr, "%d tests, %d failed\n", vp_test_count, vp_test_failures);
    return vp_test_failures ? 1 : 0;
}

char *vp_test_tempdir(void)
{
    const char *base = getenv("TMPDIR");
    char templ[512];
    snprintf(templ, sizeof(templ), "%s/vptest-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(templ)) {
        perror("mkdtemp");
        exit(1);
    }
    return vp_xstrdup(templ);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void vp_test_rmtree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
