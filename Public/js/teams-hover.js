/**
 * Hovering: which club each player is looking at, from the `hover {playerId, club}` signals
 * of `tournament:{id}` (docs/PROTOCOL.md). Signals are not stored, so none of it outlives
 * its news: a hover goes when its player picks, says they look at nothing (`club` null), or
 * when the presence member that sent it leaves. Pure (no DOM), unit-tested under node.
 * @module teams-hover
 */
import { createThrottle } from './board-util.js';
import { playerById } from './teams-model.js';

export const HOVER_SIGNAL = 'hover';
/** At most 4 hover signals a second. */
export const HOVER_INTERVAL_MS = 250;

/** @typedef {import('./teams-model.js').Tournament} Tournament */

/** The latest hover of each player, as others' pages received them. */
export class Hovers {
  /** @type {Map<string, {club: string, member: string}>} player id → what they look at */
  #byPlayer = new Map();
  /** @type {Map<string, string>} presence member id → the player its last hover was for */
  #byMember = new Map();

  /**
   * Takes in a signal frame. Only a hover a player's own identity sent counts (anyone on the
   * channel may send signals), and only while that player has not picked.
   * @param {Tournament} model
   * @param {{name?: string, from?: {id?: string, identity?: string}, data?: any}} frame
   * @returns {string|null} the player whose hover changed
   */
  receive(model, frame) {
    const data = frame?.data;
    const member = frame?.from?.id;
    if (frame?.name !== HOVER_SIGNAL || !data || typeof data.playerId !== 'string' || typeof member !== 'string') return null;
    const player = playerById(model, data.playerId);
    if (!player || !player.identity || frame.from?.identity !== player.identity) return null;
    if (player.pickedClub || model.drawn) return null;
    const club = data.club === null || data.club === undefined ? null : data.club;
    if (club !== null && !model.clubs.some((c) => c.name === club)) return null;
    const before = this.#byPlayer.get(player.id)?.club ?? null;
    this.#byMember.set(member, player.id);
    if (club === null) this.#byPlayer.delete(player.id);
    else this.#byPlayer.set(player.id, { club, member });
    return before === club ? null : player.id;
  }

  /** The player picked (or the draw came): their hover is over. @returns {boolean} whether one went */
  forget(playerId) {
    return this.#byPlayer.delete(playerId);
  }

  /**
   * The channel's members now: hovers sent by members no longer there go.
   * @param {Iterable<string>} memberIds
   * @returns {string[]} the players whose hover went
   */
  keepMembers(memberIds) {
    const here = new Set(memberIds);
    const gone = [];
    for (const [member, playerId] of this.#byMember) {
      if (here.has(member)) continue;
      this.#byMember.delete(member);
      if (this.#byPlayer.get(playerId)?.member === member) {
        this.#byPlayer.delete(playerId);
        gone.push(playerId);
      }
    }
    return gone;
  }

  /** Forgets everything (the connection dropped: nothing here can be kept up to date). */
  clear() {
    this.#byPlayer.clear();
    this.#byMember.clear();
  }

  /** The club player `playerId` is looking at, or null. */
  clubOf(playerId) {
    return this.#byPlayer.get(playerId)?.club ?? null;
  }

  /** The ids of the players looking at `club`. */
  lookingAt(club) {
    return [...this.#byPlayer].filter(([, hover]) => hover.club === club).map(([playerId]) => playerId);
  }
}

/**
 * What a player's page sends: the club under the pointer or finger (null for none), only
 * when it changes, at most once per `intervalMs`; within an interval the latest wins and
 * goes when the interval is over.
 * @param {(club: string|null) => void} send
 * @param {number} [intervalMs]
 * @param {Parameters<typeof createThrottle>[2]} [clock]
 */
export function createHoverSender(send, intervalMs = HOVER_INTERVAL_MS, clock = {}) {
  let wanted = null;
  let sent = null;
  const throttle = createThrottle((club) => {
    if (club === sent) return; // it changed and changed back within the interval
    sent = club;
    send(club);
  }, intervalMs, clock);
  return {
    /** The club looked at now (null: none). @param {string|null} club */
    set(club) {
      if (club === wanted) return;
      wanted = club;
      throttle.push(club);
    },
    /** Starts afresh (a new connection: the others know nothing of this page's hover). */
    reset() {
      throttle.cancel();
      wanted = null;
      sent = null;
    },
    get looking() {
      return wanted;
    },
  };
}
