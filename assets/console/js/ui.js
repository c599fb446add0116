// ui.js - small shared pieces: toast, confirm dialogs, error text, pills.
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { statusLabel, levelLabel } from './format.js';

let toastTimer = 0;
// One toast at a time: a new one replaces the old; an error at a field hides it.
export function hideToast() {
  clearTimeout(toastTimer);
  const el = document.getElementById('toast');
  if (el) el.hidden = true;
}

// A plain message next to the field it concerns (field() elements); '' clears.
export function fieldError(fieldEl, text) {
  fieldEl.querySelector('.field-error')?.remove();
  const control = fieldEl.querySelector('input, select, textarea');
  if (!text) { control?.removeAttribute('aria-invalid'); return; }
  const id = `err-${Math.random().toString(36).slice(2)}`;
  fieldEl.append(h('span', { class: 'field-error', id, role: 'alert' }, text));
  if (control) { control.setAttribute('aria-invalid', 'true'); control.setAttribute('aria-describedby', id); }
}

export function toast(text, kind) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.className = `toast${kind ? ` toast-${kind}` : ''}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

// The plain sentence for an API error.
export function errorText(e) {
  if (!e || e.status === undefined) return t('error.unexpected');
  if (e.status === 0) return t('error.network');
  if (e.status === 401) return t('error.session');
  if (e.status === 403 && e.code === 'csrf') return t('error.csrf');
  if (e.status === 403 && e.code === 'not_admin') return t('error.not_admin');
  if (e.status === 403) return t('error.forbidden');
  if (e.status === 404) return t('error.not_found');
  if (e.status === 409) return t('error.exists');
  if (e.status === 422) return t('error.invalid');
  if (e.status === 429) return t('error.throttled', { s: e.retryAfter || 60 });
  if (e.status >= 500) return t('error.server');
  return e.message || t('error.unexpected');
}

export function errorBox(e) {
  return h('div', { class: 'notice notice-error', role: 'alert' }, errorText(e));
}

export function pill(status, extra) {
  return h('span', { class: `pill pill-${status || 'new'}` }, statusLabel(status), extra ? ` · ${extra}` : '');
}

export function level(n) {
  return h('span', { class: `level level-${n}` }, h('span', { class: 'dot', 'aria-hidden': 'true' }), levelLabel(n));
}

// A modal dialog; resolves with the value passed to close(value), or null.
export function dialog(title, build) {
  return new Promise((resolve) => {
    const dlg = h('dialog', { class: 'dialog', 'aria-label': title });
    const close = (v) => { dlg.close(); dlg.remove(); resolve(v ?? null); };
    dlg.addEventListener('cancel', (ev) => { ev.preventDefault(); close(null); });
    dlg.append(h('h2', { class: 'dialog-title' }, title), build(close));
    document.body.append(dlg);
    dlg.showModal();
  });
}

export function confirmDialog(title, text, okLabel, danger) {
  return dialog(title, (close) => h('div', {},
    h('p', {}, text),
    h('div', { class: 'actions' },
      h('button', { class: 'btn', type: 'button', onclick: () => close(false) }, t('action.cancel')),
      h('button', { class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, type: 'button', onclick: () => close(true) }, okLabel))));
}

export function card(title, ...kids) {
  return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null, ...kids);
}

export function empty(text) { return h('p', { class: 'empty' }, text); }

// Runs fn with el marked aria-busy (screen readers wait; tests wait for it too).
let busyCount = 0;
export async function busy(el, fn) {
  busyCount++;
  el.setAttribute('aria-busy', 'true');
  try { return await fn(); } finally { if (--busyCount === 0) el.removeAttribute('aria-busy'); }
}

export function replace(el, ...kids) { clear(el); el.append(...kids.flat().filter(Boolean)); return el; }
