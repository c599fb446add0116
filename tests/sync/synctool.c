/*
 * synctool - the kiosk's storage and sync paths as a small command, so fault
 * tests can run them in a separate process (to kill -9 it, or to run it
 * under libfaketime).
 *
 *   synctool save DB N     record N observations (first child, first staff
 *                          member), printing each id once it is durable
 *   synctool sync DB       one push+pull round; exit 0 if ok and nothing pending
 *   synctool enroll DB URL CODE
 */
#include "devstore.h"
#include "sync_client.h"
#include "vp_core.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int save(const char *db, int64_t n)
{
    struct devstore *s = NULL;
    struct dev_child *kids = NULL;
    struct dev_staff *staff = NULL;
    size_t nk = 0, ns = 0;
    static const char *const codes[] = { "TAAL-02", "SOC-01", "GED-03", "MOT-03", "ZIN-05" };
    if (devstore_open(db, &s) || devstore_children(s, NULL, false, &kids, &nk) ||
        devstore_staff(s, false, &staff, &ns) || !nk || !ns) {
        fprintf(stderr, "synctool: no store, child or staff member in %s\n", db);
        return 1;
    }
    for (int64_t i = 0; i < n; i++) {
        struct vp_observation o;
        vp_result res;
        memset(&o, 0, sizeof(o));
        vp_strlcpy(o.child_id, kids[i % (int64_t)nk].id, VP_UUID_LEN);
        vp_strlcpy(o.staff_id, staff[0].id, VP_UUID_LEN);
        vp_strlcpy(o.signals[0], codes[i % 5], VP_CODE_LEN);
        o.nsignals = 1;
        o.level = 1 + (int)(i % 3);
        res = devstore_observation_record(s, &o);
        if (res) {
            fprintf(stderr, "synctool: save %lld: %s\n", (long long)i, vp_result_name(res));
            return 1;
        }
        printf("%s\n", o.id); /* only now is it promised to the person */
        fflush(stdout);
    }
    free(kids);
    free(staff);
    devstore_close(s);
    return 0;
}

int main(int argc, char **argv)
{
    struct sync_report rep;
    int64_t n = 0;
    if (vp_core_init() || sync_global_init())
        return 1;
    if (argc == 4 && !strcmp(argv[1], "save") && vp_parse_i64(argv[3], 0, 10000000, &n))
        return save(argv[2], n);
    if (argc == 3 && !strcmp(argv[1], "sync")) {
        vp_result res = sync_round(argv[2], &rep);
        printf("result=%s pending=%lld pushed=%lld acked=%lld quarantined=%lld pulled=%lld"
               " bytes_up=%lld bytes_down=%lld\n",
               vp_result_name(res), (long long)rep.pending, (long long)rep.pushed,
               (long long)rep.acked, (long long)rep.quarantined, (long long)rep.pulled,
               (long long)rep.bytes_up, (long long)rep.bytes_down);
        return res || rep.pending ? 1 : 0;
    }
    if (argc == 5 && !strcmp(argv[1], "enroll")) {
        vp_result res = sync_enroll(argv[2], argv[3], argv[4], NULL, "synctool", &rep);
        if (res)
            fprintf(stderr, "synctool: %s\n", rep.message);
        return res ? 1 : 0;
    }
    fprintf(stderr, "usage: synctool save DB N | sync DB | enroll DB URL CODE\n");
    return 2;
}
