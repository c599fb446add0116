// export.js - Export: signals and cases for her locations, filtered as on
// screen (the inbox filter), as an Excel workbook, a CSV for Dutch Excel or a
// CSV with codes for other programs; a child's dossier for a parent's inzage;
// erasure of a child. Every export is written to the audit log.
import { h, clear, select, field } from '../dom.js';
import { api, exportUrl, dossierUrl, dossierName } from '../api.js';
import { t, currentLanguage } from '../i18n.js';

// Exports speak the console's language (Dutch unless she chose English).
const langParam = () => (currentLanguage() === 'en' ? 'en' : undefined);
import { childName } from '../format.js';
import { getFilter, setFilter, filterFields, params } from '../filters.js';
import { card, replace } from '../ui.js';
import { eraseChild } from './erase.js';

export async function render(main, { isCurrent }) {
  const body = h('div', { class: 'page' });
  clear(main).append(body);
  const cases = (await api.cases({ limit: 1000 })).cases;
  if (!isCurrent()) return;

  const links = h('div', { class: 'export-links' });
  const drawLinks = () => {
    const f = getFilter();
    replace(links,
      ...['signals', 'cases'].map((kind) => h('div', { class: 'export-row' },
        h('span', { class: 'export-kind' }, t(`export.${kind}`)),
        h('div', { class: 'actions actions-left' },
          h('a', { class: `btn${kind === 'signals' ? ' btn-primary' : ''}`, href: exportUrl(kind, 'xlsx', { ...params(f), lang: langParam() }), 'data-action': `xlsx-${kind}` }, t('export.as_xlsx')),
          h('a', { class: 'btn', href: exportUrl(kind, 'nl', { ...params(f), lang: langParam() }), 'data-action': `nlcsv-${kind}` }, t('export.as_nl_csv')),
          h('a', { class: 'btn btn-quiet', href: exportUrl(kind, 'codes', params(f)), 'data-action': `csv-${kind}` }, t('export.as_codes'))))));
  };
  const viewSel = select({ name: 'view', onchange: (ev) => { setFilter({ ...getFilter(), view: ev.target.value }); drawLinks(); } },
    ['new', 'all', 'archived'].map((v) => [v, t(`inbox.view.${v}`)]), getFilter().view);
  drawLinks();

  const pick = select({ name: 'child' }, [['', t('export.choose_child')],
    ...cases.map((c) => [c.child_id, `${childName(c)} · ${c.location}${c.group ? ` · ${c.group}` : ''}`])], '');
  const childActions = h('div', { class: 'actions actions-left' });
  const drawChild = () => {
    const c = cases.find((x) => x.child_id === pick.value);
    replace(childActions, c ? [
      h('a', { class: 'btn btn-primary', href: dossierUrl(c.child_id, 'pdf', currentLanguage() === 'en' ? 'en' : undefined), download: dossierName(c.pseudonym, 'pdf'), 'data-action': 'letter' }, t('child.letter')),
        h('a', { class: 'btn', href: dossierUrl(c.child_id), download: dossierName(c.pseudonym, 'json'), 'data-action': 'dossier' }, t('child.dossier')),
      h('a', { class: 'btn btn-quiet', href: `#/kind/${c.child_id}` }, t('action.open')),
      h('button', { class: 'btn btn-danger-quiet', type: 'button', 'data-action': 'erase', onclick: async () => {
        if (await eraseChild(c)) render(main, { isCurrent });
      } }, t('child.erase')),
    ] : h('p', { class: 'small muted' }, t('export.choose_hint')));
  };
  pick.addEventListener('change', drawChild);
  drawChild();

  replace(body,
    h('div', { class: 'page-head' }, h('h1', {}, t('export.title'))),
    h('div', { class: 'two-col-even' },
      card(t('export.csv'),
        h('p', { class: 'small muted' }, t('export.csv_hint')),
        filterFields(getFilter(), drawLinks, true),
        field(t('export.view'), viewSel),
        links,
        h('p', { class: 'small muted' }, t('export.audit_hint'))),
      card(t('export.inzage'),
        h('p', { class: 'small muted' }, t('export.inzage_hint')),
        field(t('export.child'), pick),
        childActions)));
}
