/**
 * The Board's state as a fold of its channel's events (`board:{id}`, docs/PROTOCOL.md), and
 * the limits a command must respect. Pure: no DOM, no network.
 *
 * The fold is idempotent per offset: an event at or below the last applied offset is
 * ignored, so a replay after a reconnect can never apply anything twice.
 * @module board-model
 */

export const LIMITS = Object.freeze({
  coordMin: 0,
  coordMax: 10_000,
  sizeMin: 20,
  sizeMax: 4_000,
  textMax: 2_000,
  nameMax: 80,
  boxesMax: 2_000,
});

export const DEFAULT_BOX = Object.freeze({ width: 300, height: 200, text: 'Drag me', color: '#fde68a' });

/** The swatches offered for recolouring (all `#rrggbb`, lower case, light enough for dark text). */
export const SWATCHES = Object.freeze(['#fde68a', '#fed7aa', '#fecaca', '#fbcfe8', '#ddd6fe', '#bfdbfe', '#bbf7d0', '#e5e7eb']);

const COLOR_RULE = /^#[0-9a-f]{6}$/;
/** Board ids are channel ids: 1–128 of `A-Z a-z 0-9 _ . -`. */
export const ID_RULE = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * @typedef {{id: string, x: number, y: number, width: number, height: number, text: string,
 *   color: string, z: number}} Box
 * @typedef {{exists: boolean, deleted: boolean, name: string|null, owner: string|null,
 *   offset: number, boxes: Map<string, Box>}} Board
 */

/** A board before any event: it does not exist (yet). @returns {Board} */
export function emptyBoard() {
  return { exists: false, deleted: false, name: null, owner: null, offset: 0, boxes: new Map() };
}

const finite = (value) => typeof value === 'number' && Number.isFinite(value);

function clamp(value, min, max) {
  return Math.min(max, Math.max(min, value));
}

/** A coordinate within the board (0…10000), rounded to a whole pixel. */
export function clampCoord(value) {
  return clamp(Math.round(finite(value) ? value : 0), LIMITS.coordMin, LIMITS.coordMax);
}

/** A width or height within 20…4000, rounded to a whole pixel. */
export function clampSize(value) {
  return clamp(Math.round(finite(value) ? value : LIMITS.sizeMin), LIMITS.sizeMin, LIMITS.sizeMax);
}

/** Text cut to 2000 characters (Unicode scalars, as the server counts close enough). */
export function clampText(text) {
  const chars = [...String(text ?? '')];
  return chars.length <= LIMITS.textMax ? chars.join('') : chars.slice(0, LIMITS.textMax).join('');
}

/** Whether `color` is `#rrggbb` in lower case (the only form the server accepts). */
export function isColor(color) {
  return typeof color === 'string' && COLOR_RULE.test(color);
}

/** `#RRGGBB` or `#rgb` in any case as `#rrggbb`, or null. */
export function normalizeColor(color) {
  if (typeof color !== 'string') return null;
  let hex = color.trim().toLowerCase();
  if (/^#[0-9a-f]{3}$/.test(hex)) hex = `#${[...hex.slice(1)].map((c) => c + c).join('')}`;
  return COLOR_RULE.test(hex) ? hex : null;
}

/** A board name as the server takes it (trimmed, 1–80 characters), or null. */
export function cleanName(name) {
  const trimmed = String(name ?? '').trim();
  const length = [...trimmed].length;
  return length >= 1 && length <= LIMITS.nameMax ? trimmed : null;
}

/** A box from event data, with every field checked; null when it is not a box. */
export function boxFromData(data) {
  if (!data || typeof data.id !== 'string' || !data.id) return null;
  return {
    id: data.id,
    x: finite(data.x) ? data.x : 0,
    y: finite(data.y) ? data.y : 0,
    width: finite(data.width) ? data.width : DEFAULT_BOX.width,
    height: finite(data.height) ? data.height : DEFAULT_BOX.height,
    text: typeof data.text === 'string' ? data.text : '',
    color: isColor(data.color) ? data.color : DEFAULT_BOX.color,
    z: finite(data.z) ? data.z : 0,
  };
}

/**
 * Folds one event into `board` (mutating it). Returns what changed, or null when the event
 * was skipped (an offset already applied). Unknown event names move the offset only.
 * @param {Board} board
 * @param {{offset: number, name: string, data: any}} event
 * @returns {null | {kind: 'board'|'box'|'none', boxId?: string, name: string}}
 */
export function applyEvent(board, event) {
  if (!event || !finite(event.offset) || event.offset <= board.offset) return null;
  board.offset = event.offset;
  const data = event.data && typeof event.data === 'object' ? event.data : {};
  const box = typeof data.boxId === 'string' ? board.boxes.get(data.boxId) : undefined;
  const changed = (kind, boxId) => ({ kind, boxId, name: event.name });
  switch (event.name) {
    case 'boardCreated':
      board.exists = true;
      board.deleted = false;
      board.name = typeof data.name === 'string' ? data.name : '';
      board.owner = typeof data.owner === 'string' ? data.owner : null;
      return changed('board');
    case 'boardRenamed':
      if (typeof data.name === 'string') board.name = data.name;
      return changed('board');
    case 'boardDeleted':
      board.deleted = true;
      board.boxes.clear();
      return changed('board');
    case 'boxAdded': {
      const added = boxFromData(data);
      if (!added) return changed('none');
      board.boxes.set(added.id, added);
      return changed('box', added.id);
    }
    case 'boxMoved':
      if (!box || !finite(data.x) || !finite(data.y)) return changed('none');
      box.x = data.x;
      box.y = data.y;
      return changed('box', box.id);
    case 'boxResized':
      if (!box || !finite(data.width) || !finite(data.height)) return changed('none');
      box.width = data.width;
      box.height = data.height;
      return changed('box', box.id);
    case 'boxEdited':
      if (!box || typeof data.text !== 'string') return changed('none');
      box.text = data.text;
      return changed('box', box.id);
    case 'boxRecolored':
      if (!box || !isColor(data.color)) return changed('none');
      box.color = data.color;
      return changed('box', box.id);
    case 'boxRaised':
      if (!box || !finite(data.z)) return changed('none');
      box.z = data.z;
      return changed('box', box.id);
    case 'boxDeleted':
      if (!box) return changed('none');
      board.boxes.delete(box.id);
      return changed('box', box.id);
    default:
      return changed('none');
  }
}

/** The boxes bottom to top. @param {Board} board */
export function stackingOrder(board) {
  return [...board.boxes.values()].sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : 1));
}

/** Whether `boxId` is already the topmost box (then a grab need not raise it). */
export function isOnTop(board, boxId) {
  const box = board.boxes.get(boxId);
  if (!box) return false;
  for (const other of board.boxes.values()) if (other !== box && other.z >= box.z) return false;
  return true;
}

/** A sentence for a refused or failed board command (`RealtimeError.code`). */
export function commandFailure(code, action = 'That change') {
  switch (code) {
    case 'locked':
      return 'Someone else is moving this box. Try again in a moment.';
    case 'not_found':
      return 'That box is gone: someone deleted it.';
    case 'bad_request':
      return `${action} was refused: it is outside the board’s limits.`;
    case 'board_full':
      return `This board is full (at most ${LIMITS.boxesMax} boxes).`;
    case 'rate_limited':
      return 'Too many changes at once: slow down a little.';
    case 'unavailable':
      return 'The board store is unavailable right now. Try again in a moment.';
    case 'conflict':
      return 'Too many people changed the board at once. Try again.';
    case 'forbidden':
      return 'You may not change this board.';
    case 'disconnected':
    case 'timeout':
      return 'The server did not confirm the change. If it went through, the board will catch up.';
    default:
      return `${action} failed (${code || 'unknown error'}).`;
  }
}
