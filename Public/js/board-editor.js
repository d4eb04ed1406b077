/**
 * Editing a box's text in place: a textarea over the box, saved on Ctrl+Enter or when it
 * loses focus, dropped on Escape.
 *
 * While a box is being edited its element keeps the textarea and hides its text, so events
 * for that box (someone else's edit) do not overwrite what is being typed.
 * @module board-editor
 */
import { LIMITS, clampText } from './board-model.js';
import { el, showError } from './board-ui.js';

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */

export class TextEditor {
  #canvas;
  /** @type {{boxId: string, textarea: HTMLTextAreaElement}|null} */
  #editing = null;

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
  }

  /** The id of the box being edited, or null. */
  get boxId() {
    return this.#editing?.boxId ?? null;
  }

  start(id) {
    const { board, boxes, ui } = this.#canvas;
    const box = board.boxes.get(id);
    if (!box || !this.#canvas.editable()) return;
    if (this.#editing?.boxId === id) return;
    this.commit();
    boxes.select(id);
    const entry = boxes.element(id);
    const textarea = /** @type {HTMLTextAreaElement} */ (el('textarea', 'box-editor'));
    textarea.maxLength = LIMITS.textMax;
    textarea.value = boxes.displayed(box).text;
    textarea.setAttribute('aria-label', 'Box text (Ctrl+Enter to save, Escape to cancel)');
    textarea.addEventListener('keydown', (event) => {
      event.stopPropagation();
      if (event.key === 'Escape') {
        event.preventDefault();
        this.cancel();
        ui.viewport.focus({ preventScroll: true });
      } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.commit();
        ui.viewport.focus({ preventScroll: true });
      }
    });
    textarea.addEventListener('blur', () => this.commit());
    entry.text.hidden = true;
    entry.root.classList.add('is-editing');
    entry.root.append(textarea);
    this.#editing = { boxId: id, textarea };
    textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  /** Takes the textarea away; returns what was being edited, if anything. */
  #close() {
    if (!this.#editing) return null;
    const current = this.#editing;
    this.#editing = null;
    const entry = this.#canvas.boxes.existing(current.boxId);
    current.textarea.remove();
    if (entry) {
      entry.text.hidden = false;
      entry.root.classList.remove('is-editing');
    }
    return current;
  }

  /** Saves the text being edited (if it changed) and closes the editor. */
  commit() {
    const { board, boxes, client } = this.#canvas;
    const current = this.#close();
    if (!current) return;
    const box = board.boxes.get(current.boxId);
    if (!box) return;
    const text = clampText(current.textarea.value);
    boxes.render(box.id);
    if (text === boxes.displayed(box).text) return;
    if (client.status !== 'open') {
      showError('Not connected: the text was not saved.');
      return;
    }
    this.#canvas.commands.change(box.id, 'editBox', { boxId: box.id, text }, { text }, 'The text');
  }

  /** Closes the editor without saving. */
  cancel() {
    const current = this.#close();
    if (current) this.#canvas.boxes.render(current.boxId);
  }

  /**
   * Box `id` was deleted (by anyone), and its element is about to go: if it was being
   * edited, the text has nowhere to go, so say so. Called before the element is removed:
   * removing the focused textarea fires blur, whose save would find no box and close the
   * editor without a word.
   */
  boxGone(id) {
    if (this.#editing?.boxId !== id) return;
    this.#close();
    showError('Someone deleted the box you were editing.');
  }
}
