/**
 * A support conversation (`chat:{id}`) as the Chat pages hold it: the view the HTTP API
 * answers (`GET /api/v1/chats/{id}`), with the channel's events folded in after it
 * (docs/PROTOCOL.md, "The Chat app"). Besides the messages it keeps notes of what happened
 * while the page was open (asked for a person, an agent joined or left, claimed, transferred,
 * resolved): the view has no history of those. Pure (no DOM), unit-tested under node.
 * @module chat-model
 */

export const ID_RULE = /^[A-Za-z0-9_.-]{1,128}$/;
export const TEXT_MAX = 2000;

/**
 * @typedef {{id: string, name: string}} Agent
 * @typedef {{id: string, author: string, authorName: string, role: 'customer'|'bot'|'agent'|'system',
 *   text: string, replyTo?: string, offersPerson?: boolean, at: number, offset: number}} Message
 * @typedef {{kind: 'escalated'|'claimed'|'transferred'|'requeued'|'resolved'|'joined'|'left', name: string,
 *   by?: string, at: number, offset: number}} Note
 * @typedef {{id: string, customer: string, customerName: string, createdAt: number,
 *   status: 'bot'|'queued'|'withAgent', queuedSince: number|null, agent: Agent|null, agentsPresent: Agent[],
 *   messages: Message[], notes: Note[], offset: number}} Conversation
 */

const str = (value, fallback = '') => (typeof value === 'string' ? value : fallback);
const num = (value) => (Number.isFinite(Number(value)) ? Number(value) : 0);
const agentOf = (value) => (value && typeof value.id === 'string' ? { id: value.id, name: str(value.name, value.id) } : null);

/** @returns {Message|null} */
function messageOf(raw, at, offset) {
  if (!raw || typeof raw.id !== 'string' || typeof raw.text !== 'string') return null;
  const message = {
    id: raw.id,
    author: str(raw.author),
    authorName: str(raw.authorName),
    role: ['customer', 'bot', 'agent', 'system'].includes(raw.role) ? raw.role : 'system',
    text: raw.text,
    at: num(raw.at ?? at),
    offset: num(raw.offset ?? offset),
  };
  if (typeof raw.replyTo === 'string') message.replyTo = raw.replyTo;
  if (raw.offersPerson === true) message.offersPerson = true;
  return message;
}

/** The model of a view (`GET /api/v1/chats/{id}`, or a listing's entry without messages). @returns {Conversation} */
export function fromView(view) {
  const status = ['bot', 'queued', 'withAgent'].includes(view?.status) ? view.status : 'bot';
  return {
    id: str(view?.id),
    customer: str(view?.customer),
    customerName: str(view?.customerName),
    createdAt: num(view?.createdAt),
    status,
    queuedSince: status === 'queued' ? num(view?.queuedSince) : null,
    agent: status === 'withAgent' ? agentOf(view?.agent) : null,
    agentsPresent: (Array.isArray(view?.agentsPresent) ? view.agentsPresent : []).map(agentOf).filter(Boolean),
    messages: (Array.isArray(view?.messages) ? view.messages : []).map((m) => messageOf(m)).filter(Boolean),
    notes: [],
    offset: num(view?.offset),
  };
}

/**
 * Folds one event frame (`{offset, name, data, time}`) in. Frames at or below the model's
 * offset were in the view already and are skipped.
 * @param {Conversation} model
 * @returns {{kind: string, message?: Message, note?: Note}|null} what changed, or null
 */
export function applyEvent(model, frame) {
  const offset = num(frame?.offset);
  if (!(offset > model.offset)) return null;
  model.offset = offset;
  const data = frame.data ?? {};
  const at = num(frame.time) || Date.now();
  const note = (kind, name, by) => {
    const entry = { kind, name: str(name), at, offset };
    if (by) entry.by = by;
    model.notes.push(entry);
    return { kind, note: entry };
  };
  switch (frame.name) {
    case 'conversationStarted':
      model.customer ||= str(data.customer);
      model.customerName ||= str(data.customerName);
      model.createdAt ||= at;
      return { kind: 'started' };
    case 'messagePosted': {
      if (model.messages.some((m) => m.id === data.id)) return null;
      const message = messageOf(data, at, offset);
      if (!message) return null;
      model.messages.push(message);
      return { kind: 'message', message };
    }
    case 'escalated':
      if (model.status !== 'bot') return null;
      Object.assign(model, { status: 'queued', queuedSince: at, agent: null });
      return note('escalated', model.customerName, str(data.by));
    case 'claimed': {
      const agent = { id: str(data.agent), name: str(data.agentName, data.agent) };
      Object.assign(model, { status: 'withAgent', queuedSince: null, agent });
      return note('claimed', agent.name, agent.id);
    }
    case 'transferred':
      if (typeof data.to === 'string') {
        const agent = { id: data.to, name: str(data.toName, data.to) };
        Object.assign(model, { status: 'withAgent', queuedSince: null, agent });
        return note('transferred', agent.name, str(data.by));
      }
      Object.assign(model, { status: 'queued', queuedSince: at, agent: null });
      return note('requeued', '', str(data.by));
    case 'resolved':
      Object.assign(model, { status: 'bot', queuedSince: null, agent: null });
      return note('resolved', '', str(data.by));
    case 'agentPresence': {
      const agent = { id: str(data.agent), name: str(data.agentName, data.agent) };
      const was = model.agentsPresent.some((a) => a.id === agent.id);
      model.agentsPresent = model.agentsPresent.filter((a) => a.id !== agent.id);
      if (data.joined === true) model.agentsPresent.push(agent);
      if (was === (data.joined === true)) return { kind: 'presence' };
      return note(data.joined === true ? 'joined' : 'left', agent.name, agent.id);
    }
    default:
      return { kind: 'unknown' };
  }
}

/** Messages and notes in the order they happened. @returns {Array<{message?: Message, note?: Note, offset: number}>} */
export function timeline(model) {
  return [...model.messages.map((message) => ({ message, offset: message.offset })), ...model.notes.map((note) => ({ note, offset: note.offset }))]
    .sort((a, b) => a.offset - b.offset);
}

/** `14:02`: a time of day, as the pages show it. */
export function clock(ms) {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** Where the customer stands, as a sentence for them. */
export function standing(model) {
  if (model.status === 'queued') return `Waiting for a person since ${clock(model.queuedSince ?? 0)}`;
  if (model.status === 'withAgent') return `You are talking to ${model.agent?.name ?? 'an agent'}`;
  return 'You are talking to the assistant. Ask it anything, or ask for a person.';
}

/** What a note says, to `me` (an identity id; the customer reads "You asked…"). */
export function noteText(note, model, me) {
  const you = (id) => id && id === me;
  switch (note.kind) {
    case 'escalated':
      return you(note.by) ? 'You asked for a person' : `${note.name || 'The customer'} asked for a person`;
    case 'claimed':
      return you(note.by) ? 'You took the conversation' : `${note.name} (agent) took the conversation`;
    case 'transferred':
      return `Handed over to ${you(model.agent?.id) ? 'you' : `${note.name} (agent)`}`;
    case 'requeued':
      return 'Handed back to the queue: waiting for a person';
    case 'resolved':
      return 'Resolved: the assistant answers again';
    case 'joined':
      return `${note.name} (agent) joined`;
    case 'left':
      return `${note.name} (agent) left`;
    default:
      return '';
  }
}

/** How many messages came after `seenOffset` that `me` did not write. */
export function unreadCount(model, seenOffset, me) {
  return model.messages.filter((m) => m.offset > seenOffset && m.author !== me).length;
}

/** The queue, oldest first (by when each started waiting). */
export function queueOrder(chats) {
  return [...chats].filter((c) => c?.status === 'queued').sort((a, b) => num(a.queuedSince) - num(b.queuedSince));
}

/** "just now", "4 min", "1 h 5 min": how long someone has waited. */
export function waitingFor(since, now) {
  const minutes = Math.floor(Math.max(0, now - since) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A fresh id for a message, so that a retried send is recognised (`already_posted`). */
export function messageId(random = Math.random) {
  return `m-${Date.now().toString(36)}-${Math.floor(random() * 2 ** 40).toString(36)}`;
}
