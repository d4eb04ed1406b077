// Unit tests of Public/js/board-history.js: the undo stack, merging, ids that come back.
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, MERGE_MS, addBoxOp, inverseOf } from '../../Public/js/board-history.js';

const move = (id, x, y) => ({ name: 'moveBox', data: { boxId: id, x, y } });

test('undo takes the newest entry, redo gives it back; a new change clears redo', () => {
  const h = new History();
  assert.equal(h.canUndo, false);
  const a = h.record({ label: 'a', undo: [move('b1', 0, 0)], redo: [move('b1', 10, 0)] }, 0);
  const b = h.record({ label: 'b', undo: [move('b1', 10, 0)], redo: [move('b1', 20, 0)] }, 10_000);
  assert.equal(h.takeUndo(), b);
  h.undone(b);
  assert.equal(h.canRedo, true);
  assert.equal(h.takeRedo(), b);
  h.redone(b);
  assert.equal(h.takeUndo(), b);
  h.undone(b);
  h.record({ label: 'c', undo: [], redo: [move('b1', 5, 5)] }, 20_000);
  assert.equal(h.canRedo, false, 'a new change ends the redo');
  assert.equal(h.takeUndo().label, 'c');
  assert.equal(h.takeUndo(), a);
  assert.equal(h.takeUndo(), null);
});

test('entries with the same key merge within MERGE_MS: the first undo, the last redo', () => {
  const h = new History();
  h.record({ label: 'n', key: 'nudge:b1', undo: [move('b1', 0, 0)], redo: [move('b1', 8, 0)] }, 1_000);
  h.record({ label: 'n', key: 'nudge:b1', undo: [move('b1', 8, 0)], redo: [move('b1', 16, 0)] }, 1_000 + MERGE_MS);
  h.record({ label: 'n', key: 'nudge:b1', undo: [move('b1', 16, 0)], redo: [move('b1', 24, 0)] }, 1_000 + 3 * MERGE_MS);
  const late = h.takeUndo();
  assert.deepEqual(late.undo, [move('b1', 16, 0)], 'too late to merge: its own entry');
  const merged = h.takeUndo();
  assert.deepEqual(merged.undo, [move('b1', 0, 0)]);
  assert.deepEqual(merged.redo, [move('b1', 16, 0)]);
  assert.equal(h.takeUndo(), null);
});

test('a box brought back under a new id: entries naming the old id act on the new one', () => {
  const h = new History();
  h.alias('old', 'new');
  h.alias('new', 'newer');
  assert.equal(h.resolve('old'), 'newer');
  assert.equal(h.resolve('other'), 'other');
  const op = h.resolveOp(move('old', 1, 2));
  assert.equal(op.data.boxId, 'newer');
  h.clear();
  assert.equal(h.resolve('old'), 'old');
});

test('discard forgets a refused change; the stack is bounded', () => {
  const h = new History(3);
  const entries = [1, 2, 3, 4].map((i) => h.record({ label: String(i), undo: [], redo: [] }, i * 10_000));
  h.discard(entries[3]);
  assert.equal(h.takeUndo(), entries[2]);
  assert.equal(h.takeUndo(), entries[1]);
  assert.equal(h.takeUndo(), null, 'the oldest fell off');
});

test('addBoxOp and inverseOf build the commands that undo', () => {
  const box = { id: 'b9', x: 1, y: 2, width: 30, height: 40, text: 'hi', color: '#fde68a', z: 7 };
  assert.deepEqual(addBoxOp(box), { name: 'addBox', data: { x: 1, y: 2, width: 30, height: 40, text: 'hi', color: '#fde68a' }, restores: 'b9' });
  assert.deepEqual(inverseOf('recolorBox', box, { color: '#bfdbfe' }), { name: 'recolorBox', data: { boxId: 'b9', color: '#fde68a' } });
  assert.deepEqual(inverseOf('moveBox', box, { x: 9, y: 9 }), { name: 'moveBox', data: { boxId: 'b9', x: 1, y: 2 } });
});
