/**
 * Who an app's pages act as, and their HTTP calls: shared by the apps whose guests are given a
 * pass (Teams, Chat).
 *
 * An actor is a signed-in user (session.js keeps their token in memory and refreshes it) or
 * a guest. A guest that creates or joins something (a tournament, a conversation) is given a
 * `pass`: a token for the same guest that lasts a day (docs/PROTOCOL.md), kept in
 * localStorage under `{prefix}{id}` with its expiry, so that a reload, a closed tab or the
 * link opened again resumes as that guest. The guest a page starts with is the one of this
 * browser's freshest pass of that app when there is one (so one browser stays one guest),
 * else a new one (`POST /api/v1/auth/guest`). A guest token is worth nothing beyond that
 * guest; a user's token never leaves memory.
 * @module guest-pass
 */
import { ApiError, api, currentAccount, currentToken, request, restore } from './session.js';

/** A token this close to its expiry is not used any more. */
const EARLY_MS = 60_000;

/**
 * @typedef {{token: string, id: string, name: string, expiresAt: number}} Pass
 * @typedef {{kind: 'user'|'guest', id: string, name: string, role?: string, token: () => string|null, pass?: Pass}} Actor
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

/** @param {Pass} pass @returns {Actor} */
export function guestActor(pass) {
  return { kind: 'guest', id: pass.id, name: pass.name, token: () => pass.token, pass };
}

/** One app's passes: kept under `prefix` + the id of what each is for. */
export class PassKeeper {
  /** A guest asked for on this page and not yet given a pass. @type {Promise<Actor>|null} */
  #spareGuest = null;

  /** @param {string} prefix e.g. `huddle.teams.pass.` */
  constructor(prefix) {
    this.prefix = prefix;
  }

  /** The fresh pass kept for `id`, or null (an expired one is removed). @returns {Pass|null} */
  read(storage, id, now = Date.now()) {
    try {
      const pass = JSON.parse(storage?.getItem(this.prefix + id) ?? 'null');
      if (pass && typeof pass.token === 'string' && typeof pass.id === 'string' && Number.isFinite(pass.expiresAt)) {
        if (fresh(pass, now)) return pass;
        storage.removeItem(this.prefix + id);
      }
    } catch {
      // unreadable, or no storage: as if there were none
    }
    return null;
  }

  /** Keeps `pass` for `id` (best effort: private modes may refuse). */
  store(storage, id, pass) {
    try {
      storage?.setItem(this.prefix + id, JSON.stringify(pass));
    } catch {
      // the pass lasts as long as the page
    }
  }

  /** The ids that have a fresh pass in this browser, the longest-lasting first. */
  ids(storage, now = Date.now()) {
    const found = [];
    try {
      for (let i = 0; i < (storage?.length ?? 0); i += 1) {
        const key = storage.key(i);
        if (!key?.startsWith(this.prefix)) continue;
        const id = key.slice(this.prefix.length);
        const pass = this.read(storage, id, now);
        if (pass) found.push({ id, pass });
      }
    } catch {
      // no storage
    }
    return found.sort((a, b) => b.pass.expiresAt - a.pass.expiresAt);
  }

  /** The fresh pass of this browser that lasts longest, whatever it came with. */
  freshest(storage, now = Date.now()) {
    return this.ids(storage, now)[0]?.pass ?? null;
  }

  /**
   * A guest to act as where this browser is nobody yet: the guest of its freshest pass, or
   * a new guest (asked for once per page).
   * @returns {Promise<Actor>}
   */
  someGuest(storage = globalThis.localStorage) {
    const pass = this.freshest(storage);
    if (pass) return Promise.resolve(guestActor(pass));
    this.#spareGuest ??= request('POST', 'auth/guest', undefined, null).then(
      (grant) => guestActor({
        token: grant.accessToken,
        id: grant.user.id,
        name: grant.user.displayName,
        expiresAt: Date.now() + (Number(grant.expiresIn) || 3600) * 1000,
      }),
      (error) => {
        this.#spareGuest = null;
        throw error;
      },
    );
    return this.#spareGuest;
  }

  /**
   * After a create or join: keeps the answer's pass for `id` and returns the actor it makes
   * (the same guest, now for a day); a user (no pass) stays as they were.
   * @param {Actor} actor
   */
  keep(actor, id, answer, storage = globalThis.localStorage) {
    const pass = passFrom(answer);
    if (!pass || actor.kind === 'user') return actor;
    this.store(storage, id, pass);
    this.#spareGuest = null;
    return guestActor(pass);
  }
}

// --- actors -------------------------------------------------------------------------------

/** @type {Promise<unknown>|null} */
let restoring = null;

/** Resolves once the session of this browser is known (signed in or not). */
export function sessionReady() {
  restoring ??= restore().catch(() => null);
  return restoring;
}

/** The signed-in user as an actor, or null. @returns {Actor|null} */
export function userActor() {
  const account = currentAccount();
  if (!account || account.guest || !currentToken()) return null;
  return { kind: 'user', id: account.id, name: account.displayName, role: account.role, token: currentToken };
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
 * A sentence for a failed call: `doing` and the server's own words (its messages name the
 * club and who took it, the agent who has the conversation…), or what else went wrong.
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

export { ApiError };
