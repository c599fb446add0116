/*
 * cexport_rows.c - the columns of the exports for people: which field of a
 * signal or case row goes in which column, under which name, as which
 * kind of cell, with codes turned into words (cexport.h). docs/console.md
 * lists the columns.
 */
#include "cexport.h"
#include "vp_str.h"
#include <stdio.h>
#include <string.h>

const char *cexport_label(enum vp_lang lang, const char *kind, const char *code)
{
    char key[96];
    const char *s;
    if (!code || !*code)
        return "";
    vp_snprintf(key, sizeof(key), "export.%s.%s", kind, code);
    s = vp_tr_in(lang, key);
    return strcmp(s, key) != 0 ? s : code; /* vp_tr_in gives the key back when it has none */
}

/* A column: its name's key (export.col.KEY) and its width in characters. */
struct col {
    const char *key;
    int width;
};

static void add_cols(struct cexport_table *t, const struct col *cols, size_t n, enum vp_lang lang)
{
    char key[64];
    for (size_t i = 0; i < n; i++) {
        vp_snprintf(key, sizeof(key), "export.col.%s", cols[i].key);
        cexport_table_col(t, vp_tr_in(lang, key), cols[i].width);
    }
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The field of row, else of fallback (the child of a console inbox row). */
static json_t *field(json_t *row, json_t *fallback, const char *key)
{
    json_t *v = json_object_get(row, key);
    return v || !fallback ? v : json_object_get(fallback, key);
}

static const char *yes_no(enum vp_lang lang, bool v)
{
    return vp_tr_in(lang, v ? "export.yes" : "export.no");
}

/* ---- signals ---- */

enum {
    S_RECEIVED,
    S_RECORDED,
    S_LOCATION,
    S_GROUP,
    S_CODE,
    S_FIRST_NAME,
    S_AGE,
    S_LEVEL,
    S_SIGNALS,
    S_FREQUENCY,
    S_SITUATION,
    S_PARENTS,
    S_CONSULTATION,
    S_NOTE,
    S_STAFF,
    S_CASE,
    S_AMENDED,
    S_VERSIONS,
    S_ID,
    S_SEEN,
    S_ARCHIVED,
    S_NCOLS
};

static const struct col signal_cols[S_NCOLS] = {
    { "received", 17 },     { "recorded", 17 },   { "location", 16 },   { "group", 14 },
    { "code", 11 },         { "first_name", 12 }, { "age_months", 10 }, { "level", 12 },
    { "signals", 44 },      { "frequency", 10 },  { "situation", 14 },  { "parents_informed", 10 },
    { "consultation", 20 }, { "note", 44 },       { "staff", 16 },      { "case_status", 18 },
    { "amended", 17 },      { "versions", 8 },    { "signal_id", 38 },  { "seen", 10 },
    { "archived", 18 },
};

/* The labels of the codes in lang, joined with " / ". */
static void code_labels(struct vp_buf *b, const struct vp_catalog *cat, json_t *codes,
                        enum vp_lang lang)
{
    for (size_t i = 0; i < json_array_size(codes); i++) {
        const char *code = json_string_value(json_array_get(codes, i));
        const struct vp_signal *sig = code ? vp_catalog_find(cat, code, NULL) : NULL;
        vp_buf_addf(b, "%s%s", i ? " / " : "", sig ? sig->label[lang] : code ? code : "");
    }
}

static void signal_row(struct cexport_table *t, json_t *row, json_t *child,
                       const struct vp_catalog *cat, enum vp_lang lang, bool marks)
{
    struct vp_buf labels = VP_BUF_INIT;
    char level[16];
    json_t *age = field(row, child, "age_months"), *archived = json_object_get(row, "archived");
    cexport_table_row(t);
    cexport_put_time(t, S_RECEIVED, str(row, "received_at"));
    cexport_put_time(t, S_RECORDED, str(row, "device_time"));
    cexport_put_text(t, S_LOCATION, json_string_value(field(row, child, "location")));
    cexport_put_text(t, S_GROUP, json_string_value(field(row, child, "group")));
    cexport_put_text(t, S_CODE, json_string_value(field(row, child, "pseudonym")));
    cexport_put_text(t, S_FIRST_NAME, json_string_value(field(row, child, "first_name")));
    if (json_is_integer(age) && json_integer_value(age) >= 0)
        cexport_put_int(t, S_AGE, json_integer_value(age));
    snprintf(level, sizeof(level), "%d", (int)json_integer_value(json_object_get(row, "level")));
    cexport_put_text(t, S_LEVEL, cexport_label(lang, "level", level));
    code_labels(&labels, cat, json_object_get(row, "signals"), lang);
    cexport_put_text(t, S_SIGNALS, labels.data);
    cexport_put_text(t, S_FREQUENCY, cexport_label(lang, "frequency", str(row, "frequency")));
    cexport_put_text(t, S_SITUATION, cexport_label(lang, "situation", str(row, "situation")));
    cexport_put_text(t, S_PARENTS,
                     yes_no(lang, json_is_true(json_object_get(row, "parents_informed"))));
    cexport_put_text(t, S_CONSULTATION,
                     cexport_label(lang, "consultation", str(row, "consultation")));
    cexport_put_text(t, S_NOTE, str(row, "note"));
    cexport_put_text(t, S_STAFF, str(row, "staff"));
    cexport_put_text(t, S_CASE, cexport_label(lang, "status", str(row, "case_status")));
    cexport_put_time(t, S_AMENDED, str(row, "updated_at"));
    cexport_put_int(t, S_VERSIONS, json_integer_value(json_object_get(row, "versions")));
    cexport_put_text(t, S_ID, str(row, "id"));
    if (marks) {
        cexport_put_text(t, S_SEEN, yes_no(lang, json_is_true(json_object_get(row, "seen"))));
        cexport_put_text(t, S_ARCHIVED,
                         json_is_string(archived)
                             ? cexport_label(lang, "archive", json_string_value(archived))
                             : yes_no(lang, false));
    }
    vp_buf_release(&labels);
}

void cexport_signals(struct cexport_table *t, json_t *rows, json_t *children,
                     const struct vp_catalog *cat, enum vp_lang lang, bool marks)
{
    size_t r;
    json_t *row;
    add_cols(t, signal_cols, marks ? S_NCOLS : S_SEEN, lang);
    json_array_foreach(rows, r, row)
    {
        json_t *child = json_object_get(children, str(row, "child_id") ? str(row, "child_id") : "");
        signal_row(t, row, child, cat, lang, marks);
    }
}

/* ---- cases ---- */

enum {
    K_LOCATION,
    K_GROUP,
    K_CODE,
    K_FIRST_NAME,
    K_AGE,
    K_STATUS,
    K_CONSENT,
    K_TALK,
    K_CONSULTATION,
    K_REFERRED,
    K_CLOSED,
    K_NEXT,
    K_OWNER,
    K_DUE,
    K_FOLLOW_UP,
    K_FIRST,
    K_LAST,
    K_COUNT,
    K_MAX_LEVEL,
    K_DAYS_TALK,
    K_DAYS_CONSULTATION,
    K_DAYS_REFERRAL,
    K_DAYS_SUPPORT,
    K_CHILD_ID,
    K_NCOLS
};

static const struct col case_cols[K_NCOLS] = {
    { "location", 16 },
    { "group", 14 },
    { "code", 11 },
    { "first_name", 12 },
    { "age_months", 10 },
    { "status", 20 },
    { "consent", 12 },
    { "parent_talk", 12 },
    { "consultation", 20 },
    { "referred_to", 18 },
    { "closed_reason", 22 },
    { "next_action", 32 },
    { "next_action_owner", 14 },
    { "next_action_due", 12 },
    { "follow_up_date", 12 },
    { "first_signal", 17 },
    { "last_signal", 17 },
    { "signal_count", 10 },
    { "max_level", 12 },
    { "days_to_parent_talk", 12 },
    { "days_to_consultation", 12 },
    { "days_to_referral", 12 },
    { "days_to_support", 12 },
    { "child_id", 38 },
};

static void put_days(struct cexport_table *t, size_t col, json_t *v)
{
    if (json_is_integer(v))
        cexport_put_int(t, col, json_integer_value(v));
}

static void case_row(struct cexport_table *t, json_t *row, json_t *k, enum vp_lang lang)
{
    char level[16];
    json_t *age = json_object_get(row, "age_months");
    int max = (int)json_integer_value(json_object_get(k, "max_level"));
    cexport_table_row(t);
    cexport_put_text(t, K_LOCATION, str(row, "location"));
    cexport_put_text(t, K_GROUP, str(row, "group"));
    cexport_put_text(t, K_CODE, str(row, "pseudonym"));
    cexport_put_text(t, K_FIRST_NAME, str(row, "first_name"));
    if (json_is_integer(age) && json_integer_value(age) >= 0)
        cexport_put_int(t, K_AGE, json_integer_value(age));
    cexport_put_text(t, K_STATUS, cexport_label(lang, "status", str(k, "status")));
    cexport_put_text(t, K_CONSENT, cexport_label(lang, "consent", str(k, "consent")));
    cexport_put_text(t, K_TALK, cexport_label(lang, "talk", str(k, "parent_talk")));
    cexport_put_text(t, K_CONSULTATION,
                     cexport_label(lang, "consultation", str(k, "consultation")));
    cexport_put_text(t, K_REFERRED, cexport_label(lang, "referral", str(k, "referred_to")));
    cexport_put_text(t, K_CLOSED, cexport_label(lang, "closed", str(k, "closed_reason")));
    cexport_put_text(t, K_NEXT, str(k, "next_action"));
    cexport_put_text(t, K_OWNER, str(k, "next_action_owner"));
    cexport_put_date(t, K_DUE, str(k, "next_action_due"));
    cexport_put_date(t, K_FOLLOW_UP, str(k, "follow_up_date"));
    cexport_put_time(t, K_FIRST, str(k, "first_signal_at"));
    cexport_put_time(t, K_LAST, str(k, "last_signal_at"));
    cexport_put_int(t, K_COUNT, json_integer_value(json_object_get(k, "signal_count")));
    if (max > 0) {
        snprintf(level, sizeof(level), "%d", max);
        cexport_put_text(t, K_MAX_LEVEL, cexport_label(lang, "level", level));
    }
    put_days(t, K_DAYS_TALK, json_object_get(k, "days_to_parent_talk"));
    put_days(t, K_DAYS_CONSULTATION, json_object_get(k, "days_to_consultation"));
    put_days(t, K_DAYS_REFERRAL, json_object_get(k, "days_to_referral"));
    put_days(t, K_DAYS_SUPPORT, json_object_get(k, "days_to_support"));
    cexport_put_text(t, K_CHILD_ID, str(row, "child_id"));
}

void cexport_cases(struct cexport_table *t, json_t *rows, const char *status, enum vp_lang lang)
{
    size_t r;
    json_t *row;
    add_cols(t, case_cols, K_NCOLS, lang);
    json_array_foreach(rows, r, row)
    {
        json_t *k = json_object_get(row, "case");
        const char *st = str(k, "status");
        if (status && !strcmp(status, "open") && st && !strcmp(st, "closed"))
            continue;
        case_row(t, row, k, lang);
    }
}
