/**
 * The Teams app's front page (`teams.html`): create a tournament (`POST /api/v1/tournaments`)
 * and list the caller's own (`GET /api/v1/tournaments`). A guest creates with this browser's
 * Teams guest (teams-api.js) and keeps the answer's pass, so the tournament's page opens as
 * its organiser, also after a reload or on another day (for as long as the pass lasts).
 * @module teams
 */
import './header.js';
import { call, explain, freshestPass, guestActor, keepPass, sessionReady, someGuest, tournamentPath, userActor } from './teams-api.js';
import { DEFAULT_CLUBS, ID_RULE, LIMITS, cleanText, clubLines } from './teams-model.js';
import { revalidateOnInput, setFieldError, showApiError, validate } from './forms.js';
import { $, el } from './board-ui.js';

const form = /** @type {HTMLFormElement} */ ($('create-form'));
const field = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** How many clubs the tournament will have: the organiser's own, or the default ten. */
function clubCount() {
  const own = clubLines(field('clubs').value);
  return own.length ? own.length : DEFAULT_CLUBS.length;
}

const CHECKS = [
  ['name', { test: (v) => cleanText(v, LIMITS.nameMax) !== null, message: `Use 1 to ${LIMITS.nameMax} characters.` }],
  [
    'playerLimit',
    {
      test: (v) => /^\d+$/.test(v.trim()) && Number(v) >= 2 && Number(v) <= Math.max(2, clubCount()),
      get message() {
        return `A whole number from 2 to ${Math.max(2, clubCount())} (the number of clubs).`;
      },
    },
  ],
];

/** The actor to list and create as: the signed-in user, or this browser's Teams guest. */
async function actor({ create }) {
  await sessionReady();
  const user = userActor();
  if (user) return user;
  const pass = freshestPass(globalThis.localStorage);
  if (pass) return guestActor(pass);
  return create ? someGuest() : null;
}

function wireForm() {
  $('default-clubs').textContent = DEFAULT_CLUBS.join(', ');
  const limit = field('playerLimit');
  const syncMax = () => {
    limit.max = String(Math.max(2, clubCount()));
  };
  field('clubs').addEventListener('input', syncMax);
  revalidateOnInput(form, CHECKS);
  const problem = $('create-problem');
  const button = /** @type {HTMLButtonElement} */ ($('create'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.hidden = true;
    for (const name of ['clubs', 'drawRule']) setFieldError(form, name, '');
    if (!validate(form, CHECKS)) return;
    const clubs = clubLines(field('clubs').value);
    const body = { name: field('name').value.trim(), playerLimit: Number(limit.value), drawRule: field('drawRule').value };
    if (clubs.length) body.clubs = clubs;
    button.disabled = true;
    try {
      const who = await actor({ create: true });
      const created = await call(who, 'POST', 'tournaments', body);
      if (!ID_RULE.test(String(created?.id))) throw new Error('the server sent no tournament id');
      keepPass(who, created.id, created);
      location.assign(tournamentPath(created.id));
    } catch (error) {
      button.disabled = false;
      if (error?.code === 'name_taken') {
        setFieldError(form, 'name', error.message || 'Another tournament has this name.');
        field('name').focus();
      } else if (error?.status === 400 && Object.keys(error.fields ?? {}).length) {
        showApiError(form, problem, error);
      } else {
        problem.textContent = explain(error, 'The tournament could not be created');
        problem.hidden = false;
      }
    }
  });
}

async function loadMine() {
  const status = $('mine-status');
  const list = $('mine-list');
  try {
    const who = await actor({ create: false });
    if (!who) {
      status.textContent = 'Tournaments you create show up here.';
      list.dataset.loaded = 'true';
      return;
    }
    const answer = await call(who, 'GET', 'tournaments?limit=50');
    const tournaments = (Array.isArray(answer?.tournaments) ? answer.tournaments : []).filter((t) => t && ID_RULE.test(String(t.id)));
    list.replaceChildren(
      ...tournaments.map((t) => {
        const item = el('li', 'board-row');
        item.dataset.tournamentId = t.id;
        const link = el('a', 'board-link', String(t.name ?? ''));
        link.href = tournamentPath(t.id);
        const parts = [`${Number(t.players) || 0} of ${Number(t.playerLimit) || 0} players`, t.drawn ? 'drawn' : 'open'];
        if (Number(t.createdAt) > 0) parts.push(`created ${dateFormat.format(new Date(Number(t.createdAt)))}`);
        item.append(link, el('span', 'board-meta', parts.join(' · ')));
        return item;
      }),
    );
    status.textContent = tournaments.length
      ? ''
      : who.kind === 'guest'
        ? 'Tournaments you create as a guest show up here in this browser for a day. Log in to keep them.'
        : 'You have no tournaments yet: create one above.';
    status.hidden = status.textContent === '';
    list.dataset.loaded = 'true';
  } catch (error) {
    status.textContent = explain(error, 'Your tournaments could not be loaded');
    list.dataset.loaded = 'error';
  }
}

wireForm();
loadMine();
