/**
 * Who the Board page acts as, and its HTTP calls.
 *
 * A signed-in user acts through session.js (the access token in memory, restored from the
 * refresh cookie). Anyone else acts as a guest: `POST /api/v1/auth/guest` gives a guest
 * identity and token. The guest grant is kept in this tab's sessionStorage until it
 * expires, so a guest stays the same person (same name, still the owner of the boards they
 * made) while moving between the board list and a board; a new tab is a new guest. A guest
 * token is worth nothing beyond that guest, unlike a user's access token, which never
 * leaves memory.
 * @module board-api
 */
import { ApiError, api, currentAccount, currentToken, request as send, restore } from './session.js';

const GUEST_KEY = 'huddle.board.guest';
/** A guest grant this close to its expiry is replaced by a new one. */
const EARLY_MS = 60_000;

/** @type {Promise<unknown>|null} */
let restoring = null;
/** @type {{accessToken: string, user: {id: string, displayName: string}, expiresAt: number}|null} */
let guest = null;
/** @type {Promise<typeof guest>|null} */
let guestRequest = null;

/** Resolves once the session of this browser is known (signed in or not). */
export function sessionReady() {
  restoring ??= restore().catch(() => null);
  return restoring;
}

function signedIn() {
  const account = currentAccount();
  return Boolean(account && !account.guest && currentToken());
}

function storedGuest() {
  try {
    const grant = JSON.parse(globalThis.sessionStorage?.getItem(GUEST_KEY) ?? 'null');
    if (grant && typeof grant.accessToken === 'string' && typeof grant.user?.id === 'string') return grant;
  } catch {
    // unreadable: ask for a new one
  }
  return null;
}

const fresh = (grant) => Boolean(grant && grant.expiresAt - EARLY_MS > Date.now());

/** This tab's guest grant, asking the server for one when there is none (or it is stale). */
export async function guestGrant({ renew = false } = {}) {
  if (!renew) {
    guest ??= storedGuest();
    if (fresh(guest)) return guest;
  }
  guestRequest ??= send('POST', 'auth/guest', undefined, null)
    .then((grant) => {
      guest = {
        accessToken: grant.accessToken,
        user: { id: grant.user.id, displayName: grant.user.displayName },
        expiresAt: Date.now() + (Number(grant.expiresIn) || 3600) * 1000,
      };
      try {
        globalThis.sessionStorage?.setItem(GUEST_KEY, JSON.stringify(guest));
      } catch {
        // private mode: the guest lasts as long as the page
      }
      return guest;
    })
    .finally(() => {
      guestRequest = null;
    });
  return guestRequest;
}

/** The token to act with: the signed-in user's, or a guest's. For RealtimeClient's `token`. */
export async function actingToken() {
  await sessionReady();
  if (signedIn()) return currentToken();
  return (await guestGrant()).accessToken;
}

/**
 * Who the page acts as, once known: `{id, name, admin, guest}` (null before any token).
 * @returns {{id: string, name: string, admin: boolean, guest: boolean}|null}
 */
export function actingAs() {
  const account = currentAccount();
  if (account && !account.guest && currentToken()) {
    return { id: account.id, name: account.displayName, admin: account.role === 'admin', guest: false };
  }
  if (guest) return { id: guest.user.id, name: guest.user.displayName, admin: false, guest: true };
  return null;
}

/**
 * Calls the API as the signed-in user (session.js refreshes on a 401) or as this tab's guest
 * (a new guest grant on a 401). Rejects with session.js's ApiError.
 * @param {string} method
 * @param {string} path relative to /api/v1
 * @param {any} [body]
 */
export async function call(method, path, body) {
  await sessionReady();
  if (signedIn()) return api(method, path, body);
  const grant = await guestGrant();
  try {
    return await send(method, path, body, grant.accessToken);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    return send(method, path, body, (await guestGrant({ renew: true })).accessToken);
  }
}

export { ApiError };
