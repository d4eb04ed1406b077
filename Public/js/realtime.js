/**
 * Huddle's realtime client: one WebSocket, many channels, resumable after any drop.
 *
 * Speaks the protocol in `docs/PROTOCOL.md`. Every channel is an ordered stream with
 * offsets; the client remembers the last offset it saw per channel and, after every
 * reconnect, resubscribes with `since` set to it, so nothing is missed or repeated.
 *
 * @example
 * import { RealtimeClient } from './realtime.js';
 * const client = new RealtimeClient();
 * client.onStatus((status) => console.log(status));
 * const sub = client.subscribe('counter:visits', { onEvent: (e) => console.log(e.data) });
 * client.connect();
 * await client.command('counter:visits', 'increment');
 * sub.unsubscribe();
 *
 * @module realtime
 */

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 15_000;
/** A connection open this long counts as healthy: the next drop starts backoff afresh. */
const STABLE_AFTER_MS = 10_000;
const PING_EVERY_MS = 25_000;
/** Half-open sockets never fire `close`; silence this long after a ping means dead. */
const PONG_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;
const COMMAND_TIMEOUT_MS = 10_000;

/**
 * @typedef {'connecting'|'open'|'reconnecting'|'closed'} Status
 * `connecting`: the first attempt after `connect()`; `open`: the socket is up;
 * `reconnecting`: the connection was lost (or never made) and a retry is scheduled or
 * under way; `closed`: `close()` was called (or `connect()` never was).
 *
 * @typedef {{id: string, name: string}} Member
 * @typedef {{connectionId: string, name: string}} Welcome
 * @typedef {{type: 'event', channel: string, offset: number, name: string, data: any, time: number}} EventFrame
 * @typedef {{type: 'subscribed', channel: string, offset: number}} SubscribedFrame
 * @typedef {{type: 'signal', channel: string, from: Member, name: string, data: any}} SignalFrame
 * @typedef {{type: 'error', id?: string, channel?: string, code: string, message: string}} ErrorFrame
 *
 * @typedef {object} SubscribeOptions
 * @property {number} [since=0] deliver events after this offset (0: everything stored,
 *   -1: only what happens from now on).
 * @property {(event: EventFrame) => void} [onEvent] each event, in offset order, once.
 * @property {(frame: SubscribedFrame) => void} [onSubscribed] replay done (after every
 *   (re)subscribe); `frame.offset` is the last offset replayed.
 * @property {(members: Member[]) => void} [onPresence] the whole current member list,
 *   after every snapshot, join and leave. Kept as last known while disconnected.
 * @property {(signal: SignalFrame) => void} [onSignal] ephemeral messages from others.
 * @property {(error: RealtimeError) => void} [onError] errors about this channel that do
 *   not answer a command (e.g. the subscribe was refused).
 *
 * @typedef {object} Subscription
 * @property {string} channel
 * @property {number} offset the last offset seen (or `since` before any).
 * @property {Member[]} members the current member list.
 * @property {() => void} unsubscribe stop receiving; safe to call more than once.
 */

/** An error answered by the server (`code` as in PROTOCOL.md) or raised by the client
 * (`disconnected`, `timeout`). */
export class RealtimeError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {string} [channel]
   */
  constructor(code, message, channel) {
    super(message || code);
    this.name = 'RealtimeError';
    /** @type {string} */
    this.code = code;
    /** @type {string|undefined} */
    this.channel = channel;
  }
}

/**
 * The realtime endpoint of the page's own origin: `ws(s)://<host>/api/v1/realtime`.
 * @returns {string}
 */
export function defaultRealtimeUrl() {
  const scheme = globalThis.location?.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${globalThis.location?.host}/api/v1/realtime`;
}

/** Reports an exception thrown by an app's callback without breaking the client. */
function report(error) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}

function call(fn, ...args) {
  if (typeof fn !== 'function') return;
  try {
    fn(...args);
  } catch (error) {
    report(error);
  }
}

/** One WebSocket to Huddle carrying any number of channel subscriptions. */
export class RealtimeClient {
  #baseUrl;
  #name;
  #token;
  /** @type {{id: string, name: string, role?: string, username?: string}|null} */
  #identity = null;
  #Socket;
  /** @type {WebSocket|null} */
  #ws = null;
  /** @type {Status} */
  #status = 'closed';
  /** @type {Welcome|null} */
  #welcome = null;
  #wanted = false;
  #attempt = 0;
  #timers = { retry: 0, stable: 0, ping: 0, pong: 0, connect: 0 };
  #nextId = 1;
  /** @type {Map<string, any>} */
  #subs = new Map();
  /** @type {Map<string, {resolve: Function, reject: Function, timer: any}>} */
  #pending = new Map();
  #statusListeners = new Set();
  #errorListeners = new Set();

  /**
   * @param {object} [options]
   * @param {string} [options.url] the endpoint (ws:, wss:, http:, https: or relative);
   *   defaults to {@link defaultRealtimeUrl}.
   * @param {string} [options.name] display name others see (1–40 characters). Without
   *   one the server picks a guest name, which is then kept across reconnects.
   * @param {() => (string|null|Promise<string|null>)} [options.token] gives an access token
   *   to authenticate each new connection with (an `auth` frame before any subscription);
   *   without one, or when it gives none, the connection is a guest's.
   * @param {typeof WebSocket} [options.WebSocket] a WebSocket implementation (tests).
   */
  constructor({ url, name, token, WebSocket: Socket = globalThis.WebSocket } = {}) {
    this.#baseUrl = url ?? defaultRealtimeUrl();
    this.#name = name || undefined;
    this.#token = token;
    this.#Socket = Socket;
  }

  /** Who the server says this connection is (its `authenticated` frame), or null for a guest. */
  get identity() {
    return this.#identity;
  }

  /** @returns {Status} */
  get status() {
    return this.#status;
  }

  /** What the server said in its `welcome` frame on the latest connection (null before
   * the first). @returns {Welcome|null} */
  get welcome() {
    return this.#welcome;
  }

  /** The URL the next connection will use. @returns {string} */
  get url() {
    const base = globalThis.location?.href;
    const url = base ? new URL(this.#baseUrl, base) : new URL(this.#baseUrl);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    if (url.protocol === 'https:') url.protocol = 'wss:';
    if (this.#name !== undefined) url.searchParams.set('name', this.#name);
    return url.toString();
  }

  /**
   * Calls `fn(status)` now and on every change.
   * @param {(status: Status) => void} fn
   * @returns {() => void} removes the listener
   */
  onStatus(fn) {
    this.#statusListeners.add(fn);
    call(fn, this.#status);
    return () => this.#statusListeners.delete(fn);
  }

  /**
   * Calls `fn(error)` for server errors that answer neither a command nor a subscribed
   * channel (e.g. `bad_request`, `rate_limited` on a signal of a channel left since).
   * @param {(error: RealtimeError) => void} fn
   * @returns {() => void} removes the listener
   */
  onError(fn) {
    this.#errorListeners.add(fn);
    return () => this.#errorListeners.delete(fn);
  }

  /** Opens the connection (and keeps it open, reconnecting as needed, until `close()`). */
  connect() {
    if (this.#wanted) return;
    this.#wanted = true;
    this.#attempt = 0;
    this.#open();
  }

  /** Closes the connection and stops reconnecting. Subscriptions are kept: a later
   * `connect()` resumes them from their offsets. */
  close() {
    this.#wanted = false;
    clearTimeout(this.#timers.retry);
    if (this.#ws) this.#drop(this.#ws, 1000, 'client closed');
    else this.#setStatus('closed');
  }

  /**
   * Subscribes to `channel` (sent now if open, and again after every reconnect).
   * One subscription per channel per client.
   * @param {string} channel `kind:id`
   * @param {SubscribeOptions} [options]
   * @returns {Subscription}
   */
  subscribe(channel, { since = 0, onEvent, onSubscribed, onPresence, onSignal, onError } = {}) {
    if (this.#subs.has(channel)) throw new Error(`already subscribed to ${channel}`);
    if (!Number.isInteger(since) || since < -1) throw new RangeError('since must be an integer >= -1');
    const sub = {
      channel,
      offset: since,
      members: new Map(),
      handlers: { onEvent, onSubscribed, onPresence, onSignal, onError },
    };
    this.#subs.set(channel, sub);
    if (this.#status === 'open') this.#sendSubscribe(sub);
    return {
      channel,
      get offset() {
        return sub.offset;
      },
      get members() {
        return [...sub.members.values()];
      },
      unsubscribe: () => {
        if (this.#subs.get(channel) !== sub) return;
        this.#subs.delete(channel);
        if (this.#status === 'open') this.#send({ type: 'unsubscribe', channel });
      },
    };
  }

  /**
   * Runs a command of the channel's app.
   * @param {string} channel
   * @param {string} name
   * @param {any} [data={}]
   * @returns {Promise<{offset: number}>} the offset its event was stored at; rejects with a
   *   {@link RealtimeError}: the server's code, or `disconnected` (not connected, or the
   *   connection dropped before the answer: the command may or may not have run) or
   *   `timeout` (no answer in 10 s).
   */
  command(channel, name, data = {}) {
    return new Promise((resolve, reject) => {
      if (this.#status !== 'open') {
        reject(new RealtimeError('disconnected', 'Not connected to the server.', channel));
        return;
      }
      const id = `c${this.#nextId++}`;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RealtimeError('timeout', 'The server did not answer in time.', channel));
      }, COMMAND_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer, channel });
      if (!this.#send({ type: 'command', id, channel, name, data })) {
        this.#settle(id);
        reject(new RealtimeError('disconnected', 'Not connected to the server.', channel));
      }
    });
  }

  /**
   * Sends an ephemeral message to the channel's other subscribers. Fire-and-forget:
   * dropped while disconnected (and by the server when throttled).
   * @param {string} channel must be subscribed
   * @param {string} name
   * @param {any} [data={}]
   * @returns {boolean} whether it was handed to the socket
   */
  signal(channel, name, data = {}) {
    if (this.#status !== 'open') return false;
    return this.#send({ type: 'signal', channel, name, data });
  }

  // --- connection -------------------------------------------------------------------

  #open() {
    if (this.#status !== 'reconnecting') this.#setStatus('connecting');
    let ws;
    try {
      ws = new this.#Socket(this.url);
    } catch (error) {
      report(error);
      this.#lost();
      return;
    }
    this.#ws = ws;
    this.#timers.connect = setTimeout(() => this.#drop(ws, 1000, 'connect timeout'), CONNECT_TIMEOUT_MS);
    ws.onopen = () => this.#opened(ws);
    ws.onmessage = (message) => this.#receive(message.data);
    ws.onclose = () => this.#gone(ws);
    ws.onerror = () => {}; // always followed by close
  }

  #opened(ws) {
    clearTimeout(this.#timers.connect);
    this.#identity = null;
    if (!this.#token) {
      this.#ready(ws);
      return;
    }
    // The server takes an identity only before the first subscription, so the status turns
    // `open` (which lets subscriptions through) once the auth frame is on its way.
    Promise.resolve()
      .then(() => this.#token())
      .then(
        (token) => {
          if (ws !== this.#ws) return;
          if (token) this.#send({ type: 'auth', token });
          this.#ready(ws);
        },
        (error) => {
          report(error);
          if (ws === this.#ws) this.#ready(ws);
        },
      );
  }

  #ready(ws) {
    this.#setStatus('open');
    this.#timers.stable = setTimeout(() => {
      this.#attempt = 0;
    }, STABLE_AFTER_MS);
    this.#timers.ping = setInterval(() => this.#ping(ws), PING_EVERY_MS);
    for (const sub of this.#subs.values()) this.#sendSubscribe(sub);
  }

  #ping(ws) {
    this.#send({ type: 'ping', id: `p${this.#nextId++}` });
    if (!this.#timers.pong) {
      this.#timers.pong = setTimeout(() => this.#drop(ws, 1000, 'no pong'), PONG_TIMEOUT_MS);
    }
  }

  /** Closes `ws` without waiting for its close handshake, which a dead peer never finishes. */
  #drop(ws, code, reason) {
    try {
      ws.close(code, reason);
    } catch {
      // already closing
    }
    this.#gone(ws);
  }

  #gone(ws) {
    if (ws !== this.#ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    this.#ws = null;
    this.#identity = null;
    for (const key of ['stable', 'pong', 'connect']) clearTimeout(this.#timers[key]);
    clearInterval(this.#timers.ping);
    this.#timers.pong = 0;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new RealtimeError('disconnected', 'The connection was lost before the server answered.', pending.channel));
      this.#pending.delete(id);
    }
    if (this.#wanted) this.#lost();
    else this.#setStatus('closed');
  }

  /** Schedules the next attempt: exponential backoff with full jitter. */
  #lost() {
    this.#setStatus('reconnecting');
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    clearTimeout(this.#timers.retry);
    this.#timers.retry = setTimeout(() => {
      if (this.#wanted && !this.#ws) this.#open();
    }, Math.random() * ceiling);
  }

  #setStatus(status) {
    if (status === this.#status) return;
    this.#status = status;
    for (const fn of [...this.#statusListeners]) call(fn, status);
  }

  #send(frame) {
    if (!this.#ws || this.#ws.readyState !== 1) return false;
    try {
      this.#ws.send(JSON.stringify(frame));
      return true;
    } catch (error) {
      report(error);
      return false;
    }
  }

  #sendSubscribe(sub) {
    this.#send({ type: 'subscribe', channel: sub.channel, since: sub.offset });
  }

  // --- frames -----------------------------------------------------------------------

  #receive(text) {
    clearTimeout(this.#timers.pong); // any frame proves the connection is alive
    this.#timers.pong = 0;
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    const sub = typeof frame.channel === 'string' ? this.#subs.get(frame.channel) : undefined;
    switch (frame.type) {
      case 'welcome':
        this.#welcome = { connectionId: frame.connectionId, name: frame.name };
        // Keep the server-picked guest name, so a reconnect is the same person.
        if (this.#name === undefined && typeof frame.name === 'string' && frame.name) this.#name = frame.name;
        break;
      case 'authenticated':
        this.#identity = { id: frame.id, name: frame.name, role: frame.role, username: frame.username };
        break;
      case 'event':
        // Second line of defence: the server never repeats an offset, but never trust it twice.
        if (!sub || typeof frame.offset !== 'number' || frame.offset <= sub.offset) return;
        sub.offset = frame.offset;
        call(sub.handlers.onEvent, frame);
        break;
      case 'subscribed':
        if (!sub) return;
        // The server's word on where this client now is; lower than ours only when the
        // channel was reset (our `since` was beyond its head), and then it is the truth.
        if (typeof frame.offset === 'number') sub.offset = frame.offset;
        call(sub.handlers.onSubscribed, frame);
        break;
      case 'presence':
        if (sub) this.#presence(sub, frame);
        break;
      case 'signal':
        if (sub) call(sub.handlers.onSignal, frame);
        break;
      case 'ack': {
        const pending = this.#settle(frame.id);
        pending?.resolve({ offset: frame.offset });
        break;
      }
      case 'error': {
        const error = new RealtimeError(String(frame.code ?? 'internal'), String(frame.message ?? ''), frame.channel);
        const pending = this.#settle(frame.id);
        if (pending) pending.reject(error);
        else if (sub) call(sub.handlers.onError, error);
        else for (const fn of [...this.#errorListeners]) call(fn, error);
        break;
      }
      default: // pong, unsubscribed, and types added later
        break;
    }
  }

  #settle(id) {
    const pending = typeof id === 'string' ? this.#pending.get(id) : undefined;
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    return pending;
  }

  #presence(sub, frame) {
    if (Array.isArray(frame.members)) {
      sub.members = new Map(frame.members.filter((m) => m && m.id != null).map((m) => [m.id, m]));
    } else if (frame.member && frame.member.id != null) {
      if (frame.action === 'join') sub.members.set(frame.member.id, frame.member);
      else if (frame.action === 'leave') sub.members.delete(frame.member.id);
      else return;
    } else {
      return;
    }
    call(sub.handlers.onPresence, [...sub.members.values()]);
  }
}
