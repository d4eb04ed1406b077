/**
 * The launcher: renders the list of Huddle's apps into `#apps`.
 *
 * To add an app, add one entry to `apps` (only apps that exist: each `href` must load).
 * @module launcher
 */

import './header.js';
import { onAccount, restore } from './session.js';

/**
 * @typedef {object} AppEntry
 * @property {string} id      stable key (also `data-app` on the card, for tests)
 * @property {string} name    shown as the card title
 * @property {string} href    the app's page, relative to the launcher
 * @property {string} icon    one or two characters shown as the card's icon
 * @property {string} summary one sentence: what it does
 * @property {boolean} [adminOnly] shown only to a signed-in admin
 * @property {boolean} [agentOnly] shown only to a signed-in agent (role `agent`)
 */

/** @type {AppEntry[]} */
export const apps = [
  {
    id: 'board',
    name: 'Board',
    href: 'board.html',
    icon: '▦',
    summary: 'A shared canvas of boxes: drag, resize, write and recolour them together, with everyone’s cursor live.',
  },
  {
    id: 'counter',
    name: 'Counter',
    href: 'counter.html',
    icon: '+1',
    summary: 'One shared number: press the button and everyone watching sees it go up at once.',
  },
  {
    id: 'teams',
    name: 'Teams',
    href: 'teams.html',
    icon: '⚽',
    summary: 'A tournament’s team draw: players join by QR code, each picks a club, and the draw hands the clubs out.',
  },
  {
    id: 'chat',
    name: 'Chat',
    href: 'chat.html',
    icon: '💬',
    summary: 'Support chat: an assistant that remembers what you said answers at once, and a person takes over when you ask.',
  },
  {
    id: 'agents',
    name: 'Agent console',
    href: 'agents.html',
    icon: '🎧',
    summary: 'For agents: the support queue, claim a conversation, reply, hand it on or back to the assistant.',
    agentOnly: true,
  },
  {
    id: 'account',
    name: 'My account',
    href: 'account.html',
    icon: '@',
    summary: 'Register, log in and out. You stay signed in when you reload or open another tab.',
  },
  {
    id: 'admin',
    name: 'Users',
    href: 'admin.html',
    icon: '⚙',
    summary: 'For admins: see everyone’s accounts, add people, change roles, deactivate accounts.',
    adminOnly: true,
  },
];

/**
 * Renders `entries` as cards into `list` (a `<ul>`), replacing what was there.
 * Text goes in with textContent only.
 * @param {AppEntry[]} entries
 * @param {HTMLElement} list
 */
export function renderApps(entries, list) {
  const items = entries.map((app) => {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.className = 'card app-card';
    link.href = app.href;
    link.dataset.app = app.id;

    const icon = document.createElement('span');
    icon.className = 'app-icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = app.icon;

    const title = document.createElement('h2');
    title.textContent = app.name;

    const summary = document.createElement('p');
    summary.textContent = app.summary;

    const open = document.createElement('span');
    open.className = 'app-open';
    open.setAttribute('aria-hidden', 'true');
    open.textContent = 'Open →';

    link.append(icon, title, summary, open);
    item.append(link);
    return item;
  });
  list.replaceChildren(...items);
}

/** The apps `account` may use: the admin-only ones for admins only, the agent-only ones for agents. */
export function appsFor(account) {
  const role = account && !account.guest ? account.role : undefined;
  return apps.filter((app) => (!app.adminOnly || role === 'admin') && (!app.agentOnly || role === 'agent'));
}

const list = document.getElementById('apps');
if (list) {
  let shown = appsFor(null);
  renderApps(shown, list);
  // The admin or agent card comes once the session says so (rendered again only when the list changes).
  onAccount((account) => {
    const next = appsFor(account);
    if (next.map((app) => app.id).join() === shown.map((app) => app.id).join()) return;
    shown = next;
    renderApps(shown, list);
  });
  restore().catch(() => {});
}
