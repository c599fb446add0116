#include "http.h"
#include "vp_core.h"
#include <curl/curl.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define GZIP_THRESHOLD 1024

struct http {
    CURL *curl;
    struct http_options opt;
    char *cafile, *pinned_key, *proxy;
};

static char *dup_or_null(const char *s)
{
    return s && *s ? vp_xstrdup(s) : NULL;
}

struct http *http_new(const struct http_options *opt)
{
    struct http *h = vp_xcalloc(1, sizeof(*h));
    h->curl = curl_easy_init();
    if (!h->curl) {
        vp_error("sync: curl_easy_init failed");
        abort();
    }
    if (opt)
        h->opt = *opt;
    h->cafile = dup_or_null(h->opt.cafile);
    h->pinned_key = dup_or_null(h->opt.pinned_key);
    h->proxy = dup_or_null(h->opt.proxy);
    if (h->opt.connect_timeout_s <= 0)
        h->opt.connect_timeout_s = 10;
    if (h->opt.total_timeout_s <= 0)
        h->opt.total_timeout_s = 120;
    if (h->opt.stall_timeout_s <= 0)
        h->opt.stall_timeout_s = 20;
    return h;
}

void http_free(struct http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    free(h->cafile);
    free(h->pinned_key);
    free(h->proxy);
    free(h);
}

void http_response_init(struct http_response *r)
{
    r->status = 0;
    vp_buf_init(&r->body);
    r->retry_after_s = -1;
    r->bytes_sent = 0;
    r->bytes_received = 0;
}

void http_response_release(struct http_response *r)
{
    vp_buf_release(&r->body);
    http_response_init(r);
}

vp_result http_gzip(const char *data, size_t len, struct vp_buf *out)
{
    z_stream zs;
    unsigned char chunk[16384];
    int rc;
    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return VP_ERR_INTERNAL;
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    do {
        zs.next_out = chunk;
        zs.avail_out = sizeof(chunk);
        rc = deflate(&zs, Z_FINISH);
        vp_buf_add(out, chunk, sizeof(chunk) - zs.avail_out);
    } while (rc == Z_OK);
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? VP_OK : VP_ERR_INTERNAL;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct http_response *r = ud;
    size_t n = size * nmemb;
    if (r->body.len + n > HTTP_MAX_RESPONSE)
        return 0; /* curl aborts the transfer: an answer this big is not ours */
    vp_buf_add(&r->body, ptr, n);
    return n;
}

static size_t on_header(char *ptr, size_t size, size_t nitems, void *ud)
{
    struct http_response *r = ud;
    size_t n = size * nitems;
    static const char name[] = "retry-after:";
    if (n > sizeof(name) && !strncasecmp(ptr, name, sizeof(name) - 1)) {
        char value[32];
        size_t vlen = n - (sizeof(name) - 1);
        int64_t secs;
        if (vlen >= sizeof(value))
            vlen = sizeof(value) - 1;
        memcpy(value, ptr + sizeof(name) - 1, vlen);
        value[vlen] = '\0';
        /* trim spaces and CRLF; only the delta-seconds form is used by our server */
        char *v = value;
        while (*v == ' ')
            v++;
        v[strcspn(v, "\r\n ")] = '\0';
        if (vp_parse_i64(v, 0, 86400, &secs))
            r->retry_after_s = (long)secs;
    }
    return n;
}

static vp_result map_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_OK: return VP_OK;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR: return VP_ERR_TLS;
    default: return VP_ERR_NETWORK;
    }
}

static void set_common(struct http *h, struct http_response *resp)
{
    CURL *c = h->curl;
    curl_easy_reset(c); /* keeps live connections and caches */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, h->opt.connect_timeout_s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, h->opt.total_timeout_s);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L); /* a stalled link: < 1 byte/s ... */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, h->opt.stall_timeout_s); /* ... this long */
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, h->proxy ? h->proxy : "");
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "vindplaats-kiosk/" VP_VERSION);
    if (h->cafile)
        curl_easy_setopt(c, CURLOPT_CAINFO, h->cafile);
    if (h->pinned_key)
        curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, h->pinned_key);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
}

vp_result http_request(struct http *h, const char *method, const char *url, const char *token,
                       const char *body, size_t len, struct http_response *resp)
{
    struct curl_slist *headers = NULL;
    struct vp_buf auth = VP_BUF_INIT, zipped = VP_BUF_INIT;
    CURLcode rc;
    vp_result res = VP_OK;
    vp_buf_reset(&resp->body);
    resp->status = 0;
    resp->retry_after_s = -1;
    set_common(h, resp);
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    headers = curl_slist_append(headers, "Accept: application/json");
    if (token && *token) {
        vp_buf_addf(&auth, "Authorization: Bearer %s", token);
        headers = curl_slist_append(headers, auth.data);
    }
    if (body) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, "Expect:");
        if (len > GZIP_THRESHOLD && http_gzip(body, len, &zipped) == VP_OK) {
            headers = curl_slist_append(headers, "Content-Encoding: gzip");
            body = zipped.data;
            len = zipped.len;
        }
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, headers);
    rc = curl_easy_perform(h->curl);
    if (rc == CURLE_OK) {
        curl_off_t up = 0, down = 0;
        long req_size = 0, hdr_size = 0;
        curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
        curl_easy_getinfo(h->curl, CURLINFO_SIZE_UPLOAD_T, &up);
        curl_easy_getinfo(h->curl, CURLINFO_SIZE_DOWNLOAD_T, &down);
        curl_easy_getinfo(h->curl, CURLINFO_REQUEST_SIZE, &req_size);
        curl_easy_getinfo(h->curl, CURLINFO_HEADER_SIZE, &hdr_size);
        resp->bytes_sent = (int64_t)up + req_size;
        resp->bytes_received = (int64_t)down + hdr_size;
    } else {
        res = map_curl(rc);
        vp_info("sync: %s %s: %s", method, url, curl_easy_strerror(rc));
    }
    curl_slist_free_all(headers);
    vp_buf_release(&auth);
    vp_buf_release(&zipped);
    return res;
}
