#include "vp_log.h"
#include "vp_str.h"
#include "vp_time.h"
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_int log_level = -1;
static atomic_int log_format = -1;

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

bool vp_log_parse_format(const char *text, enum vp_log_format *out)
{
    if (text && !strcmp(text, "text"))
        *out = VP_LOG_TEXT;
    else if (text && !strcmp(text, "json"))
        *out = VP_LOG_JSON;
    else
        return false;
    return true;
}

void vp_log_set_format(enum vp_log_format format)
{
    atomic_store(&log_format, (int)format);
}

static enum vp_log_format current_format(void)
{
    int cur = atomic_load(&log_format);
    enum vp_log_format f = VP_LOG_TEXT;
    if (cur < 0) {
        vp_log_parse_format(getenv("VINDPLAATS_LOG_FORMAT"), &f); /* unknown: text */
        atomic_store(&log_format, (int)f);
        return f;
    }
    return (enum vp_log_format)cur;
}

/* Appends s as a JSON string's content: quote, backslash and every control
 * character escaped (s is valid UTF-8: vp_utf8_scrub ran). */
static void json_escape(char *out, size_t size, const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 7 < size; p++) {
        if (*p == '"' || *p == '\\') {
            out[n++] = '\\';
            out[n++] = (char)*p;
        } else if (*p < 0x20 || *p == 0x7f) {
            n += (size_t)snprintf(out + n, size - n, "\\u%04x", *p);
        } else {
            out[n++] = (char)*p;
        }
    }
    /* never end inside a character: the cut above is by bytes */
    n = vp_utf8_cut(out, n);
    out[n] = '\0';
}

void vp_log(enum vp_log_level level, const char *fmt, ...)
{
    static const char *names[] = { "error", "warn", "info", "debug" };
    char ts[VP_TIME_LEN], line[1024], esc[6 * sizeof(line)];
    va_list ap;
    if (!vp_log_enabled(level))
        return;
    vp_time_format(vp_now_ms(), ts);
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    vp_utf8_scrub(line); /* a line cut mid-character, or a client's bytes, still reads */
    if (current_format() == VP_LOG_JSON) {
        json_escape(esc, sizeof(esc), line);
        fprintf(stderr, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\"}\n", ts, names[level],
                esc);
    } else {
        fprintf(stderr, "%s %s %s\n", ts, names[level], line);
    }
}
