// Unit tests of Public/js/board-model.js: the fold of a board's events and the limits.
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyEvent,
  boxFromData,
  clampCoord,
  clampSize,
  clampText,
  cleanName,
  commandFailure,
  emptyBoard,
  isColor,
  isOnTop,
  normalizeColor,
  stackingOrder,
  LIMITS,
} from '../../Public/js/board-model.js';

const box = (id, extra = {}) => ({ id, x: 10, y: 20, width: 300, height: 200, text: 'Drag me', color: '#fde68a', z: 1, ...extra });

/** A typical stream: created, two boxes, changes. */
function stream() {
  return [
    { offset: 1, name: 'boardCreated', data: { name: 'Plans', owner: 'u1' } },
    { offset: 2, name: 'boxAdded', data: box('a') },
    { offset: 3, name: 'boxAdded', data: box('b', { z: 2, heldBy: 'x' }) },
    { offset: 4, name: 'boxMoved', data: { boxId: 'a', x: 500, y: 600, by: 'u1', at: 1 } },
    { offset: 5, name: 'boxResized', data: { boxId: 'a', width: 40, height: 50, by: 'u1', at: 2 } },
    { offset: 6, name: 'boxEdited', data: { boxId: 'b', text: 'hi <b>', by: 'u1', at: 3 } },
    { offset: 7, name: 'boxRecolored', data: { boxId: 'b', color: '#bbf7d0' } },
    { offset: 8, name: 'boxRaised', data: { boxId: 'a', z: 3 } },
  ];
}

function fold(events, board = emptyBoard()) {
  for (const event of events) applyEvent(board, event);
  return board;
}

test('an empty board does not exist', () => {
  const board = emptyBoard();
  assert.equal(board.exists, false);
  assert.equal(board.offset, 0);
  assert.equal(board.boxes.size, 0);
});

test('folds every event kind', () => {
  const board = fold(stream());
  assert.equal(board.exists, true);
  assert.equal(board.name, 'Plans');
  assert.equal(board.owner, 'u1');
  assert.equal(board.offset, 8);
  assert.deepEqual(board.boxes.get('a'), { ...box('a'), x: 500, y: 600, width: 40, height: 50, z: 3 });
  assert.deepEqual(board.boxes.get('b'), { ...box('b'), z: 2, text: 'hi <b>', color: '#bbf7d0' });
  assert.deepEqual(stackingOrder(board).map((b) => b.id), ['b', 'a']);
  assert.equal(isOnTop(board, 'a'), true);
  assert.equal(isOnTop(board, 'b'), false);
  assert.equal(isOnTop(board, 'nope'), false);
});

test('is idempotent per offset: a replay after a reconnect changes nothing', () => {
  const board = fold(stream());
  const before = structuredClone(board);
  for (const event of stream()) assert.equal(applyEvent(board, event), null);
  assert.deepEqual(board, before);
  // An older move arriving late is ignored too.
  assert.equal(applyEvent(board, { offset: 4, name: 'boxMoved', data: { boxId: 'a', x: 1, y: 1 } }), null);
  assert.equal(board.boxes.get('a').x, 500);
});

test('reports what changed', () => {
  const board = emptyBoard();
  assert.deepEqual(applyEvent(board, stream()[0]), { kind: 'board', boxId: undefined, name: 'boardCreated' });
  assert.deepEqual(applyEvent(board, stream()[1]), { kind: 'box', boxId: 'a', name: 'boxAdded' });
  assert.deepEqual(applyEvent(board, { offset: 3, name: 'boxMoved', data: { boxId: 'zz', x: 1, y: 1 } }), {
    kind: 'none',
    boxId: undefined,
    name: 'boxMoved',
  });
  assert.equal(board.offset, 3, 'an event about an unknown box still moves the offset');
  assert.equal(applyEvent(board, { offset: 4, name: 'somethingNew', data: {} }).kind, 'none');
  assert.equal(board.offset, 4);
});

test('accepts offsets that jump forward', () => {
  const board = fold([stream()[0], { offset: 10, name: 'boxAdded', data: box('c') }]);
  assert.equal(board.offset, 10);
  assert.ok(board.boxes.has('c'));
});

test('rename and delete', () => {
  const board = fold([...stream(), { offset: 9, name: 'boardRenamed', data: { name: 'New name' } }]);
  assert.equal(board.name, 'New name');
  applyEvent(board, { offset: 10, name: 'boardDeleted', data: {} });
  assert.equal(board.deleted, true);
  assert.equal(board.boxes.size, 0);
  applyEvent(board, { offset: 11, name: 'boardRenamed', data: { name: 42 } });
  assert.equal(board.name, 'New name', 'a malformed rename is skipped');
});

test('box deletion and malformed data', () => {
  const board = fold(stream());
  applyEvent(board, { offset: 9, name: 'boxDeleted', data: { boxId: 'a' } });
  assert.equal(board.boxes.has('a'), false);
  applyEvent(board, { offset: 10, name: 'boxRecolored', data: { boxId: 'b', color: 'red; background:url(x)' } });
  assert.equal(board.boxes.get('b').color, '#bbf7d0');
  applyEvent(board, { offset: 11, name: 'boxMoved', data: { boxId: 'b', x: 'NaN', y: 3 } });
  assert.equal(board.boxes.get('b').x, 10);
  applyEvent(board, { offset: 12, name: 'boxAdded', data: { x: 1 } });
  assert.equal(board.boxes.size, 1);
  applyEvent(board, { offset: 13, name: 'boxAdded', data: null });
  assert.equal(board.offset, 13);
  assert.equal(applyEvent(board, null), null);
  assert.equal(applyEvent(board, { name: 'boxAdded', data: box('q') }), null, 'no offset, no fold');
});

test('boxFromData fills defaults and refuses bad colours', () => {
  assert.equal(boxFromData({}), null);
  assert.deepEqual(boxFromData({ id: 'k', color: '#FFFFFF' }), {
    id: 'k', x: 0, y: 0, width: 300, height: 200, text: '', color: '#fde68a', z: 0,
  });
});

test('limits', () => {
  assert.equal(clampCoord(-5), 0);
  assert.equal(clampCoord(12_000), 10_000);
  assert.equal(clampCoord(10.6), 11);
  assert.equal(clampCoord(NaN), 0);
  assert.equal(clampSize(3), 20);
  assert.equal(clampSize(5000), 4000);
  assert.equal(clampSize(123.4), 123);
  assert.equal(clampText('x'.repeat(2500)).length, LIMITS.textMax);
  assert.equal([...clampText('😀'.repeat(2001))].length, 2000);
  assert.equal(clampText(null), '');
  assert.equal(isColor('#a0b1c2'), true);
  assert.equal(isColor('#A0B1C2'), false);
  assert.equal(isColor('#abc'), false);
  assert.equal(normalizeColor('#ABC'), '#aabbcc');
  assert.equal(normalizeColor(' #A0B1C2 '), '#a0b1c2');
  assert.equal(normalizeColor('blue'), null);
  assert.equal(cleanName('  Plans  '), 'Plans');
  assert.equal(cleanName('   '), null);
  assert.equal(cleanName('x'.repeat(81)), null);
  assert.equal(cleanName('x'.repeat(80)), 'x'.repeat(80));
});

test('failure sentences', () => {
  assert.match(commandFailure('locked'), /Someone else is moving this box/);
  assert.match(commandFailure('not_found'), /gone/);
  assert.match(commandFailure('rate_limited'), /slow down/);
  assert.match(commandFailure('unavailable'), /unavailable/);
  assert.match(commandFailure('conflict'), /at once/);
  assert.match(commandFailure('bad_request', 'The move'), /^The move was refused/);
  assert.match(commandFailure('weird'), /weird/);
});
