/*
 * cstore_console_csv.c - the console's CSV exports, filtered as on screen.
 * Rows come from the same coach views as the pages (the inbox query and
 * cstore_cases_list()), so the consent rule for first names and the note
 * rule hold here too, and a signal is one row (its latest version).
 */
#include "cexport.h"
#include "cstore_console_int.h"
#include "vp_i18n.h"
#include "vp_str.h"
#include <stdio.h>
#include <string.h>

#define EXPORT_MAX_ROWS 1000000

static const char *const signal_cols[] = {
    "id",        "received_at", "device_time", "location", "group",       "child_id",
    "pseudonym", "first_name",  "age_months",  "level",    "signals",     "labels",
    "frequency", "situation",   "note",        "staff",    "case_status", "seen",
    "archived",  "updated_at",  "versions",    NULL
};
/* The Dutch labels of a signal row's codes, joined with " / ". */
static json_t *labels(const struct vp_catalog *cat, json_t *codes)
{
    struct vp_buf b = VP_BUF_INIT;
    json_t *js;
    for (size_t i = 0; i < json_array_size(codes); i++) {
        const char *code = json_string_value(json_array_get(codes, i));
        const struct vp_signal *sig = vp_catalog_find(cat, code, NULL);
        vp_buf_addf(&b, "%s%s", i ? " / " : "", sig ? sig->label[VP_LANG_NL] : code);
    }
    js = json_string(b.data ? b.data : "");
    vp_buf_release(&b);
    return js;
}

static void signal_rows(struct vp_buf *out, const struct vp_catalog *cat, json_t *inbox)
{
    json_t *rows = json_object_get(inbox, "signals"),
           *children = json_object_get(inbox, "children");
    size_t r;
    json_t *row;
    cst_csv_header(out, signal_cols);
    json_array_foreach(rows, r, row)
    {
        json_t *child =
            json_object_get(children, json_string_value(json_object_get(row, "child_id")));
        json_object_set_new(row, "labels", labels(cat, json_object_get(row, "signals")));
        cst_csv_row(out, row, child, signal_cols);
    }
}

static void case_rows(struct vp_buf *out, json_t *rows, const char *status)
{
    size_t r;
    json_t *row;
    cst_csv_header(out, cst_csv_case_cols);
    json_array_foreach(rows, r, row)
    {
        json_t *kase = json_object_get(row, "case");
        const char *st = json_string_value(json_object_get(kase, "status"));
        if (status && !strcmp(status, "open") && st && !strcmp(st, "closed"))
            continue;
        cst_csv_row(out, row, kase, cst_csv_case_cols);
    }
}

/* The rows of kind for the filter: the inbox's {"signals","children"} or the
 * cases list (*data, caller decrefs). */
static vp_result export_data(struct cstore *st, const char *coach_id, enum ccon_export kind,
                             const struct ccon_filter *f, int64_t now_ms, json_t **data)
{
    struct cstore_filter g;
    if (kind == CCON_EXPORT_SIGNALS) /* the inbox caps its page; an export wants every row */
        return cstore_console_inbox_all(st, coach_id, f, now_ms, EXPORT_MAX_ROWS, data);
    memset(&g, 0, sizeof(g));
    g.location_id = f->location_id;
    g.status = f->status && strcmp(f->status, "open") != 0 ? f->status : NULL;
    g.since_ms = f->since_ms;
    g.limit = EXPORT_MAX_ROWS;
    return cstore_cases_list(st, coach_id, &g, now_ms, data);
}

/* The export for people: a table in lang, written as fmt. */
static vp_result people_export(struct cstore *st, enum ccon_export kind, enum cexport_format fmt,
                               enum vp_lang lang, const struct ccon_filter *f, json_t *data,
                               struct vp_buf *out)
{
    struct cexport_table t;
    vp_result res = VP_OK;
    cexport_table_init(&t, vp_tr_in(lang, kind == CCON_EXPORT_SIGNALS ? "export.sheet.signals"
                                                                      : "export.sheet.cases"));
    if (kind == CCON_EXPORT_SIGNALS)
        cexport_signals(&t, json_object_get(data, "signals"), json_object_get(data, "children"),
                        cstore_catalog(st), lang, true);
    else
        cexport_cases(&t, data, f->status, lang);
    if (fmt == CEXPORT_XLSX)
        res = cexport_xlsx(&t, out);
    else
        cexport_csv(&t, out);
    cexport_table_release(&t);
    return res;
}

vp_result cstore_console_export_as(struct cstore *st, const char *coach_id, enum ccon_export kind,
                                   enum cexport_format fmt, enum vp_lang lang,
                                   const struct ccon_filter *f, const char *ip, int64_t now_ms,
                                   struct vp_buf *out)
{
    json_t *data = NULL;
    char detail[240];
    vp_result res = export_data(st, coach_id, kind, f, now_ms, &data);
    if (!res && fmt == CEXPORT_CODES) {
        if (kind == CCON_EXPORT_SIGNALS)
            signal_rows(out, cstore_catalog(st), data);
        else
            case_rows(out, data, f->status);
    } else if (!res) {
        res = people_export(st, kind, fmt, lang, f, data, out);
    }
    json_decref(data);
    if (res)
        return res;
    snprintf(detail, sizeof(detail),
             "location=%s domain=%s level=%d status=%s since=%lld view=%d format=%s",
             f->location_id ? f->location_id : "all", f->domain ? f->domain : "all", f->level,
             f->status ? f->status : "all", (long long)f->since_ms, (int)f->view,
             cexport_format_name(fmt));
    return cstore_audit(st, coach_id,
                        kind == CCON_EXPORT_SIGNALS ? "export_signals" : "export_cases", NULL,
                        f->location_id, detail, ip, now_ms);
}

vp_result cstore_console_export(struct cstore *st, const char *coach_id, enum ccon_export kind,
                                const struct ccon_filter *f, const char *ip, int64_t now_ms,
                                struct vp_buf *csv)
{
    return cstore_console_export_as(st, coach_id, kind, CEXPORT_CODES, VP_LANG_NL, f, ip, now_ms,
                                    csv);
}
