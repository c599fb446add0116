// world.mjs - a fresh central service with the demo organisation and seeded
// signals, a browser, and helpers the suites share.
import { Central, demo, addCoach } from './central.mjs';
import { seed } from './seed.mjs';
import { launch } from './browser.mjs';
import { tempDir, cleanup, check } from './harness.mjs';

export async function makeWorld(name, { perLocation = 8, secondCoach = false } = {}) {
  const dir = tempDir(name);
  const d = demo(dir);
  if (secondCoach) addCoach(dir, 'lotte@kluppluz.example', 'Lotte Jansen', 'een-lang-wachtwoord', [d.locations[0].id]);
  const central = new Central(dir, { TZ: 'UTC' }); // servers run in UTC; the console shows Amsterdam time
  const url = await central.start();
  const { devices, pushed } = await seed(url, d.locations, perLocation);
  const browser = await launch();
  const page = await browser.page();
  return { name, dir, demo: d, central, url, devices, pushed, browser, page };
}

export async function endWorld(w) {
  await w.browser?.close();
  for (const b of w.extraBrowsers || []) await b.close();
  await w.central?.stop();
  cleanup(w.dir);
}

export async function login(page, url, email, password) {
  await page.goto(`${url}/#/inbox`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#nav a[data-nav=inbox]');
}

// A JSON call from inside the page (same cookies, same origin), optionally
// with the CSRF token of the session.
export async function pageApi(page, method, path, body, withCsrf = true) {
  return page.evaluate(async ({ method, path, body, withCsrf }) => {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (withCsrf && method !== 'GET') {
      const me = await (await fetch('/api/console/me')).json();
      headers['X-CSRF-Token'] = me.csrf;
    }
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let js = null;
    try { js = JSON.parse(text); } catch { js = text; }
    return { status: res.status, body: js, headers: Object.fromEntries(res.headers.entries()) };
  }, { method, path, body, withCsrf });
}

export async function auditActions(page, action) {
  const r = await pageApi(page, 'GET', `/api/console/audit?limit=1000${action ? `&action=${action}` : ''}`);
  check(r.status === 200, 'audit log readable', r.status);
  return r.body.audit;
}

export async function settle(page) {
  await page.waitForFunction(() => !document.getElementById('main').hasAttribute('aria-busy'));
}
