// bench.mjs - the console's inbox with 10,000 signals in the database.
// A real vindplaats-central (VP_CENTRAL_BIN) gets the demo organisation,
// 1,000 more children and 10,000 observations through the device API; then
// the coach's inbox page load is timed request by request on loopback (the
// client's wall time, an upper bound of the server's time). Prints Markdown.
import { Central, demo } from '../../console/lib/central.mjs';
import { Device, observation, uuidv7 } from '../../console/lib/device.mjs';
import { rng } from '../../console/lib/seed.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const SIGNALS = Number(process.env.VP_BENCH_SIGNALS || 10000);
const CHILDREN_PER_LOCATION = 200;
const RUNS = 30;
const BUDGET_MS = 300;
const CODES = ['TAAL-02', 'TAAL-04', 'SOC-01', 'SOC-05', 'GED-01', 'GED-03', 'SPEL-02', 'MOT-03', 'ZELF-04', 'ZIN-02', 'WEL-01', 'WEL-06'];

const dir = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'bench-console-'));
const central = new Central(dir);
try {
  const d = demo(dir);
  const url = await central.start();
  const rand = rng(11);
  const t0 = Date.now();
  const perLoc = Math.ceil(SIGNALS / d.locations.length);
  let pushed = 0;
  for (const loc of d.locations) {
    const dev = new Device(url);
    await dev.enroll(loc.code, `Bench ${loc.name}`);
    await dev.pull();
    const groups = [...dev.groups.keys()];
    const staff = [...dev.staff.keys()];
    const kids = [];
    const recs = [];
    for (let i = 0; i < CHILDREN_PER_LOCATION; i++) {
      const id = uuidv7();
      kids.push(id);
      recs.push({ type: 'child', id: uuidv7(), child_id: id, group_id: groups[i % groups.length], first_name: `Kind${i}`,
        birth_month: `202${2 + (i % 3)}-0${1 + (i % 9)}`, pseudonym: `K-${(0x1000 + i).toString(16).toUpperCase()}${loc.name[0].toUpperCase()}`,
        archived: false, device_time: new Date().toISOString() });
    }
    for (let i = 0; i < perLoc && pushed < SIGNALS; i++, pushed++) {
      recs.push(observation(kids[Math.floor(rand() * kids.length)], staff[i % staff.length], [CODES[Math.floor(rand() * CODES.length)]],
        1 + Math.floor(rand() * 3), { note: i % 5 ? '' : 'Korte notitie over wat er gebeurde.', waited_ms: Math.floor(rand() * 7200000) }));
    }
    await dev.push(recs);
  }
  const ingestS = (Date.now() - t0) / 1000;

  // the coach signs in like the console does
  const login = await fetch(`${url}/api/console/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: d.email, password: d.password }) });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const get = async (path) => {
    const s = process.hrtime.bigint();
    const res = await fetch(url + path, { headers: { Cookie: cookie } });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return { ms: Number(process.hrtime.bigint() - s) / 1e6, bytes: body.byteLength };
  };
  const inbox = '/api/console/signals?status=open&days=30&view=new&limit=300';
  const statics = ['/', '/static/console.css', '/static/js/app.js', '/static/js/dom.js', '/static/js/api.js', '/static/js/i18n.js',
    '/static/js/state.js', '/static/js/format.js', '/static/js/ui.js', '/static/js/filters.js', '/static/js/charts.js',
    '/static/js/pages/login.js', '/static/js/pages/inbox.js', '/static/js/pages/children.js', '/static/js/pages/child.js',
    '/static/js/pages/erase.js', '/static/js/pages/overview.js', '/static/js/pages/export.js', '/static/js/pages/admin.js',
    '/static/i18n/nl.json'];
  const cases = [
    ['inbox API, default filter (new, open, 30 days, 300 rows)', inbox],
    ['inbox API, one location and domain TAAL', null],
    ['inbox API, view "all", level 3', '/api/console/signals?view=all&level=3&limit=300'],
    ['/api/console/me + roles + catalog', ['/api/console/me', '/api/console/roles', '/api/console/catalog']],
    ['whole inbox page load (HTML, CSS, 18 JS/JSON files, me, roles, catalog, inbox)', [...statics, '/api/console/me', '/api/console/roles', '/api/console/catalog', inbox]],
    ['overview API (12 weeks)', '/api/console/overview?weeks=12'],
    ['signals CSV export (all 10,000)', '/api/console/export/signals.csv?view=all'],
  ];
  cases[1][1] = `/api/console/signals?location=${d.locations[0].id}&domain=TAAL&view=all&limit=300`;
  const rows = [];
  for (const [name, what] of cases) {
    const paths = Array.isArray(what) ? what : [what];
    for (const p of paths) await get(p); // warm the statement cache of a connection
    const times = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      let total = 0;
      bytes = 0;
      for (const p of paths) { const r = await get(p); total += r.ms; bytes += r.bytes; }
      times.push(total);
    }
    times.sort((a, b) => a - b);
    rows.push({ name, p50: times[Math.floor(RUNS / 2)], p95: times[Math.floor(RUNS * 0.95)], max: times[RUNS - 1], bytes });
  }
  const pageLoad = rows[4];
  console.log(`Inbox page load with ${SIGNALS.toLocaleString('en')} signals (${CHILDREN_PER_LOCATION * 5 + 20} children, 5 locations, all unseen) in the database,`);
  console.log(`pushed through the device API in ${ingestS.toFixed(1)} s. Times are loopback wall times per request set, ${RUNS} runs each, sequential.`);
  console.log('');
  console.log('| what | p50 ms | p95 ms | max ms | bytes |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.bytes.toLocaleString('en')} |`);
  console.log('');
  const ok = rows[0].p95 < BUDGET_MS && pageLoad.p95 < BUDGET_MS;
  console.log(`Budget: the inbox page load under ${BUDGET_MS} ms server time — ${ok ? 'met' : 'NOT met'} (inbox API p95 ${rows[0].p95.toFixed(1)} ms, whole page p95 ${pageLoad.p95.toFixed(1)} ms).`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await central.stop();
  rmSync(dir, { recursive: true, force: true });
}
