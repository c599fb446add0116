/*
 * devstore_note.c - names stay out of notes. When a note is stored, each
 * whole-word, case-sensitive match of the first name of a child of this
 * location becomes the token {child:UUID} (vp_wire.h); the tablet shows a
 * token as the child's first name again. Staff names are only reported, so
 * the screen can warn gently.
 */
#include "devstore_int.h"
#include <stdlib.h>
#include <string.h>

/* Decodes the code point at p (valid UTF-8); *len gets its byte length. */
static uint32_t code_point(const char *p, size_t *len)
{
    const unsigned char *u = (const unsigned char *)p;
    if (u[0] < 0x80) {
        *len = 1;
        return u[0];
    }
    if (u[0] < 0xE0) {
        *len = 2;
        return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    }
    if (u[0] < 0xF0) {
        *len = 3;
        return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    }
    *len = 4;
    return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
           ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
}

/* Part of a word: letters and digits (of any script), not punctuation,
 * symbols or emoji. */
static bool word_char(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c < 0xC0 || c == 0xD7 || c == 0xF7)
        return false; /* Latin-1 punctuation and signs */
    if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) || c >= 0x1F000)
        return false; /* general punctuation, symbols, arrows, emoji */
    return true;
}

struct name {
    const char *text;
    size_t len;
    const char *child_id; /* NULL for a staff member */
};

struct names {
    struct dev_child *kids;
    size_t nkids;
    struct dev_staff *staff;
    size_t nstaff;
    char (*staff_first)[VP_TEXT_BYTES(VP_NAME_MAX_CHARS)];
    struct name *list;
    size_t n;
    const char *about_child; /* the child the note is about, or NULL */
};

/* The names of the location: children's first names, staff first names. */
static vp_result names_load(struct devstore *s, const char *about_child, struct names *nm)
{
    vp_result res;
    memset(nm, 0, sizeof(*nm));
    nm->about_child = about_child;
    res = devstore_children(s, NULL, true, &nm->kids, &nm->nkids);
    if (!res)
        res = devstore_staff(s, true, &nm->staff, &nm->nstaff);
    if (res)
        return res;
    nm->list = vp_xcalloc(nm->nkids + nm->nstaff + 1, sizeof(*nm->list));
    nm->staff_first = vp_xcalloc(nm->nstaff + 1, sizeof(*nm->staff_first));
    for (size_t i = 0; i < nm->nkids; i++) {
        struct dev_child *c = &nm->kids[i];
        nm->list[nm->n++] = (struct name){ c->first_name, strlen(c->first_name), c->id };
    }
    for (size_t i = 0; i < nm->nstaff; i++) {
        char *first = nm->staff_first[i];
        vp_strlcpy(first, nm->staff[i].display_name, sizeof(nm->staff_first[i]));
        first[strcspn(first, " ")] = '\0';
        if (*first)
            nm->list[nm->n++] = (struct name){ first, strlen(first), NULL };
    }
    return VP_OK;
}

/* Which of two names that match at the same place wins: the longer one;
 * then a child over a staff member; then the child the note is about (two
 * children of the location may share a first name). */
static bool better(const struct names *nm, const struct name *it, const struct name *best)
{
    if (!best || it->len != best->len)
        return !best || it->len > best->len;
    if (!it->child_id != !best->child_id)
        return it->child_id != NULL;
    return it->child_id && nm->about_child && vp_str_eq(it->child_id, nm->about_child);
}

static void names_release(struct names *nm)
{
    free(nm->kids);
    free(nm->staff);
    free(nm->staff_first);
    free(nm->list);
}

/* The name that starts at p as a whole word (prev_word: the character
 * before p is part of a word), or NULL. Children win over staff. */
static const struct name *match_at(const struct names *nm, const char *p, bool prev_word)
{
    const struct name *best = NULL;
    if (prev_word)
        return NULL;
    for (size_t i = 0; i < nm->n; i++) {
        const struct name *it = &nm->list[i];
        size_t len;
        if (strncmp(p, it->text, it->len) != 0)
            continue;
        if (p[it->len] && word_char(code_point(p + it->len, &len)))
            continue;
        if (better(nm, it, best))
            best = it;
    }
    return best;
}

static bool kept(const char *name, const char *const *keep, size_t nkeep)
{
    for (size_t i = 0; i < nkeep; i++)
        if (keep[i] && vp_str_eq(keep[i], name))
            return true;
    return false;
}

/* Walks typed text: lists each name found once (when list is set) and
 * writes the note to store into out (when set). */
static void walk(const struct names *nm, const char *typed, const char *const *keep, size_t nkeep,
                 struct vp_buf *out, struct dev_note_name **list, size_t *n)
{
    const char *p = typed;
    bool prev_word = false;
    while (*p) {
        size_t len;
        uint32_t c;
        const struct name *m = match_at(nm, p, prev_word);
        if (m) {
            bool seen = false;
            for (size_t i = 0; list && i < *n; i++)
                seen = seen || vp_str_eq((*list)[i].name, m->text);
            if (list && !seen) {
                *list = vp_xrealloc(*list, (*n + 1) * sizeof(**list));
                memset(&(*list)[*n], 0, sizeof(**list));
                vp_strlcpy((*list)[*n].name, m->text, sizeof((*list)[*n].name));
                if (m->child_id)
                    vp_strlcpy((*list)[*n].child_id, m->child_id, VP_UUID_LEN);
                (*n)++;
            }
            if (out && m->child_id && !kept(m->text, keep, nkeep))
                vp_buf_addf(out, "{child:%s}", m->child_id);
            else if (out)
                vp_buf_add(out, p, m->len);
            p += m->len;
            prev_word = true;
            continue;
        }
        c = code_point(p, &len);
        if (out)
            vp_buf_add(out, c == '{' ? "(" : c == '}' ? ")" : p, len);
        prev_word = word_char(c);
        p += len;
    }
}

vp_result devstore_note_names(struct devstore *s, const char *typed, const char *about_child,
                              struct dev_note_name **out, size_t *n)
{
    struct names nm;
    vp_result res;
    *out = NULL;
    *n = 0;
    if (!vp_utf8_valid_text(typed, strlen(typed)))
        return VP_ERR_INVALID;
    res = names_load(s, about_child, &nm);
    if (!res)
        walk(&nm, typed, NULL, 0, NULL, out, n);
    names_release(&nm);
    return res;
}

vp_result devstore_note_encode(struct devstore *s, const char *typed, const char *about_child,
                               const char *const *keep, size_t nkeep, char *out, size_t size)
{
    struct names nm;
    struct vp_buf b = VP_BUF_INIT;
    vp_result res;
    if (!vp_utf8_valid_text(typed, strlen(typed)) || vp_utf8_length(typed) > VP_NOTE_MAX_CHARS)
        return VP_ERR_INVALID;
    res = names_load(s, about_child, &nm);
    if (!res) {
        walk(&nm, typed, keep, nkeep, &b, NULL, NULL);
        if (!vp_note_valid(b.data, NULL) || b.len >= size)
            res = VP_ERR_INVALID; /* more than 16 names */
        else
            vp_strlcpy(out, b.data, size);
    }
    vp_buf_release(&b);
    names_release(&nm);
    return res;
}

static void first_name(void *ctx, const char *child_id, struct vp_buf *out)
{
    struct devstore *s = ctx;
    struct dev_child c;
    if (devstore_child_get(s, child_id, &c) == VP_OK)
        vp_buf_adds(out, c.first_name);
    else
        vp_buf_adds(out, "\xE2\x80\xA6"); /* an erased child: … */
}

void devstore_note_decode(struct devstore *s, const char *note, char *out, size_t size)
{
    struct vp_buf b = VP_BUF_INIT;
    vp_note_render(note, first_name, s, &b);
    vp_strlcpy(out, b.data, size);
    vp_buf_release(&b);
}
