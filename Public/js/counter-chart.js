/**
 * The Counter's small live chart: how many increments arrived in each 10 s of the last five
 * minutes (as seen by this page since it opened), drawn as SVG bars by this page's own code,
 * and "last +1 … ago". The arithmetic is pure; {@link drawChart} builds the SVG.
 * @module counter-chart
 */

export const SPAN_MS = 5 * 60_000;
export const BUCKET_MS = 10_000;

/**
 * Increments per bucket, oldest first: `samples` are `{at, n}` (n increments at time `at`,
 * ms); the last bucket ends at `now`.
 * @param {{at: number, n: number}[]} samples
 * @returns {number[]}
 */
export function buckets(samples, now, span = SPAN_MS, size = BUCKET_MS) {
  const count = Math.max(1, Math.round(span / size));
  const bars = new Array(count).fill(0);
  const start = now - count * size;
  for (const { at, n } of samples) {
    if (!(at > start && at <= now) || !(n > 0)) continue;
    const index = Math.min(count - 1, Math.floor((at - start - 1) / size));
    bars[index] += n;
  }
  return bars;
}

/** The samples still worth keeping (within the span). */
export function prune(samples, now, span = SPAN_MS) {
  return samples.filter((s) => s.at > now - span);
}

/** "just now", "12 s ago", "3 min ago", "2 h ago". */
export function ago(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 2) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Draws `bars` into `svg` (its viewBox is 0 0 300 60): one bar per bucket, scaled to the
 * tallest, with a baseline. Replaces what was drawn before.
 * @param {SVGSVGElement} svg
 * @param {number[]} bars
 */
export function drawChart(svg, bars) {
  const width = 300;
  const height = 60;
  const top = Math.max(1, ...bars);
  const step = width / bars.length;
  const shapes = bars.map((value, i) => {
    const rect = document.createElementNS(SVG, 'rect');
    const h = value ? Math.max(2, (value / top) * (height - 4)) : 0;
    rect.setAttribute('x', String(i * step + 0.5));
    rect.setAttribute('y', String(height - h));
    rect.setAttribute('width', String(Math.max(1, step - 1)));
    rect.setAttribute('height', String(h));
    rect.setAttribute('rx', '1');
    rect.setAttribute('class', 'chart-bar');
    return rect;
  });
  const base = document.createElementNS(SVG, 'line');
  for (const [k, v] of Object.entries({ x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 })) base.setAttribute(k, String(v));
  base.setAttribute('class', 'chart-base');
  svg.replaceChildren(...shapes, base);
  const total = bars.reduce((a, b) => a + b, 0);
  svg.dataset.total = String(total);
}
