// export: CSV of signals and cases filtered as on screen (contents checked,
// no first name without consent, audited) and the Overzicht charts over a
// history of twelve weeks (signals spread over time, lead times).
import { readFileSync } from 'node:fs';
import { makeWorld, endWorld, login, pageApi, auditActions, settle } from '../lib/world.mjs';
import { check, eq, shot } from '../lib/harness.mjs';
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
