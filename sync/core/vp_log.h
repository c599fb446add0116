/*
 * vp_log.h - one-line diagnostics on stderr.
 *
 * Logs are for operators and developers (English). They never contain a
 * child's name, a note, a token or a PIN: log ids and codes only.
 * The level comes from VINDPLAATS_LOG (error, warn, info, debug; default warn).
 *
 * Two formats, from VINDPLAATS_LOG_FORMAT or vp_log_set_format():
 *   text (default)  2026-11-24T09:14:00.000Z warn central: ...
 *   json            {"time":"2026-11-24T09:14:00.000Z","level":"warn","msg":"central: ..."}
 * JSON lines are for log collectors (one object a line, valid UTF-8, every
 * control character escaped, so a message can never start a second line).
 */
#ifndef VP_LOG_H
#define VP_LOG_H
#include <stdbool.h>

enum vp_log_level { VP_LOG_ERROR, VP_LOG_WARN, VP_LOG_INFO, VP_LOG_DEBUG };
enum vp_log_format { VP_LOG_TEXT, VP_LOG_JSON };

void vp_log(enum vp_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vp_log_set_level(enum vp_log_level level);
int vp_log_enabled(enum vp_log_level level);
void vp_log_set_format(enum vp_log_format format);
/* "text" or "json" into *out; false for anything else. */
bool vp_log_parse_format(const char *text, enum vp_log_format *out);

#define vp_error(...) vp_log(VP_LOG_ERROR, __VA_ARGS__)
#define vp_warn(...)  vp_log(VP_LOG_WARN, __VA_ARGS__)
#define vp_info(...)  vp_log(VP_LOG_INFO, __VA_ARGS__)
#define vp_debug(...) vp_log(VP_LOG_DEBUG, __VA_ARGS__)

#endif
