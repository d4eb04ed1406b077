/**
 * The registration page: checks each field as the server will, shows the server's own
 * per-field messages (a taken username or email), then goes to the account page.
 * @module register
 */
import { register, restore, renderAccountNav } from './session.js';
import { RULES, validate, revalidateOnInput, showApiError } from './forms.js';

const form = /** @type {HTMLFormElement} */ (document.getElementById('register-form'));
const notice = /** @type {HTMLElement} */ (document.getElementById('form-error'));
const submit = /** @type {HTMLButtonElement} */ (document.getElementById('submit'));
const checks = [
  ['username', RULES.username],
  ['email', RULES.email],
  ['displayName', RULES.displayName],
  ['password', RULES.password],
];

renderAccountNav(/** @type {HTMLElement} */ (document.getElementById('account-nav')));
restore().catch(() => {});
revalidateOnInput(form, checks);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  notice.hidden = true;
  if (!validate(form, checks)) return;
  const value = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value;
  const fields = { username: value('username').trim(), email: value('email').trim(), password: value('password') };
  if (value('displayName').trim()) fields.displayName = value('displayName').trim();
  submit.disabled = true;
  try {
    await register(fields);
    location.assign('account.html');
  } catch (error) {
    showApiError(form, notice, error);
  } finally {
    submit.disabled = false;
  }
});
