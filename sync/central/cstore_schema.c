/*
 * cstore_schema.c - the central database's schema as numbered migrations.
 * Migration i brings PRAGMA user_version from i to i + 1. Never edit a
 * migration that has shipped: add the next one.
 *
 * Privacy: no table has a date of birth, surname, BSN or free-text family
 * fields. First names and birth months live only in children (for the
 * location's tablets) and in the change feed of that location.
 */
#include "cstore_int.h"

static const char m1[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE locations (id TEXT PRIMARY KEY, name TEXT NOT NULL, org TEXT NOT NULL,\n"
    "  safety_contact TEXT NOT NULL DEFAULT '', autolock_seconds INTEGER NOT NULL DEFAULT 90,\n"
    "  retention_days INTEGER NOT NULL DEFAULT 30, created_at INTEGER NOT NULL);\n"
    "CREATE UNIQUE INDEX locations_name ON locations(org, name);\n"
    "CREATE TABLE enroll_codes (code_hash TEXT PRIMARY KEY,\n"
    "  location_id TEXT NOT NULL REFERENCES locations(id), created_at INTEGER NOT NULL,\n"
    "  expires_at INTEGER NOT NULL, used_at INTEGER, device_id TEXT);\n"
    "CREATE TABLE devices (id TEXT PRIMARY KEY, location_id TEXT NOT NULL REFERENCES "
    "locations(id),\n"
    "  name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL,\n"
    "  revoked_at INTEGER);\n"
    /* every pushed record: the dedup index (same id -> compare hash) */
    "CREATE TABLE records (id TEXT PRIMARY KEY, location_id TEXT NOT NULL, device_id TEXT NOT "
    "NULL,\n"
    "  type TEXT NOT NULL, hash TEXT NOT NULL, child_id TEXT, received_at INTEGER NOT NULL)\n"
    "  WITHOUT ROWID;\n"
    "CREATE INDEX records_child ON records(child_id) WHERE child_id IS NOT NULL;\n"
    /* the feed: one global sequence, read per location */
    "CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, location_id TEXT NOT NULL,\n"
    "  type TEXT NOT NULL, entity_id TEXT, body TEXT NOT NULL, created_at INTEGER NOT NULL);\n"
    "CREATE INDEX changes_loc ON changes(location_id, seq);\n"
    "CREATE INDEX changes_entity ON changes(entity_id, type) WHERE entity_id IS NOT NULL;\n"
    "CREATE TABLE groups (group_id TEXT PRIMARY KEY, location_id TEXT NOT NULL, name TEXT NOT "
    "NULL,\n"
    "  archived INTEGER NOT NULL, rev_id TEXT NOT NULL, updated_at INTEGER NOT NULL);\n"
    "CREATE TABLE children (child_id TEXT PRIMARY KEY, location_id TEXT NOT NULL,\n"
    "  group_id TEXT NOT NULL, first_name TEXT NOT NULL, birth_month TEXT NOT NULL,\n"
    "  pseudonym TEXT NOT NULL, archived INTEGER NOT NULL, rev_id TEXT NOT NULL,\n"
    "  updated_at INTEGER NOT NULL);\n"
    "CREATE INDEX children_loc ON children(location_id);\n"
    "CREATE TABLE erased_children (child_id TEXT PRIMARY KEY, location_id TEXT NOT NULL,\n"
    "  erased_at INTEGER NOT NULL);\n"
    "CREATE TABLE staff (staff_id TEXT PRIMARY KEY, location_id TEXT NOT NULL,\n"
    "  display_name TEXT NOT NULL, role TEXT NOT NULL, pin_hash TEXT NOT NULL,\n"
    "  archived INTEGER NOT NULL, rev_id TEXT NOT NULL, updated_at INTEGER NOT NULL);\n"
    "CREATE TABLE observations (id TEXT PRIMARY KEY, location_id TEXT NOT NULL,\n"
    "  child_id TEXT NOT NULL, staff_id TEXT NOT NULL, device_id TEXT NOT NULL,\n"
    "  signals TEXT NOT NULL, level INTEGER NOT NULL, frequency TEXT NOT NULL,\n"
    "  situation TEXT NOT NULL, note TEXT NOT NULL, parents_informed INTEGER NOT NULL,\n"
    "  consultation TEXT NOT NULL, consent_confirmed INTEGER NOT NULL,\n"
    "  retracted INTEGER NOT NULL, corrects TEXT, device_time INTEGER NOT NULL,\n"
    "  catalog_version INTEGER NOT NULL, received_at INTEGER NOT NULL) WITHOUT ROWID;\n"
    "CREATE INDEX observations_child ON observations(child_id, received_at);\n"
    "CREATE INDEX observations_loc ON observations(location_id, received_at);\n"
    "CREATE TABLE cases (child_id TEXT PRIMARY KEY, location_id TEXT NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'new', consent TEXT NOT NULL DEFAULT 'unknown',\n"
    "  consent_at INTEGER, consent_by TEXT, parent_talk TEXT NOT NULL DEFAULT 'not_planned',\n"
    "  consultation TEXT NOT NULL DEFAULT 'none', referred_to TEXT NOT NULL DEFAULT '',\n"
    "  closed_reason TEXT NOT NULL DEFAULT '', next_action TEXT NOT NULL DEFAULT '',\n"
    "  next_action_owner TEXT NOT NULL DEFAULT '', next_action_due TEXT NOT NULL DEFAULT '',\n"
    "  follow_up_date TEXT NOT NULL DEFAULT '', first_signal_at INTEGER NOT NULL,\n"
    "  last_signal_at INTEGER NOT NULL, parent_talk_at INTEGER, consultation_at INTEGER,\n"
    "  referral_at INTEGER, support_at INTEGER, closed_at INTEGER,\n"
    "  updated_at INTEGER NOT NULL);\n"
    "CREATE INDEX cases_loc ON cases(location_id, status);\n"
    "CREATE TABLE advice (id TEXT PRIMARY KEY, child_id TEXT NOT NULL, location_id TEXT NOT NULL,\n"
    "  coach_id TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL,\n"
    "  created_at INTEGER NOT NULL);\n"
    "CREATE INDEX advice_child ON advice(child_id);\n"
    "CREATE TABLE advice_reads (id TEXT PRIMARY KEY, advice_id TEXT NOT NULL,\n"
    "  staff_id TEXT NOT NULL, read_at INTEGER NOT NULL, received_at INTEGER NOT NULL);\n"
    "CREATE TABLE coaches (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,\n"
    "  pw_hash TEXT NOT NULL, created_at INTEGER NOT NULL);\n"
    "CREATE TABLE coach_locations (coach_id TEXT NOT NULL REFERENCES coaches(id),\n"
    "  location_id TEXT NOT NULL REFERENCES locations(id), PRIMARY KEY (coach_id, location_id))\n"
    "  WITHOUT ROWID;\n"
    "CREATE TABLE sessions (sid_hash TEXT PRIMARY KEY, coach_id TEXT NOT NULL REFERENCES "
    "coaches(id),\n"
    "  csrf TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL);\n"
    "CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, coach_id TEXT,\n"
    "  action TEXT NOT NULL, child_id TEXT, location_id TEXT, detail TEXT NOT NULL DEFAULT '',\n"
    "  ip TEXT NOT NULL DEFAULT '');\n"
    "CREATE TABLE catalogs (version INTEGER PRIMARY KEY, json TEXT NOT NULL);\n";

/* The coach console's own state (seen, archived, admins) and when a tablet
 * was last heard from (any authenticated request, at most once a minute).
 * IF NOT EXISTS: development builds created the console tables on first use. */
static const char m2[] =
    "CREATE TABLE IF NOT EXISTS console_seen (observation_id TEXT NOT NULL\n"
    "  REFERENCES observations(id) ON DELETE CASCADE, coach_id TEXT NOT NULL,\n"
    "  seen_at INTEGER NOT NULL, PRIMARY KEY (observation_id, coach_id)) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS console_archive (observation_id TEXT PRIMARY KEY\n"
    "  REFERENCES observations(id) ON DELETE CASCADE, coach_id TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL, archived_at INTEGER NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS console_admins (coach_id TEXT PRIMARY KEY\n"
    "  REFERENCES coaches(id)) WITHOUT ROWID;\n"
    "ALTER TABLE devices ADD COLUMN last_seen_at INTEGER;\n";

/* The newest heartbeat of each tablet (protocol 2: every pull carries one),
 * for fleet health. Times are the tablet's clock except received_at. */
static const char m3[] =
    "CREATE TABLE device_health (device_id TEXT PRIMARY KEY REFERENCES devices(id),\n"
    "  app_version TEXT NOT NULL, catalog_version INTEGER NOT NULL,\n"
    "  pending_signals INTEGER NOT NULL, oldest_pending INTEGER NOT NULL,\n"
    "  quarantined INTEGER NOT NULL, last_attempt INTEGER NOT NULL,\n"
    "  last_success INTEGER NOT NULL, disk_free_mb INTEGER NOT NULL,\n"
    "  device_time INTEGER NOT NULL, received_at INTEGER NOT NULL) WITHOUT ROWID;\n";

const char *const cst_migrations[] = { m1, m2, m3 };
const int cst_migration_count = (int)(sizeof(cst_migrations) / sizeof(cst_migrations[0]));
