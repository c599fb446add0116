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

/* Parses {"results":[...],"server_epoch","server_time"} into results that
 * point into *root (the caller json_decref()s root after use). */
static vp_result parse_push_answer(const struct vp_buf *body, json_t **root,
                                   struct dev_push_result **out, size_t *n, const char **epoch,
                                   int64_t *server_time)
{
    json_t *results;
    struct vp_json_err err = { "", "" };
    if (vp_json_parse(body->data, body->len, root, &err))
        return VP_ERR_SERVER;
    results = json_object_get(*root, "results");
    if (!json_is_array(results) || !vp_json_get_str(*root, "server_epoch", true, 64, epoch, &err) ||
        !vp_json_get_time(*root, "server_time", false, server_time, &err))
        return VP_ERR_SERVER;
    *n = json_array_size(results);
    *out = vp_xcalloc(*n ? *n : 1, sizeof(**out));
    for (size_t i = 0; i < *n; i++) {
        json_t *r = json_array_get(results, i);
        const char *id = NULL, *status = NULL, *reason = NULL;
        if (!vp_json_get_str(r, "id", true, 36, &id, &err) ||
            !vp_json_get_str(r, "status", true, 16, &status, &err) ||
            !vp_json_get_str(r, "reason", false, 500, &reason, &err))
            return VP_ERR_SERVER;
        (*out)[i].id = id;
        (*out)[i].reason = reason;
        if (!strcmp(status, "stored"))
            (*out)[i].status = DEV_PUSH_STORED;
        else if (!strcmp(status, "duplicate"))
            (*out)[i].status = DEV_PUSH_DUPLICATE;
        else if (!strcmp(status, "conflict"))
            (*out)[i].status = DEV_PUSH_CONFLICT;
        else if (!strcmp(status, "rejected"))
            (*out)[i].status = DEV_PUSH_REJECTED;
        else
            (*out)[i].id = NULL; /* unknown status: leave that record pending */
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
    return devstore_outbox_requeue_all(c->store, epoch);
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
    http_response_init(&resp);
    url = sync_url(c->device.server_url, "/api/v1/sync/push");
    res = http_request(c->http, "POST", url, c->device.token, b.body, b.body_len, &resp);
    free(url);
    rep->pushed += (int64_t)b.count;
    rep->bytes_up += resp.bytes_sent;
    rep->bytes_down += resp.bytes_received;
    c->retry_after_s = resp.retry_after_s;
    if (!res && resp.status == 200) {
        json_t *root = NULL;
        struct dev_push_result *results = NULL;
        size_t n = 0;
        const char *epoch = NULL;
        int64_t server_time = 0;
        res = parse_push_answer(&resp.body, &root, &results, &n, &epoch, &server_time);
        if (!res)
            res = devstore_batch_finish(c->store, b.id, results, n, vp_now_ms());
        for (size_t i = 0; !res && i < n; i++) {
            if (!results[i].id)
                continue;
            if (results[i].status <= DEV_PUSH_DUPLICATE)
                rep->acked++;
            else
                rep->quarantined++;
        }
        if (!res)
            res = check_epoch(c, epoch, epoch_reset);
        c->server_time_ms = server_time;
        free(results);
        json_decref(root);
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
            struct dev_push_result one = { b.record_ids[0], DEV_PUSH_REJECTED, NULL };
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

/* Applies one page; sets *more when another is waiting. */
static vp_result pull_page(struct sync_ctx *c, bool *more, bool *epoch_reset,
                           struct sync_report *rep)
{
    struct dev_sync_state ss;
    struct http_response resp;
    struct vp_json_err err = { "", "" };
    json_t *root = NULL, *changes;
    struct vp_change *list = NULL;
    size_t n = 0;
    int64_t next = 0;
    const char *epoch = NULL;
    char path[96], *url;
    vp_result res = devstore_sync_state(c->store, &ss);
    *more = false;
    if (res)
        return res;
    snprintf(path, sizeof(path), "/api/v1/sync/pull?since=%lld&limit=%d", (long long)ss.cursor,
             PULL_PAGE);
    url = sync_url(c->device.server_url, path);
    http_response_init(&resp);
    res = http_request(c->http, "GET", url, c->device.token, NULL, 0, &resp);
    free(url);
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
    res = vp_json_parse(resp.body.data, resp.body.len, &root, &err) ? VP_ERR_SERVER : VP_OK;
    changes = json_object_get(root, "changes");
    if (!res && (!json_is_array(changes) ||
                 !vp_json_get_int(root, "next", true, 0, INT64_MAX, &next, &err) ||
                 !vp_json_get_bool(root, "more", true, more, &err) ||
                 !vp_json_get_str(root, "server_epoch", true, 64, &epoch, &err)))
        res = VP_ERR_SERVER;
    if (!res)
        res = check_epoch(c, epoch, epoch_reset);
    if (!res && !*epoch_reset) {
        list = vp_xcalloc(json_array_size(changes) + 1, sizeof(*list));
        for (size_t i = 0; i < json_array_size(changes); i++) {
            memset(&err, 0, sizeof(err));
            if (vp_change_from_json(json_array_get(changes, i), &list[n], &err))
                n++;
            else /* a change this version does not understand: skip, never stall */
                vp_warn("sync: skipping change: %s %s", err.field, err.message);
        }
        res = devstore_apply_changes(c->store, list, n, next);
        rep->pulled += (int64_t)n;
        for (size_t i = 0; i < n; i++)
            vp_change_release(&list[i]);
        free(list);
    }
    if (res == VP_ERR_SERVER)
        describe_failure(res, resp.status, rep);
    json_decref(root);
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
