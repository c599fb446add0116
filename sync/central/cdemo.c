/*
 * cdemo.c - `vindplaats-central demo`: the demo organisation of
 * Geldrop-Mierlo. Each location gets two groups, a handful of children and
 * two staff members (a pm'er and a manager) in its change feed, as if a
 * tablet had written them, plus its settings and the catalog; one coach gets
 * all five. Running it again keeps the data, gives the coach a new password
 * and prints new enrolment codes.
 *
 * Besides the text for people it prints one line per location for scripts:
 * LOCATION_ID <TAB> CODE <TAB> NAME.
 */
#include "ccli.h"
#include "cstore.h"
#include "vp_alloc.h"
#include "vp_i18n.h"
#include "vp_platform.h"
#include "vp_str.h"
#include "vp_time.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_ORG   "KluppluZ"
#define DEMO_EMAIL "coach@kluppluz.example"
#define DEMO_COACH "Anouk Verhoeven"
#define NLOC       5
/* The tablet hashes PINs with these argon2id parameters too. */
#define PIN_OPSLIMIT 3
#define PIN_MEMLIMIT (16u * 1024 * 1024)

static const char *const locations[NLOC] = { "Dolfijn", "Grabbelton", "Korein", "Partou",
                                             "Potje Knor" };
static const char *const groups[NLOC][2] = {
    { "Zeesterren", "Kwallen" }, { "Rupsen", "Vlinders" },     { "Egeltjes", "Vosjes" },
    { "Boompjes", "Blaadjes" },  { "Biggetjes", "Lammetjes" },
};
static const char *const children[NLOC][4] = {
    { "Noor", "Daan", "Tess", "Finn" },   { "Saar", "Mees", "Lotte", "Sem" },
    { "Julia", "Luuk", "Fenna", "Bram" }, { "Evi", "Jesse", "Nova", "Thijs" },
    { "Liv", "Gijs", "Roos", "Milan" },
};
static const char *const staff[NLOC][2] = {
    { "Sanne", "Marieke" }, { "Femke", "Ingrid" }, { "Lisa", "Petra" },
    { "Kim", "Yvonne" },    { "Eva", "Monique" },
};
static const char *const pins[2] = { "1234", "4321" };

static void next_id(struct vp_uuid7 *gen, char out[VP_UUID_LEN])
{
    vp_uuid7_next(gen, vp_now_ms(), out);
}

static vp_result seed_group(struct cstore *st, const char *loc, struct vp_uuid7 *gen,
                            const char *name, char group_id[VP_UUID_LEN])
{
    struct vp_record rec;
    memset(&rec, 0, sizeof(rec));
    rec.type = VP_REC_GROUP;
    next_id(gen, rec.u.group.id);
    next_id(gen, rec.u.group.group_id);
    vp_strlcpy(rec.u.group.name, name, sizeof(rec.u.group.name));
    rec.u.group.device_time_ms = vp_now_ms();
    vp_strlcpy(group_id, rec.u.group.group_id, VP_UUID_LEN);
    return cstore_location_seed(st, loc, &rec, vp_now_ms());
}

static vp_result seed_child(struct cstore *st, const char *loc, struct vp_uuid7 *gen,
                            const char *name, const char *group_id, int age_months)
{
    struct vp_record rec;
    struct vp_civil now;
    int months;
    memset(&rec, 0, sizeof(rec));
    rec.type = VP_REC_CHILD;
    next_id(gen, rec.u.child.id);
    next_id(gen, rec.u.child.child_id);
    vp_strlcpy(rec.u.child.group_id, group_id, sizeof(rec.u.child.group_id));
    vp_strlcpy(rec.u.child.first_name, name, sizeof(rec.u.child.first_name));
    vp_time_civil(vp_now_ms(), false, &now);
    months = now.year * 12 + (now.month - 1) - age_months;
    snprintf(rec.u.child.birth_month, sizeof(rec.u.child.birth_month), "%04u-%02u",
             (unsigned)(months / 12) % 10000u, (unsigned)(months % 12 + 1) % 100u);
    snprintf(rec.u.child.pseudonym, sizeof(rec.u.child.pseudonym), "K-%04X",
             (unsigned)randombytes_uniform(0x10000));
    rec.u.child.device_time_ms = vp_now_ms();
    return cstore_location_seed(st, loc, &rec, vp_now_ms());
}

static vp_result seed_staff(struct cstore *st, const char *loc, struct vp_uuid7 *gen,
                            const char *name, enum vp_role role, const char *pin)
{
    struct vp_record rec;
    memset(&rec, 0, sizeof(rec));
    rec.type = VP_REC_STAFF;
    next_id(gen, rec.u.staff.id);
    next_id(gen, rec.u.staff.staff_id);
    vp_strlcpy(rec.u.staff.display_name, name, sizeof(rec.u.staff.display_name));
    rec.u.staff.role = role;
    if (crypto_pwhash_str(rec.u.staff.pin_hash, pin, strlen(pin), PIN_OPSLIMIT, PIN_MEMLIMIT) != 0)
        vp_out_of_memory("argon2id");
    rec.u.staff.device_time_ms = vp_now_ms();
    return cstore_location_seed(st, loc, &rec, vp_now_ms());
}

/* Groups, children and staff of a new location i. */
static vp_result seed_location(struct cstore *st, int i, const char *loc)
{
    struct vp_uuid7 gen = { 0, 0 };
    char group_id[2][VP_UUID_LEN];
    vp_result res = VP_OK;
    for (int g = 0; !res && g < 2; g++)
        res = seed_group(st, loc, &gen, groups[i][g], group_id[g]);
    for (int c = 0; !res && c < 4; c++)
        res = seed_child(st, loc, &gen, children[i][c], group_id[c % 2], 14 + 7 * c + i);
    if (!res)
        res = seed_staff(st, loc, &gen, staff[i][0], VP_ROLE_PM, pins[0]);
    if (!res)
        res = seed_staff(st, loc, &gen, staff[i][1], VP_ROLE_MANAGER, pins[1]);
    return res;
}

static void make_password(char out[17])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
    for (int i = 0; i < 16; i++)
        out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    out[16] = '\0';
}

static vp_result demo_locations(struct cstore *st, struct cstore_location locs[NLOC],
                                char codes[NLOC][CSTORE_CODE_LEN])
{
    vp_result res = VP_OK;
    for (int i = 0; !res && i < NLOC; i++) {
        res = cstore_location_find(st, locations[i], DEMO_ORG, &locs[i]);
        if (res == VP_ERR_NOT_FOUND) {
            res = cstore_location_add(st, locations[i], DEMO_ORG, &locs[i]);
            if (!res)
                res = seed_location(st, i, locs[i].id);
        }
        if (!res)
            res = cstore_enroll_code_new(st, locs[i].id, vp_now_ms(), codes[i]);
    }
    return res;
}

static void print_demo(const struct cstore_location locs[NLOC], char codes[NLOC][CSTORE_CODE_LEN],
                       const char *password)
{
    struct vp_buf b = VP_BUF_INIT;
    vp_tr_fmt(&b, "central.demo.ready", "org", DEMO_ORG, NULL);
    vp_buf_addch(&b, '\n');
    vp_tr_fmt(&b, "central.demo.coach", "email", DEMO_EMAIL, "password", password, NULL);
    vp_buf_addch(&b, '\n');
    for (int i = 0; i < NLOC; i++) {
        vp_tr_fmt(&b, "central.demo.location", "name", locs[i].name, "code", codes[i], "pm",
                  staff[i][0], "pm_pin", pins[0], "manager", staff[i][1], "manager_pin", pins[1],
                  NULL);
        vp_buf_addch(&b, '\n');
    }
    fputs(b.data, stdout);
    vp_buf_release(&b);
    for (int i = 0; i < NLOC; i++)
        printf("%s\t%s\t%s\n", locs[i].id, codes[i], locs[i].name);
    fflush(stdout);
}

int ccli_demo(const struct ccli_args *a)
{
    struct cstore_location locs[NLOC];
    char codes[NLOC][CSTORE_CODE_LEN], password[17];
    const char *ids[NLOC];
    struct cstore_coach coach;
    struct cstore *st = NULL;
    char *dir = vp_data_dir(a->data);
    vp_result res = cstore_open(dir, &st);
    free(dir);
    if (res)
        return ccli_fail(res);
    res = demo_locations(st, locs, codes);
    for (int i = 0; i < NLOC; i++)
        ids[i] = locs[i].id;
    make_password(password);
    if (!res)
        res = cstore_coach_add(st, DEMO_EMAIL, DEMO_COACH, password, ids, NLOC, &coach);
    if (!res)
        print_demo(locs, codes, password);
    cstore_close(st);
    return res ? ccli_fail(res) : CCLI_OK;
}
