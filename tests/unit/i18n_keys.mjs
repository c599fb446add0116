// i18n_keys.mjs - every message key the code can produce has a Dutch and an
// English text (issue 10: `api.error.exists` reached a coach untranslated).
//
//   node tests/unit/i18n_keys.mjs [ROOT]      exit 0 when every key is there
//
// What counts as a key the code produces:
// - C (app/, sync/): every string literal shaped like a key ("kiosk.lock.title")
//   whose first part is a namespace of assets/i18n/*/*.txt; T("x") in the
//   kiosk's screens is "kiosk.x"; the CODE of every chttp_error(..., "CODE", ...)
//   is "api.error.CODE" (the message a request gets when no other is given).
// - Console JS (assets/console/js): every string literal shaped like a key whose
//   first part is a namespace of assets/console/i18n/*.json.
// - A key built at run time from a fixed prefix ("kiosk.case.%s", `status.${s}`)
//   needs at least one key under that prefix, and the same keys under it in
//   both languages.
// A key K that is missing itself but has K.one and K.other is a plural (vp_tr_n, tn).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] || join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const KEY = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
// literals shaped like keys that are file names, not keys
const FILE = /\.(c|h|db|txt|json|png|key|csv|mjs|js|html|css|svg|vps|sh|pem|tmp)$/;

function walk(dir, ext, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'vendor' && name !== 'node_modules') walk(p, ext, out); }
    else if (ext.some((e) => name.endsWith(e))) out.push(p);
  }
  return out;
}

function txtKeys(lang) {
  const keys = new Set();
  for (const f of walk(join(root, 'assets', 'i18n', lang), ['.txt'])) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const t = line.trim();
      if (!t || t.startsWith('#') || !t.includes('=')) continue;
      keys.add(t.slice(0, t.indexOf('=')).trim());
    }
  }
  return keys;
}

function jsonKeys(lang) {
  return new Set(Object.keys(JSON.parse(readFileSync(join(root, 'assets', 'console', 'i18n', `${lang}.json`), 'utf8'))));
}

// C source without comments; string literals are kept.
function cCode(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:"])\/\/.*$/gm, '$1')
    .replace(/^\s*#\s*include.*$/gm, '');
}

function cProduced() {
  const keys = new Map(); // key -> first place it was seen
  const prefixes = new Map();
  const add = (map, k, where) => { if (!map.has(k)) map.set(k, where); };
  for (const f of [...walk(join(root, 'app'), ['.c', '.h']), ...walk(join(root, 'sync'), ['.c', '.h'])]) {
    let code = cCode(readFileSync(f, 'utf8'));
    const where = relative(root, f);
    // T("x") is "kiosk.x": take those first, then the other literals
    for (const m of code.matchAll(/\bT\(\s*"([a-z0-9_.]+)"\s*\)/g)) add(keys, `kiosk.${m[1]}`, where);
    code = code.replace(/\bT\(\s*"[a-z0-9_.]+"\s*\)/g, 'T()');
    for (const m of code.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) {
      const s = m[1];
      if (KEY.test(s) && !FILE.test(s)) add(keys, s, where);
      const tpl = /^([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*\.)%s$/.exec(s);
      if (tpl) add(prefixes, tpl[1], where);
    }
    for (const m of code.matchAll(/\bchttp_error\([^;]*?,\s*\d{3}\s*,\s*"([a-z_]+)"/g)) add(keys, `api.error.${m[1]}`, where);
  }
  return { keys, prefixes };
}

function jsProduced() {
  const keys = new Map();
  const prefixes = new Map();
  const add = (map, k, where) => { if (!map.has(k)) map.set(k, where); };
  for (const f of walk(join(root, 'assets', 'console', 'js'), ['.js'])) {
    const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    const where = relative(root, f);
    for (const m of code.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g)) {
      const s = m[1] ?? m[2];
      if (KEY.test(s) && !FILE.test(s)) add(keys, s, where);
    }
    for (const m of code.matchAll(/\bt\(\s*`([a-z][a-z0-9_.]*\.)\$\{/g)) add(prefixes, m[1], where);
  }
  return { keys, prefixes };
}

// Only keys of the files' namespaces count: "vindplaats.central" is not a key.
const namespaces = (set) => new Set([...set].map((k) => k.split('.')[0]));

function check(label, produced, langs) {
  const ns = namespaces(new Set([...langs.nl, ...langs.en]));
  const problems = [];
  let n = 0;
  for (const [key, where] of produced.keys) {
    if (!ns.has(key.split('.')[0])) continue;
    n++;
    for (const [lang, have] of Object.entries(langs)) {
      const plural = have.has(`${key}.one`) && have.has(`${key}.other`);
      if (!have.has(key) && !plural) problems.push(`${label}: ${key} (${where}) has no ${lang} text`);
    }
  }
  for (const [prefix, where] of produced.prefixes) {
    const under = Object.fromEntries(Object.entries(langs).map(([l, have]) =>
      [l, [...have].filter((k) => k.startsWith(prefix)).sort().join(' ')]));
    if (!under.nl) problems.push(`${label}: no key starts with ${prefix} (${where})`);
    else if (under.nl !== under.en) problems.push(`${label}: the keys under ${prefix} differ between nl and en (${where})`);
  }
  return { problems, n, templates: produced.prefixes.size };
}

const c = check('C', cProduced(), { nl: txtKeys('nl'), en: txtKeys('en') });
const js = check('console', jsProduced(), { nl: jsonKeys('nl'), en: jsonKeys('en') });
const problems = [...c.problems, ...js.problems];
for (const p of problems) console.error(`FAIL ${p}`);
console.log(`${c.n} C keys and ${c.templates} C key templates, ${js.n} console keys and ${js.templates} console templates checked`);
process.exit(problems.length ? 1 : 0);
