/**
 * The customer's chat (`chat.html`, `chat.html?id=X`): start a conversation
 * (`POST /api/v1/chats`; a guest keeps the answer's pass under `huddle.chat.pass.{id}`, so a
 * reload resumes as them), then the conversation live (chat-feed.js): the bot's answers, where
 * the customer stands, "Ask for a person", typing both ways. Errors show top right and go
 * after 5 s; a NOT CONNECTED banner shows while the socket is down; Send waits for a
 * connection and some text. An agent or admin opening the link sees it without the reply box.
 * @module chat
 */
import './header.js';
import { RealtimeClient } from './realtime.js';
import { ApiError, PassKeeper, call, explain, guestActor, sessionReady, userActor } from './guest-pass.js';
import { ID_RULE, standing } from './chat-model.js';
import { createTypingSender } from './chat-typing.js';
import { ConversationFeed } from './chat-feed.js';
import { MessageList, connectionDisplay, showTyping, wireComposer } from './chat-view.js';
import { setFieldError } from './forms.js';
import { $, showError } from './board-ui.js';

export const passes = new PassKeeper('huddle.chat.pass.');

const root = $('chat');
const params = new URLSearchParams(location.search);

/** @type {ConversationFeed|null} */
let feed = null;
/** @type {RealtimeClient|null} */
let client = null;
const showConnection = connectionDisplay();
const list = new MessageList($('messages-box'), $('messages'));
const text = /** @type {HTMLTextAreaElement} */ ($('text'));
const sender = createTypingSender((typing) => feed?.typing(typing));
const isCustomer = () => Boolean(feed?.model && feed.model.customer === feed.actor.id);
const connected = () => client?.status === 'open' && Boolean(feed?.live);
const syncSend = wireComposer(/** @type {HTMLFormElement} */ ($('composer')), text, /** @type {HTMLButtonElement} */ ($('send')), {
  canSend: () => connected() && isCustomer(),
  onInput: (hasText) => sender.input(hasText),
  onSend: async (message) => {
    sender.stop();
    try {
      await feed?.send(message);
    } catch (error) {
      showError(explain(error, 'Your message was not sent'));
      throw error;
    }
  },
});

function showMissing(title, body) {
  feed?.close();
  client?.close();
  root.dataset.state = 'missing';
  $('chat-loading').hidden = true;
  $('conversation').hidden = true;
  $('status').hidden = true;
  $('chat-missing-title').textContent = title;
  $('chat-missing-text').textContent = body;
  $('chat-missing').hidden = false;
}

async function askForPerson() {
  try {
    await feed?.action('escalate');
  } catch (error) {
    showError(explain(error, 'A person could not be asked for'));
  }
}

function render() {
  const model = feed?.model;
  if (!model) return;
  root.dataset.state = 'ready';
  root.dataset.status = model.status;
  root.dataset.offset = String(model.offset);
  root.dataset.identity = feed?.actor.id ?? '';
  root.dataset.live = String(connected());
  $('chat-loading').hidden = true;
  $('conversation').hidden = false;
  $('chat-title').textContent = isCustomer() ? 'Support chat' : `${model.customerName}'s conversation`;
  $('standing').textContent = isCustomer() ? standing(model) : '';
  const canAsk = isCustomer() && model.status === 'bot';
  list.render(model, feed?.actor.id ?? '', { askPerson: canAsk ? askForPerson : null });
  $('escalate').hidden = !canAsk;
  /** @type {HTMLButtonElement} */ ($('escalate')).disabled = !connected();
  $('composer').hidden = !isCustomer();
  $('viewer-note').hidden = isCustomer();
  showTyping($('typing'), /** @type {ConversationFeed} */ (feed).typists);
  syncSend();
}

function connect(actor) {
  client = new RealtimeClient({ token: () => actor.token() });
  client.onStatus((status) => {
    showConnection(status);
    if (status !== 'open') {
      if (feed) feed.live = false;
      feed?.typists.clear();
      sender.reset();
    }
    render();
  });
  client.onError((error) => showError(`Server error: ${error.message || error.code}`));
  client.connect();
  addEventListener('pagehide', () => client?.close());
  addEventListener('pageshow', (event) => {
    if (event.persisted) client?.connect();
  });
}

/** Opens conversation `id` as the first of `actors` allowed to read it. */
async function openConversation(id, actors) {
  for (const actor of actors) {
    client?.close();
    connect(actor);
    feed = new ConversationFeed(/** @type {RealtimeClient} */ (client), id, actor, {
      onChange: render,
      onError: (error) => {
        if (error.code === 'not_found') showMissing('No such conversation', 'This conversation does not exist. The link may be wrong.');
        else showError(`Chat error: ${error.message || error.code}`);
      },
    });
    try {
      await feed.open();
      return;
    } catch (error) {
      feed.close();
      if (error instanceof ApiError && error.status === 404) {
        showMissing('No such conversation', 'This conversation does not exist. The link may be wrong.');
        return;
      }
      if (!(error instanceof ApiError && (error.status === 403 || error.status === 401))) {
        root.dataset.state = 'error';
        $('chat-loading').textContent = explain(error, 'The conversation could not be loaded');
        return;
      }
    }
  }
  showMissing('Not your conversation', 'This conversation is another customer’s, or this browser no longer has your access to it. Log in, or start a new conversation.');
}

function showStart() {
  root.dataset.state = 'start';
  $('chat-loading').hidden = true;
  $('standing').textContent = '';
  $('start').hidden = false;
  const name = /** @type {HTMLInputElement} */ ($('customerName'));
  const user = userActor();
  if (user) name.value = user.name;
  const form = /** @type {HTMLFormElement} */ ($('start-form'));
  const button = /** @type {HTMLButtonElement} */ ($('start-submit'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    $('start-problem').hidden = true;
    const customerName = name.value.trim();
    if (customerName.length > 40) {
      setFieldError(form, 'customerName', 'Use at most 40 characters.');
      return;
    }
    setFieldError(form, 'customerName', '');
    button.disabled = true;
    try {
      const who = userActor() ?? (await passes.someGuest());
      const created = await call(who, 'POST', 'chats', customerName ? { customerName } : {});
      if (!ID_RULE.test(String(created?.id))) throw new Error('the server sent no conversation id');
      const actor = passes.keep(who, created.id, created);
      history.replaceState(null, '', `chat.html?id=${encodeURIComponent(created.id)}`);
      $('start').hidden = true;
      await openConversation(created.id, [actor]);
      text.focus();
    } catch (error) {
      button.disabled = false;
      $('start-problem').textContent = explain(error, 'The conversation could not be started');
      $('start-problem').hidden = false;
    }
  });
}

async function start() {
  await sessionReady();
  const id = params.get('id');
  if (id === null) return showStart();
  if (!ID_RULE.test(id)) return showMissing('No such conversation', `“${id}” is not a conversation id.`);
  const pass = passes.read(globalThis.localStorage, id);
  const actors = [pass && guestActor(pass), userActor()].filter(Boolean);
  if (!actors.length) {
    return showMissing('Not your conversation', 'This browser has no access to this conversation. Log in, or start a new conversation.');
  }
  return openConversation(id, /** @type {import('./guest-pass.js').Actor[]} */ (actors));
}

$('escalate').addEventListener('click', askForPerson);
start();
