// Unit tests of Public/js/board-util.js: throttle, member colours, recent boards, view maths.
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BOARD_SIZE,
  RECENT_KEY,
  RECENT_MAX,
  VIEW_MARGIN,
  ZOOM_MAX,
  ZOOM_MIN,
  clampView,
  colorForHue,
  colorForId,
  createThrottle,
  forgetRecent,
  hueForId,
  initials,
  loadRecent,
  panBy,
  rememberRecent,
  textColorFor,
  toBoard,
  toScreen,
  viewCentre,
  zoomAt,
} from '../../Public/js/board-util.js';
import { fakeClock } from './fake-clock.mjs';

test('throttle: first value at once, then at most one per interval, the last one wins', () => {
  const clock = fakeClock();
  const sent = [];
  const throttle = createThrottle((v) => sent.push([clock.now(), v]), 100, clock);
  throttle.push('a');
  assert.deepEqual(sent, [[0, 'a']]);
  clock.advance(10);
  throttle.push('b');
  clock.advance(10);
  throttle.push('c');
  assert.equal(sent.length, 1);
  assert.equal(throttle.pending, true);
  clock.advance(80);
  assert.deepEqual(sent, [[0, 'a'], [100, 'c']], 'trailing send of the latest value');
  clock.advance(500);
  assert.equal(sent.length, 2, 'nothing more without new values');
  throttle.push('d');
  assert.deepEqual(sent.at(-1), [600, 'd']);
});

test('throttle: 10 per second at most under a flood', () => {
  const clock = fakeClock();
  const sent = [];
  const throttle = createThrottle((v) => sent.push(clock.now()), 100, clock);
  for (let t = 0; t < 1000; t += 5) {
    throttle.push(t);
    clock.advance(5);
  }
  clock.advance(200);
  assert.ok(sent.length <= 11, `sent ${sent.length}`);
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i] - sent[i - 1] >= 100);
});

test('throttle: cancel drops the waiting value', () => {
  const clock = fakeClock();
  const sent = [];
  const throttle = createThrottle((v) => sent.push(v), 100, clock);
  throttle.push(1);
  throttle.push(2);
  throttle.cancel();
  assert.equal(throttle.pending, false);
  assert.equal(clock.scheduled, 0);
  clock.advance(1000);
  assert.deepEqual(sent, [1]);
});

test('member colours are stable and distinct enough; initials', () => {
  assert.equal(hueForId('abc'), hueForId('abc'));
  assert.notEqual(hueForId('conn-1'), hueForId('conn-2'));
  assert.ok(hueForId('') >= 0 && hueForId('x') < 360);
  assert.match(colorForId('k1'), /^hsl\(\d+ 65% 42%\)$/);
  assert.equal(colorForId('user-7'), colorForHue(hueForId('user-7')), 'the colour of an id is the colour of its hue');
  assert.equal(colorForHue(400), 'hsl(210 10% 45%)', 'a hue from elsewhere that is no hue: grey');
  assert.equal(initials('Ada k3'), 'Ad');
  assert.equal(initials('Zoe 5x'), 'Zo');
  assert.equal(initials('Ada Lovelace'), 'AL');
  assert.equal(initials('bob'), 'B');
  assert.equal(initials('  mary   ann  lee '), 'ML');
  assert.equal(initials(''), '?');
  assert.equal(initials('😀 x'), '😀X');
});

test('text colour follows the background', () => {
  assert.equal(textColorFor('#fde68a'), '#111827');
  assert.equal(textColorFor('#1f2937'), '#ffffff');
  assert.equal(textColorFor('nonsense'), '#111827');
});

/** A Map-backed Storage. */
function memoryStorage(initial = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    raw: data,
  };
}

test('recent boards: newest first, no duplicates, bounded, robust to junk', () => {
  const storage = memoryStorage();
  assert.deepEqual(loadRecent(storage), []);
  rememberRecent(storage, { id: 'a', name: 'A' }, 1);
  rememberRecent(storage, { id: 'b', name: 'B' }, 2);
  rememberRecent(storage, { id: 'a', name: 'A renamed' }, 3);
  assert.deepEqual(loadRecent(storage), [
    { id: 'a', name: 'A renamed', openedAt: 3 },
    { id: 'b', name: 'B', openedAt: 2 },
  ]);
  forgetRecent(storage, 'a');
  assert.deepEqual(loadRecent(storage).map((r) => r.id), ['b']);
  for (let i = 0; i < 30; i++) rememberRecent(storage, { id: `x${i}`, name: `X${i}` }, i);
  assert.equal(loadRecent(storage).length, RECENT_MAX);
  assert.equal(loadRecent(storage)[0].id, 'x29');

  assert.deepEqual(loadRecent(memoryStorage({ [RECENT_KEY]: '{not json' })), []);
  assert.deepEqual(loadRecent(memoryStorage({ [RECENT_KEY]: '{"a":1}' })), []);
  assert.deepEqual(loadRecent(memoryStorage({ [RECENT_KEY]: '[null, {"id":1}, {"id":"ok","name":"N"}]' })), [
    { id: 'ok', name: 'N', openedAt: 0 },
  ]);
  assert.deepEqual(loadRecent(null), []);
  const broken = { getItem: () => null, setItem: () => { throw new Error('quota'); } };
  assert.deepEqual(rememberRecent(broken, { id: 'z', name: 'Z' }, 1), [{ id: 'z', name: 'Z', openedAt: 1 }]);
});

const size = { width: 1000, height: 800 };

test('view: screen and board coordinates round-trip', () => {
  const view = { x: 100, y: 200, zoom: 2 };
  assert.deepEqual(toBoard(view, 50, 80), { x: 125, y: 240 });
  assert.deepEqual(toScreen(view, 125, 240), { x: 50, y: 80 });
  assert.deepEqual(viewCentre(view, size), { x: 350, y: 400 });
});

test('view: panning follows the pointer and stops at the margin', () => {
  const view = { x: 500, y: 500, zoom: 1 };
  assert.deepEqual(panBy(view, 100, -50, size), { x: 400, y: 550, zoom: 1 });
  assert.deepEqual(panBy(view, 5000, 5000, size), { x: -VIEW_MARGIN, y: -VIEW_MARGIN, zoom: 1 });
  const far = panBy(view, -50_000, -50_000, size);
  assert.equal(far.x, BOARD_SIZE + VIEW_MARGIN - size.width);
  assert.equal(far.y, BOARD_SIZE + VIEW_MARGIN - size.height);
  assert.deepEqual(panBy({ x: 0, y: 0, zoom: 2 }, 100, 0, size), { x: -50, y: 0, zoom: 2 });
});

test('view: zoom keeps the point under the pointer and stays within bounds', () => {
  const view = { x: 1000, y: 1000, zoom: 1 };
  const zoomed = zoomAt(view, 2, 200, 100, size);
  assert.equal(zoomed.zoom, 2);
  assert.deepEqual(toBoard(zoomed, 200, 100), toBoard(view, 200, 100));
  assert.equal(zoomAt(view, 100, 0, 0, size).zoom, ZOOM_MAX);
  assert.equal(zoomAt(view, 0.001, 0, 0, size).zoom, ZOOM_MIN);
  // A viewport larger than the board at this zoom: centred.
  const huge = clampView({ x: 0, y: 0, zoom: ZOOM_MIN }, { width: 4000, height: 3000 });
  assert.equal(huge.x, (BOARD_SIZE - 4000 / ZOOM_MIN) / 2);
});
