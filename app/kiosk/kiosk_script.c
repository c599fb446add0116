/*
 * kiosk_script.c - UI scripts (CONTRACT.md §4) against the real app, with
 * SDL's offscreen video driver. Taps are synthesised as finger events and
 * go through the same input path as a real finger; `wait` moves app time
 * with vp_time_advance(). After every tap the sync worker is allowed to
 * finish what the tap asked of it, so scripted enrolment is deterministic.
 *
 * VP_KIOSK_CLOCK=RFC3339 (tests) starts app time at a fixed moment, so
 * screenshots do not depend on the day they are taken.
 */
#include "kiosk.h"
#include "kiosk_script.h"
#include "ui.h"
#include "ui_png.h"
#include "vp_core.h"
#include <stdio.h>
#include <string.h>

#define LINE_MAX_LEN 2048

struct runner {
    struct kiosk_session s;
    const char *shots;
    bool no_shots; /* VP_KIOSK_NO_SHOTS=1: a run at another size or language */
    int line;
    char *cmdline;
    enum vp_lang written, shown; /* the script's language, the app's */
    struct vp_catalog cat;
    bool layout;            /* run the layout check after every command */
    struct vp_buf findings; /* unique findings, each "line N: ..." */
    int nfindings;
};

/* Handles every queued event, drawing after each so that a press shows
 * and the next event meets the list the person saw. */
static void pump(struct runner *r)
{
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        if (ev.type == SDL_QUIT)
            continue;
        kiosk_session_event(&r->s, &ev);
        app_frame(r->s.app, false);
    }
    app_tick(r->s.app);
    app_frame(r->s.app, false);
}

static void settle(struct runner *r)
{
    pump(r);
    if (r->s.sync) {
        kiosk_sync_wait_idle(r->s.sync);
        pump(r);
    }
}

/* Prints where the script stopped, why (what: "arg") and the screen. */
static bool fail(struct runner *r, const char *what, const char *arg)
{
    char screen[4096];
    fprintf(stderr, "line %d: %s\n  %s: \"%s\"", r->line, r->cmdline, what, arg);
    ui_visible_texts(r->s.ui, screen, sizeof(screen));
    fprintf(stderr, "\n  on screen: %s\n", screen);
    return false;
}

static void tap_rect(struct runner *r, struct ui_rect rc)
{
    ui_push_tap(r->s.ui, rc.x + rc.w / 2, rc.y + rc.h / 2);
    settle(r);
}

/* The words of a tap or expect as the app shows them now. */
static bool texts_of(struct runner *r, char **args, int n, struct ks_texts *t)
{
    if (args[0][0] == '@')
        return ks_key_text(args[0] + 1, args + 1, n - 1, t) ? true
                                                            : fail(r, "no such text key", args[0]);
    ks_translate(&r->cat, r->written, r->shown, args[0], t);
    return true;
}

/* Taps the one control labelled with one of the texts. optional: no
 * control is fine (a step only some screen sizes have). */
static bool cmd_tap(struct runner *r, char **args, int n, bool optional)
{
    struct ks_texts t;
    struct ui_found f;
    if (!texts_of(r, args, n, &t))
        return false;
    for (int i = 0; i < t.n; i++) {
        ui_find_control(r->s.ui, t.text[i], &f);
        if (f.count > 1)
            return fail(r, "more than one control on screen with the text", t.text[i]);
        if (f.count == 1) {
            tap_rect(r, f.rect);
            return true;
        }
    }
    return optional ? true : fail(r, "no control on screen with the text", t.text[0]);
}

static bool cmd_expect(struct runner *r, char **args, int n, bool want)
{
    struct ks_texts t;
    if (!texts_of(r, args, n, &t))
        return false;
    for (int i = 0; i < t.n; i++) {
        if (want && ui_text_shown(r->s.ui, t.text[i]))
            return true;
        if (!want && ui_text_visible(r->s.ui, t.text[i]))
            return fail(r, "on screen, but should not be", t.text[i]);
    }
    return want ? fail(r, "not on screen in full (missing, cut, covered or off the screen)",
                       t.text[0])
                : true;
}

static bool tap_label(struct runner *r, const char *label)
{
    struct ui_found f;
    ui_find_control(r->s.ui, label, &f);
    if (f.count != 1)
        return false;
    tap_rect(r, f.rect);
    return true;
}

/* Taps the key for ch, switching to capitals or to the punctuation layer
 * (and back) when it is not on the keys shown. */
static bool type_char(struct runner *r, const char *ch)
{
    static const char *const steps[][2] = {
        { NULL, NULL },             /* as shown */
        { "\xE2\x87\xA7", NULL },   /* ⇧ */
        { "\xE2\x87\xA7", "?123" }, /* ⇧ off, symbols */
        { "\xE2\x87\xA7", NULL },   /* symbols + ⇧ */
        { "\xE2\x87\xA7", "abc" },  /* back to the letters */
        { "\xE2\x87\xA7", NULL },   /* a capital after symbols */
    };
    struct ui_found f;
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        for (int k = 0; k < 2; k++)
            if (steps[i][k])
                tap_label(r, steps[i][k]);
        ui_find_key(r->s.ui, ch, &f);
        if (f.count == 1) {
            tap_rect(r, f.rect);
            return true;
        }
    }
    return fail(r, "no key on the on-screen keyboard for", ch);
}

static bool cmd_type(struct runner *r, const char *text)
{
    size_t i = 0, n = strlen(text);
    while (i < n) {
        char ch[8];
        size_t len = 1;
        unsigned char c = (unsigned char)text[i];
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        if (i + len > n || len >= sizeof(ch))
            return fail(r, "not valid UTF-8 text", text);
        memcpy(ch, text + i, len);
        ch[len] = '\0';
        if (!type_char(r, ch))
            return false;
        i += len;
    }
    return true;
}

static bool cmd_shot(struct runner *r, const char *file)
{
    unsigned char *rgb = NULL;
    int w, h;
    char *path;
    bool ok;
    if (r->no_shots)
        return true;
    path = r->shots ? vp_path_join(r->shots, file) : vp_xstrdup(file);
    if (r->shots)
        vp_mkdir_p(r->shots);
    app_frame(r->s.app, true);
    ok = ui_read_pixels(r->s.ui, &rgb, &w, &h) && ui_png_write(path, rgb, w, h);
    free(rgb);
    free(path);
    return ok ? true : fail(r, "cannot write the screenshot", file);
}

#define MAX_ARGS 4

/* Splits `cmd "quoted arg"` or `cmd a b`. Returns the number of args. */
static int parse(char *line, char **cmd, char *args[MAX_ARGS])
{
    char *p = line;
    int n = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    *cmd = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    while (*p && n < MAX_ARGS) {
        *p++ = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (*p == '"') {
            char *w = ++p;
            args[n++] = w;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                    p++;
                *w++ = *p++;
            }
            if (*p == '"')
                p++;
            *w = '\0';
            continue;
        }
        args[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    if (*p && n == MAX_ARGS)
        *p = '\0';
    return n;
}

/* The layout check of the screen the script is on; each finding once. */
static void check_layout(struct runner *r)
{
    struct vp_buf now = VP_BUF_INIT;
    char *line, *next;
    if (!r->layout || ui_layout_check(r->s.ui, &now) == 0) {
        vp_buf_release(&now);
        return;
    }
    for (line = now.data; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (r->findings.len && strstr(r->findings.data, line))
            continue;
        vp_buf_addf(&r->findings, "  line %d (%dx%d): %s\n", r->line, ui_width(r->s.ui),
                    ui_height(r->s.ui), line);
        r->nfindings++;
    }
    vp_buf_release(&now);
}

static bool run_command(struct runner *r, const char *cmd, char **args, int n)
{
    int64_t v, w;
    if (vp_str_eq(cmd, "tap") && n >= 1)
        return cmd_tap(r, args, n, false);
    if (vp_str_eq(cmd, "tap-if") && n >= 1)
        return cmd_tap(r, args, n, true);
    if (vp_str_eq(cmd, "tap-at") && n == 2 && vp_parse_i64(args[0], 0, 100000, &v) &&
        vp_parse_i64(args[1], 0, 100000, &w)) {
        tap_rect(r, (struct ui_rect){ (int)v, (int)w, 1, 1 });
        return true;
    }
    if (vp_str_eq(cmd, "type") && n == 1)
        return cmd_type(r, args[0]);
    if (vp_str_eq(cmd, "expect") && n >= 1)
        return cmd_expect(r, args, n, true);
    if (vp_str_eq(cmd, "expect-not") && n >= 1)
        return cmd_expect(r, args, n, false);
    if (vp_str_eq(cmd, "wait") && n == 1 && vp_parse_i64(args[0], 0, 86400000LL * 365, &v)) {
        vp_time_advance(v);
        kiosk_sync_recheck(r->s.sync); /* a hold may have ended in app time */
        settle(r);
        return true;
    }
    if (vp_str_eq(cmd, "sync") && n == 0) {
        char msg[256];
        int64_t pending;
        vp_result res;
        kiosk_sync_wait_idle(r->s.sync);
        res = kiosk_sync_round(r->s.db_path, &pending, msg, sizeof(msg));
        app_reload(r->s.app);
        settle(r);
        return res == VP_OK ? true : fail(r, "sync failed", msg);
    }
    if (vp_str_eq(cmd, "shot") && n == 1)
        return cmd_shot(r, args[0]);
    return fail(r, "unknown command or wrong arguments", cmd);
}

void kiosk_clock_start(void)
{
    const char *clock = SDL_getenv("VP_KIOSK_CLOCK");
    int64_t ms;
    if (clock && vp_time_parse(clock, &ms) == VP_OK)
        vp_time_advance(ms - vp_now_ms());
}

/* Runs the lines of the script; false at the first that does not hold. */
static bool run_lines(struct runner *r, char *text)
{
    char *line = text;
    while (line && *line) {
        char *next = strchr(line, '\n'), *cmd, *args[MAX_ARGS] = { NULL };
        char copy[LINE_MAX_LEN];
        int n;
        if (next)
            *next++ = '\0';
        r->line++;
        vp_strlcpy(copy, line, sizeof(copy));
        if (copy[0] && copy[strlen(copy) - 1] == '\r')
            copy[strlen(copy) - 1] = '\0';
        r->cmdline = line;
        n = parse(copy, &cmd, args);
        if (vp_str_eq(cmd, "#lang") && n == 1)
            vp_i18n_parse_lang(args[0], &r->written);
        if (*cmd && *cmd != '#' && !run_command(r, cmd, args, n))
            return false;
        if (*cmd && *cmd != '#')
            check_layout(r);
        line = next;
    }
    return true;
}

int kiosk_run_script(const struct kiosk_opts *o)
{
    struct runner r;
    struct vp_buf text = VP_BUF_INIT;
    bool ok;
    if (vp_read_file(o->script, 1 << 20, &text) != VP_OK) {
        fprintf(stderr, "%s %s\n", vp_tr("kiosk.cli.no_script"), o->script);
        return KIOSK_EXIT_USAGE;
    }
    memset(&r, 0, sizeof(r));
    r.shots = o->shots;
    r.no_shots = SDL_getenv("VP_KIOSK_NO_SHOTS") && *SDL_getenv("VP_KIOSK_NO_SHOTS") == '1';
    r.layout = !(SDL_getenv("VP_KIOSK_NO_LAYOUT") && *SDL_getenv("VP_KIOSK_NO_LAYOUT") == '1');
    r.written = VP_LANG_NL;
    vp_buf_init(&r.findings);
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    kiosk_clock_start();
    if (!kiosk_session_open(&r.s, o, true)) {
        vp_buf_release(&text);
        return KIOSK_EXIT_FAILED;
    }
    settle(&r);
    app_frame(r.s.app, true);
    r.shown = vp_i18n_lang();
    if (devstore_catalog(r.s.db, &r.cat) != VP_OK)
        memset(&r.cat, 0, sizeof(r.cat));
    check_layout(&r);
    ok = run_lines(&r, text.data);
    if (r.nfindings > 0) {
        fprintf(stderr, "layout check: %d finding%s at %dx%d (%s)\n%s", r.nfindings,
                r.nfindings == 1 ? "" : "s", ui_width(r.s.ui), ui_height(r.s.ui),
                vp_i18n_code(r.shown), r.findings.data);
        ok = false;
    }
    vp_catalog_release(&r.cat);
    vp_buf_release(&r.findings);
    if (SDL_getenv("VP_KIOSK_BENCH"))
        kiosk_bench_report(&r.s);
    kiosk_session_close(&r.s);
    vp_buf_release(&text);
    return ok ? KIOSK_EXIT_OK : KIOSK_EXIT_FAILED;
}
