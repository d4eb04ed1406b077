/**
 * Undo and redo on the board (Ctrl+Z; Ctrl+Shift+Z or Ctrl+Y; the Undo in "Box deleted"):
 * the entries recorded by board-commands.js are played as ordinary commands, so everyone
 * sees an undo like any other change. One undo or redo runs at a time; the boxes it touched
 * are selected afterwards.
 * @module board-undo
 */

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */
/** @typedef {import('./board-history.js').Op} Op */

const FIELDS = { moveBox: ['x', 'y'], resizeBox: ['width', 'height'], editBox: ['text'], recolorBox: ['color'] };
/** What {@link Undo#apply} says of an op whose box is no longer on the board. */
const GONE = Symbol('gone');
const ACTION = { moveBox: 'The move', resizeBox: 'The size', editBox: 'The text', recolorBox: 'The colour' };

export class Undo {
  #canvas;
  /** The undo or redo in progress, so the next one waits for it. */
  #busy = Promise.resolve();

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
  }

  undo() {
    return this.#queue('undo');
  }

  redo() {
    return this.#queue('redo');
  }

  #queue(direction) {
    this.#busy = this.#busy.then(() => this.#play(direction)).catch(() => {});
    return this.#busy;
  }

  async #play(direction) {
    const { commands, boxes } = this.#canvas;
    const history = commands.history;
    if (!this.#canvas.editable()) return;
    const entry = direction === 'undo' ? history.takeUndo() : history.takeRedo();
    if (!entry) return;
    const ops = direction === 'undo' ? entry.undo : entry.redo;
    const results = await Promise.all(ops.map((op) => this.#apply(history.resolveOp(op))));
    // Every box it names is gone (someone deleted them): it can never be done; go on to the next.
    if (results.every((r) => r === GONE)) return this.#play(direction);
    const done = results.filter((id) => id !== null && id !== GONE);
    if (done.length === 0) {
      // Nothing could be done (the boxes are gone, or locked): keep it where it was.
      if (direction === 'undo') history.redone(entry);
      else history.undone(entry);
      return;
    }
    if (direction === 'undo') history.undone(entry);
    else history.redone(entry);
    boxes.selectMany(done.filter((id) => this.#canvas.board.boxes.has(id)));
    this.#canvas.refreshControls();
  }

  /** Plays one op; resolves to the id of the box it acted on, null when it was refused, GONE when its box is gone. */
  async #apply(op) {
    const { commands, board } = this.#canvas;
    const history = commands.history;
    if (op.name === 'addBox') {
      const id = await commands.add(op.data, 'Bringing the box back');
      if (id && op.restores) history.alias(op.restores, id);
      return id;
    }
    const id = op.data.boxId;
    if (op.name === 'deleteBox') {
      if (!board.boxes.has(id)) return GONE;
      if (this.#canvas.editor.boxId === id) this.#canvas.editor.cancel();
      return (await commands.run('deleteBox', { boxId: id }, 'Deleting the box')) ? id : null;
    }
    const keys = FIELDS[op.name];
    if (!keys) return null;
    if (!board.boxes.has(id)) return GONE;
    const fields = Object.fromEntries(keys.map((key) => [key, op.data[key]]));
    const ok = await commands.change(id, op.name, op.data, fields, ACTION[op.name], null, false);
    return ok ? id : null;
  }
}
