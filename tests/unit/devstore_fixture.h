/* A fresh device store in a temp dir with one group, two children, a pm'er
 * (PIN 1234) and a manager (PIN 9876). Used by the devstore tests. */
#ifndef DEVSTORE_FIXTURE_H
#define DEVSTORE_FIXTURE_H
#include "devstore.h"
#include <sqlite3.h>
#include "vp_core.h"
#include "vp_test.h"

struct fixture {
    char *dir;
    char *path;
    struct devstore *s;
    char group[VP_UUID_LEN];
    char daan[VP_UUID_LEN], sanne[VP_UUID_LEN];
    char ilse[VP_UUID_LEN], marieke[VP_UUID_LEN];
};

static inline int fixture_open(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    f->dir = vp_test_tempdir();
    f->path = vp_path_join(f->dir, "kiosk.db");
    if (devstore_open(f->path, &f->s) || devstore_group_add(f->s, "Zonnetje", f->group) ||
        devstore_child_add(f->s, f->group, "Daan", "2023-10", f->daan) ||
        devstore_child_add(f->s, f->group, "Sanne", "2024-07", f->sanne) ||
        devstore_staff_add(f->s, "Ilse", VP_ROLE_PM, "1234", f->ilse) ||
        devstore_staff_add(f->s, "Marieke", VP_ROLE_MANAGER, "9876", f->marieke)) {
        fprintf(stderr, "fixture setup failed\n");
        return -1;
    }
    return 0;
}

static inline void fixture_close(struct fixture *f)
{
    devstore_close(f->s);
    vp_test_rmtree(f->dir);
    free(f->path);
    free(f->dir);
}

static inline void fixture_obs(struct fixture *f, struct vp_observation *o, const char *code)
{
    memset(o, 0, sizeof(*o));
    vp_strlcpy(o->child_id, f->daan, VP_UUID_LEN);
    vp_strlcpy(o->staff_id, f->ilse, VP_UUID_LEN);
    vp_strlcpy(o->signals[0], code, VP_CODE_LEN);
    o->nsignals = 1;
    o->level = 1;
}

#endif
