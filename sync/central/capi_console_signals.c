/*
 * capi_console_signals.c - the coach's signals and cases: the inbox list,
 * seen and archived marks, the cases (Kinderen), the overview metrics and
 * the CSV exports, filtered as on screen.
 */
#include "capi_console.h"
#include "vp_i18n.h"
#include "vp_json.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_uuid.h"
#include <string.h>

void capi_signals_list(struct chttp_req *req, struct chttp_resp *resp)
{
    struct ccon_filter f;
    json_t *out = NULL;
    vp_result res;
    if (!capi_read_filter(req, resp, &f))
        return;
    res = cstore_console_inbox(req->app->store, req->coach.id, &f, vp_now_ms(), &out);
    capi_answer(req, resp, res, res ? NULL : out);
}

/* {"new":N}: the Nieuw count the navigation shows on every page. */
void capi_signals_count(struct chttp_req *req, struct chttp_resp *resp)
{
    int64_t n = 0;
    vp_result res = cstore_console_new_count(req->app->store, req->coach.id, &n);
    capi_answer(req, resp, res, res ? NULL : json_pack("{s:I}", "new", (json_int_t)n));
}

void capi_signals_seen(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "ids", NULL };
    const char *ids[CCON_INBOX_MAX];
    json_t *js = capi_body(req, resp, keys), *arr;
    size_t n;
    if (!js)
        return;
    arr = json_object_get(js, "ids");
    n = json_array_size(arr);
    if (!json_is_array(arr) || n > CCON_INBOX_MAX) {
        json_decref(js);
        capi_invalid(req, resp, "ids");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        ids[i] = json_string_value(json_array_get(arr, i));
        if (!ids[i] || !vp_uuid_valid(ids[i])) {
            json_decref(js);
            capi_invalid(req, resp, "ids");
            return;
        }
    }
    capi_answer(req, resp,
                cstore_console_mark_seen(req->app->store, req->coach.id, ids, n, vp_now_ms()),
                NULL);
    json_decref(js);
}

void capi_signals_archive(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "reason", NULL };
    const char *id = capi_id(req, resp), *reason;
    json_t *js, *r;
    if (!id || !(js = capi_body(req, resp, keys)))
        return;
    r = json_object_get(js, "reason");
    reason = json_string_value(r);
    if (!json_is_null(r) && !reason)
        capi_invalid(req, resp, "reason");
    else
        capi_answer(req, resp,
                    cstore_console_archive(req->app->store, req->coach.id, id, reason, req->ip,
                                           vp_now_ms()),
                    NULL);
    json_decref(js);
}

/* ?location=&child=&status=&since=&limit= (the Kinderen page, the export's
 * dossier list); false after a 400. */
static bool read_cases_filter(struct chttp_req *req, struct chttp_resp *resp,
                              struct cstore_filter *f)
{
    const char *limit = chttp_query(req, "limit"), *since = chttp_query(req, "since");
    int64_t v;
    memset(f, 0, sizeof(*f));
    f->location_id = chttp_query(req, "location");
    f->child_id = chttp_query(req, "child");
    f->status = chttp_query(req, "status");
    f->limit = 100;
    if ((f->location_id && !vp_uuid_valid(f->location_id)) ||
        (f->child_id && !vp_uuid_valid(f->child_id)) ||
        (f->status && vp_case_status_parse(f->status) < 0) ||
        (since && vp_time_parse(since, &f->since_ms) != VP_OK))
        return capi_bad(req, resp);
    if (limit) {
        if (!vp_parse_i64(limit, 1, 1000, &v))
            return capi_bad(req, resp);
        f->limit = (int)v;
    }
    return true;
}

void capi_cases_list(struct chttp_req *req, struct chttp_resp *resp)
{
    struct cstore_filter f;
    json_t *rows = NULL;
    vp_result res;
    if (!read_cases_filter(req, resp, &f))
        return;
    res = cstore_cases_list(req->app->store, req->coach.id, &f, vp_now_ms(), &rows);
    capi_answer(req, resp, res, res ? NULL : json_pack("{s:o}", "cases", rows));
}

void capi_overview(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *loc = chttp_query(req, "location"), *weeks = chttp_query(req, "weeks");
    int64_t w = 12;
    json_t *out = NULL;
    vp_result res;
    if ((loc && !vp_uuid_valid(loc)) || (weeks && !vp_parse_i64(weeks, 4, 52, &w))) {
        capi_bad(req, resp);
        return;
    }
    res = cstore_console_overview(req->app->store, req->coach.id, loc, (int)w, vp_now_ms(), &out);
    capi_answer(req, resp, res, res ? NULL : out);
}

/* ?lang=en for an export in English; Dutch otherwise. False after a 400. */
bool capi_export_lang(struct chttp_req *req, struct chttp_resp *resp, enum vp_lang *lang)
{
    const char *l = chttp_query(req, "lang");
    *lang = VP_LANG_NL;
    if (l && !vp_i18n_parse_lang(l, lang))
        return capi_bad(req, resp);
    return true;
}

static void export_as(struct chttp_req *req, struct chttp_resp *resp, enum ccon_export kind,
                      enum cexport_format fmt)
{
    static const char *const types[] = {
        "text/csv; charset=utf-8", "text/csv; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    struct ccon_filter f;
    enum vp_lang lang;
    char day[11], name[96];
    int64_t now = vp_now_ms();
    vp_result res;
    if (!capi_read_filter(req, resp, &f) || !capi_export_lang(req, resp, &lang))
        return;
    res = cstore_console_export_as(req->app->store, req->coach.id, kind, fmt, lang, &f, req->ip,
                                   now, &resp->body);
    if (res) {
        vp_buf_reset(&resp->body);
        chttp_store_error(req, resp, res);
        return;
    }
    resp->status = 200;
    resp->content_type = types[fmt];
    cexport_local_date(now, day);
    vp_snprintf(
        name, sizeof(name), "%s%s-%s.%s",
        vp_tr_in(lang, kind == CCON_EXPORT_SIGNALS ? "export.file.signals" : "export.file.cases"),
        fmt == CEXPORT_CODES ? "-codes" : "", day, fmt == CEXPORT_XLSX ? "xlsx" : "csv");
    chttp_attachment(resp, name);
}

void capi_export_signals(struct chttp_req *req, struct chttp_resp *resp)
{
    export_as(req, resp, CCON_EXPORT_SIGNALS, CEXPORT_CODES);
}

void capi_export_cases(struct chttp_req *req, struct chttp_resp *resp)
{
    export_as(req, resp, CCON_EXPORT_CASES, CEXPORT_CODES);
}

void capi_export_signals_nl(struct chttp_req *req, struct chttp_resp *resp)
{
    export_as(req, resp, CCON_EXPORT_SIGNALS, CEXPORT_NL_CSV);
}

void capi_export_cases_nl(struct chttp_req *req, struct chttp_resp *resp)
{
    export_as(req, resp, CCON_EXPORT_CASES, CEXPORT_NL_CSV);
}

void capi_export_signals_xlsx(struct chttp_req *req, struct chttp_resp *resp)
{
    export_as(req, resp, CCON_EXPORT_SIGNALS, CEXPORT_XLSX);
}

void capi_export_cases_xlsx(struct chttp_req *req, struct chttp_resp *resp)
{
    export_as(req, resp, CCON_EXPORT_CASES, CEXPORT_XLSX);
}
