// Unit tests of Public/js/chat-typing.js: who is shown typing (and for how long), what a page
// sends while its user types, and when the message list sticks to its bottom.
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeClock } from './fake-clock.mjs';
import {
  TYPING_SHOWN_MS, Typists, atBottom, createTypingSender, shouldStick, typingText,
} from '../../Public/js/chat-typing.js';

const signal = (identity, typing, member = `conn-${identity}`, name = identity) => ({
  type: 'signal', channel: 'chat:c1', name: 'typing', from: { id: member, name, identity }, data: { typing },
});

test('a typist shows for 5 s after their last signal, and goes when they stop', () => {
  const typists = new Typists();
  assert.equal(typists.receive(signal('ada', true), 'bob', 0), true);
  assert.equal(typists.receive(signal('ada', true), 'bob', 1000), false, 'still typing: no change');
  assert.deepEqual(typists.list(5999).map((t) => t.identity), ['ada']);
  assert.equal(typists.nextExpiry(), 1000 + TYPING_SHOWN_MS);
  assert.equal(typists.expire(5999), false);
  assert.equal(typists.expire(6000), true);
  assert.deepEqual(typists.list(6000), []);
  typists.receive(signal('ada', true), 'bob', 7000);
  assert.equal(typists.receive(signal('ada', false), 'bob', 7100), true);
  assert.deepEqual(typists.list(7100), []);
});

test("the page's own signals, other signals and unnamed senders are not typists", () => {
  const typists = new Typists();
  assert.equal(typists.receive(signal('bob', true), 'bob', 0), false);
  assert.equal(typists.receive({ ...signal('ada', true), name: 'cursor' }, 'bob', 0), false);
  assert.equal(typists.receive({ name: 'typing', from: { id: 'x' }, data: { typing: true } }, 'bob', 0), false);
  assert.deepEqual(typists.list(0), []);
});

test('a typist goes when their member leaves, or their message arrives', () => {
  const typists = new Typists();
  typists.receive(signal('ada', true, 'conn-1', 'Ada k3'), 'bob', 0);
  typists.receive(signal('cy', true, 'conn-2'), 'bob', 0);
  typists.rename('ada', 'Ada');
  assert.equal(typingText(typists.list(1).map((t) => t.name)), 'Ada and cy are typing…');
  assert.equal(typists.keepMembers(['conn-1']), true);
  assert.deepEqual(typists.list(1).map((t) => t.identity), ['ada']);
  assert.equal(typists.forget('ada'), true);
  assert.equal(typingText([]), '');
});

test('typing: true at most once a second while typing, false once on stopping', () => {
  const clock = fakeClock();
  const sent = [];
  const sender = createTypingSender((typing) => sent.push([clock.now(), typing]), clock);
  sender.input(true);
  clock.advance(300);
  sender.input(true);
  clock.advance(800);
  sender.input(true);
  assert.deepEqual(sent, [[0, true], [1100, true]]);
  sender.input(false);
  sender.input(false);
  assert.deepEqual(sent.at(-1), [1100, false]);
  assert.equal(sent.length, 3, 'one stop');
  sender.input(true);
  clock.advance(3000);
  assert.deepEqual(sent.slice(3), [[1100, true], [4100, false]], 'no key for 3 s: stopped');
  clock.advance(10_000);
  assert.equal(sent.length, 5);
});

test('the list sticks to its bottom only when the reader was there, or it is their own message', () => {
  assert.equal(atBottom({ scrollTop: 600, scrollHeight: 1000, clientHeight: 400 }), true);
  assert.equal(atBottom({ scrollTop: 570, scrollHeight: 1000, clientHeight: 400 }), true, 'within the slack');
  assert.equal(atBottom({ scrollTop: 100, scrollHeight: 1000, clientHeight: 400 }), false);
  assert.equal(shouldStick({ wasAtBottom: true }), true);
  assert.equal(shouldStick({ wasAtBottom: false }), false, 'reading further up: left where they are');
  assert.equal(shouldStick({ wasAtBottom: false, own: true }), true);
  assert.equal(shouldStick({ first: true, wasAtBottom: false }), true);
});
