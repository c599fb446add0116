/*
 * bench_store - "tap save to durable commit" for the device store.
 *
 * Records N observations (default 10,000), each in its own transaction
 * with synchronous=FULL, exactly as the kiosk's save button does, and
 * reports median, p90, p99 and worst commit time. Prints a Markdown table.
 *
 *   bench_store [N] [DIR]      DIR defaults to a new folder under $TMPDIR or /var/tmp
 *                              (use a folder on the disk you want to measure)
 */
#include "devstore.h"
#include "vp_core.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double pct(const int64_t *sorted, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return (double)sorted[i] / 1e6;
}

int main(int argc, char **argv)
{
    int64_t n = 10000;
    char templ[512], *path;
    const char *base = getenv("TMPDIR");
    struct devstore *s = NULL;
    char group[VP_UUID_LEN], child[VP_UUID_LEN], staff[VP_UUID_LEN];
    int64_t *lat, t0, total;
    if (argc > 1 && !vp_parse_i64(argv[1], 1, 10000000, &n)) {
        fprintf(stderr, "usage: bench_store [N] [DIR]\n");
        return 2;
    }
    if (vp_core_init())
        return 1;
    if (argc > 2) {
        snprintf(templ, sizeof(templ), "%s", argv[2]);
        vp_mkdir_p(templ);
    } else {
        snprintf(templ, sizeof(templ), "%s/vp-bench-XXXXXX", base && *base ? base : "/var/tmp");
        if (!mkdtemp(templ)) {
            perror("mkdtemp");
            return 1;
        }
    }
    path = vp_path_join(templ, "kiosk.db");
    if (devstore_open(path, &s) || devstore_group_add(s, "Zonnetje", group) ||
        devstore_child_add(s, group, "Daan", "2023-10", child) ||
        devstore_staff_add(s, "Ilse", VP_ROLE_PM, "1234", staff)) {
        fprintf(stderr, "bench_store: cannot set up the store in %s\n", templ);
        return 1;
    }
    lat = vp_xmalloc(sizeof(int64_t) * (size_t)n);
    t0 = now_ns();
    for (int64_t i = 0; i < n; i++) {
        struct vp_observation o;
        int64_t a;
        memset(&o, 0, sizeof(o));
        vp_strlcpy(o.child_id, child, VP_UUID_LEN);
        vp_strlcpy(o.staff_id, staff, VP_UUID_LEN);
        vp_strlcpy(o.signals[0], i % 3 ? "TAAL-02" : "SOC-01", VP_CODE_LEN);
        o.nsignals = 1;
        o.level = 1 + (int)(i % 3);
        a = now_ns();
        if (devstore_observation_record(s, &o) != VP_OK) {
            fprintf(stderr, "bench_store: save %lld failed\n", (long long)i);
            return 1;
        }
        lat[i] = now_ns() - a;
    }
    total = now_ns() - t0;
    qsort(lat, (size_t)n, sizeof(int64_t), cmp_i64);
    printf("| saves | median | p90 | p99 | worst | saves/s |\n|---|---|---|---|---|---|\n");
    printf("| %lld | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.0f |\n", (long long)n,
           pct(lat, (size_t)n, 0.5), pct(lat, (size_t)n, 0.9), pct(lat, (size_t)n, 0.99),
           (double)lat[n - 1] / 1e6, (double)n / ((double)total / 1e9));
    devstore_close(s);
    free(lat);
    free(path);
    return 0;
}
