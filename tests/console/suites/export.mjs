// export: CSV of signals and cases filtered as on screen (contents checked,
// no first name without consent, audited) and the Overzicht charts over a
// history of twelve weeks (signals spread over time, lead times).
import { readFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeWorld, endWorld, login, pageApi, auditActions, settle } from '../lib/world.mjs';
import { check, eq, shot, tempDir } from '../lib/harness.mjs';
import { sql, DAY } from '../lib/sql.mjs';

export const setup = () => makeWorld('export', { perLocation: 24 });
export const teardown = endWorld;

// A small CSV reader (quotes, doubled quotes, CRLF).
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') q = false; else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return readFileSync(await d.path(), 'utf8');
}

// A download as a file: its suggested name and where it is (a copy under
// that name in the shots folder, so that a person can open it too).
async function downloadFile(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const dir = process.env.VP_SHOTS_DIR || tempDir('download');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, d.suggestedFilename().replace(/[^\w.-]/g, '_'));
  copyFileSync(await d.path(), path);
  return { name: d.suggestedFilename(), path };
}

// What a person opening the workbook gets (tests/console/lib/xlsx_read.py, openpyxl).
function readXlsx(file) {
  const py = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'xlsx_read.py');
  const r = spawnSync('/usr/bin/python3', [py, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`xlsx_read: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// A Dutch-Excel CSV: BOM, ';', quotes; rows as objects by header.
function parseNlCsv(text) {
  const rows = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') q = false; else field += c;
    } else if (c === '"') q = true;
    else if (c === ';') { row.push(field); field = ''; } else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; } else field += c;
  }
  const [head, ...body] = rows;
  return { head, rows: body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]]))) };
}

const TODAY = /-\d{4}-\d{2}-\d{2}\./;
const SUMMER = Date.parse('2026-10-25T00:30:00Z'); // 02:30 CEST, the last hour of summer time
const WINTER = Date.parse('2026-10-25T01:30:00Z'); // 02:30 CET, an hour later

export const steps = [
  ['a history: signals over twelve weeks and cases further along the route', async (w) => {
    await login(w.page, w.url, w.demo.email, w.demo.password);
    // case steps by the coach, through the API, for some children
    const kids = [...new Set(w.pushed.map((p) => p.record.child_id))];
    const edits = [{ parent_talk: 'held' }, { consultation: 'anonymous' }, { status: 'referred', referred_to: 'jgz' }, { status: 'support_started' }];
    for (let i = 0; i < kids.length; i++) {
      for (const e of edits.slice(0, i % 5)) eq((await pageApi(w.page, 'POST', `/api/console/children/${kids[i]}/case`, e)).status, 200, 'case step');
      if (i % 7 === 3) await pageApi(w.page, 'POST', `/api/console/children/${kids[i]}/case`, { next_action: 'Gesprek met ouders plannen', next_action_due: '2026-01-15' });
    }
    // test-only time travel: receive times spread over 12 weeks (a case's
    // first signal is its earliest live signal: docs/console.md)
    sql(w.dir, `UPDATE observations SET received_at = received_at - (abs(random()) % ${76 * DAY});
      UPDATE signals SET first_received_at = (SELECT received_at FROM observations o WHERE o.id = signals.latest_id),
        received_at = (SELECT received_at FROM observations o WHERE o.id = signals.latest_id);`);
  }],
  ['Overzicht shows aggregated charts only', async (w) => {
    await w.page.click('#nav a[data-nav=overview]');
    await w.page.waitForSelector('.lead svg');
    await settle(w.page);
    const kpi = await w.page.textContent('.kpi .kpi-value');
    eq(Number(kpi), w.pushed.length, 'signals in 12 weeks');
    const bars = await w.page.$$eval('.chart rect', (r) => r.length);
    check(bars > 20, 'bars drawn', bars);
    const text = await w.page.textContent('main');
    check(text.includes('2019: 10 mnd'), 'the 2019 reference line');
    check(/\d+ d \(n=\d+\)/.test(text), 'lead times with their n');
    for (const kid of w.devices.values()) for (const c of kid.children.values())
      check(!text.includes(c.pseudonym) && !text.includes(c.first_name), 'no child named on the overview');
    await shot(w.page, 'overview');
    await shot(w.page, 'overview-lead-times', '.lead-grid');
    await shot(w.page, 'overview-status', '.page > .two-col-even:last-child');
  }],
  ['signals CSV follows the filter on screen and is audited', async (w) => {
    const loc = w.demo.locations.find((l) => l.name === 'Korein');
    await w.page.click('#nav a[data-nav=export]');
    await w.page.waitForSelector('[data-action=csv-signals]');
    await w.page.selectOption('select[name=location]', loc.id);
    await w.page.selectOption('select[name=level]', '2');
    await w.page.selectOption('select[name=status]', '');
    await w.page.selectOption('select[name=days]', '');
    await w.page.selectOption('select[name=view]', 'all');
    await shot(w.page, 'export');
    const rows = parseCsv(await download(w.page, '[data-action=csv-signals]'));
    const want = w.pushed.filter((p) => p.locationId === loc.id && p.record.level === 2).map((p) => p.record.id).sort();
    eq(rows.map((r) => r.id).sort(), want, 'signal ids in the CSV');
    check(rows.every((r) => r.location === 'Korein' && r.level === '2'), 'location and level of every row');
    check(rows.every((r) => r.first_name === ''), 'no first names without consent');
    const one = w.pushed.find((p) => p.record.id === rows[0].id).record;
    eq(rows[0].signals, one.signals.join(' '), 'codes');
    check(rows[0].labels.length > 3 && rows[0].staff.length > 0, 'labels and staff name', rows[0]);
    const a = (await auditActions(w.page, 'export_signals'))[0];
    check(a && a.detail.includes(`location=${loc.id}`) && a.detail.includes('level=2'), 'export audited with its filter', a);
  }],
  ['cases CSV follows location and status', async (w) => {
    const loc = w.demo.locations.find((l) => l.name === 'Korein');
    await w.page.selectOption('select[name=status]', 'open');
    const rows = parseCsv(await download(w.page, '[data-action=csv-cases]'));
    const api = await pageApi(w.page, 'GET', `/api/console/cases?location=${loc.id}&limit=1000`);
    const want = api.body.cases.filter((c) => c.case.status !== 'closed').map((c) => c.child_id).sort();
    eq(rows.map((r) => r.child_id).sort(), want, 'children in the cases CSV');
    check(rows.every((r) => r.location === 'Korein' && r.first_name === ''), 'location, no first names');
    check(rows.some((r) => r.days_to_parent_talk !== ''), 'lead times in the CSV');
    check((await auditActions(w.page, 'export_cases')).length >= 1, 'export_cases audited');
  }],
];

// Issue 12: exports for the people who open them.
steps.push(
  ['the Excel workbook: Dutch headers, real dates across the end of summer time (server TZ=UTC), filters, a frozen header row', async (w) => {
    const loc = w.demo.locations.find((l) => l.name === 'Korein');
    const mine = w.pushed.filter((p) => p.locationId === loc.id && p.record.level === 2);
    const [a, b] = mine;
    // test-only time travel: two signals received either side of 01:00 UTC on 25 October 2026
    sql(w.dir, `UPDATE signals SET first_received_at = ${SUMMER}, first_device_time = ${SUMMER - 600000} WHERE signal_id = '${a.record.id}';
      UPDATE signals SET first_received_at = ${WINTER}, first_device_time = ${WINTER - 600000} WHERE signal_id = '${b.record.id}';`);
    await w.page.selectOption('select[name=status]', '');
    const f = await downloadFile(w.page, '[data-action=xlsx-signals]');
    check(/^signalen-\d{4}-\d{2}-\d{2}\.xlsx$/.test(f.name), 'the workbook is named signalen-DATE.xlsx', f.name);
    const x = readXlsx(f.path);
    eq(x.sheet, 'Signalen', 'the sheet');
    eq(x.head.slice(0, 9), ['Ontvangen', 'Vastgelegd op de tablet', 'Locatie', 'Groep', 'Kindcode', 'Voornaam', 'Leeftijd (maanden)', 'Niveau', 'Signalen'], 'Dutch headers');
    check(x.head.includes('Notitie') && x.head.includes('Status casus') && x.head.includes('Gezien door mij'), 'more Dutch headers', x.head);
    check(x.bold, 'a bold header row');
    eq(x.freeze, 'A2', 'the header row stays put');
    check(/^A1:[A-Z]+\d+$/.test(x.filter || ''), 'the autofilter covers the table', x.filter);
    eq(Number(x.filter.split(':')[1].replace(/[A-Z]+/, '')), x.rows.length + 1, 'the autofilter reaches the last row');
    const col = (name) => x.head.indexOf(name);
    const rowOf = (id) => x.rows.find((r) => r[col('Signaalnummer')].v === id);
    const ra = rowOf(a.record.id), rb = rowOf(b.record.id);
    check(ra && rb, 'both signals in the workbook');
    check(ra[col('Ontvangen')].date, 'received is a real date cell', ra[col('Ontvangen')]);
    check(/dd-mm-yyyy hh:mm/.test(ra[col('Ontvangen')].fmt), 'shown as dd-mm-yyyy hh:mm', ra[col('Ontvangen')].fmt);
    eq(ra[col('Ontvangen')].v, '2026-10-25T02:30:00', 'summer time: 00:30 UTC is 02:30 in Amsterdam');
    eq(rb[col('Ontvangen')].v, '2026-10-25T02:30:00', 'winter time: 01:30 UTC is 02:30 in Amsterdam');
    eq(ra[col('Vastgelegd op de tablet')].v, '2026-10-25T02:20:00', 'the tablet time, local');
    eq(ra[col('Niveau')].v, 'Zorg', 'the level in words');
    eq(ra[col('Locatie')].v, 'Korein', 'the location');
    check(x.rows.every((r) => r[col('Voornaam')].v === null), 'no first names without consent');
    check(!JSON.stringify(x).includes('follow_up') && !JSON.stringify(x).includes('"often"'), 'no codes as values');
    const audit = (await auditActions(w.page, 'export_signals'))[0];
    check(audit && audit.detail.includes('format=xlsx'), 'the workbook is audited with its format', audit);
  }],
  ['the CSV for Dutch Excel: a BOM, semicolons, Dutch headers, words and local times', async (w) => {
    const loc = w.demo.locations.find((l) => l.name === 'Korein');
    const a = w.pushed.filter((p) => p.locationId === loc.id && p.record.level === 2)[0];
    const f = await downloadFile(w.page, '[data-action=nlcsv-signals]');
    check(/^signalen-\d{4}-\d{2}-\d{2}\.csv$/.test(f.name), 'named signalen-DATE.csv', f.name);
    const raw = readFileSync(f.path);
    eq([...raw.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'starts with a byte-order mark');
    const text = raw.toString('utf8').slice(1);
    check(text.split('\r\n')[0].split(';').length > 15 && !text.split('\r\n')[0].includes(','), 'semicolons between the headers', text.split('\r\n')[0]);
    const csv = parseNlCsv(text);
    check(csv.head.includes('Ontvangen') && csv.head.includes('Hoe vaak') && csv.head.includes('Ouders op de hoogte'), 'Dutch headers', csv.head);
    const row = csv.rows.find((r) => r.Signaalnummer === a.record.id);
    eq(row.Ontvangen, '25-10-2026 02:30', 'the local time across the end of summer time');
    eq(row.Niveau, 'Zorg', 'level in words');
    check(['ja', 'nee'].includes(row['Ouders op de hoogte']), 'ja/nee', row['Ouders op de hoogte']);
    const codes = await downloadFile(w.page, '[data-action=csv-signals]');
    check(/^signalen-codes-\d{4}-\d{2}-\d{2}\.csv$/.test(codes.name), 'the machine-readable CSV under its own name', codes.name);
    check(readFileSync(codes.path, 'utf8').startsWith('id,received_at,'), 'with its codes header');
  }],
  ['the cases workbook and CSV for Excel, and English on request', async (w) => {
    const f = await downloadFile(w.page, '[data-action=xlsx-cases]');
    check(/^casussen-\d{4}-\d{2}-\d{2}\.xlsx$/.test(f.name), 'casussen-DATE.xlsx', f.name);
    const x = readXlsx(f.path);
    eq(x.head.slice(0, 6), ['Locatie', 'Groep', 'Kindcode', 'Voornaam', 'Leeftijd (maanden)', 'Status'], 'case headers');
    const st = x.head.indexOf('Status');
    check(x.rows.length > 0 && x.rows.every((r) => !/_/.test(r[st].v)), 'statuses in words', x.rows.map((r) => r[st].v));
    const first = x.head.indexOf('Eerste signaal');
    check(x.rows.some((r) => r[first].date), 'the first signal as a real date');
    const nl = parseNlCsv(readFileSync((await downloadFile(w.page, '[data-action=nlcsv-cases]')).path, 'utf8').slice(1));
    eq(nl.rows.length, x.rows.length, 'the same cases in both');
    const en = await pageApi(w.page, 'GET', '/api/console/export/signals-nl.csv?lang=en&view=all');
    check(en.status === 200 && en.body.includes('Received;Recorded on the tablet;'), 'English on request', en.body.slice(0, 80));
    const bad = await w.browser.context.request.get(`${w.url}/api/console/export/signals.xlsx?lang=xx`);
    eq(bad.status(), 400, 'an unknown language is a 400');
    eq((await bad.json()).error, 'malformed', 'with a JSON error');
  }],
);
