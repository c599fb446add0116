// auth: Inloggen/Uitloggen, wrong password and throttling said plainly,
// session cookie and security headers, CSRF, English, the audit log.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeWorld, endWorld, login, pageApi, auditActions, settle } from '../lib/world.mjs';
import { check, eq, shot } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const setup = () => makeWorld('auth', { perLocation: 2 });
export const teardown = endWorld;

async function tryLogin(page, email, password) {
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('.login-status .notice');
  return (await page.textContent('.login-status')).trim();
}

export const steps = [
  ['every text exists in Dutch and English', async () => {
    const dir = join(here, '..', '..', '..', 'assets', 'console', 'i18n');
    const nl = Object.keys(JSON.parse(readFileSync(join(dir, 'nl.json'), 'utf8'))).sort();
    const en = Object.keys(JSON.parse(readFileSync(join(dir, 'en.json'), 'utf8'))).sort();
    eq(nl.filter((k) => !en.includes(k)), [], 'keys only in nl.json');
    eq(en.filter((k) => !nl.includes(k)), [], 'keys only in en.json');
  }],
  ['the login page is served by the central service itself', async (w) => {
    await w.page.goto(`${w.url}/`);
    await w.page.waitForSelector('form.login-form');
    const ext = await w.page.evaluate(() => [...document.querySelectorAll('script[src],link[href]')].map((e) => e.src || e.href)
      .filter((u) => !u.startsWith(location.origin)));
    eq(ext, [], 'scripts and styles from elsewhere');
    await shot(w.page, 'login');
  }],
  ['a wrong password is said plainly', async (w) => {
    const text = await tryLogin(w.page, w.demo.email, 'niet-het-wachtwoord');
    check(text.includes('Het e-mailadres of wachtwoord klopt niet.'), 'wrong-password message', text);
  }],
  ['repeated wrong passwords are throttled, and that is said plainly', async (w) => {
    let text = '';
    for (let i = 0; i < 7 && !text.includes('Wacht'); i++) text = await tryLogin(w.page, 'niemand@example.org', `fout-${i}`);
    check(/Te vaak een verkeerd wachtwoord\. Wacht \d+ seconden/.test(text), 'throttle message', text);
    await shot(w.page, 'login-throttled');
  }],
  ['the right password opens the inbox with a strict session cookie', async (w) => {
    await login(w.page, w.url, w.demo.email, w.demo.password);
    await settle(w.page);
    const cookie = (await w.browser.context.cookies()).find((c) => c.name === 'vp_session');
    check(cookie && cookie.httpOnly && cookie.sameSite === 'Strict', 'session cookie HttpOnly and SameSite=Strict', cookie);
    check(await w.page.isVisible('#nav a[data-nav=admin]'), 'the demo coach is an admin');
  }],
  ['security headers: CSP self only, nosniff, no-store on personal data', async (w) => {
    const index = await pageApi(w.page, 'GET', '/');
    check(/default-src 'self'/.test(index.headers['content-security-policy'] || ''), 'CSP on the page', index.headers['content-security-policy']);
    eq(index.headers['x-content-type-options'], 'nosniff', 'nosniff');
    const inbox = await pageApi(w.page, 'GET', '/api/console/signals');
    eq(inbox.headers['cache-control'], 'no-store', 'cache-control of the inbox');
  }],
  ['a state-changing request without the CSRF token is rejected', async (w) => {
    const inbox = await pageApi(w.page, 'GET', '/api/console/signals?view=all');
    const child = inbox.body.signals[0].child_id;
    const bad = await pageApi(w.page, 'POST', `/api/console/children/${child}/case`, { status: 'reviewing' }, false);
    eq([bad.status, bad.body.error], [403, 'csrf'], 'case change without the token');
    const after = await pageApi(w.page, 'GET', `/api/console/children/${child}`);
    eq(after.body.case.status, 'new', 'status after the refused change');
    const seen = await pageApi(w.page, 'POST', '/api/console/signals/seen', { ids: [inbox.body.signals[0].id] }, false);
    eq(seen.status, 403, 'mark seen without the token');
    const ok = await pageApi(w.page, 'POST', `/api/console/children/${child}/case`, { status: 'reviewing' }, true);
    eq(ok.status, 200, 'the same change with the token');
  }],
  ['English is available and Dutch comes back', async (w) => {
    await w.page.click('#me [data-action=lang]');
    await w.page.waitForSelector('#nav a[data-nav=children]:has-text("Children")');
    await settle(w.page);
    await shot(w.page, 'inbox-en');
    await w.page.click('#me [data-action=lang]');
    await w.page.waitForSelector('#nav a[data-nav=children]:has-text("Kinderen")');
  }],
  ['Uitloggen ends the session', async (w) => {
    await w.page.click('#me [data-action=logout]');
    await w.page.waitForSelector('form.login-form');
    const me = await pageApi(w.page, 'GET', '/api/console/me');
    eq(me.status, 401, '/me after logout');
    check((await w.page.textContent('.login-status')).includes('Je bent uitgelogd.'), 'signed-out message');
  }],
  ['the audit log has the logins, the failures, the throttling and the logout', async (w) => {
    await login(w.page, w.url, w.demo.email, w.demo.password);
    const entries = await auditActions(w.page);
    const acts = new Set(entries.map((e) => e.action));
    for (const a of ['login', 'login_failed', 'login_throttled', 'logout', 'case_update'])
      check(acts.has(a), `audit entry ${a}`, [...acts]);
  }],
];
