#include "vp_i18n.h"
#include "vp_alloc.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const unsigned char vp_asset_i18n_nl[];
extern const size_t vp_asset_i18n_nl_len;
extern const unsigned char vp_asset_i18n_en[];
extern const size_t vp_asset_i18n_en_len;

struct entry {
    const char *key;
    const char *value;
};

struct table {
    struct entry *entries;
    int count;
};

static struct table tables[2];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int current_lang = VP_LANG_NL;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* Parses the embedded file once; the table lives as long as the process. */
static void parse(struct table *t, const unsigned char *data, size_t len)
{
    char *text = vp_xstrndup((const char *)data, len);
    int cap = 64;
    char *line = text;
    t->entries = vp_xmalloc(sizeof(struct entry) * (size_t)cap);
    t->count = 0;
    while (line && *line) {
        char *next = strchr(line, '\n');
        char *eq;
        if (next)
            *next++ = '\0';
        line = trim(line);
        eq = strchr(line, '=');
        if (*line && *line != '#' && eq) {
            *eq = '\0';
            if (t->count == cap) {
                cap *= 2;
                t->entries = vp_xrealloc(t->entries, sizeof(struct entry) * (size_t)cap);
            }
            t->entries[t->count].key = trim(line);
            /* "\n" in a value is a line break */
            char *v = trim(eq + 1), *r = v, *w = v;
            while (*r) {
                if (r[0] == '\\' && r[1] == 'n') {
                    *w++ = '\n';
                    r += 2;
                } else {
                    *w++ = *r++;
                }
            }
            *w = '\0';
            t->entries[t->count].value = v;
            t->count++;
        }
        line = next;
    }
    qsort(t->entries, (size_t)t->count, sizeof(struct entry), cmp_entry);
}

static void load(void)
{
    parse(&tables[VP_LANG_NL], vp_asset_i18n_nl, vp_asset_i18n_nl_len);
    parse(&tables[VP_LANG_EN], vp_asset_i18n_en, vp_asset_i18n_en_len);
}

void vp_i18n_set_lang(enum vp_lang lang)
{
    atomic_store(&current_lang, (int)lang);
}

enum vp_lang vp_i18n_lang(void)
{
    return (enum vp_lang)atomic_load(&current_lang);
}

bool vp_i18n_parse_lang(const char *code, enum vp_lang *out)
{
    if (code && !strcasecmp(code, "nl")) {
        *out = VP_LANG_NL;
        return true;
    }
    if (code && !strcasecmp(code, "en")) {
        *out = VP_LANG_EN;
        return true;
    }
    return false;
}

const char *vp_i18n_code(enum vp_lang lang)
{
    return lang == VP_LANG_EN ? "en" : "nl";
}

static const char *lookup(enum vp_lang lang, const char *key)
{
    struct entry probe = { key, NULL }, *hit;
    pthread_once(&once, load);
    hit = bsearch(&probe, tables[lang].entries, (size_t)tables[lang].count, sizeof(struct entry),
                  cmp_entry);
    return hit ? hit->value : NULL;
}

const char *vp_tr_in(enum vp_lang lang, const char *key)
{
    const char *v = lookup(lang, key);
    if (!v && lang != VP_LANG_NL)
        v = lookup(VP_LANG_NL, key);
    return v ? v : key;
}

const char *vp_tr(const char *key)
{
    return vp_tr_in(vp_i18n_lang(), key);
}

const char *vp_tr_n(const char *key, long n)
{
    char full[128];
    snprintf(full, sizeof(full), "%s.%s", key, n == 1 ? "one" : "other");
    /* full is a stack copy; the returned value points into the table */
    const char *v = lookup(vp_i18n_lang(), full);
    if (!v)
        v = lookup(VP_LANG_NL, full);
    return v ? v : key;
}

static void fill(struct vp_buf *out, const char *templ, va_list ap)
{
    const char *names[16], *values[16];
    int n = 0;
    const char *name;
    while (n < 16 && (name = va_arg(ap, const char *)) != NULL) {
        names[n] = name;
        values[n] = va_arg(ap, const char *);
        n++;
    }
    for (const char *p = templ; *p;) {
        const char *close;
        if (*p == '{' && (close = strchr(p, '}')) != NULL) {
            size_t len = (size_t)(close - p - 1);
            int i;
            for (i = 0; i < n; i++)
                if (strlen(names[i]) == len && !strncmp(names[i], p + 1, len))
                    break;
            if (i < n) {
                vp_buf_adds(out, values[i] ? values[i] : "");
                p = close + 1;
                continue;
            }
        }
        vp_buf_addch(out, *p++);
    }
}

void vp_tr_fmt(struct vp_buf *out, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    fill(out, vp_tr(key), ap);
    va_end(ap);
}

void vp_tr_fill(struct vp_buf *out, const char *templ, ...)
{
    va_list ap;
    va_start(ap, templ);
    fill(out, templ, ap);
    va_end(ap);
}

int vp_i18n_count(enum vp_lang lang)
{
    pthread_once(&once, load);
    return tables[lang].count;
}

const char *vp_i18n_key_at(enum vp_lang lang, int i)
{
    pthread_once(&once, load);
    return i >= 0 && i < tables[lang].count ? tables[lang].entries[i].key : NULL;
}
