/*
 * vp_time.h - wall-clock and monotonic time, RFC 3339 text, calendar fields.
 *
 * All stored times are int64 milliseconds since the Unix epoch, UTC. Text on
 * the wire is RFC 3339 in UTC with milliseconds ("2026-11-23T14:15:48.123Z").
 *
 * Script mode and tests move time forward with vp_time_advance(); both clocks
 * include that offset, so auto-lock, toasts and lockouts see "app time". The
 * offset is process-wide and atomic.
 *
 * gmtime/localtime are banned (not thread-safe); vp_time_civil() is the one
 * place that calls their _r forms.
 */
#ifndef VP_TIME_H
#define VP_TIME_H
#include "vp_error.h"
#include <stdbool.h>
#include <stdint.h>

#define VP_TIME_LEN 32 /* room for an RFC 3339 timestamp and its NUL */

int64_t vp_now_ms(void);  /* wall clock, may jump; never use for ordering */
int64_t vp_mono_ms(void); /* monotonic, for timeouts and idle detection */
void vp_time_advance(int64_t ms);
int64_t vp_time_offset(void);

/* Writes ms as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void vp_time_format(int64_t ms, char out[VP_TIME_LEN]);

/* Parses RFC 3339 ("Z" or "+hh:mm" offset, optional fraction). On error
 * returns VP_ERR_INVALID and leaves *ms unchanged. */
vp_result vp_time_parse(const char *text, int64_t *ms);

struct vp_civil {
    int year, month, day; /* month 1-12, day 1-31 */
    int hour, minute, second;
    int weekday; /* 0 = Sunday */
};

/* Breaks ms into calendar fields, in UTC or in the machine's local zone. */
void vp_time_civil(int64_t ms, bool local, struct vp_civil *out);

/* Days since 1970-01-01 of a proleptic Gregorian date (no time zone). */
int64_t vp_days_from_civil(int year, int month, int day);

/* Whole months between a birth month ("YYYY-MM") and the date of ms (UTC).
 * Returns -1 if birth_month is malformed. */
int vp_age_months(const char *birth_month, int64_t ms);

#endif
