/**
 * The registration page: checks each field as the server will, shows the server's own
 * per-field messages (a taken username or email), then goes to the account page.
 * @module register
 */
import './header.js';
import { register, restore } from './session.js';
import { RULES, addPasswordToggles, validate, revalidateOnInput, showApiError, whileBusy } from './forms.js';

const form = /** @type {HTMLFormElement} */ (document.getElementById('register-form'));
const notice = /** @type {HTMLElement} */ (document.getElementById('form-error'));
const submit = /** @type {HTMLButtonElement} */ (document.getElementById('submit'));
const checks = [
  ['username', RULES.username],
  ['email', RULES.email],
  ['displayName', RULES.displayName],
  ['password', RULES.password],
];

restore().catch(() => {});
revalidateOnInput(form, checks);
addPasswordToggles(form);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  notice.hidden = true;
  if (!validate(form, checks)) return;
  const value = (name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value;
  const fields = { username: value('username').trim(), email: value('email').trim(), password: value('password') };
  if (value('displayName').trim()) fields.displayName = value('displayName').trim();
  try {
    await whileBusy(submit, 'Creating your account…', () => register(fields));
    location.assign('account.html');
  } catch (error) {
    showApiError(form, notice, error);
  }
});
