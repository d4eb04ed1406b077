/**
 * Markers on the edge of the view for the cursors outside it: a dot in the member's colour
 * with their initials, on the side where they are; a click brings the view to them.
 * @module board-edges
 */
import { edgeMarker } from './board-geometry.js';
import { toScreen, initials } from './board-util.js';
import { el } from './board-ui.js';

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */

export class EdgeMarkers {
  #canvas;
  /** @type {HTMLElement} */
  #layer;
  /** @type {Map<string, HTMLButtonElement>} */
  #markers = new Map();

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
    this.#layer = el('div', 'edge-markers');
    canvas.ui.viewport.append(this.#layer);
  }

  /**
   * Places a marker for every cursor outside the view (and none for those inside).
   * @param {Iterable<{id: string, name: string, color: string, x: number, y: number}>} cursors
   */
  update(cursors) {
    const { viewport } = this.#canvas;
    const size = viewport.size();
    const seen = new Set();
    for (const cursor of cursors) {
      const spot = edgeMarker(toScreen(viewport.view, cursor.x, cursor.y), size);
      if (!spot) continue;
      seen.add(cursor.id);
      let marker = this.#markers.get(cursor.id);
      if (!marker) {
        marker = /** @type {HTMLButtonElement} */ (el('button', 'edge-marker'));
        marker.type = 'button';
        marker.dataset.memberId = cursor.id;
        const id = cursor.id;
        marker.addEventListener('pointerdown', (event) => event.stopPropagation());
        marker.addEventListener('click', () => this.#canvas.presence.jumpTo(id));
        this.#layer.append(marker);
        this.#markers.set(cursor.id, marker);
      }
      marker.textContent = initials(cursor.name);
      marker.title = `${cursor.name} is over here: click to go there`;
      marker.setAttribute('aria-label', `Go to ${cursor.name}`);
      marker.dataset.side = spot.side;
      marker.style.setProperty('--member-color', cursor.color);
      marker.style.transform = `translate(${spot.x}px, ${spot.y}px) translate(-50%, -50%)`;
    }
    for (const [id, marker] of this.#markers) {
      if (seen.has(id)) continue;
      marker.remove();
      this.#markers.delete(id);
    }
  }
}
