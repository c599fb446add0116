/*
 * vp_core.h - the shared core of vindplaats, linked by the kiosk, the central
 * service and every test: results, allocation, buffers, strings, time,
 * UUIDv7, JSON, i18n, logging, fault hooks, platform specifics, the catalog.
 */
#ifndef VP_CORE_H
#define VP_CORE_H
#include "vp_alloc.h"
#include "vp_buf.h"
#include "vp_error.h"
#include "vp_fault.h"
#include "vp_i18n.h"
#include "vp_json.h"
#include "vp_log.h"
#include "vp_platform.h"
#include "vp_str.h"
#include "vp_time.h"
#include "vp_uuid.h"

#define VP_VERSION "0.1.0"

/* Call once at program start, before any thread: initialises libsodium and
 * makes jansson abort on out-of-memory like the rest of the code.
 * Returns VP_ERR_INTERNAL if libsodium cannot start. */
vp_result vp_core_init(void);

#endif
