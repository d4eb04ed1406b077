/**
 * The organiser's panel: the join link as a QR code big enough to scan across a room, the
 * link itself with Copy, and the Draw button (enabled once the tournament is full and every
 * player picked; `POST /api/v1/tournaments/{id}/draw`). The draw's event reaches every page.
 * @module teams-organiser
 */
import { call, explain } from './teams-api.js';
import { drawHint } from './teams-model.js';
import { $, copyText } from './board-ui.js';

/** @typedef {import('./teams-live.js').TournamentPage} TournamentPage */
/** @typedef {import('./teams-model.js').Tournament} Tournament */

export class OrganiserPanel {
  #page;
  #drawing = false;

  /** @param {TournamentPage} page */
  constructor(page) {
    this.#page = page;
    this.section = $('organiser');
    this.qr = /** @type {HTMLImageElement} */ ($('qr'));
    this.link = /** @type {HTMLInputElement} */ ($('join-url'));
    this.draw = /** @type {HTMLButtonElement} */ ($('draw'));
    this.hint = $('draw-hint');
    this.problem = $('draw-problem');
    $('copy-join').addEventListener('click', () => copyText(this.link.value, 'Join link copied: send it to the players.'));
    this.link.addEventListener('focus', () => this.link.select());
    this.draw.addEventListener('click', () => this.#draw());
  }

  hide() {
    this.section.hidden = true;
  }

  /** @param {Tournament} model @param {ReturnType<typeof import('./teams-model.js').roleOf>} role */
  render(model, role) {
    this.section.hidden = role.view !== 'organiser';
    if (this.section.hidden) return;
    const src = `api/v1/tournaments/${encodeURIComponent(model.id)}/qr.svg`;
    if (this.qr.getAttribute('src') !== src) this.qr.src = src;
    const link = model.joinUrl || new URL(`tournament.html?id=${encodeURIComponent(model.id)}`, document.baseURI).href;
    if (this.link.value !== link) this.link.value = link;
    this.draw.disabled = this.#drawing || !model.ready || model.drawn;
    this.hint.textContent = drawHint(model);
  }

  async #draw() {
    const page = this.#page;
    this.#drawing = true;
    this.problem.hidden = true;
    page.render();
    try {
      page.takeView(await call(page.actor, 'POST', `tournaments/${encodeURIComponent(page.id)}/draw`));
    } catch (error) {
      this.problem.textContent = explain(error, 'The draw could not be made');
      this.problem.hidden = false;
    } finally {
      this.#drawing = false;
      page.render();
    }
  }
}
