/**
 * Small pure helpers of the Board page: a throttle with a trailing send, member colours and
 * initials, the "recently opened" list, and the view's pan/zoom arithmetic.
 * @module board-util
 */

// --- throttle ------------------------------------------------------------------------------

/**
 * Calls `send(value)` at most once per `intervalMs`. A value pushed too soon is kept and
 * sent when the interval is over (the latest one wins), so the last position always goes out.
 * @template T
 * @param {(value: T) => void} send
 * @param {number} intervalMs
 * @param {{now?: () => number, setTimeout?: typeof setTimeout, clearTimeout?: typeof clearTimeout}} [clock]
 */
export function createThrottle(send, intervalMs, clock = {}) {
  const now = clock.now ?? (() => Date.now());
  const schedule = clock.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
  const unschedule = clock.clearTimeout ?? ((id) => clearTimeout(id));
  let last = -Infinity;
  let timer = null;
  let pending = null;
  let hasPending = false;

  function fire() {
    timer = null;
    if (!hasPending) return;
    const value = pending;
    hasPending = false;
    pending = null;
    last = now();
    send(value);
  }

  return {
    /** @param {T} value */
    push(value) {
      pending = value;
      hasPending = true;
      const wait = last + intervalMs - now();
      if (wait <= 0 && timer === null) fire();
      else if (timer === null) timer = schedule(fire, Math.max(0, wait));
    },
    /** Forgets a value waiting to be sent. */
    cancel() {
      hasPending = false;
      pending = null;
      if (timer !== null) unschedule(timer);
      timer = null;
    },
    get pending() {
      return hasPending;
    },
  };
}

// --- members -----------------------------------------------------------------------------

/** A stable hue (0–359) for an id: FNV-1a over its UTF-16 units. */
export function hueForId(id) {
  let hash = 0x811c9dc5;
  for (const unit of String(id ?? '')) {
    hash ^= unit.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 360;
}

/** A CSS colour for a member id, readable under white text. */
export function colorForId(id) {
  return colorForHue(hueForId(id));
}

/** The CSS colour of a hue (0–359) that members are shown in; a bad hue is grey. */
export function colorForHue(hue) {
  return Number.isInteger(hue) && hue >= 0 && hue < 360 ? `hsl(${hue} 65% 42%)` : 'hsl(210 10% 45%)';
}

/** A guest's name as the server makes them: a first name and two characters ("Ada k3"). */
const GUEST_NAME = /^(\p{L}+) [a-z2-9]{2}$/u;

/**
 * One or two letters for a display name ("Mary Ann Lee" → "ML", "bob" → "B"); a guest's
 * ("Ada k3") gets the first two letters of the first name ("Ad"), not "A" and a random
 * character.
 */
export function initials(name) {
  const guest = GUEST_NAME.exec(String(name ?? '').trim());
  if (guest) {
    const letters = [...guest[1]];
    return letters[0].toUpperCase() + (letters[1] ?? '').toLowerCase();
  }
  const words = String(name ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]][0] ?? '';
  const second = words.length > 1 ? ([...words[words.length - 1]][0] ?? '') : '';
  return (first + second).toUpperCase();
}

/** `#111827` or `#ffffff`, whichever reads better on the `#rrggbb` background. */
export function textColorFor(background) {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(String(background));
  if (!match) return '#111827';
  const [r, g, b] = match.slice(1).map((hex) => {
    const c = parseInt(hex, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.3 ? '#111827' : '#ffffff';
}

// --- recently opened ---------------------------------------------------------------------

export const RECENT_KEY = 'huddle.board.recent';
export const RECENT_MAX = 20;

/**
 * The boards this browser opened, newest first: `[{id, name, openedAt}]`. Anything
 * malformed in storage is dropped.
 * @param {Pick<Storage, 'getItem'>|null|undefined} storage
 */
export function loadRecent(storage) {
  let list;
  try {
    list = JSON.parse(storage?.getItem(RECENT_KEY) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list
    .filter((item) => item && typeof item.id === 'string' && item.id && typeof item.name === 'string')
    .map((item) => ({ id: item.id, name: item.name, openedAt: Number(item.openedAt) || 0 }))
    .slice(0, RECENT_MAX);
}

function saveRecent(storage, list) {
  try {
    storage?.setItem(RECENT_KEY, JSON.stringify(list.slice(0, RECENT_MAX)));
  } catch {
    // storage full or disabled: the list is a convenience only
  }
}

/** Puts a board first in the recent list (or updates its name). Returns the new list. */
export function rememberRecent(storage, board, now = Date.now()) {
  const list = loadRecent(storage).filter((item) => item.id !== board.id);
  list.unshift({ id: board.id, name: String(board.name ?? ''), openedAt: now });
  saveRecent(storage, list);
  return list.slice(0, RECENT_MAX);
}

/** Removes a board (deleted, or gone) from the recent list. Returns the new list. */
export function forgetRecent(storage, id) {
  const list = loadRecent(storage).filter((item) => item.id !== id);
  saveRecent(storage, list);
  return list;
}

// --- view --------------------------------------------------------------------------------

export const BOARD_SIZE = 10_000;
export const ZOOM_MIN = 0.25;
export const ZOOM_MAX = 2;
/** How far (screen pixels) the view may go past the board's edges. */
export const VIEW_MARGIN = 200;

/**
 * The view: the board point at the viewport's top-left corner (`x`, `y`) and the zoom.
 * @typedef {{x: number, y: number, zoom: number}} View
 * @typedef {{width: number, height: number}} Size
 */

/** Board coordinates of a point `sx, sy` in the viewport (pixels from its top-left). */
export function toBoard(view, sx, sy) {
  return { x: view.x + sx / view.zoom, y: view.y + sy / view.zoom };
}

/** Viewport pixels of a board point. */
export function toScreen(view, bx, by) {
  return { x: (bx - view.x) * view.zoom, y: (by - view.y) * view.zoom };
}

/** `view` kept within the board (plus a margin): returns a new view. */
export function clampView(view, size) {
  const zoom = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, view.zoom));
  const margin = VIEW_MARGIN / zoom;
  const spanX = size.width / zoom;
  const spanY = size.height / zoom;
  const fit = (value, span) => {
    const low = -margin;
    const high = BOARD_SIZE + margin - span;
    return high < low ? (BOARD_SIZE - span) / 2 : Math.min(high, Math.max(low, value));
  };
  return { x: fit(view.x, spanX), y: fit(view.y, spanY), zoom };
}

/** Moves the view by a drag of `dx, dy` screen pixels (content follows the pointer). */
export function panBy(view, dx, dy, size) {
  return clampView({ x: view.x - dx / view.zoom, y: view.y - dy / view.zoom, zoom: view.zoom }, size);
}

/** Zooms to `zoom`, keeping the board point under viewport pixel `sx, sy` where it is. */
export function zoomAt(view, zoom, sx, sy, size) {
  const target = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, zoom));
  const anchor = toBoard(view, sx, sy);
  return clampView({ x: anchor.x - sx / target, y: anchor.y - sy / target, zoom: target }, size);
}

/** The board point at the centre of the viewport. */
export function viewCentre(view, size) {
  return toBoard(view, size.width / 2, size.height / 2);
}
