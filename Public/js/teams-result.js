/**
 * What everyone sees: the players (name, picked club, the club they are looking at, and once
 * drawn the club they were drawn), and after the draw the result: a player's own drawn club
 * big, and every pair.
 * @module teams-result
 */
import { fullName, playerById } from './teams-model.js';
import { $, el } from './board-ui.js';

/** @typedef {import('./teams-live.js').TournamentPage} TournamentPage */
/** @typedef {import('./teams-model.js').Tournament} Tournament */
/** @typedef {ReturnType<typeof import('./teams-model.js').roleOf>} Role */

export class PlayersTable {
  #page;

  /** @param {TournamentPage} page */
  constructor(page) {
    this.#page = page;
    this.section = $('players');
    this.rows = $('player-rows');
    this.empty = $('players-empty');
  }

  hide() {
    this.section.hidden = true;
  }

  /** @param {Tournament} model @param {Role} role */
  render(model, role) {
    this.section.hidden = false;
    this.section.dataset.drawn = String(model.drawn);
    const { hovers } = this.#page;
    this.empty.hidden = model.players.length > 0;
    this.rows.replaceChildren(
      ...model.players.map((player) => {
        const row = el('tr');
        row.dataset.playerId = player.id;
        const looking = player.pickedClub || model.drawn ? null : hovers.clubOf(player.id);
        row.dataset.picked = player.pickedClub ?? '';
        row.dataset.hover = looking ?? '';
        row.dataset.drawn = player.drawnClub ?? '';
        if (player.id === role.player?.id) row.classList.add('is-you');
        const name = el('td', 'player-name', fullName(player));
        if (player.id === role.player?.id) name.append(el('span', 'you', '(you)'));
        const cells = [
          name,
          el('td', 'player-picked', player.pickedClub ?? 'choosing…'),
          el('td', 'player-hover', looking ?? ''),
          el('td', 'player-drawn', player.drawnClub ?? ''),
        ];
        cells[1].dataset.label = 'Picked';
        cells[2].dataset.label = 'Looking at';
        cells[3].dataset.label = 'Drawn';
        cells[2].hidden = model.drawn;
        cells[3].hidden = !model.drawn;
        row.append(...cells);
        return row;
      }),
    );
    for (const head of this.section.querySelectorAll('[data-column="drawn"]')) /** @type {HTMLElement} */ (head).hidden = !model.drawn;
    for (const head of this.section.querySelectorAll('[data-column="hover"]')) /** @type {HTMLElement} */ (head).hidden = model.drawn;
  }
}

export class ResultPanel {
  /** @param {TournamentPage} page */
  constructor(page) {
    this.page = page;
    this.section = $('result');
    this.mine = $('my-draw');
    this.myClub = $('my-club');
    this.list = $('result-list');
  }

  hide() {
    this.section.hidden = true;
  }

  /** @param {Tournament} model @param {Role} role */
  render(model, role) {
    this.section.hidden = !model.drawn;
    if (!model.drawn) return;
    const drawn = role.player?.drawnClub;
    this.mine.hidden = !drawn;
    this.myClub.textContent = drawn ?? '';
    this.list.replaceChildren(
      ...model.pairs.map((pair) => {
        const player = playerById(model, pair.playerId);
        const item = el('li', 'result-pair');
        item.dataset.playerId = pair.playerId;
        item.dataset.club = pair.club;
        if (pair.playerId === role.player?.id) item.classList.add('is-you');
        item.append(el('span', 'result-player', player ? fullName(player) : pair.playerId), el('span', 'result-club', pair.club));
        return item;
      }),
    );
  }
}
