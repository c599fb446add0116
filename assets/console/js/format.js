// format.js - dates, ages, levels, case states and signal labels in the
// coach's language.
import { t, tn, currentLanguage } from './i18n.js';
import { state } from './state.js';

const DAY = 86400000;

function locale() { return currentLanguage() === 'en' ? 'en-GB' : 'nl-NL'; }

export function dayStart(d) { return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(); }

// "vandaag 09:13", "gisteren 16:02", "20 nov", "20 nov 2025"
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const now = new Date();
  const days = Math.round((dayStart(now) - dayStart(d)) / DAY);
  const hm = d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
  if (days === 0) return t('time.today', { time: hm });
  if (days === 1) return t('time.yesterday', { time: hm });
  const opts = { day: 'numeric', month: 'short' };
  if (d.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return d.toLocaleDateString(locale(), opts);
}

// Full date and time, for the timeline's device and receive times.
export function stamp(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(locale(), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

// "YYYY-MM-DD" -> "1 dec 2026"
export function date(ymd) {
  if (!ymd) return '';
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(locale(), { day: 'numeric', month: 'short', year: 'numeric' });
}

export function todayYmd() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function age(months) {
  if (months === null || months === undefined || months < 0) return '';
  const y = Math.floor(months / 12), m = months % 12;
  if (y === 0) return t('age.months', { m });
  return t('age.years_months', { y, m });
}

export function levelLabel(level) { return t(`level.${level}`); }
export function statusLabel(code) { return t(`status.${code || 'new'}`); }

export function signalLabel(code) {
  const s = state.signals.get(code);
  if (!s) return code;
  return s.signal[currentLanguage()] || s.signal.nl;
}

export function domainOf(code) { return state.signals.get(code)?.domain || null; }

export function domainLabel(d) { return d ? (d[currentLanguage()] || d.nl) : ''; }

// The name a coach may use: the first name only when consent is recorded
// (the server leaves it out otherwise), else the pseudonym code.
export function childName(child) {
  if (!child) return t('child.erased');
  if (child.named && child.first_name) return `${child.first_name} (${child.pseudonym})`;
  return child.pseudonym;
}

// A wait in words: "10 min", "3 uur", "2 dagen" (never "0 uur").
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.max(0, seconds);
  if (s < 90 * 60) return t('unit.minutes', { n: Math.max(1, Math.round(s / 60)) });
  if (s < 36 * 3600) return tn('unit.hours_n', Math.round(s / 3600));
  return tn('unit.days_n', Math.round(s / 86400));
}

export function days(n) {
  if (n === null || n === undefined) return '–';
  return t('unit.days', { n });
}
