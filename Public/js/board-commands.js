/**
 * This page's durable changes: the commands it sends, and what it shows until each is
 * confirmed.
 *
 * A change shows at once as an override of the box's stored fields; the override stays
 * until the board has folded in the event the command's ack names (so the box does not
 * flicker back to the old state in between), or goes at once when the server refuses it
 * and the box snaps back.
 * @module board-commands
 */
import { DEFAULT_BOX, clampCoord, commandFailure, isColor, isOnTop } from './board-model.js';
import { showError } from './board-ui.js';
import { AddedBoxes } from './board-added.js';

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

  // --- sending -----------------------------------------------------------------------------

  /**
   * Sends a command that changes box `id`, showing `fields` until its event arrives; on a
   * refusal the box snaps back to the stored state and the reason is shown.
   */
  change(id, name, data, fields, action, override = null) {
    const { client, channel, boxes } = this.#canvas;
    const shown = override ?? this.overlay(id, fields, false);
    shown.fields = fields;
    shown.active = false;
    boxes.render(id);
    client.command(channel, name, data).then(
      ({ offset }) => {
        shown.untilOffset = offset;
        this.#settleOverrides();
      },
      (error) => {
        this.dropOverride(id, shown);
        showError(commandFailure(error?.code, action));
      },
    );
  }

  /** Sends a command with nothing to show meanwhile; resolves to its ack, or null. */
  #run(name, data, action) {
    const { client, channel } = this.#canvas;
    return client.command(channel, name, data).catch((error) => {
      showError(commandFailure(error?.code, action));
      return null;
    });
  }

  async addBox() {
    const { board, viewport } = this.#canvas;
    if (!this.#canvas.editable()) return;
    const centre = viewport.centre();
    const data = {
      x: clampCoord(centre.x - DEFAULT_BOX.width / 2),
      y: clampCoord(centre.y - DEFAULT_BOX.height / 2),
      width: DEFAULT_BOX.width,
      height: DEFAULT_BOX.height,
      text: DEFAULT_BOX.text,
      color: DEFAULT_BOX.color,
    };
    // Boxes added one after another step down and right instead of hiding each other.
    const taken = (x, y) => [...board.boxes.values()].some((b) => b.x === x && b.y === y);
    for (let step = 0; step < 40 && taken(data.x, data.y); step++) {
      data.x = clampCoord(data.x + 24);
      data.y = clampCoord(data.y + 24);
    }
    const result = await this.#run('addBox', data, 'Adding a box');
    if (!result) return;
    const id = this.#added.acked(result.offset);
    if (id !== null) this.#canvas.boxes.select(id);
  }

  /**
   * An event was folded in at `offset` (`addedBoxId`: the box it added, if any): what it
   * confirms is settled, and the box this page added is selected once it is in.
   */
  eventFolded(offset, addedBoxId) {
    this.#settleOverrides();
    const id = this.#added.folded(offset, addedBoxId);
    if (id !== null) this.#canvas.boxes.select(id);
  }

  /** The channel was reset: offsets start again. */
  boardReset() {
    this.#added.reset();
  }

  raise(id) {
    if (!this.#canvas.editable() || isOnTop(this.#canvas.board, id)) return;
    this.#run('raiseBox', { boxId: id }, 'Raising the box');
  }

  recolor(color) {
    const box = this.#canvas.boxes.selectedBox();
    if (!box || !this.#canvas.editable() || !isColor(color) || box.color === color) return;
    this.change(box.id, 'recolorBox', { boxId: box.id, color }, { color }, 'The new colour');
  }

  deleteSelected() {
    const box = this.#canvas.boxes.selectedBox();
    if (!box || !this.#canvas.editable()) return;
    this.#canvas.editor.cancel();
    this.#run('deleteBox', { boxId: box.id }, 'Deleting the box');
  }
}
