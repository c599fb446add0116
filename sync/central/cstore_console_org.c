/*
 * cstore_console_org.c - settings of an organisation that an admin may
 * change through one of the locations she holds: the privacy contact that
 * the dossier letter gives parents (cstore_dossier_letter.c).
 */
#include "cstore_console_int.h"
#include "vp_str.h"
#include <stdio.h>
#include <string.h>

#define CONTACT_MAX_CHARS 200

/* Printable UTF-8 of at most CONTACT_MAX_CHARS characters. */
static bool contact_valid(const char *s)
{
    size_t chars = 0;
    if (!vp_utf8_valid_text(s, strlen(s)))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        if ((*p & 0xC0) != 0x80)
            chars++;
    }
    return chars <= CONTACT_MAX_CHARS;
}

static const char SQL_SET[] =
    "INSERT INTO org_settings(org, privacy_contact, updated_at)"
    " SELECT org, ?2, ?3 FROM locations WHERE id = ?1"
    " ON CONFLICT(org) DO UPDATE SET privacy_contact = ?2, updated_at = ?3";

vp_result cstore_console_privacy_contact_set(struct cstore *st, const char *coach_id,
                                             const char *location_id, const char *contact,
                                             const char *ip, int64_t now_ms)
{
    vp_result res;
    struct cconn *c = ccon_conn(st, &res);
    char loc[VP_UUID_LEN];
    sqlite3_stmt *s;
    if (!c)
        return res;
    if (!coach_id || !ccon_is_admin(c, coach_id))
        return VP_ERR_REFUSED;
    if (!contact_valid(contact))
        return VP_ERR_INVALID;
    if ((res = cst_coach_scope(c, coach_id, CSTORE_KIND_LOCATION, location_id, loc)) != VP_OK)
        return res;
    if ((res = cst_begin(c)) != VP_OK)
        return res;
    s = cst_prep(c, SQL_SET);
    cst_bind_text(s, 1, location_id);
    cst_bind_text(s, 2, contact);
    cst_bind_int(s, 3, now_ms);
    res = cst_done(c, s);
    if (!res)
        res = cst_audit(c, coach_id, "privacy_contact", NULL, location_id, NULL, ip, now_ms);
    if (!res)
        res = cst_commit(c);
    if (res)
        cst_rollback(c);
    return res;
}
