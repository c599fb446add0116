// inbox.js - Inbox: signals across her locations, grouped by child; "Nieuw"
// holds every unseen signal of any age; triage order (Grote zorg first, then
// the oldest) or newest first; filters; counts per location; mark seen, open
// the child's case, archive with a reason. A signal is one row however often
// it was amended ("aangepast"). A banner names locations whose tablets have
// not synced for more than 3 days.
import { h, clear, select, field } from '../dom.js';
import { api } from '../api.js';
import { t, tn } from '../i18n.js';
import { when, age, signalLabel, childName } from '../format.js';
import { getFilter, setFilter, resetFilter, filterFields, params } from '../filters.js';
import { card, empty, errorBox, level, pill, toast, dialog, errorText, replace, busy } from '../ui.js';
import { refreshInboxCount } from '../app.js';
import { state } from '../state.js';

export const ARCHIVE_REASONS = ['no_follow_up', 'duplicate', 'other'];

export function archiveDialog(count) {
  return dialog(t('archive.title'), (close) => {
    const reason = select({ name: 'reason' }, ARCHIVE_REASONS.map((r) => [r, t(`archive.reason.${r}`)]), 'no_follow_up');
    return h('form', { method: 'dialog', onsubmit: (ev) => { ev.preventDefault(); close(reason.value); } },
      h('p', {}, tn('archive.text', count)),
      field(t('archive.reason'), reason),
      h('div', { class: 'actions' },
        h('button', { class: 'btn', type: 'button', onclick: () => close(null) }, t('action.cancel')),
        h('button', { class: 'btn btn-primary', type: 'submit', 'data-action': 'archive-confirm' }, t('archive.confirm'))));
  });
}

// Groups rows by child, keeping the order of each child's first row (the most urgent).
function groupByChild(rows) {
  const groups = new Map();
  for (const r of rows) {
    if (!groups.has(r.child_id)) groups.set(r.child_id, []);
    groups.get(r.child_id).push(r);
  }
  return [...groups.entries()];
}

function signalLine(r) {
  return h('li', { class: r.seen ? 'sig' : 'sig sig-new' },
    h('span', { class: 'sig-label' }, r.signals.map(signalLabel).join(' · ')),
    r.amended ? h('span', { class: 'tag tag-amended', title: t('signal.updated', { time: when(r.updated_at) }) }, t('signal.amended')) : null,
    h('span', { class: 'sig-meta' }, [r.staff, when(r.received_at)].filter(Boolean).join(' · ')));
}

// Locations whose tablets have not synced successfully for more than 3 days
// (not while marked closed): their signals may be stuck on a tablet.
function quietBanner(quiet) {
  if (!quiet.length) return null;
  return h('div', { class: 'notice notice-warn quiet-banner', role: 'status', 'data-banner': 'quiet' },
    quiet.map((l) => h('p', { 'data-location': l.id }, h('b', {}, tn('inbox.quiet', l.days, { location: l.name })))),
    h('p', {}, t('inbox.quiet_what'), state.admin ? [' ', h('a', { href: '#/beheer/apparaten', 'data-action': 'see-tablets' }, t('inbox.quiet_link'))] : null));
}

export async function render(main, { isCurrent }) {
  let f = getFilter();
  const side = h('aside', { class: 'side' });
  const body = h('div', { class: 'content' });
  let quiet = []; // locations without a successful sync for over 3 days (the server's rule)
  clear(main).append(h('div', { class: 'layout' }, side, body));

  const reload = () => busy(main, async () => {
    f = getFilter();
    let data;
    try {
      const quietLater = api.quietLocations().catch(() => ({ locations: [] })); // the inbox's own call reports a lost session
      data = await api.inbox(params(f, { limit: 300 }));
      quiet = (await quietLater).locations;
    } catch (e) {
      if (e.status === 401) throw e;
      replace(body, card(null, errorBox(e)));
      return;
    }
    if (!isCurrent()) return;
    await refreshInboxCount();
    drawSide(data);
    drawTable(data);
  });

  const drawSide = (data) => {
    const total = data.locations.reduce((a, l) => a + l.count, 0);
    const locBtn = (id, name, count) => h('li', {},
      h('button', { type: 'button', class: ['loc', f.location === id ? 'on' : null], 'data-location': id || 'all',
        onclick: () => { setFilter({ ...getFilter(), location: id }); reload(); } },
      h('span', {}, name), h('b', {}, String(count))));
    replace(side,
      card(t('inbox.locations'),
        h('ul', { class: 'locs' }, locBtn('', t('filter.all_locations'), total),
          data.locations.map((l) => locBtn(l.id, l.name, l.count)))),
      card(t('inbox.filter'), filterFields(f, () => reload(), false),
        field(t('inbox.order'), select({ name: 'order', onchange: (ev) => { setFilter({ ...getFilter(), order: ev.target.value }); reload(); } },
          [['urgency', t('inbox.order.urgency')], ['newest', t('inbox.order.newest')]], f.order || 'urgency')),
        h('button', { class: 'link', type: 'button', 'data-action': 'reset', onclick: () => { resetFilter(); reload(); } }, t('filter.reset'))));
  };

  const act = async (fn, okText) => {
    try { await fn(); toast(okText); await reload(); } catch (e) { if (e.status === 401) throw e; toast(errorText(e), 'error'); }
  };

  const drawTable = (data) => {
    const views = ['new', 'all', 'archived'];
    const tabs = h('div', { class: 'tabs', role: 'tablist' }, views.map((v) => h('button', {
      type: 'button', role: 'tab', class: ['tab', f.view === v ? 'on' : null], 'aria-selected': f.view === v ? 'true' : 'false',
      'data-view': v, onclick: () => { setFilter({ ...getFilter(), view: v }); reload(); } }, t(`inbox.view.${v}`))));
    const groups = groupByChild(data.signals);
    let table;
    if (!groups.length) {
      table = empty(t(f.view === 'new' ? 'inbox.empty_new' : 'inbox.empty'));
    } else {
      table = h('table', { class: 'table inbox-table' },
        h('thead', {}, h('tr', {}, ['inbox.col.child', 'inbox.col.where', 'inbox.col.signals', 'inbox.col.level', 'inbox.col.case', 'inbox.col.received', null]
          .map((k) => h('th', { scope: 'col' }, k ? t(k) : h('span', { class: 'sr' }, t('inbox.col.actions')))))),
        h('tbody', {}, groups.map(([childId, rows]) => {
          const child = data.children[childId];
          const unseen = rows.filter((r) => !r.seen);
          const maxLevel = Math.max(...rows.map((r) => r.level));
          const ids = rows.map((r) => r.id);
          return h('tr', { class: unseen.length ? 'row-new' : null, 'data-child': childId },
            h('td', {}, h('a', { href: `#/kind/${childId}`, class: 'child-link' }, childName(child)),
              h('div', { class: 'sub' }, age(child?.age_months))),
            h('td', {}, child?.location || '', child?.group ? h('div', { class: 'sub' }, child.group) : null),
            h('td', {}, h('ul', { class: 'sigs' }, rows.slice(0, 4).map(signalLine)),
              rows.length > 4 ? h('div', { class: 'sub' }, t('inbox.more', { n: rows.length - 4 })) : null),
            h('td', {}, level(maxLevel)),
            h('td', {}, pill(rows[0].case_status)),
            h('td', { class: 'nowrap' }, when(rows[0].received_at)),
            h('td', { class: 'row-actions' }, h('div', { class: 'stacked' },
              f.view !== 'archived' && unseen.length ? h('button', { class: 'btn btn-small', type: 'button', 'data-action': 'seen',
                onclick: () => act(() => api.markSeen(unseen.map((r) => r.id)), tn('toast.seen', unseen.length)) }, t('action.seen')) : null,
              f.view !== 'archived' ? h('button', { class: 'btn btn-small btn-quiet', type: 'button', 'data-action': 'archive',
                onclick: async () => {
                  const reason = await archiveDialog(ids.length);
                  if (reason) await act(() => Promise.all(ids.map((id) => api.archive(id, reason))), tn('toast.archived', ids.length));
                } }, t('action.archive')) : h('button', { class: 'btn btn-small btn-quiet', type: 'button', 'data-action': 'unarchive',
                onclick: () => act(() => Promise.all(ids.map((id) => api.archive(id, null))), t('toast.unarchived')) }, t('action.unarchive')))));
        })));
    }
    replace(body, quietBanner(quiet), card(null,
      h('div', { class: 'card-head' }, h('h1', { class: 'card-title' }, t('inbox.title')), tabs),
      f.view === 'new' ? h('p', { class: 'small muted', 'data-hint': 'new-any-age' }, t('inbox.new_any_age')) : null,
      data.more ? h('p', { class: 'notice notice-info' }, t('inbox.truncated')) : null,
      table));
  };

  await reload();
}
