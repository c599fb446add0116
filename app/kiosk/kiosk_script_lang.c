/*
 * kiosk_script_lang.c - one UI script, every language: the words a script
 * is written in become the words of the language it runs in.
 *
 * A script is written in one language (`#lang en`, else Dutch). Run in the
 * other, each quoted text of tap/expect is looked up: a whole translation
 * (kiosk.txt), a template with its placeholders filled ("2 signalen wachten
 * op verbinding"), a catalog label (a domain or a signal), or parts joined
 * by " · ". A text that is none of these (a child's name, a PIN) stays as
 * it is. `@key name=value` names a text by its translation key instead,
 * for a fragment no lookup can place.
 */
#include "kiosk_script.h"
#include "vp_core.h"
#include <string.h>

#define DOT " \xC2\xB7 "

static void add(struct ks_texts *t, const char *s)
{
    for (int i = 0; i < t->n; i++)
        if (vp_str_eq(t->text[i], s))
            return;
    if (t->n < KS_MAX_TEXTS)
        vp_strlcpy(t->text[t->n++], s, sizeof(t->text[0]));
}

/* Matches text against templ, where {name} matches any non-empty text;
 * fills names/values (at most 4). */
static bool match(const char *templ, const char *text, char names[4][32], char values[4][256],
                  int *n)
{
    const char *open;
    if (!*templ)
        return !*text;
    if (*templ != '{')
        return *templ == *text && match(templ + 1, text + 1, names, values, n);
    open = strchr(templ, '}');
    if (!open || *n >= 4)
        return false;
    for (size_t len = 1; len <= strlen(text); len++) {
        int k = *n;
        vp_strlcpy(names[k], templ + 1,
                   (size_t)(open - templ) < sizeof(names[k]) ? (size_t)(open - templ)
                                                             : sizeof(names[k]));
        vp_strlcpy(values[k], text, len + 1 < sizeof(values[k]) ? len + 1 : sizeof(values[k]));
        (*n)++;
        if (match(open + 1, text + len, names, values, n))
            return true;
        *n = k;
    }
    return false;
}

void ks_fill(struct vp_buf *out, const char *templ, char names[][32], char values[][256], int n)
{
    const char *p = templ;
    while (*p) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        bool done = false;
        for (int i = 0; close && i < n; i++)
            if (strlen(names[i]) == (size_t)(close - p - 1) &&
                strncmp(p + 1, names[i], (size_t)(close - p - 1)) == 0) {
                vp_buf_adds(out, values[i]);
                p = close + 1;
                done = true;
                break;
            }
        if (!done)
            vp_buf_addch(out, *p++);
    }
}

/* The key for the same count in the other language: KEY.one / KEY.other
 * chosen again by n. */
static const char *counted_key(const char *key, char names[4][32], char values[4][256], int n,
                               char *buf, size_t size)
{
    size_t len = strlen(key);
    int64_t count;
    const char *base_end = NULL;
    if (len > 4 && vp_str_eq(key + len - 4, ".one"))
        base_end = key + len - 4;
    else if (len > 6 && vp_str_eq(key + len - 6, ".other"))
        base_end = key + len - 6;
    if (!base_end)
        return key;
    for (int i = 0; i < n; i++)
        if (vp_str_eq(names[i], "n") && vp_parse_i64(values[i], 0, 1000000000, &count)) {
            vp_snprintf(buf, size, "%.*s.%s", (int)(base_end - key), key,
                        count == 1 ? "one" : "other");
            return buf;
        }
    return key;
}

static void from_table(enum vp_lang from, enum vp_lang to, const char *text, struct ks_texts *t)
{
    int count = vp_i18n_count(from);
    for (int i = 0; i < count; i++) {
        const char *key = vp_i18n_key_at(from, i);
        if (vp_str_eq(vp_tr_in(from, key), text))
            add(t, vp_tr_in(to, key));
    }
    if (t->n > 0)
        return;
    /* the template that explains the text with the least filled in:
     * "3 jaar, 1 mnd" is "{y} jaar, {m} mnd", not "{m} mnd" */
    {
        size_t best = (size_t)-1;
        struct vp_buf pick = VP_BUF_INIT;
        for (int i = 0; i < count; i++) {
            const char *key = vp_i18n_key_at(from, i), *templ = vp_tr_in(from, key);
            char names[4][32], values[4][256], buf[160];
            size_t filled = 0;
            int n = 0;
            if (!strchr(templ, '{') || !match(templ, text, names, values, &n))
                continue;
            for (int k = 0; k < n; k++)
                filled += strlen(values[k]);
            if (filled >= best)
                continue;
            best = filled;
            vp_buf_reset(&pick);
            ks_fill(&pick, vp_tr_in(to, counted_key(key, names, values, n, buf, sizeof(buf))),
                    names, values, n);
        }
        if (pick.len)
            add(t, pick.data);
        vp_buf_release(&pick);
    }
}

static void from_catalog(const struct vp_catalog *cat, enum vp_lang from, enum vp_lang to,
                         const char *text, struct ks_texts *t)
{
    for (size_t d = 0; d < cat->ndomains; d++) {
        const struct vp_domain *dom = &cat->domains[d];
        if (vp_str_eq(dom->label[from], text))
            add(t, dom->label[to]);
        for (size_t s = 0; s < dom->nsignals; s++)
            if (vp_str_eq(dom->signals[s].label[from], text))
                add(t, dom->signals[s].label[to]);
    }
}

static void one(const struct vp_catalog *cat, enum vp_lang from, enum vp_lang to, const char *text,
                struct ks_texts *t)
{
    from_table(from, to, text, t);
    from_catalog(cat, from, to, text, t);
}

void ks_translate(const struct vp_catalog *cat, enum vp_lang from, enum vp_lang to,
                  const char *text, struct ks_texts *t)
{
    static const char tick[] = " \xE2\x9C\x93"; /* a chosen chip: "… ✓" */
    size_t len = strlen(text);
    if (from != to && len > strlen(tick) && vp_str_eq(text + len - strlen(tick), tick)) {
        char base[1024];
        vp_strlcpy(base, text,
                   len - strlen(tick) + 1 < sizeof(base) ? len - strlen(tick) + 1 : sizeof(base));
        ks_translate(cat, from, to, base, t);
        for (int i = 0; i < t->n; i++)
            vp_strlcpy(t->text[i] + strlen(t->text[i]), tick,
                       sizeof(t->text[i]) - strlen(t->text[i]));
        return;
    }
    memset(t, 0, sizeof(*t));
    if (from != to)
        one(cat, from, to, text, t);
    if (from != to && t->n == 0 && strstr(text, DOT)) { /* "Dolfijn · Kinderen" */
        struct vp_buf b = VP_BUF_INIT;
        const char *p = text;
        while (p) {
            const char *e = strstr(p, DOT);
            char part[512];
            struct ks_texts pt;
            size_t plen = e ? (size_t)(e - p) : strlen(p);
            vp_strlcpy(part, p, plen + 1 < sizeof(part) ? plen + 1 : sizeof(part));
            memset(&pt, 0, sizeof(pt));
            one(cat, from, to, part, &pt);
            if (b.len)
                vp_buf_adds(&b, DOT);
            vp_buf_adds(&b, pt.n ? pt.text[0] : part);
            p = e ? e + strlen(DOT) : NULL;
        }
        add(t, b.data);
        vp_buf_release(&b);
    }
    if (t->n == 0)
        add(t, text);
}

bool ks_key_text(const char *spec, char *const *args, int nargs, struct ks_texts *t)
{
    char names[4][32], values[4][256], key[160];
    const char *templ;
    struct vp_buf b = VP_BUF_INIT;
    int n = 0;
    memset(t, 0, sizeof(*t));
    vp_strlcpy(key, spec, sizeof(key));
    templ = vp_tr(key);
    if (templ == NULL || vp_str_eq(templ, key)) {
        vp_snprintf(key, sizeof(key), "kiosk.%s", spec);
        templ = vp_tr(key);
        if (vp_str_eq(templ, key))
            return false;
    }
    for (int i = 0; i < nargs && n < 4; i++) {
        const char *eq = strchr(args[i], '=');
        if (!eq)
            continue;
        vp_strlcpy(names[n], args[i],
                   (size_t)(eq - args[i]) + 1 < sizeof(names[n]) ? (size_t)(eq - args[i]) + 1
                                                                 : sizeof(names[n]));
        vp_strlcpy(values[n], eq + 1, sizeof(values[n]));
        n++;
    }
    ks_fill(&b, templ, names, values, n);
    add(t, b.data);
    vp_buf_release(&b);
    return true;
}
