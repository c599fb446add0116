// child.js - Kind: one child's route. Pseudonym code (a first name only with
// recorded consent: the server leaves it out otherwise), age, group,
// location; the timeline of signals (each once, as its latest version, with
// "aangepast" and the earlier versions on request) and advice; the case (status flow,
// consent, parent conversation, consultation, next action); advice back to
// the tablets; inzage and erasure.
import { h, clear, select, field } from '../dom.js';
import { api, dossierUrl, dossierName } from '../api.js';
import { t, tn, currentLanguage } from '../i18n.js';
import { stamp, age, signalLabel, domainOf, childName, date, statusLabel } from '../format.js';
import { STATUSES } from '../filters.js';
import { card, empty, errorBox, level, pill, toast, hideToast, fieldError, errorText, replace, busy } from '../ui.js';
import { archiveDialog } from './inbox.js';
import { eraseChild } from './erase.js';

const CONSENTS = ['unknown', 'asked', 'given', 'refused', 'withdrawn'];
const TALKS = ['not_planned', 'planned', 'held'];
const CONSULTS = ['none', 'anonymous', 'named'];
const REFERRALS = ['', 'jgz', 'cmd', 'school', 'gp', 'speech', 'other'];
const REASONS = ['', 'care_lapsed', 'support_elsewhere', 'parents_declined', 'child_left', 'other'];

function opts(prefix, list) { return list.map((v) => [v, v ? t(`${prefix}.${v}`) : '–']); }

// The route strip: steps the case went through are done, steps before the
// current one that it never had are skipped (and say so), the rest to come.
function route(status, taken) {
  const at = STATUSES.indexOf(status || 'new');
  const had = new Set(taken || []);
  return h('ol', { class: 'route', 'aria-label': t('child.route') }, STATUSES.map((s, i) => {
    const state = i === at ? 'now' : i > at ? null : had.has(s) ? 'done' : 'skipped';
    return h('li', { class: state, 'aria-current': i === at ? 'step' : null, 'data-state': state || 'later' },
      statusLabel(s), state === 'skipped' ? h('span', { class: 'sr' }, ` (${t('child.route_skipped')})`) : null);
  }));
}

// What one version says: codes with labels, extras, the note (as the server
// rendered it: no child's first name without consent).
function versionBody(v) {
  const extras = [
    v.frequency ? t(`frequency.${v.frequency}`) : null,
    v.situation ? t(`situation.${v.situation}`) : null,
    v.parents_informed ? t('signal.parents_informed') : null,
    v.consultation && v.consultation !== 'none' ? t(`consultation.${v.consultation}`) : null,
  ].filter(Boolean);
  return [
    v.signals.length ? h('ul', { class: 'tl-codes' }, v.signals.map((c) =>
      h('li', {}, h('span', { class: 'code' }, c), ' ', signalLabel(c)))) : null,
    extras.length ? h('p', { class: 'tl-extras' }, extras.join(' · ')) : null,
    v.note ? h('blockquote', { class: 'tl-note' }, v.note) : null,
  ];
}

// The earlier versions of an amended signal, behind a button.
function earlierVersions(s) {
  const earlier = s.earlier || [];
  if (!earlier.length) return null;
  const list = h('ol', { class: 'tl-versions', hidden: true }, earlier.map((v, i) =>
    h('li', { class: 'tl-version', 'data-version': v.version_id },
      h('div', { class: 'tl-head' }, h('span', { class: 'tl-kind' }, t('signal.version', { n: i + 1 })), level(v.level)),
      versionBody(v),
      h('p', { class: 'tl-meta' }, t('signal.by', { name: v.staff || t('signal.unknown_staff') }), ' · ',
        t('signal.received', { time: stamp(v.received_at) })))));
  const label = tn('signal.earlier', earlier.length);
  const btn = h('button', { class: 'link', type: 'button', 'data-action': 'earlier', 'aria-expanded': 'false', onclick: () => {
    list.hidden = !list.hidden;
    btn.setAttribute('aria-expanded', String(!list.hidden));
    btn.textContent = list.hidden ? label : t('signal.earlier_hide');
  } }, label);
  return h('div', { class: 'tl-earlier' }, btn, list);
}

function signalEntry(s, onChanged) {
  const dom = domainOf(s.signals[0]);
  const act = async (fn, ok) => { try { await fn(); toast(ok); onChanged(); } catch (e) { toast(errorText(e), 'error'); } };
  return h('li', { class: ['tl-item', 'tl-signal', dom ? `dom-${dom.code}` : null], 'data-signal': s.id },
    h('div', { class: 'tl-head' },
      h('span', { class: 'tl-kind' }, t('signal.signal')),
      level(s.level),
      s.amended ? h('span', { class: 'tag tag-amended', 'data-amended': 'true' }, t('signal.amended')) : null,
      s.archived ? h('span', { class: 'tag' }, t(`archive.reason.${s.archived}`)) : null,
      s.seen === false && !s.archived ? h('span', { class: 'tag tag-new' }, t('signal.new')) : null),
    versionBody(s),
    h('p', { class: 'tl-meta' },
      t('signal.by', { name: s.staff || t('signal.unknown_staff') }), ' · ',
      t('signal.device_time', { time: stamp(s.device_time) }), ' · ',
      t('signal.received', { time: stamp(s.received_at) }),
      s.amended ? [' · ', t('signal.updated', { time: stamp(s.updated_at) })] : null),
    earlierVersions(s),
    h('div', { class: 'tl-actions' },
      s.seen === false ? h('button', { class: 'btn btn-small', type: 'button', 'data-action': 'seen',
        onclick: () => act(() => api.markSeen([s.id]), tn('toast.seen', 1)) }, t('action.seen')) : null,
      s.archived ? h('button', { class: 'btn btn-small btn-quiet', type: 'button', 'data-action': 'unarchive',
        onclick: () => act(() => api.archive(s.id, null), t('toast.unarchived')) }, t('action.unarchive'))
        : h('button', { class: 'btn btn-small btn-quiet', type: 'button', 'data-action': 'archive', onclick: async () => {
          const reason = await archiveDialog(1);
          if (reason) act(() => api.archive(s.id, reason), tn('toast.archived', 1));
        } }, t('action.archive'))));
}

function adviceEntry(a) {
  return h('li', { class: 'tl-item tl-advice', 'data-advice': a.advice_id },
    h('div', { class: 'tl-head' }, h('span', { class: 'tl-kind' }, t('advice.advice')),
      h('span', { class: a.read ? 'tag tag-ok' : 'tag' }, a.read ? t('advice.read') : t('advice.unread'))),
    h('p', { class: 'tl-text' }, a.text),
    h('p', { class: 'tl-meta' }, t('advice.by', { name: a.author, time: stamp(a.created_at) })));
}

function caseForm(d, onSaved) {
  const k = d.case || {};
  const s = (name, list, prefix, value) => select({ name }, prefix ? opts(prefix, list) : list, value);
  const status = select({ name: 'status' }, STATUSES.map((x) => [x, t(`status.${x}`)]), k.status || 'new');
  const followUp = h('input', { type: 'date', name: 'follow_up_date', value: k.follow_up_date || '' });
  const referred = s('referred_to', REFERRALS, 'referral', k.referred_to || '');
  const closed = s('closed_reason', REASONS, 'closed', k.closed_reason || '');
  const consent = s('consent', CONSENTS, 'consent', k.consent || 'unknown');
  const talk = s('parent_talk', TALKS, 'talk', k.parent_talk || 'not_planned');
  const consult = s('consultation', CONSULTS, 'consultation', k.consultation || 'none');
  const action = h('input', { type: 'text', name: 'next_action', maxlength: 200, value: k.next_action || '' });
  const owner = h('input', { type: 'text', name: 'next_action_owner', maxlength: 80, value: k.next_action_owner || '' });
  const due = h('input', { type: 'date', name: 'next_action_due', value: k.next_action_due || '' });
  const fFollow = field(t('case.follow_up_date'), followUp);
  const fRef = field(t('case.referred_to'), referred);
  const fClosed = field(t('case.closed_reason'), closed);
  const fConsent = field(t('case.consent'), consent, k.consent_at ? t('case.recorded', { time: stamp(k.consent_at) }) : t('case.consent_hint'));
  const fConsult = field(t('case.consultation'), consult, t('case.consultation_hint'));
  const fDue = field(t('case.due'), due);
  // where the server's rule (error.field) is said: one message, at its field
  const at = { closed_reason: fClosed, consultation: fConsult, consent: fConsent, next_action_due: fDue, follow_up_date: fFollow };
  const sync = () => {
    fFollow.hidden = status.value !== 'follow_up';
    fRef.hidden = !['referred', 'waiting', 'support_started'].includes(status.value) && !referred.value;
    fClosed.hidden = status.value !== 'closed';
  };
  status.addEventListener('change', sync);
  sync();
  const msg = h('div', { role: 'status' });
  const save = h('button', { class: 'btn btn-primary', type: 'submit', 'data-action': 'save-case' }, t('case.save'));
  return h('form', { class: 'case-form', onsubmit: async (ev) => {
    ev.preventDefault();
    save.disabled = true;
    clear(msg);
    for (const f of Object.values(at)) fieldError(f, '');
    try {
      await api.updateCase(d.child.child_id, {
        status: status.value, follow_up_date: status.value === 'follow_up' ? followUp.value : '',
        referred_to: referred.value, closed_reason: status.value === 'closed' ? closed.value : '',
        consent: consent.value, parent_talk: talk.value, consultation: consult.value,
        next_action: action.value.trim(), next_action_owner: owner.value.trim(), next_action_due: due.value,
      });
      toast(t('case.saved', { location: d.child.location }));
      onSaved();
    } catch (e) {
      if (e.status === 401) throw e;
      hideToast(); // no earlier "saved" beside a mistake
      if (e.status === 422 && at[e.field]) {
        fieldError(at[e.field], t(`case.error.${e.field}`));
        at[e.field].querySelector('select, input')?.focus();
      } else {
        msg.append(h('div', { class: 'notice notice-error', role: 'alert' }, e.status === 422 ? t('case.invalid') : errorText(e)));
      }
      save.disabled = false;
    }
  } },
  h('div', { class: 'grid2' }, field(t('case.status'), status), fFollow, fRef, fClosed),
  h('div', { class: 'grid2' }, fConsent, field(t('case.parent_talk'), talk), fConsult),
  h('fieldset', { class: 'group' }, h('legend', {}, t('case.next_action')),
    field(t('case.what'), action),
    h('div', { class: 'grid2' }, field(t('case.owner'), owner), fDue)),
  msg,
  h('div', { class: 'actions' }, save));
}

function noPrint(el) { el.classList.add('no-print'); return el; }

function adviceForm(d, onSaved) {
  const text = h('textarea', { name: 'advice', rows: 4, maxlength: 2000, placeholder: t('advice.placeholder') });
  const send = h('button', { class: 'btn btn-primary', type: 'submit', 'data-action': 'send-advice' }, t('advice.send'));
  return h('form', { class: 'advice-form', onsubmit: async (ev) => {
    ev.preventDefault();
    if (!text.value.trim()) { text.focus(); return; }
    send.disabled = true;
    try {
      await api.addAdvice(d.child.child_id, text.value.trim());
      text.value = '';
      toast(t('advice.sent', { location: d.child.location }));
      onSaved();
    } catch (e) {
      if (e.status === 401) throw e;
      toast(errorText(e), 'error');
    } finally { send.disabled = false; }
  } },
  field(t('advice.new'), text, t('advice.hint', { location: d.child.location })),
  h('div', { class: 'actions' }, send));
}

export async function render(main, { id, isCurrent }) {
  let d;
  try {
    d = await api.child(id);
  } catch (e) {
    if (e.status === 401) throw e;
    clear(main).append(h('div', { class: 'page' }, card(null,
      errorBox(e.status === 403 ? { status: 403, code: 'child' } : e),
      h('p', {}, h('a', { href: '#/inbox' }, t('child.back'))))));
    return;
  }
  if (!isCurrent()) return;
  const reload = () => busy(main, () => render(main, { id, isCurrent }));
  const c = d.child;
  const k = d.case || {};
  const items = [
    ...d.signals.map((s) => ({ at: s.received_at, el: () => signalEntry(s, reload) })),
    ...d.advice.map((a) => ({ at: a.created_at, el: () => adviceEntry(a) })),
  ].sort((a, b) => (a.at < b.at ? 1 : -1));
  const unseen = d.signals.filter((s) => s.seen === false).map((s) => s.id);

  const head = h('section', { class: 'card child-head' },
    h('div', { class: 'child-id' },
      h('h1', { class: 'child-name' }, childName(c)),
      h('p', { class: 'child-facts' }, [age(c.age_months), c.group, c.location].filter(Boolean).join(' · ')),
      h('p', { class: 'muted small' }, c.named ? t('child.named', { time: stamp(k.consent_at) }) : t('child.pseudonymous'))),
    h('div', { class: 'child-status' }, pill(k.status, k.status === 'follow_up' && k.follow_up_date ? date(k.follow_up_date) : null),
      unseen.length ? h('button', { class: 'btn btn-small', type: 'button', 'data-action': 'seen-all', onclick: async () => {
        try { await api.markSeen(unseen); toast(tn('toast.seen', unseen.length)); reload(); } catch (e) { toast(errorText(e), 'error'); }
      } }, tn('child.mark_all_seen', unseen.length)) : null),
    route(k.status, d.route));

  const timeline = card(t('child.timeline'),
    items.length ? h('ol', { class: 'timeline' }, items.map((i) => i.el())) : empty(t('child.no_signals')));

  const right = h('div', { class: 'stack' },
    card(t('case.title'), caseForm(d, reload)),
    noPrint(card(t('advice.title'), adviceForm(d, reload))), // on paper an empty form is noise
    card(t('child.privacy'),
      h('p', { class: 'small muted' }, t('child.privacy_text')),
      h('div', { class: 'actions actions-left' },
        h('a', { class: 'btn btn-primary', href: dossierUrl(c.child_id, 'pdf', currentLanguage() === 'en' ? 'en' : undefined), download: dossierName(c.pseudonym, 'pdf'), 'data-action': 'letter' }, t('child.letter')),
        h('a', { class: 'btn', href: dossierUrl(c.child_id), download: dossierName(c.pseudonym, 'json'), 'data-action': 'dossier' }, t('child.dossier')),
        h('button', { class: 'btn btn-quiet', type: 'button', 'data-action': 'print', onclick: () => window.print() }, t('child.print')),
        h('button', { class: 'btn btn-danger-quiet', type: 'button', 'data-action': 'erase', onclick: async () => {
          if (await eraseChild(c)) location.hash = '#/kinderen';
        } }, t('child.erase')))));

  clear(main).append(h('div', { class: 'page' }, head, h('div', { class: 'two-col' }, timeline, right)));
}
