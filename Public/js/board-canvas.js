/**
 * One board (`board.html?id=X`), live on channel `board:X`.
 *
 * The state is the fold of the channel's events (board-model.js); the realtime client
 * resubscribes from the last offset after a reconnect, so the view only has to keep folding.
 * What the page shows for a box is its stored state, overlaid by
 * - someone else's drag in progress (their `pointer` signals; gone after 3 s without news,
 *   or as soon as the box's stored position changes), and
 * - this page's own gesture or unconfirmed change (gone once the server's event for it has
 *   been folded in, or at once when the server refuses it: the box snaps back).
 *
 * Durable changes are commands; cursors and drag previews are signals, at most 10 a second.
 * User and server text reaches the page through textContent only.
 * @module board-canvas
 */
import { RealtimeClient } from './realtime.js';
import { ApiError, actingAs, actingToken, call, sessionReady } from './board-api.js';
import {
  DEFAULT_BOX,
  ID_RULE,
  LIMITS,
  SWATCHES,
  applyEvent,
  clampCoord,
  clampSize,
  clampText,
  cleanName,
  commandFailure,
  emptyBoard,
  isColor,
  isOnTop,
  stackingOrder,
} from './board-model.js';
import {
  clampView,
  colorForId,
  createThrottle,
  forgetRecent,
  initials,
  panBy,
  rememberRecent,
  textColorFor,
  toBoard,
  viewCentre,
  zoomAt,
} from './board-util.js';
import { $, el, showError, showInfo } from './board-ui.js';

const SIGNAL = 'pointer';
const SIGNAL_EVERY_MS = 100;
const PREVIEW_TTL_MS = 3_000;
const CURSOR_TTL_MS = 10_000;
const SWEEP_EVERY_MS = 500;
/** Screen pixels a pointer must travel before a press on a box becomes a drag. */
const DRAG_THRESHOLD = 4;
const AVATARS_SHOWN = 8;
const STATUS_TEXT = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };

const finite = (value) => typeof value === 'number' && Number.isFinite(value);

/**
 * @typedef {{x?: number, y?: number, width?: number, height?: number, text?: string, color?: string}} Fields
 * @typedef {{id: number, fields: Fields, active: boolean, untilOffset: number|null}} Override
 * @typedef {{boxId: string, x: number, y: number, width?: number, height?: number, at: number}} Preview
 */

export function startBoard(boardId) {
  const root = $('board-view');
  const ui = {
    status: $('status'),
    banner: $('banner'),
    name: $('board-name'),
    rename: /** @type {HTMLButtonElement} */ ($('rename')),
    renameForm: /** @type {HTMLFormElement} */ ($('rename-form')),
    renameInput: /** @type {HTMLInputElement} */ ($('rename-input')),
    renameCancel: $('rename-cancel'),
    copyLink: $('copy-link'),
    deleteBoard: /** @type {HTMLButtonElement} */ ($('delete-board')),
    presenceBlock: $('presence-block'),
    presence: $('presence'),
    presenceList: $('presence-list'),
    addBox: /** @type {HTMLButtonElement} */ ($('add-box')),
    selectionTools: $('selection-tools'),
    swatches: $('swatches'),
    editBox: /** @type {HTMLButtonElement} */ ($('edit-box')),
    deleteBox: /** @type {HTMLButtonElement} */ ($('delete-box')),
    zoomIn: $('zoom-in'),
    zoomOut: $('zoom-out'),
    zoomReset: $('zoom-reset'),
    viewport: $('viewport'),
    world: $('world'),
    boxes: $('boxes'),
    cursors: $('cursors'),
    empty: $('empty-hint'),
    loading: $('board-loading'),
    missing: $('board-missing'),
    missingText: $('board-missing-text'),
    deleted: $('board-deleted'),
  };

  root.hidden = false;
  ui.status.hidden = false;
  document.body.classList.add('board-mode');

  if (!ID_RULE.test(boardId)) {
    // Never reaches the server: say why and offer a way on.
    document.title = 'No such board · Huddle';
    ui.name.textContent = 'No such board';
    ui.missingText.textContent = `“${boardId}” is not a board id: ids are 1–128 letters, digits, “_”, “.” or “-”.`;
    root.dataset.state = 'missing';
    for (const node of [ui.loading, ui.viewport, ui.presenceBlock, ...root.querySelectorAll('.board-toolbar')]) node.hidden = true;
    ui.missing.hidden = false;
    ui.status.dataset.status = 'closed';
    ui.status.textContent = 'Not connected';
    return;
  }

  const channel = `board:${boardId}`;
  const storage = globalThis.localStorage;

  /** @type {'loading'|'ready'|'missing'|'deleted'} */
  let phase = 'loading';
  let board = emptyBoard();
  let loadedOnce = false;
  let view = { x: 0, y: 0, zoom: 1 };
  /** @type {string|null} */
  let selected = null;
  /** @type {{boxId: string, textarea: HTMLTextAreaElement}|null} */
  let editing = null;
  /** @type {number|null} select the box added at this offset once it arrives */
  let selectAtOffset = null;
  /** @type {Map<string, {root: HTMLElement, text: HTMLElement}>} */
  const elements = new Map();
  /** @type {Map<string, Override[]>} */
  const overrides = new Map();
  let nextOverride = 1;
  /** @type {Map<string, Preview>} member id → their drag in progress */
  const previews = new Map();
  /** @type {Map<string, {root: HTMLElement, label: HTMLElement, at: number}>} */
  const cursors = new Map();
  /** @type {Map<string, {id: string, name: string}>} */
  let members = new Map();
  /** The pointer's last board position (what cursor signals carry). @type {{x: number, y: number}|null} */
  let pointer = null;
  /** The gesture in progress, if any. */
  let gesture = null;
  /** Background pointers (touch pinch). @type {Map<number, {x: number, y: number}>} */
  const touches = new Map();
  let pinch = null;

  const client = new RealtimeClient({ token: actingToken });
  const throttle = createThrottle((data) => client.signal(channel, SIGNAL, data), SIGNAL_EVERY_MS);

  // --- phases and permissions ----------------------------------------------------------

  function setPhase(next) {
    phase = next;
    root.dataset.state = next;
    ui.loading.hidden = next !== 'loading';
    ui.missing.hidden = next !== 'missing';
    ui.deleted.hidden = next !== 'deleted';
    ui.viewport.hidden = next === 'missing' || next === 'deleted';
    for (const node of root.querySelectorAll('.board-toolbar')) node.hidden = next === 'missing' || next === 'deleted';
    ui.presenceBlock.hidden = next === 'missing';
    if (next === 'missing' || next === 'deleted') {
      cancelEdit();
      select(null);
      forgetRecent(storage, boardId);
    }
    refreshControls();
  }

  const editable = () => phase === 'ready' && client.status === 'open';

  function refreshControls() {
    const can = editable();
    root.dataset.editable = String(can);
    ui.addBox.disabled = !can;
    const box = selected ? board.boxes.get(selected) : undefined;
    const active = Boolean(can && box);
    ui.selectionTools.dataset.active = String(Boolean(box));
    ui.editBox.disabled = !active;
    ui.deleteBox.disabled = !active;
    for (const swatch of ui.swatches.children) {
      const button = /** @type {HTMLButtonElement} */ (swatch);
      button.disabled = !active;
      button.setAttribute('aria-pressed', String(Boolean(box) && displayed(box).color === button.dataset.color));
    }
    ui.empty.hidden = !(phase === 'ready' && board.boxes.size === 0);
    const me = actingAs();
    const mayManage = phase === 'ready' && Boolean(me && (me.admin || (board.owner && board.owner === me.id)));
    ui.rename.hidden = !mayManage || !ui.renameForm.hidden;
    ui.deleteBoard.hidden = !mayManage;
    if (!mayManage) ui.renameForm.hidden = true;
    ui.name.hidden = !ui.renameForm.hidden;
  }

  // --- boxes ---------------------------------------------------------------------------

  /** What the page shows for `box`: stored, then a remote drag, then this page's own. */
  function displayed(box) {
    const shown = { ...box };
    let remoteBy = null;
    for (const [memberId, preview] of previews) {
      if (preview.boxId !== box.id) continue;
      shown.x = preview.x;
      shown.y = preview.y;
      if (finite(preview.width)) shown.width = preview.width;
      if (finite(preview.height)) shown.height = preview.height;
      remoteBy = memberId;
    }
    let active = false;
    for (const override of overrides.get(box.id) ?? []) {
      Object.assign(shown, override.fields);
      active ||= override.active;
    }
    return Object.assign(shown, { remoteBy, active, pending: (overrides.get(box.id)?.length ?? 0) > 0 });
  }

  function boxElement(id) {
    let entry = elements.get(id);
    if (entry) return entry;
    const node = el('div', 'box');
    node.dataset.boxId = id;
    node.setAttribute('role', 'group');
    const text = el('div', 'box-text');
    const handle = el('div', 'box-handle');
    handle.setAttribute('aria-hidden', 'true');
    handle.title = 'Drag to resize';
    node.append(text, handle);
    node.addEventListener('dblclick', (event) => {
      event.preventDefault();
      startEdit(id);
    });
    ui.boxes.append(node);
    entry = { root: node, text };
    elements.set(id, entry);
    return entry;
  }

  function renderBox(id) {
    const box = board.boxes.get(id);
    if (!box) {
      elements.get(id)?.root.remove();
      elements.delete(id);
      overrides.delete(id);
      for (const [memberId, preview] of previews) if (preview.boxId === id) previews.delete(memberId);
      if (selected === id) select(null);
      if (editing?.boxId === id) {
        editing = null;
        showError('Someone deleted the box you were editing.');
      }
      return;
    }
    const shown = displayed(box);
    const { root: node, text } = boxElement(id);
    node.style.transform = `translate(${shown.x}px, ${shown.y}px)`;
    node.style.width = `${shown.width}px`;
    node.style.height = `${shown.height}px`;
    node.style.zIndex = String(Math.max(0, Math.min(1_000_000, Math.round(box.z))));
    const color = isColor(shown.color) ? shown.color : DEFAULT_BOX.color;
    node.style.backgroundColor = color;
    node.style.color = textColorFor(color);
    if (editing?.boxId !== id) text.textContent = shown.text;
    node.setAttribute('aria-label', shown.text ? `Box: ${shown.text.slice(0, 80)}` : 'Empty box');
    node.dataset.x = String(box.x);
    node.dataset.y = String(box.y);
    node.dataset.width = String(box.width);
    node.dataset.height = String(box.height);
    node.dataset.color = box.color;
    node.dataset.z = String(box.z);
    node.classList.toggle('is-selected', selected === id);
    node.classList.toggle('is-dragging', shown.active);
    node.classList.toggle('is-remote', shown.remoteBy !== null && !shown.active);
    if (shown.remoteBy !== null) {
      node.style.setProperty('--held-color', colorForId(shown.remoteBy));
      node.title = `${members.get(shown.remoteBy)?.name ?? 'Someone'} is moving this box`;
    } else {
      node.style.removeProperty('--held-color');
      node.removeAttribute('title');
    }
  }

  function renderAll() {
    const order = stackingOrder(board);
    const ids = new Set(order.map((b) => b.id));
    for (const id of [...elements.keys()]) if (!ids.has(id)) renderBox(id);
    for (const box of order) renderBox(box.id);
    refreshControls();
  }

  function select(id) {
    const before = selected;
    selected = id && board.boxes.has(id) ? id : null;
    if (before && before !== selected && elements.has(before)) renderBox(before);
    if (selected) renderBox(selected);
    refreshControls();
  }

  // --- this page's own changes -----------------------------------------------------------

  /** Shows `fields` on box `id` until confirmed; returns the override (mutable while active). */
  function overlay(id, fields, active) {
    const override = { id: nextOverride++, fields, active, untilOffset: null };
    const list = overrides.get(id) ?? [];
    list.push(override);
    overrides.set(id, list);
    renderBox(id);
    return override;
  }

  function dropOverride(id, override) {
    const list = (overrides.get(id) ?? []).filter((o) => o !== override);
    if (list.length) overrides.set(id, list);
    else overrides.delete(id);
    renderBox(id);
  }

  /** Clears every override whose event has been folded in. */
  function settleOverrides() {
    for (const [id, list] of overrides) {
      const keep = list.filter((o) => o.active || o.untilOffset === null || o.untilOffset > board.offset);
      if (keep.length === list.length) continue;
      if (keep.length) overrides.set(id, keep);
      else overrides.delete(id);
      if (board.boxes.has(id)) renderBox(id);
    }
  }

  /**
   * Sends a command that changes box `id`, showing `fields` until its event arrives; on a
   * refusal the box snaps back to the stored state and the reason is shown.
   */
  function change(id, name, data, fields, action, override = null) {
    const shown = override ?? overlay(id, fields, false);
    shown.fields = fields;
    shown.active = false;
    renderBox(id);
    client.command(channel, name, data).then(
      ({ offset }) => {
        shown.untilOffset = offset;
        settleOverrides();
      },
      (error) => {
        dropOverride(id, shown);
        showError(commandFailure(error?.code, action));
      },
    );
  }

  function run(name, data, action) {
    return client.command(channel, name, data).catch((error) => {
      showError(commandFailure(error?.code, action));
      return null;
    });
  }

  async function addBox() {
    if (!editable()) return;
    const centre = viewCentre(view, viewportSize());
    const data = {
      x: clampCoord(centre.x - DEFAULT_BOX.width / 2),
      y: clampCoord(centre.y - DEFAULT_BOX.height / 2),
      width: DEFAULT_BOX.width,
      height: DEFAULT_BOX.height,
      text: DEFAULT_BOX.text,
      color: DEFAULT_BOX.color,
    };
    // Boxes added one after another step down and right instead of hiding each other.
    const taken = (x, y) => [...board.boxes.values()].some((b) => b.x === x && b.y === y);
    for (let step = 0; step < 40 && taken(data.x, data.y); step++) {
      data.x = clampCoord(data.x + 24);
      data.y = clampCoord(data.y + 24);
    }
    const result = await run('addBox', data, 'Adding a box');
    if (!result) return;
    if (board.offset >= result.offset) selectAdded(result.offset);
    else selectAtOffset = result.offset;
  }

  /** Selects the box whose `boxAdded` was stored at `offset`, if it is known. */
  let lastAdded = { offset: 0, id: '' };
  function selectAdded(offset) {
    if (lastAdded.offset === offset) select(lastAdded.id);
  }

  function raise(id) {
    if (!editable() || isOnTop(board, id)) return;
    run('raiseBox', { boxId: id }, 'Raising the box');
  }

  function recolor(color) {
    const box = selected ? board.boxes.get(selected) : undefined;
    if (!box || !editable() || !isColor(color) || box.color === color) return;
    change(box.id, 'recolorBox', { boxId: box.id, color }, { color }, 'The new colour');
  }

  function deleteSelected() {
    const box = selected ? board.boxes.get(selected) : undefined;
    if (!box || !editable()) return;
    cancelEdit();
    run('deleteBox', { boxId: box.id }, 'Deleting the box');
  }

  // --- editing text ----------------------------------------------------------------------

  function startEdit(id) {
    const box = board.boxes.get(id);
    if (!box || !editable()) return;
    if (editing?.boxId === id) return;
    commitEdit();
    select(id);
    const entry = boxElement(id);
    const textarea = /** @type {HTMLTextAreaElement} */ (el('textarea', 'box-editor'));
    textarea.maxLength = LIMITS.textMax;
    textarea.value = displayed(box).text;
    textarea.setAttribute('aria-label', 'Box text (Ctrl+Enter to save, Escape to cancel)');
    textarea.addEventListener('keydown', (event) => {
      event.stopPropagation();
      if (event.key === 'Escape') {
        event.preventDefault();
        cancelEdit();
        ui.viewport.focus({ preventScroll: true });
      } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        commitEdit();
        ui.viewport.focus({ preventScroll: true });
      }
    });
    textarea.addEventListener('blur', () => commitEdit());
    entry.text.hidden = true;
    entry.root.classList.add('is-editing');
    entry.root.append(textarea);
    editing = { boxId: id, textarea };
    textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  function closeEditor() {
    if (!editing) return null;
    const current = editing;
    editing = null;
    const entry = elements.get(current.boxId);
    current.textarea.remove();
    if (entry) {
      entry.text.hidden = false;
      entry.root.classList.remove('is-editing');
    }
    return current;
  }

  function commitEdit() {
    const current = closeEditor();
    if (!current) return;
    const box = board.boxes.get(current.boxId);
    if (!box) return;
    const text = clampText(current.textarea.value);
    renderBox(box.id);
    if (text === displayed(box).text) return;
    if (client.status !== 'open') {
      showError('Not connected: the text was not saved.');
      return;
    }
    change(box.id, 'editBox', { boxId: box.id, text }, { text }, 'The text');
  }

  function cancelEdit() {
    const current = closeEditor();
    if (current) renderBox(current.boxId);
  }

  // --- the view --------------------------------------------------------------------------

  function viewportSize() {
    return { width: ui.viewport.clientWidth || 1, height: ui.viewport.clientHeight || 1 };
  }

  function setView(next) {
    view = clampView(next, viewportSize());
    ui.world.style.transform = `translate(${-view.x * view.zoom}px, ${-view.y * view.zoom}px) scale(${view.zoom})`;
    ui.world.style.setProperty('--inv-zoom', String(1 / view.zoom));
    ui.zoomReset.textContent = `${Math.round(view.zoom * 100)}%`;
    root.dataset.zoom = String(view.zoom);
  }

  function zoomBy(factor, sx, sy) {
    const size = viewportSize();
    setView(zoomAt(view, view.zoom * factor, sx ?? size.width / 2, sy ?? size.height / 2, size));
  }

  /** On first load: show the top-left of the boxes, or the board's corner. */
  function frameBoxes() {
    const boxes = [...board.boxes.values()];
    if (!boxes.length) return setView({ x: 0, y: 0, zoom: view.zoom });
    const left = Math.min(...boxes.map((b) => b.x));
    const top = Math.min(...boxes.map((b) => b.y));
    setView({ x: left - 40 / view.zoom, y: top - 40 / view.zoom, zoom: view.zoom });
  }

  function local(event) {
    const rect = ui.viewport.getBoundingClientRect();
    return { sx: event.clientX - rect.left, sy: event.clientY - rect.top };
  }

  // --- pointer: cursors, pan, drag, resize ------------------------------------------------

  function sendPointer(drag) {
    if (!pointer || phase !== 'ready') return;
    const data = { x: Math.round(pointer.x), y: Math.round(pointer.y) };
    if (drag) data.drag = drag;
    throttle.push(data);
  }

  function dragInfo() {
    if (!gesture || !gesture.moved || (gesture.kind !== 'drag' && gesture.kind !== 'resize')) return null;
    const fields = gesture.override.fields;
    const box = board.boxes.get(gesture.boxId);
    if (!box) return null;
    const drag = { boxId: gesture.boxId, x: fields.x ?? box.x, y: fields.y ?? box.y };
    if (gesture.kind === 'resize') {
      drag.width = fields.width;
      drag.height = fields.height;
    }
    return drag;
  }

  ui.viewport.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 && event.pointerType === 'mouse') return;
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest('.box-editor')) return; // typing, selecting text
    if (editing) commitEdit();
    event.preventDefault();
    ui.viewport.focus({ preventScroll: true });
    const { sx, sy } = local(event);
    pointer = toBoard(view, sx, sy);
    const boxNode = /** @type {HTMLElement|null} */ (target.closest('.box'));
    const boxId = boxNode?.dataset.boxId;
    // A press that never moved and whose release went elsewhere is over.
    if (gesture && gesture.kind !== 'pan' && !gesture.moved) gesture = null;
    if (boxId && board.boxes.has(boxId) && !gesture) {
      select(boxId);
      if (!editable()) return;
      const box = board.boxes.get(boxId);
      const shown = displayed(box);
      raise(boxId);
      gesture = {
        kind: target.closest('.box-handle') ? 'resize' : 'drag',
        pointerId: event.pointerId,
        boxId,
        startX: event.clientX,
        startY: event.clientY,
        from: { x: shown.x, y: shown.y, width: shown.width, height: shown.height },
        moved: false,
        override: null,
      };
      // The pointer is captured only once the press becomes a drag: a capture now would
      // retarget the click and double-click (edit) to the viewport.
      return;
    }
    // The background: pan (one pointer) or pinch (two touches).
    if (!boxId) select(null);
    touches.set(event.pointerId, { x: sx, y: sy });
    ui.viewport.setPointerCapture(event.pointerId);
    if (touches.size === 2) {
      gesture = null;
      const [a, b] = [...touches.values()];
      pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, zoom: view.zoom, view };
    } else if (!gesture) {
      gesture = { kind: 'pan', pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, from: view };
      ui.viewport.classList.add('is-panning');
    }
  });

  ui.viewport.addEventListener('pointermove', (event) => {
    const { sx, sy } = local(event);
    if (touches.has(event.pointerId)) touches.set(event.pointerId, { x: sx, y: sy });
    if (pinch && touches.size >= 2) {
      const [a, b] = [...touches.values()];
      const distance = Math.hypot(a.x - b.x, a.y - b.y) || 1;
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      setView(zoomAt(pinch.view, pinch.zoom * (distance / pinch.distance), mid.x, mid.y, viewportSize()));
      return;
    }
    pointer = toBoard(view, sx, sy);
    if (gesture && gesture.pointerId === event.pointerId) {
      const dx = event.clientX - gesture.startX;
      const dy = event.clientY - gesture.startY;
      if (gesture.kind === 'pan') {
        setView(panBy(gesture.from, dx, dy, viewportSize()));
        pointer = toBoard(view, sx, sy);
      } else {
        if (!gesture.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) {
          sendPointer(null);
          return;
        }
        if (!board.boxes.has(gesture.boxId)) {
          gesture = null;
          return;
        }
        const fields =
          gesture.kind === 'drag'
            ? { x: clampCoord(gesture.from.x + dx / view.zoom), y: clampCoord(gesture.from.y + dy / view.zoom) }
            : {
                width: clampSize(gesture.from.width + dx / view.zoom),
                height: clampSize(gesture.from.height + dy / view.zoom),
              };
        if (!gesture.moved) {
          gesture.moved = true;
          gesture.override = overlay(gesture.boxId, fields, true);
          try {
            ui.viewport.setPointerCapture(event.pointerId);
          } catch {
            // the pointer is already gone; pointerup ends the drag
          }
        } else {
          gesture.override.fields = fields;
          renderBox(gesture.boxId);
        }
      }
    }
    sendPointer(dragInfo());
  });

  function endGesture(event, cancelled) {
    touches.delete(event.pointerId);
    if (touches.size < 2) pinch = null;
    if (!gesture || gesture.pointerId !== event.pointerId) return;
    const done = gesture;
    gesture = null;
    ui.viewport.classList.remove('is-panning');
    if (done.kind === 'pan' || !done.moved) return;
    throttle.cancel(); // the drop below supersedes a drag position still waiting
    const box = board.boxes.get(done.boxId);
    if (!box || cancelled || !editable()) {
      dropOverride(done.boxId, done.override);
      if (!cancelled && box) showError('Not connected: the box went back where it was.');
      sendPointer(null);
      return;
    }
    const fields = done.override.fields;
    if (done.kind === 'drag') {
      if (fields.x === box.x && fields.y === box.y) dropOverride(done.boxId, done.override);
      else change(box.id, 'moveBox', { boxId: box.id, x: fields.x, y: fields.y }, fields, 'The move', done.override);
    } else if (fields.width === box.width && fields.height === box.height) {
      dropOverride(done.boxId, done.override);
    } else {
      const data = { boxId: box.id, width: fields.width, height: fields.height };
      change(box.id, 'resizeBox', data, fields, 'The new size', done.override);
    }
    sendPointer(null); // others: this member's drag is over
  }

  // On the window: a release outside the viewport (before any capture) ends the press too.
  addEventListener('pointerup', (event) => endGesture(event, false));
  addEventListener('pointercancel', (event) => endGesture(event, true));
  ui.viewport.addEventListener('lostpointercapture', (event) => {
    if (gesture?.pointerId === event.pointerId) endGesture(event, false);
  });

  ui.viewport.addEventListener(
    'wheel',
    (event) => {
      if (phase !== 'ready') return;
      event.preventDefault();
      const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? viewportSize().height : 1;
      const { sx, sy } = local(event);
      if (event.ctrlKey || event.metaKey) {
        zoomBy(Math.exp((-event.deltaY * unit) / 300), sx, sy);
      } else {
        setView(panBy(view, -event.deltaX * unit, -event.deltaY * unit, viewportSize()));
      }
      pointer = toBoard(view, sx, sy);
      sendPointer(dragInfo());
    },
    { passive: false },
  );

  addEventListener('resize', () => setView(view));

  // --- keyboard ----------------------------------------------------------------------------

  document.addEventListener('keydown', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
    if (event.key === 'Escape') {
      if (!ui.renameForm.hidden) return;
      select(null);
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && selected) {
      if (target.closest('button, a')) return;
      event.preventDefault();
      deleteSelected();
    } else if (event.key === 'Enter' && selected && !target.closest('button, a')) {
      event.preventDefault();
      startEdit(selected);
    }
  });

  // --- toolbar -----------------------------------------------------------------------------

  ui.swatches.replaceChildren(
    ...SWATCHES.map((color) => {
      const button = /** @type {HTMLButtonElement} */ (el('button', 'swatch'));
      button.type = 'button';
      button.dataset.color = color;
      button.style.backgroundColor = color;
      button.title = `Colour ${color}`;
      button.setAttribute('aria-label', `Colour ${color}`);
      button.disabled = true;
      button.addEventListener('click', () => recolor(color));
      return button;
    }),
  );
  ui.addBox.addEventListener('click', addBox);
  ui.editBox.addEventListener('click', () => selected && startEdit(selected));
  ui.deleteBox.addEventListener('click', deleteSelected);
  ui.zoomIn.addEventListener('click', () => zoomBy(1.25));
  ui.zoomOut.addEventListener('click', () => zoomBy(0.8));
  ui.zoomReset.addEventListener('click', () => zoomBy(1 / view.zoom));

  // --- the board's own controls ---------------------------------------------------------------

  ui.copyLink.addEventListener('click', async () => {
    const url = new URL(`board.html?id=${encodeURIComponent(boardId)}`, document.baseURI).href;
    try {
      await navigator.clipboard.writeText(url);
      showInfo('Link copied: share it to work on this board together.');
    } catch {
      const field = /** @type {HTMLInputElement} */ (el('input', 'visually-hidden'));
      field.value = url;
      document.body.append(field);
      field.select();
      const copied = document.execCommand?.('copy');
      field.remove();
      if (copied) showInfo('Link copied: share it to work on this board together.');
      else showInfo(`Share this link: ${url}`);
    }
  });

  ui.rename.addEventListener('click', () => {
    ui.renameInput.value = board.name ?? '';
    ui.renameForm.hidden = false;
    refreshControls();
    ui.renameInput.focus();
    ui.renameInput.select();
  });

  function closeRename() {
    ui.renameForm.hidden = true;
    ui.renameInput.removeAttribute('aria-invalid');
    refreshControls();
  }

  ui.renameCancel.addEventListener('click', closeRename);
  ui.renameInput.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      closeRename();
    }
  });

  ui.renameForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = cleanName(ui.renameInput.value);
    if (name === null) {
      ui.renameInput.setAttribute('aria-invalid', 'true');
      showError(`A board’s name is 1–${LIMITS.nameMax} characters.`);
      return;
    }
    if (name === board.name) return closeRename();
    try {
      await call('PATCH', `boards/${encodeURIComponent(boardId)}`, { name });
      closeRename();
      showInfo('Renamed.');
    } catch (error) {
      showError(httpFailure(error, 'rename'));
    }
  });

  ui.deleteBoard.addEventListener('click', async () => {
    if (!confirm(`Delete “${board.name ?? boardId}” for everyone? This cannot be undone.`)) return;
    ui.deleteBoard.disabled = true;
    try {
      await call('DELETE', `boards/${encodeURIComponent(boardId)}`);
      // The boardDeleted event says so too; the owner need not wait for it.
      board.deleted = true;
      board.boxes.clear();
      onBoardEvent();
    } catch (error) {
      showError(httpFailure(error, 'delete'));
    } finally {
      ui.deleteBoard.disabled = false;
    }
  });

  function httpFailure(error, what) {
    if (error instanceof ApiError) {
      if (error.status === 403) return `Only the board’s owner or an admin can ${what} it.`;
      if (error.status === 404) return 'This board no longer exists.';
      if (error.status === 400) return error.fields?.name || error.message;
    }
    return `Could not ${what} the board: ${error?.message || 'network error'}`;
  }

  // --- presence and cursors -------------------------------------------------------------

  function renderPresence(list) {
    members = new Map(list.filter((m) => m && typeof m.id === 'string').map((m) => [m.id, m]));
    for (const id of [...cursors.keys()]) if (!members.has(id)) removeCursor(id);
    for (const id of [...previews.keys()]) if (!members.has(id)) dropPreview(id);
    const me = client.welcome?.connectionId;
    const sorted = [...members.values()].sort((a, b) => (b.id === me) - (a.id === me));
    const n = sorted.length;
    ui.presence.textContent = n === 1 ? 'Only you' : `${n} here`;
    ui.presence.dataset.count = String(n);
    const shown = sorted.slice(0, AVATARS_SHOWN).map((member) => {
      const name = String(member.name ?? '');
      const item = el('li', 'avatar', initials(name));
      item.dataset.memberId = member.id;
      item.dataset.name = name;
      item.style.backgroundColor = colorForId(member.id);
      item.title = member.id === me ? `${name} (you)` : name;
      item.setAttribute('aria-label', item.title);
      if (member.id === me) item.classList.add('is-you');
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

  function removeCursor(id) {
    cursors.get(id)?.root.remove();
    cursors.delete(id);
  }

  function dropPreview(memberId) {
    const preview = previews.get(memberId);
    if (!preview) return;
    previews.delete(memberId);
    if (board.boxes.has(preview.boxId)) renderBox(preview.boxId);
  }

  function showCursor(from, x, y) {
    let cursor = cursors.get(from.id);
    if (!cursor) {
      const node = el('div', 'cursor');
      node.dataset.memberId = from.id;
      node.style.setProperty('--member-color', colorForId(from.id));
      const arrow = el('span', 'cursor-arrow');
      const label = el('span', 'cursor-label');
      node.append(arrow, label);
      ui.cursors.append(node);
      cursor = { root: node, label, at: 0 };
      cursors.set(from.id, cursor);
    }
    const name = String(members.get(from.id)?.name ?? from.name ?? 'Someone');
    if (cursor.label.textContent !== name) cursor.label.textContent = name;
    cursor.root.style.transform = `translate(${x}px, ${y}px) scale(var(--inv-zoom, 1))`;
    cursor.at = Date.now();
  }

  function onSignal(frame) {
    if (frame.name !== SIGNAL || phase !== 'ready') return;
    const from = frame.from;
    const data = frame.data;
    if (!from || typeof from.id !== 'string' || !data || !finite(data.x) || !finite(data.y)) return;
    if (from.id === client.welcome?.connectionId) return;
    if (members.size && !members.has(from.id)) return; // left already: no ghosts
    showCursor(from, clampCoord(data.x), clampCoord(data.y));
    const drag = data.drag;
    const previous = previews.get(from.id);
    if (drag && typeof drag.boxId === 'string' && board.boxes.has(drag.boxId) && finite(drag.x) && finite(drag.y)) {
      const preview = { boxId: drag.boxId, x: clampCoord(drag.x), y: clampCoord(drag.y), at: Date.now() };
      if (finite(drag.width) && finite(drag.height)) {
        preview.width = clampSize(drag.width);
        preview.height = clampSize(drag.height);
      }
      previews.set(from.id, preview);
      if (previous && previous.boxId !== drag.boxId) renderBox(previous.boxId);
      renderBox(drag.boxId);
    }
    // Without a drag the preview stays until the drop's event arrives (or it times out), so
    // the box does not jump back while the durable move is on its way.
  }

  /** Forgets drags and cursors nobody updated for a while. */
  setInterval(() => {
    const now = Date.now();
    for (const [id, preview] of previews) if (now - preview.at > PREVIEW_TTL_MS) dropPreview(id);
    for (const [id, cursor] of cursors) if (now - cursor.at > CURSOR_TTL_MS) removeCursor(id);
  }, SWEEP_EVERY_MS);

  function clearRemote() {
    for (const id of [...cursors.keys()]) removeCursor(id);
    for (const id of [...previews.keys()]) dropPreview(id);
  }

  // --- events ------------------------------------------------------------------------------

  function onEvent(event) {
    const what = applyEvent(board, event);
    root.dataset.offset = String(board.offset);
    if (!what) return;
    if (what.kind === 'box') {
      // The stored position moved: a remote preview of it is over.
      if (event.name === 'boxMoved' || event.name === 'boxResized' || event.name === 'boxDeleted') {
        for (const [memberId, preview] of previews) if (preview.boxId === what.boxId) previews.delete(memberId);
      }
      if (event.name === 'boxAdded') lastAdded = { offset: event.offset, id: what.boxId };
      renderBox(what.boxId);
    } else if (what.kind === 'board') {
      onBoardEvent();
    }
    settleOverrides();
    if (selectAtOffset !== null && board.offset >= selectAtOffset) {
      selectAdded(selectAtOffset);
      selectAtOffset = null;
    }
    if (event.name === 'boxAdded' || event.name === 'boxDeleted') refreshControls();
  }

  function onBoardEvent() {
    if (board.deleted) {
      renderAll();
      if (phase !== 'deleted') {
        setPhase('deleted');
        document.title = 'Board deleted · Huddle';
      }
      // Nothing more will happen on it: leave (presence updates for the others too).
      queueMicrotask(() => {
        subscription.unsubscribe();
        client.close();
      });
      return;
    }
    const name = board.name || 'Untitled board';
    ui.name.textContent = name;
    document.title = `${name} · Board · Huddle`;
    if (loadedOnce) rememberRecent(storage, { id: boardId, name });
    refreshControls();
  }

  let subscription = subscribe();

  function subscribe() {
    return client.subscribe(channel, {
      onEvent,
      onSubscribed(frame) {
        if (frame.offset < board.offset) {
          // The channel was reset (its data wiped): start again from nothing.
          board = emptyBoard();
          root.dataset.offset = '0';
          renderAll();
          subscription.unsubscribe();
          subscription = subscribe();
          return;
        }
        if (board.deleted) return onBoardEvent();
        if (!board.exists) return showMissing();
        const first = !loadedOnce;
        loadedOnce = true;
        if (phase !== 'ready') setPhase('ready');
        if (first) {
          frameBoxes();
          rememberRecent(storage, { id: boardId, name: board.name ?? '' });
        }
        renderAll();
        onBoardEvent();
      },
      onPresence: renderPresence,
      onSignal,
      onError(error) {
        // The server refuses to subscribe to a board that does not exist (`not_found`) or
        // was deleted (`gone`).
        if (error.code === 'not_found' && !loadedOnce) return showMissing();
        if (error.code === 'gone') {
          board.deleted = true;
          return onBoardEvent();
        }
        showError(`Board error: ${error.message || error.code}`);
      },
    });
  }

  function showMissing() {
    setPhase('missing');
    document.title = 'No such board · Huddle';
    ui.name.textContent = 'No such board';
    subscription.unsubscribe();
    client.close();
  }

  client.onStatus((status) => {
    ui.status.dataset.status = status;
    ui.status.textContent = STATUS_TEXT[status] ?? status;
    ui.banner.hidden = status !== 'reconnecting' || phase === 'missing' || phase === 'deleted';
    ui.presenceBlock.classList.toggle('is-stale', status !== 'open');
    if (status !== 'open') {
      clearRemote();
      if (gesture && gesture.kind !== 'pan') {
        const done = gesture;
        gesture = null;
        if (done.override) dropOverride(done.boxId, done.override);
      }
    }
    refreshControls();
  });
  client.onError((error) => showError(`Server error: ${error.message || error.code}`));

  setPhase('loading');
  setView(view);
  // The owner's controls depend on who this page is, known once the session is.
  sessionReady().then(refreshControls);
  client.connect();

  addEventListener('pagehide', () => client.close());
  addEventListener('pageshow', (event) => {
    if (event.persisted && phase !== 'missing' && phase !== 'deleted') client.connect();
  });
}
