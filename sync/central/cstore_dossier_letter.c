/*
 * cstore_dossier_letter.c - the dossier as a letter a parent can read
 * (issue 12): what was recorded about the child and when (the recorder by
 * role, never by name), where it stands, what was shared with whom and on
 * what consent (the consent history from the audit log, the case's
 * consultation and referral, the advice), the advice itself, what a parent
 * may ask and whom to contact (the organisation's privacy contact). Laid
 * out as PDF by cletter.c. The JSON dossier stays the data-portability
 * export (cstore_console_dossier_export()).
 *
 * Names: the child is named only when her consent is recorded (the child
 * view says so), otherwise by code with a line for the location to fill in.
 * Notes and advice go through the note rule (cst_note_render()) with every
 * other child of the location as "een ander kind": no other child's name
 * or code reaches a parent.
 */
#include "cexport.h"
#include "cletter.h"
#include "cstore_console_int.h"
#include "cstore_signal.h"
#include "vp_alloc.h"
#include "vp_i18n.h"
#include "vp_str.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct letter {
    struct cconn *c;
    struct cletter l;
    enum vp_lang lang;
    struct vp_buf b; /* scratch */
    int64_t now;
    json_t *child, *kase;
    char org[128], location[128], contact[256], code[VP_PSEUDONYM_LEN];
    struct cst_note_child *kids; /* the note rule's view of the location */
    size_t nkids;
};

static const char *tr(struct letter *t, const char *key)
{
    return vp_tr_in(t->lang, key);
}

/* Adds a block: the translation of key with {name} values (NULL-ended). */
#define SAY(t, kind, key, ...)                                                                     \
    do {                                                                                           \
        vp_buf_reset(&(t)->b);                                                                     \
        vp_tr_fill(&(t)->b, tr((t), key), __VA_ARGS__, NULL);                                      \
        cletter_add(&(t)->l, kind, (t)->b.data);                                                   \
    } while (0)

/* "3 december 2026" (local) of ms. */
static void date_words(struct letter *t, int64_t ms, char *out, size_t size)
{
    struct vp_civil v;
    char key[24];
    cexport_local_civil(ms, &v);
    snprintf(key, sizeof(key), "letter.month.%d", v.month);
    vp_snprintf(out, size, "%d %s %d", v.day, tr(t, key), v.year);
}

/* The same for an RFC 3339 text ("" when there is none). */
static void date_text(struct letter *t, const char *rfc3339, char *out, size_t size)
{
    int64_t ms;
    out[0] = '\0';
    if (rfc3339 && vp_time_parse(rfc3339, &ms) == VP_OK)
        date_words(t, ms, out, size);
}

/* ---- what the letter reads ---- */

static const char SQL_WHERE[] =
    "SELECT l.org, l.name, COALESCE(os.privacy_contact, '') FROM locations l"
    " LEFT JOIN org_settings os ON os.org = l.org WHERE l.id = ?1";

static void read_where(struct letter *t, const char *loc)
{
    sqlite3_stmt *s = cst_prep(t->c, SQL_WHERE);
    cst_bind_text(s, 1, loc);
    if (sqlite3_step(s) == SQLITE_ROW) {
        vp_strlcpy(t->org, cst_col(s, 0), sizeof(t->org));
        vp_strlcpy(t->location, cst_col(s, 1), sizeof(t->location));
        vp_strlcpy(t->contact, cst_col(s, 2), sizeof(t->contact));
    }
    sqlite3_reset(s);
}

static const char SQL_KIDS[] =
    "SELECT child_id, first_name, pseudonym FROM children WHERE location_id = ?1";

/* The note rule's children: this one by code (or name, when named), every
 * other one as "een ander kind". */
static void read_kids(struct letter *t, const char *loc, const char *child_id, bool named)
{
    sqlite3_stmt *s = cst_prep(t->c, SQL_KIDS);
    size_t cap = 0;
    cst_bind_text(s, 1, loc);
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct cst_note_child *k;
        bool self = !strcmp(cst_col(s, 0), child_id);
        if (t->nkids == cap) {
            cap = cap ? cap * 2 : 16;
            t->kids = vp_xrealloc(t->kids, cap * sizeof(*t->kids));
        }
        k = &t->kids[t->nkids++];
        memset(k, 0, sizeof(*k));
        vp_strlcpy(k->child_id, cst_col(s, 0), sizeof(k->child_id));
        k->first_name = vp_xstrdup(cst_col(s, 1));
        k->code = vp_xstrdup(self ? cst_col(s, 2) : tr(t, "letter.other_child"));
        k->named = self && named;
    }
    sqlite3_reset(s);
}

static char *render(struct letter *t, const char *text)
{
    return cst_note_render(text, t->kids, t->nkids);
}

/* ---- the sections ---- */

static void head(struct letter *t)
{
    char today[64];
    const char *group = json_string_value(json_object_get(t->child, "group"));
    const char *name = json_string_value(json_object_get(t->child, "first_name"));
    date_words(t, t->now, today, sizeof(today));
    cletter_add(&t->l, CLETTER_TITLE, tr(t, "letter.title"));
    SAY(t, CLETTER_SUB, "letter.sub", "org", t->org, "location", t->location, "date", today);
    if (json_is_true(json_object_get(t->child, "named")) && name && *name) {
        SAY(t, CLETTER_PARA, "letter.child.named", "name", name, "code", t->code, "group",
            group ? group : "");
    } else {
        SAY(t, CLETTER_PARA, "letter.child.code", "code", t->code, "group", group ? group : "");
        cletter_add(&t->l, CLETTER_FILL, tr(t, "letter.child.fill"));
    }
    cletter_add(&t->l, CLETTER_PARA, tr(t, "letter.intro"));
}

static const char SQL_SIGNALS[] =
    "SELECT o.signals, o.level, o.frequency, o.situation, o.note, COALESCE(st.role, ''),"
    " sg.first_device_time, sg.versions, sg.received_at FROM" CST_SIGNAL_FROM
    " WHERE sg.child_id = ?1 ORDER BY sg.first_device_time, sg.signal_id";

/* The catalog labels of "A,B" in lang, joined with ", ". */
static void labels(struct letter *t, const struct vp_catalog *cat, const char *codes,
                   struct vp_buf *out)
{
    char code[VP_CODE_LEN];
    const char *p = codes;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const struct vp_signal *sig;
        vp_snprintf(code, sizeof(code), "%.*s", (int)n, p);
        sig = vp_catalog_find(cat, code, NULL);
        vp_buf_addf(out, "%s%s", out->len ? ", " : "", sig ? sig->label[t->lang] : code);
        p = comma ? comma + 1 : p + n;
    }
}

static void one_signal(struct letter *t, sqlite3_stmt *s, const struct vp_catalog *cat)
{
    struct vp_buf lab = VP_BUF_INIT;
    char when[64], level[16], role[32];
    const char *freq = cst_col(s, 2), *sit = cst_col(s, 3);
    char *note;
    date_words(t, cst_col_int(s, 6), when, sizeof(when));
    snprintf(level, sizeof(level), "%d", (int)cst_col_int(s, 1));
    vp_snprintf(role, sizeof(role), "letter.role.%s", *cst_col(s, 5) ? cst_col(s, 5) : "unknown");
    if (!strcmp(tr(t, role), role))
        vp_strlcpy(role, "letter.role.unknown", sizeof(role));
    labels(t, cat, cst_col(s, 0), &lab);
    SAY(t, CLETTER_ITEM, "letter.signal", "date", when, "role", tr(t, role), "labels", lab.data,
        "level", cexport_label(t->lang, "level", level));
    if (*freq || *sit) { /* only what was recorded */
        struct vp_buf how = VP_BUF_INIT;
        if (*freq)
            vp_tr_fill(&how, tr(t, "letter.signal.frequency"), "frequency",
                       cexport_label(t->lang, "frequency", freq), NULL);
        if (*freq && *sit)
            vp_buf_addch(&how, ' ');
        if (*sit)
            vp_tr_fill(&how, tr(t, "letter.signal.situation"), "situation",
                       cexport_label(t->lang, "situation", sit), NULL);
        cletter_add(&t->l, CLETTER_QUOTE, how.data);
        vp_buf_release(&how);
    }
    if (cst_col_int(s, 7) > 1) {
        date_words(t, cst_col_int(s, 8), when, sizeof(when));
        SAY(t, CLETTER_QUOTE, "letter.signal.amended", "date", when);
    }
    if (*cst_col(s, 4)) {
        note = render(t, cst_col(s, 4));
        SAY(t, CLETTER_QUOTE, "letter.signal.note", "note", note);
        free(note);
    }
    vp_buf_release(&lab);
}

static void recorded(struct letter *t, const char *child_id, const struct vp_catalog *cat)
{
    sqlite3_stmt *s = cst_prep(t->c, SQL_SIGNALS);
    int n = 0;
    cletter_add(&t->l, CLETTER_HEADING, tr(t, "letter.recorded"));
    cst_bind_text(s, 1, child_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        one_signal(t, s, cat);
        n++;
    }
    sqlite3_reset(s);
    if (!n)
        cletter_add(&t->l, CLETTER_PARA, tr(t, "letter.recorded.none"));
}

static const char *case_str(struct letter *t, const char *key)
{
    const char *v = json_string_value(json_object_get(t->kase, key));
    return v ? v : "";
}

static void standing(struct letter *t)
{
    if (!json_is_object(t->kase))
        return;
    cletter_add(&t->l, CLETTER_HEADING, tr(t, "letter.now"));
    SAY(t, CLETTER_PARA, "letter.now.status", "status",
        cexport_label(t->lang, "status", case_str(t, "status")));
    SAY(t, CLETTER_PARA, "letter.now.talk", "talk",
        cexport_label(t->lang, "talk", case_str(t, "parent_talk")));
}

static const char SQL_ADVICE[] =
    "SELECT created_at, text FROM advice WHERE child_id = ?1 ORDER BY created_at, id";

static int advice_count(struct letter *t, const char *child_id)
{
    sqlite3_stmt *s = cst_prep(t->c, "SELECT COUNT(*) FROM advice WHERE child_id = ?1");
    int n = 0;
    cst_bind_text(s, 1, child_id);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = (int)cst_col_int(s, 0);
    sqlite3_reset(s);
    return n;
}

static void shared(struct letter *t, const char *child_id)
{
    char when[64], count[16];
    const char *consult = case_str(t, "consultation");
    int n = advice_count(t, child_id);
    cletter_add(&t->l, CLETTER_HEADING, tr(t, "letter.shared"));
    SAY(t, CLETTER_ITEM, "letter.shared.coach", "org", t->org);
    date_text(t, case_str(t, "consultation_at"), when, sizeof(when));
    if (!strcmp(consult, "anonymous"))
        SAY(t, CLETTER_ITEM, "letter.shared.anonymous", "date", when);
    else if (!strcmp(consult, "named"))
        SAY(t, CLETTER_ITEM, "letter.shared.named", "date", when);
    if (*case_str(t, "referred_to")) {
        date_text(t, case_str(t, "referral_at"), when, sizeof(when));
        SAY(t, CLETTER_ITEM, "letter.shared.referral", "date", when, "referral",
            cexport_label(t->lang, "referral", case_str(t, "referred_to")));
    }
    if (n) {
        snprintf(count, sizeof(count), "%d", n);
        SAY(t, CLETTER_ITEM, "letter.shared.advice", "count", count);
    }
    if (strcmp(consult, "anonymous") != 0 && strcmp(consult, "named") != 0 &&
        !*case_str(t, "referred_to") && !n)
        cletter_add(&t->l, CLETTER_ITEM, tr(t, "letter.shared.nothing"));
}

static const char SQL_CONSENT_LOG[] =
    "SELECT at, detail FROM audit WHERE child_id = ?1 AND action = 'case_update'"
    " ORDER BY at, id";

/* The consent history: each change of "consent=" in the case's audit entries. */
static void consent(struct letter *t, const char *child_id)
{
    sqlite3_stmt *s = cst_prep(t->c, SQL_CONSENT_LOG);
    char last[32] = "unknown", now[32], when[64];
    int changes = 0;
    cletter_add(&t->l, CLETTER_HEADING, tr(t, "letter.consent"));
    cst_bind_text(s, 1, child_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *p = strstr(cst_col(s, 1), "consent=");
        if (!p)
            continue;
        p += strlen("consent=");
        vp_snprintf(now, sizeof(now), "%.*s", (int)strcspn(p, " "), p);
        if (!strcmp(now, last))
            continue;
        vp_strlcpy(last, now, sizeof(last));
        date_words(t, cst_col_int(s, 0), when, sizeof(when));
        SAY(t, CLETTER_ITEM, "letter.consent.change", "date", when, "consent",
            cexport_label(t->lang, "consent", now));
        changes++;
    }
    sqlite3_reset(s);
    if (!changes && !strcmp(case_str(t, "consent"), "unknown"))
        cletter_add(&t->l, CLETTER_PARA, tr(t, "letter.consent.none"));
    else if (*case_str(t, "consent"))
        SAY(t, CLETTER_PARA, "letter.consent.now", "consent",
            cexport_label(t->lang, "consent", case_str(t, "consent")));
}

static void advice(struct letter *t, const char *child_id)
{
    sqlite3_stmt *s = cst_prep(t->c, SQL_ADVICE);
    char when[64];
    bool any = false;
    cst_bind_text(s, 1, child_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        char *text = render(t, cst_col(s, 1));
        if (!any)
            cletter_add(&t->l, CLETTER_HEADING, tr(t, "letter.advice"));
        any = true;
        date_words(t, cst_col_int(s, 0), when, sizeof(when));
        SAY(t, CLETTER_ITEM, "letter.advice.item", "date", when, "text", text);
        free(text);
    }
    sqlite3_reset(s);
}

static void rights(struct letter *t)
{
    char today[64];
    cletter_add(&t->l, CLETTER_HEADING, tr(t, "letter.rights"));
    cletter_add(&t->l, CLETTER_ITEM, tr(t, "letter.rights.inzage"));
    cletter_add(&t->l, CLETTER_ITEM, tr(t, "letter.rights.correct"));
    cletter_add(&t->l, CLETTER_ITEM, tr(t, "letter.rights.erase"));
    cletter_add(&t->l, CLETTER_HEADING, tr(t, "letter.contact"));
    if (*t->contact)
        SAY(t, CLETTER_PARA, "letter.contact.set", "contact", t->contact);
    else
        cletter_add(&t->l, CLETTER_FILL, tr(t, "letter.contact.fill"));
    date_words(t, t->now, today, sizeof(today));
    vp_buf_reset(&t->b);
    vp_tr_fill(&t->b, tr(t, "letter.footer"), "code", t->code, "date", today, NULL);
    cletter_set_footer(&t->l, t->b.data);
    cletter_set_title(&t->l, tr(t, "letter.title"));
}

static void letter_release(struct letter *t)
{
    for (size_t i = 0; i < t->nkids; i++) {
        free(t->kids[i].first_name);
        free(t->kids[i].code);
    }
    free(t->kids);
    json_decref(t->child);
    json_decref(t->kase);
    vp_buf_release(&t->b);
    cletter_release(&t->l);
}

vp_result cstore_console_dossier_letter(struct cstore *st, const char *coach_id,
                                        const char *child_id, enum vp_lang lang, const char *ip,
                                        int64_t now_ms, struct vp_buf *pdf,
                                        char code[VP_PSEUDONYM_LEN])
{
    struct letter t;
    char loc[VP_UUID_LEN], detail[32];
    vp_result res;
    memset(&t, 0, sizeof(t));
    t.c = cst_conn(st, &res);
    if (!t.c)
        return res;
    if ((res = cst_coach_scope(t.c, coach_id, CSTORE_KIND_CHILD, child_id, loc)) != VP_OK)
        return res;
    t.lang = lang;
    t.now = now_ms;
    vp_buf_init(&t.b);
    cletter_init(&t.l);
    t.child = cst_child_view(t.c, child_id, now_ms);
    t.kase = cst_case_json(t.c, child_id);
    if (json_is_string(json_object_get(t.child, "pseudonym")))
        vp_strlcpy(t.code, json_string_value(json_object_get(t.child, "pseudonym")),
                   sizeof(t.code));
    read_where(&t, loc);
    read_kids(&t, loc, child_id, json_is_true(json_object_get(t.child, "named")));
    head(&t);
    recorded(&t, child_id, cstore_catalog(st));
    standing(&t);
    shared(&t, child_id);
    consent(&t, child_id);
    advice(&t, child_id);
    rights(&t);
    res = cletter_pdf(&t.l, pdf);
    if (!res) {
        snprintf(detail, sizeof(detail), "format=pdf lang=%s", vp_i18n_code(lang));
        res = cst_audit(t.c, coach_id, "dossier_export", child_id, loc, detail, ip, now_ms);
    }
    vp_strlcpy(code, t.code, VP_PSEUDONYM_LEN);
    letter_release(&t);
    return res;
}
