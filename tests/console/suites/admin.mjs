// admin: Beheer for an admin coach. Locations; a new enrolment code shown
// large and usable by a tablet; tablets with their health, one quiet for
// more than 3 days flagged (the fleet view itself: suites/fleet.mjs); revoking a device (its next pull is 401); coach
// accounts and their locations; the audit log; nothing of it for others.
import { makeWorld, endWorld, login, pageApi, auditActions, settle } from '../lib/world.mjs';
import { launch } from '../lib/browser.mjs';
import { Device } from '../lib/device.mjs';
import { check, eq, shot } from '../lib/harness.mjs';
import { sql, DAY } from '../lib/sql.mjs';

export const setup = () => makeWorld('admin', { perLocation: 3 });
export const teardown = endWorld;

export const steps = [
  ['Beheer lists the locations', async (w) => {
    await login(w.page, w.url, w.demo.email, w.demo.password);
    await w.page.click('#nav a[data-nav=admin]');
    await w.page.waitForSelector('tr[data-location]');
    await settle(w.page);
    eq((await w.page.$$eval('tr[data-location] b', (b) => b.map((x) => x.textContent))).sort(), w.demo.locations.map((l) => l.name).sort(), 'locations');
    await shot(w.page, 'admin-locations');
  }],
  ['a new enrolment code is shown large and enrols a tablet', async (w) => {
    const korein = w.demo.locations.find((l) => l.name === 'Korein');
    await w.page.click(`tr[data-location="${korein.id}"] [data-action=new-code]`);
    await w.page.waitForSelector('dialog[open] .code-big');
    const code = await w.page.getAttribute('dialog[open] .code-big', 'data-code');
    check(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(code), 'code shape: three groups of four Crockford characters', code);
    const size = await w.page.$eval('dialog[open] .code-big', (e) => parseFloat(getComputedStyle(e).fontSize));
    check(size >= 48, 'the code is large enough to type from across a table', size);
    const lines = await w.page.$eval('dialog[open] .code-big', (e) => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; });
    eq(lines, 1, 'the code stays on one line');
    await shot(w.page, 'admin-code');
    await w.page.click('dialog[open] .btn-primary');
    w.newDev = new Device(w.url);
    const r = await w.newDev.enroll(code, 'Tablet Boompjes');
    eq(r.location.name, 'Korein', 'location of the enrolled tablet');
    await w.newDev.pull();
    check((await auditActions(w.page, 'enroll_code')).some((e) => e.location_id === korein.id), 'enroll_code audited');
  }],
  ['tablets show their health, and one quiet for more than 3 days is flagged', async (w) => {
    // a tablet without heartbeats (protocol 1): its last contact stands in for its last success
    const old = w.devices.get(w.demo.locations[0].id);
    sql(w.dir, `UPDATE devices SET created_at = created_at - ${5 * DAY} WHERE id = '${old.id}';
      UPDATE records SET received_at = received_at - ${4 * DAY} WHERE device_id = '${old.id}';
      UPDATE devices SET last_seen_at = last_seen_at - ${4 * DAY} WHERE id = '${old.id}';`);
    await w.page.click('a.tab[href="#/beheer/apparaten"]');
    await w.page.waitForSelector('tr[data-device]');
    await settle(w.page);
    eq(await w.page.$$eval('tr[data-device]', (r) => r.length), 6, 'tablets listed');
    const flagged = await w.page.$$eval('tr[data-device][data-health=amber], tr[data-device][data-health=red]', (r) => r.map((x) => x.dataset.device));
    eq(flagged, [old.id], 'the quiet tablet');
    check((await w.page.textContent('main')).includes('meer dan 3 dagen niet gesynchroniseerd'), 'a plain notice');
    await shot(w.page, 'admin-devices');
    // how long a batch waited, in words (a 10-minute wait once read "0 uur")
    const words = await w.page.evaluate(async () => {
      const f = await import('/static/js/format.js');
      return [30, 600, 3 * 3600, 26 * 3600, 2 * 86400].map((s) => f.duration(s));
    });
    eq(words, ['1 min', '10 min', '3 uur', '26 uur', '2 dagen'], 'readable durations');
  }],
  ['revoking a tablet makes its next pull fail with 401', async (w) => {
    await w.page.click(`tr[data-device="${w.newDev.id}"] [data-action=revoke]`);
    await w.page.click('dialog[open] .btn-danger');
    await w.page.waitForSelector(`tr[data-device="${w.newDev.id}"].row-muted`);
    let status = 0;
    try { await w.newDev.pull(); } catch (e) { status = e.status; }
    eq(status, 401, 'pull with the revoked token');
    check((await auditActions(w.page, 'device_revoke')).some((e) => e.detail.includes(w.newDev.id)), 'device_revoke audited');
  }],
  ['a coach account with its locations', async (w) => {
    await w.page.click('a.tab[href="#/beheer/coaches"]');
    await w.page.waitForSelector('input[name=email]');
    await settle(w.page);
    const partou = w.demo.locations.find((l) => l.name === 'Partou');
    await w.page.fill('input[name=name]', 'Noor de Vries');
    await w.page.fill('input[name=email]', 'noor@kluppluz.example');
    await w.page.fill('input[name=password]', 'nog-een-wachtwoord');
    await w.page.check(`input[name=new-loc][value="${partou.id}"]`);
    await w.page.click('form button[type=submit]');
    await w.page.waitForSelector('tr[data-coach="noor@kluppluz.example"]');
    await settle(w.page);
    check((await w.page.textContent('tr[data-coach="noor@kluppluz.example"]')).includes('Partou'), 'her location');
    await shot(w.page, 'admin-coaches');
    const b = await launch();
    (w.extraBrowsers ||= []).push(b);
    const page = await b.page();
    await login(page, w.url, 'noor@kluppluz.example', 'nog-een-wachtwoord');
    await settle(page);
    eq(await page.$$eval('.locs button', (bs) => bs.map((x) => x.dataset.location)), ['all', partou.id], 'her inbox locations');
    check(!(await page.isVisible('#nav a[data-nav=admin]')), 'no Beheer for her');
    await page.goto(`${w.url}/#/beheer/apparaten`);
    await settle(page);
    const said = await page.textContent('main');
    check(said.includes('Beheer is alleen voor beheerders') && !said.includes('niet aan jou toegewezen'), 'Beheer by URL says she lacks admin rights (not that a child is not hers)', said);
    check(await page.evaluate(() => document.activeElement?.tagName === 'H1'), 'the page still has its heading, focused');
    const api = await pageApi(page, 'GET', '/api/console/admin/coaches');
    eq([api.status, api.body.error], [403, 'not_admin'], 'the API says not_admin');
    check(api.body.message.includes('alleen voor beheerders'), 'in plain words', api.body.message);
    check((await auditActions(w.page, 'denied')).some((e) => e.detail.startsWith('not_admin GET /api/console/admin/coaches')), 'the refusal is audited');
    eq((await pageApi(page, 'GET', '/api/console/admin/coaches')).status, 403, 'admin API');
    eq((await pageApi(page, 'POST', '/api/console/admin/locations', { name: 'X', org: 'Y' })).status, 403, 'add location API');
    check((await auditActions(w.page, 'coach_add')).some((e) => e.detail.includes('noor@kluppluz.example')), 'coach_add audited');
  }],
  ['the audit log shows who did what', async (w) => {
    await w.page.click('a.tab[href="#/beheer/audit"]');
    await w.page.waitForSelector('.audit-table');
    await settle(w.page);
    const acts = new Set(await w.page.$$eval('.audit-table tr[data-action]', (r) => r.map((x) => x.dataset.action)));
    for (const a of ['login', 'enroll_code', 'device_revoke', 'coach_add']) check(acts.has(a), `audit row ${a}`, [...acts]);
    await shot(w.page, 'admin-audit');
    await w.page.selectOption('select[name=action]', 'device_revoke');
    await settle(w.page);
    eq([...new Set(await w.page.$$eval('.audit-table tr[data-action]', (r) => r.map((x) => x.dataset.action)))], ['device_revoke'], 'filtered');
  }],
  ['audit details read as words, not as codes', async (w) => {
    const korein = w.demo.locations.find((l) => l.name === 'Korein');
    eq((await pageApi(w.page, 'GET', `/api/console/export/signals.xlsx?location=${korein.id}&level=2&status=open&view=new`)).status, 200, 'an export');
    await w.page.selectOption('select[name=action]', 'export_signals');
    await settle(w.page);
    const detail = await w.page.textContent('.audit-table tr[data-action=export_signals] td.detail');
    for (const want of ['Locatie: Korein', 'Niveau: Zorg', 'open (niet afgesloten)', 'Nieuw', 'Excel'])
      check(detail.includes(want), `the detail says "${want}"`, detail);
    check(!/=|location|domain|view/.test(detail), 'no key=value codes', detail);
    await w.page.selectOption('select[name=action]', 'denied');
    await settle(w.page);
    const denied = await w.page.textContent('.audit-table tr[data-action=denied] td.detail');
    check(denied.includes('geen beheerrechten'), 'a refusal in words', denied);
    await shot(w.page, 'admin-audit-words');
  }],
];
