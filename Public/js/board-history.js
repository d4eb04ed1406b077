/**
 * Undo and redo of this page's own board changes. Pure: no DOM, no network.
 *
 * An entry holds the commands that undo it and the commands that do it again, as ordinary
 * board commands (`{name, data}`), so an undo reaches everyone like any other change. A box
 * that is deleted and then re-added by an undo comes back under a new id (the server makes
 * ids); an `addBox` op names the id it `restores`, and once the new id is known
 * ({@link History#alias}) every entry that named the old one acts on the new one.
 * @module board-history
 */

/**
 * @typedef {{name: string, data: Record<string, any>, restores?: string}} Op
 * @typedef {{label: string, undo: Op[], redo: Op[], key?: string, at?: number}} Entry
 */

/** How long (ms) changes with the same `key` (nudges of the same boxes) merge into one entry. */
export const MERGE_MS = 1_500;

export class History {
  /** @type {Entry[]} */
  #undo = [];
  /** @type {Entry[]} */
  #redo = [];
  /** @type {Map<string, string>} old box id → the id it came back under */
  #alias = new Map();
  #limit;

  /** @param {number} [limit] how many entries to keep */
  constructor(limit = 100) {
    this.#limit = limit;
  }

  get canUndo() {
    return this.#undo.length > 0;
  }

  get canRedo() {
    return this.#redo.length > 0;
  }

  /**
   * A new change of this page's: it can be undone, and whatever was undone before can no
   * longer be redone. An entry with the same `key` as the last one, made within
   * {@link MERGE_MS} of it, merges with it (its undo stays, its redo is the newer one).
   * @param {Entry} entry
   * @param {number} [now]
   */
  record(entry, now = Date.now()) {
    this.#redo = [];
    const last = this.#undo[this.#undo.length - 1];
    if (entry.key && last?.key === entry.key && now - (last.at ?? 0) <= MERGE_MS) {
      last.redo = entry.redo;
      last.at = now;
      return last;
    }
    const kept = { ...entry, at: now };
    this.#undo.push(kept);
    if (this.#undo.length > this.#limit) this.#undo.shift();
    return kept;
  }

  /** Forgets an entry (its change was refused, so there is nothing to undo). */
  discard(entry) {
    this.#undo = this.#undo.filter((e) => e !== entry);
    this.#redo = this.#redo.filter((e) => e !== entry);
  }

  /** Takes the newest entry to undo, or null. Give it back with {@link undone} once done. */
  takeUndo() {
    return this.#undo.pop() ?? null;
  }

  /** Takes the newest undone entry to redo, or null. Give it back with {@link redone}. */
  takeRedo() {
    return this.#redo.pop() ?? null;
  }

  /** `entry` was undone: it can be redone. */
  undone(entry) {
    this.#redo.push(entry);
  }

  /** `entry` was redone: it can be undone again. */
  redone(entry) {
    entry.key = undefined; // a redone nudge does not merge with the next one
    this.#undo.push(entry);
  }

  /** Box `oldId` now lives on as `newId` (an undo of its deletion re-added it). */
  alias(oldId, newId) {
    if (oldId && newId && oldId !== newId) this.#alias.set(oldId, newId);
  }

  /** The id box `id` lives under now. */
  resolve(id) {
    let current = id;
    for (let hops = 0; hops < 1000 && this.#alias.has(current); hops++) current = this.#alias.get(current);
    return current;
  }

  /** An op with its box id resolved (a copy; the entry keeps the id it was made with). */
  resolveOp(op) {
    const data = { ...op.data };
    if (typeof data.boxId === 'string') data.boxId = this.resolve(data.boxId);
    return { ...op, data, restores: op.restores === undefined ? undefined : op.restores };
  }

  /** The board was reset: nothing recorded applies to it any more. */
  clear() {
    this.#undo = [];
    this.#redo = [];
    this.#alias.clear();
  }
}

/** The fields of a box an `addBox` needs to bring it back as it was. */
export function addBoxOp(box) {
  const { id, x, y, width, height, text, color } = box;
  return { name: 'addBox', data: { x, y, width, height, text, color }, restores: id };
}

/** What undoes a change of `fields` on `box`: the same command with the box's current values. */
export function inverseOf(name, box, fields) {
  const data = { boxId: box.id };
  for (const key of Object.keys(fields)) data[key] = box[key];
  return { name, data };
}
