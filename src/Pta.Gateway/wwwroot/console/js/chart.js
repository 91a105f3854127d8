// The confirmation rate over time as an inline SVG line chart (no library): the report's per-minute timeline summed
// into the share of households that had confirmed by each minute. The SVG has a title and a description in words.
const svgNs = 'http://www.w3.org/2000/svg';

function node(tag, attributes, text) {
  const n = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attributes || {})) {
    n.setAttribute(k, String(v));
  }
  if (text !== undefined) {
    n.textContent = text;
  }
  return n;
}

/**
 * points: [{ at: Date, percent: number }] in time order. labels: { title, description, time(Date) → string }.
 * Returns the <svg>.
 */
export function confirmationChart(points, labels) {
  const width = 640;
  const height = 240;
  const left = 44;
  const right = 16;
  const top = 16;
  const bottom = 32;
  const svg = node('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc', class: 'chart-svg' });
  svg.append(node('title', { id: 'chart-title' }, labels.title), node('desc', { id: 'chart-desc' }, labels.description));
  const x0 = points.length ? points[0].at.getTime() : 0;
  const x1 = points.length > 1 ? points[points.length - 1].at.getTime() : x0 + 60000;
  const x = (at) => left + ((at.getTime() - x0) / Math.max(x1 - x0, 1)) * (width - left - right);
  const y = (p) => top + (1 - p / 100) * (height - top - bottom);
  for (const p of [0, 25, 50, 75, 100]) {
    svg.append(node('line', { x1: left, x2: width - right, y1: y(p), y2: y(p), class: 'chart-grid' }));
    svg.append(node('text', { x: left - 6, y: y(p) + 4, 'text-anchor': 'end', class: 'chart-axis' }, p + '%'));
  }
  if (points.length) {
    svg.append(node('text', { x: left, y: height - 8, class: 'chart-axis' }, labels.time(points[0].at)));
    svg.append(node('text', { x: width - right, y: height - 8, 'text-anchor': 'end', class: 'chart-axis' }, labels.time(points[points.length - 1].at)));
    const line = points.map((p) => `${x(p.at).toFixed(1)},${y(p.percent).toFixed(1)}`).join(' ');
    svg.append(node('polyline', { points: points.length === 1 ? `${left},${y(points[0].percent)} ${width - right},${y(points[0].percent)}` : line, class: 'chart-line' }));
    for (const p of points) {
      svg.append(node('circle', { cx: x(p.at).toFixed(1), cy: y(p.percent).toFixed(1), r: 3.5, class: 'chart-point' }));
    }
  }
  return svg;
}

/** The report's timeline as cumulative confirmed percent of reached households, one point per minute with confirmations. */
export function pointsOf(report) {
  const households = report.totals.reachedHouseholds || report.totals.households || 0;
  let confirmed = 0;
  const points = [];
  for (const minute of report.timeline) {
    if (minute.confirmed > 0 || points.length === 0) {
      confirmed += minute.confirmed;
      points.push({ at: new Date(minute.minute), percent: households ? Math.round((1000 * confirmed) / households) / 10 : 0 });
    }
  }
  return points;
}
