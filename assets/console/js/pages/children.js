// children.js - Kinderen: every child with a case in her locations, with its
// status, signals and next action; a way into each child's route.
import { h, clear, select, field } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { when, age, childName, date, todayYmd } from '../format.js';
import { card, empty, level, pill, replace, busy } from '../ui.js';
import { state } from '../state.js';
import { STATUSES } from '../filters.js';

let current = { location: '', status: '' };

export async function render(main, { isCurrent }) {
  const body = h('div', { class: 'content' });
  const filters = h('div', { class: 'filters filters-inline' },
    field(t('filter.location'), select({ name: 'location', onchange: (ev) => { current.location = ev.target.value; reload(); } },
      [['', t('filter.all_locations')], ...state.locations.map((l) => [l.id, l.name])], current.location)),
    field(t('filter.status'), select({ name: 'status', onchange: (ev) => { current.status = ev.target.value; reload(); } },
      [['', t('filter.all')], ...STATUSES.map((s) => [s, t(`status.${s}`)])], current.status)));
  clear(main).append(h('div', { class: 'page' }, body));

  const reload = () => busy(main, async () => {
    const data = await api.cases({ location: current.location, status: current.status, limit: 1000 });
    if (!isCurrent()) return;
    const today = todayYmd();
    const rows = data.cases;
    replace(body, card(null,
      h('div', { class: 'card-head' }, h('h1', { class: 'card-title' }, t('children.title')), filters),
      rows.length ? h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ['children.col.child', 'inbox.col.where', 'children.col.status', 'children.col.signals', 'inbox.col.level', 'children.col.next', 'children.col.last']
          .map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows.map((r) => {
          const k = r.case;
          const overdue = k.next_action_due && k.next_action_due < today && k.status !== 'closed';
          return h('tr', { 'data-child': r.child_id },
            h('td', {}, h('a', { class: 'child-link', href: `#/kind/${r.child_id}` }, childName(r)), h('div', { class: 'sub' }, age(r.age_months))),
            h('td', {}, r.location, h('div', { class: 'sub' }, r.group)),
            h('td', {}, pill(k.status, k.status === 'follow_up' && k.follow_up_date ? date(k.follow_up_date) : null)),
            h('td', { class: 'num' }, String(k.signal_count)),
            h('td', {}, k.max_level ? level(k.max_level) : ''),
            h('td', {}, k.next_action || h('span', { class: 'muted' }, '–'),
              k.next_action_due ? h('div', { class: overdue ? 'sub overdue' : 'sub' }, overdue ? t('children.overdue', { date: date(k.next_action_due) }) : date(k.next_action_due)) : null),
            h('td', { class: 'nowrap' }, when(k.last_signal_at)));
        }))) : empty(t('children.empty'))));
  });
  await reload();
}
