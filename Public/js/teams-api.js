/**
 * Who the Teams pages act as, and their HTTP calls (guest-pass.js, with the Teams passes).
 *
 * A guest that creates or joins a tournament keeps its pass under `huddle.teams.pass.{id}`,
 * so a reload, a closed tab or the link opened again resumes as that organiser or player.
 * @module teams-api
 */
import { ApiError, PassKeeper, call, explain, guestActor, passFrom, sessionReady, tokenClaims, userActor } from './guest-pass.js';

export const PASS_PREFIX = 'huddle.teams.pass.';
const passes = new PassKeeper(PASS_PREFIX);

/** The fresh pass kept for tournament `id`, or null (an expired one is removed). */
export const readPass = (storage, id, now = Date.now()) => passes.read(storage, id, now);
/** Keeps `pass` for tournament `id` (best effort: private modes may refuse). */
export const storePass = (storage, id, pass) => passes.store(storage, id, pass);
/** The fresh pass of this browser that lasts longest, whichever tournament it came with. */
export const freshestPass = (storage, now = Date.now()) => passes.freshest(storage, now);
/** A guest to act as where this browser is nobody yet (see {@link PassKeeper#someGuest}). */
export const someGuest = (storage = globalThis.localStorage) => passes.someGuest(storage);
/** After a create or join: keeps the answer's pass for tournament `id` (see {@link PassKeeper#keep}). */
export const keepPass = (actor, id, answer, storage = globalThis.localStorage) => passes.keep(actor, id, answer, storage);

/**
 * Who the page of tournament `model` acts as: of the signed-in user and the guest of this
 * tournament's pass, the first that organises it or plays in it; else the user; else null
 * (a guest is asked for only when one is needed: see {@link someGuest}).
 * @param {import('./teams-model.js').Tournament} model
 * @returns {import('./guest-pass.js').Actor|null}
 */
export function actorFor(model, storage = globalThis.localStorage) {
  const pass = readPass(storage, model.id);
  const candidates = [userActor(), pass && guestActor(pass)].filter(Boolean);
  const involved = (actor) => actor.id === model.organiser || model.players.some((p) => p.identity === actor.id);
  return candidates.find(involved) ?? candidates[0] ?? null;
}

/** The path of a tournament's page. */
export function tournamentPath(id) {
  return `tournament.html?id=${encodeURIComponent(id)}`;
}

export { ApiError, call, explain, guestActor, passFrom, sessionReady, tokenClaims, userActor };
