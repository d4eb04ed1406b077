/**
 * Who the Teams pages act as, and their HTTP calls.
 *
 * An actor is a signed-in user (session.js keeps their token in memory and refreshes it) or
 * a guest. A guest that creates or joins a tournament is given a `pass`: a token for the
 * same guest that lasts a day (docs/PROTOCOL.md), kept in localStorage under
 * `huddle.teams.pass.{id}` with its expiry, so that a reload, a closed tab or the link
 * opened again resumes as that organiser or player. The guest a page joins or creates with
 * is the one of this browser's freshest pass when there is one (so one browser stays one
 * guest across tournaments), else a new one (`POST /api/v1/auth/guest`). A guest token is
 * worth nothing beyond that guest; a user's token never leaves memory.
 * @module teams-api
 */
import { ApiError, api, currentAccount, currentToken, request, restore } from './session.js';

export const PASS_PREFIX = 'huddle.teams.pass.';
/** A token this close to its expiry is not used any more. */
const EARLY_MS = 60_000;

/**
 * @typedef {{token: string, id: string, name: string, expiresAt: number}} Pass
 * @typedef {{kind: 'user'|'guest', id: string, name: string, token: () => string|null, pass?: Pass}} Actor
 */

/** The claims of a JWT (not verified: the server does that), or null. */
export function tokenClaims(token) {
  try {
    const part = String(token).split('.')[1] ?? '';
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/**
 * The pass in a create or join answer (a grant as `POST /api/v1/auth/guest` answers it:
 * `{user, accessToken, expiresIn}`; the token's own claims stand in for what it lacks), with
 * who it is for and until when; null when there is none.
 * @returns {Pass|null}
 */
export function passFrom(answer, now = Date.now()) {
  const raw = answer?.pass;
  const token = typeof raw === 'string' ? raw : raw?.accessToken ?? raw?.token;
  if (typeof token !== 'string' || !token) return null;
  const claims = tokenClaims(token);
  const seconds = Number(raw?.expiresIn);
  const expiresAt = Number.isFinite(seconds) && seconds > 0 ? now + seconds * 1000
    : Number.isFinite(claims?.exp) ? claims.exp * 1000 : now + 3600_000;
  const id = [raw?.user?.id, claims?.sub].find((v) => typeof v === 'string' && v) ?? '';
  const name = [raw?.user?.displayName, claims?.name].find((v) => typeof v === 'string') ?? '';
  return id ? { token, id, name, expiresAt } : null;
}

const fresh = (pass, now) => Boolean(pass && pass.expiresAt - EARLY_MS > now);

/** The fresh pass kept for tournament `id`, or null (an expired one is removed). @returns {Pass|null} */
export function readPass(storage, id, now = Date.now()) {
  try {
    const pass = JSON.parse(storage?.getItem(PASS_PREFIX + id) ?? 'null');
    if (pass && typeof pass.token === 'string' && typeof pass.id === 'string' && Number.isFinite(pass.expiresAt)) {
      if (fresh(pass, now)) return pass;
      storage.removeItem(PASS_PREFIX + id);
    }
  } catch {
    // unreadable, or no storage: as if there were none
  }
  return null;
}

/** Keeps `pass` for tournament `id` (best effort: private modes may refuse). */
export function storePass(storage, id, pass) {
  try {
    storage?.setItem(PASS_PREFIX + id, JSON.stringify(pass));
  } catch {
    // the pass lasts as long as the page
  }
}

/** The fresh pass of this browser that lasts longest, whichever tournament it came with. */
export function freshestPass(storage, now = Date.now()) {
  let best = null;
  try {
    for (let i = 0; i < (storage?.length ?? 0); i += 1) {
      const key = storage.key(i);
      if (!key?.startsWith(PASS_PREFIX)) continue;
      const pass = readPass(storage, key.slice(PASS_PREFIX.length), now);
      if (pass && (!best || pass.expiresAt > best.expiresAt)) best = pass;
    }
  } catch {
    // no storage
  }
  return best;
}

// --- actors -------------------------------------------------------------------------------

/** @type {Promise<unknown>|null} */
let restoring = null;
/** A guest asked for on this page and not yet given a pass. @type {Promise<Actor>|null} */
let spareGuest = null;

/** Resolves once the session of this browser is known (signed in or not). */
export function sessionReady() {
  restoring ??= restore().catch(() => null);
  return restoring;
}

/** The signed-in user as an actor, or null. @returns {Actor|null} */
export function userActor() {
  const account = currentAccount();
  if (!account || account.guest || !currentToken()) return null;
  return { kind: 'user', id: account.id, name: account.displayName, token: currentToken };
}

/** @param {Pass} pass @returns {Actor} */
export function guestActor(pass) {
  return { kind: 'guest', id: pass.id, name: pass.name, token: () => pass.token, pass };
}

/**
 * A guest to act as where this browser is nobody yet: the guest of its freshest pass, or
 * a new guest (asked for once per page).
 * @returns {Promise<Actor>}
 */
export function someGuest(storage = globalThis.localStorage) {
  const pass = freshestPass(storage);
  if (pass) return Promise.resolve(guestActor(pass));
  spareGuest ??= request('POST', 'auth/guest', undefined, null).then(
    (grant) => guestActor({
      token: grant.accessToken,
      id: grant.user.id,
      name: grant.user.displayName,
      expiresAt: Date.now() + (Number(grant.expiresIn) || 3600) * 1000,
    }),
    (error) => {
      spareGuest = null;
      throw error;
    },
  );
  return spareGuest;
}

/**
 * Who the page of tournament `model` acts as: of the signed-in user and the guest of this
 * tournament's pass, the first that organises it or plays in it; else the user; else null
 * (a guest is asked for only when one is needed: see {@link someGuest}).
 * @param {import('./teams-model.js').Tournament} model
 * @returns {Actor|null}
 */
export function actorFor(model, storage = globalThis.localStorage) {
  const pass = readPass(storage, model.id);
  const candidates = [userActor(), pass && guestActor(pass)].filter(Boolean);
  const involved = (actor) => actor.id === model.organiser || model.players.some((p) => p.identity === actor.id);
  return candidates.find(involved) ?? candidates[0] ?? null;
}

/**
 * Calls the API as `actor` (null: without a token). A user's 401 refreshes the session and
 * tries again (session.js). Rejects with {@link ApiError}.
 * @param {Actor|null} actor
 * @param {string} method
 * @param {string} path relative to /api/v1
 * @param {any} [body]
 */
export function call(actor, method, path, body) {
  if (actor?.kind === 'user') return api(method, path, body);
  return request(method, path, body, actor?.token() ?? null);
}

/**
 * After a create or join: keeps the answer's pass for tournament `id` and returns the actor
 * it makes (the same guest, now for a day); a user (no pass) stays as they were.
 * @param {Actor} actor
 */
export function keepPass(actor, id, answer, storage = globalThis.localStorage) {
  const pass = passFrom(answer);
  if (!pass || actor.kind === 'user') return actor;
  storePass(storage, id, pass);
  spareGuest = null;
  return guestActor(pass);
}

/**
 * A sentence for a failed call: `doing` and the server's own words (its messages name the
 * club and who took it, the player who already joined…), or what else went wrong.
 * @param {any} error
 * @param {string} doing e.g. "The draw could not be made"
 */
export function explain(error, doing) {
  if (error instanceof ApiError) {
    if (error.status === 401) return `${doing}: this page's access ran out. Reload the page.`;
    return error.message ? `${doing}: ${error.message}` : `${doing} (${error.status}).`;
  }
  return `${doing}: the server could not be reached. Check the connection and try again.`;
}

/** The path of a tournament's page. */
export function tournamentPath(id) {
  return `tournament.html?id=${encodeURIComponent(id)}`;
}

export { ApiError };
