// harness.mjs - a tiny runner: a suite is a list of named steps sharing one
// world (server, data, browser). Each step prints ok/FAIL with what it got;
// the first failure stops the suite (later steps build on earlier ones).
import { mkdirSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export class Check extends Error {}

export function check(cond, what, got) {
  if (!cond) throw new Check(`${what}${got === undefined ? '' : ` (got ${typeof got === 'string' ? got : JSON.stringify(got)})`}`);
}
export function eq(got, want, what) {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Check(`${what}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}

const here = dirname(fileURLToPath(import.meta.url));
export const REF_SHOTS = join(here, '..', 'shots');

// Saves a 1366x768 screenshot into VP_SHOTS_DIR (and, with VP_UPDATE_SHOTS=1,
// into the committed reference set tests/console/shots/).
export async function shot(page, name, at) {
  const dir = process.env.VP_SHOTS_DIR || join(process.env.TMPDIR || tmpdir(), 'console-shots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.evaluate(async (at) => {
    await document.fonts.ready;
    if (at) { document.querySelector(at)?.scrollIntoView(); window.scrollBy(0, -72); }
    else if (!document.querySelector('dialog[open]')) window.scrollTo(0, 0);
    const t = document.getElementById('toast');
    if (t) t.hidden = true;
  }, at || null);
  await page.screenshot({ path: file });
  if (process.env.VP_UPDATE_SHOTS === '1') { mkdirSync(REF_SHOTS, { recursive: true }); copyFileSync(file, join(REF_SHOTS, `${name}.png`)); }
  return file;
}

export function tempDir(name) {
  const base = process.env.TMPDIR || tmpdir();
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `console-${name}-`));
}

export async function runSuite(name, setup, steps, teardown) {
  const t0 = Date.now();
  let world = null, failed = 0, ran = 0;
  try {
    world = await setup();
    for (const [stepName, fn] of steps) {
      const s0 = Date.now();
      ran++;
      try {
        await fn(world);
        console.log(`ok   ${name}: ${stepName} (${Date.now() - s0} ms)`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${name}: ${stepName}: ${e instanceof Check ? e.message : e.stack || e}`);
        if (world?.page) { try { await shot(world.page, `FAIL-${name}-${stepName.replace(/\W+/g, '-')}`); } catch { /* ignore */ } }
        break;
      }
      if (world?.browser?.problems?.length) {
        failed++;
        console.log(`FAIL ${name}: ${stepName}: browser reported: ${world.browser.problems.join(' | ')}`);
        break;
      }
    }
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: setup: ${e.stack || e}`);
  } finally {
    try { if (world) await teardown(world); } catch (e) { failed++; console.log(`FAIL ${name}: teardown: ${e.message}`); }
  }
  console.log(`${failed ? 'FAILED' : 'passed'}: ${name}, ${ran}/${steps.length} steps, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return failed ? 1 : 0;
}

export function cleanup(dir) { if (!process.env.VP_KEEP) rmSync(dir, { recursive: true, force: true }); }
