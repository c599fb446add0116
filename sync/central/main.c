/*
 * main.c - vindplaats-central: argument parsing and the small commands.
 * serve is ccli_serve.c, demo is cdemo.c.
 */
#include "ccli.h"
#include "cstore.h"
#include "vp_alloc.h"
#include "vp_core.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void ccli_say_error(const char *key, ...)
{
    struct vp_buf b = VP_BUF_INIT;
    const char *name, *value;
    va_list ap;
    vp_buf_adds(&b, vp_tr(key));
    va_start(ap, key);
    while ((name = va_arg(ap, const char *)) != NULL) {
        struct vp_buf filled = VP_BUF_INIT;
        value = va_arg(ap, const char *);
        vp_tr_fill(&filled, b.data, name, value, NULL);
        vp_buf_reset(&b);
        vp_buf_adds(&b, filled.data);
        vp_buf_release(&filled);
    }
    va_end(ap);
    fprintf(stderr, "vindplaats-central: %s\n", b.data);
    vp_buf_release(&b);
}

int ccli_fail(vp_result res)
{
    fprintf(stderr, "vindplaats-central: %s\n", vp_result_message(res));
    return CCLI_FAIL;
}

static void set_lang(void)
{
    const char *v = getenv("VINDPLAATS_LANG"), *lang = getenv("LANG");
    enum vp_lang l;
    if (v && vp_i18n_parse_lang(v, &l))
        vp_i18n_set_lang(l);
    else if (lang && !strncmp(lang, "en", 2))
        vp_i18n_set_lang(VP_LANG_EN);
}

/* Each option takes a value except --insecure-http. */
static bool parse_args(int argc, char **argv, struct ccli_args *a)
{
    static const struct {
        const char *name;
        size_t offset;
    } opts[] = {
#define O(n, f) { n, offsetof(struct ccli_args, f) }
        O("--data", data),
        O("--listen", listen),
        O("--tls-cert", tls_cert),
        O("--tls-key", tls_key),
        O("--name", name),
        O("--org", org),
        O("--email", email),
        O("--to", to),
        O("--keep", keep),
        O("--format", format),
        O("--from", from),
        O("--device", device),
        O("--rate-limit", rate),
        O("--threads", threads),
        O("--signal-days", signal_days),
        O("--case-days", case_days),
        O("--header-timeout", header_timeout),
        O("--body-timeout", body_timeout),
        O("--connections-per-address", per_address),
        O("--metrics-listen", metrics_listen),
        O("--metrics-token-file", metrics_token_file),
        O("--log-format", log_format),
        O("--trusted-proxy", trusted_proxy),
#undef O
    };
    for (int i = 2; i < argc; i++) {
        size_t k, n = sizeof(opts) / sizeof(opts[0]);
        if (!strcmp(argv[i], "--insecure-http")) {
            a->insecure_http = true;
            continue;
        }
        if (!strcmp(argv[i], "--location") && i + 1 < argc) {
            if (a->nlocations == CCLI_MAX_LOCATIONS)
                return false;
            a->location = a->locations[a->nlocations++] = argv[++i];
            continue;
        }
        for (k = 0; k < n; k++)
            if (!strcmp(argv[i], opts[k].name))
                break;
        if (k < n && i + 1 < argc) {
            *(const char **)((char *)a + opts[k].offset) = argv[++i];
        } else if (argv[i][0] != '-' && !a->positional) {
            a->positional = argv[i];
        } else {
            ccli_say_error("central.usage.option", "option", argv[i], NULL);
            return false;
        }
    }
    return true;
}

static struct cstore *open_store(const struct ccli_args *a, int *status)
{
    char *dir = vp_data_dir(a->data);
    struct cstore *st = NULL;
    vp_result res = cstore_open(dir, &st);
    free(dir);
    if (res) {
        *status = ccli_fail(res);
        return NULL;
    }
    return st;
}

static int cmd_add_location(const struct ccli_args *a, struct cstore *st)
{
    struct cstore_location loc;
    vp_result res;
    if (!a->name)
        return ccli_say_error("central.usage.name", NULL), CCLI_USAGE;
    res = cstore_location_add(st, a->name, a->org ? a->org : "", &loc);
    if (res)
        return ccli_fail(res);
    printf("%s\n", loc.id);
    return CCLI_OK;
}

static int cmd_add_coach(const struct ccli_args *a, struct cstore *st)
{
    char password[1024];
    struct cstore_coach coach;
    vp_result res;
    if (!a->email || !a->name)
        return ccli_say_error("central.usage.coach", NULL), CCLI_USAGE;
    if (!fgets(password, sizeof(password), stdin))
        password[0] = '\0';
    password[strcspn(password, "\r\n")] = '\0';
    if (strlen(password) < 8)
        return ccli_say_error("central.coach.password_short", NULL), CCLI_FAIL;
    res = cstore_coach_add(st, a->email, a->name, password, a->locations, (size_t)a->nlocations,
                           &coach);
    if (res == VP_ERR_NOT_FOUND)
        return ccli_say_error("central.location.unknown", NULL), CCLI_FAIL;
    if (res)
        return ccli_fail(res);
    printf("%s\n", coach.id);
    return CCLI_OK;
}

static int cmd_enroll_code(const struct ccli_args *a, struct cstore *st)
{
    char code[CSTORE_CODE_LEN];
    vp_result res;
    if (!a->location)
        return ccli_say_error("central.usage.location", NULL), CCLI_USAGE;
    res = cstore_enroll_code_new(st, a->location, vp_now_ms(), code);
    if (res == VP_ERR_NOT_FOUND)
        return ccli_say_error("central.location.unknown", NULL), CCLI_FAIL;
    if (res)
        return ccli_fail(res);
    printf("%s\n", code);
    return CCLI_OK;
}

static int cmd_export(const struct ccli_args *a, struct cstore *st)
{
    struct vp_buf csv = VP_BUF_INIT;
    enum cexport_format fmt = CEXPORT_CODES; /* today's CSV stays the default (CONTRACT) */
    enum cstore_export_kind kind;
    vp_result res;
    if (a->positional && !strcmp(a->positional, "signals"))
        kind = CSTORE_EXPORT_SIGNALS;
    else if (a->positional && !strcmp(a->positional, "cases"))
        kind = CSTORE_EXPORT_CASES;
    else
        return ccli_say_error("central.usage.export", NULL), CCLI_USAGE;
    if (a->format && !cexport_format_parse(a->format, &fmt))
        return ccli_say_error("central.usage.format", NULL), CCLI_USAGE;
    res = cstore_export_as(st, NULL, kind, fmt, vp_i18n_lang(), a->location, "cli", vp_now_ms(),
                           &csv);
    if (!res)
        fwrite(csv.data, 1, csv.len, stdout);
    vp_buf_release(&csv);
    return res ? ccli_fail(res) : CCLI_OK;
}

/* --to names a folder (it exists as one, ends in '/', or --keep is given):
 * a dated backup with rotation; else the file itself (CONTRACT.md §2). */
static bool backup_to_folder(const struct ccli_args *a)
{
    struct stat sb;
    size_t len = strlen(a->to);
    return a->keep || (len && a->to[len - 1] == '/') ||
           (stat(a->to, &sb) == 0 && S_ISDIR(sb.st_mode));
}

static int cmd_backup(const struct ccli_args *a, struct cstore *st)
{
    char name[CSTORE_BACKUP_NAME_LEN];
    int64_t keep = 0;
    struct stat sb;
    vp_result res;
    if (!a->to)
        return ccli_say_error("central.usage.backup", NULL), CCLI_USAGE;
    if (!backup_to_folder(a)) {
        res = cstore_backup(st, a->to);
        return res ? ccli_fail(res) : CCLI_OK;
    }
    if ((a->keep && !vp_parse_i64(a->keep, 1, 10000, &keep)) ||
        (stat(a->to, &sb) == 0 && !S_ISDIR(sb.st_mode)))
        return ccli_say_error("central.usage.keep", NULL), CCLI_USAGE;
    res = cstore_backup_dated(st, a->to, (int)keep, vp_now_ms(), name);
    if (res)
        return ccli_fail(res);
    printf("%s%s%s\n", a->to, a->to[strlen(a->to) - 1] == '/' ? "" : "/", name);
    return CCLI_OK;
}

static int cmd_revoke(const struct ccli_args *a, struct cstore *st)
{
    vp_result res;
    if (!a->device)
        return ccli_say_error("central.usage.device", NULL), CCLI_USAGE;
    res = cstore_device_revoke(st, a->device);
    if (res == VP_ERR_NOT_FOUND)
        return ccli_say_error("central.device.unknown", NULL), CCLI_FAIL;
    return res ? ccli_fail(res) : CCLI_OK;
}

static int cmd_restore(const struct ccli_args *a)
{
    struct vp_buf msg = VP_BUF_INIT;
    char *dir, count[16];
    int erased = 0;
    vp_result res;
    if (!a->from)
        return ccli_say_error("central.usage.restore", NULL), CCLI_USAGE;
    dir = vp_data_dir(a->data);
    res = cstore_restore(dir, a->from, &erased);
    free(dir);
    if (res == VP_ERR_NOT_FOUND)
        return ccli_say_error("central.restore.missing", NULL), CCLI_FAIL;
    if (res)
        return ccli_fail(res);
    snprintf(count, sizeof(count), "%d", erased);
    vp_tr_fill(&msg, vp_tr("central.restore.done"), "count", count, NULL);
    printf("%s\n", msg.data);
    vp_buf_release(&msg);
    return CCLI_OK;
}

static int cmd_purge(const struct ccli_args *a, struct cstore *st)
{
    struct cstore_purge_stats n;
    int64_t signal_days, case_days;
    vp_result res;
    if (!ccli_retention_days(a, &signal_days, &case_days))
        return CCLI_USAGE;
    res = cstore_purge(st, vp_now_ms(), signal_days, case_days, &n);
    if (res)
        return ccli_fail(res);
    printf("%lld\t%lld\n", (long long)n.signals, (long long)n.cases);
    return CCLI_OK;
}

static const struct {
    const char *name;
    int (*fn)(const struct ccli_args *, struct cstore *);
} store_cmds[] = {
    { "purge", cmd_purge },          { "add-location", cmd_add_location },
    { "add-coach", cmd_add_coach },  { "enroll-code", cmd_enroll_code },
    { "export", cmd_export },        { "backup", cmd_backup },
    { "revoke-device", cmd_revoke },
};

static int run(const char *cmd, const struct ccli_args *a)
{
    int status = CCLI_OK;
    if (!strcmp(cmd, "serve"))
        return ccli_serve(a);
    if (!strcmp(cmd, "demo"))
        return ccli_demo(a);
    if (!strcmp(cmd, "restore"))
        return cmd_restore(a);
    for (size_t i = 0; i < sizeof(store_cmds) / sizeof(store_cmds[0]); i++) {
        if (!strcmp(cmd, store_cmds[i].name)) {
            struct cstore *st = open_store(a, &status);
            if (!st)
                return status;
            status = store_cmds[i].fn(a, st);
            cstore_close(st);
            return status;
        }
    }
    ccli_say_error("central.usage.command", "command", cmd, NULL);
    return CCLI_USAGE;
}

int main(int argc, char **argv)
{
    struct ccli_args a;
    /* central.db, its log, backups, keys: for this user only (0600, 0700) */
    umask(077);
    if (vp_core_init() != VP_OK)
        return CCLI_FAIL;
    set_lang();
    if (argc < 2) {
        fputs(vp_tr("central.help"), stderr);
        return CCLI_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(vp_tr("central.help"), stdout);
        return CCLI_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("vindplaats-central %s\n", VP_VERSION);
        return CCLI_OK;
    }
    memset(&a, 0, sizeof(a));
    if (!parse_args(argc, argv, &a))
        return CCLI_USAGE;
    return run(argv[1], &a);
}
