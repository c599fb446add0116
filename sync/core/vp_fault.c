#include "vp_fault.h"
#ifdef VP_FAULT_HOOKS
#include "vp_str.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 16

static struct point {
    char name[64];
    long nth;  /* 0 = every hit */
    long hits; /* guarded by lock */
} points[MAX_POINTS];
static int npoints = -1;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void load(const char *env)
{
    npoints = 0;
    while (env && *env && npoints < MAX_POINTS) {
        const char *end = strchr(env, ',');
        size_t len = end ? (size_t)(end - env) : strlen(env);
        struct point *p = &points[npoints];
        char item[80];
        char *at;
        int64_t nth = 0;
        if (len < sizeof(item)) {
            memcpy(item, env, len);
            item[len] = '\0';
            at = strchr(item, '@');
            if (at) {
                *at = '\0';
                if (!vp_parse_i64(at + 1, 1, 1000000000, &nth))
                    nth = 0;
            }
            vp_strlcpy(p->name, item, sizeof(p->name));
            p->nth = (long)nth;
            p->hits = 0;
            npoints++;
        }
        env = end ? end + 1 : NULL;
    }
}

bool vp_fault(const char *name)
{
    bool fire = false;
    pthread_mutex_lock(&lock);
    if (npoints < 0)
        load(getenv("VP_FAULT"));
    for (int i = 0; i < npoints; i++) {
        if (strcmp(points[i].name, name) != 0)
            continue;
        points[i].hits++;
        fire = points[i].nth == 0 || points[i].hits == points[i].nth;
    }
    pthread_mutex_unlock(&lock);
    return fire;
}

void vp_fault_set(const char *spec)
{
    pthread_mutex_lock(&lock);
    load(spec);
    pthread_mutex_unlock(&lock);
}
#endif
