// browser.mjs - Debian's /usr/bin/chromium through playwright-core (never a
// downloaded browser), 1366x768, a fresh profile per run. Console errors,
// page errors and CSP violations fail the test.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export async function launch() {
  const profile = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'vp-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.VP_CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS,
    viewport: { width: 1366, height: 768 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', acceptDownloads: true,
  });
  context.setDefaultTimeout(10000);
  const problems = [];
  const watch = (page) => {
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[134]|status of 429|status of 422/.test(m.text())) problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  return {
    context, problems,
    async page() { const p = context.pages()[0] || await context.newPage(); return p; },
    async close() { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}
