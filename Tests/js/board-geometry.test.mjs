// Unit tests of Public/js/board-geometry.js: placing a new box, the marquee, fit, edge markers.
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GAP, NEW_BOX, bounds, boxesInRect, edgeMarker, fitView, overlaps, placeBox, rectBetween } from '../../Public/js/board-geometry.js';

const rect = (x, y, width = NEW_BOX.width, height = NEW_BOX.height) => ({ x, y, width, height });

test('a new box goes at the centre when it is free', () => {
  assert.deepEqual(placeBox([], { x: 500, y: 400 }), { x: 400, y: 340 });
});

test('new boxes do not pile up: each lands in free space near the centre', () => {
  const placed = [];
  for (let i = 0; i < 12; i++) {
    const spot = placeBox(placed, { x: 1000, y: 1000 });
    const box = rect(spot.x, spot.y);
    for (const other of placed) {
      const grown = { x: other.x - GAP, y: other.y - GAP, width: other.width + 2 * GAP, height: other.height + 2 * GAP };
      assert.equal(overlaps(box, grown), false, `box ${i} overlaps another`);
    }
    assert.ok(Math.hypot(spot.x + 100 - 1000, spot.y + 60 - 1000) < 800, `box ${i} is far from the centre`);
    placed.push(box);
  }
});

test('placement stays on the board, and with no room steps instead of stacking exactly', () => {
  const spot = placeBox([], { x: 10, y: 10 });
  assert.ok(spot.x >= 0 && spot.y >= 0);
  const full = [rect(5, 5, 9_995, 9_995)];
  const first = placeBox(full, { x: 100, y: 60 }, NEW_BOX, { rings: 2 });
  assert.deepEqual(first, { x: 0, y: 0 });
  const next = placeBox([...full, rect(0, 0)], { x: 100, y: 60 }, NEW_BOX, { rings: 2 });
  assert.deepEqual(next, { x: 24, y: 24 });
});

test('the marquee selects the boxes it touches, dragged either way', () => {
  const boxes = [{ id: 'a', ...rect(0, 0, 100, 100) }, { id: 'b', ...rect(200, 0, 100, 100) }, { id: 'c', ...rect(0, 300, 100, 100) }];
  assert.deepEqual(rectBetween({ x: 250, y: 50 }, { x: 50, y: 10 }), { x: 50, y: 10, width: 200, height: 40 });
  assert.deepEqual(boxesInRect(boxes, rectBetween({ x: 250, y: 50 }, { x: 50, y: 10 })), ['a', 'b']);
  assert.deepEqual(boxesInRect(boxes, rect(100, 100, 100, 100)), [], 'touching corners only is not touching');
  assert.deepEqual(boxesInRect(boxes, rect(-10, -10, 500, 500)), ['a', 'b', 'c']);
});

test('fit to content: every box in view, centred, never above the maximum zoom', () => {
  const all = bounds([rect(100, 100, 100, 100), rect(900, 500, 100, 100)]);
  assert.deepEqual(all, { x: 100, y: 100, width: 900, height: 500 });
  const view = fitView(all, { width: 500, height: 400 }, { margin: 0 });
  assert.ok(Math.abs(view.zoom - 500 / 900) < 1e-9);
  assert.ok(Math.abs(view.x + 250 / view.zoom - 550) < 1e-9, 'centred horizontally');
  assert.equal(fitView(rect(0, 0, 10, 10), { width: 500, height: 400 }).zoom, 1);
  assert.equal(fitView(rect(0, 0, 100_000, 10), { width: 500, height: 400 }).zoom, 0.25);
  assert.equal(bounds([]), null);
});

test('edge markers: none inside the view, on the right edge for a point beyond it', () => {
  const size = { width: 400, height: 300 };
  assert.equal(edgeMarker({ x: 10, y: 10 }, size), null);
  assert.deepEqual(edgeMarker({ x: 1000, y: 150 }, size), { x: 382, y: 150, side: 'right' });
  assert.deepEqual(edgeMarker({ x: 200, y: -500 }, size), { x: 200, y: 18, side: 'top' });
  const corner = edgeMarker({ x: -1000, y: 2000 }, size);
  assert.ok(corner.x >= 18 && corner.x <= 382 && corner.y >= 18 && corner.y <= 282);
  assert.equal(corner.side, 'bottom');
});
