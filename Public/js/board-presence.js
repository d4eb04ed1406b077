/**
 * Who else is on the board: the avatars, their cursors, and the boxes they are dragging.
 *
 * Each person has one colour, from a hash of their user (or guest) id, so it is the same on
 * every visit. Presence names connections, not users, so each page tells the others its
 * hue: in every `pointer` signal, and in a `hello` signal when someone new arrives; until a
 * member's hue is known, their connection id's stands in. A click on an avatar (or on the
 * marker on the view's edge of a cursor outside it) brings the view to that person's cursor
 * and follows it, until this page pans, zooms or presses on the canvas.
 *
 * All of it comes from the channel's presence and `pointer` signals, never from stored
 * events, so none of it outlives its news: a cursor goes after 10 s without a signal, a
 * drag preview after 3 s (or as soon as the box's stored position changes), and both go
 * with their member or when the connection drops. Names are shown through textContent only.
 * @module board-presence
 */
import { clampCoord, clampSize } from './board-model.js';
import { colorForHue, colorForId, hueForId, initials, toScreen } from './board-util.js';
import { el, showInfo } from './board-ui.js';
import { actingAs } from './board-api.js';
import { EdgeMarkers } from './board-edges.js';

/** The signal that carries a member's pointer (and their drag in progress). */
export const POINTER_SIGNAL = 'pointer';
/** The signal that tells the others this member's colour. */
export const HELLO_SIGNAL = 'hello';
const PREVIEW_TTL_MS = 3_000;
const CURSOR_TTL_MS = 10_000;
const SWEEP_EVERY_MS = 500;
const AVATARS_SHOWN = 8;

const finite = (value) => typeof value === 'number' && Number.isFinite(value);

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */
/** @typedef {{boxId: string, x: number, y: number, width?: number, height?: number, at: number}} Preview */

export class Presence {
  #canvas;
  /** @type {Map<string, {id: string, name: string}>} */
  #members = new Map();
  /** @type {Map<string, Preview>} member id → their drag in progress */
  #previews = new Map();
  /** @type {Map<string, {root: HTMLElement, label: HTMLElement, at: number, x: number, y: number}>} */
  #cursors = new Map();
  /** @type {Map<string, number>} member id → the hue they said is theirs */
  #hues = new Map();
  /** Members this page has said hello to. @type {Set<string>} */
  #greeted = new Set();
  #edges;
  /** The member whose cursor the view follows, or null. @type {string|null} */
  #following = null;

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
    this.#edges = new EdgeMarkers(canvas);
    // Forgets drags and cursors nobody updated for a while.
    setInterval(() => {
      const now = Date.now();
      for (const [id, preview] of this.#previews) if (now - preview.at > PREVIEW_TTL_MS) this.#dropPreview(id);
      for (const [id, cursor] of this.#cursors) if (now - cursor.at > CURSOR_TTL_MS) this.#removeCursor(id);
    }, SWEEP_EVERY_MS);
  }

  /** This page's own hue: from its user's (or guest's) id, the same on every visit. */
  get myHue() {
    const id = actingAs()?.id ?? this.#canvas.client.welcome?.connectionId ?? '';
    return hueForId(id);
  }

  /** The colour member `memberId` is shown in. */
  colorOf(memberId) {
    if (memberId === this.#canvas.client.welcome?.connectionId) return colorForHue(this.myHue);
    const hue = this.#hues.get(memberId);
    return hue === undefined ? colorForId(memberId) : colorForHue(hue);
  }

  /** Brings the view to member `memberId`'s cursor (or says it is not known yet). */
  jumpTo(memberId) {
    const cursor = this.#cursors.get(memberId);
    const name = this.nameOf(memberId) ?? 'Someone';
    if (memberId === this.#canvas.client.welcome?.connectionId) return;
    if (!cursor) {
      showInfo(`${name} has not pointed at the board yet.`);
      return;
    }
    this.#canvas.viewport.centreOn(cursor.x, cursor.y);
    this.#follow(memberId);
    showInfo(`Following ${name}`, { label: 'Stop', run: () => this.stopFollowing() });
  }

  /** Stops following (this page moved the view itself). */
  stopFollowing() {
    if (this.#following !== null) this.#follow(null);
  }

  #follow(memberId) {
    this.#following = memberId;
    for (const item of this.#canvas.ui.presenceList.querySelectorAll('.avatar')) {
      const node = /** @type {HTMLElement} */ (item);
      node.classList.toggle('is-followed', memberId !== null && node.dataset.memberId === memberId);
    }
  }

  /** The followed cursor moved: when it nears the view's edge, the view centres on it again. */
  #keepInView(x, y) {
    const { viewport } = this.#canvas;
    const size = viewport.size();
    const at = toScreen(viewport.view, x, y);
    const inner = (v, span) => v > span * 0.2 && v < span * 0.8;
    if (!inner(at.x, size.width) || !inner(at.y, size.height)) viewport.centreOn(x, y);
  }

  /** The view moved: the edge markers follow. */
  viewChanged() {
    const list = [...this.#cursors].map(([id, c]) => ({ id, x: c.x, y: c.y, name: c.label.textContent ?? '', color: this.colorOf(id) }));
    this.#edges.update(list);
  }

  /** A member's display name, if they are here. */
  nameOf(memberId) {
    return this.#members.get(memberId)?.name;
  }

  /** `[member id, preview]` of each drag of box `boxId` in progress elsewhere. */
  *previewsOf(boxId) {
    for (const entry of this.#previews) if (entry[1].boxId === boxId) yield entry;
  }

  /** Drops the previews of box `boxId` without rendering it (it is rendered next, or gone). */
  forgetBox(boxId) {
    for (const [memberId, preview] of this.#previews) if (preview.boxId === boxId) this.#previews.delete(memberId);
  }

  /** Forgets every cursor and drag: they cannot be kept up to date while disconnected. */
  clear() {
    this.#greeted.clear(); // a new connection says hello again
    for (const id of [...this.#cursors.keys()]) this.#removeCursor(id);
    for (const id of [...this.#previews.keys()]) this.#dropPreview(id);
  }

  /** Shows the channel's members (this page's own connection first). */
  render(list) {
    const { ui, client } = this.#canvas;
    this.#members = new Map(list.filter((m) => m && typeof m.id === 'string').map((m) => [m.id, m]));
    for (const id of [...this.#hues.keys()]) if (!this.#members.has(id)) this.#hues.delete(id);
    const newcomers = [...this.#members.keys()].filter((id) => id !== client.welcome?.connectionId && !this.#greeted.has(id));
    if (newcomers.length && client.status === 'open') {
      for (const id of newcomers) this.#greeted.add(id);
      client.signal(this.#canvas.channel, HELLO_SIGNAL, { hue: this.myHue });
    }
    for (const id of [...this.#cursors.keys()]) if (!this.#members.has(id)) this.#removeCursor(id);
    for (const id of [...this.#previews.keys()]) if (!this.#members.has(id)) this.#dropPreview(id);
    const me = client.welcome?.connectionId;
    const sorted = [...this.#members.values()].sort((a, b) => (b.id === me) - (a.id === me));
    const n = sorted.length;
    ui.presence.textContent = n === 1 ? 'Only you' : `${n} here`;
    ui.presence.dataset.count = String(n);
    const shown = sorted.slice(0, AVATARS_SHOWN).map((member) => {
      const name = String(member.name ?? '');
      const item = el('li', 'avatar');
      item.dataset.memberId = member.id;
      item.dataset.name = name;
      item.style.backgroundColor = this.colorOf(member.id);
      const button = /** @type {HTMLButtonElement} */ (el('button', 'avatar-button', initials(name)));
      button.type = 'button';
      button.title = member.id === me ? `${name} (you)` : `${name}: click to go to their cursor`;
      button.setAttribute('aria-label', member.id === me ? `${name} (you)` : `Go to ${name}`);
      button.addEventListener('click', () => this.jumpTo(member.id));
      item.append(button);
      if (member.id === me) item.classList.add('is-you');
      if (member.id === this.#following) item.classList.add('is-followed');
      return item;
    });
    if (n > AVATARS_SHOWN) {
      const more = el('li', 'avatar avatar-more', `+${n - AVATARS_SHOWN}`);
      more.title = sorted
        .slice(AVATARS_SHOWN)
        .map((m) => String(m.name ?? ''))
        .join(', ');
      shown.push(more);
    }
    ui.presenceList.replaceChildren(...shown);
  }

  /** A `pointer` signal from someone else: their cursor, and the box they drag. */
  onSignal(frame) {
    const { board, boxes, client, phase } = this.#canvas;
    const from = frame.from;
    const data = frame.data;
    if (!from || typeof from.id !== 'string' || !data || phase !== 'ready') return;
    if (from.id === client.welcome?.connectionId) return;
    if (this.#members.size && !this.#members.has(from.id)) return; // left already: no ghosts
    this.#learnHue(from.id, data.hue);
    if (frame.name !== POINTER_SIGNAL || !finite(data.x) || !finite(data.y)) return;
    this.#showCursor(from, clampCoord(data.x), clampCoord(data.y));
    const drag = data.drag;
    const previous = this.#previews.get(from.id);
    if (drag && typeof drag.boxId === 'string' && board.boxes.has(drag.boxId) && finite(drag.x) && finite(drag.y)) {
      /** @type {Preview} */
      const preview = { boxId: drag.boxId, x: clampCoord(drag.x), y: clampCoord(drag.y), at: Date.now() };
      if (finite(drag.width) && finite(drag.height)) {
        preview.width = clampSize(drag.width);
        preview.height = clampSize(drag.height);
      }
      this.#previews.set(from.id, preview);
      if (previous && previous.boxId !== drag.boxId) boxes.render(previous.boxId);
      boxes.render(drag.boxId);
    }
    // Without a drag the preview stays until the drop's event arrives (or it times out), so
    // the box does not jump back while the durable move is on its way.
  }

  /** A member said which hue is theirs: their avatar and cursor take it. */
  #learnHue(memberId, hue) {
    if (!Number.isInteger(hue) || hue < 0 || hue >= 360 || this.#hues.get(memberId) === hue) return;
    this.#hues.set(memberId, hue);
    const color = this.colorOf(memberId);
    this.#cursors.get(memberId)?.root.style.setProperty('--member-color', color);
    for (const item of this.#canvas.ui.presenceList.querySelectorAll('.avatar')) {
      if (/** @type {HTMLElement} */ (item).dataset.memberId === memberId) /** @type {HTMLElement} */ (item).style.backgroundColor = color;
    }
  }

  #showCursor(from, x, y) {
    let cursor = this.#cursors.get(from.id);
    if (!cursor) {
      const node = el('div', 'cursor');
      node.dataset.memberId = from.id;
      node.style.setProperty('--member-color', this.colorOf(from.id));
      const arrow = el('span', 'cursor-arrow');
      const label = el('span', 'cursor-label');
      node.append(arrow, label);
      this.#canvas.ui.cursors.append(node);
      cursor = { root: node, label, at: 0, x, y };
      this.#cursors.set(from.id, cursor);
    }
    const name = String(this.#members.get(from.id)?.name ?? from.name ?? 'Someone');
    if (cursor.label.textContent !== name) cursor.label.textContent = name;
    cursor.root.style.transform = `translate(${x}px, ${y}px) scale(var(--inv-zoom, 1))`;
    cursor.at = Date.now();
    cursor.x = x;
    cursor.y = y;
    if (this.#following === from.id) this.#keepInView(x, y);
    this.viewChanged();
  }

  #removeCursor(id) {
    if (this.#following === id) this.#follow(null);
    this.#cursors.get(id)?.root.remove();
    this.#cursors.delete(id);
    this.viewChanged();
  }

  #dropPreview(memberId) {
    const preview = this.#previews.get(memberId);
    if (!preview) return;
    this.#previews.delete(memberId);
    if (this.#canvas.board.boxes.has(preview.boxId)) this.#canvas.boxes.render(preview.boxId);
  }
}
