// Unit tests of Public/js/chat-model.js: a conversation's view with the channel's events
// folded in, where the customer stands, unread counts and the queue's order.
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyEvent, clock, fromView, noteText, queueOrder, standing, timeline, unreadCount, waitingFor,
} from '../../Public/js/chat-model.js';

const T0 = new Date(2026, 0, 5, 14, 2, 0).getTime();

function view() {
  return fromView({
    id: 'c1', customer: 'guest-ada', customerName: 'Ada', createdAt: T0, status: 'bot', agentsPresent: [],
    messages: [
      { id: 'm1', author: 'guest-ada', authorName: 'Ada', role: 'customer', text: 'hello', at: T0, offset: 2 },
      { id: 'b1', author: 'bot', authorName: 'Assistant', role: 'bot', text: 'Hello Ada!', replyTo: 'm1', at: T0, offset: 3 },
    ],
    messageCount: 2, unanswered: [], offset: 3,
  });
}

const frame = (offset, name, data, time = T0 + offset * 1000) => ({ type: 'event', channel: 'chat:c1', offset, name, data, time });

test('the view is the model; events at or below its offset are skipped', () => {
  const model = view();
  assert.equal(model.messages.length, 2);
  assert.equal(applyEvent(model, frame(3, 'messagePosted', { id: 'x', author: 'bot', authorName: 'A', role: 'bot', text: 'old' })), null);
  assert.equal(model.messages.length, 2);
  const what = applyEvent(model, frame(4, 'messagePosted', { id: 'm2', author: 'guest-ada', authorName: 'Ada', role: 'customer', text: 'my name is Ada' }));
  assert.equal(what?.kind, 'message');
  assert.deepEqual(model.messages.at(-1), {
    id: 'm2', author: 'guest-ada', authorName: 'Ada', role: 'customer', text: 'my name is Ada', at: T0 + 4000, offset: 4,
  });
  assert.equal(model.offset, 4);
  assert.equal(applyEvent(model, frame(5, 'messagePosted', { id: 'm2', author: 'guest-ada', authorName: 'Ada', role: 'customer', text: 'again' })), null,
    'a message id is posted once');
  assert.equal(model.offset, 5, 'the offset still moves');
});

test('escalate, claim, transfer, back to the queue, resolve: the status and the notes', () => {
  const model = view();
  applyEvent(model, frame(4, 'escalated', { by: 'guest-ada', reason: 'button' }));
  assert.equal(model.status, 'queued');
  assert.equal(model.queuedSince, T0 + 4000);
  assert.match(standing(model), /^Waiting for a person since \d\d:\d\d$/);
  applyEvent(model, frame(5, 'agentPresence', { agent: 'u-bob', agentName: 'Bob', joined: true }));
  assert.deepEqual(model.agentsPresent, [{ id: 'u-bob', name: 'Bob' }]);
  applyEvent(model, frame(6, 'claimed', { agent: 'u-bob', agentName: 'Bob' }));
  assert.equal(model.status, 'withAgent');
  assert.equal(standing(model), 'You are talking to Bob');
  applyEvent(model, frame(7, 'transferred', { from: 'u-bob', to: 'u-cy', toName: 'Cy', by: 'u-bob' }));
  assert.deepEqual(model.agent, { id: 'u-cy', name: 'Cy' });
  applyEvent(model, frame(8, 'transferred', { from: 'u-cy', by: 'u-cy' }));
  assert.equal(model.status, 'queued');
  assert.equal(model.agent, null);
  applyEvent(model, frame(9, 'agentPresence', { agent: 'u-bob', agentName: 'Bob', joined: false }));
  assert.deepEqual(model.agentsPresent, []);
  applyEvent(model, frame(10, 'resolved', { by: 'u-cy' }));
  assert.equal(model.status, 'bot');
  assert.equal(model.queuedSince, null);
  assert.deepEqual(model.notes.map((n) => noteText(n, model, 'guest-ada')), [
    'You asked for a person', 'Bob (agent) joined', 'Bob (agent) took the conversation', 'Handed over to Cy (agent)',
    'Handed back to the queue: waiting for a person', 'Bob (agent) left', 'Resolved: the assistant answers again',
  ]);
  assert.deepEqual(timeline(model).map((i) => i.offset), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('a presence marker that says what the last one said adds no note', () => {
  const model = view();
  applyEvent(model, frame(4, 'agentPresence', { agent: 'u-bob', agentName: 'Bob', joined: true }));
  assert.equal(applyEvent(model, frame(5, 'agentPresence', { agent: 'u-bob', agentName: 'Bob', joined: true }))?.kind, 'presence');
  assert.equal(model.notes.length, 1);
});

test('where the customer stands', () => {
  const model = view();
  assert.match(standing(model), /assistant/);
  assert.equal(clock(T0), '14:02');
  applyEvent(model, frame(4, 'escalated', { by: 'guest-ada', reason: 'keyword' }, T0));
  assert.equal(standing(model), 'Waiting for a person since 14:02');
});

test('unread: messages by others after the offset last seen', () => {
  const model = view();
  assert.equal(unreadCount(model, 0, 'u-bob'), 2);
  assert.equal(unreadCount(model, 3, 'u-bob'), 0);
  applyEvent(model, frame(4, 'messagePosted', { id: 'a1', author: 'u-bob', authorName: 'Bob', role: 'agent', text: 'Hi' }));
  applyEvent(model, frame(5, 'messagePosted', { id: 'm3', author: 'guest-ada', authorName: 'Ada', role: 'customer', text: 'Hi Bob' }));
  applyEvent(model, frame(6, 'agentPresence', { agent: 'u-bob', agentName: 'Bob', joined: false }));
  assert.equal(unreadCount(model, 3, 'u-bob'), 1, 'my own reply and the markers are not unread');
  assert.equal(unreadCount(model, 5, 'u-bob'), 0);
});

test('the queue is oldest first, and says how long each has waited', () => {
  const chats = [
    { id: 'b', status: 'queued', queuedSince: 300 },
    { id: 'a', status: 'queued', queuedSince: 100 },
    { id: 'x', status: 'withAgent' },
  ];
  assert.deepEqual(queueOrder(chats).map((c) => c.id), ['a', 'b']);
  assert.equal(waitingFor(0, 30_000), 'just now');
  assert.equal(waitingFor(0, 4 * 60_000 + 5), '4 min');
  assert.equal(waitingFor(0, 65 * 60_000), '1 h 5 min');
});
