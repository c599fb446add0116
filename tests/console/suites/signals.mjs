// signals: a signal is one thing with versions (issue 9). An undone signal
// is absent everywhere (inbox, child page, Kinderen, Overzicht, Beheer, CSV,
// dossier); a corrected one appears once with "aangepast" and its earlier
// version on request; the counts agree across pages for the same location
// and period; an unseen 40-day-old signal is in "Nieuw" (Grote zorg first)
// and the Nieuw count is in the navigation on every page; a note with a
// child's first name shows her code, on the page and in the CSV.
import { readFileSync } from 'node:fs';
import { makeWorld, endWorld, login, pageApi, settle } from '../lib/world.mjs';
import { observation, uuidv7 } from '../lib/device.mjs';
import { check, eq, shot } from '../lib/harness.mjs';
import { sql, DAY } from '../lib/sql.mjs';

// Dolfijn's children are Noor, Daan, Tess and Finn; with two seeded signals
// per location only Noor and Daan have one before the steps below.
export const setup = async () => {
  const w = await makeWorld('signals', { perLocation: 2 });
  w.loc = w.demo.locations.find((l) => l.name === 'Dolfijn');
  w.dev = w.devices.get(w.loc.id);
  const kid = (name) => [...w.dev.children.values()].find((c) => c.first_name === name);
  w.noor = kid('Noor');
  w.tess = kid('Tess');
  w.finn = kid('Finn');
  w.staff = [...w.dev.staff.values()][0].staff_id;
  return w;
};
export const teardown = endWorld;

const correction = (prev, level, signals, note) => ({ ...prev, id: uuidv7(), corrects: prev.id, level, signals, note,
  device_time: new Date().toISOString() });
const undo = (prev) => ({ ...prev, id: uuidv7(), corrects: prev.id, signals: [], note: '', retracted: true,
  frequency: undefined, situation: undefined, device_time: new Date().toISOString() });

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

async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction((h) => location.hash === h, hash);
  await settle(page);
}

async function navCount(page) {
  await page.waitForFunction(() => { const b = document.getElementById('nav-count'); return b && !b.hidden && b.textContent !== ''; });
  return Number(await page.textContent('#nav-count'));
}

export const steps = [
  ['a tablet undoes one signal, corrects another, and has an old one and a name in a note', async (w) => {
    // Finn: saved, made "Grote zorg", then undone
    const f1 = observation(w.finn.child_id, w.staff, ['GED-02'], 2, { note: 'Slaat andere kinderen' });
    const f2 = correction(f1, 3, ['GED-02'], 'Slaat andere kinderen, ook bij het eten');
    w.undone = [f1, f2, undo(f2)];
    // Tess: saved as "Even volgen", then "Zorg" with a note naming her
    w.t1 = observation(w.tess.child_id, w.staff, ['ZELF-01'], 1, { note: '' });
    w.t2 = correction(w.t1, 2, ['ZELF-01'], 'Tess eet alleen droge crackers 🍪, zegt Noor ook.');
    // Noor: a Grote zorg signal that came in 40 days ago and nobody saw
    w.old = observation(w.noor.child_id, w.staff, ['TAAL-08'], 3, { note: 'Gebruikt geen woorden meer' });
    const res = await w.dev.push([...w.undone, w.t1, w.t2, w.old]);
    eq(res.map((r) => r.status), ['stored', 'stored', 'stored', 'stored', 'stored', 'stored'], 'push answers');
    sql(w.dir, `UPDATE observations SET received_at = received_at - ${40 * DAY} WHERE id = '${w.old.id}';
      UPDATE signals SET first_received_at = first_received_at - ${40 * DAY}, received_at = received_at - ${40 * DAY}
      WHERE signal_id = '${w.old.id}';`);
    // every version again (the tablet after a lost answer): the same answers
    const again = await w.dev.push([...w.undone, w.t1, w.t2]);
    eq(again.map((r) => r.status), ['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate'], 'the same versions again');
  }],
  ['an unseen 40-day-old signal is in Nieuw, Grote zorg first', async (w) => {
    await login(w.page, w.url, w.demo.email, w.demo.password);
    await settle(w.page);
    check(await w.page.isVisible('[data-hint=new-any-age]'), 'Nieuw says the period does not apply to it');
    const rows = await w.page.$$eval('tr[data-child]', (trs) => trs.map((tr) => tr.dataset.child));
    check(rows.includes(w.noor.child_id), 'Noor (a 40-day-old unseen signal) is in Nieuw with the default 30 days', rows);
    const api = (await pageApi(w.page, 'GET', '/api/console/signals?view=new&days=30&limit=1000')).body.signals;
    check(api.some((s) => s.id === w.old.id), 'the old signal in the Nieuw API answer too');
    const levels = api.map((s) => s.level);
    eq(levels, [...levels].sort((a, b) => b - a), 'Grote zorg first');
    eq(api[0].id, w.old.id, 'the oldest Grote zorg first of all');
    const count = (await pageApi(w.page, 'GET', '/api/console/signals/count')).body.new;
    eq(api.length, count, 'Nieuw holds as many signals as its count');
    eq(await navCount(w.page), count, 'the count in the navigation');
    await shot(w.page, 'signals-nieuw');
  }],
  ['the Nieuw count stays in the navigation on every page', async (w) => {
    const count = (await pageApi(w.page, 'GET', '/api/console/signals/count')).body.new;
    for (const hash of ['#/kinderen', '#/overzicht', '#/export', '#/beheer', `#/kind/${w.tess.child_id}`]) {
      await go(w.page, hash);
      eq(await navCount(w.page), count, `the Nieuw count on ${hash}`);
    }
  }],
  ['an undone signal is absent everywhere', async (w) => {
    const ids = new Set(w.undone.map((r) => r.id));
    const finn = w.finn.child_id;
    const inbox = (await pageApi(w.page, 'GET', '/api/console/signals?view=all&limit=1000')).body;
    check(!inbox.signals.some((s) => ids.has(s.id) || s.child_id === finn), 'not in the inbox');
    await go(w.page, '#/inbox');
    check(!(await w.page.$(`tr[data-child="${finn}"]`)), 'no row for Finn in the inbox');
    await go(w.page, `#/kind/${finn}`);
    eq(await w.page.$$eval('.tl-signal', (e) => e.length), 0, 'no signal on Finn\'s page');
    const text = await w.page.textContent('main');
    check(!/slaat/i.test(text) && !/ongedaan/i.test(text), 'nothing of it on the page', text.slice(0, 300));
    await shot(w.page, 'signals-undone-child');
    const dossier = (await pageApi(w.page, 'GET', `/api/console/children/${finn}/dossier.json`)).body;
    eq(dossier.signals.length, 0, 'no signal in the dossier');
    check(!JSON.stringify(dossier).toLowerCase().includes('slaat'), 'nothing of its note in the dossier');
    await go(w.page, '#/kinderen');
    check(!(await w.page.$(`tr[data-child="${finn}"]`)), 'Finn is not in Kinderen (the case nobody worked on went)');
    const csv = (await pageApi(w.page, 'GET', `/api/console/export/signals.csv?location=${w.loc.id}&view=all`)).body;
    check(!csv.includes(finn) && !csv.toLowerCase().includes('slaat'), 'not in the signals CSV');
    const cases = (await pageApi(w.page, 'GET', `/api/console/export/cases.csv?location=${w.loc.id}`)).body;
    check(!cases.includes(finn), 'not in the cases CSV');
  }],
  ['a corrected signal appears once, with "aangepast" and its earlier version', async (w) => {
    await go(w.page, '#/inbox');
    const tess = await w.page.$(`tr[data-child="${w.tess.child_id}"]`);
    check(tess, 'Tess is in Nieuw');
    eq(await tess.$$eval('.sig', (e) => e.length), 1, 'one signal line for Tess');
    eq((await tess.$eval('.tag-amended', (e) => e.textContent)).trim(), 'aangepast', 'marked aangepast in the inbox');
    await go(w.page, `#/kind/${w.tess.child_id}`);
    eq(await w.page.$$eval('.tl-signal', (e) => e.length), 1, 'one signal on the child page');
    eq((await w.page.textContent('.tl-signal .tag-amended')).trim(), 'aangepast', 'aangepast on the child page');
    check((await w.page.textContent('.tl-signal .level')).includes('Zorg'), 'shown as its latest level');
    check(await w.page.isHidden('.tl-versions'), 'earlier versions only on request');
    await w.page.click('[data-action=earlier]');
    await w.page.waitForSelector('.tl-versions:not([hidden])');
    eq(await w.page.$$eval('.tl-version', (e) => e.length), 1, 'one earlier version');
    check((await w.page.textContent('.tl-version')).includes('Even volgen'), 'the earlier version\'s level');
    await shot(w.page, 'signals-amended', '.timeline');
  }],
  ['a note with a child\'s first name shows her code, on the page and in the CSV', async (w) => {
    const note = await w.page.textContent('.tl-signal .tl-note');
    eq(note, `${w.tess.pseudonym} eet alleen droge crackers 🍪, zegt ${w.noor.pseudonym} ook.`, 'the note as the coach reads it');
    const main = await w.page.textContent('main');
    check(!/\bTess\b/.test(main) && !/\bNoor\b/.test(main), 'no first name on the page', main.slice(0, 200));
    await go(w.page, '#/export');
    await w.page.selectOption('select[name=location]', w.loc.id);
    await w.page.selectOption('select[name=days]', '');
    await w.page.selectOption('select[name=view]', 'all');
    const rows = parseCsv(await download(w.page, '[data-action=csv-signals]'));
    const row = rows.find((r) => r.id === w.t1.id);
    check(row, 'Tess\'s signal in the CSV', rows.map((r) => r.id));
    eq(row.note, note, 'the same note in the CSV');
    eq(row.versions, '2', 'its versions in the CSV');
    check(rows.every((r) => !/\bTess\b|\bNoor\b/.test(r.note)), 'no first name in any note of the CSV');
    const dossier = (await pageApi(w.page, 'GET', `/api/console/children/${w.tess.child_id}/dossier.json`)).body;
    eq(dossier.signals[0].note, note, 'the same note in the dossier');
  }],
  ['the counts agree across pages for the same location and period', async (w) => {
    const loc = w.loc.id;
    // the signals of Dolfijn: Noor's and Daan's seeded ones, Tess's and the old one
    const want = 4;
    const inbox = (await pageApi(w.page, 'GET', `/api/console/signals?view=all&location=${loc}&limit=1000`)).body;
    eq(inbox.signals.length, want, 'inbox (Alle, altijd)');
    eq(inbox.locations.find((l) => l.id === loc).count, want, 'inbox count per location');
    await go(w.page, '#/kinderen');
    await w.page.selectOption('select[name=location]', loc);
    await settle(w.page);
    const kinderen = await w.page.$$eval('tbody tr td.num', (tds) => tds.reduce((a, td) => a + Number(td.textContent), 0));
    eq(kinderen, want, 'Kinderen (the Signalen column added up)');
    await go(w.page, '#/overzicht');
    await w.page.selectOption('select[name=location]', loc);
    await w.page.waitForFunction(() => !document.getElementById('main').hasAttribute('aria-busy'));
    await w.page.waitForTimeout(100);
    await settle(w.page);
    eq(Number(await w.page.textContent('.kpi .kpi-value')), want, 'Overzicht: signalen in 12 weken');
    check(await w.page.isVisible('[data-hint=domains]'), 'Overzicht says the bars per domain count domains');
    const spark = await w.page.$$eval('.spark-list li', (li) => li.map((l) => [l.querySelector('.spark-name').textContent, Number(l.querySelector('.spark-total').textContent)]));
    eq(spark, [['Dolfijn', want]], 'Overzicht per location');
    await shot(w.page, 'signals-overview');
    await go(w.page, '#/beheer');
    await w.page.waitForSelector(`tr[data-location="${loc}"]`);
    const beheer = (await pageApi(w.page, 'GET', '/api/console/admin/locations')).body.locations.find((l) => l.id === loc);
    eq(beheer.signals, want, 'Beheer → Locaties');
    const csv = parseCsv((await pageApi(w.page, 'GET', `/api/console/export/signals.csv?location=${loc}&view=all`)).body);
    eq(csv.length, want, 'signals CSV rows');
    const cases = (await pageApi(w.page, 'GET', `/api/console/cases?location=${loc}&limit=1000`)).body.cases;
    eq(cases.reduce((a, c) => a + c.case.signal_count, 0), want, 'case signal counts');
  }],
];
