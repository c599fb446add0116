// admin.js - Beheer (admin coach): locations and enrolment codes (shown
// large enough to type on a tablet), tablets (their health: pages/fleet.js),
// coach accounts and their locations, the audit log.
import { h, clear, select, field } from '../dom.js';
import { api } from '../api.js';
import { t, tn } from '../i18n.js';
import { stamp, when, duration } from '../format.js';
import { state } from '../state.js';
import { tablets } from './fleet.js';
import { auditWords } from '../audit.js';
import { card, empty, errorBox, toast, errorText, dialog, confirmDialog, replace, busy } from '../ui.js';

const TABS = ['locaties', 'apparaten', 'coaches', 'audit'];
const ACTIONS = ['login', 'login_failed', 'login_throttled', 'logout', 'view', 'view_denied', 'case_update', 'advice', 'archive', 'unarchive',
  'export_signals', 'export_cases', 'dossier_export', 'erase', 'enroll_code', 'device_revoke', 'device_rename', 'location_closed', 'location_add', 'coach_add', 'coach_update',
  'denied', 'privacy_contact'];

function showCode(c) {
  return dialog(t('admin.code_title', { location: c.location }), (close) => h('div', { class: 'code-show' },
    h('p', {}, t('admin.code_text')),
    h('p', { class: 'code-big', 'data-code': c.code }, c.code),
    h('p', { class: 'small muted' }, t('admin.code_expires', { time: stamp(c.expires_at) })),
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', type: 'button', onclick: () => close(true) }, t('action.done')))));
}

async function locations(body, refresh) {
  const { locations: locs } = await api.adminLocations();
  const name = h('input', { type: 'text', name: 'name', maxlength: 80, required: true });
  const org = h('input', { type: 'text', name: 'org', maxlength: 80, value: locs[0]?.org || '' });
  replace(body,
    card(t('admin.locations'),
      h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ['admin.col.location', 'admin.col.org', 'admin.col.devices', 'admin.col.children', 'admin.col.signals', 'admin.col.codes', null]
          .map((k) => h('th', { scope: 'col' }, k ? t(k) : '')))),
        h('tbody', {}, locs.map((l) => h('tr', { 'data-location': l.id },
          h('td', {}, h('b', {}, l.name)), h('td', {}, l.org), h('td', { class: 'num' }, String(l.devices)),
          h('td', { class: 'num' }, String(l.children)), h('td', { class: 'num' }, String(l.signals)), h('td', { class: 'num' }, String(l.open_codes)),
          h('td', { class: 'row-actions' }, h('button', { class: 'btn btn-small', type: 'button', 'data-action': 'new-code', onclick: async () => {
            try { await showCode(await api.newCode(l.id)); refresh(); } catch (e) { toast(errorText(e), 'error'); }
          } }, t('admin.new_code'))))))),
      h('p', { class: 'small muted' }, t('admin.codes_hint'))),
    card(t('admin.add_location'),
      h('form', { class: 'inline-form', onsubmit: async (ev) => {
        ev.preventDefault();
        try { await api.addLocation(name.value.trim(), org.value.trim()); toast(t('admin.location_added')); refresh(); } catch (e) { toast(errorText(e), 'error'); }
      } }, field(t('admin.col.location'), name), field(t('admin.col.org'), org),
      h('button', { class: 'btn btn-primary', type: 'submit' }, t('action.add')))));
}

function locationChecks(selected, name) {
  return h('div', { class: 'checks' }, state.allLocations.map((l) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value: l.id, checked: selected.includes(l.id) }), l.name)));
}

function checked(root, name) { return [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value); }

async function coaches(body, refresh) {
  const [{ coaches: list }, { locations: locs }] = await Promise.all([api.coaches(), api.adminLocations()]);
  state.allLocations = locs;
  const email = h('input', { type: 'email', name: 'email', required: true });
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 80 });
  const pw = h('input', { type: 'password', name: 'password', required: true, minlength: 8, autocomplete: 'new-password' });
  const adm = h('input', { type: 'checkbox', name: 'admin' });
  const form = h('form', { class: 'stack', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api.addCoach({ email: email.value.trim(), name: name.value.trim(), password: pw.value, locations: checked(form, 'new-loc'), admin: adm.checked });
      toast(t('admin.coach_added')); refresh();
    } catch (e) { toast(e.status === 422 ? t('admin.coach_invalid') : errorText(e), 'error'); }
  } },
  h('div', { class: 'grid3' }, field(t('admin.col.name'), name), field(t('admin.col.email'), email), field(t('admin.password'), pw, t('admin.password_hint'))),
  h('fieldset', { class: 'group' }, h('legend', {}, t('admin.col.locations')), locationChecks([], 'new-loc')),
  h('label', { class: 'check' }, adm, t('admin.is_admin')),
  h('div', { class: 'actions actions-left' }, h('button', { class: 'btn btn-primary', type: 'submit' }, t('admin.add_coach'))));

  replace(body,
    card(t('admin.coaches'), h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['admin.col.name', 'admin.col.email', 'admin.col.locations', 'admin.col.last_login', null].map((k) => h('th', { scope: 'col' }, k ? t(k) : '')))),
      h('tbody', {}, list.map((c) => h('tr', { 'data-coach': c.email },
        h('td', {}, h('b', {}, c.name), c.admin ? h('span', { class: 'tag' }, t('admin.admin')) : null),
        h('td', {}, c.email),
        h('td', {}, c.locations.map((l) => l.name).join(', ') || h('span', { class: 'muted' }, t('admin.no_locations'))),
        h('td', {}, c.last_login ? when(c.last_login) : '–'),
        // only accounts whose locations are all hers, never her own (the server's rule)
        h('td', { class: 'row-actions' }, !c.editable ? null : h('button', { class: 'btn btn-small btn-quiet', type: 'button', 'data-action': 'edit-coach', onclick: async () => {
          const res = await dialog(t('admin.edit_coach', { name: c.name }), (close) => {
            const a = h('input', { type: 'checkbox', name: 'admin', checked: c.admin });
            const f = h('form', { onsubmit: (ev) => { ev.preventDefault(); close({ locations: checked(f, 'edit-loc'), admin: a.checked }); } },
              h('fieldset', { class: 'group' }, h('legend', {}, t('admin.col.locations')), locationChecks(c.locations.map((l) => l.id), 'edit-loc')),
              h('label', { class: 'check' }, a, t('admin.is_admin')),
              h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'button', onclick: () => close(null) }, t('action.cancel')),
                h('button', { class: 'btn btn-primary', type: 'submit' }, t('action.save'))));
            return f;
          });
          if (!res) return;
          try { await api.setCoach(c.id, res.locations, res.admin); toast(t('admin.coach_saved')); refresh(); } catch (e) { toast(errorText(e), 'error'); }
        } }, t('action.edit')))))))),
    card(t('admin.add_coach'), form));
}

let auditAction = '';
async function audit(body, refresh) {
  const { audit: rows } = await api.audit({ action: auditAction, limit: 300 });
  const pick = select({ name: 'action', onchange: (ev) => { auditAction = ev.target.value; refresh(); } },
    [['', t('filter.all')], ...ACTIONS.map((a) => [a, t(`audit.${a}`)])], auditAction);
  replace(body, card(null,
    h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('admin.audit')), h('div', { class: 'filters filters-inline' }, field(t('admin.col.action'), pick))),
    rows.length ? h('table', { class: 'table table-dense audit-table' },
      h('thead', {}, h('tr', {}, ['admin.col.when', 'admin.col.who', 'admin.col.action', 'admin.col.child', 'admin.col.location', 'admin.col.detail']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows.map((r) => h('tr', { 'data-action': r.action },
        h('td', { class: 'nowrap' }, stamp(r.at)), h('td', {}, r.coach || h('span', { class: 'muted' }, r.ip || '–')),
        h('td', {}, t(`audit.${r.action}`)), h('td', {}, r.pseudonym || (r.child_id ? h('span', { class: 'muted mono' }, r.child_id.slice(0, 8)) : '')),
        h('td', {}, r.location), h('td', { class: 'detail', title: r.detail }, auditWords(r.action, r.detail)))))) : empty(t('admin.audit_empty'))));
}

export async function render(main, { id, isCurrent }) {
  if (!state.admin) {
    clear(main).append(h('div', { class: 'page' }, h('div', { class: 'page-head' }, h('h1', {}, t('admin.title'))), card(null, errorBox({ status: 403, code: 'not_admin' }))));
    return;
  }
  const tab = TABS.includes(id) ? id : 'locaties';
  const body = h('div', { class: 'stack' });
  const refresh = () => busy(main, async () => {
    try {
      const fn = { locaties: locations, apparaten: tablets, coaches, audit }[tab];
      await fn(body, refresh);
    } catch (e) { if (e.status === 401) throw e; replace(body, card(null, errorBox(e))); }
  });
  clear(main).append(h('div', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('admin.title')),
      h('nav', { class: 'tabs', 'aria-label': t('admin.title') }, TABS.map((x) =>
        h('a', { href: `#/beheer/${x}`, class: ['tab', x === tab ? 'on' : null], 'aria-current': x === tab ? 'page' : null }, t(`admin.tab.${x}`))))),
    body));
  if (isCurrent()) await refresh();
}
