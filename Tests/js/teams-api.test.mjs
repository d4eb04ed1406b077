// Unit tests of Public/js/teams-api.js: guest passes (read from a create or join answer, kept
// per tournament until they expire) and who a tournament's page acts as.
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';

// session.js talks to other tabs on a BroadcastChannel, which would keep node running.
delete globalThis.BroadcastChannel;
const { PASS_PREFIX, actorFor, freshestPass, passFrom, readPass, storePass, tokenClaims } = await import('../../Public/js/teams-api.js');
const { fromView } = await import('../../Public/js/teams-model.js');

/** An unsigned token with these claims (the page never checks signatures: the server does). */
function token(claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

/** localStorage as the page sees it. */
function storage() {
  const items = new Map();
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}

const NOW = 1_764_000_000_000;
const DAY = 24 * 3600;

test('a pass is read from the answer: who it is for and until when', () => {
  const jwt = token({ sub: 'guest-abc', name: 'Ada k3', exp: NOW / 1000 + DAY, iat: NOW / 1000 });
  assert.deepEqual(tokenClaims(jwt)?.sub, 'guest-abc');
  assert.deepEqual(passFrom({ id: 't1', pass: jwt }, NOW), { token: jwt, id: 'guest-abc', name: 'Ada k3', expiresAt: NOW + DAY * 1000 });
  // As the server sends it: a grant, whose lifetime and user count.
  const grant = { user: { id: 'guest-abc', displayName: 'Ada', guest: true }, accessToken: jwt, tokenType: 'Bearer', expiresIn: 60 };
  assert.deepEqual(passFrom({ pass: grant }, NOW), { token: jwt, id: 'guest-abc', name: 'Ada', expiresAt: NOW + 60_000 });
  assert.equal(passFrom({ id: 't1' }, NOW), null, 'a user gets no pass');
  assert.equal(passFrom({ pass: 'not a token' }, NOW), null, 'nobody to act as');
});

test('passes are kept per tournament until they expire', () => {
  const store = storage();
  const pass = { token: 'x', id: 'guest-a', name: 'Ada', expiresAt: NOW + 3600_000 };
  storePass(store, 't1', pass);
  assert.ok(store.getItem(`${PASS_PREFIX}t1`));
  assert.deepEqual(readPass(store, 't1', NOW), pass);
  assert.equal(readPass(store, 't2', NOW), null);
  assert.equal(readPass(store, 't1', NOW + 3600_000), null, 'expired');
  assert.equal(store.getItem(`${PASS_PREFIX}t1`), null, 'and removed');
  store.setItem(`${PASS_PREFIX}t3`, '{not json');
  assert.equal(readPass(store, 't3', NOW), null);
});

test("the browser's freshest pass is its Teams guest", () => {
  const store = storage();
  assert.equal(freshestPass(store, NOW), null);
  storePass(store, 't1', { token: 'a', id: 'guest-a', name: '', expiresAt: NOW + 1000_000 });
  storePass(store, 't2', { token: 'b', id: 'guest-a', name: '', expiresAt: NOW + 9000_000 });
  storePass(store, 't3', { token: 'c', id: 'guest-c', name: '', expiresAt: NOW - 1 });
  store.setItem('huddle.board.guest', '{}');
  assert.equal(freshestPass(store, NOW)?.token, 'b');
});

test("a tournament's page acts as the guest of its pass, or as nobody yet", () => {
  const store = storage();
  const model = fromView({
    id: 't1', organiser: 'guest-org', playerLimit: 2, clubs: [{ name: 'A' }, { name: 'B' }],
    players: [{ id: 'p1', name: 'Ada', surname: 'L', identity: 'guest-a' }],
  });
  assert.equal(actorFor(model, store), null, 'not signed in, no pass: a guest is asked for when needed');
  storePass(store, 't1', { token: 'tok', id: 'guest-a', name: 'Ada', expiresAt: Date.now() + 3600_000 });
  const actor = actorFor(model, store);
  assert.equal(actor?.kind, 'guest');
  assert.equal(actor?.id, 'guest-a');
  assert.equal(actor?.token(), 'tok');
});
