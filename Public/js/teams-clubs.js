/**
 * A player's club grid: one button per club. A taken club is greyed with who took it (and
 * still says so when pressed: the server decides, and a pick that lost a race is told
 * `club_taken` the same way); the clubs other players are looking at say who. Pressing a club
 * picks it (`POST /api/v1/tournaments/{id}/picks`). While the player has not picked, the club
 * under their pointer or focus goes to the others as a `hover` signal (teams-hover.js: only on
 * change, at most 4 a second).
 *
 * The buttons are made once per tournament and updated in place, so the one under the pointer
 * or holding the focus stays the same element while the news comes in.
 * @module teams-clubs
 */
import { call, explain } from './teams-api.js';
import { drawHint, fullName, lookersText, playerById, shortName } from './teams-model.js';
import { HOVER_SIGNAL, createHoverSender } from './teams-hover.js';
import { $, el } from './board-ui.js';

/** @typedef {import('./teams-live.js').TournamentPage} TournamentPage */
/** @typedef {import('./teams-model.js').Tournament} Tournament */

export class ClubGrid {
  #page;
  /** @type {Map<string, {button: HTMLButtonElement, holder: HTMLElement, lookers: HTMLElement}>} */
  #buttons = new Map();
  #picking = false;
  #sender;

  /** @param {TournamentPage} page */
  constructor(page) {
    this.#page = page;
    this.section = $('clubs');
    this.grid = $('club-grid');
    this.note = $('clubs-note');
    this.problem = $('pick-problem');
    this.#sender = createHoverSender((club) => {
      const player = this.#me();
      if (player) page.client?.signal(page.channel, HOVER_SIGNAL, { playerId: player.id, club });
    });
  }

  hide() {
    this.section.hidden = true;
  }

  /** The connection dropped: the others know nothing of this page's hover any more. */
  connectionLost() {
    this.#sender.reset();
  }

  /** This page's player while they may still pick (and so hover), else undefined. */
  #me() {
    const { model } = this.#page;
    const player = model && this.#page.role().player;
    return player && !player.pickedClub && !model?.drawn ? player : undefined;
  }

  #look(club) {
    if (this.#me() && this.#page.client?.status === 'open') this.#sender.set(club);
  }

  /** @param {Tournament} model */
  #build(model) {
    this.#buttons.clear();
    this.grid.replaceChildren(
      ...model.clubs.map((club) => {
        const item = el('li', 'club-item');
        const button = /** @type {HTMLButtonElement} */ (el('button', 'club-button'));
        button.type = 'button';
        button.dataset.club = club.name;
        const name = el('span', 'club-name', club.name);
        const holder = el('span', 'club-holder');
        const lookers = el('span', 'club-lookers');
        button.append(name, holder, lookers);
        button.addEventListener('click', () => this.#pick(club.name));
        button.addEventListener('pointerenter', () => this.#look(club.name));
        button.addEventListener('pointerleave', () => this.#look(null));
        button.addEventListener('focus', () => this.#look(club.name));
        button.addEventListener('blur', () => this.#look(null));
        item.append(button);
        this.#buttons.set(club.name, { button, holder, lookers });
        return item;
      }),
    );
    this.grid.dataset.tournament = model.id;
  }

  /** @param {Tournament} model @param {ReturnType<typeof import('./teams-model.js').roleOf>} role */
  render(model, role) {
    const player = role.player;
    this.section.hidden = !player || model.drawn;
    if (this.section.hidden) return;
    if (this.grid.dataset.tournament !== model.id || this.#buttons.size !== model.clubs.length) this.#build(model);
    const { hovers } = this.#page;
    const done = Boolean(player.pickedClub);
    if (done) this.#sender.reset();
    for (const club of model.clubs) {
      const parts = this.#buttons.get(club.name);
      if (!parts) continue;
      const { button, holder, lookers } = parts;
      const taken = club.takenBy;
      const mine = taken?.playerId === player.id;
      button.dataset.taken = String(Boolean(taken));
      button.dataset.mine = String(mine);
      button.dataset.takenBy = taken?.playerId ?? '';
      // A taken club stays focusable and pressable: pressing it says who took it.
      button.setAttribute('aria-disabled', String(Boolean(taken) || done));
      button.disabled = done || this.#picking;
      holder.textContent = mine ? 'Your club' : taken ? `Taken by ${taken.name} ${taken.surname}` : '';
      holder.hidden = !taken;
      const looking = taken ? [] : hovers.lookingAt(club.name).filter((id) => id !== player.id);
      button.dataset.lookers = looking.join(' ');
      lookers.textContent = lookersText(looking.map((id) => playerById(model, id)).filter(Boolean).map(shortName));
      lookers.hidden = looking.length === 0;
    }
    this.note.textContent = done
      ? `You picked ${player.pickedClub}. ${model.ready ? 'Everyone has picked: waiting for the organiser to draw.' : drawHint(model)}`
      : `Pick the club you want to bring, ${fullName(player)}. Clubs others picked are greyed.`;
    this.note.dataset.waiting = String(done);
  }

  async #pick(club) {
    const page = this.#page;
    if (this.#picking || !this.#me()) return;
    this.#picking = true;
    this.problem.hidden = true;
    page.render();
    try {
      page.takeView(await call(page.actor, 'POST', `tournaments/${encodeURIComponent(page.id)}/picks`, { club }));
    } catch (error) {
      this.problem.textContent = explain(error, `You could not pick ${club}`);
      this.problem.dataset.code = String(error?.code ?? '');
      this.problem.dataset.club = club;
      this.problem.hidden = false;
    } finally {
      this.#picking = false;
      page.render();
    }
  }
}
