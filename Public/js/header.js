/**
 * The one header of every page: the brand, the apps, the connection status (on the pages
 * that have a connection: the page puts its `#status` in the `<header>`), and the account
 * (the signed-in name, Users for an admin, Agents for an agent, Log out; or Log in and Register).
 *
 * A page has `<header class="site-header" data-app="board">` (its app's id, marked as the
 * current one) and imports this module first; the bar is built when the module loads, so
 * `#account-nav` and `#status` exist when the page's own code runs. On a phone the bar is
 * compact (css: the brand's word and the status text are hidden, the name is shortened).
 * @module header
 */
import { logout, onAccount } from './session.js';

/** The apps in the header, in order (each `href` must load). */
export const APPS = Object.freeze([
  { id: 'board', name: 'Board', href: 'board.html' },
  { id: 'counter', name: 'Counter', href: 'counter.html' },
  { id: 'teams', name: 'Teams', href: 'teams.html' },
  { id: 'chat', name: 'Chat', href: 'chat.html' },
]);

function link(href, text, id, className) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  if (id) a.id = id;
  if (className) a.className = className;
  return a;
}

/** Builds the bar into `header` (once). */
export function mountHeader(header = /** @type {HTMLElement|null} */ (document.querySelector('.site-header'))) {
  if (!header || header.querySelector('.topbar')) return;
  const page = header.dataset.app ?? '';
  const bar = document.createElement('div');
  bar.className = 'topbar';

  const brand = link('./', '', undefined, 'brand');
  const logo = document.createElement('img');
  logo.src = 'favicon.svg';
  logo.alt = '';
  const word = document.createElement('span');
  word.className = 'brand-word';
  word.textContent = 'Huddle';
  brand.append(logo, word);
  brand.setAttribute('aria-label', 'Huddle: all apps');

  const apps = document.createElement('nav');
  apps.className = 'app-nav';
  apps.setAttribute('aria-label', 'Apps');
  let current = null;
  for (const app of APPS) {
    const a = link(app.href, app.name, `nav-app-${app.id}`);
    if (app.id === page) {
      a.setAttribute('aria-current', 'page');
      current = a;
    }
    apps.append(a);
  }

  const account = document.createElement('nav');
  account.id = 'account-nav';
  account.className = 'account-nav';
  account.setAttribute('aria-label', 'Account');

  const status = header.querySelector('#status');
  bar.append(brand, apps, ...(status ? [status] : []), account);
  header.prepend(bar);
  renderAccount(account, page);
  // On a phone the apps may scroll sideways: the current one is the one to see.
  const reveal = () => {
    if (current && apps.scrollWidth > apps.clientWidth) current.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  };
  if (document.readyState === 'complete') reveal();
  else addEventListener('load', reveal, { once: true });
}

/** The account part: the signed-in name (and Users, Log out), or Log in and Register. */
function renderAccount(nav, page) {
  onAccount((current) => {
    const items = [];
    if (current && !current.guest) {
      const me = link('account.html', current.displayName, 'nav-account', 'nav-name');
      me.title = `Signed in as ${current.displayName}`;
      if (page === 'account') me.setAttribute('aria-current', 'page');
      items.push(me);
      if (current.role === 'admin') {
        const users = link('admin.html', 'Users', 'nav-admin', 'nav-extra');
        if (page === 'admin') users.setAttribute('aria-current', 'page');
        items.push(users);
      }
      if (current.role === 'agent') {
        const agents = link('agents.html', 'Agents', 'nav-agents', 'nav-extra');
        if (page === 'agents') agents.setAttribute('aria-current', 'page');
        items.push(agents);
      }
      if (page !== 'account') {
        // The account page has its own Log out; every other page has this one.
        const out = document.createElement('button');
        out.type = 'button';
        out.className = 'button button-small nav-extra';
        out.id = 'nav-logout';
        out.textContent = 'Log out';
        out.addEventListener('click', () => logout().catch(() => {}));
        items.push(out);
      }
    } else {
      const here = `${location.pathname.split('/').pop() || 'index.html'}${location.search}`;
      const next = page === 'login' || page === 'register' ? '' : `?next=${encodeURIComponent(here)}`;
      if (page !== 'login') items.push(link(`login.html${next}`, 'Log in', 'nav-login'));
      if (page !== 'register') items.push(link('register.html', 'Register', 'nav-register', 'nav-extra'));
    }
    nav.replaceChildren(...items);
    nav.dataset.state = current && !current.guest ? 'signed-in' : 'signed-out';
  });
}

mountHeader();
