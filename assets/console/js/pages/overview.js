// overview.js - Overzicht: aggregated numbers only, as charts: signals per
// week per domain and per location; lead times from the first signal to
// parent conversation, consultation, referral and support, per location,
// against the 2019 reference (ten months); open cases by status; overdue
// next actions. Every number counts signals (each once, however often it was
// amended) except the bars per domain, which say so.
import { h, clear, select, field } from '../dom.js';
import { api } from '../api.js';
import { t, currentLanguage } from '../i18n.js';
import { state } from '../state.js';
import { STATUSES } from '../filters.js';
import { card, replace } from '../ui.js';
import { stackedBars, legend, hbars, spark } from '../charts.js';

const STEPS = ['parent_talk', 'consultation', 'referral', 'support'];
const LOC_COLORS = ['#2F5D62', '#3D6FB6', '#B0517F', '#C26A1B', '#3E8E48', '#6A55A8', '#A88400', '#1F8A93', '#7A6A55'];
const STATUS_COLORS = { new: '#3D6FB6', reviewing: '#1F8A93', more_info: '#A88400', advised: '#2F5D62', follow_up: '#3E8E48', referred: '#6A55A8', waiting: '#B86E00', support_started: '#2E7D4F' };
let current = { location: '', weeks: '12' };

// A median in days: whole, or with one decimal (the mean of two middle values).
function dayCount(n) {
  if (n === null || n === undefined) return n;
  return Number.isInteger(n) ? String(n) : n.toLocaleString(currentLanguage() === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 });
}

function weekLabel(ymd) {
  const [, m, d] = ymd.split('-').map(Number);
  return `${d}/${m}`;
}

function kpi(label, value, note, cls) {
  return h('div', { class: ['kpi', cls] }, h('div', { class: 'kpi-value' }, value), h('div', { class: 'kpi-label' }, label),
    note ? h('div', { class: 'kpi-note' }, note) : null);
}

export async function render(main, { isCurrent }) {
  const body = h('div', { class: 'page' });
  clear(main).append(body);
  const d = await api.overview({ location: current.location, weeks: current.weeks });
  if (!isCurrent()) return;
  const lang = currentLanguage();
  const filters = h('div', { class: 'filters filters-inline' },
    field(t('filter.location'), select({ name: 'location', onchange: (ev) => { current.location = ev.target.value; render(main, { isCurrent }); } },
      [['', t('filter.all_locations')], ...state.locations.map((l) => [l.id, l.name])], current.location)),
    field(t('overview.weeks'), select({ name: 'weeks', onchange: (ev) => { current.weeks = ev.target.value; render(main, { isCurrent }); } },
      [['12', t('overview.weeks_n', { n: 12 })], ['26', t('overview.weeks_n', { n: 26 })], ['52', t('overview.weeks_n', { n: 52 })]], current.weeks)));

  const domains = (state.catalog?.domains || []).filter((dm) => d.by_domain[dm.code]);
  const series = domains.map((dm) => ({ key: dm.code, label: dm[`short_${lang}`] || dm[lang] || dm.nl, color: dm.stripe, values: d.by_domain[dm.code] }));
  const labels = d.weeks.map(weekLabel);
  const totalSignals = d.signals;
  const tot = d.total;
  const ref = d.reference_days;
  const supportMedian = tot.lead_times.support.median;

  const kpis = h('div', { class: 'kpis' },
    kpi(t('overview.kpi.signals', { n: d.weeks.length }), String(totalSignals), t('overview.kpi.signals_hint')),
    kpi(t('overview.kpi.open'), String(tot.open)),
    kpi(t('overview.kpi.overdue'), String(tot.overdue + tot.follow_up_overdue), null, tot.overdue + tot.follow_up_overdue ? 'kpi-warn' : null),
    kpi(t('overview.kpi.support'), supportMedian === null ? '–' : t('unit.days', { n: dayCount(supportMedian) }),
      t('overview.kpi.reference', { n: ref })));

  const perLoc = h('ul', { class: 'spark-list' }, d.locations.map((l, i) => {
    const vals = d.by_location[l.id] || [];
    return h('li', {}, h('span', { class: 'spark-name' }, l.name), spark(vals, LOC_COLORS[i % LOC_COLORS.length]),
      h('b', { class: 'spark-total' }, String(vals.reduce((a, b) => a + b, 0))));
  }));

  const lead = h('div', { class: 'grid2 lead-grid' }, STEPS.map((step) => {
    const rows = d.locations.map((l) => {
      const m = d.per_location[l.id].lead_times[step];
      return { label: l.name, value: m.median, note: m.n ? t('overview.median_n', { d: dayCount(m.median), n: m.n }) : t('overview.none_yet') };
    });
    const all = tot.lead_times[step];
    rows.push({ label: t('overview.all'), value: all.median, color: '#1F3F43', note: all.n ? t('overview.median_n', { d: dayCount(all.median), n: all.n }) : t('overview.none_yet') });
    return h('div', { class: 'lead', 'data-step': step }, h('h3', {}, t(`overview.step.${step}`)),
      hbars(rows, { ref: { value: ref, label: t('overview.ref_line') }, unit: ' d', title: t(`overview.step.${step}`) }),
      all.waiting ? h('p', { class: 'small muted' }, t('overview.waiting', { n: all.waiting, d: dayCount(all.waiting_median) })) : null);
  }));

  const statusRows = STATUSES.filter((s) => s !== 'closed').map((s) => ({ label: t(`status.${s}`), value: tot.status[s] || 0, color: STATUS_COLORS[s] }));
  const overdueRows = d.locations.map((l) => {
    const p = d.per_location[l.id];
    return { label: l.name, value: p.overdue + p.follow_up_overdue, color: '#945700' };
  });

  replace(body,
    h('div', { class: 'page-head' }, h('h1', {}, t('overview.title')), filters),
    h('p', { class: 'muted small' }, t('overview.aggregated')),
    kpis,
    h('div', { class: 'two-col-even' },
      card(t('overview.by_domain'), totalSignals ? [stackedBars(labels, series, { title: t('overview.by_domain') }), legend(series),
        h('p', { class: 'small muted', 'data-hint': 'domains' }, t('overview.by_domain_hint'))] : h('p', { class: 'empty' }, t('overview.no_signals'))),
      card(t('overview.by_location'), perLoc, h('p', { class: 'small muted' }, t('overview.by_location_hint', { n: d.weeks.length })))),
    card(t('overview.lead_times'), h('p', { class: 'small muted' }, t('overview.lead_hint', { n: ref })), lead),
    h('div', { class: 'two-col-even' },
      card(t('overview.by_status'), hbars(statusRows, { max: 5, title: t('overview.by_status') })),
      card(t('overview.overdue'), hbars(overdueRows, { max: 5, title: t('overview.overdue') }), h('p', { class: 'small muted' }, t('overview.overdue_hint')))));
}
