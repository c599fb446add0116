// seed.mjs - realistic signals for the demo locations, pushed through the
// device API by one enrolled tablet per location (deterministic choices).
import { Device, observation } from './device.mjs';

// A small deterministic PRNG, so every run sees the same data.
export function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const CODES = {
  TAAL: ['TAAL-01', 'TAAL-02', 'TAAL-03', 'TAAL-04', 'TAAL-05', 'TAAL-06'],
  SOC: ['SOC-01', 'SOC-02', 'SOC-04', 'SOC-05', 'SOC-06'],
  GED: ['GED-01', 'GED-02', 'GED-03', 'GED-04', 'GED-06'],
  SPEL: ['SPEL-01', 'SPEL-02', 'SPEL-03'],
  MOT: ['MOT-01', 'MOT-03', 'MOT-06', 'MOT-08'],
  ZELF: ['ZELF-01', 'ZELF-04', 'ZELF-05'],
  ZIN: ['ZIN-02', 'ZIN-03', 'ZIN-05'],
  WEL: ['WEL-01', 'WEL-02', 'WEL-06'],
};
const RED = ['TAAL-08', 'WEL-03', 'ZIN-01', 'MOT-02'];
const NOTES = ['', '', '', 'Bij het kringgesprek reageert hij niet als we roepen.', 'Wil niet mee naar buiten, huilt lang na het brengen.',
  'Speelt vooral alleen met de blokken.', 'Moeder vertelde dat het thuis ook zo gaat.', 'Eet bijna niets bij de lunch.'];
const FREQ = [undefined, 'once', 'often', 'daily'];
const SIT = [undefined, 'play', 'meal', 'drop_off', 'outside', 'sleep', 'circle'];

// Enrols a tablet per location and pushes `perLocation` observations each.
// Returns {devices: Map(locationId -> Device), pushed: [{locationId, record}]}.
export async function seed(url, locations, perLocation = 8, seedValue = 7) {
  const rand = rng(seedValue);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const devices = new Map();
  const pushed = [];
  for (const loc of locations) {
    const dev = new Device(url);
    await dev.enroll(loc.code, `Tablet ${loc.name}`);
    await dev.pull();
    const kids = [...dev.children.values()];
    const staff = [...dev.staff.values()];
    const records = [];
    for (let i = 0; i < perLocation; i++) {
      const child = kids[i % kids.length];
      const domain = pick(Object.keys(CODES));
      const red = rand() < 0.12;
      const codes = red ? [pick(RED)] : [pick(CODES[domain])];
      if (!red && rand() < 0.3) {
        const more = pick(CODES[domain]);
        if (!codes.includes(more)) codes.push(more);
      }
      const level = red ? 3 : 1 + Math.floor(rand() * 2.4);
      records.push(observation(child.child_id, pick(staff).staff_id, codes, level, {
        note: pick(NOTES), frequency: pick(FREQ), situation: pick(SIT), parents_informed: rand() < 0.4,
        waited_ms: Math.floor(rand() * 3 * 3600 * 1000),
      }));
    }
    await dev.push(records);
    for (const r of records) pushed.push({ locationId: loc.id, record: r });
    devices.set(loc.id, dev);
  }
  return { devices, pushed };
}
