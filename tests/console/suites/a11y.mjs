// a11y: a console everyone can use (issue 12). On every page, at 1366 and at
// 1024 px: the contrast of every visible text node against what is behind
// it (≥ 4.5:1), the focus on the page's heading after navigation, charts
// with text of at least 12 px whose labels are never clipped; a skipped
// route step looks skipped; buttons say what they do.
import { makeWorld, endWorld, login, pageApi, settle } from '../lib/world.mjs';
import { check, eq, shot } from '../lib/harness.mjs';
import { sql, DAY } from '../lib/sql.mjs';

export const setup = () => makeWorld('a11y', { perLocation: 10 });
export const teardown = endWorld;

// Every visible text node whose contrast is below 4.5:1, computed in the page:
// the text's colour (or an SVG text's fill) over the first opaque
// background behind it, semi-transparent layers blended on the way.
function lowContrast(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = c && c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const over = (top, under) => ({
      r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1,
    });
    // the background behind el: blend every layer up to the first opaque one
    const background = (el) => {
      const layers = [];
      for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
        const st = getComputedStyle(e);
        const bg = parse(st.backgroundColor);
        if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
        if (e.tagName === 'svg') continue;
      }
      let c = { r: 255, g: 255, b: 255, a: 1 };
      for (let i = layers.length - 1; i >= 0; i--) c = over(layers[i], c);
      return c;
    };
    const bad = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      if (!text || !el || el.closest('.sr, [hidden], option, script, style, title')) continue;
      const r = document.createRange();
      r.selectNodeContents(n);
      const rects = [...r.getClientRects()].filter((x) => x.width > 0 && x.height > 0);
      if (!rects.length) continue;
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || Number(st.opacity) === 0) continue;
      let fg = parse(el instanceof SVGElement ? st.fill : st.color);
      if (!fg) continue;
      // an element's opacity fades its text towards what is behind it
      for (let e = el; e && e.nodeType === 1; e = e.parentElement) fg.a *= Number(getComputedStyle(e).opacity);
      const bg = background(el);
      fg = over(fg, bg);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      if (ratio < 4.5) bad.push(`"${text.slice(0, 40)}" ${ratio.toFixed(2)}:1 (${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''})`);
    }
    return bad;
  });
}

// Text in charts: its rendered size and whether it lies inside its chart.
function chartText(page) {
  return page.evaluate(() => [...document.querySelectorAll('svg.chart text')].map((t) => {
    const box = t.getBoundingClientRect(), svg = t.ownerSVGElement.getBoundingClientRect();
    const scale = t.ownerSVGElement.getScreenCTM().a;
    return {
      text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
      inside: box.left >= svg.left - 0.5 && box.right <= svg.right + 0.5 && box.top >= svg.top - 0.5 && box.bottom <= svg.bottom + 0.5,
    };
  }));
}

const PAGES = [
  ['inbox', '#/inbox', 'h1'],
  ['kinderen', '#/kinderen', 'h1'],
  ['overzicht', '#/overzicht', '.lead svg'],
  ['export', '#/export', 'h1'],
  ['beheer-locaties', '#/beheer/locaties', 'tr[data-location]'],
  ['beheer-apparaten', '#/beheer/apparaten', 'h1'],
  ['beheer-coaches', '#/beheer/coaches', 'h1'],
  ['beheer-audit', '#/beheer/audit', 'h1'],
];

async function visit(w, hash, ready) {
  await w.page.evaluate((h) => { location.hash = h; }, hash);
  await w.page.waitForSelector(ready);
  await settle(w.page);
}

async function everyPage(w, width) {
  await w.page.setViewportSize({ width, height: 768 });
  const pages = [...PAGES, ['kind', `#/kind/${w.childId}`, '.route']];
  for (const [name, hash, ready] of pages) {
    await visit(w, hash, ready);
    const bad = await lowContrast(w.page);
    check(bad.length === 0, `every text on ${name} at ${width} px has at least 4.5:1`, bad);
    const focus = await w.page.evaluate(() => ({ tag: document.activeElement?.tagName, text: document.activeElement?.textContent }));
    eq(focus.tag, 'H1', `the focus is on the heading of ${name} after navigation`);
  }
}

export const steps = [
  ['a history with a case further along its route and a late next action', async (w) => {
    await login(w.page, w.url, w.demo.email, w.demo.password);
    w.childId = w.pushed[0].record.child_id;
    // reviewing, then straight to referred: "meer info" and "advies" are skipped
    for (const e of [{ status: 'reviewing' }, { status: 'referred', referred_to: 'jgz', next_action: 'Bellen met JGZ', next_action_due: '2026-01-05' }])
      eq((await pageApi(w.page, 'POST', `/api/console/children/${w.childId}/case`, e)).status, 200, 'case step');
    sql(w.dir, `UPDATE signals SET first_received_at = first_received_at - (abs(random()) % ${60 * DAY});`);
  }],
  ['every text on every page has at least 4.5:1 and the focus goes to the heading, at 1366 px', async (w) => {
    await everyPage(w, 1366);
  }],
  ['the same at 1024 px', async (w) => {
    await everyPage(w, 1024);
  }],
  ['charts keep 12 px text at 1024 px and no label is clipped', async (w) => {
    for (const width of [1024, 1366]) {
      await w.page.setViewportSize({ width, height: 768 });
      await visit(w, '#/inbox', 'h1');
      await visit(w, '#/overzicht', '.lead svg');
      await w.page.waitForTimeout(100); // the charts redraw at their real width
      const texts = await chartText(w.page);
      check(texts.length > 20, 'chart texts found', texts.length);
      const small = texts.filter((t) => t.px < 11.95);
      check(small.length === 0, `chart text at least 12 px at ${width} px`, small.slice(0, 5));
      const clipped = texts.filter((t) => !t.inside);
      check(clipped.length === 0, `no chart label clipped at ${width} px`, clipped.slice(0, 5));
      check(texts.some((t) => t.text === 'ondersteuning gestart'), 'the status chart names "ondersteuning gestart"');
      await shot(w.page, `overview-${width}`, '.lead-grid');
    }
    await w.page.setViewportSize({ width: 1366, height: 768 });
  }],
  ['a skipped route step looks skipped, and buttons say what they do', async (w) => {
    await visit(w, `#/kind/${w.childId}`, '.route');
    const steps = await w.page.$$eval('.route li', (li) => li.map((l) => ({ text: l.firstChild.textContent, state: l.dataset.state, strike: getComputedStyle(l).textDecorationLine })));
    const by = Object.fromEntries(steps.map((s) => [s.text, s]));
    eq(by.nieuw.state, 'done', 'nieuw was a step');
    eq(by['in beoordeling'].state, 'done', 'in beoordeling was a step');
    eq(by['meer info nodig'].state, 'skipped', 'meer info nodig was skipped');
    eq(by['advies gegeven'].state, 'skipped', 'advies gegeven was skipped: no advice was given');
    check(by['advies gegeven'].strike.includes('line-through'), 'a skipped step is struck through', by['advies gegeven']);
    eq(by.doorverwezen.state, 'now', 'doorverwezen is now');
    const sr = await w.page.$$eval('.route li[data-state=skipped] .sr', (s) => s.map((x) => x.textContent));
    check(sr.length === 3 && sr.every((t) => t.includes('overgeslagen')), 'a screen reader hears "overgeslagen"', sr);
    const seen = await w.page.$$eval('[data-action=seen-all], .tl-actions button', (b) => b.map((x) => x.textContent));
    check(seen.some((t) => /^Markeer (alle \d+|1 signaal) als gezien$/.test(t)), 'the button says what it does', seen);
    await shot(w.page, 'child-route', '.route');
    await w.page.setViewportSize({ width: 1024, height: 768 });
    await shot(w.page, 'child-1024');
    await w.page.setViewportSize({ width: 1366, height: 768 });
  }],
  ['the login page too', async (w) => {
    await w.page.click('[data-action=logout]');
    await w.page.waitForSelector('input[name=email]');
    const bad = await lowContrast(w.page);
    check(bad.length === 0, 'every text on the login page has at least 4.5:1', bad);
  }],
];
