/**
 * The agent console (`agents.html`), for users whose role is `agent`: the queue, the agent's
 * own conversations with unread badges, and one open conversation with Claim, Transfer, Back
 * to the queue, Resolve, the reply box and typing both ways.
 *
 * The lists are polled (`GET /api/v1/chats?status=queued` and `…?status=withAgent`, every
 * few seconds) rather than kept live by subscribing to every queued conversation: a
 * conversation enters the queue by an event of its own channel, which the console cannot
 * subscribe to before it knows the conversation exists, so finding new ones needs the list
 * anyway; and a connection may hold only so many channels (`ws.max-channels`). What must be
 * live is: the open conversation and the agent's own (for the unread badges), each a
 * {@link ConversationFeed}. Unread = messages by others after the last offset the agent saw
 * open, kept per agent and conversation in localStorage.
 *
 * Opening a conversation sends `agentPresence {joined: true}` (again after a reconnect: the
 * server sends the leave when a connection goes), leaving it `{joined: false}`.
 * @module agents
 */
import './header.js';
import { RealtimeClient } from './realtime.js';
import { currentAccount, currentToken, onAccount } from './session.js';
import { ApiError, call, explain, sessionReady, userActor } from './guest-pass.js';
import { clock, queueOrder, unreadCount, waitingFor } from './chat-model.js';
import { createTypingSender } from './chat-typing.js';
import { ConversationFeed } from './chat-feed.js';
import { MessageList, connectionDisplay, showTyping, wireComposer } from './chat-view.js';
import { $, el, showError } from './board-ui.js';

const POLL_MS = 3_000;
const SEEN_PREFIX = 'huddle.chat.seen.';

/** @type {import('./guest-pass.js').Actor|null} */
let me = null;
/** @type {RealtimeClient|null} */
let client = null;
/** @type {Map<string, ConversationFeed>} */
const feeds = new Map();
/** @type {string|null} */
let openId = null;
let announced = false;
/** Listings from the last poll. */
let queue = [];
let mine = [];
/** Conversations another agent claimed first: out of this console's queue until the list agrees. */
const dropped = new Set();
const list = new MessageList($('open-box'), $('open-messages'));
const reply = /** @type {HTMLTextAreaElement} */ ($('reply'));
const sender = createTypingSender((typing) => openFeed()?.typing(typing));

const openFeed = () => (openId ? feeds.get(openId) ?? null : null);
const connected = () => client?.status === 'open';
const holding = (model) => Boolean(model && model.status === 'withAgent' && model.agent?.id === me?.id);

function seenOffset(id) {
  try {
    return Number(globalThis.localStorage.getItem(`${SEEN_PREFIX}${me?.id}.${id}`)) || 0;
  } catch {
    return 0;
  }
}

function markSeen(id, offset) {
  if (offset <= seenOffset(id)) return;
  try {
    globalThis.localStorage.setItem(`${SEEN_PREFIX}${me?.id}.${id}`, String(offset));
  } catch {
    // unread counts last as long as the page
  }
}

const syncReply = wireComposer(/** @type {HTMLFormElement} */ ($('reply-form')), reply, /** @type {HTMLButtonElement} */ ($('reply-send')), {
  canSend: () => connected() && Boolean(openFeed()?.live) && holding(openFeed()?.model),
  onInput: (hasText) => sender.input(hasText),
  onSend: async (text) => {
    sender.stop();
    try {
      await openFeed()?.send(text);
    } catch (error) {
      showError(explain(error, 'Your reply was not sent'));
      throw error;
    }
  },
});

// --- feeds ----------------------------------------------------------------------------------

function feedFor(id) {
  let feed = feeds.get(id);
  if (feed) return feed;
  const actor = /** @type {import('./guest-pass.js').Actor} */ (me);
  feed = new ConversationFeed(/** @type {RealtimeClient} */ (client), id, actor, {
    onChange: () => {
      if (id === openId) renderOpen();
      renderMine();
    },
    onSubscribed: () => {
      if (id === openId) announce();
    },
    onError: (error) => showError(`Chat error: ${error.message || error.code}`),
  });
  feeds.set(id, feed);
  feed.open().catch((error) => {
    feeds.delete(id);
    if (id === openId) closeOpen();
    showError(explain(error, 'The conversation could not be opened'));
  });
  return feed;
}

/** Closes the feeds of conversations that are neither open nor the agent's. */
function pruneFeeds() {
  const keep = new Set([...mine.map((c) => c.id), ...(openId ? [openId] : [])]);
  for (const [id, feed] of feeds) {
    if (keep.has(id)) continue;
    feed.close();
    feeds.delete(id);
  }
}

function presence(feed, joined) {
  if (!feed?.live || !connected()) return;
  client?.command(feed.channel, 'agentPresence', { joined }).catch((error) => {
    if (error?.code !== 'presence_unchanged' && error?.code !== 'disconnected') showError(`Presence: ${error.message || error.code}`);
  });
}

/** Tells the open conversation's customer this agent is there (once per connection). */
function announce() {
  const feed = openFeed();
  if (announced || !feed?.live) return;
  announced = true;
  presence(feed, true);
}

function open(id) {
  if (openId === id) return;
  leaveOpen();
  openId = id;
  list.reset();
  reply.value = '';
  const feed = feedFor(id);
  if (feed.live) announce();
  render();
}

function leaveOpen() {
  const feed = openFeed();
  sender.stop();
  if (feed) presence(feed, false);
  announced = false;
  openId = null;
}

function closeOpen() {
  leaveOpen();
  pruneFeeds();
  render();
}

// --- actions --------------------------------------------------------------------------------

async function act(action, body, doing, id = openId) {
  if (!id) return;
  try {
    await call(me, 'POST', `chats/${encodeURIComponent(id)}/${action}`, body);
    if (action === 'claim' && openId !== id) open(id);
    poll();
  } catch (error) {
    showError(explain(error, doing));
    if (error instanceof ApiError && error.code === 'already_claimed') {
      dropped.add(id);
      renderQueue();
    }
  }
}

$('claim').addEventListener('click', () => act('claim', undefined, 'The conversation could not be claimed'));
$('requeue').addEventListener('click', () => act('transfer', {}, 'The conversation could not be handed back'));
$('resolve').addEventListener('click', () => act('resolve', undefined, 'The conversation could not be resolved'));
$('close-open').addEventListener('click', closeOpen);
$('transfer-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const to = /** @type {HTMLInputElement} */ ($('transfer-to')).value.trim();
  if (!to) {
    showError('Give the id of the agent to hand the conversation to.');
    return;
  }
  act('transfer', { to }, 'The conversation could not be transferred').then(() => {
    /** @type {HTMLInputElement} */ ($('transfer-to')).value = '';
  });
});

// --- lists ----------------------------------------------------------------------------------

async function poll() {
  try {
    const [queued, withAgent] = await Promise.all([
      call(me, 'GET', 'chats?status=queued&limit=50'),
      call(me, 'GET', 'chats?status=withAgent&limit=50'),
    ]);
    queue = queueOrder(Array.isArray(queued?.chats) ? queued.chats : []);
    for (const id of dropped) if (!queue.some((c) => c.id === id)) dropped.delete(id);
    mine = (Array.isArray(withAgent?.chats) ? withAgent.chats : []).filter((c) => c?.agent?.id === me?.id);
    for (const chat of mine) feedFor(chat.id);
    pruneFeeds();
    $('queue').dataset.loaded = 'true';
    $('mine').dataset.loaded = 'true';
  } catch (error) {
    showError(explain(error, 'The queue could not be loaded'));
  }
  render();
}

function loop() {
  poll().finally(() => setTimeout(loop, POLL_MS));
}

function entry(chat, extra) {
  const item = el('li', 'chat-row');
  item.dataset.chatId = chat.id;
  if (chat.id === openId) item.setAttribute('aria-current', 'true');
  const link = /** @type {HTMLButtonElement} */ (el('button', 'link-button chat-row-name', chat.customerName || 'Customer'));
  link.type = 'button';
  link.addEventListener('click', () => open(chat.id));
  const last = chat.lastMessage;
  item.append(link, ...extra, el('p', 'chat-row-last', last ? `${last.authorName || last.role}: ${last.text}` : 'No messages yet'));
  return item;
}

function renderQueue() {
  const now = Date.now();
  const shown = queue.filter((c) => !dropped.has(c.id));
  $('queue').replaceChildren(...shown.map((chat) => {
    const waiting = el('span', 'chat-row-meta', `waiting ${waitingFor(Number(chat.queuedSince) || now, now)}`);
    const claim = /** @type {HTMLButtonElement} */ (el('button', 'button button-small button-primary chat-claim', 'Claim'));
    claim.type = 'button';
    claim.disabled = !connected();
    claim.addEventListener('click', () => act('claim', undefined, 'The conversation could not be claimed', chat.id));
    return entry(chat, [waiting, claim]);
  }));
  $('queue-empty').hidden = shown.length > 0;
}

function renderMine() {
  $('mine').replaceChildren(...mine.map((chat) => {
    const model = feeds.get(chat.id)?.model;
    if (chat.id === openId && model) markSeen(chat.id, model.offset);
    const unread = model ? unreadCount(model, seenOffset(chat.id), me?.id ?? '') : 0;
    const badge = el('span', 'badge unread-badge', String(unread));
    badge.dataset.unread = String(unread);
    badge.hidden = unread === 0;
    badge.title = `${unread} unread`;
    const latest = model?.messages.at(-1);
    return entry(latest ? { ...chat, lastMessage: latest } : chat, [badge]);
  }));
  $('mine-empty').hidden = mine.length > 0;
}

function renderOpen() {
  const box = $('open');
  const feed = openFeed();
  const model = feed?.model;
  box.dataset.chatId = openId ?? '';
  box.dataset.status = model?.status ?? '';
  box.dataset.agent = model?.agent?.id ?? '';
  box.dataset.live = String(Boolean(feed?.live && connected()));
  $('open-none').hidden = Boolean(openId);
  $('open-body').hidden = !model;
  if (!model || !feed) return;
  markSeen(model.id, model.offset);
  $('open-title').textContent = model.customerName || 'Customer';
  const mineNow = holding(model);
  $('open-standing').textContent = model.status === 'queued'
    ? `Waiting for a person since ${clock(model.queuedSince ?? 0)} (${waitingFor(model.queuedSince ?? Date.now(), Date.now())})`
    : model.status === 'withAgent'
      ? mineNow ? 'You have this conversation.' : `${model.agent?.name ?? 'Another agent'} has this conversation.`
      : 'With the assistant: the customer has not asked for a person.';
  $('claim').hidden = model.status !== 'queued';
  /** @type {HTMLButtonElement} */ ($('claim')).disabled = !connected();
  for (const id of ['transfer-form', 'requeue', 'resolve']) $(id).hidden = !mineNow;
  reply.placeholder = mineNow ? 'Type your reply…' : 'Claim the conversation to reply';
  reply.disabled = !mineNow;
  list.render(model, me?.id ?? '');
  feed.typists.rename(model.customer, model.customerName);
  showTyping($('open-typing'), feed.typists);
  syncReply();
}

function render() {
  renderQueue();
  renderMine();
  renderOpen();
}

// --- start ----------------------------------------------------------------------------------

function startDesk() {
  me = userActor();
  $('desk').hidden = false;
  client = new RealtimeClient({ token: () => currentToken() });
  const showConnection = connectionDisplay();
  client.onStatus((status) => {
    showConnection(status);
    if (status !== 'open') {
      announced = false;
      sender.reset();
      for (const feed of feeds.values()) {
        feed.live = false;
        feed.typists.clear();
      }
    }
    render();
  });
  client.onError((error) => showError(`Server error: ${error.message || error.code}`));
  client.connect();
  addEventListener('pagehide', () => {
    leaveOpen();
    client?.close();
  });
  const first = new URLSearchParams(location.search).get('id');
  if (first) open(first);
  loop();
  setInterval(renderQueue, 30_000); // the waiting times move on between polls too
}

let started = false;
sessionReady().then(() => {
  onAccount((account) => {
    const agent = Boolean(account && !account.guest && account.role === 'agent');
    $('loading').hidden = true;
    $('console').dataset.state = agent ? 'ready' : 'denied';
    $('denied').hidden = agent;
    $('denied-login').hidden = Boolean(account && !account.guest);
    $('denied-text').textContent = account && !account.guest
      ? 'The agent console is for agents only: an admin gives the role on the Users page.'
      : 'The agent console is for agents only. Log in as an agent to use it.';
    if (agent && !started) {
      started = true;
      startDesk();
    } else if (!agent && started) {
      location.reload();
    }
  });
  if (!currentAccount()) $('loading').hidden = true;
});
