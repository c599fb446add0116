// state.js - what the pages share: the signed-in coach, her locations, her
// roles, the signal catalog.
export const state = {
  coach: null,      // {id, email, name}
  locations: [],    // [{id, name, org}]
  admin: false,
  catalog: null,    // {version, domains: [{code, nl, en, tint, stripe, signals: [...]}]}
  signals: new Map(), // code -> {signal, domain}
};

export function setCatalog(cat) {
  state.catalog = cat;
  state.signals.clear();
  for (const d of cat?.domains || [])
    for (const s of d.signals) state.signals.set(s.code, { signal: s, domain: d });
}

export function locationName(id) {
  return state.locations.find((l) => l.id === id)?.name || '';
}
