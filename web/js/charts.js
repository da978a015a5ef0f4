// Charts drawn as SVG by our own code: bars for counts over time and for distributions. Every
// element is made with createElementNS and every label goes in as a text node, like the rest of the
// page (dom.js). Each chart is an <svg role="img"> with a title, and its numbers are also in a table
// beside it for screen readers and for copying.

const ns = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(ns, tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) node.setAttribute(key, String(value));
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A round step for the value axis: 1, 2 or 5 times a power of ten, about four lines high.
function step(max) {
  if (max <= 4) return 1;
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough) return m * power;
  return 10 * power;
}

// Vertical bars: points is [{label, value}], value a count (null draws nothing). Long series show
// every n-th label so they do not overlap.
export function barChart(points, {title, width = 640, height = 220, name = ''} = {}) {
  const left = 36, right = 8, top = 10, bottom = 42;
  const values = points.map((p) => p.value || 0);
  const max = Math.max(1, ...values);
  const unit = step(max);
  const top_value = Math.ceil(max / unit) * unit;
  const plotW = width - left - right, plotH = height - top - bottom;
  const slot = plotW / Math.max(1, points.length);
  const every = Math.max(1, Math.ceil(points.length / 12));
  const y = (v) => top + plotH - (v / top_value) * plotH;
  const grid = [];
  for (let v = 0; v <= top_value; v += unit) {
    grid.push(svg('line', {x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'grid'}),
      svg('text', {x: left - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'axis'}, v));
  }
  const bars = points.map((p, i) => {
    const v = p.value || 0;
    const x = left + i * slot + slot * 0.15;
    const bar = svg('rect', {x, y: y(v), width: Math.max(1, slot * 0.7), height: Math.max(0, top + plotH - y(v)),
                             class: 'bar', 'data-label': p.label, 'data-value': v},
      svg('title', {}, `${p.label}: ${v}`));
    const label = i % every === 0
      ? svg('text', {x: left + i * slot + slot / 2, y: height - bottom + 14, 'text-anchor': 'middle', class: 'axis'},
        p.short ?? p.label)
      : null;
    return [bar, label];
  });
  return svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart',
                     'data-chart': name, preserveAspectRatio: 'xMidYMid meet'},
    svg('title', {}, title), grid, bars);
}

// Horizontal bars for a few named values (resolution codes, ratings, languages).
export function hbarChart(points, {title, width = 420, name = ''} = {}) {
  const row = 24, left = 110, right = 40;
  const height = Math.max(row, points.length * row) + 8;
  const max = Math.max(1, ...points.map((p) => p.value || 0));
  const plotW = width - left - right;
  const rows = points.map((p, i) => {
    const v = p.value || 0;
    const w = (v / max) * plotW;
    const yy = 4 + i * row;
    return [
      svg('text', {x: left - 6, y: yy + 16, 'text-anchor': 'end', class: 'axis'}, p.label),
      svg('rect', {x: left, y: yy + 4, width: Math.max(v ? 2 : 0, w), height: row - 8, class: 'bar',
                   'data-label': p.label, 'data-value': v}, svg('title', {}, `${p.label}: ${v}`)),
      svg('text', {x: left + w + 4, y: yy + 16, class: 'value'}, v),
    ];
  });
  return svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart',
                     'data-chart': name},
    svg('title', {}, title), rows);
}
