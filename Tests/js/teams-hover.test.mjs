// Unit tests of Public/js/teams-hover.js: whose hovers count and when they go, and the
// hover sender's throttle (only on change, at most one per interval, the latest wins).
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOVER_INTERVAL_MS, Hovers, createHoverSender } from '../../Public/js/teams-hover.js';
import { applyEvent, fromView } from '../../Public/js/teams-model.js';
import { fakeClock } from './fake-clock.mjs';

function model() {
  return fromView({
    id: 't1', name: 'Friday', playerLimit: 3, organiser: 'guest-org', offset: 3,
    clubs: [{ name: 'Chelsea' }, { name: 'Juventus' }],
    players: [
      { id: 'p1', name: 'Ada', surname: 'Lovelace', identity: 'guest-a' },
      { id: 'p2', name: 'Bob', surname: 'Marley', identity: 'user-b' },
    ],
  });
}

const hover = (member, identity, playerId, club) => ({ name: 'hover', from: { id: member, name: 'x', identity }, data: { playerId, club } });

test('a hover counts only from the identity that joined as that player', () => {
  const m = model();
  const hovers = new Hovers();
  assert.equal(hovers.receive(m, hover('c1', 'user-b', 'p1', 'Chelsea')), null, 'Bob cannot hover for Ada');
  assert.equal(hovers.receive(m, hover('c1', undefined, 'p1', 'Chelsea')), null, 'no identity');
  assert.equal(hovers.receive(m, hover('c1', 'guest-a', 'p9', 'Chelsea')), null, 'no such player');
  assert.equal(hovers.receive(m, hover('c1', 'guest-a', 'p1', 'Arsenal')), null, 'not one of the clubs');
  assert.equal(hovers.receive(m, { ...hover('c1', 'guest-a', 'p1', 'Chelsea'), name: 'cursor' }), null, 'another signal');
  assert.equal(hovers.clubOf('p1'), null);

  assert.equal(hovers.receive(m, hover('c1', 'guest-a', 'p1', 'Chelsea')), 'p1');
  assert.equal(hovers.receive(m, hover('c2', 'user-b', 'p2', 'Chelsea')), 'p2');
  assert.equal(hovers.clubOf('p1'), 'Chelsea');
  assert.deepEqual(hovers.lookingAt('Chelsea'), ['p1', 'p2']);
  assert.equal(hovers.receive(m, hover('c1', 'guest-a', 'p1', 'Chelsea')), null, 'no change');
  assert.equal(hovers.receive(m, hover('c1', 'guest-a', 'p1', 'Juventus')), 'p1', 'the latest wins');
  assert.deepEqual(hovers.lookingAt('Chelsea'), ['p2']);
  assert.equal(hovers.receive(m, hover('c1', 'guest-a', 'p1', null)), 'p1', 'looking at nothing');
  assert.equal(hovers.clubOf('p1'), null);
});

test('a hover goes when its player picks, and is not taken after', () => {
  const m = model();
  const hovers = new Hovers();
  hovers.receive(m, hover('c1', 'guest-a', 'p1', 'Chelsea'));
  applyEvent(m, { offset: 4, name: 'clubPicked', data: { playerId: 'p1', club: 'Juventus' } });
  assert.equal(hovers.forget('p1'), true);
  assert.equal(hovers.clubOf('p1'), null);
  assert.equal(hovers.receive(m, hover('c1', 'guest-a', 'p1', 'Chelsea')), null, 'picked: no more hovering');
});

test('a hover goes with the presence member that sent it', () => {
  const m = model();
  const hovers = new Hovers();
  hovers.receive(m, hover('c1', 'guest-a', 'p1', 'Chelsea'));
  hovers.receive(m, hover('c2', 'user-b', 'p2', 'Juventus'));
  // Ada has a second tab (member c3): its hover replaces the first tab's.
  hovers.receive(m, hover('c3', 'guest-a', 'p1', 'Juventus'));
  assert.deepEqual(hovers.keepMembers(['c2', 'c3']), [], 'c1 left, but the latest hover of p1 came from c3');
  assert.equal(hovers.clubOf('p1'), 'Juventus');
  assert.deepEqual(hovers.keepMembers(['c2']), ['p1']);
  assert.equal(hovers.clubOf('p1'), null);
  assert.equal(hovers.clubOf('p2'), 'Juventus');
  hovers.clear();
  assert.equal(hovers.clubOf('p2'), null);
});

test('the sender sends on change only, at most 4 a second, the latest after the interval', () => {
  assert.equal(HOVER_INTERVAL_MS, 250);
  const clock = fakeClock();
  const sent = [];
  const sender = createHoverSender((club) => sent.push([clock.now(), club]), HOVER_INTERVAL_MS, clock);
  sender.set(null);
  assert.deepEqual(sent, [], 'looking at nothing to begin with: no change');
  sender.set('Chelsea');
  assert.deepEqual(sent, [[0, 'Chelsea']]);
  sender.set('Chelsea');
  clock.advance(50);
  sender.set('Juventus');
  clock.advance(50);
  sender.set('Barcelona');
  assert.equal(sent.length, 1, 'within the interval nothing more goes');
  clock.advance(150);
  assert.deepEqual(sent, [[0, 'Chelsea'], [250, 'Barcelona']], 'the latest, once the interval is over');

  // Away and back within one interval: nothing changed for the others, nothing is sent.
  clock.advance(10);
  sender.set(null);
  sender.set('Barcelona');
  clock.advance(1000);
  assert.equal(sent.length, 2);
  sender.set(null);
  assert.deepEqual(sent.at(-1), [1260, null]);
});

test('the sender under a flood of changes: at most one per interval', () => {
  const clock = fakeClock();
  const sent = [];
  const sender = createHoverSender((club) => sent.push(clock.now()), HOVER_INTERVAL_MS, clock);
  for (let t = 0; t < 2000; t += 10) {
    sender.set(t % 20 ? 'Chelsea' : 'Juventus');
    clock.advance(10);
  }
  clock.advance(500);
  for (let i = 1; i < sent.length; i += 1) assert.ok(sent[i] - sent[i - 1] >= HOVER_INTERVAL_MS, `${sent[i]} after ${sent[i - 1]}`);
  assert.ok(sent.length <= 2000 / HOVER_INTERVAL_MS + 1, `${sent.length} sent`);
});

test('reset forgets what was sent and what waits', () => {
  const clock = fakeClock();
  const sent = [];
  const sender = createHoverSender((club) => sent.push(club), HOVER_INTERVAL_MS, clock);
  sender.set('Chelsea');
  sender.set('Juventus');
  sender.reset();
  clock.advance(1000);
  assert.deepEqual(sent, ['Chelsea'], 'the waiting one was dropped');
  assert.equal(sender.looking, null);
  sender.set('Chelsea');
  assert.deepEqual(sent, ['Chelsea', 'Chelsea'], 'a new connection: said again');
});
