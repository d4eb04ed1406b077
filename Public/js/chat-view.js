/**
 * The parts both Chat pages show: the message list (role-styled messages and the notes of
 * what happened, kept at the bottom only when the reader was there), the typing line, and
 * the reply box's rules. Text goes in through textContent only.
 * @module chat-view
 */
import { $, el } from './board-ui.js';
import { clock, noteText, timeline } from './chat-model.js';
import { atBottom, shouldStick, typingText } from './chat-typing.js';

const ROLE_LABEL = { customer: '', bot: 'assistant', agent: 'agent', system: '' };

/** The scrolling list of a conversation's messages and notes. */
export class MessageList {
  #rendered = false;
  #count = 0;

  /** @param {HTMLElement} box the scrolling element @param {HTMLElement} list its `<ol>` */
  constructor(box, list) {
    this.box = box;
    this.list = list;
  }

  /**
   * Shows `model` as `me` sees it; `askPerson` (when given) is offered under the bot's replies
   * that offer a person.
   * @param {import('./chat-model.js').Conversation} model
   * @param {string} me
   * @param {{askPerson?: (() => void)|null}} [options]
   */
  render(model, me, { askPerson = null } = {}) {
    const wasAtBottom = atBottom(this.box);
    const items = timeline(model);
    const newest = items.at(-1)?.message;
    const grew = items.length > this.#count;
    const own = grew && newest?.author === me;
    const keep = this.box.scrollTop;
    this.list.replaceChildren(...items.map((item) => (item.message ? this.#message(item.message, me, askPerson) : this.#note(item.note, model, me))));
    this.list.dataset.count = String(model.messages.length);
    this.list.dataset.offset = String(model.offset);
    if (shouldStick({ first: !this.#rendered, wasAtBottom, own })) this.box.scrollTop = this.box.scrollHeight;
    else this.box.scrollTop = keep;
    this.#rendered = true;
    this.#count = items.length;
  }

  /** Forgets the list (another conversation opens in it). */
  reset() {
    this.#rendered = false;
    this.#count = 0;
    this.list.replaceChildren();
  }

  #message(message, me, askPerson) {
    const item = el('li', `msg msg-${message.role}${message.author === me ? ' is-mine' : ''}`);
    item.dataset.role = message.role;
    item.dataset.messageId = message.id;
    item.dataset.author = message.author;
    const meta = el('p', 'msg-meta');
    const label = message.author === me ? 'You' : message.authorName || ROLE_LABEL[message.role] || message.role;
    meta.append(el('span', 'msg-author', label));
    const role = ROLE_LABEL[message.role];
    if (role && message.author !== me && label.toLowerCase() !== role) meta.append(el('span', 'msg-role', role));
    if (message.at) meta.append(el('time', 'msg-time', clock(message.at)));
    item.append(meta, el('p', 'msg-text', message.text));
    if (message.offersPerson && askPerson) {
      const button = /** @type {HTMLButtonElement} */ (el('button', 'button button-small ask-person', 'Ask for a person'));
      button.type = 'button';
      button.addEventListener('click', askPerson);
      item.append(button);
    }
    return item;
  }

  #note(note, model, me) {
    const item = el('li', 'chat-note', noteText(note, model, me));
    item.dataset.kind = note.kind;
    return item;
  }
}

/** Shows who is typing in `line` ('' hides it). */
export function showTyping(line, typists, now = Date.now()) {
  const names = typists.list(now).map((t) => t.name || 'Someone');
  line.textContent = typingText(names);
  line.dataset.typing = names.join(',');
  line.hidden = !names.length;
}

/**
 * Enter sends, Shift+Enter is a new line; `onInput(hasText)` on every change (the typing
 * signal); the button is enabled by `canSend()` and the text.
 * @param {HTMLFormElement} form
 * @param {HTMLTextAreaElement} box
 * @param {HTMLButtonElement} button
 * @param {{canSend: () => boolean, onInput: (hasText: boolean) => void, onSend: (text: string) => Promise<void>}} hooks
 * @returns {() => void} re-checks whether Send is enabled
 */
export function wireComposer(form, box, button, { canSend, onInput, onSend }) {
  const sync = () => {
    button.disabled = !canSend() || box.value.trim() === '';
  };
  box.addEventListener('input', () => {
    onInput(box.value.trim() !== '');
    sync();
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (!text || button.disabled) return;
    button.disabled = true;
    try {
      await onSend(text);
      box.value = '';
      onInput(false);
    } finally {
      sync();
    }
  });
  sync();
  return sync;
}

const STATUS_TEXT = { connecting: 'Connecting…', open: 'Live', reconnecting: 'NOT CONNECTED', closed: 'Offline' };

/**
 * Shows a connection's status in the header's `#status` pill and the NOT CONNECTED
 * `#banner` (while the socket is down; not during the very first attempt).
 * @returns {(status: string) => void} call it with each status
 */
export function connectionDisplay(pill = $('status'), banner = $('banner')) {
  let everOpen = false;
  return (status) => {
    if (status === 'open') everOpen = true;
    pill.hidden = false;
    pill.dataset.status = status;
    pill.textContent = STATUS_TEXT[status] ?? status;
    banner.hidden = status === 'open' || (!everOpen && status === 'connecting');
  };
}
