/*
 * vp_log.h - one-line diagnostics on stderr.
 *
 * Logs are for operators and developers (English). They never contain a
 * child's name, a note, a token or a PIN: log ids and codes only.
 * The level comes from VINDPLAATS_LOG (error, warn, info, debug; default warn).
 */
#ifndef VP_LOG_H
#define VP_LOG_H

enum vp_log_level { VP_LOG_ERROR, VP_LOG_WARN, VP_LOG_INFO, VP_LOG_DEBUG };

void vp_log(enum vp_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vp_log_set_level(enum vp_log_level level);
int vp_log_enabled(enum vp_log_level level);

#define vp_error(...) vp_log(VP_LOG_ERROR, __VA_ARGS__)
#define vp_warn(...)  vp_log(VP_LOG_WARN, __VA_ARGS__)
#define vp_info(...)  vp_log(VP_LOG_INFO, __VA_ARGS__)
#define vp_debug(...) vp_log(VP_LOG_DEBUG, __VA_ARGS__)

#endif
