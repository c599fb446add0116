/*
 * console_api.h - the console's own JSON endpoints, beside the core ones in
 * capi_console.c (login, logout, me, dossier, case, advice, erase):
 *
 *   GET  /api/console/roles                      {"admin":bool}
 *   GET  /api/console/catalog                    the newest signal catalog
 *   GET  /api/console/inbox?FILTER               cstore_console_inbox()
 *   POST /api/console/signals/seen               {"ids":[...]}
 *   POST /api/console/signals/{id}/archive       {"reason":"no_follow_up"|...|null}
 *   GET  /api/console/children/{id}/timeline     the child's page (audited view)
 *   GET  /api/console/children/{id}/dossier.json the dossier export (audited)
 *   GET  /api/console/overview?location=&weeks=  aggregated metrics
 *   GET  /api/console/csv/signals?FILTER         CSV as on screen (audited)
 *   GET  /api/console/csv/cases?FILTER
 *   GET  /api/console/auditlog?action=&limit=    audit entries with names
 *   GET  /api/console/admin/locations            POST {"name","org"}
 *   POST /api/console/admin/locations/{id}/code  a new enrolment code
 *   GET  /api/console/admin/devices
 *   POST /api/console/admin/devices/{id}/revoke
 *   GET  /api/console/admin/coaches              POST
 * {"email","name","password","locations","admin"} POST /api/console/admin/coaches/{id}
 * {"locations","admin"}
 *
 * FILTER: location (uuid), domain (catalog domain code), level (1-3), status
 * (case status code or "open"), days (period: received in the last N days),
 * view (new, all, archived), limit. All routes need a coach session; POSTs
 * the CSRF token (capi.c); admin routes answer 403 to a coach who is not
 * an admin.
 */
#ifndef CONSOLE_API_H
#define CONSOLE_API_H

/* Registers the routes above (croutes.c calls it before the static files). */
void console_api_register(void);

#endif
