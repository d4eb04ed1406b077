/**
 * The admin users page: list (paged), create, deactivate/activate, change role. The server
 * enforces every rule; this page only shows what it allows.
 * @module admin
 */
import './header.js';
import { api, restore, onAccount, currentAccount } from './session.js';
import { RULES, validate, revalidateOnInput, showApiError } from './forms.js';

const PAGE = 50;
const ROLES = ['user', 'agent', 'admin'];
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const form = /** @type {HTMLFormElement} */ ($('create-form'));
const checks = [
  ['username', RULES.username],
  ['email', RULES.email],
  ['password', RULES.password],
];
let offset = 0;
/** A message in element `id` that hides itself after `ms`. */
function flasher(id, ms) {
  let timer = 0;
  return (message) => {
    $(id).textContent = message;
    $(id).hidden = false;
    clearTimeout(timer);
    timer = setTimeout(() => ($(id).hidden = true), ms);
  };
}
const showError = flasher('error', 6_000);
/** Says what a change did, above the list. */
const showDone = flasher('admin-status', 8_000);
$('error').addEventListener('click', () => ($('error').hidden = true));

function cell(text, label) {
  const td = document.createElement('td');
  td.textContent = text;
  td.dataset.label = label;
  return td;
}

/** The search box's text: the server finds the users (every page, not only this one). */
function searchText() {
  return /** @type {HTMLInputElement} */ ($('user-search')).value.trim();
}

function row(user) {
  const tr = document.createElement('tr');
  tr.dataset.user = user.username;
  tr.dataset.active = String(user.active);
  const self = user.id === currentAccount()?.id;

  const role = document.createElement('select');
  role.className = 'select';
  role.setAttribute('aria-label', `Role of ${user.username}`);
  for (const name of ROLES) {
    const option = document.createElement('option');
    option.value = option.textContent = name;
    option.selected = name === user.role;
    role.append(option);
  }
  role.disabled = self;
  role.addEventListener('change', () => {
    const next = role.value;
    if (!confirm(`Make ${user.username} ${next === 'admin' ? 'an admin' : `a${next === 'agent' ? 'n' : ''} ${next}`}?`)) {
      role.value = user.role;
      return;
    }
    change(user, { role: next }, `${user.username} is now ${next === 'admin' ? 'an admin' : `a${next === 'agent' ? 'n' : ''} ${next}`}.`);
  });
  const roleCell = cell('', 'Role');
  roleCell.append(role);

  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'button button-small';
  toggle.textContent = user.active ? 'Deactivate' : 'Activate';
  toggle.disabled = self;
  if (self) toggle.title = 'You cannot deactivate yourself';
  toggle.addEventListener('click', () => {
    const question = user.active
      ? `Deactivate ${user.username}? They are signed out and can no longer log in, until you activate them again.`
      : `Activate ${user.username} again? They can log in again.`;
    if (!confirm(question)) return;
    change(user, { active: !user.active }, `${user.username} is ${user.active ? 'deactivated' : 'active again'}.`);
  });
  const actions = cell('', '');
  actions.append(toggle);

  const status = cell('', 'Status');
  const badge = document.createElement('span');
  badge.className = `badge ${user.active ? 'badge-ok' : 'badge-off'}`;
  badge.textContent = user.active ? 'Active' : 'Deactivated';
  status.append(badge);
  if (self) status.append(' ', Object.assign(document.createElement('span'), { className: 'badge', textContent: 'You' }));

  tr.append(cell(user.username, 'Username'), cell(user.displayName, 'Name'), cell(user.email ?? '', 'Email'), roleCell, status, actions);
  return tr;
}

async function change(user, changes, done) {
  try {
    await api('PATCH', `users/${encodeURIComponent(user.id)}`, changes);
    showDone(done);
  } catch (error) {
    showError(`Could not change ${user.username}: ${error.message}`);
  }
  await load();
}

async function load() {
  try {
    const query = searchText();
    const search = query ? `&q=${encodeURIComponent(query)}` : '';
    const page = await api('GET', `users?offset=${offset}&limit=${PAGE}${search}`);
    if (query !== searchText()) return; // typed on meanwhile: a newer load is on its way
    $('users').replaceChildren(...page.users.map(row));
    $('search-empty').hidden = page.total > 0 || !query;
    const last = Math.min(page.total, offset + page.users.length);
    $('page-info').textContent = page.total ? `${offset + 1}–${last} of ${page.total}` : 'No users';
    /** @type {HTMLButtonElement} */ ($('previous')).disabled = offset === 0;
    /** @type {HTMLButtonElement} */ ($('next')).disabled = last >= page.total;
  } catch (error) {
    showError(`Could not load users: ${error.message}`);
  }
}

$('previous').addEventListener('click', () => {
  offset = Math.max(0, offset - PAGE);
  load();
});
$('next').addEventListener('click', () => {
  offset += PAGE;
  load();
});

let searchTimer = 0;
$('user-search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    offset = 0;
    load();
  }, 250);
});
revalidateOnInput(form, checks);
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  $('form-error').hidden = true;
  if (!validate(form, checks)) return;
  const value = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value;
  try {
    await api('POST', 'users', {
      username: value('username').trim(), email: value('email').trim(), password: value('password'), role: value('role'),
    });
    form.reset();
    showDone(`${value('username').trim() || 'The user'} was created.`);
    await load();
  } catch (error) {
    showApiError(form, $('form-error'), error);
  }
});

onAccount((account) => {
  $('loading').hidden = true;
  const admin = account?.role === 'admin';
  $('users-card').hidden = !admin;
  $('create-card').hidden = !admin;
  $('denied').hidden = admin;
  $('denied-login').hidden = Boolean(account && !account.guest);
  if (!account || account.guest) {
    $('denied-text').textContent = 'Log in as an admin to manage users.';
  } else if (!admin) {
    $('denied-text').textContent = 'Only admins can manage users.';
  }
  if (admin) load();
});
restore().catch((error) => showError(`Could not load your session: ${error.message}`));
