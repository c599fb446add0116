/*
 * kiosk_fixture.c - prepares and inspects kiosk data for the UI tests, and
 * compares screenshots. Everything goes through the device store's API.
 *
 *   kiosk_fixture make DIR [--bare]    a location like the mockups (or empty)
 *   kiosk_fixture obs DIR NAME         the child's current signals, one a line
 *   kiosk_fixture child DIR NAME       "archived=0|1" or "missing"
 *   kiosk_fixture stats DIR            outbox counts
 *   kiosk_fixture compare REF GOT DIFF screenshots; exit 1 when they differ
 *
 * Time: VP_KIOSK_CLOCK (RFC 3339) fixes "now", as in script mode.
 */
#include "devstore.h"
#include "ui_png.h"
#include "vp_core.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS 86400000LL

static int die(const char *what, vp_result res)
{
    fprintf(stderr, "kiosk_fixture: %s: %s\n", what, vp_result_name(res));
    return 1;
}

static void birth_month(int age_months, char out[16])
{
    struct vp_civil c;
    int idx;
    vp_time_civil(vp_now_ms(), false, &c);
    idx = c.year * 12 + (c.month - 1) - age_months;
    snprintf(out, 16, "%04d-%02d", (idx / 12) % 10000, idx % 12 + 1);
}

static struct devstore *open_store(const char *dir)
{
    char *path = vp_path_join(dir, "kiosk.db");
    struct devstore *db = NULL;
    vp_result res;
    vp_mkdir_p(dir);
    res = devstore_open(path, &db);
    free(path);
    if (res) {
        die("open", res);
        exit(1);
    }
    return db;
}

/* Marks everything queued as stored on the server, as after a good sync. */
static vp_result ack_all(struct devstore *db)
{
    for (;;) {
        struct dev_batch b;
        struct dev_push_result *r;
        vp_result res = devstore_batch_take(db, 500, 4 << 20, &b);
        if (res)
            return res;
        if (b.count == 0) {
            devstore_batch_release(&b);
            return VP_OK;
        }
        r = vp_xcalloc(b.count, sizeof(*r));
        for (size_t i = 0; i < b.count; i++) {
            r[i].id = b.record_ids[i];
            r[i].status = VP_PUSH_STORED;
        }
        res = devstore_batch_finish(db, b.id, r, b.count, vp_now_ms());
        free(r);
        devstore_batch_release(&b);
        if (res)
            return res;
    }
}

static vp_result server_side(struct devstore *db, const char *daan)
{
    struct vp_change ch[3];
    memset(ch, 0, sizeof(ch));
    ch[0].seq = 1;
    ch[0].type = VP_CHG_SETTINGS;
    vp_strlcpy(ch[0].u.settings.location_name, "Dolfijn", sizeof(ch[0].u.settings.location_name));
    vp_strlcpy(ch[0].u.settings.safety_contact,
               "Anja de Vries, aandachtsfunctionaris \xC2\xB7 040 123 45 67",
               sizeof(ch[0].u.settings.safety_contact));
    ch[0].u.settings.autolock_seconds = 90;
    ch[0].u.settings.retention_days = 30;
    ch[1].seq = 2;
    ch[1].type = VP_CHG_ADVICE;
    vp_uuid4(ch[1].u.advice.advice_id);
    vp_strlcpy(ch[1].u.advice.child_id, daan, VP_UUID_LEN);
    vp_strlcpy(ch[1].u.advice.text,
               "Benoem tijdens het fruitmoment wat Daan aanwijst en wacht even op zijn reactie. "
               "Plan een oudergesprek; ik kom donderdag kijken.",
               sizeof(ch[1].u.advice.text));
    vp_strlcpy(ch[1].u.advice.author, "Coach", sizeof(ch[1].u.advice.author));
    ch[1].u.advice.created_ms = vp_now_ms() - DAY_MS;
    ch[2].seq = 3;
    ch[2].type = VP_CHG_CASE;
    vp_strlcpy(ch[2].u.kase.child_id, daan, VP_UUID_LEN);
    ch[2].u.kase.status = VP_CASE_ADVISED;
    ch[2].u.kase.consultation = VP_CONSULT_ANONYMOUS;
    vp_strlcpy(ch[2].u.kase.next_action, "oudergesprek (coach)", sizeof(ch[2].u.kase.next_action));
    vp_strlcpy(ch[2].u.kase.next_action_due, "2026-11-26", sizeof(ch[2].u.kase.next_action_due));
    return devstore_apply_changes(db, ch, 3, "3");
}

static vp_result people(struct devstore *db, char daan[VP_UUID_LEN], char fatima[VP_UUID_LEN])
{
    static const struct {
        const char *name;
        int months;
    } zon[] = { { "Sanne", 28 }, { "Daan", 37 },  { "Noor", 33 },       { "Lucas", 42 },
                { "Emma", 23 },  { "Sem", 26 },   { "Zo\xC3\xAB", 44 }, { "Finn", 31 },
                { "Tess", 36 },  { "Milan", 35 }, { "Yara", 25 },       { "Levi", 39 } },
      reg[] = { { "Bram", 30 }, { "Julia", 40 }, { "Mees", 20 } };
    static const struct {
        const char *name, *pin;
        enum vp_role role;
    } staff[] = { { "Anouk", "1111", VP_ROLE_PM },
                  { "Fatima", "2222", VP_ROLE_PM },
                  { "Ilse", "1234", VP_ROLE_PM },
                  { "Marieke", "9999", VP_ROLE_MANAGER } };
    char g1[VP_UUID_LEN], g2[VP_UUID_LEN], id[VP_UUID_LEN], bm[16];
    vp_result res = devstore_group_add(db, "Zonnetje", g1);
    if (!res)
        res = devstore_group_add(db, "Regenboog", g2);
    for (size_t i = 0; !res && i < sizeof(zon) / sizeof(zon[0]); i++) {
        birth_month(zon[i].months, bm);
        res = devstore_child_add(db, g1, zon[i].name, bm, id);
        if (i == 1)
            vp_strlcpy(daan, id, VP_UUID_LEN);
    }
    for (size_t i = 0; !res && i < sizeof(reg) / sizeof(reg[0]); i++) {
        birth_month(reg[i].months, bm);
        res = devstore_child_add(db, g2, reg[i].name, bm, id);
    }
    for (size_t i = 0; !res && i < sizeof(staff) / sizeof(staff[0]); i++) {
        res = devstore_staff_add(db, staff[i].name, staff[i].role, staff[i].pin, id);
        if (i == 1)
            vp_strlcpy(fatima, id, VP_UUID_LEN);
    }
    return res;
}

/* This tablet enrolled to Dolfijn at a server that is not there (port 9:
 * refused at once), as a tablet that is offline. */
static vp_result enrol(struct devstore *db)
{
    struct dev_device d;
    memset(&d, 0, sizeof(d));
    vp_uuid4(d.device_id);
    vp_uuid4(d.location_id);
    vp_strlcpy(d.device_name, "Tablet Zonnetje", sizeof(d.device_name));
    vp_strlcpy(d.location_name, "Dolfijn", sizeof(d.location_name));
    vp_strlcpy(d.server_url, "http://127.0.0.1:9", sizeof(d.server_url));
    vp_strlcpy(d.token, "fixture-token", sizeof(d.token));
    return devstore_device_enrol(db, &d, "fixture-epoch");
}

/* make DIR [--bare | --not-enrolled | --revoked | --quiet]: a location like
 * the mockups, enrolled (offline); --not-enrolled as after "Later";
 * --revoked as after the centre refused its token; --quiet with the last
 * successful sync four days ago. */
static int make(const char *dir, const char *how)
{
    bool bare = how && vp_str_eq(how, "--bare");
    struct devstore *db = open_store(dir);
    char daan[VP_UUID_LEN], fatima[VP_UUID_LEN];
    struct vp_observation o;
    vp_result res = VP_OK;
    if (bare) {
        devstore_close(db);
        return 0;
    }
    res = people(db, daan, fatima);
    if (!res) { /* a signal from twelve days ago */
        memset(&o, 0, sizeof(o));
        vp_strlcpy(o.child_id, daan, sizeof(o.child_id));
        vp_strlcpy(o.staff_id, fatima, sizeof(o.staff_id));
        vp_strlcpy(o.signals[0], "TAAL-06", sizeof(o.signals[0]));
        o.nsignals = 1;
        o.level = 1;
        o.situation = VP_SIT_CIRCLE;
        vp_time_advance(-12 * DAY_MS - 3 * 3600000LL);
        res = devstore_observation_record(db, &o);
        vp_time_advance(12 * DAY_MS + 3 * 3600000LL);
    }
    if (!res)
        res = ack_all(db);
    if (!res)
        res = server_side(db, daan);
    if (!res)
        res = devstore_device_set_setup_done(db, true);
    if (!res && !(how && vp_str_eq(how, "--not-enrolled")))
        res = enrol(db);
    if (!res && how && vp_str_eq(how, "--revoked"))
        res = devstore_device_forget_token(db);
    if (!res && how && vp_str_eq(how, "--quiet"))
        res = devstore_sync_success(db, vp_now_ms() - 4 * DAY_MS - 3600000,
                                    vp_now_ms() - 4 * DAY_MS - 3600000);
    else if (!res)
        res = devstore_sync_success(db, vp_now_ms() - 22 * 60000, vp_now_ms() - 22 * 60000);
    devstore_close(db);
    return res ? die("make", res) : 0;
}

static bool find_child(struct devstore *db, const char *name, struct dev_child *out)
{
    struct dev_child *kids = NULL;
    size_t n = 0;
    bool found = false;
    if (devstore_children(db, NULL, true, &kids, &n) == VP_OK)
        for (size_t i = 0; i < n && !found; i++)
            if (vp_str_eq(kids[i].first_name, name)) {
                *out = kids[i];
                found = true;
            }
    free(kids);
    return found;
}

static int obs(const char *dir, const char *name)
{
    struct devstore *db = open_store(dir);
    struct dev_child c;
    struct dev_obs_item *items = NULL;
    size_t n = 0;
    if (!find_child(db, name, &c) ||
        devstore_child_observations(db, c.id, 100, &items, &n) != VP_OK) {
        devstore_close(db);
        printf("missing\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        const struct vp_observation *o = &items[i].obs;
        for (int k = 0; k < o->nsignals; k++)
            printf("%s%s", k ? "," : "", o->signals[k]);
        printf(" level=%d freq=%s sit=%s parents=%d consult=%s consent=%d staff=%s note=%s\n",
               o->level, o->frequency ? vp_frequency_name(o->frequency) : "-",
               o->situation ? vp_situation_name(o->situation) : "-", o->parents_informed,
               vp_consultation_name(o->consultation), o->consent_confirmed, items[i].staff_name,
               o->note);
    }
    free(items);
    devstore_close(db);
    return 0;
}

static int child(const char *dir, const char *name)
{
    struct devstore *db = open_store(dir);
    struct dev_child c;
    if (find_child(db, name, &c))
        printf("archived=%d\n", c.archived);
    else
        printf("missing\n");
    devstore_close(db);
    return 0;
}

static int stats(const char *dir)
{
    struct devstore *db = open_store(dir);
    struct dev_outbox_stats st;
    vp_result res = devstore_outbox_stats(db, &st);
    devstore_close(db);
    if (res)
        return die("stats", res);
    printf("pending=%lld signals=%lld unsettled=%lld quarantined=%lld\n", (long long)st.pending,
           (long long)st.pending_signals, (long long)st.unsettled_signals,
           (long long)st.quarantined);
    return 0;
}

/* Channels may differ by a little (anti-aliasing); at most 0.05% of the
 * pixels may differ by more. The diff image shows those pixels in red
 * over a faded copy of the reference. */
static int compare(const char *ref, const char *got, const char *diff)
{
    unsigned char *a = NULL, *b = NULL, *d;
    int aw, ah, bw, bh;
    size_t bad = 0, n;
    if (!ui_png_read(ref, &a, &aw, &ah)) {
        fprintf(stderr, "no reference image %s (run with VP_UPDATE_SHOTS=1)\n", ref);
        return 1;
    }
    if (!ui_png_read(got, &b, &bw, &bh) || aw != bw || ah != bh) {
        fprintf(stderr, "%s is missing or has another size than %s\n", got, ref);
        free(a);
        free(b);
        return 1;
    }
    n = (size_t)aw * (size_t)ah;
    d = vp_xmalloc(n * 3);
    for (size_t i = 0; i < n; i++) {
        int worst = 0;
        for (int c = 0; c < 3; c++) {
            int delta = abs((int)a[i * 3 + c] - (int)b[i * 3 + c]);
            if (delta > worst)
                worst = delta;
        }
        if (worst > 40)
            bad++;
        for (int c = 0; c < 3; c++)
            d[i * 3 + c] =
                worst > 40 ? (c == 0 ? 255 : 0) : (unsigned char)(192 + a[i * 3 + c] / 4);
    }
    if (bad * 2000 > n) {
        ui_png_write(diff, d, aw, ah);
        fprintf(stderr, "%s: %zu of %zu pixels differ; see %s\n", got, bad, n, diff);
    }
    free(a);
    free(b);
    free(d);
    return bad * 2000 > n ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *clock = getenv("VP_KIOSK_CLOCK");
    int64_t ms;
    if (vp_core_init() != VP_OK)
        return 1;
    if (clock && vp_time_parse(clock, &ms) == VP_OK)
        vp_time_advance(ms - vp_now_ms());
    if (argc >= 3 && vp_str_eq(argv[1], "make"))
        return make(argv[2], argc > 3 ? argv[3] : NULL);
    if (argc == 4 && vp_str_eq(argv[1], "obs"))
        return obs(argv[2], argv[3]);
    if (argc == 4 && vp_str_eq(argv[1], "child"))
        return child(argv[2], argv[3]);
    if (argc == 3 && vp_str_eq(argv[1], "stats"))
        return stats(argv[2]);
    if (argc == 5 && vp_str_eq(argv[1], "compare"))
        return compare(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: kiosk_fixture make|obs|child|stats|compare ...\n");
    return 2;
}
