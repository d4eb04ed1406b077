/**
 * Pointer gestures on the viewport, and the pointer signals that show them to the others.
 *
 * A press on a box selects it (Shift adds it to the selection, or takes it out); once the
 * pointer has travelled a few pixels it becomes a drag (or a resize, from the corner handle),
 * shown at once as an active override and sent as a command on release. Dragging one of
 * several selected boxes moves them all (one undo step). A press on the background pans
 * (with Shift: a marquee, board-marquee.js); two touches pinch-zoom. Wherever it
 * goes, the pointer's board position (and the drag in progress) is sent as a `pointer`
 * signal, at most 10 a second, so the others see the cursor and the box following it.
 * @module board-pointer
 */
import { clampCoord, clampSize } from './board-model.js';
import { createThrottle, panBy, zoomAt } from './board-util.js';
import { showError } from './board-ui.js';
import { POINTER_SIGNAL } from './board-presence.js';
import { Marquee } from './board-marquee.js';

const SIGNAL_EVERY_MS = 100;
/** Screen pixels a pointer must travel before a press on a box becomes a drag. */
const DRAG_THRESHOLD = 4;

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */
/** @typedef {import('./board-commands.js').Override} Override */
/**
 * @typedef {{kind: 'pan', pointerId: number, startX: number, startY: number, from: import('./board-util.js').View}} Pan
 * @typedef {{kind: 'drag'|'resize', pointerId: number, boxId: string, startX: number, startY: number,
 *   from: {x: number, y: number, width: number, height: number}, moved: boolean, override: Override|null,
 *   others: {id: string, from: {x: number, y: number}, override: Override|null}[]}} BoxGesture
 */

export class PointerInput {
  #canvas;
  #throttle;
  /** The pointer's last board position (what cursor signals carry). @type {{x: number, y: number}|null} */
  #at = null;
  /** The gesture in progress, if any. @type {Pan|BoxGesture|null} */
  #gesture = null;
  /** Background pointers (touch pinch). @type {Map<number, {x: number, y: number}>} */
  #touches = new Map();
  /** @type {{distance: number, zoom: number, view: import('./board-util.js').View}|null} */
  #pinch = null;
  #marquee;

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
    this.#marquee = new Marquee(canvas);
    const { client, channel, ui } = canvas;
    this.#throttle = createThrottle((data) => client.signal(channel, POINTER_SIGNAL, data), SIGNAL_EVERY_MS);
    ui.viewport.addEventListener('pointerdown', (event) => this.#onDown(event));
    ui.viewport.addEventListener('pointermove', (event) => this.#onMove(event));
    // On the window: a release outside the viewport (before any capture) ends the press too.
    addEventListener('pointerup', (event) => this.#end(event, false));
    addEventListener('pointercancel', (event) => this.#end(event, true));
    addEventListener('keydown', () => delete ui.viewport.dataset.pointer, true);
    ui.viewport.addEventListener('lostpointercapture', (event) => {
      if (this.#gesture?.pointerId === event.pointerId) this.#end(event, false);
    });
  }

  /** The view moved under the pointer (the wheel): tell the others where it points now. */
  movedTo(sx, sy) {
    this.#at = this.#canvas.viewport.toBoard(sx, sy);
    this.#send(this.#dragInfo());
  }

  /** The connection dropped: a drag or resize cannot be stored, so the box goes back. */
  abandon() {
    const gesture = this.#gesture;
    if (!gesture || gesture.kind === 'pan') return;
    this.#gesture = null;
    if (gesture.override) this.#canvas.commands.dropOverride(gesture.boxId, gesture.override);
    for (const other of gesture.others) if (other.override) this.#canvas.commands.dropOverride(other.id, other.override);
  }

  #send(drag) {
    if (!this.#at || this.#canvas.phase !== 'ready') return;
    const data = { x: Math.round(this.#at.x), y: Math.round(this.#at.y), hue: this.#canvas.presence.myHue };
    if (drag) data.drag = drag;
    this.#throttle.push(data);
  }

  /** The drag or resize in progress as the others should see it, or null. */
  #dragInfo() {
    const gesture = this.#gesture;
    if (!gesture || gesture.kind === 'pan' || !gesture.moved) return null;
    const fields = gesture.override.fields;
    const box = this.#canvas.board.boxes.get(gesture.boxId);
    if (!box) return null;
    const drag = { boxId: gesture.boxId, x: fields.x ?? box.x, y: fields.y ?? box.y };
    if (gesture.kind === 'resize') {
      drag.width = fields.width;
      drag.height = fields.height;
    }
    return drag;
  }

  /** @param {PointerEvent} event */
  #onDown(event) {
    const { board, boxes, editor, commands, viewport, ui } = this.#canvas;
    if (event.button !== 0 && event.pointerType === 'mouse') return;
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest('.box-editor')) return; // typing, selecting text
    if (editor.boxId !== null) editor.commit();
    event.preventDefault();
    this.#canvas.presence.stopFollowing();
    ui.viewport.dataset.pointer = 'true'; // focused by a press: no keyboard focus ring (css)
    ui.viewport.focus({ preventScroll: true });
    const { sx, sy } = viewport.local(event);
    this.#at = viewport.toBoard(sx, sy);
    const boxNode = /** @type {HTMLElement|null} */ (target.closest('.box'));
    const boxId = boxNode?.dataset.boxId;
    // A press that never moved and whose release went elsewhere is over.
    if (this.#gesture && this.#gesture.kind !== 'pan' && !this.#gesture.moved) this.#gesture = null;
    if (boxId && board.boxes.has(boxId) && !this.#gesture) {
      if (event.shiftKey) {
        boxes.toggle(boxId);
        return;
      }
      const group = boxes.isSelected(boxId) && boxes.selection().length > 1 && !target.closest('.box-handle');
      if (!group) boxes.select(boxId);
      if (!this.#canvas.editable()) return;
      const shown = boxes.displayed(board.boxes.get(boxId));
      const others = group
        ? boxes.selectedBoxes().filter((b) => b.id !== boxId).map((b) => {
          const at = boxes.displayed(b);
          return { id: b.id, from: { x: at.x, y: at.y }, override: null };
        })
        : [];
      commands.raise(boxId);
      this.#gesture = {
        kind: target.closest('.box-handle') ? 'resize' : 'drag',
        pointerId: event.pointerId,
        boxId,
        startX: event.clientX,
        startY: event.clientY,
        from: { x: shown.x, y: shown.y, width: shown.width, height: shown.height },
        moved: false,
        override: null,
        others,
      };
      // The pointer is captured only once the press becomes a drag: a capture now would
      // retarget the click and double-click (edit) to the viewport.
      return;
    }
    // The background: a marquee (Shift and a mouse), pan (one pointer) or pinch (two touches).
    if (!boxId && event.shiftKey && event.pointerType === 'mouse' && !this.#gesture) {
      ui.viewport.setPointerCapture(event.pointerId);
      this.#marquee.start(event.pointerId, this.#at);
      return;
    }
    if (!boxId) boxes.select(null);
    this.#touches.set(event.pointerId, { x: sx, y: sy });
    ui.viewport.setPointerCapture(event.pointerId);
    if (this.#touches.size === 2) {
      this.#gesture = null;
      const [a, b] = [...this.#touches.values()];
      this.#pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, zoom: viewport.view.zoom, view: viewport.view };
    } else if (!this.#gesture) {
      const view = viewport.view;
      this.#gesture = { kind: 'pan', pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, from: view };
    }
    this.#showPanning();
  }

  /**
   * Marks the viewport while the background is held (a pan or a pinch). Derived from the
   * state after every change rather than added and removed by hand: a pinch ends with no
   * gesture of its own, and a class removed only when a gesture ends stayed on after it.
   */
  #showPanning() {
    const panning = this.#gesture?.kind === 'pan' || this.#pinch !== null;
    this.#canvas.ui.viewport.classList.toggle('is-panning', panning);
  }

  /** @param {PointerEvent} event */
  #onMove(event) {
    const { board, boxes, commands, viewport, ui } = this.#canvas;
    const { sx, sy } = viewport.local(event);
    if (this.#touches.has(event.pointerId)) this.#touches.set(event.pointerId, { x: sx, y: sy });
    const pinch = this.#pinch;
    if (pinch && this.#touches.size >= 2) {
      const [a, b] = [...this.#touches.values()];
      const distance = Math.hypot(a.x - b.x, a.y - b.y) || 1;
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      viewport.set(zoomAt(pinch.view, pinch.zoom * (distance / pinch.distance), mid.x, mid.y, viewport.size()));
      return;
    }
    this.#at = viewport.toBoard(sx, sy);
    if (this.#marquee.owns(event.pointerId)) {
      this.#marquee.move(this.#at);
      this.#send(null);
      return;
    }
    const gesture = this.#gesture;
    if (gesture && gesture.pointerId === event.pointerId) {
      const dx = event.clientX - gesture.startX;
      const dy = event.clientY - gesture.startY;
      if (gesture.kind === 'pan') {
        viewport.set(panBy(gesture.from, dx, dy, viewport.size()));
        this.#at = viewport.toBoard(sx, sy);
      } else {
        if (!gesture.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) {
          this.#send(null);
          return;
        }
        if (!board.boxes.has(gesture.boxId)) {
          this.#gesture = null;
          return;
        }
        const zoom = viewport.view.zoom;
        const fields =
          gesture.kind === 'drag'
            ? { x: clampCoord(gesture.from.x + dx / zoom), y: clampCoord(gesture.from.y + dy / zoom) }
            : { width: clampSize(gesture.from.width + dx / zoom), height: clampSize(gesture.from.height + dy / zoom) };
        for (const other of gesture.others) {
          const moved = { x: clampCoord(other.from.x + dx / zoom), y: clampCoord(other.from.y + dy / zoom) };
          if (other.override) {
            other.override.fields = moved;
            boxes.render(other.id);
          } else if (board.boxes.has(other.id)) {
            other.override = commands.overlay(other.id, moved, true);
          }
        }
        if (!gesture.moved) {
          gesture.moved = true;
          gesture.override = commands.overlay(gesture.boxId, fields, true);
          try {
            ui.viewport.setPointerCapture(event.pointerId);
          } catch {
            // the pointer is already gone; pointerup ends the drag
          }
        } else {
          gesture.override.fields = fields;
          boxes.render(gesture.boxId);
        }
      }
    }
    this.#send(this.#dragInfo());
  }

  /** A pointer went up (or was cancelled): ends its gesture, storing a drag or resize. */
  #end(event, cancelled) {
    const { board, commands } = this.#canvas;
    this.#touches.delete(event.pointerId);
    if (this.#touches.size < 2) this.#pinch = null;
    if (this.#marquee.owns(event.pointerId)) this.#marquee.cancel();
    const done = this.#gesture?.pointerId === event.pointerId ? this.#gesture : null;
    if (done) this.#gesture = null;
    this.#showPanning();
    // A click (no drag) on one of several selected boxes selects it alone.
    if (done && done.kind === 'drag' && !done.moved && done.others.length && !cancelled) this.#canvas.boxes.select(done.boxId);
    if (!done || done.kind === 'pan' || !done.moved) return;
    this.#throttle.cancel(); // the drop below supersedes a drag position still waiting
    const box = board.boxes.get(done.boxId);
    if (!box || cancelled || !this.#canvas.editable()) {
      commands.dropOverride(done.boxId, done.override);
      for (const other of done.others) if (other.override) commands.dropOverride(other.id, other.override);
      if (!cancelled && box) showError('Not connected: the box went back where it was.');
      this.#send(null);
      return;
    }
    const fields = done.override.fields;
    if (done.kind === 'drag') {
      const moves = [{ id: box.id, override: done.override }, ...done.others.filter((o) => o.override)];
      commands.together('Move', () => {
        for (const { id, override } of moves) {
          const stored = board.boxes.get(id);
          const to = override.fields;
          if (!stored || (to.x === stored.x && to.y === stored.y)) commands.dropOverride(id, override);
          else commands.change(id, 'moveBox', { boxId: id, x: to.x, y: to.y }, to, 'The move', override);
        }
      });
    } else if (fields.width === box.width && fields.height === box.height) {
      commands.dropOverride(done.boxId, done.override);
    } else {
      const data = { boxId: box.id, width: fields.width, height: fields.height };
      commands.change(box.id, 'resizeBox', data, fields, 'The new size', done.override);
    }
    this.#send(null); // others: this member's drag is over
  }
}
