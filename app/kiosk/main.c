/*
 * main.c - vindplaats-kiosk: the command line (CONTRACT.md §2).
 */
#include "kiosk.h"
#include "vp_core.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int usage_error(const char *what)
{
    fprintf(stderr, "%s %s\n", vp_tr("kiosk.cli.usage_error"), what);
    fprintf(stderr, "%s\n", vp_tr("kiosk.cli.see_help"));
    return KIOSK_EXIT_USAGE;
}

static void print_help(void)
{
    printf("%s\n\n", vp_tr("kiosk.cli.help_intro"));
    printf("  vindplaats-kiosk [--data DIR] [--fullscreen] [--size WxH] [--lang nl|en]\n"
           "                   [--accelerated] [--font FILE]\n"
           "  vindplaats-kiosk enroll --server URL --code CODE [--data DIR] [--cafile FILE]\n"
           "  vindplaats-kiosk sync   [--data DIR]\n"
           "  vindplaats-kiosk status [--data DIR] [--json]\n"
           "  vindplaats-kiosk script FILE [--data DIR] [--shots DIR]\n"
           "  vindplaats-kiosk --help | --version\n\n");
    printf("%s\n", vp_tr("kiosk.cli.help_more"));
}

static bool parse_size(const char *s, int *w, int *h)
{
    const char *x = strchr(s, 'x');
    char num[16];
    int64_t a, b;
    if (!x || (size_t)(x - s) >= sizeof(num))
        return false;
    memcpy(num, s, (size_t)(x - s));
    num[x - s] = '\0';
    if (!vp_parse_i64(num, 320, 8192, &a) || !vp_parse_i64(x + 1, 240, 8192, &b))
        return false;
    *w = (int)a;
    *h = (int)b;
    return true;
}

/* Parses the options after the subcommand. Returns 0 or an exit status. */
static int parse_opts(int argc, char **argv, int i, const char *sub, struct kiosk_opts *o)
{
    for (; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool window = sub == NULL;
        if (vp_str_eq(a, "--data") && v) {
            o->data_dir = v;
            i++;
        } else if (window && vp_str_eq(a, "--fullscreen")) {
            o->fullscreen = true;
        } else if (window && vp_str_eq(a, "--accelerated")) {
            o->accelerated = true;
        } else if ((window || vp_str_eq(sub, "script")) && vp_str_eq(a, "--size") && v) {
            if (!parse_size(v, &o->width, &o->height))
                return usage_error(a);
            i++;
        } else if ((window || vp_str_eq(sub, "script")) && vp_str_eq(a, "--lang") && v) {
            enum vp_lang l;
            if (!vp_i18n_parse_lang(v, &l))
                return usage_error(a);
            o->lang = v;
            i++;
        } else if (window && vp_str_eq(a, "--font") && v) {
            o->font = v;
            i++;
        } else if (vp_str_eq(sub, "enroll") && vp_str_eq(a, "--server") && v) {
            o->server = argv[++i];
        } else if (vp_str_eq(sub, "enroll") && vp_str_eq(a, "--code") && v) {
            o->code = argv[++i];
        } else if (vp_str_eq(sub, "enroll") && vp_str_eq(a, "--cafile") && v) {
            o->cafile = argv[++i];
        } else if (vp_str_eq(sub, "status") && vp_str_eq(a, "--json")) {
            o->json = true;
        } else if (vp_str_eq(sub, "script") && vp_str_eq(a, "--shots") && v) {
            o->shots = argv[++i];
        } else if (vp_str_eq(sub, "script") && !o->script && a[0] != '-') {
            o->script = a;
        } else {
            return usage_error(a);
        }
    }
    if (vp_str_eq(sub, "enroll") && (!o->server || !o->code))
        return usage_error("--server/--code");
    if (vp_str_eq(sub, "script") && !o->script)
        return usage_error("FILE");
    return 0;
}

int main(int argc, char **argv)
{
    struct kiosk_opts o;
    const char *sub = NULL;
    int first = 1, rc;
    memset(&o, 0, sizeof(o));
    /* kiosk.db holds children's first names: for this user only (0600) */
    umask(077);
    if (vp_core_init() != VP_OK) {
        fprintf(stderr, "%s\n", vp_result_message(VP_ERR_INTERNAL));
        return KIOSK_EXIT_FAILED;
    }
    if (argc > 1 && (vp_str_eq(argv[1], "--help") || vp_str_eq(argv[1], "-h"))) {
        print_help();
        return KIOSK_EXIT_OK;
    }
    if (argc > 1 && vp_str_eq(argv[1], "--version")) {
        printf("vindplaats-kiosk %s\n", VP_VERSION);
        return KIOSK_EXIT_OK;
    }
    if (argc > 1 && argv[1][0] != '-') {
        sub = argv[1];
        first = 2;
        if (!vp_str_eq(sub, "enroll") && !vp_str_eq(sub, "sync") && !vp_str_eq(sub, "status") &&
            !vp_str_eq(sub, "script"))
            return usage_error(sub);
    }
    rc = parse_opts(argc, argv, first, sub, &o);
    if (rc)
        return rc;
    kiosk_sync_global_init();
    if (!sub)
        rc = kiosk_run_window(&o);
    else if (vp_str_eq(sub, "enroll"))
        rc = kiosk_cmd_enroll(&o);
    else if (vp_str_eq(sub, "sync"))
        rc = kiosk_cmd_sync(&o);
    else if (vp_str_eq(sub, "status"))
        rc = kiosk_cmd_status(&o);
    else
        rc = kiosk_run_script(&o);
    kiosk_sync_global_cleanup();
    return rc;
}
