// login.js - Inloggen. Wrong password and throttling are said plainly; the
// server decides both (per account and per address).
import { h, clear, field } from '../dom.js';
import { api } from '../api.js';
import { t, currentLanguage, loadLanguage, saveLanguage } from '../i18n.js';
import { errorText } from '../ui.js';

export function render(main, { message, onSignedIn }) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const status = h('div', { class: 'login-status', role: 'alert', 'aria-live': 'assertive' });
  const submit = h('button', { class: 'btn btn-primary btn-wide', type: 'submit' }, t('login.submit'));
  const say = (text, kind) => {
    clear(status);
    if (text) status.append(h('div', { class: `notice notice-${kind || 'error'}` }, text));
  };
  if (message) say(message, 'info');

  const form = h('form', { class: 'login-form', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    if (!email.value.trim() || !password.value) { say(t('login.fill_in')); return; }
    submit.disabled = true;
    say('');
    try {
      const me = await api.login(email.value.trim(), password.value);
      password.value = '';
      await onSignedIn(me);
    } catch (e) {
      password.value = '';
      if (e.status === 401) say(t('login.failed'));
      else if (e.status === 429) say(t('login.throttled', { s: e.retryAfter || 60 }));
      else say(errorText(e));
      password.focus();
    } finally {
      submit.disabled = false;
    }
  } },
  field(t('login.email'), email),
  field(t('login.password'), password),
  status,
  submit);

  const other = currentLanguage() === 'nl' ? 'en' : 'nl';
  clear(main).append(h('div', { class: 'login' },
    h('div', { class: 'login-card' },
      h('div', { class: 'login-brand' }, 'vindplaats', h('span', {}, ' · coach')),
      h('h1', {}, t('login.title')),
      h('p', { class: 'muted' }, t('login.intro')),
      form,
      h('p', { class: 'login-foot' },
        h('span', { class: 'muted' }, t('login.privacy')), ' ',
        h('button', { class: 'link', type: 'button', 'data-action': 'lang', onclick: async () => {
          saveLanguage(other); await loadLanguage(other); render(main, { onSignedIn });
        } }, other === 'en' ? 'English' : 'Nederlands')))));
  email.focus();
}
