#include "vp_log.h"
#include "vp_str.h"
#include "vp_time.h"
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_int log_level = -1;

static int level_from_env(void)
{
    const char *e = getenv("VINDPLAATS_LOG");
    if (!e)
        return VP_LOG_WARN;
    if (!strcmp(e, "error"))
        return VP_LOG_ERROR;
    if (!strcmp(e, "info"))
        return VP_LOG_INFO;
    if (!strcmp(e, "debug"))
        return VP_LOG_DEBUG;
    return VP_LOG_WARN;
}

void vp_log_set_level(enum vp_log_level level)
{
    atomic_store(&log_level, (int)level);
}

int vp_log_enabled(enum vp_log_level level)
{
    int cur = atomic_load(&log_level);
    if (cur < 0) {
        cur = level_from_env();
        atomic_store(&log_level, cur);
    }
    return (int)level <= cur;
}

void vp_log(enum vp_log_level level, const char *fmt, ...)
{
    static const char *names[] = { "error", "warn", "info", "debug" };
    char ts[VP_TIME_LEN], line[1024];
    va_list ap;
    if (!vp_log_enabled(level))
        return;
    vp_time_format(vp_now_ms(), ts);
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    vp_utf8_scrub(line); /* a line cut mid-character, or a client's bytes, still reads */
    fprintf(stderr, "%s %s %s\n", ts, names[level], line);
}
