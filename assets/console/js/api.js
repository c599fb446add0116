// api.js - the one place that talks to the central service (its one console
// API, docs/console.md). Every state-changing request carries the session's
// CSRF token; errors become an ApiError with the server's plain message and
// status.

let csrf = '';

export class ApiError extends Error {
  constructor(status, code, message, retryAfter, field) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.field = field || null; // the field a 422 concerns (one rule, one message)
  }
}

export function setCsrf(token) { csrf = token || ''; }

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {}))
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function request(method, path, body, params) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-CSRF-Token'] = csrf;
  }
  let res;
  try {
    res = await fetch(`/api/console/${path}${query(params)}`, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', null);
  }
  const text = await res.text();
  let js = null;
  try { js = text ? JSON.parse(text) : null; } catch { js = null; }
  if (!res.ok) {
    const ra = parseInt(res.headers.get('Retry-After') || '0', 10) || 0;
    throw new ApiError(res.status, js?.error || 'http', js?.message, ra, js?.field);
  }
  return js;
}

// The export files: 'xlsx' (Excel workbook), 'nl' (CSV for Dutch Excel) or
// 'codes' (CSV with codes and UTC times, for other programs).
const exportFile = { xlsx: (k) => `${k}.xlsx`, nl: (k) => `${k}-nl.csv`, codes: (k) => `${k}.csv` };
export function exportUrl(kind, format, params) { return `/api/console/export/${exportFile[format](kind)}${query(params)}`; }
export function csvUrl(kind, params) { return exportUrl(kind, 'codes', params); }
export function dossierUrl(childId, format = 'json', lang) {
  return `/api/console/children/${encodeURIComponent(childId)}/dossier.${format}${query({ lang })}`;
}
// The dossier's file name: the child's code and today's date in Amsterdam,
// the same name the server gives it (Content-Disposition).
export function dossierName(code, format) {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return `dossier-${String(code).replace(/[^\w.-]/g, '_')}-${day}.${format}`;
}

export const api = {
  login: (email, password) => request('POST', 'login', { email, password }),
  logout: () => request('POST', 'logout', {}),
  me: () => request('GET', 'me'),
  roles: () => request('GET', 'roles'),
  catalog: () => request('GET', 'catalog'),
  inbox: (filter) => request('GET', 'signals', undefined, filter),
  newCount: () => request('GET', 'signals/count'),
  markSeen: (ids) => request('POST', 'signals/seen', { ids }),
  archive: (id, reason) => request('POST', `signals/${encodeURIComponent(id)}/archive`, { reason }),
  cases: (filter) => request('GET', 'cases', undefined, filter),
  child: (id) => request('GET', `children/${encodeURIComponent(id)}`),
  updateCase: (id, edit) => request('POST', `children/${encodeURIComponent(id)}/case`, edit),
  addAdvice: (id, text) => request('POST', `children/${encodeURIComponent(id)}/advice`, { text }),
  erase: (id) => request('POST', `children/${encodeURIComponent(id)}/erase`, { confirm: true }),
  dossier: (id) => request('GET', `children/${encodeURIComponent(id)}/dossier.json`),
  overview: (params) => request('GET', 'overview', undefined, params),
  audit: (params) => request('GET', 'audit', undefined, params),
  adminLocations: () => request('GET', 'admin/locations'),
  addLocation: (name, org) => request('POST', 'admin/locations', { name, org }),
  newCode: (locationId) => request('POST', `admin/locations/${encodeURIComponent(locationId)}/code`, {}),
  devices: () => request('GET', 'admin/devices'),
  revoke: (id) => request('POST', `admin/devices/${encodeURIComponent(id)}/revoke`, {}),
  renameDevice: (id, name) => request('POST', `admin/devices/${encodeURIComponent(id)}/name`, { name }),
  closeLocation: (id, until) => request('POST', `admin/locations/${encodeURIComponent(id)}/closed`, { until }),
  quietLocations: () => request('GET', 'fleet/quiet'),
  coaches: () => request('GET', 'admin/coaches'),
  addCoach: (c) => request('POST', 'admin/coaches', c),
  setCoach: (id, locations, admin) => request('POST', `admin/coaches/${encodeURIComponent(id)}`, { locations, admin }),
};
