// i18n.js - the console's texts: Dutch by default, English on request. The
// translations live in /static/i18n/{nl,en}.json; every key exists in both
// (tests/console checks it). {name} in a text is a placeholder.

let lang = 'nl';
let texts = {};
const missing = new Set();

export async function loadLanguage(wanted) {
  lang = wanted === 'en' ? 'en' : 'nl';
  const res = await fetch(`/static/i18n/${lang}.json`, { credentials: 'same-origin' });
  texts = await res.json();
  document.documentElement.lang = lang;
  return lang;
}

export function savedLanguage() {
  try { return localStorage.getItem('vp.lang') || 'nl'; } catch { return 'nl'; }
}

export function saveLanguage(l) {
  try { localStorage.setItem('vp.lang', l); } catch { /* private mode: session only */ }
}

export function currentLanguage() { return lang; }

export function t(key, vars) {
  let s = texts[key];
  if (s === undefined) {
    if (!missing.has(key)) { missing.add(key); console.error(`i18n: missing text ${key}`); }
    s = key;
  }
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// A plural: key.one / key.other
export function tn(key, n, vars) {
  return t(`${key}.${n === 1 ? 'one' : 'other'}`, { n, ...vars });
}
