// inbox: counts per location, the filters (location, domain, level, case
// status, period), mark seen, archive with a reason, Kinderen, and a coach
// without access to a location (also by URL).
import { makeWorld, endWorld, login, pageApi, auditActions, settle } from '../lib/world.mjs';
import { launch } from '../lib/browser.mjs';
import { check, eq, shot } from '../lib/harness.mjs';
import { sql, DAY } from '../lib/sql.mjs';

export const setup = () => makeWorld('inbox', { perLocation: 8, secondCoach: true });
export const teardown = endWorld;

const rowsShown = (page) => page.$$eval('tr[data-child]', (trs) => trs.map((tr) => tr.dataset.child).sort());
const locOf = (w, name) => w.demo.locations.find((l) => l.name === name);
const childrenWhere = (w, pred) => [...new Set(w.pushed.filter(pred).map((p) => p.record.child_id))].sort();

async function choose(page, name, value) {
  await page.selectOption(`aside select[name=${name}]`, value);
  await settle(page);
  await page.waitForTimeout(50);
  await settle(page);
}

export const steps = [
  ['the inbox lists new signals grouped by child, newest first', async (w) => {
    await login(w.page, w.url, w.demo.email, w.demo.password);
    await settle(w.page);
    eq((await rowsShown(w.page)).length, childrenWhere(w, () => true).length, 'children shown');
    await shot(w.page, 'inbox');
  }],
  ['the counts per location are the signals that arrived', async (w) => {
    const counts = await w.page.$$eval('.locs button', (bs) => Object.fromEntries(bs.map((b) => [b.dataset.location, Number(b.querySelector('b').textContent)])));
    for (const l of w.demo.locations) eq(counts[l.id], 8, `count of ${l.name}`);
    eq(counts.all, 40, 'count of all locations');
    eq(await w.page.textContent('#nav-count'), '40', 'the inbox badge');
  }],
  ['filter by location', async (w) => {
    const dolfijn = locOf(w, 'Dolfijn');
    await w.page.click(`.locs button[data-location="${dolfijn.id}"]`);
    await settle(w.page);
    eq(await rowsShown(w.page), childrenWhere(w, (p) => p.locationId === dolfijn.id), 'children of Dolfijn');
  }],
  ['filter by domain', async (w) => {
    const dolfijn = locOf(w, 'Dolfijn');
    await choose(w.page, 'domain', 'TAAL');
    eq(await rowsShown(w.page), childrenWhere(w, (p) => p.locationId === dolfijn.id && p.record.signals.some((c) => c.startsWith('TAAL-'))), 'Dolfijn children with a TAAL signal');
    await choose(w.page, 'domain', '');
  }],
  ['filter by level', async (w) => {
    await w.page.click('.locs button[data-location=all]');
    await settle(w.page);
    await choose(w.page, 'level', '3');
    eq(await rowsShown(w.page), childrenWhere(w, (p) => p.record.level === 3), 'children with a level-3 signal');
    const levels = await w.page.$$eval('tr[data-child] .level', (els) => els.map((e) => e.className));
    check(levels.every((c) => c.includes('level-3')), 'every row shows Grote zorg', levels);
    await choose(w.page, 'level', '');
  }],
  ['filter by case status', async (w) => {
    const child = w.pushed[0].record.child_id;
    eq((await pageApi(w.page, 'POST', `/api/console/children/${child}/case`, { status: 'more_info' })).status, 200, 'status change');
    await choose(w.page, 'status', 'more_info');
    eq(await rowsShown(w.page), [child], 'children with status meer info nodig');
    await choose(w.page, 'status', 'open');
  }],
  ['filter by period (not in Nieuw: it holds unseen signals of any age)', async (w) => {
    const child = w.pushed[1].record.child_id;
    sql(w.dir, `UPDATE observations SET received_at = received_at - ${40 * DAY} WHERE child_id = '${child}';
      UPDATE signals SET first_received_at = first_received_at - ${40 * DAY}, received_at = received_at - ${40 * DAY} WHERE child_id = '${child}';`);
    await choose(w.page, 'days', '30');
    check((await rowsShown(w.page)).includes(child), 'an unseen child whose signals are 40 days old is still in Nieuw');
    await w.page.click('[data-view=all]');
    await settle(w.page);
    check(!(await rowsShown(w.page)).includes(child), 'in Alle, a child whose signals are 40 days old is outside the last 30 days');
    await choose(w.page, 'days', '');
    check((await rowsShown(w.page)).includes(child), 'and inside "altijd"');
    await choose(w.page, 'days', '30');
    await w.page.click('[data-view=new]');
    await settle(w.page);
  }],
  ['Gezien takes a child\'s signals out of Nieuw', async (w) => {
    const before = Number(await w.page.textContent('#nav-count'));
    const row = await w.page.$('tr[data-child]');
    const child = await row.getAttribute('data-child');
    const n = await row.$$eval('.sig', (s) => s.length);
    await (await row.$('[data-action=seen]')).click();
    await w.page.waitForSelector(`tr[data-child="${child}"]`, { state: 'detached' });
    await settle(w.page);
    eq(Number(await w.page.textContent('#nav-count')), before - n, 'the inbox badge');
    await w.page.click('[data-view=all]');
    await settle(w.page);
    check(await w.page.isVisible(`tr[data-child="${child}"]`), 'still listed under Alle');
    check(!(await w.page.getAttribute(`tr[data-child="${child}"]`, 'class') || '').includes('row-new'), 'no longer shown as new');
    await w.page.click('[data-view=new]');
    await settle(w.page);
  }],
  ['Archiveren asks for a reason ("geen vervolg nodig") and is audited', async (w) => {
    const row = await w.page.$('tr[data-child]');
    const child = await row.getAttribute('data-child');
    await (await row.$('[data-action=archive]')).click();
    await w.page.waitForSelector('dialog[open] select[name=reason]');
    eq(await w.page.inputValue('dialog[open] select[name=reason]'), 'no_follow_up', 'default reason');
    check((await w.page.textContent('dialog[open]')).includes('geen vervolg nodig'), 'reason label');
    await shot(w.page, 'inbox-archive');
    await w.page.click('dialog[open] [data-action=archive-confirm]');
    await w.page.waitForSelector(`tr[data-child="${child}"]`, { state: 'detached' });
    await w.page.click('[data-view=archived]');
    await settle(w.page);
    check(await w.page.isVisible(`tr[data-child="${child}"]`), 'listed under Gearchiveerd');
    const a = (await auditActions(w.page, 'archive')).filter((e) => e.child_id === child);
    check(a.length > 0 && a.every((e) => e.detail.includes('reason=no_follow_up')), 'archive audited with its reason', a);
    await w.page.click('[data-view=new]');
    await settle(w.page);
  }],
  ['the inbox and a child fit a tablet (1024x768 and 800x1280)', async (w) => {
    for (const [width, height, name] of [[1024, 768, 'tablet-inbox'], [800, 1280, 'tablet-portrait-child']]) {
      await w.page.setViewportSize({ width, height });
      if (name.includes('child')) {
        await w.page.click('tr[data-child] a.child-link');
        await w.page.waitForSelector('.timeline');
      }
      await settle(w.page);
      const over = await w.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(over <= 0, `no sideways scrolling at ${width}x${height}`, over);
      const small = await w.page.$$eval('button.btn, a.btn', (bs) => bs.filter((b) => b.offsetParent && b.getBoundingClientRect().height < 44).length);
      eq(small, 0, `buttons lower than 44 px at ${width}x${height}`);
      await shot(w.page, name);
    }
    await w.page.setViewportSize({ width: 1366, height: 768 });
    await w.page.click('#nav a[data-nav=inbox]');
    await settle(w.page);
  }],
  ['Kinderen lists every child with a case', async (w) => {
    await w.page.click('#nav a[data-nav=children]');
    await settle(w.page);
    eq((await rowsShown(w.page)).length, childrenWhere(w, () => true).length, 'children listed');
    await shot(w.page, 'children');
  }],
  ['a coach without access to a location cannot see its children, also not by URL', async (w) => {
    const b = await launch();
    (w.extraBrowsers ||= []).push(b);
    const page = await b.page();
    await login(page, w.url, 'lotte@kluppluz.example', 'een-lang-wachtwoord');
    await settle(page);
    const dolfijn = locOf(w, 'Dolfijn'), korein = locOf(w, 'Korein');
    const locs = await page.$$eval('.locs button', (bs) => bs.map((x) => x.dataset.location));
    eq(locs, ['all', dolfijn.id], 'locations in her sidebar');
    const shown = await rowsShown(page);
    const dolfijnKids = childrenWhere(w, (p) => p.locationId === dolfijn.id);
    check(shown.length > 0 && shown.every((c) => dolfijnKids.includes(c)), 'only Dolfijn children', shown);
    check(!(await page.isVisible('#nav a[data-nav=admin]')), 'no Beheer for a coach who is not an admin');
    const other = w.pushed.find((p) => p.locationId === korein.id).record.child_id;
    await page.goto(`${w.url}/#/kind/${other}`);
    await settle(page);
    const text = await page.textContent('main');
    check(text.includes('Je hebt geen toegang'), 'the page says she has no access', text);
    check(!text.includes(w.devices.get(korein.id).children.get(other).pseudonym), 'no pseudonym of the Korein child on the page');
    await shot(page, 'access-denied');
    eq((await pageApi(page, 'GET', `/api/console/children/${other}/dossier.json`)).status, 403, 'dossier download API');
    eq((await pageApi(page, 'GET', `/api/console/children/${other}`)).status, 403, 'dossier API');
    eq((await pageApi(page, 'GET', `/api/console/signals?location=${korein.id}`)).status, 403, 'signals API for Korein');
    eq((await pageApi(page, 'GET', `/api/console/export/signals.csv?location=${korein.id}`)).status, 403, 'CSV for Korein');
    eq((await pageApi(page, 'POST', `/api/console/children/${other}/advice`, { text: 'x' })).status, 403, 'advice for a Korein child');
    eq((await pageApi(page, 'GET', '/api/console/admin/devices')).status, 403, 'admin API');
    const denied = (await auditActions(w.page, 'view_denied')).filter((e) => e.child_id === other);
    check(denied.length >= 1, 'the refused view is in the audit log');
  }],
];
