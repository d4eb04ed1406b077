/**
 * The board's head: Copy link for everyone, and Rename and Delete for its owner or an
 * admin. Those two go over HTTP, not the channel (they change the board itself); their
 * events (`boardRenamed`, `boardDeleted`) reach every page, this one included.
 * @module board-header
 */
import { ApiError, actingAs, call } from './board-api.js';
import { LIMITS, cleanName } from './board-model.js';
import { copyText, showError, showInfo } from './board-ui.js';

/** @typedef {import('./board-canvas.js').BoardCanvas} BoardCanvas */

const COPIED = 'Link copied: share it to work on this board together.';

export class BoardHeader {
  #canvas;

  /** @param {BoardCanvas} canvas */
  constructor(canvas) {
    this.#canvas = canvas;
    const { ui } = canvas;
    ui.copyLink.addEventListener('click', () => this.#copyLink());
    ui.rename.addEventListener('click', () => {
      ui.renameInput.value = canvas.board.name ?? '';
      ui.renameForm.hidden = false;
      canvas.refreshControls();
      ui.renameInput.focus();
      ui.renameInput.select();
    });
    ui.renameCancel.addEventListener('click', () => this.#closeRename());
    ui.renameInput.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.#closeRename();
      }
    });
    ui.renameForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#rename();
    });
    ui.deleteBoard.addEventListener('click', () => this.#deleteBoard());
    // On a phone the board's actions sit behind a menu button.
    const menu = document.getElementById('board-menu');
    const actions = document.getElementById('board-actions');
    const setOpen = (open) => {
      menu?.setAttribute('aria-expanded', String(open));
      if (actions) actions.dataset.open = String(open);
    };
    menu?.addEventListener('click', () => setOpen(actions?.dataset.open !== 'true'));
    actions?.addEventListener('click', (event) => {
      if (/** @type {HTMLElement} */ (event.target).closest('button')) setOpen(false);
    });
  }

  /** Offers Rename and Delete to whoever may use them (known once the session is). */
  refresh() {
    const { ui, phase, board } = this.#canvas;
    const me = actingAs();
    const mayManage = phase === 'ready' && Boolean(me && (me.admin || (board.owner && board.owner === me.id)));
    ui.rename.hidden = !mayManage || !ui.renameForm.hidden;
    ui.deleteBoard.hidden = !mayManage;
    if (!mayManage) ui.renameForm.hidden = true;
    ui.name.hidden = !ui.renameForm.hidden;
  }

  #copyLink() {
    const url = new URL(`board.html?id=${encodeURIComponent(this.#canvas.boardId)}`, document.baseURI).href;
    return copyText(url, COPIED);
  }

  #closeRename() {
    const { ui } = this.#canvas;
    ui.renameForm.hidden = true;
    ui.renameInput.removeAttribute('aria-invalid');
    this.#canvas.refreshControls();
  }

  async #rename() {
    const { ui, board, boardId } = this.#canvas;
    const name = cleanName(ui.renameInput.value);
    if (name === null) {
      ui.renameInput.setAttribute('aria-invalid', 'true');
      showError(`A board’s name is 1–${LIMITS.nameMax} characters.`);
      return;
    }
    if (name === board.name) return this.#closeRename();
    try {
      await call('PATCH', `boards/${encodeURIComponent(boardId)}`, { name });
      this.#closeRename();
      showInfo('Renamed.');
    } catch (error) {
      showError(httpFailure(error, 'rename'));
    }
  }

  async #deleteBoard() {
    const { ui, board, boardId } = this.#canvas;
    if (!confirm(`Delete “${board.name ?? boardId}” for everyone? This cannot be undone.`)) return;
    ui.deleteBoard.disabled = true;
    try {
      await call('DELETE', `boards/${encodeURIComponent(boardId)}`);
      // The boardDeleted event says so too; the owner need not wait for it.
      this.#canvas.board.deleted = true;
      this.#canvas.board.boxes.clear();
      this.#canvas.onBoardEvent();
    } catch (error) {
      showError(httpFailure(error, 'delete'));
    } finally {
      ui.deleteBoard.disabled = false;
    }
  }
}

/** A sentence for a refused or failed rename or delete. */
function httpFailure(error, what) {
  if (error instanceof ApiError) {
    if (error.status === 403) return `Only the board’s owner or an admin can ${what} it.`;
    if (error.status === 404) return 'This board no longer exists.';
    if (error.status === 400) return error.fields?.name || error.message;
  }
  return `Could not ${what} the board: ${error?.message || 'network error'}`;
}
