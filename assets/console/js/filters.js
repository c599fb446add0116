// filters.js - the inbox filter, shared with the export page ("filtered as on
// screen") and kept for the browser tab in sessionStorage.
import { h, select, field } from './dom.js';
import { t, currentLanguage } from './i18n.js';
import { state } from './state.js';

const KEY = 'vp.filter';
// Nieuw holds every unseen signal: no case status is left out by default.
const DEFAULTS = { location: '', domain: '', level: '', status: '', days: '30', view: 'new', order: 'urgency' };

export const STATUSES = ['new', 'reviewing', 'more_info', 'advised', 'follow_up', 'referred', 'waiting', 'support_started', 'closed'];

export function getFilter() {
  try { return { ...DEFAULTS, ...JSON.parse(sessionStorage.getItem(KEY) || '{}') }; } catch { return { ...DEFAULTS }; }
}

export function setFilter(f) {
  try { sessionStorage.setItem(KEY, JSON.stringify(f)); } catch { /* ignore */ }
}

export function resetFilter() { setFilter(DEFAULTS); return { ...DEFAULTS }; }

// The query parameters for the API (empty values left out by api.js).
export function params(f, extra) {
  return { location: f.location, domain: f.domain, level: f.level, status: f.status, days: f.days, view: f.view, order: f.order, ...extra };
}

// The four selects (level, domain, case status, period); onchange gets the new filter.
export function filterFields(f, onchange, withLocation) {
  const set = (k) => (ev) => { const g = { ...getFilter(), [k]: ev.target.value }; setFilter(g); onchange(g); };
  const lang = currentLanguage();
  const fields = [];
  if (withLocation)
    fields.push(field(t('filter.location'), select({ name: 'location', onchange: set('location') },
      [['', t('filter.all_locations')], ...state.locations.map((l) => [l.id, l.name])], f.location)));
  fields.push(
    field(t('filter.level'), select({ name: 'level', onchange: set('level') },
      [['', t('filter.all')], ['1', t('level.1')], ['2', t('level.2')], ['3', t('level.3')]], f.level)),
    field(t('filter.domain'), select({ name: 'domain', onchange: set('domain') },
      [['', t('filter.all')], ...(state.catalog?.domains || []).map((d) => [d.code, d[lang] || d.nl])], f.domain)),
    field(t('filter.status'), select({ name: 'status', onchange: set('status') },
      [['', t('filter.all')], ['open', t('filter.open')], ...STATUSES.map((s) => [s, t(`status.${s}`)])], f.status)),
    field(t('filter.period'), select({ name: 'days', onchange: set('days') },
      [['7', t('filter.days', { n: 7 })], ['30', t('filter.days', { n: 30 })], ['90', t('filter.days', { n: 90 })],
        ['365', t('filter.year')], ['', t('filter.always')]], f.days)));
  return h('div', { class: 'filters' }, fields);
}
