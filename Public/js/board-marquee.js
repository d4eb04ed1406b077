/**
 * The marquee: Shift and a drag on the empty canvas draw a rectangle, and every box it
 * touches joins the selection (the boxes selected before it stay selected).
 * @module board-marquee
 */
import { boxesInRect, rectBetween } from './board-geometry.js';
import { el } from './board-ui.js';

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */

export class Marquee {
  #canvas;
  /** @type {{pointerId: number, from: {x: number, y: number}, before: string[], node: HTMLElement}|null} */
  #drawing = null;

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
  }

  /** Whether pointer `pointerId` is drawing the marquee. */
  owns(pointerId) {
    return this.#drawing?.pointerId === pointerId;
  }

  /** Starts at board point `at`. */
  start(pointerId, at) {
    this.cancel();
    const node = el('div', 'marquee');
    node.setAttribute('aria-hidden', 'true');
    this.#canvas.ui.world.append(node);
    this.#drawing = { pointerId, from: at, before: this.#canvas.boxes.selection(), node };
    this.move(at);
  }

  /** The pointer is at board point `at`: the rectangle and the selection follow. */
  move(at) {
    const drawing = this.#drawing;
    if (!drawing) return;
    const rect = rectBetween(drawing.from, at);
    Object.assign(drawing.node.style, {
      transform: `translate(${rect.x}px, ${rect.y}px)`,
      width: `${rect.width}px`,
      height: `${rect.height}px`,
    });
    const touched = boxesInRect([...this.#canvas.board.boxes.values()], rect);
    this.#canvas.boxes.selectMany([...drawing.before, ...touched]);
  }

  /** Ends it (the selection stays). */
  cancel() {
    this.#drawing?.node.remove();
    this.#drawing = null;
  }
}
