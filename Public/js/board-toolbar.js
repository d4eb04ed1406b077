/**
 * The tools bar (Add box, Undo, Redo; the selected boxes' colour, Edit text and Delete) and
 * the keys that do the same on the canvas: Tab moves from box to box, the arrows nudge the
 * selected boxes by 8 px (1 px with Shift), Escape deselects, Delete or Backspace deletes,
 * Enter edits the text, Ctrl+Z undoes, Ctrl+Shift+Z or Ctrl+Y redoes (⌘ on a Mac). The
 * zoom buttons belong to board-viewport.js.
 * @module board-toolbar
 */
import { SWATCHES } from './board-model.js';
import { el } from './board-ui.js';

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */

export class Toolbar {
  #canvas;

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
    const { ui, boxes, commands, editor, undo } = canvas;
    ui.swatches.replaceChildren(
      ...SWATCHES.map((color) => {
        const button = /** @type {HTMLButtonElement} */ (el('button', 'swatch'));
        button.type = 'button';
        button.dataset.color = color;
        button.style.backgroundColor = color;
        button.title = `Colour ${color}`;
        button.setAttribute('aria-label', `Colour ${color}`);
        button.disabled = true;
        button.addEventListener('click', () => commands.recolor(color));
        return button;
      }),
    );
    ui.addBox.addEventListener('click', () => commands.addBox());
    ui.undo.addEventListener('click', () => undo.undo().then(() => this.refresh()));
    ui.redo.addEventListener('click', () => undo.redo().then(() => this.refresh()));
    ui.editBox.addEventListener('click', () => boxes.selected && editor.start(boxes.selected));
    ui.deleteBox.addEventListener('click', () => commands.deleteSelected());
    document.addEventListener('keydown', (event) => this.#onKey(event));
  }

  /** Enables what can be done now, and marks the selected box's colour. */
  refresh() {
    const { ui, boxes } = this.#canvas;
    const can = this.#canvas.editable();
    ui.addBox.disabled = !can;
    ui.undo.disabled = !can || !this.#canvas.commands.history.canUndo;
    ui.redo.disabled = !can || !this.#canvas.commands.history.canRedo;
    const box = boxes.selectedBox();
    const active = Boolean(can && box);
    ui.selectionTools.dataset.active = String(Boolean(box));
    ui.editBox.disabled = !active;
    ui.deleteBox.disabled = !active;
    for (const swatch of ui.swatches.children) {
      const button = /** @type {HTMLButtonElement} */ (swatch);
      button.disabled = !active;
      button.setAttribute('aria-pressed', String(Boolean(box) && boxes.displayed(box).color === button.dataset.color));
    }
  }

  /** @param {KeyboardEvent} event */
  #onKey(event) {
    const { ui, boxes, commands, editor, undo } = this.#canvas;
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && !event.altKey && (key === 'z' || key === 'y')) {
      event.preventDefault();
      const again = key === 'y' || event.shiftKey;
      (again ? undo.redo() : undo.undo()).then(() => this.refresh());
      return;
    }
    const step = event.shiftKey ? 1 : 8;
    const nudges = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (nudges[key] && boxes.selected && !mod && !target.closest('button, a')) {
      event.preventDefault();
      commands.nudge(...nudges[key]);
      return;
    }
    if (event.key === 'Escape') {
      if (!ui.renameForm.hidden) return;
      if (target.closest('.box')) ui.viewport.focus({ preventScroll: true });
      boxes.select(null);
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && boxes.selected) {
      if (target.closest('button, a')) return;
      event.preventDefault();
      commands.deleteSelected();
    } else if (event.key === 'Enter' && boxes.selected && !target.closest('button, a')) {
      event.preventDefault();
      editor.start(boxes.selected);
    }
  }
}
