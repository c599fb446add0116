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

/* A signal is one thing with versions (docs/console.md, "What a signal is").
 * Its identity is its first record's id (the wire's "signal_id"; derived
 * from the "corrects" chain for records without it; a correction naming a
 * record the centre never stored takes the named id as its signal).
 *
 * - observations.signal_id and records.signal_id name each version's signal
 *   (records keep it after the content is gone, for late versions).
 * - signals: one row per live signal: its latest version (the tip of the
 *   corrects chain, else the newest received), how many versions, when it
 *   was observed (the first version's tablet time) and first received.
 * - signal_seen / signal_archive: the coach's marks, on the signal, with
 *   the level and codes she had before her (a later version that raises the
 *   level or adds codes lifts them).
 * - signal_undone: tombstones of undone signals. Their content (every
 *   version, every mark) is deleted; records keep only id, hash and signal,
 *   so a late version is still answered and stays deleted.
 * - cases lose first_signal_at/last_signal_at: a case's signal times are
 *   computed from its live signals (cstore_signal.h), so an undone signal
 *   leaves no trace in them.
 *
 * Folding the data already stored: chains are followed to their first
 * record, retracted signals become tombstones, marks move to the signal
 * (the newest marked version's level and codes), cases that only an undone
 * signal opened and nobody worked on go. Self-contained SQL: a migration
 * must not change when the code's definitions do. */
static const char m3[] =
    "ALTER TABLE observations ADD COLUMN signal_id TEXT;\n"
    "ALTER TABLE records ADD COLUMN signal_id TEXT;\n"
    "CREATE TABLE signals (signal_id TEXT PRIMARY KEY, location_id TEXT NOT NULL,\n"
    "  child_id TEXT NOT NULL, latest_id TEXT NOT NULL, versions INTEGER NOT NULL,\n"
    "  first_device_time INTEGER NOT NULL, first_received_at INTEGER NOT NULL,\n"
    "  received_at INTEGER NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE signal_seen (signal_id TEXT NOT NULL REFERENCES signals(signal_id)\n"
    "  ON DELETE CASCADE, coach_id TEXT NOT NULL, seen_at INTEGER NOT NULL,\n"
    "  level INTEGER NOT NULL, codes TEXT NOT NULL, PRIMARY KEY (signal_id, coach_id))\n"
    "  WITHOUT ROWID;\n"
    "CREATE TABLE signal_archive (signal_id TEXT PRIMARY KEY REFERENCES signals(signal_id)\n"
    "  ON DELETE CASCADE, coach_id TEXT NOT NULL, reason TEXT NOT NULL,\n"
    "  archived_at INTEGER NOT NULL, level INTEGER NOT NULL, codes TEXT NOT NULL)\n"
    "  WITHOUT ROWID;\n"
    "CREATE TABLE signal_undone (signal_id TEXT PRIMARY KEY, location_id TEXT NOT NULL,\n"
    "  child_id TEXT NOT NULL, undone_at INTEGER NOT NULL) WITHOUT ROWID;\n"
    /* versions after the first: a first version is found by its id (= signal_id) */
    "CREATE INDEX observations_signal ON observations(signal_id) WHERE corrects IS NOT NULL;\n"
    "CREATE INDEX m3_signal ON observations(signal_id);\n"
    "CREATE INDEX observations_corrects ON observations(corrects) WHERE corrects IS NOT NULL;\n"
    "CREATE INDEX signals_loc ON signals(location_id, first_received_at);\n"
    "CREATE INDEX signals_child ON signals(child_id, first_received_at);\n"
    "CREATE INDEX signal_undone_child ON signal_undone(child_id);\n"
    /* each record's first record: follow corrects while the named one is
     * stored; where the chain ends at a record never stored, that id */
    "CREATE TEMP TABLE m3_up AS WITH RECURSIVE up(start, cur, nxt, n) AS (\n"
    "  SELECT id, id, corrects, 0 FROM observations UNION ALL\n"
    "  SELECT up.start, o.id, o.corrects, up.n + 1 FROM up JOIN observations o ON o.id = up.nxt\n"
    "  WHERE up.n < 1000) SELECT start, cur, nxt, n FROM up;\n"
    "CREATE INDEX temp.m3_up_start ON m3_up(start, n);\n"
    "CREATE TEMP TABLE m3_sig (id TEXT PRIMARY KEY, sig TEXT NOT NULL);\n"
    "INSERT INTO m3_sig SELECT u.start, COALESCE(u.nxt, u.cur) FROM m3_up u\n"
    "  WHERE u.n = (SELECT MAX(v.n) FROM m3_up v WHERE v.start = u.start);\n"
    "UPDATE observations SET signal_id = (SELECT sig FROM m3_sig WHERE m3_sig.id = "
    "observations.id);\n"
    "UPDATE records SET signal_id = (SELECT o.signal_id FROM observations o\n"
    "  WHERE o.id = records.id) WHERE type = 'observation';\n"
    "DROP TABLE m3_sig;\n"
    "DROP TABLE m3_up;\n"
    /* undone signals: a tombstone each; their content goes */
    "INSERT INTO signal_undone(signal_id, location_id, child_id, undone_at)\n"
    "  SELECT signal_id, location_id, child_id, MAX(received_at) FROM observations\n"
    "  WHERE retracted = 1 GROUP BY signal_id;\n"
    "DELETE FROM observations WHERE signal_id IN (SELECT signal_id FROM signal_undone);\n"
    "INSERT INTO signals(signal_id, location_id, child_id, latest_id, versions,\n"
    "  first_device_time, first_received_at, received_at)\n"
    "  SELECT o.signal_id, o.location_id, o.child_id,\n"
    "  (SELECT t.id FROM observations t WHERE t.signal_id = o.signal_id ORDER BY NOT EXISTS\n"
    "   (SELECT 1 FROM observations x WHERE x.corrects = t.id AND x.signal_id = t.signal_id)"
    " DESC,\n"
    "   t.received_at DESC, t.id DESC LIMIT 1), COUNT(*),\n"
    "  (SELECT f.device_time FROM observations f WHERE f.signal_id = o.signal_id\n"
    "   ORDER BY f.id = f.signal_id DESC, f.received_at, f.id LIMIT 1),\n"
    "  MIN(o.received_at), MAX(o.received_at) FROM observations o GROUP BY o.signal_id;\n"
    /* the marks: the newest marked version of each signal (per coach) */
    "INSERT INTO signal_seen(signal_id, coach_id, seen_at, level, codes)\n"
    "  SELECT sig, coach_id, seen_at, level, signals FROM (SELECT o.signal_id AS sig,\n"
    "  cs.coach_id, cs.seen_at, o.level, o.signals, ROW_NUMBER() OVER (PARTITION BY\n"
    "  o.signal_id, cs.coach_id ORDER BY o.received_at DESC, o.id DESC) AS rn\n"
    "  FROM console_seen cs JOIN observations o ON o.id = cs.observation_id) WHERE rn = 1;\n"
    "INSERT INTO signal_archive(signal_id, coach_id, reason, archived_at, level, codes)\n"
    "  SELECT sig, coach_id, reason, archived_at, level, signals FROM (SELECT o.signal_id AS\n"
    "  sig, ca.coach_id, ca.reason, ca.archived_at, o.level, o.signals, ROW_NUMBER() OVER\n"
    "  (PARTITION BY o.signal_id ORDER BY ca.archived_at DESC, o.id DESC) AS rn\n"
    "  FROM console_archive ca JOIN observations o ON o.id = ca.observation_id) WHERE rn = 1;\n"
    /* a mark stays only while the latest version raises neither level nor codes */
    "DELETE FROM signal_seen WHERE EXISTS (SELECT 1 FROM signals sg JOIN observations o\n"
    "  ON o.id = sg.latest_id WHERE sg.signal_id = signal_seen.signal_id\n"
    "  AND (o.level > signal_seen.level OR EXISTS (SELECT 1 FROM json_each('[\"' ||\n"
    "  replace(o.signals, ',', '\",\"') || '\"]') j\n"
    "  WHERE instr(',' || signal_seen.codes || ',', ',' || j.value || ',') = 0)));\n"
    "DELETE FROM signal_archive WHERE EXISTS (SELECT 1 FROM signals sg JOIN observations o\n"
    "  ON o.id = sg.latest_id WHERE sg.signal_id = signal_archive.signal_id\n"
    "  AND (o.level > signal_archive.level OR EXISTS (SELECT 1 FROM json_each('[\"' ||\n"
    "  replace(o.signals, ',', '\",\"') || '\"]') j\n"
    "  WHERE instr(',' || signal_archive.codes || ',', ',' || j.value || ',') = 0)));\n"
    "DROP INDEX m3_signal;\n"
    /* views read signals; observations are reached through their signal */
    "DROP INDEX observations_loc;\n"
    "DROP INDEX observations_child;\n"
    "DROP TABLE console_seen;\n"
    "DROP TABLE console_archive;\n"
    /* cases that only an undone signal opened, untouched by anyone */
    "DELETE FROM cases WHERE status = 'new' AND consent = 'unknown'\n"
    "  AND parent_talk = 'not_planned' AND consultation = 'none' AND next_action = ''\n"
    "  AND NOT EXISTS (SELECT 1 FROM signals sg WHERE sg.child_id = cases.child_id)\n"
    "  AND NOT EXISTS (SELECT 1 FROM advice a WHERE a.child_id = cases.child_id);\n"
    "ALTER TABLE cases DROP COLUMN first_signal_at;\n"
    "ALTER TABLE cases DROP COLUMN last_signal_at;\n";

/* The newest heartbeat of each tablet (protocol 2: every pull carries one),
 * for fleet health. Times are the tablet's clock except received_at. */
static const char m4[] =
    "CREATE TABLE device_health (device_id TEXT PRIMARY KEY REFERENCES devices(id),\n"
    "  app_version TEXT NOT NULL, catalog_version INTEGER NOT NULL,\n"
    "  pending_signals INTEGER NOT NULL, oldest_pending INTEGER NOT NULL,\n"
    "  quarantined INTEGER NOT NULL, last_attempt INTEGER NOT NULL,\n"
    "  last_success INTEGER NOT NULL, disk_free_mb INTEGER NOT NULL,\n"
    "  device_time INTEGER NOT NULL, received_at INTEGER NOT NULL) WITHOUT ROWID;\n";

/* A location can be closed (school holidays) up to and including a date
 * ("YYYY-MM-DD", "" = open), so its quiet tablets are not flagged
 * (cstore_fleet.h). */
static const char m5[] =
    "ALTER TABLE locations ADD COLUMN closed_until TEXT NOT NULL DEFAULT '';\n";

/* The coach's week (issue 12): the privacy contact of an organisation, for
 * the dossier letter parents read. */
static const char m6[] =
    "CREATE TABLE org_settings (org TEXT PRIMARY KEY, privacy_contact TEXT NOT NULL DEFAULT '',\n"
    "  updated_at INTEGER NOT NULL) WITHOUT ROWID;\n";

const char *const cst_migrations[] = { m1, m2, m3, m4, m5, m6 };
const int cst_migration_count = (int)(sizeof(cst_migrations) / sizeof(cst_migrations[0]));
