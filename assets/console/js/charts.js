// charts.js - small inline SVG charts drawn from numbers (no library, no
// styles in attributes: colours are SVG presentation attributes or classes).
// Each chart is drawn at the width it really has (fitted(): redrawn when its
// box changes), so 12 px text stays 12 px down to a 1024 px window, and
// label columns are as wide as their longest label, so no label is clipped.
import { svg, h } from './dom.js';

const INK2 = '#4F4F4F';
const GRID = '#E4E0D6';
const FONT = '"DejaVu Sans", "Segoe UI", system-ui, sans-serif';

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

// The width of s in px at a font size (the console's font).
let ctx2d = null;
export function textWidth(s, size = 12, bold = false) {
  ctx2d ||= document.createElement('canvas').getContext('2d');
  ctx2d.font = `${bold ? '600 ' : ''}${size}px ${FONT}`;
  return Math.ceil(ctx2d.measureText(String(s)).width);
}

// A box whose chart draw(width) makes is redrawn at the box's real width.
export function fitted(draw, cls = 'chart-box') {
  const box = h('div', { class: cls });
  let last = 0;
  const redraw = () => {
    const w = Math.floor(box.clientWidth);
    if (!w || w === last) return;
    last = w;
    box.replaceChildren(draw(w));
  };
  new ResizeObserver(redraw).observe(box);
  box.replaceChildren(draw(640)); // until it is laid out
  return box;
}

// Stacked weekly bars. labels: x labels; series: [{key, label, color, values}].
export function stackedBars(labels, series, opts = {}) {
  return fitted((w) => stackedBarsAt(w, labels, series, opts));
}

function stackedBarsAt(W, labels, series, { height = 220, title } = {}) {
  const H = height, R = 8, T = 10, B = 28;
  const totals = labels.map((_, i) => series.reduce((a, s) => a + (s.values[i] || 0), 0));
  const max = niceMax(Math.max(1, ...totals));
  const L = textWidth(String(max)) + 12;
  const bw = (W - L - R) / labels.length;
  // every label, or every 2nd, 3rd... so that neighbours never touch
  const every = Math.max(1, Math.ceil((Math.max(...labels.map((l) => textWidth(l))) + 6) / bw));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', role: 'img', 'aria-label': title || '' });
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
    if (i % every === 0) g.append(text(L + i * bw + bw / 2, H - 10, lab, { 'text-anchor': 'middle' }));
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
export function hbars(rows, opts = {}) {
  return fitted((w) => hbarsAt(w, rows, opts));
}

function hbarsAt(W, rows, { max, ref, unit = '', title } = {}) {
  const rowH = 26, T = ref ? 22 : 6;
  const H = T + rows.length * rowH + 6;
  // the label and note columns fit their longest text; the bars get the rest
  const L = Math.min(Math.floor(W * 0.45), Math.max(60, ...rows.map((r) => textWidth(r.label, 13))) + 14);
  const R = Math.min(Math.floor(W * 0.3), Math.max(30, ...rows.map((r) => textWidth(r.note ?? `${r.value ?? '–'}${unit}`))) + 12);
  const top = niceMax(Math.max(1, max || 0, ref?.value || 0, ...rows.map((r) => r.value || 0)));
  const x = (v) => L + (W - L - R) * (v / top);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', role: 'img', 'aria-label': title || '' });
  rows.forEach((r, i) => {
    const yy = T + i * rowH;
    const lab = text(L - 8, yy + 17, r.label, { 'text-anchor': 'end', fill: '#1E1E1E', 'font-size': 13 });
    if (textWidth(r.label, 13) > L - 10) { // too long even so: shorten, the whole label on hover
      lab.setAttribute('textLength', L - 10);
      lab.setAttribute('lengthAdjust', 'spacingAndGlyphs');
    }
    g.append(lab);
    g.append(svg('rect', { x: L, y: yy + 5, width: W - L - R, height: 16, fill: '#F1EEE7', rx: 3 }));
    if (r.value) {
      const bar = svg('rect', { x: L, y: yy + 5, width: Math.max(2, x(r.value) - L), height: 16, fill: r.color || '#2F5D62', rx: 3 });
      bar.append(svg('title', {}, `${r.label}: ${r.value}${unit}`));
      g.append(bar);
    }
    g.append(text(W - R + 6, yy + 17, r.note ?? (r.value ?? '–') + unit, { fill: '#1E1E1E' }));
  });
  if (ref) {
    // the reference label centred on its line, but never past either edge
    const half = textWidth(ref.label) / 2 + 2;
    const cx = Math.min(W - half, Math.max(half, x(ref.value)));
    g.append(svg('line', { x1: x(ref.value), x2: x(ref.value), y1: 14, y2: H - 2, stroke: '#B3261E', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }),
      text(cx, 11, ref.label, { 'text-anchor': 'middle', fill: '#B3261E' }));
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
