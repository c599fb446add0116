// app.js - the console's shell: session, header and navigation, hash router.
// Pages live in pages/*.js and export render(main, params).
import { h, clear } from './dom.js';
import { api, setCsrf } from './api.js';
import { loadLanguage, savedLanguage, saveLanguage, currentLanguage, t } from './i18n.js';
import { state, setCatalog } from './state.js';
import { errorBox, toast, busy } from './ui.js';
import * as login from './pages/login.js';
import * as inbox from './pages/inbox.js';
import * as children from './pages/children.js';
import * as child from './pages/child.js';
import * as overview from './pages/overview.js';
import * as exportPage from './pages/export.js';
import * as admin from './pages/admin.js';

const routes = [
  { path: /^#\/inbox$/, page: inbox, nav: 'inbox' },
  { path: /^#\/kinderen$/, page: children, nav: 'children' },
  { path: /^#\/kind\/([0-9a-fA-F-]{36})$/, page: child, nav: 'children' },
  { path: /^#\/overzicht$/, page: overview, nav: 'overview' },
  { path: /^#\/export$/, page: exportPage, nav: 'export' },
  { path: /^#\/beheer(?:\/(\w+))?$/, page: admin, nav: 'admin' },
];

const navItems = [
  ['inbox', '#/inbox', 'nav.inbox'],
  ['children', '#/kinderen', 'nav.children'],
  ['overview', '#/overzicht', 'nav.overview'],
  ['export', '#/export', 'nav.export'],
  ['admin', '#/beheer', 'nav.admin'],
];

let signedIn = false;
let renderSeq = 0;

function main() { return document.getElementById('main'); }

export function setInboxCount(n) {
  const b = document.getElementById('nav-count');
  if (!b) return;
  b.textContent = n > 999 ? '999+' : String(n);
  b.hidden = !n;
}

// The "Nieuw" count in the navigation, on every page: every signal she has
// not seen, of any age (the server's one definition).
export async function refreshInboxCount() {
  try { setInboxCount((await api.newCount()).new); } catch (e) { if (e.status === 401) throw e; }
}

function renderShell(active) {
  const top = document.getElementById('top');
  top.hidden = false;
  const nav = clear(document.getElementById('nav'));
  for (const [key, href, label] of navItems) {
    if (key === 'admin' && !state.admin) continue;
    const a = h('a', { href, class: key === active ? 'on' : null, 'aria-current': key === active ? 'page' : null, 'data-nav': key }, t(label));
    if (key === 'inbox') a.append(h('span', { class: 'count', id: 'nav-count', hidden: true }));
    nav.append(a);
  }
  const other = currentLanguage() === 'nl' ? 'en' : 'nl';
  clear(document.getElementById('me')).append(
    h('span', { class: 'me-name' }, state.coach.name),
    h('button', { class: 'link', type: 'button', 'data-action': 'lang', title: t('lang.switch'), onclick: () => switchLanguage(other) }, other.toUpperCase()),
    h('button', { class: 'link', type: 'button', 'data-action': 'logout', onclick: logout }, t('nav.logout')));
}

async function switchLanguage(l) {
  saveLanguage(l);
  await loadLanguage(l);
  route();
}

async function logout() {
  try { await api.logout(); } catch { /* the session may be gone already */ }
  signOut(t('login.signed_out'));
}

export function signOut(message) {
  signedIn = false;
  setCsrf('');
  state.coach = null;
  document.getElementById('top').hidden = true;
  if (location.hash !== '#/login') history.replaceState(null, '', '#/login');
  login.render(main(), { message, onSignedIn });
}

async function loadSession(me) {
  setCsrf(me.csrf);
  state.coach = me.coach;
  state.locations = me.locations || [];
  const [roles, catalog] = await Promise.all([api.roles(), api.catalog()]);
  state.admin = !!roles.admin;
  setCatalog(catalog);
  signedIn = true;
}

async function onSignedIn(me) {
  await loadSession(me);
  if (!location.hash || location.hash === '#/login') history.replaceState(null, '', '#/inbox');
  route();
}

export async function route() {
  if (!signedIn) return;
  const hash = location.hash || '#/inbox';
  const m = routes.map((r) => [r, hash.match(r.path)]).find(([, mm]) => mm);
  if (!m) { location.hash = '#/inbox'; return; }
  const [r, match] = m;
  renderShell(r.nav);
  refreshInboxCount().catch(() => {});
  const seq = ++renderSeq;
  const el = main();
  await busy(el, async () => {
    try {
      await r.page.render(el, { id: match[1], isCurrent: () => seq === renderSeq });
    } catch (e) {
      if (e.status === 401) { signOut(t('error.session')); return; }
      if (seq === renderSeq) { clear(el).append(errorBox(e)); }
    }
  });
  // after a page change the focus goes to the new page's heading (a screen
  // reader says where she is; the keyboard starts at the top of the page)
  const heading = seq === renderSeq && el.querySelector('h1');
  if (heading) { heading.tabIndex = -1; heading.focus(); }
}

window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', (ev) => {
  if (ev.reason?.status === 401) { ev.preventDefault(); signOut(t('error.session')); }
});

async function boot() {
  await loadLanguage(savedLanguage());
  try {
    await onSignedIn(await api.me());
  } catch (e) {
    if (e.status === 401) signOut();
    else { clear(main()).append(errorBox(e)); toast(t('error.network'), 'error'); }
  }
}

boot();
