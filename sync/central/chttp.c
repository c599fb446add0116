/*
 * chttp.c - what handlers use (query, headers, JSON answers and errors)
 * and gzip decoding. The server itself (connections, deadlines, answers,
 * start and stop) is chttp_conn.c; the route table chttp_router.c.
 */
#include "chttp.h"
#include "capi.h"
#include "vp_alloc.h"
#include "vp_i18n.h"
#include "vp_json.h"
#include "vp_log.h"
#include "vp_str.h"
#include "vp_time.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

/* ---- request helpers ---- */

/* A request made without a connection (the fuzzer's) carries its lists. */
static const char *fake_lookup(const struct chttp_kv *kv, const char *key, bool nocase)
{
    for (; kv && kv->key; kv++)
        if (nocase ? !strcasecmp(kv->key, key) : !strcmp(kv->key, key))
            return kv->value;
    return NULL;
}

const char *chttp_query(struct chttp_req *req, const char *key)
{
    if (!req->conn)
        return fake_lookup(req->fake_query, key, false);
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

void chttp_attachment(struct chttp_resp *resp, const char *name)
{
    char safe[160];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof(safe); p++) {
        unsigned char ch = (unsigned char)*p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
        safe[n++] = ok ? (char)ch : '_';
    }
    safe[n] = '\0';
    snprintf(resp->disposition, sizeof(resp->disposition), "attachment; filename=\"%s\"", safe);
}

const char *chttp_header(struct chttp_req *req, const char *name)
{
    if (!req->conn)
        return fake_lookup(req->fake_headers, name, true);
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *chttp_cookie(struct chttp_req *req, const char *name)
{
    if (!req->conn)
        return fake_lookup(req->fake_cookies, name, false);
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

void chttp_json(struct chttp_resp *resp, int status, json_t *js)
{
    char *text = vp_json_dump(js);
    json_decref(js);
    vp_buf_reset(&resp->body);
    resp->content_type = "application/json";
    if (!text) {
        /* a handler built an answer that cannot be encoded (NULL from json_pack
         * on text that is not UTF-8): a bug to log, never a reason to stop */
        vp_error("http: an answer (status %d) could not be encoded as JSON", status);
        resp->status = 500;
        vp_buf_adds(&resp->body, "{\"error\":\"internal\",\"message\":\"internal error\"}");
        return;
    }
    resp->status = status;
    vp_buf_adds(&resp->body, text);
    free(text);
}

void chttp_error(struct chttp_req *req, struct chttp_resp *resp, int status, const char *code,
                 const char *message)
{
    json_t *js = json_object();
    char key[64];
    if (!message) {
        vp_snprintf(key, sizeof(key), "api.error.%s", code);
        message = vp_tr_in(req->lang, key);
    }
    /* built from scrubbed copies, so no code or message can make it fail */
    json_object_set_new(js, "error", vp_json_text(code));
    json_object_set_new(js, "message", vp_json_text(message));
    chttp_json(resp, status, js);
}

void chttp_store_error(struct chttp_req *req, struct chttp_resp *resp, vp_result res)
{
    switch (res) {
    case VP_ERR_REFUSED: chttp_error(req, resp, 403, "forbidden", NULL); break;
    case VP_ERR_NOT_FOUND: chttp_error(req, resp, 404, "not_found", NULL); break;
    case VP_ERR_AUTH: chttp_error(req, resp, 401, "unauthorized", NULL); break;
    case VP_ERR_INVALID: chttp_error(req, resp, 422, "invalid", NULL); break;
    case VP_ERR_EXISTS: chttp_error(req, resp, 409, "exists", NULL); break;
    case VP_ERR_BUSY:
    case VP_ERR_FULL:
        chttp_error(req, resp, 503, "unavailable", NULL);
        resp->retry_after = 5;
        break;
    default:
        vp_error("request %s %s failed: %s", req->method, req->path, vp_result_name(res));
        chttp_error(req, resp, 500, "internal", NULL);
        break;
    }
}

bool chttp_want_json(struct chttp_req *req, struct chttp_resp *resp)
{
    const char *ct = chttp_header(req, "Content-Type");
    if (ct && !strncasecmp(ct, "application/json", 16) &&
        (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' '))
        return true;
    chttp_error(req, resp, 415, "unsupported_media_type", NULL);
    return false;
}

json_t *chttp_body_json(struct chttp_req *req, struct chttp_resp *resp)
{
    struct vp_json_err err;
    json_t *js = NULL;
    memset(&err, 0, sizeof(err));
    if (vp_json_parse(req->body, req->body_len, &js, &err) != VP_OK) {
        chttp_error(req, resp, 400, "malformed", NULL);
        return NULL;
    }
    if (!json_is_object(js)) {
        json_decref(js);
        chttp_error(req, resp, 400, "malformed", NULL);
        return NULL;
    }
    return js;
}

/* ---- bodies ---- */

vp_result chttp_gunzip(const char *data, size_t len, struct vp_buf *out)
{
    z_stream z;
    int rc;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return VP_ERR_INTERNAL;
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    do {
        vp_buf_grow(out, 64 * 1024);
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)(out->cap - out->len - 1);
        rc = inflate(&z, Z_NO_FLUSH);
        out->len = (size_t)((char *)z.next_out - out->data);
        out->data[out->len] = '\0';
        if (out->len > CHTTP_BODY_MAX) {
            inflateEnd(&z);
            return VP_ERR_FULL;
        }
    } while (rc == Z_OK);
    inflateEnd(&z);
    return rc == Z_STREAM_END && z.avail_in == 0 ? VP_OK : VP_ERR_INVALID;
}
