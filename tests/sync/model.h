/*
 * model.h - the reference model of the model-based test (test_model.c):
 * what a pm'er did to the signals of one tablet, written from
 * docs/sync.md's rules as a person sees them, not from the product's code.
 *
 * A person saves a signal, changes it (extras, level, codes, note) and may
 * undo it. Whatever the network, the kiosk or the centre went through, the
 * truth afterwards is simply: every signal she saved and did not undo
 * exists once, with the content she gave it last; every signal she undid
 * exists nowhere. The model keeps exactly that, and nothing about records,
 * versions or sync states.
 */
#ifndef MODEL_H
#define MODEL_H
#include <stdbool.h>
#include <stdint.h>

#define MODEL_MAX_SIGNALS 256
#define MODEL_MAX_CODES   4
#define MODEL_CODE_LEN    16
#define MODEL_NOTE_LEN    400

struct model_signal {
    char id[40]; /* the signal's identity, as the tablet named it at saving */
    int child;   /* index of the child */
    int level;   /* 1-3 */
    char codes[MODEL_MAX_CODES][MODEL_CODE_LEN];
    int ncodes;
    int frequency;             /* enum vp_frequency */
    int situation;             /* enum vp_situation */
    char note[MODEL_NOTE_LEN]; /* as the person typed it */
    bool undone;
};

struct model {
    struct model_signal sig[MODEL_MAX_SIGNALS];
    int n;
};

/* A new live signal; returns it (NULL when the model is full). */
struct model_signal *model_save(struct model *m, const char *id, int child, int level,
                                const char *const *codes, int ncodes);
/* The signal with this identity (undone ones too), or NULL. */
struct model_signal *model_find(struct model *m, const char *id);
/* A live signal picked by k (k modulo the number of live ones), or NULL. */
struct model_signal *model_live(struct model *m, unsigned k);
int model_live_count(const struct model *m, int child); /* child -1: all */
/* True if code is one of the signal's codes. */
bool model_has_code(const struct model_signal *s, const char *code);

#endif
