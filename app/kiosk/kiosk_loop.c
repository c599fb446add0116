/*
 * kiosk_loop.c - opening a kiosk session and the window's event loop.
 *
 * The loop blocks in SDL_WaitEventTimeout until input, a timer (clock,
 * toast, auto-lock, lockout countdown) or a sync report arrives, and draws
 * a frame only when something changed.
 */
#include "kiosk.h"
#include "devstore.h"
#include "ui.h"
#include "ui_png.h"
#include "vp_core.h"
#include <stdio.h>
#include <string.h>

bool kiosk_session_open(struct kiosk_session *s, const struct kiosk_opts *o, bool hidden)
{
    struct ui_options uo;
    struct app_hooks hooks;
    char err[256];
    vp_result res;
    memset(s, 0, sizeof(*s));
    s->db_path = kiosk_db_path(o->data_dir);
    if (!s->db_path)
        return false;
    res = devstore_open(s->db_path, &s->db);
    /* a kiosk stopped inside a settle window sends those signals now */
    if (!res)
        res = devstore_signals_settle(s->db);
    if (res) {
        fprintf(stderr, "%s\n", vp_result_message(res));
        kiosk_session_close(s);
        return false;
    }
    memset(&uo, 0, sizeof(uo));
    uo.width = o->width > 0 ? o->width : 1280;
    uo.height = o->height > 0 ? o->height : 800;
    uo.fullscreen = o->fullscreen;
    uo.accelerated = o->accelerated;
    uo.hidden = hidden;
    uo.font_path = o->font;
    uo.title = "vindplaats";
    s->ui = ui_create(&uo, err, sizeof(err));
    if (!s->ui) {
        vp_error("kiosk: %s", err);
        fprintf(stderr, "%s\n", vp_tr("kiosk.cli.no_display"));
        kiosk_session_close(s);
        return false;
    }
    s->sync = kiosk_sync_start(s->db_path);
    kiosk_sync_hooks(s->sync, &hooks);
    res = app_create(s->ui, s->db, o->lang, &hooks, &s->app);
    if (res) {
        fprintf(stderr, "%s\n", vp_result_message(res));
        kiosk_session_close(s);
        return false;
    }
    return true;
}

void kiosk_session_close(struct kiosk_session *s)
{
    kiosk_sync_stop(s->sync); /* first: its reports point at nothing else */
    app_destroy(s->app);
    ui_destroy(s->ui);
    devstore_close(s->db);
    free(s->db_path);
    memset(s, 0, sizeof(*s));
}

void kiosk_session_event(struct kiosk_session *s, const SDL_Event *ev)
{
    if (s->sync && ev->type == kiosk_sync_event_type())
        kiosk_sync_deliver(s->sync, s->app);
    else
        app_event(s->app, ev);
}

/* Benchmarks: VP_KIOSK_BENCH=1 prints the wall-clock time of the first
 * frame (to compare with the launch time) and the resident memory. */
static void bench_first_frame(void)
{
    struct vp_buf status = VP_BUF_INIT;
    const char *rss;
    long kb = 0;
    if (vp_read_file("/proc/self/status", 1 << 16, &status) == VP_OK &&
        (rss = strstr(status.data, "VmRSS:")))
        kb = strtol(rss + 6, NULL, 10);
    fprintf(stderr, "bench first_frame_unix_ms=%lld rss_kb=%ld\n", (long long)vp_now_ms(), kb);
    vp_buf_release(&status);
}

/* Tests on a real window (Xvfb + xdotool): VP_KIOSK_DUMP=FILE keeps a
 * description of the last frame there, so the driver can find controls. */
static void dump_frame(struct ui *ui, const char *file)
{
    struct vp_buf b = VP_BUF_INIT;
    ui_describe(ui, &b);
    if (vp_write_file_atomic(file, b.data, b.len) != VP_OK)
        vp_warn("kiosk: cannot write %s", file);
    vp_buf_release(&b);
}

/* Tests under a compositor (cage): VP_KIOSK_FIRST_FRAME=FILE.png keeps the
 * first frame the window drew there, read back from the renderer. */
static void save_frame(struct ui *ui, const char *file)
{
    unsigned char *rgb = NULL;
    int w, h;
    if (!ui_read_pixels(ui, &rgb, &w, &h) || !ui_png_write(file, rgb, w, h))
        vp_warn("kiosk: cannot write %s", file);
    free(rgb);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

void kiosk_bench_report(struct kiosk_session *s)
{
    double ms[256], saves[64];
    size_t n = ui_frame_times(s->ui, ms, 256);
    int ns = app_save_times(s->app, saves, 64);
    double worst_warm = 0;
    struct ui_stats st;
    ui_get_stats(s->ui, &st);
    /* the first frame renders every glyph once; later frames hit the cache */
    for (size_t i = 1; i < n; i++)
        if (ms[i] > worst_warm)
            worst_warm = ms[i];
    qsort(ms, n, sizeof(double), cmp_double);
    qsort(saves, (size_t)ns, sizeof(double), cmp_double);
    fprintf(stderr,
            "bench frames=%lld median_ms=%.2f worst_ms=%.2f worst_after_first_ms=%.2f saves=%d "
            "save_median_ms=%.3f save_worst_ms=%.3f\n",
            (long long)st.frames, n ? ms[n / 2] : 0.0, st.worst_ms, worst_warm, ns,
            ns ? saves[ns / 2] : 0.0, ns ? saves[ns - 1] : 0.0);
}

int kiosk_run_window(const struct kiosk_opts *o)
{
    struct kiosk_session s;
    const char *bench = SDL_getenv("VP_KIOSK_BENCH"), *dump = SDL_getenv("VP_KIOSK_DUMP");
    const char *first = SDL_getenv("VP_KIOSK_FIRST_FRAME");
    bool running = true;
    kiosk_clock_start();
    if (!kiosk_session_open(&s, o, false))
        return KIOSK_EXIT_FAILED;
    app_frame(s.app, true);
    if (dump)
        dump_frame(s.ui, dump);
    if (first)
        save_frame(s.ui, first);
    if (bench && *bench == '1')
        bench_first_frame();
    if (((bench && *bench == '1') || first) && SDL_getenv("VP_KIOSK_EXIT_AFTER_FIRST_FRAME"))
        running = false;
    while (running) {
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, app_next_timer_ms(s.app) + 1)) {
            do {
                if (ev.type == SDL_QUIT)
                    running = false;
                else
                    kiosk_session_event(&s, &ev);
            } while (SDL_PollEvent(&ev));
        }
        app_tick(s.app);
        if (app_frame(s.app, false) && dump)
            dump_frame(s.ui, dump);
    }
    if (bench && *bench == '1')
        kiosk_bench_report(&s);
    kiosk_session_close(&s);
    return KIOSK_EXIT_OK;
}
