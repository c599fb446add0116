/*
 * cstore_console.h - what the coach's console needs from the store beyond
 * cstore.h: the inbox (signals with the reporting staff member's display
 * name, seen per coach, archived with a reason), aggregated overview
 * metrics, filtered CSV exports, the per-child dossier export for a
 * parent's inzage, and the admin pages (locations, enrolment codes, devices,
 * coach accounts, audit log).
 *
 * Same backend conventions as cstore.h (cstore_int.h): results are VP_OK or
 * a vp_result; every coach-facing function checks the coach's locations and
 * names a child only through cst_child_view() (the consent rule). JSON
 * results are new references the caller releases with json_decref().
 *
 * Every signal here is a signal as cstore_signal.h defines it: shown once,
 * as its latest version; an undone signal nowhere. "id" is the signal's id
 * (its first record's); seen and archive marks are on the signal and cascade
 * away with it (undo, erasure). Notes are rendered by the note rule (no
 * first name of a child without consent). Tables: migrations 2 and 3.
 *
 * Admin: a coach is an admin when listed in console_admins; while that list
 * is empty, the oldest coach account is the admin (so `demo`'s coach is).
 */
#ifndef CSTORE_CONSOLE_H
#define CSTORE_CONSOLE_H
#include "cstore.h"

#define CCON_INBOX_MAX 1000 /* signals in one inbox answer */

enum ccon_view {
    CCON_VIEW_NEW,     /* not yet seen by this coach, not archived; any age */
    CCON_VIEW_ALL,     /* everything not archived */
    CCON_VIEW_ARCHIVED /* archived ("geen vervolg nodig") */
};

enum ccon_order {
    CCON_ORDER_URGENCY, /* Grote zorg first, then the oldest first (triage) */
    CCON_ORDER_NEWEST   /* newest first */
};

/* The inbox filter, as on screen. Borrowed strings; NULL means "any". */
struct ccon_filter {
    const char *location_id;
    const char *domain; /* catalog domain code, e.g. "TAAL" */
    const char *status; /* case status code, or "open" (anything but closed) */
    int level;          /* 1..3, 0 = any */
    int64_t since_ms;   /* received at or after; 0 = any; ignored by CCON_VIEW_NEW */
    enum ccon_view view;
    enum ccon_order order;
    int limit; /* 1..CCON_INBOX_MAX */
};

/* The inbox: {"signals":[...],"children":{child_id: child view},
 * "locations":[{"id","name","count"}],"more":bool}. Signals come in the
 * filter's order (by the time the signal was first received); each is
 * cst_signal_json() (id, version_id, versions, amended, updated_at, codes,
 * level, extras, rendered note, staff, times) with case_status, seen and
 * archived (reason or null). "locations" counts the signals matching the
 * filter per location (all of the coach's locations, the location filter
 * ignored). VP_ERR_REFUSED if location_id is not one of hers. */
vp_result cstore_console_inbox(struct cstore *st, const char *coach_id, const struct ccon_filter *f,
                               int64_t now_ms, json_t **out);

/* The number in "Nieuw": every signal of her locations she has not seen
 * and nobody archived, of any age (the inbox's CCON_VIEW_NEW, unfiltered). */
vp_result cstore_console_new_count(struct cstore *st, const char *coach_id, int64_t *n);

/* Marks signals seen by this coach (idempotent); ids may name a signal or
 * any of its versions. Ids she may not see are VP_ERR_REFUSED (nothing
 * marked); unknown (or undone) ids VP_ERR_NOT_FOUND. */
vp_result cstore_console_mark_seen(struct cstore *st, const char *coach_id, const char *const *ids,
                                   size_t n, int64_t now_ms);

/* Archives a signal (id: the signal's or a version's) with a reason code
 * ("no_follow_up" = geen vervolg nodig, "duplicate", "other"), or restores
 * it when reason is NULL. Audited. A later version that raises the level or
 * adds codes lifts the archive mark again (audited "unarchive", by system). */
vp_result cstore_console_archive(struct cstore *st, const char *coach_id, const char *id,
                                 const char *reason, const char *ip, int64_t now_ms);

/* The child's page: cstore_dossier() (audited "view") with, per signal,
 * "seen" and "archived" added, and "route": every case status the child
 * has had (from the audit log; "advised" once advice was given), so that a
 * step the route skipped looks skipped. Amended signals carry their earlier versions
 * ("earlier", oldest first). */
vp_result cstore_console_child(struct cstore *st, const char *coach_id, const char *child_id,
                               const char *ip, int64_t now_ms, json_t **out);

/* Everything about one child for a parent's inzage: the child's page plus
 * the audit entries about the child and an export stamp. Audited
 * ("dossier_export"). */
vp_result cstore_console_dossier_export(struct cstore *st, const char *coach_id,
                                        const char *child_id, const char *ip, int64_t now_ms,
                                        json_t **out);

/* The dossier as a letter a parent can read (PDF appended to pdf), in lang:
 * what was recorded and when (by the recorder's role), where it stands,
 * what was shared with whom and on what consent (consent history from the
 * audit, consultation, referral, advice), the advice, what a parent may ask
 * (inzage, correction, erasure) and whom to contact (the organisation's
 * privacy contact, else a line to fill in). The child is named only with
 * recorded consent, else by code with a line for the name; other children
 * in notes and advice read "een ander kind". code gets the child's
 * pseudonym (for the file name). VP_ERR_REFUSED / VP_ERR_NOT_FOUND as the
 * child's scope. Audited ("dossier_export", "format=pdf lang=.."). */
vp_result cstore_console_dossier_letter(struct cstore *st, const char *coach_id,
                                        const char *child_id, enum vp_lang lang, const char *ip,
                                        int64_t now_ms, struct vp_buf *pdf,
                                        char code[VP_PSEUDONYM_LEN]);

/* Aggregated metrics over the coach's locations (or one): "signals" (the
 * signals received in the last `weeks` weeks), "by_week" (signals per
 * week), "by_location" (signals per week per location), "by_domain"
 * (signals per week per domain: a signal with codes in two domains counts
 * in both, so these add up to more than "signals"); lead times per location
 * (n, true median and mean days from the first signal to parent
 * conversation, consultation, referral, support started), open cases by
 * status, overdue next actions per location. No child is named. */
vp_result cstore_console_overview(struct cstore *st, const char *coach_id, const char *location_id,
                                  int weeks, int64_t now_ms, json_t **out);

enum ccon_export { CCON_EXPORT_SIGNALS, CCON_EXPORT_CASES };
/* CSV (header line first, CRLF) of signals or cases visible to the coach,
 * filtered as on screen (cases: location, status, period). Audited
 * ("export_signals" / "export_cases", with the filter as detail). */
vp_result cstore_console_export(struct cstore *st, const char *coach_id, enum ccon_export kind,
                                const struct ccon_filter *f, const char *ip, int64_t now_ms,
                                struct vp_buf *csv);
/* The same rows in a format (cexport.h): CEXPORT_CODES is the CSV above
 * (the machine-readable export); CEXPORT_NL_CSV and CEXPORT_XLSX are for
 * people, in lang, with the coach's Gezien and Gearchiveerd. Audited with
 * the filter and the format as detail. */
vp_result cstore_console_export_as(struct cstore *st, const char *coach_id, enum ccon_export kind,
                                   enum cexport_format fmt, enum vp_lang lang,
                                   const struct ccon_filter *f, const char *ip, int64_t now_ms,
                                   struct vp_buf *out);

/* ---- admin ----
 * Every function below checks cstore_console_is_admin() (VP_ERR_REFUSED
 * otherwise) and keeps the admin within the locations she holds, by the
 * rule of cstore_coach_scope(): she lists, creates codes for and revokes
 * devices of her locations only; grants only locations she holds; changes
 * only other coaches whose locations are all hers. Each change is one
 * transaction together with its audit entry: on any error nothing changed. */

bool cstore_console_is_admin(struct cstore *st, const char *coach_id);

/* Her locations: [{"id","name","org","devices","children","signals",
 * "open_codes","coaches","privacy_contact"}] */
vp_result cstore_console_locations(struct cstore *st, const char *coach_id, int64_t now_ms,
                                   json_t **out);
/* Adds a location (settings and catalog published to its feed) and assigns
 * it to the admin who creates it. VP_ERR_EXISTS if the org already has a
 * location of that name. Audited. */
vp_result cstore_console_location_add(struct cstore *st, const char *coach_id, const char *name,
                                      const char *org, const char *ip, int64_t now_ms,
                                      json_t **out);
/* Sets the privacy contact (who parents write to about their child's
 * data: a name, an email address or a phone number; at most 200
 * characters, "" clears it) of the organisation of one of her locations;
 * every location of that organisation shares it. VP_ERR_INVALID for text
 * that is too long, not UTF-8 or has control characters. Audited. */
vp_result cstore_console_privacy_contact_set(struct cstore *st, const char *coach_id,
                                             const char *location_id, const char *contact,
                                             const char *ip, int64_t now_ms);
/* A new enrolment code for one of her locations; the plain code is only in
 * *out ({"code","expires_at","location_id","location"}). Audited. */
vp_result cstore_console_code_new(struct cstore *st, const char *coach_id, const char *location_id,
                                  const char *ip, int64_t now_ms, json_t **out);

/* The tablets of her locations, their health, naming them and closing a
 * location for the holidays: cstore_fleet.h. */
/* Revokes a device of one of her locations (its token fails with 401 from
 * now on). Audited. */
vp_result cstore_console_device_revoke(struct cstore *st, const char *coach_id,
                                       const char *device_id, const char *ip, int64_t now_ms);

/* Herself, the coaches who share a location with her and those without
 * one: [{"id","email","name","admin","editable","locations":[{"id","name"}],
 * "last_login"}], each coach's locations as far as they are hers; editable
 * says whether she may change the account (cstore_coach_may_manage()). */
vp_result cstore_console_coaches(struct cstore *st, const char *coach_id, json_t **out);
/* Adds a coach account (password at least 8 characters) with locations she
 * holds and the admin flag. VP_ERR_EXISTS if the email is taken,
 * VP_ERR_NOT_FOUND for an unknown location, VP_ERR_REFUSED for one not
 * hers; nothing is created then. Audited. */
vp_result cstore_console_coach_add(struct cstore *st, const char *coach_id, const char *email,
                                   const char *name, const char *password,
                                   const char *const *locations, size_t nloc, bool admin,
                                   const char *ip, int64_t now_ms, json_t **out);
/* Replaces another coach's locations and admin flag: only a coach whose
 * locations are all hers (cstore_coach_may_manage(); never herself), and
 * only with locations she holds. Audited. */
vp_result cstore_console_coach_set(struct cstore *st, const char *coach_id, const char *target,
                                   const char *const *locations, size_t nloc, bool admin,
                                   const char *ip, int64_t now_ms);

/* The newest audit entries: her own and her locations', and for an admin
 * also those without a location by nobody or by a coach she may manage;
 * with coach name, location name and the child's pseudonym. Child, location
 * and detail of an entry outside her locations are left out ("").
 * action NULL = any. */
vp_result cstore_console_audit(struct cstore *st, const char *coach_id, const char *action,
                               int limit, json_t **out);

/* The newest signal catalog as stored (JSON text, malloc'ed). */
vp_result cstore_console_catalog(struct cstore *st, char **json_text);

#endif
