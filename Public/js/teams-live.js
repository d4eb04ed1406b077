/**
 * One tournament (`tournament.html?id=X`), live on channel `tournament:X`.
 *
 * The page loads the view (`GET /api/v1/tournaments/X`) and subscribes with `since` = the
 * view's offset, so the channel brings exactly what happened after it; the realtime client
 * resubscribes from the last offset it saw after a reconnect, so nothing is fetched again and
 * nothing is missed. The answers to this page's own join, pick and draw are views too, and
 * are taken when newer than the model (the events they cover are then skipped by offset).
 *
 * Who the page acts as (teams-api.js) decides what it shows (teams-model.js `roleOf`): the
 * organiser's panel (teams-organiser.js), the join form (teams-join.js), the club grid
 * (teams-clubs.js), the result and the players (teams-result.js). Hovering comes from the
 * channel's `hover` signals and presence (teams-hover.js). Text reaches the page through
 * textContent only.
 * @module teams-live
 */
import { RealtimeClient } from './realtime.js';
import { ApiError, actorFor, call, sessionReady, someGuest } from './teams-api.js';
import { ID_RULE, applyEvent, fromView, roleOf } from './teams-model.js';
import { Hovers } from './teams-hover.js';
import { $, showError } from './board-ui.js';
import { OrganiserPanel } from './teams-organiser.js';
import { JoinForm } from './teams-join.js';
import { ClubGrid } from './teams-clubs.js';
import { PlayersTable, ResultPanel } from './teams-result.js';

const STATUS_TEXT = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };

export function startTournament(id) {
  const page = new TournamentPage(id);
  if (ID_RULE.test(id)) page.start();
  else page.showMissing(`“${id}” is not a tournament id: ids are 1–128 letters, digits, “_”, “.” or “-”.`);
}

/** The page of one tournament: its model, who it acts as, the subscription and the parts. */
export class TournamentPage {
  /** @type {import('./teams-model.js').Tournament|null} */
  model = null;
  /** @type {import('./teams-api.js').Actor|null} */
  actor = null;
  hovers = new Hovers();
  /** @type {RealtimeClient|null} */
  client = null;
  /** @type {ReturnType<RealtimeClient['subscribe']>|null} */
  subscription = null;
  /** How many are on the channel (the latest presence; 0 before any). */
  members = 0;

  /** @param {string} id */
  constructor(id) {
    this.id = id;
    this.channel = `tournament:${id}`;
    this.root = $('tournament');
    this.status = $('status');
    this.banner = $('banner');
    this.organiser = new OrganiserPanel(this);
    this.join = new JoinForm(this);
    this.clubs = new ClubGrid(this);
    this.result = new ResultPanel(this);
    this.table = new PlayersTable(this);
  }

  async start() {
    this.root.dataset.state = 'loading';
    await sessionReady();
    let view;
    try {
      view = await call(null, 'GET', `tournaments/${encodeURIComponent(this.id)}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return this.showMissing();
      this.root.dataset.state = 'error';
      $('t-loading').textContent = `The tournament could not be loaded (${error?.message || 'network error'}). Reload to try again.`;
      return undefined;
    }
    this.model = fromView(view);
    this.actor = actorFor(this.model);
    // A newcomer joins as a guest: the connection is made as that guest from the start, so
    // that once they join, the others trust their hovers (by the connection's identity).
    if (!this.actor && this.role().view === 'newcomer') this.actor = await someGuest().catch(() => null);
    this.#connect();
    this.render();
    return undefined;
  }

  /** What this page is to the tournament now. */
  role() {
    return roleOf(/** @type {NonNullable<typeof this.model>} */ (this.model), this.actor?.id ?? null);
  }

  #connect() {
    const model = /** @type {NonNullable<typeof this.model>} */ (this.model);
    const client = new RealtimeClient({ token: () => this.actor?.token() ?? null });
    this.client = client;
    client.onStatus((status) => {
      this.status.hidden = false;
      this.status.dataset.status = status;
      this.status.textContent = STATUS_TEXT[status] ?? status;
      this.banner.hidden = status !== 'reconnecting';
      if (status !== 'open') {
        // Nobody's hover can be kept up to date meanwhile, and the others lose this page's.
        this.hovers.clear();
        this.clubs.connectionLost();
      }
      this.render();
    });
    client.onError((error) => showError(`Server error: ${error.message || error.code}`));
    this.subscription = client.subscribe(this.channel, {
      since: model.offset,
      onEvent: (event) => this.#onEvent(event),
      onSubscribed: (frame) => {
        if (this.model && frame.offset < this.model.offset) {
          // Behind our view: the channel was reset. Start again from a fresh view.
          this.#restart();
          return;
        }
        this.root.dataset.live = 'true';
        this.render();
      },
      onPresence: (members) => {
        this.members = members.length;
        this.hovers.keepMembers(members.map((m) => m.id));
        this.render();
      },
      onSignal: (frame) => {
        if (this.model && this.hovers.receive(this.model, frame) !== null) this.render();
      },
      onError: (error) => {
        if (error.code === 'not_found') return this.showMissing();
        showError(`Tournament error: ${error.message || error.code}`);
        return undefined;
      },
    });
    client.connect();
    addEventListener('pagehide', () => client.close());
    addEventListener('pageshow', (event) => {
      if (event.persisted) client.connect();
    });
  }

  #restart() {
    this.subscription?.unsubscribe();
    this.client?.close();
    this.hovers.clear();
    this.start();
  }

  #onEvent(event) {
    const model = this.model;
    if (!model) return;
    const what = applyEvent(model, event);
    this.root.dataset.offset = String(model.offset);
    if (!what) return;
    if (what.kind === 'picked' && what.playerId) this.hovers.forget(what.playerId);
    if (what.kind === 'drawn') this.hovers.clear();
    this.render();
  }

  /**
   * Takes a view the server answered (to a join, pick or draw) when it is newer than the
   * model: the events it covers are skipped when they arrive.
   */
  takeView(view) {
    if (!view || !this.model || !(Number(view.offset) > this.model.offset)) return;
    const joinUrl = this.model.joinUrl;
    this.model = fromView(view);
    this.model.joinUrl ||= joinUrl;
    for (const player of this.model.players) if (player.pickedClub) this.hovers.forget(player.id);
    if (this.model.drawn) this.hovers.clear();
    this.render();
  }

  /**
   * The page acts as `actor` from now on (it joined). A realtime connection made as someone
   * else is made again: others trust a hover by the identity of the connection it came on.
   */
  becomes(actor) {
    this.actor = actor;
    const client = this.client;
    if (client && client.status === 'open' && client.identity?.id !== actor.id) {
      client.close();
      client.connect();
    }
  }

  showMissing(text) {
    this.subscription?.unsubscribe();
    this.client?.close();
    this.root.dataset.state = 'missing';
    document.title = 'No such tournament · Huddle';
    $('t-name').textContent = 'No such tournament';
    $('t-loading').hidden = true;
    if (text) $('t-missing-text').textContent = text;
    $('t-missing').hidden = false;
    for (const part of [this.organiser, this.join, this.clubs, this.result, this.table]) part.hide();
    this.status.hidden = true;
  }

  render() {
    const model = this.model;
    if (!model || this.root.dataset.state === 'missing') return;
    const role = this.role();
    this.root.dataset.state = 'ready';
    this.root.dataset.view = role.view;
    this.root.dataset.offset = String(model.offset);
    this.root.dataset.ready = String(model.ready);
    this.root.dataset.drawn = String(model.drawn);
    this.root.dataset.identity = this.actor?.id ?? '';
    if (role.player) this.root.dataset.playerId = role.player.id;
    else delete this.root.dataset.playerId;
    $('t-loading').hidden = true;
    $('t-name').textContent = model.name;
    document.title = `${model.name} · Teams · Huddle`;
    const rule = model.drawRule === 'noOwnClub' ? 'nobody is drawn the club they picked' : 'any club can be drawn to anyone';
    $('t-summary').textContent = `${model.players.length} of ${model.playerLimit} players · ${rule}`;
    const here = $('t-presence');
    here.hidden = !this.members || this.client?.status !== 'open';
    here.textContent = this.members === 1 ? 'Only you are watching' : `${this.members} watching`;
    this.organiser.render(model, role);
    this.join.render(model, role);
    this.clubs.render(model, role);
    this.result.render(model, role);
    this.table.render(model, role);
  }
}
