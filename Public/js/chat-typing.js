/**
 * Typing indicators (the `typing {typing}` signal of `chat:{id}`, docs/PROTOCOL.md) and the
 * message list's scroll decision. Pure (no DOM), unit-tested under node.
 * @module chat-typing
 */

export const TYPING_SIGNAL = 'typing';
/** A typist is shown this long after their last signal. */
export const TYPING_SHOWN_MS = 5_000;
/** While typing, a signal at most this often. */
export const TYPING_EVERY_MS = 1_000;
/** No key for this long counts as having stopped. */
export const TYPING_IDLE_MS = 3_000;

/** Who is typing, as the signals of others say: by `from.identity`, each for 5 s. */
export class Typists {
  /** @type {Map<string, {name: string, member: string, until: number}>} identity → typist */
  #byIdentity = new Map();

  /**
   * Takes in a signal frame; `me` (the page's identity) is never shown.
   * @returns {boolean} whether who is typing changed
   */
  receive(frame, me, now) {
    const identity = frame?.from?.identity;
    if (frame?.name !== TYPING_SIGNAL || typeof identity !== 'string' || identity === me) return false;
    const had = this.#byIdentity.has(identity);
    if (frame.data?.typing === true) {
      this.#byIdentity.set(identity, { name: String(frame.from.name ?? ''), member: String(frame.from.id ?? ''), until: now + TYPING_SHOWN_MS });
      return !had;
    }
    return this.#byIdentity.delete(identity);
  }

  /** Sets the name shown for `identity` (the customer's or an agent's, rather than the connection's). */
  rename(identity, name) {
    const typist = this.#byIdentity.get(identity);
    if (typist && name) typist.name = name;
  }

  /** The channel's members now: a typist whose member left is gone. @returns {boolean} whether any went */
  keepMembers(memberIds) {
    const here = new Set(memberIds);
    let changed = false;
    for (const [identity, typist] of this.#byIdentity) {
      if (!here.has(typist.member)) changed = this.#byIdentity.delete(identity) || changed;
    }
    return changed;
  }

  /** Drops typists whose 5 s are over. @returns {boolean} whether any went */
  expire(now) {
    let changed = false;
    for (const [identity, typist] of this.#byIdentity) {
      if (typist.until <= now) changed = this.#byIdentity.delete(identity) || changed;
    }
    return changed;
  }

  /** Forgets `identity` (their message arrived: they are done typing it). */
  forget(identity) {
    return this.#byIdentity.delete(identity);
  }

  clear() {
    this.#byIdentity.clear();
  }

  /** @returns {Array<{identity: string, name: string}>} */
  list(now) {
    return [...this.#byIdentity].filter(([, t]) => t.until > now).map(([identity, t]) => ({ identity, name: t.name }));
  }

  /** When the next typist's time is up (null: nobody is typing). */
  nextExpiry() {
    let next = null;
    for (const typist of this.#byIdentity.values()) if (next === null || typist.until < next) next = typist.until;
    return next;
  }
}

/** "Ada is typing…", "Ada and Bob are typing…", or '' for nobody. */
export function typingText(names) {
  if (!names.length) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`;
}

/**
 * What a page sends while its user types: `send(true)` at most once a second while typing,
 * and `send(false)` once when they stop (the box is emptied or sent, or no key for 3 s).
 * @param {(typing: boolean) => void} send
 * @param {{now?: () => number, setTimeout?: typeof setTimeout, clearTimeout?: typeof clearTimeout}} [clock]
 */
export function createTypingSender(send, clock = {}) {
  const now = clock.now ?? Date.now;
  const later = clock.setTimeout ?? setTimeout;
  const cancel = clock.clearTimeout ?? clearTimeout;
  let typing = false;
  let sentAt = -Infinity;
  let idle = 0;
  const stop = () => {
    cancel(idle);
    idle = 0;
    if (!typing) return;
    typing = false;
    send(false);
  };
  return {
    /** The box changed; `hasText`: whether anything is in it. */
    input(hasText) {
      if (!hasText) return stop();
      cancel(idle);
      idle = later(stop, TYPING_IDLE_MS);
      if (!typing || now() - sentAt >= TYPING_EVERY_MS) {
        typing = true;
        sentAt = now();
        send(true);
      }
      return undefined;
    },
    stop,
    /** A new connection: the others know nothing of this page's typing. */
    reset() {
      cancel(idle);
      idle = 0;
      typing = false;
      sentAt = -Infinity;
    },
    get typing() {
      return typing;
    },
  };
}

/** How close to the bottom (px) still counts as at the bottom. */
export const BOTTOM_SLACK_PX = 40;

/** Whether a scroll box (`{scrollTop, scrollHeight, clientHeight}`) shows its end. */
export function atBottom(box, slack = BOTTOM_SLACK_PX) {
  return box.scrollHeight - box.scrollTop - box.clientHeight <= slack;
}

/**
 * Whether the list should scroll to its end after new content: on the first render, when the
 * reader was at the bottom before it came, or when it is the reader's own message; never
 * while they are reading further up.
 * @param {{first?: boolean, wasAtBottom: boolean, own?: boolean}} what
 */
export function shouldStick({ first = false, wasAtBottom, own = false }) {
  return first || wasAtBottom || own;
}
