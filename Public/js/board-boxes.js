/**
 * The boxes' DOM: one element per stored box, and which boxes are selected (one or more:
 * shift-click and the marquee add to the selection; the last one chosen is the primary, the
 * one Edit text and the colour marks go by).
 *
 * An element shows what the page should show for its box ({@link BoxLayer#displayed}): the
 * stored state, then someone else's drag in progress, then this page's own unconfirmed
 * change. The stored values stay readable in its `data-*` attributes (tests and tools read
 * them). Box text goes in through textContent only.
 * @module board-boxes
 */
import { DEFAULT_BOX, isColor, stackingOrder } from './board-model.js';
import { textColorFor } from './board-util.js';
import { el } from './board-ui.js';

const finite = (value) => typeof value === 'number' && Number.isFinite(value);

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */
/** @typedef {import('./board-model.js').Box} Box */
/** @typedef {{root: HTMLElement, text: HTMLElement}} BoxElement */

export class BoxLayer {
  #canvas;
  /** @type {Map<string, BoxElement>} */
  #elements = new Map();
  /** The selected boxes' ids, in the order they were chosen. @type {string[]} */
  #selection = [];

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
  }

  /** The primary selected box's id (the last one chosen), or null. */
  get selected() {
    return this.#selection[this.#selection.length - 1] ?? null;
  }

  /** The ids of every selected box. */
  selection() {
    return [...this.#selection];
  }

  isSelected(id) {
    return this.#selection.includes(id);
  }

  /** The primary selected box as stored, if any. */
  selectedBox() {
    return this.selected ? this.#canvas.board.boxes.get(this.selected) : undefined;
  }

  /** Every selected box as stored. */
  selectedBoxes() {
    const { boxes } = this.#canvas.board;
    return this.#selection.map((id) => boxes.get(id)).filter(Boolean);
  }

  /** What the page shows for `box`: stored, then a remote drag, then this page's own. */
  displayed(box) {
    const shown = { ...box };
    let remoteBy = null;
    for (const [memberId, preview] of this.#canvas.presence.previewsOf(box.id)) {
      shown.x = preview.x;
      shown.y = preview.y;
      if (finite(preview.width)) shown.width = preview.width;
      if (finite(preview.height)) shown.height = preview.height;
      remoteBy = memberId;
    }
    let active = false;
    for (const override of this.#canvas.commands.overridesOf(box.id)) {
      Object.assign(shown, override.fields);
      active ||= override.active;
    }
    return Object.assign(shown, { remoteBy, active });
  }

  /** The element of box `id`, made (and put on the board) if it has none yet. */
  element(id) {
    let entry = this.#elements.get(id);
    if (entry) return entry;
    const node = el('div', 'box');
    node.dataset.boxId = id;
    node.setAttribute('role', 'group');
    node.tabIndex = 0; // Tab goes from box to box; the keys of board-toolbar.js act on it
    node.addEventListener('focus', () => {
      if (!this.isSelected(id)) this.select(id);
    });
    const text = el('div', 'box-text');
    text.dataset.placeholder = 'Double-click to write';
    const handle = el('div', 'box-handle');
    handle.setAttribute('aria-hidden', 'true');
    handle.title = 'Drag to resize';
    node.append(text, handle);
    node.addEventListener('dblclick', (event) => {
      event.preventDefault();
      this.#canvas.editor.start(id);
    });
    this.#canvas.ui.boxes.append(node);
    entry = { root: node, text };
    this.#elements.set(id, entry);
    return entry;
  }

  /** The element of box `id` if it has one (never makes one). */
  existing(id) {
    return this.#elements.get(id);
  }

  /** Brings box `id`'s element up to date, or removes it when the box is gone. */
  render(id) {
    const { board, commands, presence, editor } = this.#canvas;
    const box = board.boxes.get(id);
    if (!box) {
      editor.boxGone(id);
      this.#elements.get(id)?.root.remove();
      this.#elements.delete(id);
      commands.forget(id);
      presence.forgetBox(id);
      if (this.isSelected(id)) this.#set(this.#selection.filter((s) => s !== id));
      return;
    }
    const shown = this.displayed(box);
    const { root: node, text } = this.element(id);
    node.style.transform = `translate(${shown.x}px, ${shown.y}px)`;
    node.style.width = `${shown.width}px`;
    node.style.height = `${shown.height}px`;
    node.style.zIndex = String(Math.max(0, Math.min(1_000_000, Math.round(box.z))));
    const color = isColor(shown.color) ? shown.color : DEFAULT_BOX.color;
    node.style.backgroundColor = color;
    node.style.color = textColorFor(color);
    if (editor.boxId !== id) text.textContent = shown.text;
    node.setAttribute('aria-label', shown.text ? `Box: ${shown.text.slice(0, 80)}` : 'Empty box');
    node.classList.toggle('is-empty', shown.text === '');
    node.dataset.x = String(box.x);
    node.dataset.y = String(box.y);
    node.dataset.width = String(box.width);
    node.dataset.height = String(box.height);
    node.dataset.color = box.color;
    node.dataset.z = String(box.z);
    node.classList.toggle('is-selected', this.isSelected(id));
    node.setAttribute('aria-selected', String(this.isSelected(id)));
    node.classList.toggle('is-dragging', shown.active);
    node.classList.toggle('is-remote', shown.remoteBy !== null && !shown.active);
    if (shown.remoteBy !== null) {
      node.style.setProperty('--held-color', presence.colorOf(shown.remoteBy));
      node.title = `${presence.nameOf(shown.remoteBy) ?? 'Someone'} is moving this box`;
    } else {
      node.style.removeProperty('--held-color');
      node.removeAttribute('title');
    }
  }

  /** Renders every box in stacking order, and removes the elements of boxes now gone. */
  renderAll() {
    const order = stackingOrder(this.#canvas.board);
    const ids = new Set(order.map((b) => b.id));
    for (const id of [...this.#elements.keys()]) if (!ids.has(id)) this.render(id);
    for (const box of order) this.render(box.id);
    this.#canvas.refreshControls();
  }

  /** Selects box `id` alone (null, or a box that is not there: nothing). */
  select(id) {
    this.#set(id ? [id] : []);
  }

  /** Adds box `id` to the selection, or takes it out if it is in. */
  toggle(id) {
    this.#set(this.isSelected(id) ? this.#selection.filter((s) => s !== id) : [...this.#selection, id]);
  }

  /** Selects exactly `ids` (those that are on the board). */
  selectMany(ids) {
    this.#set(ids);
  }

  #set(ids) {
    const { boxes } = this.#canvas.board;
    const before = this.#selection;
    this.#selection = [...new Set(ids)].filter((id) => boxes.has(id));
    for (const id of new Set([...before, ...this.#selection])) if (this.#elements.has(id)) this.render(id);
    this.#canvas.refreshControls();
  }
}
