/* model.c - the reference model (model.h). Deliberately tiny. */
#include "model.h"
#include <stdio.h>
#include <string.h>

struct model_signal *model_save(struct model *m, const char *id, int child, int level,
                                const char *const *codes, int ncodes)
{
    struct model_signal *s;
    if (m->n == MODEL_MAX_SIGNALS)
        return NULL;
    s = &m->sig[m->n++];
    memset(s, 0, sizeof(*s));
    snprintf(s->id, sizeof(s->id), "%s", id);
    s->child = child;
    s->level = level;
    for (int i = 0; i < ncodes && i < MODEL_MAX_CODES; i++)
        snprintf(s->codes[s->ncodes++], MODEL_CODE_LEN, "%s", codes[i]);
    return s;
}

struct model_signal *model_find(struct model *m, const char *id)
{
    for (int i = 0; i < m->n; i++)
        if (!strcmp(m->sig[i].id, id))
            return &m->sig[i];
    return NULL;
}

struct model_signal *model_live(struct model *m, unsigned k)
{
    int live = model_live_count(m, -1), seen = 0;
    if (live == 0)
        return NULL;
    k %= (unsigned)live;
    for (int i = 0; i < m->n; i++)
        if (!m->sig[i].undone && (unsigned)seen++ == k)
            return &m->sig[i];
    return NULL;
}

int model_live_count(const struct model *m, int child)
{
    int n = 0;
    for (int i = 0; i < m->n; i++)
        if (!m->sig[i].undone && (child < 0 || m->sig[i].child == child))
            n++;
    return n;
}

bool model_has_code(const struct model_signal *s, const char *code)
{
    for (int i = 0; i < s->ncodes; i++)
        if (!strcmp(s->codes[i], code))
            return true;
    return false;
}
