// Unit tests of Public/js/realtime.js against a fake WebSocket, with mocked timers.
// Run: node --test Tests/js/
import { test, beforeEach, afterEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import { RealtimeClient, RealtimeError } from '../../Public/js/realtime.js';

const URL_ = 'ws://huddle.test/api/v1/realtime';

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closedWith = null;
    FakeSocket.all.push(this);
  }
  send(text) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(text));
  }
  close(code, reason) {
    this.readyState = 3;
    this.closedWith = { code, reason };
  }
  // driven by the tests
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  serverClose(code = 1012) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  sentOf(type) {
    return this.sent.filter((f) => f.type === type);
  }
}

const last = () => FakeSocket.all.at(-1);

function client(options = {}) {
  return new RealtimeClient({ url: URL_, WebSocket: FakeSocket, ...options });
}

/** Lets promise callbacks run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  FakeSocket.all = [];
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  mock.method(Math, 'random', () => 0.999);
});

afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

test('builds the URL with the name', () => {
  assert.equal(client().url, URL_);
  assert.equal(client({ name: 'Ada <b>' }).url, `${URL_}?name=Ada+%3Cb%3E`);
  assert.equal(client({ url: 'https://h.test/api/v1/realtime' }).url, 'wss://h.test/api/v1/realtime');
});

test('status goes connecting → open → reconnecting → open → closed', () => {
  const c = client();
  const seen = [];
  c.onStatus((s) => seen.push(s));
  c.connect();
  last().open();
  last().serverClose(1012);
  mock.timers.tick(15_000);
  last().open();
  c.close();
  assert.deepEqual(seen, ['closed', 'connecting', 'open', 'reconnecting', 'open', 'closed']);
  assert.equal(FakeSocket.all.length, 2);
  mock.timers.tick(60_000);
  assert.equal(FakeSocket.all.length, 2, 'no reconnect after close()');
});

test('exposes welcome and keeps a server-picked name across reconnects', () => {
  const c = client();
  c.connect();
  last().open();
  last().receive({ type: 'welcome', connectionId: 'k1', name: 'Ada k3' });
  assert.deepEqual(c.welcome, { connectionId: 'k1', name: 'Ada k3' });
  last().serverClose(4000);
  mock.timers.tick(15_000);
  assert.equal(last().url, `${URL_}?name=Ada+k3`);
});

test('subscribes on open, delivers each offset once, in order', () => {
  const c = client();
  const got = [];
  const sub = c.subscribe('counter:a', { onEvent: (e) => got.push(e.offset) });
  c.connect();
  assert.equal(last().sent.length, 0);
  last().open();
  assert.deepEqual(last().sentOf('subscribe'), [{ type: 'subscribe', channel: 'counter:a', since: 0 }]);
  for (const offset of [1, 2, 2, 1, 5, 3, 6]) {
    last().receive({ type: 'event', channel: 'counter:a', offset, name: 'incremented', data: { count: offset } });
  }
  last().receive({ type: 'event', channel: 'counter:other', offset: 9, name: 'x', data: {} });
  assert.deepEqual(got, [1, 2, 5, 6]);
  assert.equal(sub.offset, 6);
});

test('resubscribes every channel from its last offset after a reconnect', () => {
  const c = client();
  const subscribed = [];
  c.subscribe('counter:a', { onSubscribed: (f) => subscribed.push(f.offset) });
  c.subscribe('board:b', { since: -1 });
  c.connect();
  last().open();
  last().receive({ type: 'event', channel: 'counter:a', offset: 7, name: 'incremented', data: { count: 7 } });
  last().receive({ type: 'subscribed', channel: 'counter:a', offset: 7 });
  last().receive({ type: 'subscribed', channel: 'board:b', offset: 41 });
  last().serverClose(1012);
  mock.timers.tick(15_000);
  last().open();
  assert.deepEqual(last().sentOf('subscribe'), [
    { type: 'subscribe', channel: 'counter:a', since: 7 },
    { type: 'subscribe', channel: 'board:b', since: 41 },
  ]);
  last().receive({ type: 'subscribed', channel: 'counter:a', offset: 7 });
  assert.deepEqual(subscribed, [7, 7]);
});

test('unsubscribe sends a frame and ignores later events', () => {
  const c = client();
  const got = [];
  const sub = c.subscribe('counter:a', { onEvent: (e) => got.push(e.offset) });
  c.connect();
  last().open();
  sub.unsubscribe();
  sub.unsubscribe();
  assert.deepEqual(last().sentOf('unsubscribe'), [{ type: 'unsubscribe', channel: 'counter:a' }]);
  last().receive({ type: 'event', channel: 'counter:a', offset: 1, name: 'incremented', data: {} });
  assert.deepEqual(got, []);
  assert.doesNotThrow(() => c.subscribe('counter:a'));
  assert.throws(() => c.subscribe('counter:a'), /already subscribed/);
});

test('commands resolve with the ack and reject with the error code', async () => {
  const c = client();
  c.connect();
  last().open();
  const ok = c.command('counter:a', 'increment');
  const bad = c.command('counter:a', 'explode', { x: 1 });
  const [first, second] = last().sentOf('command');
  assert.deepEqual(first, { type: 'command', id: first.id, channel: 'counter:a', name: 'increment', data: {} });
  assert.notEqual(first.id, second.id);
  last().receive({ type: 'ack', id: first.id, offset: 12 });
  last().receive({ type: 'error', id: second.id, channel: 'counter:a', code: 'unknown_command', message: 'no such command' });
  assert.deepEqual(await ok, { offset: 12 });
  await assert.rejects(bad, (e) => e instanceof RealtimeError && e.code === 'unknown_command' && e.message === 'no such command');
});

test('commands reject with disconnected (not open, or dropped) and timeout', async () => {
  const c = client();
  await assert.rejects(c.command('counter:a', 'increment'), { code: 'disconnected' });
  c.connect();
  last().open();
  const slow = c.command('counter:a', 'increment');
  mock.timers.tick(10_000);
  await assert.rejects(slow, { code: 'timeout' });
  const dropped = c.command('counter:a', 'increment');
  last().serverClose(1012);
  await assert.rejects(dropped, { code: 'disconnected' });
});

test('errors go to the channel, or to onError when they answer nothing known', () => {
  const c = client();
  const channelErrors = [];
  const otherErrors = [];
  c.subscribe('counter:a', { onError: (e) => channelErrors.push(e.code) });
  c.onError((e) => otherErrors.push(e.code));
  c.connect();
  last().open();
  last().receive({ type: 'error', channel: 'counter:a', code: 'too_many_channels', message: '…' });
  last().receive({ type: 'error', code: 'bad_request', message: '…' });
  last().receive('not json');
  assert.deepEqual(channelErrors, ['too_many_channels']);
  assert.deepEqual(otherErrors, ['bad_request']);
});

test('keeps the member list from snapshot, join and leave', () => {
  const c = client();
  const lists = [];
  const sub = c.subscribe('board:1', { onPresence: (m) => lists.push(m.map((x) => x.name)) });
  c.connect();
  last().open();
  last().receive({ type: 'presence', channel: 'board:1', members: [{ id: '1', name: 'Ada' }, { id: '2', name: 'Bo' }] });
  last().receive({ type: 'presence', channel: 'board:1', action: 'join', member: { id: '3', name: '<b>x</b>' } });
  last().receive({ type: 'presence', channel: 'board:1', action: 'leave', member: { id: '1', name: 'Ada' } });
  assert.deepEqual(lists, [['Ada', 'Bo'], ['Ada', 'Bo', '<b>x</b>'], ['Bo', '<b>x</b>']]);
  assert.deepEqual(sub.members.map((m) => m.id), ['2', '3']);
  last().receive({ type: 'presence', channel: 'board:1', members: [{ id: '9', name: 'Cai' }] });
  assert.deepEqual(lists.at(-1), ['Cai']);
});

test('signals are sent while open and dropped otherwise; incoming ones reach onSignal', () => {
  const c = client();
  const signals = [];
  c.subscribe('board:1', { onSignal: (s) => signals.push(s.data) });
  assert.equal(c.signal('board:1', 'cursor', { x: 1 }), false);
  c.connect();
  last().open();
  assert.equal(c.signal('board:1', 'cursor', { x: 2 }), true);
  assert.deepEqual(last().sentOf('signal'), [{ type: 'signal', channel: 'board:1', name: 'cursor', data: { x: 2 } }]);
  last().receive({ type: 'signal', channel: 'board:1', from: { id: '2', name: 'Bo' }, name: 'cursor', data: { x: 3 } });
  assert.deepEqual(signals, [{ x: 3 }]);
});

test('backs off exponentially up to 15 s, and starts afresh after a stable connection', () => {
  const c = client();
  c.connect();
  const delays = [];
  for (let i = 0; i < 7; i++) {
    last().serverClose(1006);
    const before = FakeSocket.all.length;
    let waited = 0;
    while (FakeSocket.all.length === before) {
      mock.timers.tick(1);
      waited += 1;
    }
    delays.push(waited);
  }
  // Math.random() is 0.999: each delay is just under its ceiling.
  assert.deepEqual(delays, [500, 999, 1998, 3996, 7992, 14985, 14985]);
  last().open();
  mock.timers.tick(10_000);
  last().serverClose(1012);
  mock.timers.tick(500); // back to the first ceiling
  assert.equal(FakeSocket.all.length, 9);
});

test('pings every 25 s and drops a connection that stays silent', () => {
  const c = client();
  const seen = [];
  c.onStatus((s) => seen.push(s));
  c.connect();
  last().open();
  mock.timers.tick(25_000);
  const [ping] = last().sentOf('ping');
  assert.ok(ping && typeof ping.id === 'string');
  last().receive({ type: 'pong', id: ping.id });
  mock.timers.tick(25_000);
  mock.timers.tick(10_000);
  assert.equal(seen.at(-1), 'reconnecting');
  assert.equal(FakeSocket.all[0].readyState, 3);
});

test('a socket that never opens is given up and retried', () => {
  const c = client();
  c.connect();
  mock.timers.tick(10_000);
  assert.equal(c.status, 'reconnecting');
  mock.timers.tick(15_000);
  assert.equal(FakeSocket.all.length, 2);
});

test('a throwing callback does not break the client', () => {
  const c = client();
  const reported = [];
  mock.method(console, 'error', (e) => reported.push(e));
  const saved = globalThis.reportError;
  globalThis.reportError = undefined;
  try {
    const got = [];
    c.subscribe('counter:a', {
      onEvent: (e) => {
        got.push(e.offset);
        throw new Error('app bug');
      },
    });
    c.connect();
    last().open();
    last().receive({ type: 'event', channel: 'counter:a', offset: 1, name: 'incremented', data: {} });
    last().receive({ type: 'event', channel: 'counter:a', offset: 2, name: 'incremented', data: {} });
    assert.deepEqual(got, [1, 2]);
    assert.equal(reported.length, 2);
  } finally {
    globalThis.reportError = saved;
  }
});

test('an unknown frame type is ignored', async () => {
  const c = client();
  c.connect();
  last().open();
  last().receive({ type: 'something-new', channel: 'x:y' });
  await flush();
  assert.equal(c.status, 'open');
});

test('with a token, each connection sends auth before any subscription', async () => {
  let tokens = 0;
  const c = client({ token: async () => `t${++tokens}` });
  c.subscribe('counter:a', { since: 0 });
  c.connect();
  last().open();
  assert.equal(c.status, 'connecting', 'not open until the auth frame is on its way');
  await flush();
  assert.equal(c.status, 'open');
  assert.deepEqual(last().sent.map((f) => f.type), ['auth', 'subscribe']);
  assert.equal(last().sent[0].token, 't1');
  last().receive({ type: 'authenticated', id: 'u1', name: 'Ada', role: 'user', username: 'ada', guest: false });
  assert.deepEqual(c.identity, { id: 'u1', name: 'Ada', role: 'user', username: 'ada' });

  // A reconnect asks for the token again (it may have been refreshed meanwhile).
  last().serverClose(1012);
  assert.equal(c.identity, null);
  mock.timers.tick(15_000);
  last().open();
  await flush();
  assert.deepEqual(last().sent.map((f) => f.type), ['auth', 'subscribe']);
  assert.equal(last().sent[0].token, 't2');
  c.close();
});

test('without a token from the provider the connection stays a guest', async () => {
  const c = client({ token: () => null });
  c.subscribe('counter:b', { since: 0 });
  c.connect();
  last().open();
  await flush();
  assert.deepEqual(last().sent.map((f) => f.type), ['subscribe']);
  c.close();
});
