/**
 * Rectangles on the board: where a new box goes (free space near the centre of the view),
 * which boxes a marquee touches, the view that fits every box, and where the marker of a
 * cursor outside the view sits on its edge. Pure: no DOM, no network.
 * @module board-geometry
 */

/** @typedef {{x: number, y: number, width: number, height: number}} Rect */

/** The size of a new box (smaller than the server's 300×200 default). */
export const NEW_BOX = Object.freeze({ width: 200, height: 120 });
/** Space kept between a new box and the boxes around it. */
export const GAP = 16;

/** Whether rectangles `a` and `b` overlap (touching edges do not). */
export function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Where a box of `size` goes: centred on `centre` if that is free, else the free spot nearest
 * to it on a grid of candidate positions, rings outwards; free means no overlap with any
 * of `boxes` (each grown by `gap`) and within `bounds`. When nothing near is free, the
 * centre (boxes then overlap, but never exactly on top of another: it steps down-right).
 * @param {Rect[]} boxes
 * @param {{x: number, y: number}} centre
 * @param {{width: number, height: number}} [size]
 * @param {{bounds?: Rect, gap?: number, rings?: number}} [options]
 * @returns {{x: number, y: number}}
 */
export function placeBox(boxes, centre, size = NEW_BOX, options = {}) {
  const gap = options.gap ?? GAP;
  const bounds = options.bounds ?? { x: 0, y: 0, width: 10_000, height: 10_000 };
  const rings = options.rings ?? 12;
  const grown = boxes.map((b) => ({ x: b.x - gap, y: b.y - gap, width: b.width + 2 * gap, height: b.height + 2 * gap }));
  const inside = (r) =>
    r.x >= bounds.x && r.y >= bounds.y && r.x + r.width <= bounds.x + bounds.width && r.y + r.height <= bounds.y + bounds.height;
  const origin = { x: Math.round(centre.x - size.width / 2), y: Math.round(centre.y - size.height / 2) };
  const stepX = Math.round(size.width / 2 + gap);
  const stepY = Math.round(size.height / 2 + gap);
  let best = null;
  for (let ring = 0; ring <= rings && !best; ring++) {
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue; // only this ring's cells
        const rect = { x: origin.x + i * stepX, y: origin.y + j * stepY, width: size.width, height: size.height };
        if (!inside(rect) || grown.some((b) => overlaps(rect, b))) continue;
        const distance = Math.hypot(i * stepX, j * stepY);
        if (!best || distance < best.distance) best = { x: rect.x, y: rect.y, distance };
      }
    }
  }
  if (best) return { x: best.x, y: best.y };
  const spot = { ...origin };
  for (let step = 0; step < 40 && boxes.some((b) => b.x === spot.x && b.y === spot.y); step++) {
    spot.x += 24;
    spot.y += 24;
  }
  return spot;
}

/** The rectangle between two corners, whichever way it was dragged. */
export function rectBetween(a, b) {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

/** The ids of the boxes a marquee `rect` touches. @param {(Rect & {id: string})[]} boxes */
export function boxesInRect(boxes, rect) {
  return boxes.filter((b) => overlaps(b, rect)).map((b) => b.id);
}

/** The smallest rectangle around every box, or null for none. @param {Rect[]} boxes */
export function bounds(boxes) {
  if (!boxes.length) return null;
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * The view (top-left board point and zoom) that shows `rect` whole in a viewport of `size`,
 * with `margin` screen pixels around it, at a zoom within `min`…`max`, centred.
 */
export function fitView(rect, size, { margin = 32, min = 0.25, max = 1 } = {}) {
  const w = Math.max(1, size.width - 2 * margin);
  const h = Math.max(1, size.height - 2 * margin);
  const zoom = Math.min(max, Math.max(min, Math.min(w / Math.max(1, rect.width), h / Math.max(1, rect.height))));
  const cx = rect.x + rect.width / 2;
  const cy = rect.y + rect.height / 2;
  return { x: cx - size.width / 2 / zoom, y: cy - size.height / 2 / zoom, zoom };
}

/**
 * Where to show the marker of a point at screen position `p` (pixels from the viewport's
 * top-left) that lies outside a viewport of `size`: on the edge, `inset` pixels in, with the
 * side it is beyond. Null when the point is inside (its cursor shows itself).
 * @returns {{x: number, y: number, side: 'left'|'right'|'top'|'bottom'}|null}
 */
export function edgeMarker(p, size, inset = 18) {
  if (p.x >= 0 && p.y >= 0 && p.x <= size.width && p.y <= size.height) return null;
  const cx = size.width / 2;
  const cy = size.height / 2;
  const dx = p.x - cx;
  const dy = p.y - cy;
  // Scale the direction from the centre until it meets the inset rectangle.
  const halfW = Math.max(1, cx - inset);
  const halfH = Math.max(1, cy - inset);
  const scale = Math.min(dx === 0 ? Infinity : halfW / Math.abs(dx), dy === 0 ? Infinity : halfH / Math.abs(dy));
  const x = cx + dx * scale;
  const y = cy + dy * scale;
  const horizontal = Math.abs(dx) * halfH >= Math.abs(dy) * halfW;
  const side = horizontal ? (dx < 0 ? 'left' : 'right') : dy < 0 ? 'top' : 'bottom';
  return { x: Math.round(x), y: Math.round(y), side };
}
