/*
 * sync_round.c - one push + pull round and enrolment (docs/sync.md).
 *
 * Rules that keep every signal safe:
 *  - a batch is frozen in the store before it is sent; until the server's
 *    answer is applied, every retry sends the same batch again;
 *  - anything ambiguous (no answer, timeout, 408, 429, 5xx, an answer we
 *    cannot read) leaves the batch in flight: outcome unknown, send again;
 *  - a definite refusal of a whole batch (400, 403, 413, 422) is split in
 *    halves until the one bad record is found and quarantined, so it never
 *    blocks the rest;
 *  - a page of pulled changes and its cursor are applied in one transaction;
 *  - a new server epoch requeues everything the tablet still holds.
 */
#include "sync_internal.h"
#include "vp_fault.h"
#include <stdlib.h>
#include <string.h>

#define PULL_PAGE        500
#define MAX_EPOCH_RESETS 2

static void report_message(struct sync_report *rep, const char *key)
{
    vp_strlcpy(rep->message, vp_tr(key), sizeof(rep->message));
}

char *sync_url(const char *server, const char *path)
{
    struct vp_buf b = VP_BUF_INIT;
    vp_buf_adds(&b, server);
    while (b.len && b.data[b.len - 1] == '/')
        b.data[--b.len] = '\0';
    vp_buf_adds(&b, path);
    return vp_buf_detach(&b, NULL);
}

/* The plain sentence for a failed exchange, by what happened. */
static void describe_failure(vp_result res, long status, struct sync_report *rep)
{
    rep->result = res;
    rep->http_status = (int)status;
    if (res == VP_ERR_TLS)
        report_message(rep, "sync.err.tls");
    else if (res == VP_ERR_NETWORK)
        report_message(rep, "sync.err.network");
    else if (status == 401)
        report_message(rep, "sync.err.unauthorized");
    else if (status == 429)
        report_message(rep, "sync.err.busy");
    else if (status >= 500 || status == 408)
        report_message(rep, "sync.err.server");
    else
        report_message(rep, "sync.err.refused");
}

/* Reads the push answer (vp_envelope.h) into results for the store. Results
 * point into *a (release it after use). A status this version does not know
 * leaves its record pending (id NULL). */
static vp_result parse_push_answer(const struct vp_buf *body, struct vp_push_answer *a,
                                   struct dev_push_result **out)
{
    json_t *root = NULL;
    struct vp_json_err err = { "", "" };
    bool ok = !vp_json_parse(body->data, body->len, &root, &err) &&
              vp_push_answer_from_json(root, a, &err);
    json_decref(root);
    if (!ok) {
        vp_warn("sync: unreadable push answer: %s %s", err.field, err.message);
        return VP_ERR_SERVER;
    }
    *out = vp_xcalloc(a->n ? a->n : 1, sizeof(**out));
    for (size_t i = 0; i < a->n; i++) {
        const struct vp_push_result *r = &a->results[i];
        (*out)[i].id = r->status < VP_PUSH_STATUS_COUNT ? r->id : NULL;
        (*out)[i].status = r->status;
        (*out)[i].reason = r->reason[0] ? r->reason : NULL;
    }
    return VP_OK;
}

/* A new epoch: the server was restored; push everything we still hold. */
static vp_result check_epoch(struct sync_ctx *c, const char *epoch, bool *reset)
{
    struct dev_sync_state ss;
    vp_result res = devstore_sync_state(c->store, &ss);
    *reset = false;
    if (res || !epoch || !*epoch || !strcmp(ss.server_epoch, epoch))
        return res;
    if (!ss.server_epoch[0]) /* enrolled without an epoch: adopt this one */
        return devstore_outbox_requeue_all(c->store, epoch);
    vp_warn("sync: server epoch changed; requeueing everything this tablet holds");
    *reset = true;
    res = devstore_outbox_requeue_all(c->store, epoch);
    /* tests: the kiosk dies right after the requeue, before pushing again */
    return !res && vp_fault("sync_die_after_requeue") ? VP_ERR_NETWORK : res;
}

/* Sends one batch. *again is set when the loop should go on. */
static vp_result push_batch(struct sync_ctx *c, size_t limit, size_t *next_limit, bool *again,
                            bool *epoch_reset, struct sync_report *rep)
{
    struct dev_batch b;
    struct http_response resp;
    vp_result res;
    char *url;
    *again = false;
    res = devstore_batch_take(c->store, limit, SYNC_BATCH_BYTES, &b);
    if (res || b.count == 0)
        return res;
    if (vp_fault("sync_die_after_freeze")) { /* tests: frozen, never sent */
        devstore_batch_release(&b);
        return VP_ERR_NETWORK;
    }
    http_response_init(&resp);
    url = sync_url(c->device.server_url, "/api/v1/sync/push");
    res = http_request(c->http, "POST", url, c->device.token, b.body, b.body_len, &resp);
    free(url);
    rep->pushed += (int64_t)b.count;
    rep->bytes_up += resp.bytes_sent;
    rep->bytes_down += resp.bytes_received;
    c->retry_after_s = resp.retry_after_s;
    if (!res && vp_fault("sync_die_before_apply")) /* tests: answered, never applied */
        res = VP_ERR_NETWORK;
    if (!res && resp.status == 200) {
        struct vp_push_answer ans;
        struct dev_push_result *results = NULL;
        memset(&ans, 0, sizeof(ans));
        res = parse_push_answer(&resp.body, &ans, &results);
        if (!res)
            res = devstore_batch_finish(c->store, b.id, results, ans.n, vp_now_ms());
        for (size_t i = 0; !res && i < ans.n; i++) {
            if (!results[i].id)
                continue;
            if (results[i].status <= VP_PUSH_DUPLICATE)
                rep->acked++;
            else
                rep->quarantined++;
        }
        if (!res)
            res = check_epoch(c, ans.server_epoch, epoch_reset);
        c->server_time_ms = ans.server_time_ms;
        free(results);
        vp_push_answer_release(&ans);
        if (res == VP_ERR_SERVER)
            describe_failure(res, resp.status, rep);
        *again = !res;
        *next_limit = SYNC_BATCH_RECORDS;
    } else if (!res && (resp.status == 400 || resp.status == 403 || resp.status == 413 ||
                        resp.status == 422)) {
        /* refused as a whole and nothing applied: find the bad record */
        if (b.count > 1) {
            res = devstore_batch_finish(c->store, b.id, NULL, 0, vp_now_ms());
            *next_limit = b.count / 2;
        } else {
            struct dev_push_result one = { b.record_ids[0], VP_PUSH_REJECTED, NULL };
            char reason[DEV_REASON_MAX];
            sync_error_reason(&resp, reason, sizeof(reason));
            one.reason = reason;
            res = devstore_batch_finish(c->store, b.id, &one, 1, vp_now_ms());
            rep->quarantined++;
            *next_limit = SYNC_BATCH_RECORDS;
        }
        *again = !res;
    } else {
        if (!res && resp.status == 401)
            devstore_device_forget_token(c->store);
        describe_failure(res                  ? res
                         : resp.status == 401 ? VP_ERR_AUTH
                                              : VP_ERR_SERVER,
                         resp.status, rep);
        res = rep->result;
    }
    http_response_release(&resp);
    devstore_batch_release(&b);
    return res;
}

static vp_result push_all(struct sync_ctx *c, bool *epoch_reset, struct sync_report *rep)
{
    size_t limit = SYNC_BATCH_RECORDS;
    bool again = true;
    vp_result res = VP_OK;
    while (!res && again && !*epoch_reset && !sync_ctx_stopping(c))
        res = push_batch(c, limit, &limit, &again, epoch_reset, rep);
    return res;
}

/* The body of a pull request: the cursor and this tablet's heartbeat. */
static char *pull_body(struct sync_ctx *c, const char *cursor, size_t *len)
{
    struct vp_pull_request pr = { .limit = PULL_PAGE };
    json_t *js;
    char *text;
    vp_strlcpy(pr.since, cursor, sizeof(pr.since));
    pr.has_heartbeat = devstore_heartbeat(c->store, &pr.heartbeat) == VP_OK;
    vp_strlcpy(pr.heartbeat.app_version, VP_VERSION, sizeof(pr.heartbeat.app_version));
    pr.heartbeat.device_time_ms = vp_now_ms();
    js = vp_pull_request_to_json(&pr);
    text = vp_json_dump(js); /* our own request: always encodable */
    json_decref(js);
    *len = text ? strlen(text) : 0;
    return text;
}

/* Reads a page and applies it with its cursor. */
static vp_result apply_page(struct sync_ctx *c, const struct vp_buf *body, bool *more,
                            bool *epoch_reset, struct sync_report *rep)
{
    struct vp_json_err err = { "", "" };
    struct vp_pull_meta m;
    json_t *root = NULL, *changes = NULL;
    struct vp_change *list;
    size_t n = 0;
    vp_result res = VP_OK;
    if (vp_json_parse(body->data, body->len, &root, &err) ||
        !vp_pull_page_from_json(root, &m, &changes, &err)) {
        vp_warn("sync: unreadable pull answer: %s %s", err.field, err.message);
        json_decref(root);
        return VP_ERR_SERVER;
    }
    *more = m.more;
    res = check_epoch(c, m.server_epoch, epoch_reset);
    if (res || *epoch_reset) {
        json_decref(root);
        return res;
    }
    list = vp_xcalloc(json_array_size(changes) + 1, sizeof(*list));
    for (size_t i = 0; i < json_array_size(changes); i++) {
        memset(&err, 0, sizeof(err));
        if (vp_change_from_json(json_array_get(changes, i), &list[n], &err))
            n++;
        else /* a change this version does not understand: skip, never stall */
            vp_warn("sync: skipping change: %s %s", err.field, err.message);
    }
    res = devstore_apply_changes(c->store, list, n, m.cursor);
    rep->pulled += (int64_t)n;
    for (size_t i = 0; i < n; i++)
        vp_change_release(&list[i]);
    free(list);
    json_decref(root);
    return res;
}

/* Fetches and applies one page; sets *more when another is waiting. */
static vp_result pull_page(struct sync_ctx *c, bool *more, bool *epoch_reset,
                           struct sync_report *rep)
{
    struct dev_sync_state ss;
    struct http_response resp;
    char *url, *body;
    size_t len;
    vp_result res = devstore_sync_state(c->store, &ss);
    *more = false;
    if (res)
        return res;
    body = pull_body(c, ss.cursor, &len);
    if (!body)
        return VP_ERR_INTERNAL;
    url = sync_url(c->device.server_url, "/api/v1/sync/pull");
    http_response_init(&resp);
    res = http_request(c->http, "POST", url, c->device.token, body, len, &resp);
    free(url);
    free(body);
    c->retry_after_s = resp.retry_after_s;
    rep->bytes_up += resp.bytes_sent;
    rep->bytes_down += resp.bytes_received;
    if (res || resp.status != 200) {
        if (!res && resp.status == 401)
            devstore_device_forget_token(c->store);
        describe_failure(res                  ? res
                         : resp.status == 401 ? VP_ERR_AUTH
                                              : VP_ERR_SERVER,
                         resp.status, rep);
        http_response_release(&resp);
        return rep->result;
    }
    res = apply_page(c, &resp.body, more, epoch_reset, rep);
    if (res == VP_ERR_SERVER)
        describe_failure(res, resp.status, rep);
    http_response_release(&resp);
    return res;
}

static vp_result pull_all(struct sync_ctx *c, bool *epoch_reset, struct sync_report *rep)
{
    bool more = true;
    vp_result res = VP_OK;
    while (!res && more && !*epoch_reset && !sync_ctx_stopping(c))
        res = pull_page(c, &more, epoch_reset, rep);
    return res;
}

static void purge_old(struct sync_ctx *c)
{
    int64_t days = 30, purged = 0;
    devstore_setting_get_int(c->store, "retention_days", 30, &days);
    if (days < 1)
        days = 1;
    if (!devstore_purge_acknowledged(c->store, vp_now_ms() - days * 86400000, &purged) && purged)
        vp_info("sync: purged %lld acknowledged observations older than %lld days",
                (long long)purged, (long long)days);
}

vp_result sync_ctx_round(struct sync_ctx *c, struct sync_report *rep)
{
    struct dev_outbox_stats st;
    vp_result res;
    memset(rep, 0, sizeof(*rep));
    rep->event = SYNC_EVT_ROUND_DONE;
    c->retry_after_s = -1;
    res = devstore_device_get(c->store, &c->device);
    if (!res && !c->device.enrolled) {
        res = VP_ERR_AUTH;
        rep->result = res;
        report_message(rep, "sync.err.not_enrolled");
    }
    if (!res) {
        sync_ctx_http(c);
        for (int resets = 0; !res && resets <= MAX_EPOCH_RESETS; resets++) {
            bool epoch_reset = false;
            res = push_all(c, &epoch_reset, rep);
            if (!res && !epoch_reset)
                res = pull_all(c, &epoch_reset, rep);
            if (!epoch_reset)
                break;
        }
    }
    if (!res) {
        devstore_sync_success(c->store, vp_now_ms(), c->server_time_ms);
        purge_old(c);
    } else {
        if (!rep->message[0])
            describe_failure(res, rep->http_status, rep);
        devstore_sync_failure(c->store, vp_now_ms(), res, rep->message);
    }
    rep->result = res;
    rep->retry_after_s = c->retry_after_s;
    if (!devstore_outbox_stats(c->store, &st))
        rep->pending = st.pending;
    return res;
}

void sync_error_reason(const struct http_response *resp, char *out, size_t size)
{
    json_t *root = NULL;
    const char *msg = NULL;
    vp_strlcpy(out, vp_tr("sync.err.refused"), size);
    if (!vp_json_parse(resp->body.data, resp->body.len, &root, NULL) &&
        vp_json_get_str(root, "message", true, 200, &msg, NULL) && msg)
        vp_strlcpy(out, msg, size);
    json_decref(root);
}
