/*
 * capi_console_child.c - one child: the child's page (timeline, case,
 * advice; an audited view), the dossier download, case changes, advice to
 * the location and erasure. The child's id is the route's "{id}", checked
 * against the coach's locations before any of these run.
 */
#include "capi_console.h"
#include "cexport.h"
#include "vp_i18n.h"
#include "vp_str.h"
#include "vp_json.h"
#include "vp_time.h"
#include <string.h>

void capi_child_get(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *id = capi_id(req, resp);
    json_t *out = NULL;
    vp_result res;
    if (!id)
        return;
    res = cstore_console_child(req->app->store, req->coach.id, id, req->ip, vp_now_ms(), &out);
    capi_answer(req, resp, res, res ? NULL : out);
}

/* "dossier-CODE-YYYY-MM-DD.EXT": the child's code and today's local date,
 * the same name the page gives the link. */
static void dossier_name(struct chttp_resp *resp, enum vp_lang lang, const char *code,
                         const char *ext)
{
    char day[11], name[96];
    cexport_local_date(vp_now_ms(), day);
    vp_snprintf(name, sizeof(name), "%s-%s-%s.%s", vp_tr_in(lang, "letter.file"),
                code && *code ? code : "kind", day, ext);
    chttp_attachment(resp, name);
}

void capi_child_dossier(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *id = capi_id(req, resp);
    json_t *out = NULL;
    vp_result res;
    if (!id)
        return;
    res = cstore_console_dossier_export(req->app->store, req->coach.id, id, req->ip, vp_now_ms(),
                                        &out);
    if (!res)
        dossier_name(resp, VP_LANG_NL,
                     json_string_value(json_object_get(json_object_get(out, "child"), "pseudonym")),
                     "json");
    capi_answer(req, resp, res, res ? NULL : out);
}

/* The dossier as a letter a parent can read (PDF), ?lang=en in English. */
void capi_child_letter(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *id = capi_id(req, resp);
    char code[VP_PSEUDONYM_LEN] = "";
    enum vp_lang lang;
    vp_result res;
    if (!id || !capi_export_lang(req, resp, &lang))
        return;
    res = cstore_console_dossier_letter(req->app->store, req->coach.id, id, lang, req->ip,
                                        vp_now_ms(), &resp->body, code);
    if (res) {
        vp_buf_reset(&resp->body);
        chttp_store_error(req, resp, res);
        return;
    }
    resp->status = 200;
    resp->content_type = "application/pdf";
    dossier_name(resp, lang, code, "pdf");
}

static bool read_edit(json_t *js, struct cstore_case_edit *e, struct vp_json_err *err)
{
    memset(e, 0, sizeof(*e));
    return vp_json_get_str(js, "status", false, 32, &e->status, err) &&
           vp_json_get_str(js, "consent", false, 32, &e->consent, err) &&
           vp_json_get_str(js, "parent_talk", false, 32, &e->parent_talk, err) &&
           vp_json_get_str(js, "consultation", false, 32, &e->consultation, err) &&
           vp_json_get_str(js, "referred_to", false, 32, &e->referred_to, err) &&
           vp_json_get_str(js, "closed_reason", false, 32, &e->closed_reason, err) &&
           vp_json_get_str(js, "next_action", false, 200, &e->next_action, err) &&
           vp_json_get_str(js, "next_action_owner", false, 80, &e->next_action_owner, err) &&
           vp_json_get_str(js, "next_action_due", false, 10, &e->next_action_due, err) &&
           vp_json_get_str(js, "follow_up_date", false, 10, &e->follow_up_date, err);
}

/* 422 for a case edit that breaks a rule: one plain message per rule and
 * the field it concerns ({"error","message","field"}), so the page can
 * say it next to that field. */
static void case_invalid(struct chttp_req *req, struct chttp_resp *resp, const char *field)
{
    char key[64];
    const char *msg;
    vp_snprintf(key, sizeof(key), "api.case.%s", field);
    msg = vp_tr_in(req->lang, key);
    if (!strcmp(msg, key))
        msg = vp_tr_in(req->lang, "api.error.invalid");
    chttp_json(resp, 422,
               json_pack("{s:s,s:s,s:s}", "error", "invalid", "message", msg, "field", field));
}

void capi_child_case(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = {
        "status",          "consent",        "parent_talk", "consultation",
        "referred_to",     "closed_reason",  "next_action", "next_action_owner",
        "next_action_due", "follow_up_date", NULL
    };
    const char *id = capi_id(req, resp), *why = NULL;
    struct cstore_case_edit edit;
    struct vp_json_err err;
    json_t *js, *out = NULL;
    vp_result res;
    if (!id || !(js = capi_body(req, resp, keys)))
        return;
    memset(&err, 0, sizeof(err));
    if (!read_edit(js, &edit, &err)) {
        capi_invalid(req, resp, err.field);
    } else if ((res = cstore_case_update(req->app->store, req->coach.id, id, &edit, req->ip,
                                         vp_now_ms(), &out, &why)) != VP_OK) {
        if (res == VP_ERR_INVALID && why)
            case_invalid(req, resp, why);
        else
            chttp_store_error(req, resp, res);
    } else {
        chttp_json(resp, 200, json_pack("{s:o}", "case", out));
    }
    json_decref(js);
}

void capi_child_advice(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "text", NULL };
    const char *id = capi_id(req, resp), *text = NULL;
    struct vp_json_err err;
    json_t *js, *out = NULL;
    vp_result res;
    if (!id || !(js = capi_body(req, resp, keys)))
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_get_str(js, "text", true, 2000, &text, &err))
        capi_invalid(req, resp, err.field);
    else if ((res = cstore_advice_add(req->app->store, req->coach.id, id, text, req->ip,
                                      vp_now_ms(), &out)) != VP_OK)
        chttp_store_error(req, resp, res);
    else
        chttp_json(resp, 200, json_pack("{s:o}", "advice", out));
    json_decref(js);
}

void capi_child_erase(struct chttp_req *req, struct chttp_resp *resp)
{
    static const char *const keys[] = { "confirm", NULL };
    const char *id = capi_id(req, resp);
    struct vp_json_err err;
    bool confirm = false;
    json_t *js;
    vp_result res;
    if (!id || !(js = capi_body(req, resp, keys)))
        return;
    memset(&err, 0, sizeof(err));
    if (!vp_json_get_bool(js, "confirm", true, &confirm, &err) || !confirm)
        capi_invalid(req, resp, "confirm");
    else if ((res = cstore_child_erase(req->app->store, req->coach.id, id, req->ip, vp_now_ms())) !=
             VP_OK)
        chttp_store_error(req, resp, res);
    else
        chttp_json(resp, 200, json_pack("{s:b}", "erased", 1));
    json_decref(js);
}
