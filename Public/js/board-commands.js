/**
 * This page's durable changes: the commands it sends, and what it shows until each is
 * confirmed.
 *
 * A change shows at once as an override of the box's stored fields; the override stays
 * until the board has folded in the event the command's ack names (so the box does not
 * flicker back to the old state in between), or goes at once when the server refuses it
 * and the box snaps back.
 *
 * Each change is recorded for undo (board-history.js): what undoes it and what does it
 * again, as ordinary commands. Changes made together (a group move, a recolour of several
 * boxes) are one entry.
 * @module board-commands
 */
import { DEFAULT_BOX, clampCoord, commandFailure, isColor, isOnTop } from './board-model.js';
import { showError, showInfo } from './board-ui.js';
import { AddedBoxes } from './board-added.js';
import { History, addBoxOp, inverseOf } from './board-history.js';
import { NEW_BOX, placeBox } from './board-geometry.js';

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */
/**
 * @typedef {{x?: number, y?: number, width?: number, height?: number, text?: string, color?: string}} Fields
 * @typedef {{id: number, fields: Fields, active: boolean, untilOffset: number|null}} Override
 */

/** @type {Override[]} */
const NONE = Object.freeze([]);

export class Commands {
  #canvas;
  /** @type {Map<string, Override[]>} */
  #overrides = new Map();
  #nextOverride = 1;
  /** To select the box this page adds, whichever of its ack and its event comes first. */
  #added = new AddedBoxes();
  history = new History();
  /** The entry being gathered by {@link together}, if any. @type {import('./board-history.js').Entry|null} */
  #gathering = null;

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
  }

  // --- overrides ---------------------------------------------------------------------------

  /** This page's overrides of box `id`, oldest first. */
  overridesOf(id) {
    return this.#overrides.get(id) ?? NONE;
  }

  /** Shows `fields` on box `id` until confirmed; returns the override (mutable while active). */
  overlay(id, fields, active) {
    const override = { id: this.#nextOverride++, fields, active, untilOffset: null };
    const list = this.#overrides.get(id) ?? [];
    list.push(override);
    this.#overrides.set(id, list);
    this.#canvas.boxes.render(id);
    return override;
  }

  dropOverride(id, override) {
    const list = (this.#overrides.get(id) ?? []).filter((o) => o !== override);
    if (list.length) this.#overrides.set(id, list);
    else this.#overrides.delete(id);
    this.#canvas.boxes.render(id);
  }

  /** Box `id` is gone: nothing of it is left to show. */
  forget(id) {
    this.#overrides.delete(id);
  }

  /** Clears every override whose event has been folded in. */
  #settleOverrides() {
    const { board, boxes } = this.#canvas;
    for (const [id, list] of this.#overrides) {
      const keep = list.filter((o) => o.active || o.untilOffset === null || o.untilOffset > board.offset);
      if (keep.length === list.length) continue;
      if (keep.length) this.#overrides.set(id, keep);
      else this.#overrides.delete(id);
      if (board.boxes.has(id)) boxes.render(id);
    }
  }

  // --- recording ---------------------------------------------------------------------------

  /**
   * Runs `fn`, recording every change it makes as one undo entry (`label`; a `key` merges
   * it with the last entry of the same key, as nudges do).
   */
  together(label, fn, key) {
    const outer = this.#gathering;
    const entry = outer ?? { label, undo: [], redo: [], key };
    this.#gathering = entry;
    try {
      fn();
    } finally {
      this.#gathering = outer;
    }
    if (outer || !entry.redo.length) return null;
    const kept = this.history.record(entry);
    this.#canvas.refreshControls();
    return kept;
  }

  /** Records one change (inside {@link together}: adds it to the entry being gathered). */
  #record(label, undo, redo) {
    if (this.#gathering) {
      this.#gathering.undo.unshift(...undo); // undone in reverse order
      this.#gathering.redo.push(...redo);
      return this.#gathering;
    }
    const kept = this.history.record({ label, undo, redo });
    this.#canvas.refreshControls();
    return kept;
  }

  // --- sending -----------------------------------------------------------------------------

  /**
   * Sends a command that changes box `id`, showing `fields` until its event arrives; on a
   * refusal the box snaps back to the stored state and the reason is shown. Recorded for
   * undo unless `record` is false (an undo or redo itself).
   */
  change(id, name, data, fields, action, override = null, record = true) {
    const { client, channel, boxes, board } = this.#canvas;
    const box = board.boxes.get(id);
    const entry = record && box ? this.#record(action, [inverseOf(name, box, fields)], [{ name, data }]) : null;
    const shown = override ?? this.overlay(id, fields, false);
    shown.fields = fields;
    shown.active = false;
    boxes.render(id);
    return client.command(channel, name, data).then(
      ({ offset }) => {
        shown.untilOffset = offset;
        this.#settleOverrides();
        return true;
      },
      (error) => {
        this.dropOverride(id, shown);
        if (entry) this.history.discard(entry);
        showError(commandFailure(error?.code, action));
        return false;
      },
    );
  }

  /** Sends a command with nothing to show meanwhile; resolves to its ack, or null. */
  run(name, data, action) {
    const { client, channel } = this.#canvas;
    return client.command(channel, name, data).catch((error) => {
      showError(commandFailure(error?.code, action));
      return null;
    });
  }

  /** Adds a box (`data`: addBox's fields); resolves to its id once it is on the board, or null. */
  async add(data, action = 'Adding a box') {
    const result = await this.run('addBox', data, action);
    return result ? this.#added.idAt(result.offset) : null;
  }

  /** A new empty box in free space near the centre of the view, selected once it is in. */
  async addBox() {
    const { board, viewport } = this.#canvas;
    if (!this.#canvas.editable()) return;
    const spot = placeBox([...board.boxes.values()], viewport.centre(), NEW_BOX);
    const data = {
      x: clampCoord(spot.x),
      y: clampCoord(spot.y),
      width: NEW_BOX.width,
      height: NEW_BOX.height,
      text: '',
      color: DEFAULT_BOX.color,
    };
    const result = await this.run('addBox', data, 'Adding a box');
    if (!result) return;
    const selectNow = this.#added.acked(result.offset);
    if (selectNow !== null) this.#selectNew(selectNow);
    const id = await this.#added.idAt(result.offset);
    if (id) this.#record('Add box', [{ name: 'deleteBox', data: { boxId: id } }], [addBoxOp({ ...data, id })]);
  }

  /**
   * An event was folded in at `offset` (`addedBoxId`: the box it added, if any): what it
   * confirms is settled, and the box this page added is selected once it is in.
   */
  eventFolded(offset, addedBoxId) {
    this.#settleOverrides();
    const id = this.#added.folded(offset, addedBoxId);
    if (id !== null) this.#selectNew(id);
  }

  /** The box this page added: selected, and focused (so the keys act on it next). */
  #selectNew(id) {
    const { boxes } = this.#canvas;
    boxes.select(id);
    boxes.existing(id)?.root.focus({ preventScroll: true });
  }

  /** The channel was reset: offsets start again, and nothing recorded applies. */
  boardReset() {
    this.#added.reset();
    this.history.clear();
  }

  raise(id) {
    if (!this.#canvas.editable() || isOnTop(this.#canvas.board, id)) return;
    this.run('raiseBox', { boxId: id }, 'Raising the box');
  }

  /** Recolours every selected box (one undo step). */
  recolor(color) {
    const { boxes } = this.#canvas;
    if (!this.#canvas.editable() || !isColor(color)) return;
    this.together('Recolour', () => {
      for (const box of boxes.selectedBoxes()) {
        if (box.color !== color) this.change(box.id, 'recolorBox', { boxId: box.id, color }, { color }, 'The new colour');
      }
    });
  }

  /** Moves every selected box by `dx, dy` board pixels (an arrow key); nudges in a row are one undo step. */
  nudge(dx, dy) {
    const { boxes } = this.#canvas;
    const selected = boxes.selectedBoxes();
    if (!selected.length || !this.#canvas.editable()) return;
    const key = `nudge:${selected.map((b) => b.id).join(',')}`;
    this.together('Move', () => {
      for (const box of selected) {
        const shown = boxes.displayed(box);
        const fields = { x: clampCoord(shown.x + dx), y: clampCoord(shown.y + dy) };
        if (fields.x === shown.x && fields.y === shown.y) continue;
        this.change(box.id, 'moveBox', { boxId: box.id, ...fields }, fields, 'The move');
      }
    }, key);
  }

  /** Deletes every selected box, with an Undo in the message (one undo step). */
  deleteSelected() {
    const selected = this.#canvas.boxes.selectedBoxes();
    if (!selected.length || !this.#canvas.editable()) return;
    this.#canvas.editor.cancel();
    const entry = this.#record(
      'Delete',
      selected.map((box) => addBoxOp(box)),
      selected.map((box) => ({ name: 'deleteBox', data: { boxId: box.id } })),
    );
    const sent = selected.map((box) => this.run('deleteBox', { boxId: box.id }, 'Deleting the box'));
    Promise.all(sent).then((results) => {
      if (results.some((r) => r === null)) return this.history.discard(entry);
      const what = selected.length === 1 ? 'Box deleted' : `${selected.length} boxes deleted`;
      showInfo(what, { label: 'Undo', run: () => this.#canvas.undo.undo() });
    });
  }
}
