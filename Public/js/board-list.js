/**
 * The board list (`board.html` without `?id=`): the caller's boards from
 * `GET /api/v1/boards` (every board for an admin), the boards this browser opened, and the
 * "New board" form (`POST /api/v1/boards`).
 * @module board-list
 */
import { actingAs, call } from './board-api.js';
import { cleanName, ID_RULE, LIMITS } from './board-model.js';
import { forgetRecent, loadRecent } from './board-util.js';
import { $, el, showError } from './board-ui.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function boardLink(id) {
  return `board.html?id=${encodeURIComponent(id)}`;
}

function when(ms) {
  return Number.isFinite(ms) && ms > 0 ? dateFormat.format(new Date(ms)) : '';
}

/** One row: the board's name as a link, and a line about it. */
function row(board, meta) {
  const item = el('li', 'board-row');
  item.dataset.boardId = board.id;
  const link = el('a', 'board-link', board.name || 'Untitled board');
  link.href = boardLink(board.id);
  item.append(link);
  if (meta) item.append(el('span', 'board-meta', meta));
  return item;
}

function renderRecent() {
  const recent = loadRecent(globalThis.localStorage).filter((r) => ID_RULE.test(r.id));
  $('recent-empty').hidden = recent.length > 0;
  $('recent-list').replaceChildren(
    ...recent.map((board) => {
      const item = row(board, board.openedAt ? `opened ${when(board.openedAt)}` : '');
      const forget = el('button', 'button button-small board-forget', 'Forget');
      forget.type = 'button';
      forget.setAttribute('aria-label', `Forget ${board.name || board.id}`);
      forget.addEventListener('click', () => {
        forgetRecent(globalThis.localStorage, board.id);
        renderRecent();
      });
      item.append(forget);
      return item;
    }),
  );
}

/**
 * The display names of the boards' owners (an admin sees everyone's boards): users by
 * `GET /api/v1/users/{id}`; a guest owner has no account (404) and is "a guest".
 * @returns {Promise<Map<string, string>>}
 */
async function ownerNames(boards, myId) {
  const ids = [...new Set(boards.map((b) => String(b.owner ?? '')).filter((id) => id && id !== myId && !id.startsWith('guest-')))];
  const names = new Map();
  await Promise.all(
    ids.slice(0, 50).map((id) =>
      call('GET', `users/${encodeURIComponent(id)}`).then(
        (user) => user?.displayName && names.set(id, String(user.displayName)),
        () => {},
      ),
    ),
  );
  return names;
}

async function loadMine() {
  const status = $('mine-status');
  status.textContent = 'Loading…';
  try {
    const result = await call('GET', 'boards');
    const boards = Array.isArray(result?.boards) ? result.boards.filter((b) => b && ID_RULE.test(String(b.id))) : [];
    boards.sort((a, b) => (Number(b.createdAt) || 0) - (Number(a.createdAt) || 0));
    const me = actingAs();
    const owners = me?.admin ? await ownerNames(boards, me.id) : new Map();
    $('mine-list').replaceChildren(
      ...boards.map((board) => {
        const parts = [];
        const count = Number(board.boxCount);
        if (Number.isInteger(count) && count >= 0) parts.push(count === 1 ? '1 box' : `${count} boxes`);
        if (board.createdAt) parts.push(`created ${when(Number(board.createdAt))}`);
        if (me?.admin && board.owner && board.owner !== me.id) parts.push(`owner ${owners.get(board.owner) ?? 'a guest'}`);
        return row({ id: String(board.id), name: String(board.name ?? '') }, parts.join(' · '));
      }),
    );
    status.textContent = boards.length
      ? me?.admin
        ? 'Every board (you are an admin).'
        : ''
      : me?.guest
        ? 'Boards you create as a guest are listed here while this tab is open. Log in to keep them.'
        : 'You have no boards yet: create one above.';
    status.hidden = status.textContent === '';
    $('mine-list').dataset.loaded = 'true';
  } catch (error) {
    status.hidden = false;
    status.textContent = `Your boards could not be loaded (${error?.message || 'network error'}). Boards opened here are below.`;
    $('mine-list').dataset.loaded = 'error';
  }
}

function wireForm() {
  const form = /** @type {HTMLFormElement} */ ($('new-board'));
  const input = /** @type {HTMLInputElement} */ ($('new-board-name'));
  const button = /** @type {HTMLButtonElement} */ ($('create-board'));
  const problem = $('new-board-problem');
  const complain = (message) => {
    problem.textContent = message;
    problem.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  input.addEventListener('input', () => {
    problem.hidden = true;
    input.removeAttribute('aria-invalid');
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = cleanName(input.value);
    if (name === null) {
      complain(`A board’s name is 1–${LIMITS.nameMax} characters.`);
      return;
    }
    button.disabled = true;
    try {
      const board = await call('POST', 'boards', { name });
      if (!board || !ID_RULE.test(String(board.id))) throw new Error('the server sent no board id');
      location.assign(boardLink(board.id));
    } catch (error) {
      button.disabled = false;
      if (error?.fields?.name) complain(error.fields.name);
      else showError(`The board could not be created: ${error?.message || 'network error'}`);
    }
  });
}

export function startList() {
  document.title = 'Boards · Huddle';
  $('list-view').hidden = false;
  wireForm();
  renderRecent();
  loadMine();
  // Another tab opened or forgot a board.
  addEventListener('storage', (event) => {
    if (event.key === null || event.key.startsWith('huddle.board.recent')) renderRecent();
  });
  addEventListener('pageshow', (event) => {
    if (event.persisted) {
      renderRecent();
      loadMine();
    }
  });
}
