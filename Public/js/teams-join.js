/**
 * The join form, for a newcomer (not the organiser, not a player, while there is room and no
 * draw): name and surname, `POST /api/v1/tournaments/{id}/players`. A guest joins with a guest
 * token; the answer's `pass` replaces it and is kept (teams-api.js), so the page stays this
 * player after a reload. Per-field problems come from the server's `fields` (400); a 409
 * (`already_joined`, `tournament_full`) is said under the form.
 * @module teams-join
 */
import { call, explain, keepPass, someGuest } from './teams-api.js';
import { LIMITS, cleanText } from './teams-model.js';
import { revalidateOnInput, setFieldError, showApiError, validate } from './forms.js';
import { $ } from './board-ui.js';

/** @typedef {import('./teams-live.js').TournamentPage} TournamentPage */

const NAME_RULE = {
  test: (value) => cleanText(value, LIMITS.playerNameMax) !== null,
  message: `Use 1 to ${LIMITS.playerNameMax} characters.`,
};
const CHECKS = [['name', NAME_RULE], ['surname', NAME_RULE]];

export class JoinForm {
  #page;

  /** @param {TournamentPage} page */
  constructor(page) {
    this.#page = page;
    this.section = $('join');
    this.form = /** @type {HTMLFormElement} */ ($('join-form'));
    this.submit = /** @type {HTMLButtonElement} */ ($('join-submit'));
    this.problem = $('join-problem');
    revalidateOnInput(this.form, CHECKS);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#join();
    });
  }

  hide() {
    this.section.hidden = true;
  }

  render(model, role) {
    this.section.hidden = role.view !== 'newcomer';
  }

  async #join() {
    const page = this.#page;
    this.problem.hidden = true;
    if (!validate(this.form, CHECKS)) return;
    const field = (name) => /** @type {HTMLInputElement} */ (this.form.elements.namedItem(name)).value.trim();
    this.submit.disabled = true;
    try {
      const actor = page.actor ?? (await someGuest());
      const answer = await call(actor, 'POST', `tournaments/${encodeURIComponent(page.id)}/players`, {
        name: field('name'),
        surname: field('surname'),
      });
      page.becomes(keepPass(actor, page.id, answer));
      for (const [name] of CHECKS) setFieldError(this.form, name, '');
      page.takeView(answer);
    } catch (error) {
      if (error?.status === 400 && Object.keys(error.fields ?? {}).length) showApiError(this.form, this.problem, error);
      else {
        this.problem.textContent = explain(error, 'You could not join');
        this.problem.hidden = false;
      }
    } finally {
      this.submit.disabled = false;
    }
  }
}
