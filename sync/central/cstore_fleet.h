/*
 * cstore_fleet.h - the health of the tablets (fleet view): THE rule that
 * gives a tablet its colour and its advice, and what the console, the inbox
 * banner and /metrics read through it. docs/console.md ("Tablets") and
 * docs/operations.md ("Monitoring") say the same for people.
 *
 * Three moments, three different things:
 * - last contact: the centre heard from the tablet (any authenticated
 *   request, a heartbeat, enrolment), by the centre's clock;
 * - last attempt: the tablet's last sync round, successful or not;
 * - last success: the tablet's last sync round that succeeded.
 * Attempt and success come from the tablet's heartbeat (protocol 2) and are
 * the tablet's clock; they are shifted by the clock offset measured when the
 * heartbeat arrived (device_time - received_at), so all three read on the
 * centre's clock. A tablet without a heartbeat (protocol 1) counts its last
 * contact as its last success (an estimate; its advice says so).
 *
 * Colour by the time since the last success (since enrolment if it never
 * succeeded): up to 3 days green, more than 3 amber, more than 7 red. A
 * tablet of a location marked closed (school holidays) up to and including
 * a date is "closed" until then, whatever its age; a revoked tablet is
 * "revoked". Neither is flagged, and a closed one gets no advice about
 * being quiet (switch it on, sync failing, never synced); other advice
 * (clock, disk, versions, refused records) stays.
 */
#ifndef CSTORE_FLEET_H
#define CSTORE_FLEET_H
#include "cstore.h"

#define CFLEET_DAY_MS   (24LL * 3600 * 1000)
#define CFLEET_AMBER_MS (3 * CFLEET_DAY_MS)
#define CFLEET_RED_MS   (7 * CFLEET_DAY_MS)
#define CFLEET_DATE_LEN 11 /* "YYYY-MM-DD" and a NUL */

enum cfleet_health {
    CFLEET_GREEN,
    CFLEET_AMBER,
    CFLEET_RED,
    CFLEET_CLOSED,
    CFLEET_REVOKED,
    CFLEET_NHEALTH
};
/* "green", "amber", "red", "closed", "revoked" */
const char *cfleet_health_name(enum cfleet_health h);

/* What to do, as flags (the console words them: fleet.advice.CODE). */
enum cfleet_advice {
    CFLEET_ADVICE_SWITCH_ON = 1 << 0,    /* no contact for over 3 days */
    CFLEET_ADVICE_NEVER_SYNCED = 1 << 1, /* enrolled, never a successful round */
    CFLEET_ADVICE_SYNC_FAILING = 1 << 2, /* in contact, but rounds fail */
    CFLEET_ADVICE_QUARANTINE = 1 << 3,   /* refused records wait for a person */
    CFLEET_ADVICE_CLOCK = 1 << 4,        /* clock off by more than 5 minutes */
    CFLEET_ADVICE_DISK = 1 << 5,         /* under 200 MB free */
    CFLEET_ADVICE_UPDATE_APP = 1 << 6,   /* an older app than the centre's */
    CFLEET_ADVICE_CATALOG = 1 << 7,      /* an older signal list than the newest */
    CFLEET_ADVICE_NO_HEARTBEAT = 1 << 8, /* protocol 1: times are estimates */
    CFLEET_NADVICE = 9
};
/* The advice code of bit i ("switch_on", ...). */
const char *cfleet_advice_name(int i);

#define CFLEET_CLOCK_MS   (5LL * 60 * 1000)
#define CFLEET_DISK_MB    200
#define CFLEET_CONTACT_MS CFLEET_DAY_MS /* "in contact": heard from within a day */

/* One tablet as the store holds it (times on the centre's clock but the
 * heartbeat's, which are the tablet's; 0 = never). */
struct cfleet_tablet {
    int64_t enrolled_ms;
    int64_t revoked_ms;
    int64_t last_contact_ms;
    char closed_until[CFLEET_DATE_LEN]; /* of its location; "" = open */
    bool has_heartbeat;
    struct vp_heartbeat hb;
    int64_t hb_received_ms;
};

/* The assessment, everything on the centre's clock. */
struct cfleet_state {
    enum cfleet_health health;
    int64_t success_ms; /* 0 = never */
    int64_t attempt_ms; /* 0 = never or unknown */
    int64_t oldest_pending_ms;
    int64_t quiet_ms;       /* since the last success (or enrolment) */
    int64_t days_quiet;     /* whole days of quiet_ms */
    int64_t clock_offset_s; /* tablet minus centre; 0 without a heartbeat */
    unsigned advice;        /* enum cfleet_advice flags */
};

/* The context of an assessment: now, today's date where the centre is
 * ("YYYY-MM-DD", local time), the centre's app version and the newest
 * catalog version. */
struct cfleet_now {
    int64_t now_ms;
    char today[CFLEET_DATE_LEN];
    const char *app_version;
    int64_t catalog_version;
};

/* THE rule (pure): colour, times and advice of one tablet. */
void cfleet_assess(const struct cfleet_tablet *t, const struct cfleet_now *now,
                   struct cfleet_state *out);
/* True if version a ("0.1.0") is older than b, comparing dot-separated
 * numbers (a part that is not a number compares as text). */
bool cfleet_version_older(const char *a, const char *b);
/* Fills now for now_ms (today in the machine's local time zone). */
void cfleet_now_init(struct cfleet_now *now, int64_t now_ms, const char *app_version,
                     int64_t catalog_version);

/* ---- reading (every call keeps a coach within her locations) ---- */

/* The tablets of the admin's locations, with their state:
 * {"devices":[{"id","name","location_id","location","enrolled_at",
 * "revoked_at","last_contact","last_attempt","last_success","health",
 * "days_quiet","never_synced","closed_until","heartbeat":null|{"app_version",
 * "catalog_version","pending_signals","oldest_pending","quarantined",
 * "disk_free_mb","clock_offset_s","received_at"},"advice":[CODE...]}],
 * "locations":[{"id","name","closed_until","closed"}],"app_version",
 * "catalog_version","today"}. VP_ERR_REFUSED unless she is an admin. */
vp_result cstore_fleet_list(struct cstore *st, const char *coach_id, const char *app_version,
                            int64_t now_ms, json_t **out);

/* The inbox banner: the coach's locations (any coach) that have tablets
 * and whose newest success is more than 3 days old, not closed:
 * [{"id","name","days","tablets"}] ("days" since that success, or since the
 * newest enrolment when none ever succeeded). */
vp_result cstore_fleet_quiet(struct cstore *st, const char *coach_id, int64_t now_ms, json_t **out);

/* What /metrics reads from the store (cmetrics.h). */
struct cstore_numbers {
    int64_t signals;                 /* live signals (cstore_signal.h: one per signal) */
    int64_t tablets[CFLEET_NHEALTH]; /* per colour, all locations, revoked included */
    int64_t quarantined;             /* records held by tablets (last heartbeats, not revoked) */
    int64_t db_bytes;                /* central.db and its -wal file */
};
vp_result cstore_numbers_read(struct cstore *st, const char *app_version, int64_t now_ms,
                              struct cstore_numbers *out);

/* ---- changing (admin, within her locations; audited) ---- */

#define CFLEET_NAME_MAX_CHARS VP_NAME_MAX_CHARS /* what a tablet takes */

/* Renames a tablet of one of her locations and publishes a "device" change
 * {device_id, name} to that location's feed (the tablet takes it; a newer
 * name replaces an older one in the feed). VP_ERR_INVALID for a name that
 * is empty, only spaces, longer than CFLEET_NAME_MAX_CHARS characters or not
 * one line of text. Audited ("device_rename"). */
vp_result cstore_fleet_rename(struct cstore *st, const char *coach_id, const char *device_id,
                              const char *name, const char *ip, int64_t now_ms);

/* Marks one of her locations closed up to and including until
 * ("YYYY-MM-DD", a real date at most 400 days after now_ms), or open again
 * (until ""). VP_ERR_INVALID otherwise. Audited ("location_closed"). */
vp_result cstore_fleet_close(struct cstore *st, const char *coach_id, const char *location_id,
                             const char *until, const char *ip, int64_t now_ms);

#endif
