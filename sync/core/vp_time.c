#include "vp_time.h"
#include "vp_str.h"
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t time_offset_ms;

static int64_t clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t vp_now_ms(void)
{
    return clock_ms(CLOCK_REALTIME) + atomic_load(&time_offset_ms);
}

int64_t vp_mono_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC) + atomic_load(&time_offset_ms);
}

void vp_time_advance(int64_t ms)
{
    atomic_fetch_add(&time_offset_ms, ms);
}

int64_t vp_time_offset(void)
{
    return atomic_load(&time_offset_ms);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && ((a < 0) != (b < 0)));
}

void vp_time_civil(int64_t ms, bool local, struct vp_civil *out)
{
    time_t secs = (time_t)floor_div(ms, 1000);
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (local)
        localtime_r(&secs, &tm);
    else
        gmtime_r(&secs, &tm);
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    out->day = tm.tm_mday;
    out->hour = tm.tm_hour;
    out->minute = tm.tm_min;
    out->second = tm.tm_sec;
    out->weekday = tm.tm_wday;
}

void vp_time_format(int64_t ms, char out[VP_TIME_LEN])
{
    struct vp_civil c;
    int64_t frac = ms - floor_div(ms, 1000) * 1000;
    vp_time_civil(ms, false, &c);
    /* the modulo keeps every field in its width (years past 9999 are not ours) */
    snprintf(out, VP_TIME_LEN, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", (unsigned)c.year % 10000u,
             (unsigned)c.month % 100u, (unsigned)c.day % 100u, (unsigned)c.hour % 100u,
             (unsigned)c.minute % 100u, (unsigned)c.second % 100u, (unsigned)frac % 1000u);
}

/* Howard Hinnant's days_from_civil. */
int64_t vp_days_from_civil(int y, int m, int d)
{
    int64_t yy = y - (m <= 2);
    int64_t era = floor_div(yy, 400);
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

vp_result vp_time_parse(const char *t, int64_t *ms)
{
    int y, mo, d, h, mi, s, frac = 0, off = 0;
    const char *p;
    if (!t || strlen(t) < 20)
        return VP_ERR_INVALID;
    if (!digits(t, 4, &y) || t[4] != '-' || !digits(t + 5, 2, &mo) || t[7] != '-' ||
        !digits(t + 8, 2, &d) || (t[10] != 'T' && t[10] != 't') || !digits(t + 11, 2, &h) ||
        t[13] != ':' || !digits(t + 14, 2, &mi) || t[16] != ':' || !digits(t + 17, 2, &s))
        return VP_ERR_INVALID;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60)
        return VP_ERR_INVALID;
    p = t + 19;
    if (*p == '.') {
        int n = 0, scale = 100;
        p++;
        while (*p >= '0' && *p <= '9') {
            if (n < 3)
                frac += (*p - '0') * scale;
            scale /= 10;
            n++;
            p++;
        }
        if (n == 0 || n > 9)
            return VP_ERR_INVALID;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return VP_ERR_INVALID;
        off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return VP_ERR_INVALID;
    }
    if (*p)
        return VP_ERR_INVALID;
    *ms = ((vp_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (s > 59 ? 59 : s)) -
           (int64_t)off * 60) *
              1000 +
          frac;
    return VP_OK;
}

int vp_age_months(const char *birth_month, int64_t ms)
{
    int y, m;
    struct vp_civil now;
    if (!birth_month || strlen(birth_month) != 7 || !digits(birth_month, 4, &y) ||
        birth_month[4] != '-' || !digits(birth_month + 5, 2, &m) || m < 1 || m > 12)
        return -1;
    vp_time_civil(ms, false, &now);
    int months = (now.year - y) * 12 + (now.month - m);
    return months < 0 ? 0 : months;
}
