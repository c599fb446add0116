/*
 * devstore_schema.c - the device store's schema, as numbered migrations.
 *
 * ds_migrations[i] takes the file from user_version i to i + 1, inside one
 * transaction. Never edit a migration that has shipped: add a new one.
 */
#include "devstore_int.h"

static const char migration_1[] =
    /* key/value facts about the file itself (UUIDv7 generator state) */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"

    /* this device: exactly one row */
    "CREATE TABLE device("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  device_id TEXT NOT NULL DEFAULT '',"
    "  device_name TEXT NOT NULL DEFAULT '',"
    "  location_id TEXT NOT NULL DEFAULT '',"
    "  location_name TEXT NOT NULL DEFAULT '',"
    "  org_name TEXT NOT NULL DEFAULT '',"
    "  server_url TEXT NOT NULL DEFAULT '',"
    "  token TEXT NOT NULL DEFAULT '',"
    "  cafile TEXT NOT NULL DEFAULT '',"
    "  pinned_key TEXT NOT NULL DEFAULT '',"
    "  setup_done INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO device(id) VALUES (1);"

    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE groups("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL CHECK (length(name) > 0),"
    "  archived INTEGER NOT NULL DEFAULT 0);"

    /* group_id has no foreign key: a pulled child may name a group whose
     * revision is still on its way; the screens show such a child under
     * "all" until it arrives. */
    "CREATE TABLE children("
    "  id TEXT PRIMARY KEY,"
    "  group_id TEXT NOT NULL,"
    "  first_name TEXT NOT NULL CHECK (length(first_name) > 0),"
    "  birth_month TEXT NOT NULL CHECK (length(birth_month) = 7),"
    "  pseudonym TEXT NOT NULL,"
    "  archived INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX children_group ON children(group_id, archived);"

    "CREATE TABLE staff("
    "  id TEXT PRIMARY KEY,"
    "  display_name TEXT NOT NULL CHECK (length(display_name) > 0),"
    "  role TEXT NOT NULL CHECK (role IN ('pm', 'manager')),"
    "  pin_hash TEXT NOT NULL,"
    "  archived INTEGER NOT NULL DEFAULT 0,"
    "  failed_attempts INTEGER NOT NULL DEFAULT 0,"
    "  locked_until INTEGER NOT NULL DEFAULT 0);"

    /* the catalog: the whole JSON (what the server sent) and, derived from
     * it, one row per signal for lookups */
    "CREATE TABLE catalog("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  version INTEGER NOT NULL,"
    "  json TEXT NOT NULL);"
    "CREATE TABLE catalog_signals("
    "  code TEXT PRIMARY KEY,"
    "  domain TEXT NOT NULL,"
    "  label_nl TEXT NOT NULL,"
    "  label_en TEXT NOT NULL,"
    "  red_flag INTEGER NOT NULL,"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    /* observations are immutable once they left the tablet */
    "CREATE TABLE observations("
    "  id TEXT PRIMARY KEY,"
    "  child_id TEXT NOT NULL REFERENCES children(id),"
    "  staff_id TEXT NOT NULL REFERENCES staff(id),"
    "  signals TEXT NOT NULL," /* comma-separated codes */
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),"
    "  frequency INTEGER NOT NULL DEFAULT 0,"
    "  situation INTEGER NOT NULL DEFAULT 0,"
    "  note TEXT NOT NULL DEFAULT '',"
    "  parents_informed INTEGER NOT NULL DEFAULT 0,"
    "  consultation INTEGER NOT NULL DEFAULT 0 CHECK (consultation IN (0, 1, 2)),"
    "  consent_confirmed INTEGER NOT NULL DEFAULT 0,"
    "  retracted INTEGER NOT NULL DEFAULT 0,"
    "  corrects TEXT,"
    "  device_time INTEGER NOT NULL,"
    "  catalog_version INTEGER NOT NULL,"
    "  CHECK (consultation <> 2 OR consent_confirmed = 1));"
    "CREATE INDEX observations_child ON observations(child_id, id);"
    "CREATE INDEX observations_corrects ON observations(corrects);"

    /* every record that travels up, in creation order, with its state */
    "CREATE TABLE outbox("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  record_id TEXT NOT NULL UNIQUE,"
    "  type TEXT NOT NULL,"
    "  child_id TEXT,"  /* for erasure */
    "  entity_id TEXT," /* the child/group/staff a revision is about */
    "  payload TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'acked', 'quarantined')),"
    "  batch_id TEXT,"
    "  reason TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  acked_at INTEGER);"
    "CREATE INDEX outbox_state ON outbox(state, seq);"
    "CREATE INDEX outbox_entity ON outbox(entity_id, state);"
    "CREATE INDEX outbox_child ON outbox(child_id);"

    /* from the coach */
    "CREATE TABLE advice("
    "  id TEXT PRIMARY KEY,"
    "  child_id TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  author TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL,"
    "  read_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX advice_child ON advice(child_id, created_at);"
    "CREATE TABLE cases("
    "  child_id TEXT PRIMARY KEY,"
    "  status TEXT NOT NULL,"
    "  next_action TEXT NOT NULL DEFAULT '',"
    "  next_action_due TEXT NOT NULL DEFAULT '',"
    "  consultation INTEGER NOT NULL DEFAULT 0);"

    "CREATE TABLE sync_state("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  cursor INTEGER NOT NULL DEFAULT 0,"
    "  server_epoch TEXT NOT NULL DEFAULT '',"
    "  last_attempt INTEGER NOT NULL DEFAULT 0,"
    "  last_success INTEGER NOT NULL DEFAULT 0,"
    "  last_error INTEGER NOT NULL DEFAULT 0,"
    "  last_error_text TEXT NOT NULL DEFAULT '',"
    "  last_server_time INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO sync_state(id) VALUES (1);";

/* Issue 9: a signal is one thing with versions, and a new one settles
 * before it travels.
 *  - observations.signal_id: the signal's first record, found by following
 *    each corrects chain back (a chain whose start was purged ends at the
 *    oldest id it still names);
 *  - outbox.entity_id of an observation: its signal_id (the "entity" its
 *    versions are about, so the outbox counts signals);
 *  - outbox.ever_sent: the sticky "was frozen into a batch" mark. Rows in
 *    flight, acknowledged or quarantined get it now; a pending row that was
 *    requeued by an epoch change before this version cannot be told apart
 *    from a new one and keeps 0;
 *  - outbox.hold_until: wall-clock ms until which a row is held back from
 *    batches (0 = settled). Existing rows are settled. */
static const char migration_2[] =
    "ALTER TABLE observations ADD COLUMN signal_id TEXT;"
    "WITH RECURSIVE chain(id, root) AS ("
    "  SELECT id, coalesce(corrects, id) FROM observations"
    "   WHERE corrects IS NULL OR corrects NOT IN (SELECT id FROM observations)"
    "  UNION ALL"
    "  SELECT o.id, c.root FROM observations o JOIN chain c ON o.corrects = c.id)"
    " UPDATE observations SET signal_id = (SELECT root FROM chain WHERE chain.id = "
    "observations.id);"
    "UPDATE observations SET signal_id = id WHERE signal_id IS NULL;"
    "CREATE INDEX observations_signal ON observations(signal_id, id);"
    "ALTER TABLE outbox ADD COLUMN ever_sent INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN hold_until INTEGER NOT NULL DEFAULT 0;"
    "UPDATE outbox SET ever_sent = 1 WHERE state IN ('in_flight', 'acked', 'quarantined');"
    "UPDATE outbox SET entity_id ="
    " (SELECT signal_id FROM observations WHERE observations.id = outbox.record_id)"
    " WHERE type = 'observation';";

/* Protocol 2: the pull cursor is opaque text the server gave (sync_state.cursor,
 * an integer, is no longer used). */
static const char migration_3[] =
    "ALTER TABLE sync_state ADD COLUMN pull_cursor TEXT NOT NULL DEFAULT '';"
    "UPDATE sync_state SET pull_cursor = CASE WHEN cursor > 0 THEN CAST(cursor AS TEXT)"
    " ELSE '' END;";

const char *const ds_migrations[] = { migration_1, migration_2, migration_3 };
const int ds_migration_count = (int)(sizeof(ds_migrations) / sizeof(ds_migrations[0]));
