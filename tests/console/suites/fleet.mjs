// fleet: Beheer → Tablets for an admin (issue 13). Three tablets send
// heartbeats whose last success was 1, 4 and 8 days ago (the 8-day one has
// not been heard from since): green, amber and red, in words and icons as
// well as colours, with last contact / attempt / success, what waits, the
// versions, the clock and what to do. The inbox's banner names the quiet
// locations, for a plain coach too. A name set in the console reaches that
// tablet only; a location closed for the holidays is not flagged.
import { makeWorld, endWorld, login, settle, auditActions } from '../lib/world.mjs';
import { launch } from '../lib/browser.mjs';
import { check, eq, shot } from '../lib/harness.mjs';
import { sql, DAY } from '../lib/sql.mjs';

export const setup = async () => {
  const w = await makeWorld('fleet', { perLocation: 2, secondCoach: true });
  const [red, amber, green] = w.demo.locations; // Dolfijn, Grabbelton, Korein
  w.loc = { red, amber, green };
  w.dev = { red: w.devices.get(red.id), amber: w.devices.get(amber.id), green: w.devices.get(green.id) };
  await w.dev.green.heartbeat({ successAgoMs: 1 * DAY, aheadMs: 10 * 60000 });
  await w.dev.amber.heartbeat({ successAgoMs: 4 * DAY, pending: 3, quarantined: 1 });
  await w.dev.red.heartbeat({ successAgoMs: 60000, catalog: 0 }); // then 8 days pass
  // nothing from the red one for 8 days: its contact and heartbeat are that old
  const id = w.dev.red.id;
  sql(w.dir, `UPDATE devices SET created_at = created_at - ${20 * DAY}, last_seen_at = last_seen_at - ${8 * DAY} WHERE id = '${id}';
    UPDATE device_health SET received_at = received_at - ${8 * DAY}, device_time = device_time - ${8 * DAY},
      last_success = last_success - ${8 * DAY}, last_attempt = last_attempt - ${8 * DAY} WHERE device_id = '${id}';
    UPDATE devices SET created_at = created_at - ${20 * DAY} WHERE id IN ('${w.dev.amber.id}', '${w.dev.green.id}');`);
  return w;
};
export const teardown = endWorld;

const row = (id) => `tr[data-device="${id}"]`;

async function openTablets(page, url) {
  await page.goto(`${url}/#/beheer/apparaten`);
  await page.waitForSelector('tr[data-device]');
  await settle(page);
}

export const steps = [
  ['tablets at 1, 4 and 8 days since success are green, amber and red', async (w) => {
    await login(w.page, w.url, w.demo.email, w.demo.password);
    await openTablets(w.page, w.url);
    eq(await w.page.getAttribute(row(w.dev.green.id), 'data-health'), 'green', '1 day');
    eq(await w.page.getAttribute(row(w.dev.amber.id), 'data-health'), 'amber', '4 days');
    eq(await w.page.getAttribute(row(w.dev.red.id), 'data-health'), 'red', '8 days');
    // in words and with an icon, not by colour alone
    const badge = async (id) => w.page.$eval(`${row(id)} .health`, (e) => ({ text: e.textContent, bg: getComputedStyle(e).backgroundColor }));
    const [g, a, r] = [await badge(w.dev.green.id), await badge(w.dev.amber.id), await badge(w.dev.red.id)];
    eq([g.text, a.text, r.text], ['✓Goed', '!Let op', '✕Actie nodig'], 'words and icons');
    check(new Set([g.bg, a.bg, r.bg]).size === 3, 'three colours', [g.bg, a.bg, r.bg]);
    check((await w.page.textContent(row(w.dev.amber.id))).includes('4 dagen geleden voor het laatst gesynchroniseerd'), 'amber: 4 days in words');
    check((await w.page.textContent(row(w.dev.red.id))).includes('8 dagen geleden'), 'red: 8 days in words');
    check((await w.page.textContent('main')).includes('2 tablets hebben al meer dan 3 dagen niet gesynchroniseerd'), 'a plain notice');
  }],
  ['each row shows the three moments, what waits, versions, clock and what to do', async (w) => {
    const text = async (id, sel) => (await w.page.textContent(`${row(id)} ${sel}`)).trim();
    // last contact now, last success 4 days ago: three different things
    check((await text(w.dev.amber.id, '[data-moment=contact]')).includes('vandaag'), 'amber contact today', await text(w.dev.amber.id, '[data-moment=contact]'));
    check((await text(w.dev.amber.id, '[data-moment=attempt]')).includes('vandaag'), 'amber attempt today');
    check(!(await text(w.dev.amber.id, '[data-moment=success]')).includes('vandaag'), 'amber success not today', await text(w.dev.amber.id, '[data-moment=success]'));
    check(!(await text(w.dev.red.id, '[data-moment=contact]')).includes('vandaag'), 'red contact not today');
    eq(await text(w.dev.amber.id, '[data-pending]'), '3 signalen wachten', 'pending');
    check((await w.page.textContent(row(w.dev.amber.id))).includes('oudste van'), 'oldest pending');
    check((await w.page.textContent(row(w.dev.amber.id))).includes('1 geweigerd'), 'quarantined');
    check((await w.page.textContent(row(w.dev.green.id))).includes('App 0.1.0 · signalenlijst 1'), 'versions');
    eq(await text(w.dev.green.id, '[data-clock]'), 'klok 10 min voor', 'clock offset');
    check((await w.page.textContent(row(w.dev.green.id))).includes('812 MB vrij'), 'free disk');
    const advice = async (id) => w.page.$$eval(`${row(id)} [data-advice]`, (l) => l.map((x) => x.dataset.advice));
    eq(await advice(w.dev.red.id), ['switch_on', 'catalog'], 'red: switch it on; its list is old');
    eq(await advice(w.dev.amber.id), ['sync_failing', 'quarantine'], 'amber: in contact but failing');
    eq(await advice(w.dev.green.id), ['clock'], 'green: only the clock');
    check((await text(w.dev.red.id, '[data-advice=switch_on]')).includes('tablet aan te zetten'), 'plain Dutch', await text(w.dev.red.id, '[data-advice=switch_on]'));
    check((await text(w.dev.green.id, '[data-advice=clock]')).includes('10 minuten voor'), 'the clock advice says how much');
    await shot(w.page, 'fleet-tablets');
  }],
  ['the inbox shows a banner for the locations quiet for more than 3 days', async (w) => {
    await w.page.click('#nav a[data-nav=inbox]');
    await w.page.waitForSelector('[data-banner=quiet]');
    await settle(w.page);
    const ids = await w.page.$$eval('[data-banner=quiet] p[data-location]', (p) => p.map((x) => x.dataset.location));
    eq(ids.sort(), [w.loc.red.id, w.loc.amber.id].sort(), 'quiet locations');
    const text = await w.page.textContent('[data-banner=quiet]');
    check(text.includes(`Bij ${w.loc.amber.name} is al 4 dagen geen synchronisatie gelukt`), 'amber in words', text);
    check(text.includes(`Bij ${w.loc.red.name} is al 8 dagen geen synchronisatie gelukt`), 'red in words', text);
    check(await w.page.isVisible('[data-banner=quiet] a[href="#/beheer/apparaten"]'), 'a link to the tablets for an admin');
    await shot(w.page, 'fleet-inbox-banner');
  }],
  ['a plain coach sees the banner for her own location, without the link', async (w) => {
    const b = await launch();
    (w.extraBrowsers ||= []).push(b);
    const page = await b.page();
    await login(page, w.url, 'lotte@kluppluz.example', 'een-lang-wachtwoord');
    await page.waitForSelector('[data-banner=quiet]');
    eq(await page.$$eval('[data-banner=quiet] p[data-location]', (p) => p.map((x) => x.dataset.location)), [w.loc.red.id], 'her location only');
    check(!(await page.isVisible('[data-banner=quiet] a')), 'no link to Beheer');
    await b.close();
    w.extraBrowsers.pop();
  }],
  ['a name set in the console reaches that tablet and no other', async (w) => {
    const name = 'Groep Zon ☀️ é€';
    await openTablets(w.page, w.url);
    await w.page.click(`${row(w.dev.green.id)} [data-action=rename]`);
    await w.page.fill('dialog[open] input[name=device-name]', name);
    await w.page.click('dialog[open] button[type=submit]');
    await w.page.waitForFunction(({ sel, name }) => document.querySelector(sel)?.textContent === name,
      { sel: `${row(w.dev.green.id)} .device-name`, name });
    const mine = (await w.dev.green.pull()).filter((c) => c.type === 'device');
    eq(mine.map((c) => [c.device_id, c.name]), [[w.dev.green.id, name]], 'the tablet gets its name');
    const other = (await w.dev.amber.pull()).filter((c) => c.type === 'device');
    eq(other.length, 0, 'another location\'s tablet gets nothing');
    check((await auditActions(w.page, 'device_rename')).some((e) => e.detail.includes(w.dev.green.id)), 'device_rename audited');
  }],
  ['a location closed for the holidays is not flagged, and flagged again when open', async (w) => {
    await openTablets(w.page, w.url);
    const d = new Date(Date.now() + 14 * DAY);
    const until = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const loc = `tr[data-location="${w.loc.red.id}"]`;
    await w.page.fill(`${loc} input[name=closed-until]`, until);
    await w.page.click(`${loc} [data-action=close]`);
    await w.page.waitForSelector(`${row(w.dev.red.id)}[data-health=closed]`);
    await settle(w.page);
    eq(await w.page.getAttribute(loc, 'data-closed'), until, 'closed until');
    check((await w.page.textContent(row(w.dev.red.id))).includes('Locatie dicht'), 'in words');
    eq(await w.page.$$eval(`${row(w.dev.red.id)} [data-advice]`, (l) => l.map((x) => x.dataset.advice)), ['catalog'], 'no "switch it on" while closed');
    check((await w.page.textContent('main')).includes('1 tablet heeft al meer dan 3 dagen niet gesynchroniseerd'), 'only the amber one is flagged');
    await shot(w.page, 'fleet-closed');
    await w.page.click('#nav a[data-nav=inbox]');
    await w.page.waitForSelector('[data-banner=quiet]');
    eq(await w.page.$$eval('[data-banner=quiet] p[data-location]', (p) => p.map((x) => x.dataset.location)), [w.loc.amber.id], 'banner without the closed location');
    await openTablets(w.page, w.url);
    await w.page.click(`${loc} [data-action=open]`);
    await w.page.waitForSelector(`${row(w.dev.red.id)}[data-health=red]`);
    check((await auditActions(w.page, 'location_closed')).length === 2, 'closing and opening audited');
  }],
];
