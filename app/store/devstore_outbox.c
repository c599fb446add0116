/*
 * devstore_outbox.c - the outbox and everything the sync worker does with
 * the store: frozen batches, results, quarantine, epochs, retention. Also
 * advice and case status. Observations and signals: devstore_obs.c and
 * devstore_signal.c.
 */
#include "devstore_int.h"
#include <stdlib.h>
#include <string.h>

/* ---- outbox ---- */

vp_result ds_outbox_add(struct devstore *s, const struct vp_record *rec, const char *child_id,
                        const char *entity_id)
{
    json_t *js = vp_record_to_json(rec);
    char *payload = vp_json_dump(js);
    vp_result res = ds_exec(s,
                            "INSERT INTO outbox(record_id, type, child_id, entity_id, payload,"
                            " state, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)",
                            "sssssi", vp_record_id(rec), vp_record_type_name(rec->type), child_id,
                            entity_id, payload, vp_now_ms());
    free(payload);
    json_decref(js);
    return res;
}

/* ---- advice and cases ---- */

static void read_advice(sqlite3_stmt *st, void *item)
{
    struct dev_advice *a = item;
    ds_col_text(st, 0, a->id, sizeof(a->id));
    ds_col_text(st, 1, a->child_id, sizeof(a->child_id));
    ds_col_text(st, 2, a->text, sizeof(a->text));
    ds_col_text(st, 3, a->author, sizeof(a->author));
    a->created_ms = sqlite3_column_int64(st, 4);
    a->read_ms = sqlite3_column_int64(st, 5);
}

vp_result devstore_child_advice(struct devstore *s, const char *child_id, struct dev_advice **out,
                                size_t *n)
{
    sqlite3_stmt *st = ds_prepare(s,
                                  "SELECT id, child_id, text, author, created_at, read_at"
                                  " FROM advice WHERE child_id = ?1"
                                  " ORDER BY created_at DESC, id DESC",
                                  "s", child_id);
    return ds_collect(s, st, sizeof(**out), read_advice, (void **)out, n);
}

vp_result devstore_child_case(struct devstore *s, const char *child_id, struct vp_case *out)
{
    sqlite3_stmt *st = ds_prepare(s,
                                  "SELECT status, next_action, next_action_due, consultation"
                                  " FROM cases WHERE child_id = ?1",
                                  "s", child_id);
    bool row;
    vp_result res;
    memset(out, 0, sizeof(*out));
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res && !row)
        res = VP_ERR_NOT_FOUND;
    if (!res) {
        char status[32];
        int code;
        ds_col_text(st, 0, status, sizeof(status));
        code = vp_case_status_parse(status);
        vp_strlcpy(out->child_id, child_id, sizeof(out->child_id));
        out->status = code < 0 ? VP_CASE_NEW : (enum vp_case_status)code;
        ds_col_text(st, 1, out->next_action, sizeof(out->next_action));
        ds_col_text(st, 2, out->next_action_due, sizeof(out->next_action_due));
        out->consultation = (enum vp_consultation)sqlite3_column_int(st, 3);
    }
    sqlite3_reset(st);
    return res;
}

vp_result devstore_advice_mark_read(struct devstore *s, const char *advice_id, const char *staff_id)
{
    struct vp_record rec;
    int64_t read_at = -1;
    vp_result res;
    if (!vp_uuid_valid(staff_id))
        return VP_ERR_INVALID;
    res = ds_begin(s);
    if (!res)
        res = ds_query_int(s, &read_at, "SELECT read_at FROM advice WHERE id = ?1", "s", advice_id);
    if (res || read_at != 0)
        return ds_finish(s, res); /* unknown, or already read: nothing to do */
    memset(&rec, 0, sizeof(rec));
    rec.type = VP_REC_ADVICE_READ;
    rec.u.read.read_at_ms = vp_now_ms();
    vp_strlcpy(rec.u.read.advice_id, advice_id, VP_UUID_LEN);
    vp_strlcpy(rec.u.read.staff_id, staff_id, VP_UUID_LEN);
    res = ds_exec(s, "UPDATE advice SET read_at = ?2 WHERE id = ?1", "si", advice_id,
                  rec.u.read.read_at_ms);
    if (!res)
        res = ds_new_id(s, rec.u.read.id);
    if (!res)
        res = ds_outbox_add(s, &rec, NULL, NULL);
    return ds_finish(s, res);
}

/* ---- stats, batches, results ---- */

/* A row is settled (offered to batches) once its hold has passed; a hold
 * further away than twice the window means the clock went back. ?1 = now. */
#define SETTLED "(hold_until <= ?1 OR hold_until > ?1 + 240000)"
#define WAITING "state IN ('pending', 'in_flight')"
_Static_assert(DEV_SETTLE_MS == 120000, "SETTLED spells 2 * DEV_SETTLE_MS out");

vp_result devstore_outbox_stats(struct devstore *s, struct dev_outbox_stats *o)
{
    sqlite3_stmt *st = ds_prepare(
        s,
        "SELECT coalesce(sum(" WAITING " AND " SETTLED "), 0),"
        " coalesce(sum(state = 'in_flight'), 0), coalesce(sum(state = 'quarantined'), 0),"
        " coalesce(sum(state = 'acked'), 0),"
        " coalesce(min(CASE WHEN " WAITING " THEN created_at END), 0),"
        " count(DISTINCT CASE WHEN " WAITING " AND type = 'observation' THEN entity_id END),"
        " count(DISTINCT CASE WHEN state = 'pending' AND NOT " SETTLED " AND type = 'observation'"
        "   THEN entity_id END)"
        " FROM outbox",
        "i", vp_now_ms());
    bool row;
    vp_result res;
    memset(o, 0, sizeof(*o));
    if (!st)
        return VP_ERR_INTERNAL;
    res = ds_step(s, st, &row);
    if (!res && row) {
        o->pending = sqlite3_column_int64(st, 0);
        o->in_flight = sqlite3_column_int64(st, 1);
        o->quarantined = sqlite3_column_int64(st, 2);
        o->acked = sqlite3_column_int64(st, 3);
        o->oldest_pending_ms = sqlite3_column_int64(st, 4);
        o->pending_signals = sqlite3_column_int64(st, 5);
        o->unsettled_signals = sqlite3_column_int64(st, 6);
    }
    sqlite3_reset(st);
    return res;
}

void devstore_batch_release(struct dev_batch *b)
{
    free(b->record_ids);
    free(b->body);
    memset(b, 0, sizeof(*b));
}

/* Reads the rows of one batch, in creation order, into b. */
static vp_result read_batch(struct devstore *s, const char *batch_id, struct dev_batch *b)
{
    sqlite3_stmt *st = ds_prepare(s,
                                  "SELECT record_id, payload FROM outbox WHERE batch_id = ?1"
                                  " AND state = 'in_flight' ORDER BY seq",
                                  "s", batch_id);
    struct vp_buf body = VP_BUF_INIT;
    size_t cap = 16;
    bool row = true;
    vp_result res;
    if (!st)
        return VP_ERR_INTERNAL;
    vp_strlcpy(b->id, batch_id, sizeof(b->id));
    b->record_ids = vp_xmalloc(cap * sizeof(*b->record_ids));
    vp_buf_adds(&body, "{\"records\":[");
    while (!(res = ds_step(s, st, &row)) && row) {
        if (b->count == cap)
            b->record_ids = vp_xrealloc(b->record_ids, (cap *= 2) * sizeof(*b->record_ids));
        ds_col_text(st, 0, b->record_ids[b->count], VP_UUID_LEN);
        if (b->count)
            vp_buf_addch(&body, ',');
        vp_buf_add(&body, sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1));
        b->count++;
    }
    sqlite3_reset(st);
    vp_buf_adds(&body, "]}");
    b->body = vp_buf_detach(&body, &b->body_len);
    return res;
}

/* Freezes pending records into a new batch (inside a transaction). */
static vp_result freeze_batch(struct devstore *s, size_t max_records, size_t max_bytes,
                              char batch_id[VP_UUID_LEN], bool *any)
{
    int64_t now = vp_now_ms();
    sqlite3_stmt *st = ds_prepare(s,
                                  "SELECT seq, length(payload) FROM outbox WHERE state = 'pending'"
                                  " AND " SETTLED " ORDER BY seq LIMIT ?2",
                                  "ii", now, (int64_t)max_records);
    int64_t last_seq = -1;
    size_t bytes = 16, count = 0;
    bool row = true;
    vp_result res;
    *any = false;
    if (!st)
        return VP_ERR_INTERNAL;
    while (!(res = ds_step(s, st, &row)) && row) {
        size_t len = (size_t)sqlite3_column_int64(st, 1) + 1;
        if (count > 0 && bytes + len > max_bytes)
            break;
        bytes += len;
        count++;
        last_seq = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (res || count == 0)
        return res;
    *any = true;
    vp_uuid4(batch_id);
    /* ever_sent stays set for good: from now on the centre may have it */
    return ds_exec(s,
                   "UPDATE outbox SET state = 'in_flight', batch_id = ?2, ever_sent = 1,"
                   " hold_until = 0"
                   " WHERE state = 'pending' AND " SETTLED " AND seq <= ?3",
                   "isi", now, batch_id, last_seq);
}

vp_result devstore_batch_take(struct devstore *s, size_t max_records, size_t max_bytes,
                              struct dev_batch *out)
{
    char batch_id[VP_UUID_LEN] = "";
    sqlite3_stmt *st;
    bool row, any = false;
    vp_result res;
    memset(out, 0, sizeof(*out));
    res = ds_begin(s);
    if (res)
        return res;
    /* a batch whose outcome is unknown is sent again exactly as it was */
    st = ds_prepare(s, "SELECT batch_id FROM outbox WHERE state = 'in_flight' ORDER BY seq LIMIT 1",
                    NULL);
    if (!st)
        return ds_finish(s, VP_ERR_INTERNAL);
    res = ds_step(s, st, &row);
    if (!res && row) {
        ds_col_text(st, 0, batch_id, sizeof(batch_id));
        any = true;
    }
    sqlite3_reset(st);
    if (!res && !any)
        res = freeze_batch(s, max_records ? max_records : 1, max_bytes, batch_id, &any);
    if (!res && any)
        res = read_batch(s, batch_id, out);
    res = ds_finish(s, res);
    if (res)
        devstore_batch_release(out);
    return res;
}

vp_result devstore_batch_finish(struct devstore *s, const char *batch_id,
                                const struct dev_push_result *results, size_t n, int64_t now_ms)
{
    vp_result res = ds_begin(s);
    for (size_t i = 0; !res && i < n; i++) {
        const struct dev_push_result *r = &results[i];
        if (!r->id)
            continue;
        if (r->status == VP_PUSH_STORED || r->status == VP_PUSH_DUPLICATE)
            res = ds_exec(s,
                          "UPDATE outbox SET state = 'acked', acked_at = ?3, reason = NULL"
                          " WHERE record_id = ?1 AND batch_id = ?2 AND state = 'in_flight'",
                          "ssi", r->id, batch_id, now_ms);
        else
            res = ds_exec(s,
                          "UPDATE outbox SET state = 'quarantined', reason = ?3"
                          " WHERE record_id = ?1 AND batch_id = ?2 AND state = 'in_flight'",
                          "sss", r->id, batch_id,
                          r->reason && *r->reason
                              ? r->reason
                              : (r->status == VP_PUSH_CONFLICT ? "conflict" : "rejected"));
    }
    if (!res)
        res = ds_exec(s,
                      "UPDATE outbox SET state = 'pending', batch_id = NULL"
                      " WHERE batch_id = ?1 AND state = 'in_flight'",
                      "s", batch_id);
    return ds_finish(s, res);
}

static void read_quarantined(sqlite3_stmt *st, void *item)
{
    struct dev_quarantined *q = item;
    ds_col_text(st, 0, q->id, sizeof(q->id));
    ds_col_text(st, 1, q->type, sizeof(q->type));
    ds_col_text(st, 2, q->reason, sizeof(q->reason));
    q->created_ms = sqlite3_column_int64(st, 3);
}

vp_result devstore_quarantined(struct devstore *s, struct dev_quarantined **out, size_t *n)
{
    sqlite3_stmt *st = ds_prepare(s,
                                  "SELECT record_id, type, coalesce(reason, ''), created_at"
                                  " FROM outbox WHERE state = 'quarantined' ORDER BY seq",
                                  NULL);
    return ds_collect(s, st, sizeof(**out), read_quarantined, (void **)out, n);
}

vp_result devstore_outbox_requeue_all(struct devstore *s, const char *new_epoch)
{
    vp_result res = ds_begin(s);
    if (!res)
        res = ds_exec(s,
                      "UPDATE outbox SET state = 'pending', batch_id = NULL, acked_at = NULL"
                      " WHERE state IN ('acked', 'in_flight')",
                      NULL);
    if (!res)
        res = ds_exec(s, "UPDATE sync_state SET pull_cursor = '', server_epoch = ?1 WHERE id = 1",
                      "s", new_epoch ? new_epoch : "");
    return ds_finish(s, res);
}

vp_result devstore_purge_acknowledged(struct devstore *s, int64_t cutoff_ms, int64_t *purged)
{
    int64_t n = 0;
    vp_result res = ds_begin(s);
    if (!res)
        res = ds_query_int(s, &n,
                           "SELECT count(*) FROM outbox WHERE state = 'acked' AND acked_at < ?1"
                           " AND type = 'observation'",
                           "i", cutoff_ms);
    if (!res)
        res = ds_exec(s,
                      "DELETE FROM observations WHERE id IN (SELECT record_id FROM outbox"
                      " WHERE state = 'acked' AND acked_at < ?1 AND type = 'observation')",
                      "i", cutoff_ms);
    if (!res)
        res = ds_exec(s, "DELETE FROM outbox WHERE state = 'acked' AND acked_at < ?1", "i",
                      cutoff_ms);
    res = ds_finish(s, res);
    if (!res && purged)
        *purged = n;
    return res;
}
