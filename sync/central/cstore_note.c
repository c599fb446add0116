/*
 * cstore_note.c - names stay out of notes: the one function that renders a
 * tablet's note for a coach (cstore_signal.h), used by every coach-facing
 * view, export and dossier. The tablet turns names into {child:UUID} tokens
 * when a note is stored; this is the centre's second line for names that
 * got through (older tablets, names typed in another form).
 */
#include "cstore_signal.h"
#include "vp_alloc.h"
#include "vp_buf.h"
#include "vp_str.h"
#include <stdlib.h>
#include <string.h>

#define TOKEN_OPEN    "{child:"
#define TOKEN_LEN     (7 + 36 + 1)     /* "{child:" uuid "}" */
#define UNKNOWN_CHILD "[\xE2\x80\xA6]" /* "[…]" */

bool cst_note_word_char(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    if (cp <= 0xBF) /* Latin-1 punctuation and symbols; ª µ º are letters */
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp == 0xD7 || cp == 0xF7) /* × ÷ */
        return false;
    if ((cp >= 0x2000 && cp <= 0x2BFF) || /* punctuation, symbols, arrows, dingbats */
        (cp >= 0x2E00 && cp <= 0x2E7F) || /* supplemental punctuation */
        (cp >= 0x3000 && cp <= 0x303F) || /* CJK punctuation */
        (cp >= 0xD800 && cp <= 0xF8FF) || /* surrogates, private use */
        (cp >= 0xFE00 && cp <= 0xFE0F) || /* variation selectors (emoji) */
        (cp >= 0xFE30 && cp <= 0xFE4F) || /* CJK compatibility forms */
        (cp >= 0xFF00 && cp <= 0xFF0F) || /* fullwidth punctuation */
        (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
        (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0xFFF0 && cp <= 0xFFFF) ||
        (cp >= 0x1F000 && cp <= 0x1FAFF) || /* emoji, pictographs */
        (cp >= 0xE0000))                    /* tags, private use planes */
        return false;
    return true;
}

/* The code point at p (at most n bytes); *len its length. An invalid byte
 * reads as one non-word code point. */
static uint32_t decode(const unsigned char *p, size_t n, size_t *len)
{
    uint32_t cp;
    size_t k;
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    k = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 0;
    if (!k || k > n) {
        *len = 1;
        return 0xFFFF;
    }
    cp = p[0] & (0x7F >> k);
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *len = 1;
            return 0xFFFF;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *len = k;
    return cp;
}

/* Whether the code point ending just before text + at is part of a word. */
static bool word_before(const char *text, size_t at)
{
    size_t start, len;
    if (!at)
        return false;
    start = at - 1;
    while (start > 0 && at - start < 4 && ((unsigned char)text[start] & 0xC0) == 0x80)
        start--;
    return cst_note_word_char(decode((const unsigned char *)text + start, at - start, &len));
}

static bool word_at(const char *text, size_t at, size_t n)
{
    size_t len;
    if (at >= n)
        return false;
    return cst_note_word_char(decode((const unsigned char *)text + at, n - at, &len));
}

static const struct cst_note_child *find_child(const struct cst_note_child *kids, size_t n,
                                               const char *id, size_t idlen)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(kids[i].child_id) == idlen && !memcmp(kids[i].child_id, id, idlen))
            return &kids[i];
    return NULL;
}

static bool lower_uuid(const char *p)
{
    for (int i = 0; i < 36; i++) {
        char ch = p[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? ch != '-' : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return false;
    }
    return true;
}

/* A {child:UUID} token at p: its replacement, or NULL if p is no token. */
static const char *token_at(const char *p, size_t left, const struct cst_note_child *kids, size_t n)
{
    const struct cst_note_child *k;
    if (left < TOKEN_LEN || memcmp(p, TOKEN_OPEN, 7) != 0 || p[TOKEN_LEN - 1] != '}' ||
        !lower_uuid(p + 7))
        return NULL;
    k = find_child(kids, n, p + 7, 36);
    if (!k)
        return UNKNOWN_CHILD;
    return k->named ? k->first_name : k->code;
}

/* The longest unnamed child's first name that starts a whole word at at. */
static const struct cst_note_child *name_at(const char *text, size_t at, size_t n,
                                            const struct cst_note_child *kids, size_t nk)
{
    const struct cst_note_child *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < nk; i++) {
        const char *name = kids[i].first_name;
        size_t len = strlen(name);
        if (kids[i].named || !len || len <= best_len || len > n - at || name[0] != text[at] ||
            memcmp(text + at, name, len) != 0 || word_at(text, at + len, n))
            continue;
        best = &kids[i];
        best_len = len;
    }
    return best;
}

char *cst_note_render(const char *note, const struct cst_note_child *kids, size_t nk)
{
    struct vp_buf out = VP_BUF_INIT;
    size_t n = strlen(note), i = 0;
    vp_buf_grow(&out, n + 1);
    while (i < n) {
        const char *tok = note[i] == '{' ? token_at(note + i, n - i, kids, nk) : NULL;
        const struct cst_note_child *k;
        if (tok) {
            vp_buf_adds(&out, tok);
            i += TOKEN_LEN;
        } else if (!word_before(note, i) && (k = name_at(note, i, n, kids, nk)) != NULL) {
            vp_buf_adds(&out, k->code);
            i += strlen(k->first_name);
        } else {
            vp_buf_addch(&out, note[i++]);
        }
    }
    return vp_buf_detach(&out, NULL);
}

/* ---- the cache of a view's locations ---- */

struct loc_kids {
    char loc[VP_UUID_LEN];
    struct cst_note_child *kids;
    size_t n;
};

struct cst_notes {
    struct cconn *c;
    struct loc_kids *locs;
    size_t nlocs;
};

static const char SQL_NOTE_KIDS[] =
    "SELECT c.child_id, c.first_name, c.pseudonym, COALESCE(k.consent, 'unknown') = 'given'"
    " FROM children c LEFT JOIN cases k ON k.child_id = c.child_id WHERE c.location_id = ?1";

struct cst_notes *cst_notes_new(struct cconn *c)
{
    struct cst_notes *n = vp_xcalloc(1, sizeof(*n));
    n->c = c;
    return n;
}

void cst_notes_free(struct cst_notes *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nlocs; i++) {
        for (size_t k = 0; k < n->locs[i].n; k++) {
            free(n->locs[i].kids[k].first_name);
            free(n->locs[i].kids[k].code);
        }
        free(n->locs[i].kids);
    }
    free(n->locs);
    free(n);
}

static struct loc_kids *load(struct cst_notes *n, const char *loc)
{
    struct loc_kids *l;
    sqlite3_stmt *s;
    size_t cap = 0;
    for (size_t i = 0; i < n->nlocs; i++)
        if (!strcmp(n->locs[i].loc, loc))
            return &n->locs[i];
    n->locs = vp_xrealloc(n->locs, (n->nlocs + 1) * sizeof(*n->locs));
    l = &n->locs[n->nlocs++];
    memset(l, 0, sizeof(*l));
    vp_strlcpy(l->loc, loc, sizeof(l->loc));
    s = cst_prep(n->c, SQL_NOTE_KIDS);
    cst_bind_text(s, 1, loc);
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct cst_note_child *k;
        if (l->n == cap) {
            cap = cap ? cap * 2 : 32;
            l->kids = vp_xrealloc(l->kids, cap * sizeof(*l->kids));
        }
        k = &l->kids[l->n++];
        vp_strlcpy(k->child_id, cst_col(s, 0), sizeof(k->child_id));
        k->first_name = vp_xstrdup(cst_col(s, 1));
        k->code = vp_xstrdup(cst_col(s, 2));
        k->named = cst_col_int(s, 3) != 0;
    }
    sqlite3_reset(s);
    return l;
}

char *cst_notes_render(struct cst_notes *n, const char *location_id, const char *note)
{
    struct loc_kids *l;
    if (!*note)
        return vp_xstrdup("");
    l = load(n, location_id);
    return cst_note_render(note, l->kids, l->n);
}
