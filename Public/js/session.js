/**
 * The browser side of a Huddle session.
 *
 * - The access token lives in this module's memory only (never localStorage): a script
 *   injected into the page cannot find it in storage, and it dies with the tab.
 * - The refresh token is an HttpOnly cookie that page scripts never see; `POST
 *   /api/v1/auth/refresh` trades it for a new access token (and a rotated cookie). That is
 *   how a reload or a new tab gets its session back.
 * - Refreshes are serialised across tabs with the Web Locks API: each refresh rotates the
 *   cookie, and two tabs presenting the same one at once would look like theft to the server
 *   (which then ends the session).
 * - Tabs tell each other about logins and logouts on a BroadcastChannel, so logging out in
 *   one tab logs out all of them.
 * - A page cannot see the HttpOnly cookie; a refresh without one is answered 204 (nobody is
 *   signed in, not an error). To spare that request the pages keep a marker cookie of their
 *   own, `huddle_session` (`1` after a login or refresh, `0` after a logout or a refused
 *   refresh; no secret in it): with `0` a page knows it is signed out without asking.
 * The header (brand, apps, account) is header.js.
 * @module session
 */

const API = 'api/v1';
const CHANNEL = 'huddle-session';
const LOCK = 'huddle-session-refresh';
/** Refresh this long before the access token expires. */
const EARLY_MS = 60_000;

/**
 * @typedef {{id: string, username?: string, email?: string, displayName: string, role?: string,
 *   active?: boolean, createdAt?: number, guest: boolean}} Account
 */

/** An API error: `status`, the server's `code` (`unauthorized`…), `message` and `fields`. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error || 'internal';
    /** @type {Record<string, string>} */
    this.fields = body?.fields || {};
    this.requestId = body?.requestId;
  }
}

const MARKER = 'huddle_session';
/** The marker lives as long as the longest session can (`--auth-refresh-ttl` is at most 365 days). */
const MARKER_MAX_AGE = 365 * 24 * 3600;

/** The marker: '1' (a session may be there), '0' (signed out), or null (not known). */
export function sessionMarker() {
  const match = /(?:^|;\s*)huddle_session=([01])(?:;|$)/.exec(globalThis.document?.cookie ?? '');
  return match ? match[1] : null;
}

function mark(value) {
  if (!globalThis.document) return;
  const path = new URL('.', document.baseURI).pathname;
  document.cookie = `${MARKER}=${value}; Path=${path}; Max-Age=${MARKER_MAX_AGE}; SameSite=Strict`;
}

let accessToken = null;
/** @type {Account|null} */
let account = null;
let refreshTimer = 0;
let settled = false;
const listeners = new Set();
const channel = 'BroadcastChannel' in globalThis ? new BroadcastChannel(CHANNEL) : null;

/** The signed-in account, or null. */
export function currentAccount() {
  return account;
}

/** The access token for `Authorization` and realtime `auth` frames, or null. */
export function currentToken() {
  return accessToken;
}

/**
 * Calls `fn(account)` now (once the session is known) and whenever it changes.
 * @param {(account: Account|null) => void} fn
 */
export function onAccount(fn) {
  listeners.add(fn);
  if (settled) fn(account);
  return () => listeners.delete(fn);
}

function set(token, next, expiresIn) {
  accessToken = token;
  account = next;
  settled = true;
  clearTimeout(refreshTimer);
  if (token && expiresIn && !next?.guest) {
    refreshTimer = setTimeout(() => refresh().catch(() => {}), Math.max(5_000, expiresIn * 1000 - EARLY_MS));
  }
  notify();
}

function notify() {
  for (const fn of [...listeners]) {
    try {
      fn(account);
    } catch (error) {
      console.error(error);
    }
  }
}

/**
 * One JSON call to the API with `token` (the signed-in account's by default; null for none),
 * without refreshing: what session-less callers (guests) use. Rejects with {@link ApiError}.
 * @param {string} method
 * @param {string} path relative to /api/v1
 * @param {any} [body]
 * @param {string|null} [token]
 */
export async function request(method, path, body, token = accessToken) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${new URL(API, document.baseURI).pathname}/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function withLock(fn) {
  return navigator.locks?.request ? navigator.locks.request(LOCK, fn) : fn();
}

/**
 * Trades the refresh cookie for an access token. Resolves to the account, or null when there
 * is no live session (then the page is signed out).
 */
export function refresh() {
  return withLock(async () => {
    if (sessionMarker() === '0') {
      set(null, null);
      return null;
    }
    try {
      const grant = await request('POST', 'auth/refresh', undefined, null);
      if (!grant?.accessToken) {
        mark('0');
        set(null, null);
        return null;
      }
      mark('1');
      set(grant.accessToken, grant.user, grant.expiresIn);
      return account;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        mark('0');
        set(null, null);
        return null;
      }
      settled = true;
      throw error;
    }
  });
}

/** Restores the session of this browser (a reload, a new tab). Call once per page. */
export async function restore() {
  try {
    return await refresh();
  } catch (error) {
    set(null, null);
    throw error;
  }
}

export async function login(loginName, password) {
  const grant = await withLock(() => request('POST', 'auth/login', { login: loginName, password }, null));
  mark('1');
  set(grant.accessToken, grant.user, grant.expiresIn);
  channel?.postMessage({ type: 'login' });
  return account;
}

export async function register(fields) {
  const grant = await withLock(() => request('POST', 'auth/register', fields, null));
  mark('1');
  set(grant.accessToken, grant.user, grant.expiresIn);
  channel?.postMessage({ type: 'login' });
  return account;
}

/** Ends the session on the server and in every tab of this browser. */
export async function logout() {
  try {
    await withLock(() => request('POST', 'auth/logout', undefined, null));
  } finally {
    mark('0');
    set(null, null);
    channel?.postMessage({ type: 'logout' });
  }
}

/**
 * Calls the API as the signed-in account; on a 401 it refreshes once and tries again.
 * @param {string} method
 * @param {string} path relative to /api/v1, e.g. `users?limit=50`
 * @param {any} [body]
 */
export async function api(method, path, body) {
  try {
    return await request(method, path, body);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !accessToken) throw error;
    if (!(await refresh())) throw error;
    return request(method, path, body);
  }
}

/**
 * Changes the signed-in user's display name and email (`PATCH /api/v1/auth/me`); the page and
 * the other tabs of this browser show the account as it is now. Rejects with {@link ApiError}.
 * @param {{displayName?: string, email?: string}} changes
 */
export async function updateProfile(changes) {
  const next = await api('PATCH', 'auth/me', changes);
  account = next;
  notify();
  // The other tabs refresh, which brings them the account as it is now.
  channel?.postMessage({ type: 'login' });
  return account;
}

/**
 * Changes the password (`POST /api/v1/auth/password`); the server ends every other session.
 * Under the refresh lock: the request's cookie names the session that stays, so no refresh
 * may rotate it meanwhile. A 401 `wrong_password` is about the input and is not retried.
 * @param {string} currentPassword
 * @param {string} newPassword
 */
export async function changePassword(currentPassword, newPassword) {
  const body = { currentPassword, newPassword };
  const send = () => withLock(() => request('POST', 'auth/password', body));
  try {
    await send();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'unauthorized' || !accessToken) throw error;
    if (!(await refresh())) throw error;
    await send();
  }
}

if (channel) {
  channel.onmessage = (message) => {
    if (message.data?.type === 'logout') set(null, null);
    // Another tab signed in: pick up the session from the shared cookie.
    if (message.data?.type === 'login') refresh().catch(() => {});
  };
}
