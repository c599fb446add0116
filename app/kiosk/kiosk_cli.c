/*
 * kiosk_cli.c - the subcommands without a window: enroll, sync, status.
 * Errors are one plain sentence on stderr; exit 0, 1 (failed) or 2 (usage).
 */
#include "kiosk.h"
#include "devstore.h"
#include "vp_core.h"
#include <stdio.h>
#include <string.h>

char *kiosk_db_path(const char *data_dir)
{
    char *dir = vp_data_dir(data_dir), *path;
    vp_result res = vp_mkdir_p(dir);
    if (res) {
        fprintf(stderr, "%s (%s)\n", vp_tr("kiosk.cli.no_data_dir"), dir);
        free(dir);
        return NULL;
    }
    path = vp_path_join(dir, "kiosk.db");
    free(dir);
    return path;
}

static void use_stored_language(struct devstore *db)
{
    char code[8];
    enum vp_lang l;
    if (devstore_setting_get_text(db, "language", "nl", code, sizeof(code)) == VP_OK &&
        vp_i18n_parse_lang(code, &l))
        vp_i18n_set_lang(l);
}

int kiosk_cmd_enroll(const struct kiosk_opts *o)
{
    char *path = kiosk_db_path(o->data_dir), msg[256];
    struct devstore *db = NULL;
    struct dev_device dev;
    vp_result res;
    if (!path)
        return KIOSK_EXIT_FAILED;
    /* create the store first so a bad file is reported as such */
    res = devstore_open(path, &db);
    if (res) {
        fprintf(stderr, "%s\n", vp_result_message(res));
        free(path);
        return KIOSK_EXIT_FAILED;
    }
    devstore_close(db);
    res = kiosk_sync_enroll(path, o->server, o->code, o->cafile, msg, sizeof(msg));
    if (res) {
        fprintf(stderr, "%s\n", msg);
        free(path);
        return KIOSK_EXIT_FAILED;
    }
    if (devstore_open(path, &db) == VP_OK) {
        if (devstore_device_get(db, &dev) == VP_OK) {
            struct vp_buf b = VP_BUF_INIT;
            vp_tr_fmt(&b, "kiosk.cli.enrolled", "location", dev.location_name, NULL);
            printf("%s\n", b.data);
            vp_buf_release(&b);
        }
        devstore_close(db);
    }
    free(path);
    return KIOSK_EXIT_OK;
}

int kiosk_cmd_sync(const struct kiosk_opts *o)
{
    char *path = kiosk_db_path(o->data_dir), msg[256];
    int64_t pending = 0;
    vp_result res;
    if (!path)
        return KIOSK_EXIT_FAILED;
    res = kiosk_sync_round(path, &pending, msg, sizeof(msg));
    free(path);
    if (res) {
        fprintf(stderr, "%s\n", msg);
        return KIOSK_EXIT_FAILED;
    }
    if (pending > 0) {
        struct vp_buf b = VP_BUF_INIT;
        char n[24];
        snprintf(n, sizeof(n), "%lld", (long long)pending);
        vp_tr_fill(&b, vp_tr_n("kiosk.cli.still_pending", (long)pending), "n", n, NULL);
        fprintf(stderr, "%s\n", b.data);
        vp_buf_release(&b);
        return KIOSK_EXIT_FAILED;
    }
    printf("%s\n", vp_tr("kiosk.cli.synced"));
    return KIOSK_EXIT_OK;
}

static void print_time(const char *label, int64_t ms)
{
    char t[VP_TIME_LEN];
    if (ms > 0)
        vp_time_format(ms, t);
    else
        vp_strlcpy(t, "-", sizeof(t));
    printf("%-22s %s\n", label, t);
}

static int status_json(const struct dev_device *d, const struct dev_outbox_stats *st,
                       const struct dev_sync_state *ss)
{
    json_t *js = json_object();
    char t[VP_TIME_LEN], *text;
    json_object_set_new(js, "enrolled", json_boolean(d->enrolled));
    vp_json_set_str(js, "device_id", d->enrolled ? d->device_id : NULL);
    vp_json_set_str(js, "location", d->location_name[0] ? d->location_name : NULL);
    vp_json_set_str(js, "server", d->server_url[0] ? d->server_url : NULL);
    json_object_set_new(js, "pending", json_integer(st->pending));
    /* "pending_observations" is the old name of pending_signals (kept) */
    json_object_set_new(js, "pending_observations", json_integer(st->pending_signals));
    json_object_set_new(js, "pending_signals", json_integer(st->pending_signals));
    json_object_set_new(js, "unsettled_signals", json_integer(st->unsettled_signals));
    json_object_set_new(js, "quarantined", json_integer(st->quarantined));
    json_object_set_new(js, "oldest_pending_age_s",
                        st->oldest_pending_ms > 0
                            ? json_integer((vp_now_ms() - st->oldest_pending_ms) / 1000)
                            : json_null());
    if (ss->last_success_ms > 0)
        vp_time_format(ss->last_success_ms, t);
    vp_json_set_str(js, "last_sync", ss->last_success_ms > 0 ? t : NULL);
    vp_json_set_str(js, "last_error", ss->last_error ? vp_result_name(ss->last_error) : NULL);
    vp_json_set_str(js, "last_error_text",
                    ss->last_error ? (ss->last_error_text[0] ? ss->last_error_text
                                                             : vp_result_message(ss->last_error))
                                   : NULL);
    text = vp_json_dump(js);
    printf("%s\n", text);
    free(text);
    json_decref(js);
    return KIOSK_EXIT_OK;
}

int kiosk_cmd_status(const struct kiosk_opts *o)
{
    char *path = kiosk_db_path(o->data_dir);
    struct devstore *db = NULL;
    struct dev_device d;
    struct dev_outbox_stats st;
    struct dev_sync_state ss;
    vp_result res;
    if (!path)
        return KIOSK_EXIT_FAILED;
    res = devstore_open(path, &db);
    free(path);
    if (!res)
        res = devstore_device_get(db, &d);
    if (!res)
        res = devstore_outbox_stats(db, &st);
    if (!res)
        res = devstore_sync_state(db, &ss);
    if (res) {
        fprintf(stderr, "%s\n", vp_result_message(res));
        devstore_close(db);
        return KIOSK_EXIT_FAILED;
    }
    use_stored_language(db);
    devstore_close(db);
    if (o->json)
        return status_json(&d, &st, &ss);
    printf("%-22s %s\n", vp_tr("kiosk.cli.st_enrolled"),
           d.enrolled ? d.location_name : vp_tr("kiosk.cli.st_not_enrolled"));
    if (d.enrolled)
        printf("%-22s %s\n", vp_tr("kiosk.cli.st_server"), d.server_url);
    printf("%-22s %lld (%lld %s)\n", vp_tr("kiosk.cli.st_pending"), (long long)st.pending,
           (long long)st.pending_signals, vp_tr("kiosk.cli.st_signals"));
    if (st.unsettled_signals > 0)
        printf("%-22s %lld\n", vp_tr("kiosk.cli.st_unsettled"), (long long)st.unsettled_signals);
    printf("%-22s %lld\n", vp_tr("kiosk.cli.st_quarantined"), (long long)st.quarantined);
    print_time(vp_tr("kiosk.cli.st_oldest"), st.oldest_pending_ms);
    if (st.oldest_pending_ms > 0) {
        struct vp_buf b = VP_BUF_INIT;
        char n[24];
        snprintf(n, sizeof(n), "%lld", (long long)((vp_now_ms() - st.oldest_pending_ms) / 1000));
        vp_tr_fmt(&b, "kiosk.cli.st_age", "n", n, NULL);
        printf("%-22s %s\n", "", b.data);
        vp_buf_release(&b);
    }
    print_time(vp_tr("kiosk.cli.st_last_sync"), ss.last_success_ms);
    printf("%-22s %s\n", vp_tr("kiosk.cli.st_last_error"),
           ss.last_error
               ? (ss.last_error_text[0] ? ss.last_error_text : vp_result_message(ss.last_error))
               : "-");
    return KIOSK_EXIT_OK;
}
