/*
 * capi_console.h - what the console API's handler files share. The routes
 * themselves, with each one's access rule and scope, are one table in
 * capi_console.c; the handlers live by resource:
 *
 *   capi_console.c          login, logout, me, roles, catalog; the table
 *   capi_console_signals.c  the signals (inbox), seen, archive, cases,
 *                           overview, CSV exports
 *   capi_console_child.c    one child: page, case, advice, erase, dossier
 *   capi_console_admin.c    Beheer: locations, codes, tablets (fleet health,
 *                           name, closed until), coaches; audit; the
 *                           inbox's banner of quiet locations
 *
 * A handler runs only after capi_authorize() has checked the route's access
 * rule and every id of its scope (the store checks again). It parses,
 * calls one store function and answers.
 */
#ifndef CAPI_CONSOLE_H
#define CAPI_CONSOLE_H
#include "capi.h"
#include "cstore_console.h"

/* Answers js (200; {"ok":true} if NULL) or the error of res (js released). */
void capi_answer(struct chttp_req *req, struct chttp_resp *resp, vp_result res, json_t *js);
/* Answers 400 malformed; returns false. */
bool capi_bad(struct chttp_req *req, struct chttp_resp *resp);
/* Answers 422 invalid, naming the field when it is printable text. */
void capi_invalid(struct chttp_req *req, struct chttp_resp *resp, const char *field);
/* The request body as a JSON object with only the allowed keys (new
 * reference); NULL after an answer (415, 400, 422). */
json_t *capi_body(struct chttp_req *req, struct chttp_resp *resp, const char *const keys[]);
/* The "{id}" of the route (its scope has checked it); NULL after a 404. */
const char *capi_id(struct chttp_req *req, struct chttp_resp *resp);
/* A code of 1..max ASCII letters and underscores (a domain, an action). */
bool capi_code_valid(const char *s, size_t max);
/* Reads the console filter from the query: location, domain, level, status,
 * days, view, limit. False after a 400. */
bool capi_read_filter(struct chttp_req *req, struct chttp_resp *resp, struct ccon_filter *f);

/* capi_console_signals.c */
void capi_signals_list(struct chttp_req *req, struct chttp_resp *resp);
void capi_signals_count(struct chttp_req *req, struct chttp_resp *resp);
void capi_signals_seen(struct chttp_req *req, struct chttp_resp *resp);
void capi_signals_archive(struct chttp_req *req, struct chttp_resp *resp);
void capi_cases_list(struct chttp_req *req, struct chttp_resp *resp);
void capi_overview(struct chttp_req *req, struct chttp_resp *resp);
void capi_export_signals(struct chttp_req *req, struct chttp_resp *resp);
void capi_export_cases(struct chttp_req *req, struct chttp_resp *resp);
void capi_export_signals_nl(struct chttp_req *req, struct chttp_resp *resp);
void capi_export_cases_nl(struct chttp_req *req, struct chttp_resp *resp);
void capi_export_signals_xlsx(struct chttp_req *req, struct chttp_resp *resp);
void capi_export_cases_xlsx(struct chttp_req *req, struct chttp_resp *resp);
/* ?lang=en asks for an export in English (Dutch otherwise); false after a 400. */
bool capi_export_lang(struct chttp_req *req, struct chttp_resp *resp, enum vp_lang *lang);

/* capi_console_child.c */
void capi_child_get(struct chttp_req *req, struct chttp_resp *resp);
void capi_child_dossier(struct chttp_req *req, struct chttp_resp *resp);
void capi_child_letter(struct chttp_req *req, struct chttp_resp *resp);
void capi_child_case(struct chttp_req *req, struct chttp_resp *resp);
void capi_child_advice(struct chttp_req *req, struct chttp_resp *resp);
void capi_child_erase(struct chttp_req *req, struct chttp_resp *resp);

/* capi_console_admin.c */
void capi_audit_list(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_locations(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_location_add(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_code(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_privacy(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_devices(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_revoke(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_device_name(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_location_closed(struct chttp_req *req, struct chttp_resp *resp);
void capi_fleet_quiet(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_coaches(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_coach_add(struct chttp_req *req, struct chttp_resp *resp);
void capi_admin_coach_set(struct chttp_req *req, struct chttp_resp *resp);

#endif
