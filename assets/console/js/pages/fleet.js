// fleet.js - Beheer → Tablets: one row per tablet of her locations with its
// health (colour by days since the last successful sync, in words and an
// icon too), last contact / last attempt / last success, what waits on it,
// versions, clock, free disk and what to do; renaming a tablet (the tablet
// takes the name at its next sync); revoking; a location closed for the
// holidays so its quiet tablets are not flagged. The rule is the server's
// (sync/central/cstore_fleet.h); this page only words it.
import { h } from '../dom.js';
import { api } from '../api.js';
import { t, tn } from '../i18n.js';
import { when, date } from '../format.js';
import { card, empty, toast, errorText, dialog, confirmDialog, replace } from '../ui.js';

const ICON = { green: '✓', amber: '!', red: '✕', closed: '⏸', revoked: '–' };
const NAME_MAX = 40; // what a tablet takes (VP_NAME_MAX_CHARS)

export function healthBadge(health) {
  return h('span', { class: `health health-${health}`, 'data-health': health },
    h('span', { class: 'health-icon', 'aria-hidden': 'true' }, ICON[health] || '?'), t(`fleet.health.${health}`));
}

function quietText(d) {
  if (d.health === 'revoked') return t('admin.revoked', { time: when(d.revoked_at) });
  if (d.health === 'closed') return t('fleet.closed_until', { date: date(d.closed_until) });
  if (d.never_synced) return tn('fleet.never', d.days_quiet);
  return d.days_quiet ? tn('fleet.quiet', d.days_quiet) : t('fleet.quiet_today');
}

// known: false when the tablet sends no heartbeat (its attempts are unknown)
function moment(key, iso, known = true) {
  return h('div', { class: 'moment', 'data-moment': key },
    h('span', { class: 'moment-label' }, t(`fleet.moment.${key}`)), ' ', iso ? when(iso) : t(known ? 'fleet.never_short' : 'fleet.unknown'));
}

function clockText(s) {
  const min = Math.round(Math.abs(s) / 60);
  if (min < 1) return t('fleet.clock_ok');
  return t(s > 0 ? 'fleet.clock_ahead' : 'fleet.clock_behind', { n: min });
}

function adviceText(code, d, data) {
  const hb = d.heartbeat || {};
  if (code === 'quarantine') return tn('fleet.advice.quarantine', hb.quarantined);
  const vars = {
    clock: { n: Math.round(Math.abs(hb.clock_offset_s || 0) / 60) },
    disk: { n: hb.disk_free_mb },
    update_app: { have: hb.app_version, want: data.app_version },
    catalog: { have: hb.catalog_version, want: data.catalog_version },
  }[code];
  const key = code === 'clock' ? ((hb.clock_offset_s || 0) > 0 ? 'clock_ahead' : 'clock_behind') : code;
  return t(`fleet.advice.${key}`, vars);
}

function row(d, data, refresh) {
  const hb = d.heartbeat;
  const advice = d.advice.length ? d.advice : (d.health === 'revoked' ? [] : ['none']);
  return h('tr', { 'data-device': d.id, 'data-health': d.health, class: d.revoked_at ? 'row-muted' : null },
    h('td', {}, h('b', { class: 'device-name' }, d.name), h('div', { class: 'sub' }, d.location),
      d.revoked_at ? null : h('div', {}, h('button', { class: 'link small rename', type: 'button', 'data-action': 'rename', onclick: () => rename(d, refresh) }, t('fleet.rename')))),
    h('td', {}, healthBadge(d.health), h('div', { class: 'sub', 'data-quiet': d.days_quiet }, quietText(d))),
    h('td', { class: 'nowrap' }, moment('contact', d.last_contact), moment('attempt', d.last_attempt, !!hb), moment('success', d.last_success)),
    h('td', {}, hb ? [
      h('div', { 'data-pending': hb.pending_signals }, tn('fleet.pending', hb.pending_signals)),
      hb.oldest_pending ? h('div', { class: 'sub' }, t('fleet.oldest', { time: when(hb.oldest_pending) })) : null,
      hb.quarantined ? h('div', { class: 'sub refused' }, tn('fleet.quarantined', hb.quarantined)) : null,
    ] : h('span', { class: 'muted' }, '–')),
    h('td', {}, hb ? [
      h('div', {}, t('fleet.versions', { app: hb.app_version, catalog: hb.catalog_version })),
      h('div', { class: 'sub', 'data-clock': hb.clock_offset_s }, clockText(hb.clock_offset_s)),
      h('div', { class: 'sub' }, hb.disk_free_mb < 0 ? t('fleet.disk_unknown') : t('fleet.disk', { n: hb.disk_free_mb })),
    ] : h('span', { class: 'muted' }, t('fleet.no_heartbeat'))),
    h('td', { class: 'advice-cell' }, h('ul', { class: 'advice' }, advice.map((code) => h('li', { 'data-advice': code }, adviceText(code, d, data))))),
    h('td', { class: 'row-actions' }, d.revoked_at ? null
      : h('button', { class: 'btn btn-small btn-danger-quiet', type: 'button', 'data-action': 'revoke', onclick: async () => {
        if (!await confirmDialog(t('admin.revoke_title'), t('admin.revoke_text', { name: d.name, location: d.location }), t('admin.revoke'), true)) return;
        try { await api.revoke(d.id); toast(t('admin.revoked_toast', { name: d.name })); refresh(); } catch (e) { toast(errorText(e), 'error'); }
      } }, t('admin.revoke'))));
}

async function rename(d, refresh) {
  const name = await dialog(t('fleet.rename_title'), (close) => {
    const input = h('input', { type: 'text', name: 'device-name', maxlength: NAME_MAX, required: true, value: d.name });
    return h('form', { onsubmit: (ev) => { ev.preventDefault(); close(input.value.trim()); } },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('fleet.rename_label')), input,
        h('span', { class: 'field-hint' }, t('fleet.rename_hint'))),
      h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'button', onclick: () => close(null) }, t('action.cancel')),
        h('button', { class: 'btn btn-primary', type: 'submit' }, t('action.save'))));
  });
  if (!name) return;
  try { await api.renameDevice(d.id, name); toast(t('fleet.renamed', { name })); refresh(); } catch (e) { toast(e.status === 422 ? t('fleet.rename_invalid') : errorText(e), 'error'); }
}

function closedRow(l, today, refresh) {
  const until = h('input', { type: 'date', name: 'closed-until', min: today, value: l.closed ? l.closed_until : '' });
  const act = async (value) => {
    try { await api.closeLocation(l.id, value); toast(value ? t('fleet.closed_saved', { location: l.name, date: date(value) }) : t('fleet.opened', { location: l.name })); refresh(); } catch (e) { toast(errorText(e), 'error'); }
  };
  return h('tr', { 'data-location': l.id, 'data-closed': l.closed ? l.closed_until : '' },
    h('td', {}, h('b', {}, l.name)),
    h('td', {}, l.closed ? h('span', { class: 'health health-closed' }, h('span', { class: 'health-icon', 'aria-hidden': 'true' }, ICON.closed),
      t('fleet.closed_until', { date: date(l.closed_until) })) : t('fleet.open')),
    h('td', { class: 'row-actions' }, h('form', { class: 'inline-form', onsubmit: (ev) => { ev.preventDefault(); if (until.value) act(until.value); } },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('fleet.close_until')), until),
      h('button', { class: 'btn btn-small', type: 'submit', 'data-action': 'close' }, t('fleet.close')),
      l.closed ? h('button', { class: 'btn btn-small btn-quiet', type: 'button', 'data-action': 'open', onclick: () => act('') }, t('fleet.reopen')) : null)));
}

export async function tablets(body, refresh) {
  const data = await api.devices();
  const devs = data.devices;
  const flagged = devs.filter((d) => d.health === 'amber' || d.health === 'red').length;
  replace(body,
    card(t('admin.devices'),
      flagged ? h('div', { class: 'notice notice-warn', role: 'status', 'data-notice': 'flagged' }, tn('fleet.flagged_notice', flagged)) : null,
      devs.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table fleet-table' },
        h('thead', {}, h('tr', {}, ['admin.col.device', 'fleet.col.health', 'fleet.col.moments', 'fleet.col.queue', 'fleet.col.device', 'fleet.col.advice', null]
          .map((k) => h('th', { scope: 'col' }, k ? t(k) : '')))),
        h('tbody', {}, devs.map((d) => row(d, data, refresh))))) : empty(t('admin.no_devices')),
      h('p', { class: 'small muted' }, t('fleet.legend')),
      h('p', { class: 'small muted' }, t('fleet.moments_hint'))),
    card(t('fleet.closed_title'),
      h('p', { class: 'small muted' }, t('fleet.closed_hint')),
      h('table', { class: 'table' }, h('tbody', {}, data.locations.map((l) => closedRow(l, data.today, refresh))))));
}
