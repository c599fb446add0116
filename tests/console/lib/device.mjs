// device.mjs - a tablet on the real device API (docs/protocol.md): enrol
// with a one-time code, pull the location's feed, push records.
import { randomBytes } from 'node:crypto';

let lastMs = 0, seq = 0;
// A UUIDv7 (time-ordered), as the tablet makes them.
export function uuidv7() {
  const now = Date.now();
  seq = now === lastMs ? seq + 1 : 0;
  lastMs = now;
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class Device {
  constructor(url) { this.url = url; this.token = ''; this.cursor = 0; this.children = new Map(); this.staff = new Map(); this.groups = new Map(); }

  async call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const res = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async enroll(code, name) {
    const r = await this.call('POST', '/api/v1/enroll', { code, device_name: name });
    if (r.status !== 200) throw new Error(`enrol with ${code}: ${r.status} ${JSON.stringify(r.body)}`);
    this.token = r.body.token;
    this.id = r.body.device_id;
    this.location = r.body.location;
    return r.body;
  }

  // Pulls every page since the cursor; returns the changes and keeps the
  // location's children, staff and groups.
  async pull() {
    const all = [];
    for (;;) {
      const r = await this.call('GET', `/api/v1/sync/pull?since=${this.cursor}&limit=1000`);
      if (r.status !== 200) { const e = new Error(`pull: ${r.status}`); e.status = r.status; throw e; }
      for (const c of r.body.changes) {
        all.push(c);
        if (c.type === 'child') this.children.set(c.child_id, c);
        if (c.type === 'staff') this.staff.set(c.staff_id, c);
        if (c.type === 'group') this.groups.set(c.group_id, c);
        if (c.type === 'erase') this.children.delete(c.child_id);
      }
      this.cursor = r.body.next;
      if (!r.body.more) return all;
    }
  }

  // A protocol-2 pull (docs/protocol.md) carrying a heartbeat: the tablet's
  // clock `aheadMs` ahead, its last success `successAgoMs` before that clock.
  async heartbeat({ successAgoMs = 60000, aheadMs = 0, pending = 0, quarantined = 0, appVersion = '0.1.0', catalog = 1, diskMb = 812 } = {}) {
    const dev = Date.now() + aheadMs;
    const iso = (ms) => new Date(ms).toISOString();
    const heartbeat = { app_version: appVersion, catalog_version: catalog, pending_signals: pending, quarantined,
      last_attempt: iso(dev - 60000), last_success: iso(dev - successAgoMs), disk_free_mb: diskMb, device_time: iso(dev) };
    if (pending) heartbeat.oldest_pending = iso(dev - 2 * 86400000);
    const r = await this.call('POST', '/api/v1/sync/pull', { since: String(this.cursor || ''), limit: 1000, heartbeat });
    if (r.status !== 200) throw new Error(`pull with heartbeat: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async push(records) {
    const results = [];
    for (let i = 0; i < records.length; i += 200) {
      const r = await this.call('POST', '/api/v1/sync/push', { records: records.slice(i, i + 200) });
      if (r.status !== 200) throw new Error(`push: ${r.status} ${JSON.stringify(r.body)}`);
      results.push(...r.body.results);
    }
    const bad = results.filter((x) => x.status !== 'stored' && x.status !== 'duplicate');
    if (bad.length) throw new Error(`push: ${JSON.stringify(bad.slice(0, 3))}`);
    return results;
  }
}

// An observation record; extras: {frequency, situation, note, parents_informed, device_time}.
export function observation(childId, staffId, signals, level, extras = {}) {
  const rec = {
    type: 'observation', id: uuidv7(), child_id: childId, staff_id: staffId, signals, level,
    note: extras.note || '', parents_informed: !!extras.parents_informed, consultation: 'none',
    consent_confirmed: false, retracted: false,
    device_time: extras.device_time || new Date(Date.now() - (extras.waited_ms || 60000)).toISOString(), catalog_version: 1,
  };
  if (extras.frequency) rec.frequency = extras.frequency;
  if (extras.situation) rec.situation = extras.situation;
  return rec;
}
