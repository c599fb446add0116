// audit.js - an audit entry's detail in words: the stored detail is
// "key=value" pairs (a filter, a case's fields, a format) or "why METHOD
// PATH" for a refused attempt; a person reads labels, names and dates.
import { t } from './i18n.js';
import { state } from './state.js';
import { statusLabel, levelLabel, domainLabel } from './format.js';

const VIEWS = ['new', 'all', 'archived']; // enum ccon_view
const FORMATS = { codes: 'audit.format.codes', 'nl-csv': 'audit.format.nl_csv', xlsx: 'audit.format.xlsx', pdf: 'audit.format.pdf' };

function day(ms) {
  return new Date(ms).toLocaleDateString(document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Amsterdam' });
}

// One "key=value" in words, or null to leave it out (an "any" filter).
function pair(key, value) {
  const all = value === 'all' || value === '' || value === '0';
  switch (key) {
  case 'location': return all ? null : `${t('filter.location')}: ${state.locations.find((l) => l.id === value)?.name || value.slice(0, 8)}`;
  case 'domain': return all ? null : `${t('filter.domain')}: ${domainLabel(state.catalog?.domains?.find((d) => d.code === value)) || value}`;
  case 'level': return all ? null : `${t('filter.level')}: ${levelLabel(Number(value))}`;
  case 'status': return all ? null : `${t('filter.status')}: ${value === 'open' ? t('filter.open') : statusLabel(value)}`;
  case 'since': return all ? null : t('audit.since', { date: day(Number(value)) });
  case 'view': return t(`inbox.view.${VIEWS[Number(value)] || 'all'}`);
  case 'format': return t(FORMATS[value] || 'audit.format.codes');
  case 'lang': return value === 'en' ? t('audit.in_english') : null;
  case 'consent': return `${t('case.consent')}: ${t(`consent.${value}`)}`;
  case 'parent_talk': return `${t('case.parent_talk')}: ${t(`talk.${value}`)}`;
  case 'consultation': return t(`consultation.${value}`);
  default: return `${key}: ${value}`;
  }
}

export function auditWords(action, detail) {
  if (!detail) return '';
  const refused = detail.match(/^(not_admin|scope) (GET|POST) (\S+)/);
  if (refused) return t(`audit.refused.${refused[1]}`, { what: refused[3].replace(/^\/api\/console\//, '') });
  if (!/^\w+=/.test(detail)) return detail;
  const parts = detail.split(' ').map((p) => p.split('=')).map(([k, ...v]) => {
    if (k === 'status' && action === 'case_update') return `${t('case.status')}: ${statusLabel(v.join('='))}`;
    return pair(k, v.join('='));
  });
  return parts.filter(Boolean).join(' · ');
}
