/*
 * cstore_signal.h - THE definition of "a signal" at the centre, and of every
 * count built on it (internal to the SQLite backend; docs/console.md says
 * the same for people).
 *
 * A signal is one thing with versions. Its identity is its first record's
 * id (signal_id). Every version a tablet sent is a row of observations with
 * that signal_id; the signals table has one row per live signal, naming its
 * latest version (latest_id: the tip of the corrects chain, else the newest
 * received). Every coach view reads a signal as that latest version, once:
 * FROM CST_SIGNAL_FROM. An undone signal has no row in signals and no
 * content (its versions and marks are deleted); signal_undone keeps its id
 * so that a late version stays deleted, and records keep each version's id
 * and hash so that delivery stays exactly-once.
 *
 * Times of a signal: observed at = the first version's tablet time
 * (first_device_time); received at = when the centre first stored any
 * version (first_received_at); updated at = when the latest version came
 * (received_at, shown only when there are several versions: "aangepast").
 * The period filters and week buckets use the received-at time.
 *
 * Counts (each is COUNT over signals rows, never over observations):
 * - signals of a location, a child, a week: one per live signal;
 * - a child's highest level: of the latest versions;
 * - a child's first and last signal: the first and last received-at time
 *   of its live signals (null when none is left);
 * - signals per domain (Overzicht's stacked bars): a signal with codes in
 *   two domains counts once in each domain; the page says so. Every other
 *   number counts signals.
 */
#ifndef CSTORE_SIGNAL_H
#define CSTORE_SIGNAL_H
#include "cstore_int.h"

/* ---- the definition, for SQL ---- */

/* A live signal (sg) as its latest version (o), with the staff member who
 * wrote that version (st). */
#define CST_SIGNAL_FROM                                                                            \
    " signals sg JOIN observations o ON o.id = sg.latest_id"                                       \
    " LEFT JOIN staff st ON st.staff_id = o.staff_id"
/* The columns cst_signal_json() reads, in this order. */
#define CST_SIGNAL_COLS                                                                            \
    " sg.signal_id, sg.latest_id, sg.child_id, sg.location_id, o.signals, o.level,"                \
    " o.frequency, o.situation, o.note, o.parents_informed, o.consultation,"                       \
    " sg.first_device_time, sg.first_received_at, sg.received_at, sg.versions,"                    \
    " COALESCE(st.display_name, ''), COALESCE(o.corrects, '')"
#define CST_SIGNAL_NCOLS 17
/* The versions of signal P in observations A: its first version by its id,
 * the later ones (which all correct something) by the partial index
 * observations_signal, so that a new signal costs no index entry. */
#define CST_VERSIONS_OF(a, p)                                                                      \
    " ((" a ".id = " p " AND " a ".signal_id = " p ") OR (" a ".signal_id = " p " AND " a          \
    ".corrects IS NOT NULL))"
/* "id IN (...)": every version of the live signals sg for which COND holds
 * (every observations row belongs to a live signal). */
#define CST_VERSIONS_WHERE(cond)                                                                   \
    " id IN (SELECT o.id FROM signals sg JOIN observations o ON" CST_VERSIONS_OF(                  \
        "o", "sg.signal_id") " WHERE " cond ")"
/* A signal with a code of domain P (a parameter or column: "TAAL"). */
#define CST_SIGNAL_IN_DOMAIN(p) " ((',' || o.signals) LIKE '%,' || " p " || '-%')"

/* Per child (col names the child id column), over its live signals. */
#define CST_CHILD_SIGNALS(col) " (SELECT COUNT(*) FROM signals cs WHERE cs.child_id = " col ")"
#define CST_CHILD_MAX_LEVEL(col)                                                                   \
    " (SELECT MAX(co.level) FROM signals cs JOIN observations co ON co.id = cs.latest_id"          \
    " WHERE cs.child_id = " col ")"
#define CST_CHILD_FIRST_SIGNAL(col)                                                                \
    " (SELECT MIN(cs.first_received_at) FROM signals cs WHERE cs.child_id = " col ")"
#define CST_CHILD_LAST_SIGNAL(col)                                                                 \
    " (SELECT MAX(cs.first_received_at) FROM signals cs WHERE cs.child_id = " col ")"
/* Per location. */
#define CST_LOCATION_SIGNALS(col)                                                                  \
    " (SELECT COUNT(*) FROM signals cs WHERE cs.location_id = " col ")"

/* ---- reading ---- */

struct cst_notes;

/* The signal's JSON from the CST_SIGNAL_COLS starting at col: "id" (the
 * signal), "version_id" (its latest version), "child_id", "location_id",
 * "signals", "level", "frequency", "situation", "note" (as a coach may read
 * it: cst_notes_render()), "parents_informed", "consultation",
 * "device_time", "received_at", "updated_at" (null unless amended),
 * "versions", "amended", "staff", "corrects" (the latest version's) and
 * "retracted" (always false: an undone signal is gone). */
json_t *cst_signal_json(sqlite3_stmt *s, int col, struct cst_notes *notes);
/* The versions before the latest, oldest first: [{"version_id","signals",
 * "level","frequency","situation","note","parents_informed",
 * "consultation","staff","device_time","received_at"}]. */
json_t *cst_signal_earlier(struct cconn *c, const char *signal_id, const char *latest_id,
                           struct cst_notes *notes);

/* The signal of id, which may name the signal or any of its versions;
 * VP_ERR_NOT_FOUND if there is no such live signal. loc and child may be NULL. */
vp_result cst_signal_find(struct cconn *c, const char *id, char sig[VP_UUID_LEN],
                          char loc[VP_UUID_LEN], char child[VP_UUID_LEN]);
/* The coach's marks, on the signal, with the latest version's level and
 * codes (a later version that raises either lifts them). reason NULL
 * removes the archive mark. Inside the caller's transaction. */
vp_result cst_signal_mark_seen(struct cconn *c, const char *sig, const char *coach_id,
                               int64_t now_ms);
vp_result cst_signal_mark_archived(struct cconn *c, const char *sig, const char *coach_id,
                                   const char *reason, int64_t now_ms);

/* ---- pushing (inside cstore_push()'s transaction) ---- */

enum cst_signal_fate {
    CST_SIGNAL_KEEP,   /* store the version */
    CST_SIGNAL_UNDONE, /* the signal is undone: store nothing but the record id */
};

/* The signal a pushed observation belongs to: its own id without corrects;
 * else the signal of the corrected record when the centre stored it, else
 * the tablet's signal_id (wire_sig, may be NULL or ""), else the corrected
 * id. *fate says whether the signal was undone before. VP_ERR_INVALID (with
 * why) if the corrected record belongs to another child. */
vp_result cst_signal_resolve(struct cconn *c, const struct vp_observation *o, const char *wire_sig,
                             char sig[VP_UUID_LEN], enum cst_signal_fate *fate, const char **why);
/* Files a version already inserted into observations under sig: the
 * signal's row (new, or versions + 1 and a new latest) and the marks it
 * lifts (audited as "unarchive" when an archive mark goes). */
vp_result cst_signal_add_version(struct cconn *c, const char *sig, const char *loc,
                                 const struct vp_observation *o, int64_t now_ms);
/* Undoes the signal: deletes every version's content and the marks, keeps a
 * tombstone, and drops the child's case if only undone signals opened it
 * and nobody worked on it. */
vp_result cst_signal_undo(struct cconn *c, const char *sig, const char *loc, const char *child_id,
                          int64_t now_ms);

/* ---- names in notes (cstore_note.c) ---- */

/* One child of a location as the note rule needs it. */
struct cst_note_child {
    char child_id[VP_UUID_LEN];
    char *first_name;
    char *code; /* pseudonym */
    bool named; /* consent for a named consultation recorded */
};

/* The note as a coach may read it (malloc'ed): each {child:UUID} token
 * becomes that child's code, or her first name when she is named; a token
 * of a child not in kids becomes "[…]". Then, for every child in kids who
 * is not named, each whole-word, case-sensitive occurrence of her first
 * name becomes her code (longest name first; a letter or digit of any
 * script next to it means it is part of another word). One pass: nothing
 * written is looked at again. */
char *cst_note_render(const char *note, const struct cst_note_child *kids, size_t n);
/* Whether a code point is part of a word (letters and digits of any script;
 * not spaces, punctuation, symbols or emoji). */
bool cst_note_word_char(uint32_t cp);

/* A cache of the children of the locations a view touches. */
struct cst_notes *cst_notes_new(struct cconn *c);
void cst_notes_free(struct cst_notes *n);
/* cst_note_render() with the children of location_id (malloc'ed). */
char *cst_notes_render(struct cst_notes *n, const char *location_id, const char *note);

#endif
