// sql.mjs - test-only time travel in the central database (sqlite3 CLI, WAL:
// the server may keep running). Used to make history (signals spread over
// weeks, lead times, a silent tablet) that a test cannot wait for.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function sql(dataDir, statements) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', join(dataDir, 'central.db'), statements], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

export const DAY = 86400000;
