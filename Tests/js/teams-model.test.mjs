// Unit tests of Public/js/teams-model.js: a tournament view, the events folded into it, and
// what the page shows whom.
// Run: node --test Tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyEvent,
  cleanText,
  clubLines,
  drawHint,
  fromView,
  fullName,
  isReady,
  lookersText,
  roleOf,
  shortName,
} from '../../Public/js/teams-model.js';

/** A view as GET /api/v1/tournaments/{id} answers it. */
function view(extra = {}) {
  return {
    id: 't1',
    name: 'Friday',
    playerLimit: 2,
    organiser: 'guest-org',
    drawRule: 'random',
    createdAt: 1764000000000,
    clubs: [{ name: 'Chelsea' }, { name: 'Juventus' }, { name: 'Barcelona' }],
    players: [],
    pairs: [],
    ready: false,
    drawn: false,
    offset: 1,
    joinUrl: 'http://huddle.test/tournament.html?id=t1',
    ...extra,
  };
}

const joined = (offset, playerId, name, surname, by) => ({ offset, name: 'playerJoined', data: { playerId, name, surname, by } });
const picked = (offset, playerId, club) => ({ offset, name: 'clubPicked', data: { playerId, club } });

test('a view becomes the model; who holds a club follows from the picks', () => {
  const model = fromView(view({
    players: [
      { id: 'p1', name: 'Ada', surname: 'Lovelace', identity: 'guest-a', pickedClub: 'Juventus' },
      { id: 'p2', name: 'Bob', surname: 'Marley', identity: 'user-b' },
    ],
    clubs: [{ name: 'Chelsea' }, { name: 'Juventus', takenBy: { playerId: 'p9', name: 'x', surname: 'y' } }],
    ready: true, // the server's word is checked, not taken: p2 has not picked
  }));
  assert.equal(model.offset, 1);
  assert.deepEqual(model.clubs, [{ name: 'Chelsea' }, { name: 'Juventus', takenBy: { playerId: 'p1', name: 'Ada', surname: 'Lovelace' } }]);
  assert.equal(model.ready, false);
  assert.equal(model.joinUrl, 'http://huddle.test/tournament.html?id=t1');
});

test('events after the view fold in; events the view already holds are skipped', () => {
  const model = fromView(view({ offset: 2, players: [{ id: 'p1', name: 'Ada', surname: 'Lovelace', identity: 'guest-a' }] }));
  assert.equal(applyEvent(model, joined(2, 'p1', 'Ada', 'Lovelace', 'guest-a')), null, 'offset 2 is in the view');
  assert.equal(model.players.length, 1);
  assert.deepEqual(applyEvent(model, joined(3, 'p2', 'Bob', 'Marley', 'user-b')), { kind: 'joined', playerId: 'p2' });
  assert.deepEqual(model.players[1], { id: 'p2', name: 'Bob', surname: 'Marley', identity: 'user-b' });
  assert.equal(model.ready, false);

  assert.deepEqual(applyEvent(model, picked(4, 'p2', 'Chelsea')), { kind: 'picked', playerId: 'p2' });
  assert.deepEqual(model.clubs[0].takenBy, { playerId: 'p2', name: 'Bob', surname: 'Marley' });
  assert.equal(model.ready, false);
  assert.equal(applyEvent(model, picked(4, 'p1', 'Juventus')), null, 'a repeated offset');
  assert.deepEqual(applyEvent(model, picked(5, 'p1', 'Juventus')), { kind: 'picked', playerId: 'p1' });
  assert.equal(model.ready, true, 'full, and everyone picked');
  assert.equal(model.offset, 5);

  const drawn = { offset: 6, name: 'drawn', data: { pairs: [{ playerId: 'p1', club: 'Chelsea' }, { playerId: 'p2', club: 'Juventus' }] } };
  assert.deepEqual(applyEvent(model, drawn), { kind: 'drawn' });
  assert.equal(model.drawn, true);
  assert.equal(model.ready, false);
  assert.deepEqual(model.players.map((p) => p.drawnClub), ['Chelsea', 'Juventus']);
  assert.equal(applyEvent(model, { ...drawn, offset: 7 }), null, 'the draw happens once');
  assert.equal(model.offset, 7, 'the offset moves past events that change nothing');
});

test('events that contradict the model, or that this page does not know, change nothing but the offset', () => {
  const model = fromView(view({ players: [{ id: 'p1', name: 'Ada', surname: 'L', identity: 'g', pickedClub: 'Chelsea' }] }));
  assert.equal(applyEvent(model, picked(2, 'p1', 'Juventus')), null, 'a player picks once');
  assert.equal(applyEvent(model, picked(3, 'p7', 'Juventus')), null, 'no such player');
  assert.equal(applyEvent(model, joined(4, 'p1', 'Eve', 'X', 'h')), null, 'p1 exists');
  assert.equal(applyEvent(model, { offset: 5, name: 'somethingNew', data: {} }), null);
  assert.equal(applyEvent(model, { offset: 6, name: 'tournamentCreated', data: {} }), null);
  assert.equal(model.offset, 6);
  assert.equal(model.players[0].pickedClub, 'Chelsea');
  assert.equal(model.clubs[1].takenBy, undefined);
});

test('who sees what: organiser, player, newcomer, viewer', () => {
  const model = fromView(view({ players: [{ id: 'p1', name: 'Ada', surname: 'L', identity: 'guest-a' }] }));
  assert.equal(roleOf(model, 'guest-org').view, 'organiser');
  assert.equal(roleOf(model, 'guest-a').view, 'player');
  assert.equal(roleOf(model, 'guest-a').player?.id, 'p1');
  assert.equal(roleOf(model, 'someone').view, 'newcomer');
  assert.equal(roleOf(model, null).view, 'newcomer', 'nobody yet: may join (as a guest)');
  applyEvent(model, joined(2, 'p2', 'Bob', 'M', 'guest-org'));
  assert.equal(roleOf(model, 'guest-org').view, 'organiser', 'an organiser who joined still organises');
  assert.equal(roleOf(model, 'guest-org').player?.id, 'p2');
  assert.equal(roleOf(model, 'someone').view, 'viewer', 'full: nobody else can join');
  assert.equal(roleOf(fromView(view({ drawn: true })), 'someone').view, 'viewer');
});

test('names, hints and form helpers', () => {
  const ada = { id: 'p1', name: 'Ada', surname: 'Lovelace', identity: 'g' };
  assert.equal(fullName(ada), 'Ada Lovelace');
  assert.equal(shortName(ada), 'Ada L.');
  assert.equal(shortName({ ...ada, surname: 'Ødegaard' }), 'Ada Ø.');
  assert.equal(lookersText([]), '');
  assert.equal(lookersText(['Ada L.']), 'Ada L. is looking');
  assert.equal(lookersText(['Ada L.', 'Bo K.', 'Cy D.']), 'Ada L., Bo K. and Cy D. are looking');

  const model = fromView(view({ playerLimit: 2 }));
  assert.equal(drawHint(model), 'Waiting for 2 more players to join.');
  applyEvent(model, joined(2, 'p1', 'Ada', 'Lovelace', 'a'));
  assert.equal(drawHint(model), 'Waiting for 1 more player to join.');
  applyEvent(model, joined(3, 'p2', 'Bob', 'Marley', 'b'));
  applyEvent(model, picked(4, 'p2', 'Chelsea'));
  assert.equal(drawHint(model), 'Waiting for Ada Lovelace to pick a club.');
  applyEvent(model, picked(5, 'p1', 'Barcelona'));
  assert.ok(isReady(model));
  assert.equal(drawHint(model), 'Everyone has picked: make the draw.');

  assert.equal(cleanText('  Ada ', 40), 'Ada');
  assert.equal(cleanText('   ', 40), null);
  assert.equal(cleanText('é'.repeat(40), 40), 'é'.repeat(40));
  assert.equal(cleanText('x'.repeat(41), 40), null);
  assert.deepEqual(clubLines(' Chelsea \r\n\n Juventus\n  '), ['Chelsea', 'Juventus']);
});
