/*
 * cexport.h - exports for the people who open them: one table of signals or
 * cases with Dutch (or English) column names and values and local times,
 * written as CSV for Dutch Excel or as an .xlsx workbook.
 *
 * The rows come from the store's coach views (the inbox and the cases list,
 * or the CLI's operator views), so a signal is one row (its latest version,
 * cstore_signal.h), notes are already rendered by the note rule and a first
 * name is there only with recorded consent. This module only turns those
 * JSON rows into cells; it never reads the database.
 *
 * Local time is Europe/Amsterdam whatever the server's TZ is: the EU rule
 * (summer time from the last Sunday of March 01:00 UTC to the last Sunday
 * of October 01:00 UTC, UTC+2; otherwise UTC+1), computed here, not through
 * the C library's zone.
 *
 * The machine-readable export (codes, UTC times, English column names) is
 * cstore_export.c's and cstore_console_csv.c's, unchanged: docs/console.md.
 */
#ifndef CEXPORT_H
#define CEXPORT_H
#include "vp_buf.h"
#include "vp_catalog.h"
#include "vp_error.h"
#include "vp_i18n.h"
#include "vp_time.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* What an export is written as. */
enum cexport_format {
    CEXPORT_CODES,  /* CSV with codes and UTC times: the machine-readable export */
    CEXPORT_NL_CSV, /* CSV for Dutch Excel: words, local times (cexport_csv) */
    CEXPORT_XLSX,   /* an .xlsx workbook (cexport_xlsx) */
};
/* "codes", "nl-csv" or "xlsx"; false for anything else. */
bool cexport_format_parse(const char *s, enum cexport_format *out);
const char *cexport_format_name(enum cexport_format fmt);

/* ---- Europe/Amsterdam ---- */

/* The offset of Dutch local time from UTC at utc_ms: 1 or 2 hours, in ms. */
int64_t cexport_local_offset_ms(int64_t utc_ms);
/* utc_ms as Dutch local calendar fields. */
void cexport_local_civil(int64_t utc_ms, struct vp_civil *out);
/* The Dutch local date of utc_ms as "YYYY-MM-DD" (for file names). */
void cexport_local_date(int64_t utc_ms, char out[11]);

/* ---- the table ---- */

enum cexport_type {
    CEXPORT_EMPTY,
    CEXPORT_TEXT,
    CEXPORT_INT,
    CEXPORT_TIME, /* a moment (UTC ms), shown as local date and time */
    CEXPORT_DATE, /* a calendar date without a time ("YYYY-MM-DD" as given) */
};

struct cexport_cell {
    enum cexport_type type;
    char *text;  /* CEXPORT_TEXT (owned) */
    int64_t num; /* CEXPORT_INT; CEXPORT_TIME: UTC ms; CEXPORT_DATE: y*10000+m*100+d */
};

/* A table: column names, then rows of exactly ncols cells. Caller-owned;
 * cexport_table_release() frees what it holds. */
struct cexport_table {
    const char *sheet; /* the worksheet's name (borrowed) */
    size_t ncols, nrows, cap;
    char **head;               /* ncols names (owned) */
    int *width;                /* a column width in characters, per column */
    struct cexport_cell *cell; /* nrows * ncols */
};

void cexport_table_init(struct cexport_table *t, const char *sheet);
void cexport_table_release(struct cexport_table *t);
/* Adds a column (before the first row) with its name and width. */
void cexport_table_col(struct cexport_table *t, const char *name, int width);
/* Starts a row of empty cells; the put functions fill column col of it. */
void cexport_table_row(struct cexport_table *t);
void cexport_put_text(struct cexport_table *t, size_t col, const char *s);
void cexport_put_int(struct cexport_table *t, size_t col, int64_t v);
/* An RFC 3339 text (as the views give it); empty when NULL or unreadable. */
void cexport_put_time(struct cexport_table *t, size_t col, const char *rfc3339);
/* A "YYYY-MM-DD" date; anything else is kept as text (empty when NULL). */
void cexport_put_date(struct cexport_table *t, size_t col, const char *ymd);

/* ---- writers ---- */

/* CSV for Dutch Excel: UTF-8 with a byte-order mark, ';' between fields,
 * CRLF, fields quoted when needed (RFC 4180), times as "dd-mm-jjjj uu:mm"
 * local, dates as "dd-mm-jjjj". A field that could start a formula gets a
 * leading apostrophe. Appends to out. */
void cexport_csv(const struct cexport_table *t, struct vp_buf *out);
/* The same table as an .xlsx workbook (libxlsxwriter): bold header row
 * that stays put (frozen) and filters on (autofilter), times and dates as
 * real date cells (dd-mm-yyyy hh:mm local). Appends the file's bytes to
 * out. VP_ERR_IO if the workbook could not be written (nothing appended). */
vp_result cexport_xlsx(const struct cexport_table *t, struct vp_buf *out);

/* ---- signals and cases ---- */

/* Columns and rows of signals: rows are signal JSON as the views give them
 * (cst_signal_json() with child fields, or with the child in children by
 * child_id); marks adds the coach's Gezien and Gearchiveerd columns (the
 * console's inbox rows). Labels from cat and the translations of lang. */
void cexport_signals(struct cexport_table *t, json_t *rows, json_t *children,
                     const struct vp_catalog *cat, enum vp_lang lang, bool marks);
/* Columns and rows of cases: rows are cstore_cases_list() rows (child
 * fields with "case"); status "open" keeps only cases that are not closed. */
void cexport_cases(struct cexport_table *t, json_t *rows, const char *status, enum vp_lang lang);

/* The label of a code of one of the case's or signal's lists in lang
 * ("status", "consent", "talk", "consultation", "referral", "closed",
 * "frequency", "situation", "level", "archive"): the translation of
 * "export.KIND.CODE", or the code itself when there is none. */
const char *cexport_label(enum vp_lang lang, const char *kind, const char *code);

#endif
