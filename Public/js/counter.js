/**
 * The Counter app (seed 003): one shared, live count per id, on channel `counter:{id}`.
 *
 * Query parameters: `id` (default `visits`), `name` (optional display name, 1–40
 * characters; a signed-in user appears under their own display name instead). Server and user text only ever reaches the page through textContent.
 * @module counter
 */
import './header.js';
import { RealtimeClient } from './realtime.js';
import { restore, currentToken } from './session.js';
import { ago, buckets, drawChart, prune } from './counter-chart.js';

/** Counter ids are channel ids (docs/PROTOCOL.md): 1–128 of `A-Z a-z 0-9 _ . -`. */
const ID_RULE = /^[A-Za-z0-9_.-]{1,128}$/;
const ID_RULE_TEXT = 'Counter ids are 1–128 letters, digits, “_”, “.” or “-”.';
const DEFAULT_ID = 'visits';
const NAME_MAX = 40;
const ERROR_MS = 5_000;

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const ui = {
  status: $('status'),
  banner: $('banner'),
  counterId: $('counter-id'),
  idProblem: $('id-problem'),
  count: $('count'),
  increment: /** @type {HTMLButtonElement} */ ($('increment')),
  presenceBlock: $('presence-block'),
  presence: $('presence'),
  presenceList: $('presence-list'),
  error: $('error'),
  switchForm: /** @type {HTMLFormElement} */ ($('switch-form')),
  switchId: /** @type {HTMLInputElement} */ ($('switch-id')),
  switchError: $('switch-error'),
  chart: /** @type {SVGSVGElement} */ (/** @type {unknown} */ ($('activity-chart'))),
  lastIncrement: $('last-increment'),
};

const STATUS_TEXT = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };
const number = new Intl.NumberFormat();

// --- errors ----------------------------------------------------------------------------

let errorTimer = 0;

/** Shows `message` as the last error; it hides itself after 5 s (or on click). */
function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = false;
  clearTimeout(errorTimer);
  errorTimer = setTimeout(hideError, ERROR_MS);
}

function hideError() {
  clearTimeout(errorTimer);
  ui.error.hidden = true;
}

ui.error.addEventListener('click', hideError);

/** A sentence for an increment that failed. */
function incrementFailure(error) {
  switch (error?.code) {
    case 'disconnected':
    case 'timeout':
      return 'The server did not confirm the increment. If it went through, the count will catch up.';
    case 'rate_limited':
      return 'Too many clicks at once: slow down a little.';
    case 'unavailable':
      return 'The counter store is unavailable right now. Try again in a moment.';
    default:
      return `Increment failed: ${error?.message || error?.code || 'unknown error'}`;
  }
}

// --- switching counters ----------------------------------------------------------------

const params = new URLSearchParams(location.search);

ui.switchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const id = ui.switchId.value.trim();
  if (!ID_RULE.test(id)) {
    ui.switchId.setAttribute('aria-invalid', 'true');
    ui.switchError.textContent = id ? `“${id}” can’t be used. ${ID_RULE_TEXT}` : 'Enter the id of a counter to open.';
    ui.switchError.hidden = false;
    ui.switchId.focus();
    return;
  }
  clearSwitchError();
  const next = new URLSearchParams(params);
  next.set('id', id);
  location.assign(`?${next}`);
});

function clearSwitchError() {
  ui.switchId.removeAttribute('aria-invalid');
  ui.switchError.hidden = true;
  ui.switchError.textContent = '';
}

ui.switchId.addEventListener('input', clearSwitchError);

// --- recent activity -------------------------------------------------------------------

/** Increments seen since the page opened: `{at, n}`. */
let samples = [];
let lastAt = 0;

function drawActivity() {
  const now = Date.now();
  samples = prune(samples, now);
  drawChart(ui.chart, buckets(samples, now));
  ui.lastIncrement.textContent = lastAt ? `last +1 ${ago(now - lastAt)}` : 'none yet';
}

function noteIncrements(n) {
  lastAt = Date.now();
  samples.push({ at: lastAt, n });
  drawActivity();
}

drawActivity();
setInterval(drawActivity, 1_000);

// --- the counter -----------------------------------------------------------------------

const rawId = params.get('id');
const counterId = rawId === null || rawId === '' ? DEFAULT_ID : rawId;
ui.counterId.textContent = counterId;

if (!ID_RULE.test(counterId)) {
  refuse(counterId);
} else {
  start(counterId);
}

/** An id outside the rule never reaches the server: say why and offer a way on. */
function refuse(id) {
  document.title = 'Invalid counter · Huddle';
  ui.idProblem.textContent = `This page can’t open counter “${id}”. ${ID_RULE_TEXT}`;
  ui.idProblem.hidden = false;
  ui.count.textContent = '–';
  ui.increment.disabled = true;
  ui.presence.textContent = 'Not connected';
  ui.status.dataset.status = 'closed';
  ui.status.textContent = 'Not connected';
}

function start(id) {
  document.title = `${id} · Counter · Huddle`;
  const channel = `counter:${id}`;

  let name = params.get('name') ?? undefined;
  if (name !== undefined && (name.length === 0 || [...name].length > NAME_MAX)) {
    showError(`Names are 1–${NAME_MAX} characters; using a guest name instead.`);
    name = undefined;
  }

  // A signed-in user's session comes back from the refresh cookie; each connection then
  // authenticates with the current access token. Without a session the page is a guest's.
  const session = restore().catch(() => null);
  const client = new RealtimeClient({
    name,
    token: async () => {
      await session;
      return currentToken();
    },
  });
  /** @type {number|null} */
  let count = null;

  /** The count only moves forward: events, acks and replays may arrive in any mix. */
  function setCount(value) {
    if (!Number.isSafeInteger(value) || value < 0 || (count !== null && value <= count)) return;
    const first = count === null;
    if (!first) noteIncrements(value - count);
    count = value;
    ui.count.textContent = number.format(value);
    ui.count.dataset.value = String(value);
    ui.count.dataset.stale = 'false';
    if (!first) {
      ui.count.classList.remove('bump');
      void ui.count.offsetWidth; // restart the animation
      ui.count.classList.add('bump');
    }
  }

  function renderPresence(members) {
    const n = members.length;
    ui.presence.textContent = n === 1 ? '1 person here' : `${n} people here`;
    const me = client.welcome?.connectionId;
    const sorted = [...members].sort((a, b) => (b.id === me) - (a.id === me));
    ui.presenceList.replaceChildren(
      ...sorted.map((member) => {
        const item = document.createElement('li');
        item.textContent = String(member.name ?? '');
        item.title = String(member.name ?? '');
        if (member.id === me) {
          item.classList.add('is-you');
          const you = document.createElement('span');
          you.className = 'you';
          you.textContent = '(you)';
          item.append(you);
        }
        return item;
      }),
    );
  }

  client.connect();
  client.onStatus((status) => {
    const open = status === 'open';
    ui.status.dataset.status = status;
    ui.status.textContent = STATUS_TEXT[status] ?? status;
    ui.banner.hidden = status !== 'reconnecting';
    ui.increment.disabled = !open;
    ui.presenceBlock.classList.toggle('is-stale', !open);
    if (!open && count !== null) ui.count.dataset.stale = 'true';
  });

  client.onError((error) => showError(`Server error: ${error.message || error.code}`));

  client.subscribe(channel, {
    onEvent(event) {
      if (event.name === 'incremented') setCount(event.data?.count);
    },
    // A counter's offset is its count, and replay sends only the current value, so the
    // offset here is the value as of now (0 for a counter never incremented).
    onSubscribed(frame) {
      setCount(frame.offset);
      if (count !== null) ui.count.dataset.stale = 'false';
    },
    onPresence: renderPresence,
    onError(error) {
      showError(`Counter error: ${error.message || error.code}`);
    },
  });

  ui.increment.addEventListener('click', async () => {
    try {
      const { offset } = await client.command(channel, 'increment', {});
      setCount(offset); // the ack's offset is the new count; the event may come later
    } catch (error) {
      showError(incrementFailure(error));
    }
  });

  // Leave at once when the page goes away (presence updates for the others right away);
  // come back when it is restored from the back/forward cache.
  addEventListener('pagehide', () => client.close());
  addEventListener('pageshow', (event) => {
    if (event.persisted) client.connect();
  });
}
