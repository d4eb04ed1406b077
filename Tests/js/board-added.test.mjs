// Unit tests of Public/js/board-added.js: finding the box this page's addBox made, whether
// the command's ack or the box's event arrives first.
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddedBoxes } from '../../Public/js/board-added.js';

test('the ack first: the box is found when its event arrives', () => {
  const added = new AddedBoxes();
  added.folded(1, null); // boardCreated
  assert.equal(added.acked(2), null);
  assert.equal(added.folded(2, 'mine'), 'mine');
  assert.equal(added.folded(3, 'later'), null, 'found once only');
});

test('the event first: the ack finds the box at once', () => {
  const added = new AddedBoxes();
  added.folded(1, null);
  assert.equal(added.folded(2, 'mine'), null);
  assert.equal(added.acked(2), 'mine');
});

test('the event first, then someone else adds a box before the ack arrives', () => {
  const added = new AddedBoxes();
  assert.equal(added.folded(5, 'mine'), null);
  assert.equal(added.folded(6, 'theirs'), null);
  assert.equal(added.acked(5), 'mine');
});

test('the ack first, then someone else adds a box before this one arrives', () => {
  const added = new AddedBoxes();
  added.folded(4, null);
  assert.equal(added.acked(6), null);
  assert.equal(added.folded(5, 'theirs'), null);
  assert.equal(added.folded(6, 'mine'), 'mine');
});

test('two adds in quick succession: the later one is selected', () => {
  const added = new AddedBoxes();
  assert.equal(added.acked(2), null);
  assert.equal(added.acked(3), null);
  assert.equal(added.folded(2, 'first'), null);
  assert.equal(added.folded(3, 'second'), 'second');
});

test('an ack whose offset went by without a boxAdded (malformed) waits for nothing', () => {
  const added = new AddedBoxes();
  added.folded(7, null);
  assert.equal(added.acked(7), null);
  assert.equal(added.folded(8, 'theirs'), null);
  // …and an awaited offset passed by something else is given up too.
  assert.equal(added.acked(10), null);
  assert.equal(added.folded(10, null), null);
  assert.equal(added.folded(11, 'theirs'), null);
});

test('only recent adds are remembered', () => {
  const added = new AddedBoxes(3);
  for (let offset = 1; offset <= 5; offset++) added.folded(offset, `b${offset}`);
  assert.equal(added.acked(2), null, 'forgotten');
  assert.equal(added.acked(3), 'b3');
  assert.equal(added.acked(5), 'b5');
});

test('reset (the channel was wiped): offsets start again', () => {
  const added = new AddedBoxes();
  added.folded(1, null);
  added.folded(2, 'old');
  added.acked(9);
  added.reset();
  assert.equal(added.folded(9, 'unrelated'), null, 'the wait was dropped');
  added.reset();
  assert.equal(added.acked(2), null, 'the old box is forgotten, and offset 2 not yet folded');
  assert.equal(added.folded(2, 'new'), 'new');
});

test('idAt: the id of the box added at an offset, before or after its event', async () => {
  const added = new AddedBoxes();
  added.folded(1, null);
  added.folded(2, 'early');
  assert.equal(await added.idAt(2), 'early');
  assert.equal(await added.idAt(1), null, 'no box was added there');
  const later = added.idAt(4);
  const other = added.idAt(3);
  added.folded(3, null);
  assert.equal(await other, null);
  added.folded(4, 'late');
  assert.equal(await later, 'late');
  const skipped = added.idAt(6);
  added.folded(7, 'jumped'); // offsets may jump (a resubscribe): 6 is over, without a box
  assert.equal(await skipped, null);
  const pending = added.idAt(9);
  added.reset();
  assert.equal(await pending, null);
});
