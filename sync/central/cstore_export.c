/*
 * cstore_export.c - CSV exports of signals and cases. They are built from the
 * same coach views as the console (cstore_view.c), so the consent rule for
 * first names holds here too.
 */
#include "cexport.h"
#include "cstore_int.h"
#include "vp_i18n.h"
#include "vp_str.h"
#include <stdio.h>
#include <string.h>

#define EXPORT_MAX_ROWS 1000000

/* One CSV field (RFC 4180 quoting). A field that could start a spreadsheet
 * formula (=, +, -, @ first) gets a leading apostrophe. */
void cst_csv_field(struct vp_buf *out, const char *s, bool first)
{
    bool quote = strpbrk(s, ",;\"\r\n") != NULL;
    if (!first)
        vp_buf_addch(out, ',');
    if (quote)
        vp_buf_addch(out, '"');
    if (s[0] && strchr("=+-@", s[0]))
        vp_buf_addch(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            vp_buf_addch(out, '"');
        vp_buf_addch(out, *p);
    }
    if (quote)
        vp_buf_addch(out, '"');
}

void cst_csv_value(struct vp_buf *out, json_t *v, bool first)
{
    char num[32];
    if (json_is_string(v)) {
        cst_csv_field(out, json_string_value(v), first);
    } else if (json_is_integer(v)) {
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        cst_csv_field(out, num, first);
    } else if (json_is_boolean(v)) {
        cst_csv_field(out, json_is_true(v) ? "yes" : "no", first);
    } else if (json_is_array(v)) {
        struct vp_buf b = VP_BUF_INIT;
        for (size_t i = 0; i < json_array_size(v); i++) {
            const char *t = json_string_value(json_array_get(v, i));
            vp_buf_addf(&b, "%s%s", i ? " " : "", t ? t : "");
        }
        cst_csv_field(out, b.data, first);
        vp_buf_release(&b);
    } else {
        cst_csv_field(out, "", first);
    }
}

static const char *const signal_cols[] = { "id",           "received_at",
                                           "device_time",  "location",
                                           "group",        "child_id",
                                           "pseudonym",    "first_name",
                                           "age_months",   "level",
                                           "signals",      "frequency",
                                           "situation",    "parents_informed",
                                           "consultation", "retracted",
                                           "corrects",     "case_status",
                                           "note",         NULL };
/* The case columns, the same in the CLI export and the console's CSV. */
const char *const cst_csv_case_cols[] = { "child_id",
                                          "location",
                                          "group",
                                          "pseudonym",
                                          "first_name",
                                          "age_months",
                                          "status",
                                          "consent",
                                          "parent_talk",
                                          "consultation",
                                          "referred_to",
                                          "closed_reason",
                                          "next_action",
                                          "next_action_owner",
                                          "next_action_due",
                                          "follow_up_date",
                                          "first_signal_at",
                                          "last_signal_at",
                                          "signal_count",
                                          "max_level",
                                          "days_to_parent_talk",
                                          "days_to_consultation",
                                          "days_to_referral",
                                          "days_to_support",
                                          NULL };

void cst_csv_header(struct vp_buf *out, const char *const cols[])
{
    for (int i = 0; cols[i]; i++)
        cst_csv_field(out, cols[i], i == 0);
    vp_buf_adds(out, "\r\n");
}

void cst_csv_row(struct vp_buf *out, json_t *row, json_t *fallback, const char *const cols[])
{
    for (int i = 0; cols[i]; i++) {
        json_t *v = json_object_get(row, cols[i]);
        if (!v && fallback)
            v = json_object_get(fallback, cols[i]);
        cst_csv_value(out, v, i == 0);
    }
    vp_buf_adds(out, "\r\n");
}

static void csv_rows(struct vp_buf *out, json_t *rows, const char *const cols[], bool nested)
{
    cst_csv_header(out, cols);
    for (size_t r = 0; r < json_array_size(rows); r++) {
        json_t *row = json_array_get(rows, r);
        cst_csv_row(out, row, nested ? json_object_get(row, "case") : NULL, cols);
    }
}

/* The rows of kind for the coach (NULL = operator), every one of them. */
static vp_result export_rows(struct cstore *st, const char *coach_id, enum cstore_export_kind kind,
                             const char *location_id, int64_t now_ms, json_t **rows)
{
    struct cstore_filter f;
    memset(&f, 0, sizeof(f));
    f.location_id = location_id;
    f.limit = EXPORT_MAX_ROWS;
    if (kind == CSTORE_EXPORT_SIGNALS)
        return cstore_signals_list(st, coach_id, &f, now_ms, rows);
    return cstore_cases_list(st, coach_id, &f, now_ms, rows);
}

vp_result cstore_export_as(struct cstore *st, const char *coach_id, enum cstore_export_kind kind,
                           enum cexport_format fmt, enum vp_lang lang, const char *location_id,
                           const char *ip, int64_t now_ms, struct vp_buf *out)
{
    struct cexport_table t;
    json_t *rows = NULL;
    char detail[64];
    vp_result res = export_rows(st, coach_id, kind, location_id, now_ms, &rows);
    if (res)
        return res;
    if (fmt == CEXPORT_CODES) {
        csv_rows(out, rows, kind == CSTORE_EXPORT_SIGNALS ? signal_cols : cst_csv_case_cols,
                 kind == CSTORE_EXPORT_CASES);
    } else {
        cexport_table_init(&t,
                           vp_tr_in(lang, kind == CSTORE_EXPORT_SIGNALS ? "export.sheet.signals"
                                                                        : "export.sheet.cases"));
        if (kind == CSTORE_EXPORT_SIGNALS)
            cexport_signals(&t, rows, NULL, cstore_catalog(st), lang, false);
        else
            cexport_cases(&t, rows, NULL, lang);
        if (fmt == CEXPORT_XLSX)
            res = cexport_xlsx(&t, out);
        else
            cexport_csv(&t, out);
        cexport_table_release(&t);
    }
    json_decref(rows);
    if (res)
        return res;
    snprintf(detail, sizeof(detail), "format=%s", cexport_format_name(fmt));
    return cstore_audit(st, coach_id,
                        kind == CSTORE_EXPORT_SIGNALS ? "export_signals" : "export_cases", NULL,
                        location_id, fmt == CEXPORT_CODES ? NULL : detail, ip, now_ms);
}

vp_result cstore_export(struct cstore *st, const char *coach_id, enum cstore_export_kind kind,
                        const char *location_id, const char *ip, int64_t now_ms, struct vp_buf *csv)
{
    return cstore_export_as(st, coach_id, kind, CEXPORT_CODES, VP_LANG_NL, location_id, ip, now_ms,
                            csv);
}
