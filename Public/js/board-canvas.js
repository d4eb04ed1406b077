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
 *
 * This module holds the board's state, its phases and the subscription; the parts it is
 * made of each get the {@link BoardCanvas} and reach the others through it:
 * board-boxes (the boxes' DOM), board-commands (this page's changes), board-editor (box
 * text), board-viewport (pan and zoom), board-pointer (gestures and pointer signals),
 * board-presence (who is here, their cursors and drags), board-toolbar and board-header.
 * @module board-canvas
 */
import { RealtimeClient } from './realtime.js';
import { actingToken, sessionReady } from './board-api.js';
import { ID_RULE, applyEvent, emptyBoard } from './board-model.js';
import { forgetRecent, rememberRecent } from './board-util.js';
import { $, showError } from './board-ui.js';
import { BoxLayer } from './board-boxes.js';
import { Commands } from './board-commands.js';
import { Undo } from './board-undo.js';
import { TextEditor } from './board-editor.js';
import { Viewport } from './board-viewport.js';
import { PointerInput } from './board-pointer.js';
import { Presence } from './board-presence.js';
import { Toolbar } from './board-toolbar.js';
import { BoardHeader } from './board-header.js';

const STATUS_TEXT = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };

/** The page's elements, looked up once. */
function findParts() {
  return {
    root: $('board-view'),
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
    undo: /** @type {HTMLButtonElement} */ ($('undo')),
    redo: /** @type {HTMLButtonElement} */ ($('redo')),
    selectionTools: $('selection-tools'),
    swatches: $('swatches'),
    editBox: /** @type {HTMLButtonElement} */ ($('edit-box')),
    deleteBox: /** @type {HTMLButtonElement} */ ($('delete-box')),
    zoomIn: $('zoom-in'),
    zoomOut: $('zoom-out'),
    zoomReset: $('zoom-reset'),
    zoomFit: $('zoom-fit'),
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
}

/** @typedef {ReturnType<typeof findParts>} BoardUI */

export function startBoard(boardId) {
  const ui = findParts();
  ui.root.hidden = false;
  ui.status.hidden = false;
  document.body.classList.add('board-mode');
  if (ID_RULE.test(boardId)) new BoardCanvas(boardId, ui).start();
  else showBadId(boardId, ui);
}

/** An id the server would refuse never reaches it: say why and offer a way on. */
function showBadId(boardId, ui) {
  document.title = 'No such board · Huddle';
  ui.name.textContent = 'No such board';
  ui.missingText.textContent = `“${boardId}” is not a board id: ids are 1–128 letters, digits, “_”, “.” or “-”.`;
  ui.root.dataset.state = 'missing';
  for (const node of [ui.loading, ui.viewport, ui.presenceBlock, ...ui.root.querySelectorAll('.board-toolbar')]) node.hidden = true;
  ui.missing.hidden = false;
  ui.status.dataset.status = 'closed';
  ui.status.textContent = 'Not connected';
}

/** One open board: its folded state, phase and subscription, and the parts that show it. */
export class BoardCanvas {
  /** @type {'loading'|'ready'|'missing'|'deleted'} */
  phase = 'loading';
  board = emptyBoard();
  loadedOnce = false;

  /** @param {string} boardId @param {BoardUI} ui */
  constructor(boardId, ui) {
    this.boardId = boardId;
    this.ui = ui;
    this.root = ui.root;
    this.channel = `board:${boardId}`;
    this.storage = globalThis.localStorage;
    this.client = new RealtimeClient({ token: actingToken });
    this.boxes = new BoxLayer(this);
    this.commands = new Commands(this);
    this.undo = new Undo(this);
    this.editor = new TextEditor(this);
    this.viewport = new Viewport(this);
    this.pointer = new PointerInput(this);
    this.toolbar = new Toolbar(this);
    this.header = new BoardHeader(this);
    this.presence = new Presence(this);
    this.subscription = this.#subscribe();
  }

  start() {
    const { client, ui } = this;
    client.onStatus((status) => {
      ui.status.dataset.status = status;
      ui.status.textContent = STATUS_TEXT[status] ?? status;
      ui.banner.hidden = status !== 'reconnecting' || this.phase === 'missing' || this.phase === 'deleted';
      ui.presenceBlock.classList.toggle('is-stale', status !== 'open');
      if (status !== 'open') {
        this.presence.clear();
        this.pointer.abandon();
      }
      this.refreshControls();
    });
    client.onError((error) => showError(`Server error: ${error.message || error.code}`));

    this.setPhase('loading');
    this.viewport.set(this.viewport.view);
    // The owner's controls depend on who this page is, known once the session is.
    sessionReady().then(() => this.refreshControls());
    client.connect();

    addEventListener('pagehide', () => client.close());
    addEventListener('pageshow', (event) => {
      if (event.persisted && this.phase !== 'missing' && this.phase !== 'deleted') client.connect();
    });
  }

  // --- phases and permissions ----------------------------------------------------------

  setPhase(next) {
    const { ui } = this;
    this.phase = next;
    this.root.dataset.state = next;
    ui.loading.hidden = next !== 'loading';
    ui.missing.hidden = next !== 'missing';
    ui.deleted.hidden = next !== 'deleted';
    ui.viewport.hidden = next === 'missing' || next === 'deleted';
    for (const node of this.root.querySelectorAll('.board-toolbar')) node.hidden = next === 'missing' || next === 'deleted';
    ui.presenceBlock.hidden = next === 'missing';
    if (next === 'missing' || next === 'deleted') {
      this.editor.cancel();
      this.boxes.select(null);
      forgetRecent(this.storage, this.boardId);
    }
    this.refreshControls();
  }

  /** Whether changes can be sent now (they would only be refused otherwise). */
  editable() {
    return this.phase === 'ready' && this.client.status === 'open';
  }

  refreshControls() {
    this.root.dataset.editable = String(this.editable());
    this.toolbar.refresh();
    this.ui.empty.hidden = !(this.phase === 'ready' && this.board.boxes.size === 0);
    this.header.refresh();
  }

  // --- events ------------------------------------------------------------------------------

  #onEvent(event) {
    const what = applyEvent(this.board, event);
    this.root.dataset.offset = String(this.board.offset);
    if (!what) return;
    if (what.kind === 'box') {
      // The stored position moved: a remote preview of it is over.
      if (event.name === 'boxMoved' || event.name === 'boxResized' || event.name === 'boxDeleted') {
        this.presence.forgetBox(what.boxId);
      }
      this.boxes.render(what.boxId);
    } else if (what.kind === 'board') {
      this.onBoardEvent();
    }
    this.commands.eventFolded(event.offset, event.name === 'boxAdded' && what.kind === 'box' ? what.boxId : null);
    if (event.name === 'boxAdded' || event.name === 'boxDeleted') this.refreshControls();
  }

  /** Shows the board's name, or that it was deleted. */
  onBoardEvent() {
    const { board } = this;
    if (board.deleted) {
      this.boxes.renderAll();
      if (this.phase !== 'deleted') {
        this.setPhase('deleted');
        document.title = 'Board deleted · Huddle';
      }
      // Nothing more will happen on it: leave (presence updates for the others too).
      queueMicrotask(() => {
        this.subscription.unsubscribe();
        this.client.close();
      });
      return;
    }
    const name = board.name || 'Untitled board';
    this.ui.name.textContent = name;
    document.title = `${name} · Board · Huddle`;
    if (this.loadedOnce) rememberRecent(this.storage, { id: this.boardId, name });
    this.refreshControls();
  }

  #subscribe() {
    return this.client.subscribe(this.channel, {
      onEvent: (event) => this.#onEvent(event),
      onSubscribed: (frame) => {
        if (frame.offset < this.board.offset) {
          // The channel was reset (its data wiped): start again from nothing.
          this.board = emptyBoard();
          this.commands.boardReset();
          this.root.dataset.offset = '0';
          this.boxes.renderAll();
          this.subscription.unsubscribe();
          this.subscription = this.#subscribe();
          return;
        }
        if (this.board.deleted) return this.onBoardEvent();
        if (!this.board.exists) return this.#showMissing();
        const first = !this.loadedOnce;
        this.loadedOnce = true;
        if (this.phase !== 'ready') this.setPhase('ready');
        if (first) {
          this.viewport.fit({ min: 0.6 });
          rememberRecent(this.storage, { id: this.boardId, name: this.board.name ?? '' });
        }
        this.boxes.renderAll();
        this.onBoardEvent();
      },
      onPresence: (list) => this.presence.render(list),
      onSignal: (frame) => this.presence.onSignal(frame),
      onError: (error) => {
        // The server refuses to subscribe to a board that does not exist (`not_found`) or
        // was deleted (`gone`).
        if (error.code === 'not_found' && !this.loadedOnce) return this.#showMissing();
        if (error.code === 'gone') {
          this.board.deleted = true;
          return this.onBoardEvent();
        }
        showError(`Board error: ${error.message || error.code}`);
      },
    });
  }

  #showMissing() {
    this.setPhase('missing');
    document.title = 'No such board · Huddle';
    this.ui.name.textContent = 'No such board';
    this.subscription.unsubscribe();
    this.client.close();
  }
}
