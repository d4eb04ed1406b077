/**
 * A tournament as the Teams pages hold it: the view `GET /api/v1/tournaments/{id}` answers
 * (docs/PROTOCOL.md, "The Teams app"), kept current by folding the events of
 * `tournament:{id}` that come after the view's `offset`. Pure: no DOM, no network, so the
 * rules are unit-tested under node (Tests/js/teams-model.test.mjs).
 * @module teams-model
 */

/** Tournament ids are channel ids: 1–128 of `A-Z a-z 0-9 _ . -`. */
export const ID_RULE = /^[A-Za-z0-9_.-]{1,128}$/;

/** What the server checks (TournamentLimits.swift), so the forms can say it first. */
export const LIMITS = Object.freeze({ nameMax: 80, playerNameMax: 40, clubNameMax: 40, clubsMin: 2, clubsMax: 64 });

/** The clubs a tournament gets when its organiser gives none. */
export const DEFAULT_CLUBS = Object.freeze([
  'Bayern Munich', 'Paris Saint-Germain', 'Manchester City', 'Liverpool', 'Manchester United',
  'Real Madrid', 'Chelsea', 'Atlético Madrid', 'Juventus', 'Barcelona',
]);

/**
 * @typedef {{playerId: string, name: string, surname: string}} Holder
 * @typedef {{name: string, takenBy?: Holder}} Club
 * @typedef {{id: string, name: string, surname: string, identity: string, pickedClub?: string, drawnClub?: string}} Player
 * @typedef {{playerId: string, club: string}} Pair
 * @typedef {{id: string, name: string, playerLimit: number, organiser: string, drawRule: string,
 *   createdAt: number|null, joinUrl: string, clubs: Club[], players: Player[], pairs: Pair[],
 *   ready: boolean, drawn: boolean, offset: number}} Tournament
 */

const text = (value) => (typeof value === 'string' ? value : '');

/**
 * The model of a tournament view from the server (a GET, or the answer to a join, pick or
 * draw). Unknown members are dropped; missing ones get empty values.
 * @returns {Tournament}
 */
export function fromView(view) {
  const players = (Array.isArray(view?.players) ? view.players : [])
    .filter((p) => p && typeof p.id === 'string')
    .map((p) => {
      /** @type {Player} */
      const player = { id: p.id, name: text(p.name), surname: text(p.surname), identity: text(p.identity) };
      if (typeof p.pickedClub === 'string') player.pickedClub = p.pickedClub;
      if (typeof p.drawnClub === 'string') player.drawnClub = p.drawnClub;
      return player;
    });
  const model = {
    id: text(view?.id),
    name: text(view?.name),
    playerLimit: Number.isInteger(view?.playerLimit) ? view.playerLimit : 0,
    organiser: text(view?.organiser),
    drawRule: text(view?.drawRule) || 'random',
    createdAt: Number.isFinite(view?.createdAt) ? view.createdAt : null,
    joinUrl: text(view?.joinUrl),
    clubs: (Array.isArray(view?.clubs) ? view.clubs : []).filter((c) => c && typeof c.name === 'string').map((c) => ({ name: c.name })),
    players,
    pairs: (Array.isArray(view?.pairs) ? view.pairs : []).filter((p) => p && typeof p.playerId === 'string' && typeof p.club === 'string')
      .map((p) => ({ playerId: p.playerId, club: p.club })),
    ready: false,
    drawn: Boolean(view?.drawn),
    offset: Number.isInteger(view?.offset) ? view.offset : 0,
  };
  // Who holds a club follows from the picks: one truth, not two to keep in step.
  for (const player of players) if (player.pickedClub) holdClub(model, player);
  model.ready = isReady(model);
  return model;
}

/** Full, and everyone picked: the organiser may draw. */
export function isReady(model) {
  return model.players.length >= model.playerLimit && model.playerLimit > 0 && model.players.every((p) => p.pickedClub);
}

export function isFull(model) {
  return model.players.length >= model.playerLimit;
}

export function playerById(model, playerId) {
  return model.players.find((p) => p.id === playerId);
}

/** The player identity `identityId` joined as, if any. */
export function playerOf(model, identityId) {
  return identityId ? model.players.find((p) => p.identity === identityId) : undefined;
}

function holdClub(model, player) {
  const club = model.clubs.find((c) => c.name === player.pickedClub);
  if (club) club.takenBy = { playerId: player.id, name: player.name, surname: player.surname };
}

/**
 * Folds one event of `tournament:{id}` into `model` (in place). Events at or before the
 * model's offset are already in it (the view, or an answer, was newer) and are skipped.
 * @returns {{kind: 'joined'|'picked'|'drawn', playerId?: string}|null} what changed
 */
export function applyEvent(model, event) {
  if (!event || !Number.isInteger(event.offset) || event.offset <= model.offset) return null;
  model.offset = event.offset;
  const data = event.data ?? {};
  switch (event.name) {
    case 'playerJoined': {
      if (typeof data.playerId !== 'string' || playerById(model, data.playerId)) return null;
      model.players.push({ id: data.playerId, name: text(data.name), surname: text(data.surname), identity: text(data.by) });
      model.ready = isReady(model);
      return { kind: 'joined', playerId: data.playerId };
    }
    case 'clubPicked': {
      const player = playerById(model, data.playerId);
      if (!player || player.pickedClub || typeof data.club !== 'string') return null;
      player.pickedClub = data.club;
      holdClub(model, player);
      model.ready = isReady(model);
      return { kind: 'picked', playerId: player.id };
    }
    case 'drawn': {
      if (model.drawn || !Array.isArray(data.pairs)) return null;
      model.pairs = data.pairs.filter((p) => p && typeof p.playerId === 'string' && typeof p.club === 'string')
        .map((p) => ({ playerId: p.playerId, club: p.club }));
      for (const pair of model.pairs) {
        const player = playerById(model, pair.playerId);
        if (player) player.drawnClub = pair.club;
      }
      model.drawn = true;
      model.ready = false;
      return { kind: 'drawn' };
    }
    default: // tournamentCreated (the view starts after it) and events added later
      return null;
  }
}

/**
 * What the page shows `identityId` (who the page acts as; null before anyone):
 * - `organiser`: whoever created it (also when they joined as a player: `player` is set);
 * - `player`: one who joined;
 * - `newcomer`: anyone else while there is room and no draw: the join form;
 * - `viewer`: anyone else: the table, read-only.
 * @returns {{view: 'organiser'|'player'|'newcomer'|'viewer', player: Player|undefined}}
 */
export function roleOf(model, identityId) {
  const player = playerOf(model, identityId);
  if (identityId && identityId === model.organiser) return { view: 'organiser', player };
  if (player) return { view: 'player', player };
  if (!isFull(model) && !model.drawn) return { view: 'newcomer', player };
  return { view: 'viewer', player };
}

/** "Ada Lovelace". */
export function fullName(player) {
  return `${player.name} ${player.surname}`.trim();
}

/** "Ada L.": how a hover is shown on a club, short enough for a button. */
export function shortName(player) {
  const initial = [...player.surname.trim()][0];
  return initial ? `${player.name} ${initial}.` : player.name;
}

/** "Ada L. is looking", "Ada L. and Bo K. are looking", "Ada L., Bo K. and Cy D. are looking". */
export function lookersText(names) {
  if (!names.length) return '';
  if (names.length === 1) return `${names[0]} is looking`;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are looking`;
}

/** Trimmed text when it is 1 to `max` characters (as the server counts them), else null. */
export function cleanText(value, max) {
  const trimmed = String(value ?? '').trim();
  const length = [...trimmed].length;
  return length >= 1 && length <= max ? trimmed : null;
}

/** The organiser's own clubs: one a line, blank lines and surrounding spaces dropped. */
export function clubLines(value) {
  return String(value ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
}

/** What the Draw button waits for, in words. */
export function drawHint(model) {
  if (model.drawn) return 'The draw has been made: it is final.';
  const missing = model.playerLimit - model.players.length;
  if (missing > 0) return missing === 1 ? 'Waiting for 1 more player to join.' : `Waiting for ${missing} more players to join.`;
  const choosing = model.players.filter((p) => !p.pickedClub).map(fullName);
  if (choosing.length) return `Waiting for ${choosing.join(', ')} to pick a club.`;
  return 'Everyone has picked: make the draw.';
}
