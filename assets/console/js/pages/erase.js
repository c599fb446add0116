// erase.js - erasing a child on a parent's request: confirmed twice (first
// what it means, then typing the code), then the tablets purge the child at
// their next sync and the audit log keeps the fact.
import { h, field } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { dialog, toast, errorText } from '../ui.js';

export async function eraseChild(child) {
  const first = await dialog(t('erase.title'), (close) => h('div', {},
    h('p', {}, t('erase.text1', { code: child.pseudonym, location: child.location })),
    h('ul', { class: 'bullets' }, h('li', {}, t('erase.what1')), h('li', {}, t('erase.what2')), h('li', {}, t('erase.what3'))),
    h('div', { class: 'actions' },
      h('button', { class: 'btn', type: 'button', onclick: () => close(false) }, t('action.cancel')),
      h('button', { class: 'btn btn-danger', type: 'button', 'data-action': 'erase-next', onclick: () => close(true) }, t('erase.next')))));
  if (!first) return false;
  const second = await dialog(t('erase.title2'), (close) => {
    const input = h('input', { type: 'text', name: 'confirm-code', autocomplete: 'off', spellcheck: 'false' });
    const ok = h('button', { class: 'btn btn-danger', type: 'submit', disabled: true, 'data-action': 'erase-confirm' }, t('erase.confirm'));
    input.addEventListener('input', () => { ok.disabled = input.value.trim().toUpperCase() !== child.pseudonym.toUpperCase(); });
    return h('form', { onsubmit: (ev) => { ev.preventDefault(); if (!ok.disabled) close(true); } },
      h('p', {}, t('erase.text2', { code: child.pseudonym })),
      field(t('erase.type_code'), input),
      h('div', { class: 'actions' },
        h('button', { class: 'btn', type: 'button', onclick: () => close(false) }, t('action.cancel')), ok));
  });
  if (!second) return false;
  try {
    await api.erase(child.child_id);
    toast(t('erase.done', { code: child.pseudonym }));
    return true;
  } catch (e) {
    toast(errorText(e), 'error');
    return false;
  }
}
