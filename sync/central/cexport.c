/*
 * cexport.c - the export table, Dutch local time and the CSV for Dutch
 * Excel (cexport.h). The .xlsx writer is cexport_xlsx.c; the signal and
 * case columns are cexport_rows.c.
 */
#include "cexport.h"
#include "vp_alloc.h"
#include "vp_str.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_MS (3600LL * 1000)
#define DAY_MS  (24 * HOUR_MS)

/* ---- Europe/Amsterdam ---- */

/* 01:00 UTC on the last Sunday of month (1-12) of year. */
static int64_t last_sunday_1utc(int year, int month)
{
    int64_t last = month == 12 ? vp_days_from_civil(year + 1, 1, 1) - 1
                               : vp_days_from_civil(year, month + 1, 1) - 1;
    int64_t weekday = ((last % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
    return (last - weekday) * DAY_MS + HOUR_MS;
}

int64_t cexport_local_offset_ms(int64_t utc_ms)
{
    struct vp_civil c;
    vp_time_civil(utc_ms, false, &c);
    if (utc_ms >= last_sunday_1utc(c.year, 3) && utc_ms < last_sunday_1utc(c.year, 10))
        return 2 * HOUR_MS;
    return HOUR_MS;
}

void cexport_local_civil(int64_t utc_ms, struct vp_civil *out)
{
    vp_time_civil(utc_ms + cexport_local_offset_ms(utc_ms), false, out);
}

void cexport_local_date(int64_t utc_ms, char out[11])
{
    struct vp_civil v;
    cexport_local_civil(utc_ms, &v);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)v.year % 10000u, (unsigned)v.month % 100u,
             (unsigned)v.day % 100u);
}

/* ---- the table ---- */

void cexport_table_init(struct cexport_table *t, const char *sheet)
{
    memset(t, 0, sizeof(*t));
    t->sheet = sheet;
}

void cexport_table_release(struct cexport_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cell[i].text);
    for (size_t i = 0; i < t->ncols; i++)
        free(t->head[i]);
    free(t->cell);
    free(t->head);
    free(t->width);
    memset(t, 0, sizeof(*t));
}

void cexport_table_col(struct cexport_table *t, const char *name, int width)
{
    t->head = vp_xrealloc(t->head, (t->ncols + 1) * sizeof(*t->head));
    t->width = vp_xrealloc(t->width, (t->ncols + 1) * sizeof(*t->width));
    t->head[t->ncols] = vp_xstrdup(name);
    t->width[t->ncols] = width;
    t->ncols++;
}

void cexport_table_row(struct cexport_table *t)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->cell = vp_xrealloc(t->cell, t->cap * t->ncols * sizeof(*t->cell));
    }
    memset(t->cell + t->nrows * t->ncols, 0, t->ncols * sizeof(*t->cell));
    t->nrows++;
}

static struct cexport_cell *cell_at(struct cexport_table *t, size_t col)
{
    struct cexport_cell *c = &t->cell[(t->nrows - 1) * t->ncols + col];
    free(c->text);
    memset(c, 0, sizeof(*c));
    return c;
}

void cexport_put_text(struct cexport_table *t, size_t col, const char *s)
{
    struct cexport_cell *c = cell_at(t, col);
    if (s && *s) {
        c->type = CEXPORT_TEXT;
        c->text = vp_xstrdup(s);
    }
}

void cexport_put_int(struct cexport_table *t, size_t col, int64_t v)
{
    struct cexport_cell *c = cell_at(t, col);
    c->type = CEXPORT_INT;
    c->num = v;
}

void cexport_put_time(struct cexport_table *t, size_t col, const char *rfc3339)
{
    struct cexport_cell *c = cell_at(t, col);
    int64_t ms;
    if (rfc3339 && *rfc3339 && vp_time_parse(rfc3339, &ms) == VP_OK) {
        c->type = CEXPORT_TIME;
        c->num = ms;
    }
}

void cexport_put_date(struct cexport_table *t, size_t col, const char *ymd)
{
    int y, m, d, n = 0;
    if (ymd && strlen(ymd) == 10 && sscanf(ymd, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
        m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        struct cexport_cell *c = cell_at(t, col);
        c->type = CEXPORT_DATE;
        c->num = (int64_t)y * 10000 + m * 100 + d;
    } else {
        cexport_put_text(t, col, ymd);
    }
}

/* ---- CSV for Dutch Excel ---- */

static void csv_field(struct vp_buf *out, const char *s, bool first)
{
    bool quote = strpbrk(s, ",;\"\r\n\t") != NULL;
    if (!first)
        vp_buf_addch(out, ';');
    if (quote)
        vp_buf_addch(out, '"');
    if (s[0] && strchr("=+-@\t\r", s[0]))
        vp_buf_addch(out, '\''); /* never a formula */
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            vp_buf_addch(out, '"');
        vp_buf_addch(out, *p);
    }
    if (quote)
        vp_buf_addch(out, '"');
}

/* The cell as Dutch text: "dd-mm-jjjj uu:mm" local, "dd-mm-jjjj". */
static void cell_text(const struct cexport_cell *c, char *buf, size_t size)
{
    struct vp_civil v;
    buf[0] = '\0';
    switch (c->type) {
    case CEXPORT_TEXT: vp_strlcpy(buf, c->text, size); break;
    case CEXPORT_INT: snprintf(buf, size, "%lld", (long long)c->num); break;
    case CEXPORT_TIME:
        cexport_local_civil(c->num, &v);
        snprintf(buf, size, "%02d-%02d-%04d %02d:%02d", v.day, v.month, v.year, v.hour, v.minute);
        break;
    case CEXPORT_DATE:
        snprintf(buf, size, "%02d-%02d-%04d", (int)(c->num % 100), (int)(c->num / 100 % 100),
                 (int)(c->num / 10000));
        break;
    case CEXPORT_EMPTY: break;
    }
}

void cexport_csv(const struct cexport_table *t, struct vp_buf *out)
{
    char small[64];
    vp_buf_adds(out, "\xEF\xBB\xBF"); /* the BOM: Excel reads UTF-8 */
    for (size_t i = 0; i < t->ncols; i++)
        csv_field(out, t->head[i], i == 0);
    vp_buf_adds(out, "\r\n");
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t i = 0; i < t->ncols; i++) {
            const struct cexport_cell *c = &t->cell[r * t->ncols + i];
            if (c->type == CEXPORT_TEXT) {
                csv_field(out, c->text, i == 0);
            } else {
                cell_text(c, small, sizeof(small));
                csv_field(out, small, i == 0);
            }
        }
        vp_buf_adds(out, "\r\n");
    }
}

/* ---- formats ---- */

static const char *const format_names[] = { "codes", "nl-csv", "xlsx" };

bool cexport_format_parse(const char *s, enum cexport_format *out)
{
    for (size_t i = 0; s && i < sizeof(format_names) / sizeof(format_names[0]); i++) {
        if (!strcmp(s, format_names[i])) {
            *out = (enum cexport_format)i;
            return true;
        }
    }
    return false;
}

const char *cexport_format_name(enum cexport_format fmt)
{
    return (size_t)fmt < sizeof(format_names) / sizeof(format_names[0]) ? format_names[fmt] : "";
}
