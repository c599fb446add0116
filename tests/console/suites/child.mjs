// child: one child's route. Timeline with labels, staff name and both times;
// no first name without consent; status change and advice reach the
// location's tablet at its next pull; consent shows the first name; the
// dossier export; erasure confirmed twice reaches the tablet; all audited.
import { readFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeWorld, endWorld, login, pageApi, auditActions, settle } from '../lib/world.mjs';
import { check, eq, shot, REF_SHOTS } from '../lib/harness.mjs';
import { sql } from '../lib/sql.mjs';

export const setup = async () => {
  const w = await makeWorld('child', { perLocation: 8 });
  w.loc = w.demo.locations.find((l) => l.name === 'Dolfijn');
  w.dev = w.devices.get(w.loc.id);
  w.childId = w.pushed.find((p) => p.locationId === w.loc.id).record.child_id;
  w.kid = w.dev.children.get(w.childId);
  w.mine = w.pushed.filter((p) => p.record.child_id === w.childId).map((p) => p.record);
  return w;
};
export const teardown = endWorld;

const LABELS = JSON.parse(readFileSync(new URL('../../../assets/catalog/catalog.json', import.meta.url), 'utf8'))
  .domains.flatMap((d) => d.signals).reduce((m, s) => m.set(s.code, s.nl), new Map());

async function saveCase(page) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/case') && r.request().method() === 'POST'),
    page.click('[data-action=save-case]')]);
  check(res.status() === 200, 'case saved', res.status());
  await page.waitForFunction(() => !document.querySelector('[data-action=save-case]')?.disabled);
  await settle(page);
}

// Saves the case expecting a refusal: which field says what, how many
// messages there are, whether a toast is still up, where the focus went.
async function mistake(page) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/case') && r.request().method() === 'POST'),
    page.click('[data-action=save-case]')]);
  check(res.status() === 422, 'refused with 422', res.status());
  await page.waitForSelector('.field-error');
  return page.evaluate(() => {
    const e = document.querySelector('.field-error');
    const f = e.closest('.field').querySelector('select, input');
    return { field: f.name, text: e.textContent, errors: document.querySelectorAll('.field-error, .case-form .notice-error').length,
      toast: !document.getElementById('toast').hidden, focused: document.activeElement?.name || null };
  });
}

export const steps = [
  ['the child opens from the inbox with its timeline', async (w) => {
    await login(w.page, w.url, w.demo.email, w.demo.password);
    await settle(w.page);
    await w.page.click(`tr[data-child="${w.childId}"] a.child-link`);
    await w.page.waitForSelector('.timeline');
    await settle(w.page);
    eq((await w.page.textContent('.child-name')).trim(), w.kid.pseudonym, 'the heading is the pseudonym code');
    for (const r of w.mine) {
      const item = await w.page.$(`[data-signal="${r.id}"]`);
      check(item, `signal ${r.id} in the timeline`);
      const text = await item.textContent();
      for (const c of r.signals) check(text.includes(LABELS.get(c)), `label of ${c}`, text);
      const staff = w.dev.staff.get(r.staff_id).display_name;
      check(text.includes(`door ${staff}`), 'staff display name', text);
      check(text.includes('tablet:') && text.includes('ontvangen:'), 'device time and receive time', text);
      if (r.note) check(text.includes(r.note), 'the note', text);
    }
  }],
  ['no first name or birth month without recorded consent', async (w) => {
    const body = await w.page.textContent('body');
    check(!body.includes(w.kid.first_name), `first name "${w.kid.first_name}" not on the page`);
    const api = await pageApi(w.page, 'GET', `/api/console/children/${w.childId}`);
    const raw = JSON.stringify(api.body);
    check(!raw.includes(w.kid.first_name) && !raw.includes(w.kid.birth_month), 'nor in the API answer');
    eq(api.body.child.named, false, 'named');
  }],
  ['a status change reaches the location\'s tablet at its next pull', async (w) => {
    await w.dev.pull();
    await w.page.selectOption('select[name=status]', 'reviewing');
    await w.page.fill('input[name=next_action]', 'Observeren tijdens het vrij spel');
    await w.page.fill('input[name=next_action_owner]', 'Sanne');
    await w.page.fill('input[name=next_action_due]', '2026-12-01');
    await w.page.selectOption('select[name=parent_talk]', 'planned');
    await saveCase(w.page);
    check((await w.page.textContent('.route li.now')).includes('in beoordeling'), 'the route shows in beoordeling');
    const changes = await w.dev.pull();
    const c = changes.filter((x) => x.type === 'case' && x.child_id === w.childId).pop();
    check(c, 'a case change in the pull', changes.map((x) => x.type));
    eq([c.status, c.next_action, c.next_action_due], ['reviewing', 'Observeren tijdens het vrij spel', '2026-12-01'], 'the case on the tablet');
  }],
  ['advice reaches the location\'s tablet at its next pull', async (w) => {
    const text = 'Benoem wat hij doet tijdens het spel en geef hem tijd om te antwoorden. Evalueer over vier weken.';
    await w.page.fill('textarea[name=advice]', text);
    await w.page.click('[data-action=send-advice]');
    await w.page.waitForSelector('.tl-advice');
    await settle(w.page);
    const changes = await w.dev.pull();
    const a = changes.find((x) => x.type === 'advice' && x.child_id === w.childId);
    check(a, 'an advice change in the pull', changes.map((x) => x.type));
    eq([a.text, a.author], [text, 'Anouk Verhoeven'], 'the advice on the tablet');
    const c = changes.filter((x) => x.type === 'case' && x.child_id === w.childId).pop();
    eq(c?.status, 'advised', 'the case status after advice');
    await shot(w.page, 'child');
  }],
  ['recorded consent shows the first name', async (w) => {
    await w.page.selectOption('select[name=consent]', 'given');
    await w.page.selectOption('select[name=consultation]', 'named');
    await saveCase(w.page);
    const name = (await w.page.textContent('.child-name')).trim();
    eq(name, `${w.kid.first_name} (${w.kid.pseudonym})`, 'the heading with consent');
    const changes = await w.dev.pull();
    eq(changes.filter((x) => x.type === 'case' && x.child_id === w.childId).pop()?.consultation, 'named', 'consultation on the tablet');
  }],
  ['the status flow: evaluation date, referral target, closing needs a reason', async (w) => {
    await w.page.selectOption('select[name=status]', 'follow_up');
    check(await w.page.isVisible('input[name=follow_up_date]'), 'the evaluation date appears with volgen');
    await w.page.fill('input[name=follow_up_date]', '2026-12-14');
    await saveCase(w.page);
    check((await w.page.textContent('.child-status .pill')).includes('volgen · 14 dec 2026'), 'the pill shows the evaluation date');
    await w.page.selectOption('select[name=status]', 'referred');
    await w.page.selectOption('select[name=referred_to]', 'speech');
    await saveCase(w.page);
    let c = (await w.dev.pull()).filter((x) => x.type === 'case' && x.child_id === w.childId).pop();
    eq(c?.status, 'referred', 'referred on the tablet');
    await w.page.selectOption('select[name=status]', 'closed');
    eq(await mistake(w.page), { field: 'closed_reason', text: 'Kies een reden om de casus af te sluiten.', errors: 1, toast: false, focused: 'closed_reason' }, 'closing without a reason: its own message at its field');
    await w.page.selectOption('select[name=status]', 'advised');
    await saveCase(w.page);
    const k = (await pageApi(w.page, 'GET', `/api/console/children/${w.childId}`)).body.case;
    eq([k.status, k.referred_to, k.follow_up_date], ['advised', 'speech', ''], 'the case after the flow');
    check(k.referral_at !== null, 'the referral is stamped for the lead times');
  }],
  ['each case-save mistake has its own message at its field, and no earlier toast beside it', async (w) => {
    // consent is given and the consultation is named (the steps before)
    await w.page.selectOption('select[name=consent]', 'withdrawn');
    eq(await mistake(w.page), { field: 'consent', text: 'De consultatie staat nog op naam. Zet die eerst op anoniem of geen consultatie; trek daarna de toestemming in.', errors: 1, toast: false, focused: 'consent' }, 'withdrawing consent while named');
    await w.page.selectOption('select[name=consultation]', 'anonymous');
    await saveCase(w.page);
    check(await w.page.isVisible('#toast'), 'a success toast after saving');
    await w.page.selectOption('select[name=consultation]', 'named');
    eq(await mistake(w.page), { field: 'consultation', text: 'Consultatie op naam kan alleen als de ouders toestemming hebben gegeven. Kies anoniem, of leg eerst de toestemming vast.', errors: 1, toast: false, focused: 'consultation' }, 'named without consent (the success toast is gone)');
    await shot(w.page, 'case-mistake', '.case-form');
    await w.page.selectOption('select[name=consultation]', 'anonymous');
    await saveCase(w.page);
    eq(await w.page.$$eval('.field-error', (e) => e.length), 0, 'a good save clears the message');
  }],
  ['the dossier export holds everything about the child and is audited', async (w) => {
    const [download] = await Promise.all([w.page.waitForEvent('download'), w.page.click('[data-action=dossier]')]);
    const file = await download.path();
    const d = JSON.parse(readFileSync(file, 'utf8'));
    eq(d.format, 'vindplaats-dossier-1', 'format');
    eq(d.child.child_id, w.childId, 'child');
    eq(d.signals.map((s) => s.id).sort(), w.mine.map((r) => r.id).sort(), 'signals in the dossier');
    eq(d.advice.length, 1, 'advice in the dossier');
    eq(d.case.status, 'advised', 'case in the dossier');
    const acts = new Set(d.audit.map((a) => a.action));
    for (const a of ['view', 'case_update', 'advice']) check(acts.has(a), `the dossier lists "${a}" from the audit log`, [...acts]);
    check((await auditActions(w.page, 'dossier_export')).some((e) => e.child_id === w.childId), 'dossier_export audited');
  }],
  ['the letter for parents: a PDF named by the child\'s code and date, with the recorded signals, audited', async (w) => {
    const [download] = await Promise.all([w.page.waitForEvent('download'), w.page.click('[data-action=letter]')]);
    const name = download.suggestedFilename();
    const want = await w.page.getAttribute('[data-action=letter]', 'download');
    check(new RegExp(`^dossier-${w.kid.pseudonym}-\\d{4}-\\d{2}-\\d{2}\\.pdf$`).test(name), 'the file carries the child\'s code and the date', name);
    eq(name, want, 'the server\'s name and the page\'s name agree');
    const dir = process.env.VP_SHOTS_DIR || w.dir;
    mkdirSync(dir, { recursive: true });
    const pdf = join(dir, 'dossier.pdf');
    copyFileSync(await download.path(), pdf);
    check(readFileSync(pdf).subarray(0, 4).toString() === '%PDF', 'a PDF');
    const r = spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    check(r.status === 0, 'pdftotext reads it', r.stderr);
    const text = r.stdout.replace(/\s+/g, ' ');
    check(text.includes('Wat we over je kind hebben vastgelegd') && text.includes(w.kid.pseudonym), 'the title and the child\'s code', text.slice(0, 200));
    for (const rec of w.mine) for (const code of rec.signals)
      check(text.includes(LABELS.get(code)), `the recorded signal "${LABELS.get(code)}" is in the letter`);
    check(!text.includes('{') && !text.includes('signal_id') && !text.includes('"'), 'no JSON in the letter');
    check(text.includes('Wat je mag vragen') && text.includes('Contact'), 'rights and contact');
    // a reference picture of the first page (looked at by a person)
    const png = spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, join(dir, 'dossier-page-1')]);
    check(png.status === 0, 'pdftoppm renders the first page');
    if (process.env.VP_UPDATE_SHOTS === '1') copyFileSync(join(dir, 'dossier-page-1.png'), join(REF_SHOTS, 'dossier-page-1.png'));
    const audit = (await auditActions(w.page, 'dossier_export')).filter((e) => e.child_id === w.childId && e.detail === 'format=pdf lang=nl');
    check(audit.length === 1, 'the download is audited', audit);
  }],
  ['the JSON dossier keeps its data, named by the child\'s code and date', async (w) => {
    const [download] = await Promise.all([w.page.waitForEvent('download'), w.page.click('[data-action=dossier]')]);
    check(new RegExp(`^dossier-${w.kid.pseudonym}-\\d{4}-\\d{2}-\\d{2}\\.json$`).test(download.suggestedFilename()), 'dossier-CODE-DATE.json', download.suggestedFilename());
  }],
  ['erasure is confirmed twice, reaches the tablet and is audited', async (w) => {
    const ids = w.mine.map((r) => r.id);
    eq((await pageApi(w.page, 'POST', '/api/console/signals/seen', { ids })).status, 200, 'mark seen');
    eq((await pageApi(w.page, 'POST', `/api/console/signals/${ids[0]}/archive`, { reason: 'other' })).status, 200, 'archive');
    const marks = () => sql(w.dir, `SELECT (SELECT COUNT(*) FROM signal_seen WHERE signal_id IN (${ids.map((i) => `'${i}'`).join(',')}))
      + (SELECT COUNT(*) FROM signal_archive WHERE signal_id IN (${ids.map((i) => `'${i}'`).join(',')}));`);
    eq(marks(), String(ids.length + 1), 'seen and archive marks before');
    await w.page.click('[data-action=erase]');
    await w.page.waitForSelector('dialog[open] [data-action=erase-next]');
    await shot(w.page, 'erase-1');
    await w.page.click('dialog[open] [data-action=erase-next]');
    await w.page.waitForSelector('dialog[open] input[name=confirm-code]');
    check(await w.page.isDisabled('dialog[open] [data-action=erase-confirm]'), 'the final button waits for the code');
    await w.page.fill('dialog[open] input[name=confirm-code]', 'K-0000');
    check(await w.page.isDisabled('dialog[open] [data-action=erase-confirm]'), 'a wrong code does not unlock it');
    await w.page.fill('dialog[open] input[name=confirm-code]', w.kid.pseudonym.toLowerCase());
    await shot(w.page, 'erase-2');
    await w.page.click('dialog[open] [data-action=erase-confirm]');
    await w.page.waitForFunction(() => location.hash === '#/kinderen');
    await settle(w.page);
    check(!(await w.page.isVisible(`tr[data-child="${w.childId}"]`)), 'gone from Kinderen');
    const changes = await w.dev.pull();
    check(changes.some((x) => x.type === 'erase' && x.child_id === w.childId), 'an erase change in the pull', changes.map((x) => x.type));
    eq((await pageApi(w.page, 'GET', `/api/console/children/${w.childId}`)).status, 404, 'the child at the centre');
    const inbox = await pageApi(w.page, 'GET', '/api/console/signals?view=all');
    check(!inbox.body.signals.some((s) => s.child_id === w.childId), 'no signals of the child left in the inbox');
    check((await auditActions(w.page, 'erase')).some((e) => e.child_id === w.childId), 'erase audited');
    eq(marks(), '0', 'the console\'s marks went with the signals');
  }],
];
