/**
 * The admin users page: list (paged), create, deactivate/activate, change role. The server
 * enforces every rule; this page only shows what it allows.
 * @module admin
 */
import { api, restore, onAccount, renderAccountNav, currentAccount } from './session.js';
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
let errorTimer = 0;

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
  clearTimeout(errorTimer);
  errorTimer = setTimeout(() => ($('error').hidden = true), 6_000);
}
$('error').addEventListener('click', () => ($('error').hidden = true));

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
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
  role.addEventListener('change', () => change(user, { role: role.value }));
  const roleCell = document.createElement('td');
  roleCell.append(role);

  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'button button-small';
  toggle.textContent = user.active ? 'Deactivate' : 'Activate';
  toggle.disabled = self;
  toggle.addEventListener('click', () => change(user, { active: !user.active }));
  const actions = document.createElement('td');
  actions.append(toggle);

  tr.append(
    cell(user.username), cell(user.displayName), cell(user.email ?? ''), roleCell,
    cell(user.active ? 'active' : 'deactivated'), actions,
  );
  return tr;
}

async function change(user, changes) {
  try {
    await api('PATCH', `users/${encodeURIComponent(user.id)}`, changes);
  } catch (error) {
    showError(`Could not change ${user.username}: ${error.message}`);
  }
  await load();
}

async function load() {
  try {
    const page = await api('GET', `users?offset=${offset}&limit=${PAGE}`);
    $('users').replaceChildren(...page.users.map(row));
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
    await load();
  } catch (error) {
    showApiError(form, $('form-error'), error);
  }
});

renderAccountNav($('account-nav'));
onAccount((account) => {
  $('loading').hidden = true;
  const admin = account?.role === 'admin';
  $('users-card').hidden = !admin;
  $('create-card').hidden = !admin;
  $('denied').hidden = admin;
  if (!account || account.guest) {
    $('denied').textContent = 'Log in as an admin to manage users.';
  } else if (!admin) {
    $('denied').textContent = 'Only admins can manage users.';
  }
  if (admin) load();
});
restore().catch((error) => showError(`Could not load your session: ${error.message}`));
