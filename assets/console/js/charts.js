// charts.js - small inline SVG charts drawn from numbers (no library, no
// styles in attributes: colours are SVG presentation attributes or classes).
import { svg, h } from './dom.js';

const INK2 = '#4F4F4F';
const GRID = '#E4E0D6';

// A round step for about four grid lines, and the top it gives.
function niceStep(v) {
  const raw = Math.max(1, v) / 4;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return Math.max(1, m * p);
  return 10 * p;
}
function niceMax(v) { const st = niceStep(v); return Math.ceil(Math.max(1, v) / st) * st; }

function text(x, y, s, attrs) {
  return svg('text', { x, y, fill: INK2, 'font-size': 12, ...attrs }, s);
}

// Stacked weekly bars. labels: x labels; series: [{key, label, color, values}].
export function stackedBars(labels, series, { height = 220, title } = {}) {
  const W = 640, H = height, L = 36, R = 8, T = 10, B = 28;
  const totals = labels.map((_, i) => series.reduce((a, s) => a + (s.values[i] || 0), 0));
  const max = niceMax(Math.max(1, ...totals));
  const bw = (W - L - R) / labels.length;
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title || '' });
  const step = niceStep(max);
  for (let v = 0; v <= max + 1e-9; v += step) {
    g.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: GRID, 'stroke-width': 1 }),
      text(L - 6, y(v) + 4, String(Math.round(v)), { 'text-anchor': 'end' }));
  }
  labels.forEach((lab, i) => {
    let acc = 0;
    const x = L + i * bw + bw * 0.18, w = bw * 0.64;
    for (const s of series) {
      const v = s.values[i] || 0;
      if (!v) continue;
      const rect = svg('rect', { x, y: y(acc + v), width: w, height: Math.max(0, y(acc) - y(acc + v)), fill: s.color, rx: 2 });
      rect.append(svg('title', {}, `${s.label}: ${v}`));
      g.append(rect);
      acc += v;
    }
    if (labels.length <= 16 || i % 2 === 0) g.append(text(L + i * bw + bw / 2, H - 10, lab, { 'text-anchor': 'middle' }));
  });
  return g;
}

export function legend(series) {
  return h('ul', { class: 'legend' }, series.map((s) => {
    const sw = svg('svg', { viewBox: '0 0 12 12', width: 12, height: 12, 'aria-hidden': 'true' }, svg('rect', { width: 12, height: 12, rx: 3, fill: s.color }));
    return h('li', {}, sw, s.label);
  }));
}

// Horizontal bars with an optional reference line:
// rows: [{label, value, note, color}] ; ref: {value, label}
export function hbars(rows, { max, ref, unit = '', title } = {}) {
  const W = 640, rowH = 26, L = 150, R = 104, T = ref ? 22 : 6;
  const H = T + rows.length * rowH + 6;
  const top = niceMax(Math.max(1, max || 0, ref?.value || 0, ...rows.map((r) => r.value || 0)));
  const x = (v) => L + (W - L - R) * (v / top);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title || '' });
  rows.forEach((r, i) => {
    const yy = T + i * rowH;
    g.append(text(L - 8, yy + 17, r.label, { 'text-anchor': 'end', fill: '#1E1E1E', 'font-size': 13 }));
    g.append(svg('rect', { x: L, y: yy + 5, width: W - L - R, height: 16, fill: '#F1EEE7', rx: 3 }));
    if (r.value) {
      const bar = svg('rect', { x: L, y: yy + 5, width: Math.max(2, x(r.value) - L), height: 16, fill: r.color || '#2F5D62', rx: 3 });
      bar.append(svg('title', {}, `${r.label}: ${r.value}${unit}`));
      g.append(bar);
    }
    g.append(text(W - R + 6, yy + 17, r.note ?? (r.value ?? '–') + unit, { fill: '#1E1E1E' }));
  });
  if (ref) {
    g.append(svg('line', { x1: x(ref.value), x2: x(ref.value), y1: 14, y2: H - 2, stroke: '#B3261E', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }),
      text(x(ref.value), 11, ref.label, { 'text-anchor': 'middle', fill: '#B3261E' }));
  }
  return g;
}

// A row of tiny weekly bars (one location).
export function spark(values, color) {
  const W = 240, H = 40, max = Math.max(1, ...values), bw = W / values.length;
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'spark', 'aria-hidden': 'true', preserveAspectRatio: 'none' });
  values.forEach((v, i) => {
    const hh = v ? Math.max(2, (H - 2) * (v / max)) : 1;
    g.append(svg('rect', { x: i * bw + 1, y: H - hh, width: bw - 2, height: hh, fill: v ? color : GRID, rx: 1 }));
  });
  return g;
}
