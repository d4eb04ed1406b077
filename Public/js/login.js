/**
 * The log-in page: username or email and password; on success, on to `?next=` (a page of
 * this site) or the account page.
 * @module login
 */
import './header.js';
import { login, logout, restore, onAccount } from './session.js';
import { RULES, addPasswordToggles, validate, revalidateOnInput, showApiError, whileBusy } from './forms.js';

const form = /** @type {HTMLFormElement} */ (document.getElementById('login-form'));
const notice = /** @type {HTMLElement} */ (document.getElementById('form-error'));
const submit = /** @type {HTMLButtonElement} */ (document.getElementById('submit'));
const checks = [
  ['login', RULES.login],
  ['password', RULES.loginPassword],
];

/** Only same-site relative pages, so a crafted link cannot send people elsewhere. */
export function nextPage(search) {
  const next = new URLSearchParams(search).get('next') || '';
  return /^[A-Za-z0-9_-]+\.html(\?[^#]*)?$/.test(next) ? next : 'account.html';
}

// Someone signed in already sees who, not the form.
onAccount((account) => {
  const signedIn = Boolean(account && !account.guest);
  /** @type {HTMLElement} */ (document.getElementById('already')).hidden = !signedIn;
  form.hidden = signedIn;
  /** @type {HTMLElement} */ (document.getElementById('already-name')).textContent = account?.displayName ?? '';
});
document.getElementById('already-logout')?.addEventListener('click', () => logout().catch(() => {}));
addPasswordToggles(form);
restore().catch(() => {});
revalidateOnInput(form, checks);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  notice.hidden = true;
  if (!validate(form, checks)) return;
  try {
    await whileBusy(submit, 'Logging in…', () =>
      login(form.elements.namedItem('login').value.trim(), form.elements.namedItem('password').value));
    location.assign(nextPage(location.search));
  } catch (error) {
    showApiError(form, notice, error);
  }
});
