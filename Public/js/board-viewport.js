/**
 * The view onto the board: which board point is at the viewport's top-left corner, and the
 * zoom. The world element is moved with one CSS transform; `--inv-zoom` lets cursors keep
 * their size at any zoom. The wheel pans (zooms with Ctrl or ⌘); dragging the background
 * and pinching are gestures of board-pointer.js.
 * @module board-viewport
 */
import { clampView, panBy, toBoard, viewCentre, zoomAt } from './board-util.js';
import { bounds, fitView } from './board-geometry.js';

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */
/** @typedef {import('./board-util.js').View} View */

export class Viewport {
  #canvas;
  /** @type {View} */
  #view = { x: 0, y: 0, zoom: 1 };

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
    const { ui } = canvas;
    ui.zoomIn.addEventListener('click', () => this.zoomBy(1.25));
    ui.zoomOut.addEventListener('click', () => this.zoomBy(0.8));
    ui.zoomReset.addEventListener('click', () => this.zoomBy(1 / this.#view.zoom));
    ui.zoomFit.addEventListener('click', () => this.fit());
    for (const button of [ui.zoomIn, ui.zoomOut, ui.zoomReset, ui.zoomFit]) {
      button.addEventListener('click', () => this.#canvas.presence.stopFollowing());
    }
    ui.viewport.addEventListener('wheel', (event) => this.#onWheel(event), { passive: false });
    addEventListener('resize', () => this.set(this.#view));
  }

  /** @returns {View} */
  get view() {
    return this.#view;
  }

  size() {
    const { viewport } = this.#canvas.ui;
    return { width: viewport.clientWidth || 1, height: viewport.clientHeight || 1 };
  }

  /** Moves the view to `next`, kept within the board. */
  set(next) {
    const { ui, root } = this.#canvas;
    const view = clampView(next, this.size());
    this.#view = view;
    ui.world.style.transform = `translate(${-view.x * view.zoom}px, ${-view.y * view.zoom}px) scale(${view.zoom})`;
    ui.world.style.setProperty('--inv-zoom', String(1 / view.zoom));
    ui.zoomReset.textContent = `${Math.round(view.zoom * 100)}%`;
    root.dataset.zoom = String(view.zoom);
    this.#canvas.presence?.viewChanged();
  }

  /** Zooms by `factor` around viewport pixel `sx, sy` (its centre by default). */
  zoomBy(factor, sx, sy) {
    const size = this.size();
    this.set(zoomAt(this.#view, this.#view.zoom * factor, sx ?? size.width / 2, sy ?? size.height / 2, size));
  }

  /**
   * Fit to content: every box in view, centred, at no more than 100 % (the board's corner
   * when it is empty). Also the first view of a board, so everyone starts on the same part;
   * then at no less than `min` (60 %), so text stays readable on a phone.
   */
  fit({ min = 0.25 } = {}) {
    const rect = bounds([...this.#canvas.board.boxes.values()]);
    if (!rect) return this.set({ x: 0, y: 0, zoom: this.#view.zoom });
    const size = this.size();
    const margin = Math.min(40, size.width / 10);
    const view = fitView(rect, size, { margin, min, max: 1 });
    // More than fits at this zoom: its top-left part, not the middle.
    if (rect.width * view.zoom > size.width - 2 * margin) view.x = rect.x - margin / view.zoom;
    if (rect.height * view.zoom > size.height - 2 * margin) view.y = rect.y - margin / view.zoom;
    // Content near the board's corner: show the corner, not the grey beyond it.
    view.x = Math.max(view.x, -margin / view.zoom);
    view.y = Math.max(view.y, -margin / view.zoom);
    this.set(view);
  }

  /** Centres the view on board point `x, y` (keeping the zoom). */
  centreOn(x, y) {
    const size = this.size();
    const { zoom } = this.#view;
    this.set({ x: x - size.width / 2 / zoom, y: y - size.height / 2 / zoom, zoom });
  }

  /** The board point at the centre of the viewport. */
  centre() {
    return viewCentre(this.#view, this.size());
  }

  /** Board coordinates of viewport pixel `sx, sy`. */
  toBoard(sx, sy) {
    return toBoard(this.#view, sx, sy);
  }

  /** Where a pointer or wheel event happened, in pixels from the viewport's top-left. */
  local(event) {
    const rect = this.#canvas.ui.viewport.getBoundingClientRect();
    return { sx: event.clientX - rect.left, sy: event.clientY - rect.top };
  }

  #onWheel(event) {
    if (this.#canvas.phase !== 'ready') return;
    event.preventDefault();
    this.#canvas.presence.stopFollowing();
    const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? this.size().height : 1;
    const { sx, sy } = this.local(event);
    if (event.ctrlKey || event.metaKey) {
      this.zoomBy(Math.exp((-event.deltaY * unit) / 300), sx, sy);
    } else {
      this.set(panBy(this.#view, -event.deltaX * unit, -event.deltaY * unit, this.size()));
    }
    // The board moved under a still pointer: the others see the cursor where it now points.
    this.#canvas.pointer.movedTo(sx, sy);
  }
}
