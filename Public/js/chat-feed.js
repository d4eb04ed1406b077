/**
 * One conversation, live: the view (`GET /api/v1/chats/{id}`), then `chat:{id}` subscribed
 * with `since` = the view's offset, so the channel brings exactly what happened after it (the
 * realtime client resumes from the last offset it saw after a reconnect). Typing signals and
 * the channel's members feed a {@link Typists}. Used by the customer's page and, once per
 * open or held conversation, by the agent console.
 * @module chat-feed
 */
import { RealtimeError } from './realtime.js';
import { ApiError, call } from './guest-pass.js';
import { applyEvent, fromView, messageId } from './chat-model.js';
import { TYPING_SIGNAL, Typists } from './chat-typing.js';

export class ConversationFeed {
  /** @type {import('./chat-model.js').Conversation|null} */
  model = null;
  typists = new Typists();
  /** @type {ReturnType<import('./realtime.js').RealtimeClient['subscribe']>|null} */
  subscription = null;
  live = false;
  #expiry = 0;
  #closed = false;

  /**
   * @param {import('./realtime.js').RealtimeClient} client
   * @param {string} id
   * @param {import('./guest-pass.js').Actor} actor
   * @param {{onChange?: (what: any) => void, onError?: (error: any) => void, onSubscribed?: () => void}} [hooks]
   */
  constructor(client, id, actor, hooks = {}) {
    this.client = client;
    this.id = id;
    this.channel = `chat:${id}`;
    this.actor = actor;
    this.hooks = hooks;
  }

  /** Loads the view and subscribes. Rejects with the GET's {@link ApiError} (403, 404…). */
  async open() {
    const view = await call(this.actor, 'GET', `chats/${encodeURIComponent(this.id)}`);
    if (this.#closed) return;
    this.model = fromView(view);
    this.#subscribe();
    this.#changed({ kind: 'view' });
  }

  #subscribe() {
    const model = /** @type {NonNullable<typeof this.model>} */ (this.model);
    this.subscription = this.client.subscribe(this.channel, {
      since: model.offset,
      onEvent: (frame) => {
        if (!this.model) return;
        const what = applyEvent(this.model, frame);
        if (what?.kind === 'message') this.typists.forget(what.message.author);
        if (what) this.#changed(what);
      },
      onSubscribed: (frame) => {
        if (this.model && frame.offset < this.model.offset) {
          // Behind our view: the channel was reset. Start again from a fresh view.
          this.subscription?.unsubscribe();
          this.open().catch((error) => this.hooks.onError?.(error));
          return;
        }
        this.live = true;
        this.hooks.onSubscribed?.();
        this.#changed({ kind: 'live' });
      },
      onPresence: (members) => {
        if (this.typists.keepMembers(members.map((m) => m.id))) this.#changed({ kind: 'typing' });
      },
      onSignal: (frame) => {
        if (this.typists.receive(frame, this.actor.id, Date.now())) this.#changed({ kind: 'typing' });
        this.#scheduleExpiry();
      },
      onError: (error) => this.hooks.onError?.(error),
    });
  }

  #scheduleExpiry() {
    clearTimeout(this.#expiry);
    const next = this.typists.nextExpiry();
    if (next === null) return;
    this.#expiry = setTimeout(() => {
      if (this.typists.expire(Date.now())) this.#changed({ kind: 'typing' });
      this.#scheduleExpiry();
    }, Math.max(50, next - Date.now() + 20));
  }

  #changed(what) {
    this.hooks.onChange?.(what);
  }

  /** Tells the others whether this page's user is typing (dropped while disconnected). */
  typing(typing) {
    if (this.live) this.client.signal(this.channel, TYPING_SIGNAL, { typing });
  }

  /**
   * Sends a message: the channel's `send` with an id made here, so that a retry over HTTP
   * after a lost answer cannot post it twice (`already_posted` means it was stored).
   */
  async send(text) {
    const id = messageId();
    try {
      await this.client.command(this.channel, 'send', { text, id });
    } catch (error) {
      if (!(error instanceof RealtimeError) || !['disconnected', 'timeout'].includes(error.code)) throw error;
      try {
        await call(this.actor, 'POST', `chats/${encodeURIComponent(this.id)}/messages`, { text, id });
      } catch (retry) {
        if (!(retry instanceof ApiError && retry.code === 'already_posted')) throw retry;
      }
    }
  }

  /** `POST /api/v1/chats/{id}/{action}` (escalate, claim, transfer, resolve). */
  action(action, body) {
    return call(this.actor, 'POST', `chats/${encodeURIComponent(this.id)}/${action}`, body);
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#expiry);
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.live = false;
  }
}
