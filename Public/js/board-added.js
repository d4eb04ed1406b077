/**
 * Which box this page's `addBox` made, so the page can select it.
 *
 * The command's ack names the offset its `boxAdded` event was stored at, and the event
 * carries the new box's id; the two travel separately, so either may arrive first, and
 * other members' events may come in between. Recent `boxAdded` events are remembered by
 * offset, and an ack that comes before its event waits for it. Pure: no DOM, no network.
 * @module board-added
 */

export class AddedBoxes {
  #keep;
  /** @type {Map<number, string>} offset → id of the box a recent `boxAdded` added */
  #recent = new Map();
  /** The highest offset folded in. */
  #last = 0;
  /** @type {number|null} the offset of an ack whose event has not arrived yet */
  #awaited = null;
  /** @type {Map<number, ((id: string|null) => void)[]>} offset → who waits for its box id */
  #waiters = new Map();

  /** @param {number} [keep] how many recent adds to remember (an ack is rarely far behind) */
  constructor(keep = 64) {
    this.#keep = keep;
  }

  /**
   * An event was folded in at `offset`; `boxId` is the box it added (null for any other
   * event). Returns the id of this page's awaited box when this is its event, else null.
   * @param {number} offset
   * @param {string|null} boxId
   */
  folded(offset, boxId) {
    this.#last = Math.max(this.#last, offset);
    if (boxId !== null) {
      this.#recent.set(offset, boxId);
      if (this.#recent.size > this.#keep) this.#recent.delete(this.#recent.keys().next().value);
    }
    for (const [at, waiting] of this.#waiters) {
      if (at > this.#last) continue;
      this.#waiters.delete(at);
      for (const resolve of waiting) resolve(at === offset ? boxId : (this.#recent.get(at) ?? null));
    }
    if (this.#awaited === null || offset < this.#awaited) return null;
    const found = offset === this.#awaited ? boxId : null;
    this.#awaited = null;
    return found;
  }

  /**
   * This page's `addBox` was stored at `offset`. Returns the new box's id when its event is
   * already in; otherwise null, and {@link folded} returns it once the event arrives.
   * @param {number} offset
   */
  acked(offset) {
    const known = this.#recent.get(offset);
    if (known !== undefined) return known;
    // Went by without a box (or too long ago to tell): nothing to wait for.
    this.#awaited = offset > this.#last ? offset : null;
    return null;
  }

  /**
   * The id of the box added at `offset` (an ack's), once its event is in; null when the
   * event there added no box (or is too far back to tell).
   * @param {number} offset
   * @returns {Promise<string|null>}
   */
  idAt(offset) {
    const known = this.#recent.get(offset);
    if (known !== undefined) return Promise.resolve(known);
    if (offset <= this.#last) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiting = this.#waiters.get(offset) ?? [];
      waiting.push(resolve);
      this.#waiters.set(offset, waiting);
    });
  }

  /** The channel was reset (its data wiped): offsets start again from nothing. */
  reset() {
    for (const waiting of this.#waiters.values()) for (const resolve of waiting) resolve(null);
    this.#waiters.clear();
    this.#recent.clear();
    this.#last = 0;
    this.#awaited = null;
  }
}
