/**
 * My account: who is signed in, changing the display name, email and password, and log out
 * (which logs out every tab of this browser). User text goes in with textContent only.
 * @module account
 */
import './header.js';
import { restore, logout, onAccount, updateProfile, changePassword } from './session.js';
import { RULES, addPasswordToggles, validate, revalidateOnInput, showApiError, whileBusy } from './forms.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const profileForm = /** @type {HTMLFormElement} */ ($('profile-form'));
const passwordForm = /** @type {HTMLFormElement} */ ($('password-form'));
const input = (form, name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
const profileChecks = [
  ['displayName', RULES.requiredDisplayName],
  ['email', RULES.email],
];
const passwordChecks = [
  ['currentPassword', RULES.currentPassword],
  ['newPassword', RULES.password],
];

/** Shows `text` in the element `id` (a notice or a `role=status` line), or hides it when empty. */
function say(id, text) {
  $(id).textContent = text;
  $(id).hidden = !text;
}

let shownFor = '';
onAccount((account) => {
  $('loading').hidden = true;
  const signedIn = Boolean(account && !account.guest);
  for (const id of ['signed-in', 'profile', 'password-card']) $(id).hidden = !signedIn;
  $('signed-out').hidden = signedIn;
  if (!signedIn) {
    shownFor = '';
    return;
  }
  $('account-heading').textContent = account.displayName;
  $('account-username').textContent = account.username ?? '';
  $('account-email').textContent = account.email ?? '';
  $('account-role').textContent = account.role ?? '';
  $('account-created').textContent = account.createdAt ? new Date(account.createdAt).toLocaleDateString() : '';
  $('admin-link').hidden = account.role !== 'admin';
  input(passwordForm, 'username').value = account.username ?? '';
  // Fill the form once per account, so that a refresh in the background does not overwrite
  // what someone is typing.
  if (shownFor !== account.id) {
    shownFor = account.id;
    input(profileForm, 'displayName').value = account.displayName;
    input(profileForm, 'email').value = account.email ?? '';
  }
});

restore().catch((error) => {
  $('error').textContent = `Could not load your session: ${error.message}`;
  $('error').hidden = false;
});

$('logout').addEventListener('click', () => {
  logout().catch((error) => {
    $('error').textContent = `Logging out failed on the server: ${error.message}`;
    $('error').hidden = false;
  });
});

addPasswordToggles(passwordForm);
revalidateOnInput(profileForm, profileChecks);
revalidateOnInput(passwordForm, passwordChecks);

/**
 * On submit: checks `checks`, runs `work` with `button` busy, and says `done` (or shows the
 * API's error by its fields).
 * @param {HTMLFormElement} form
 * @param {string} prefix the ids `{prefix}-notice`, `{prefix}-status`, `{prefix}-submit`
 * @param {string} busyText
 * @param {() => Promise<string>} work resolves to the success message
 */
function handle(form, prefix, checks, busyText, work) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    say(`${prefix}-notice`, '');
    say(`${prefix}-status`, '');
    if (!validate(form, checks)) return;
    try {
      say(`${prefix}-status`, await whileBusy(/** @type {HTMLButtonElement} */ ($(`${prefix}-submit`)), busyText, work));
    } catch (error) {
      showApiError(form, $(`${prefix}-notice`), error);
    }
  });
}

handle(profileForm, 'profile', profileChecks, 'Saving…', async () => {
  const saved = await updateProfile({
    displayName: input(profileForm, 'displayName').value.trim(),
    email: input(profileForm, 'email').value.trim(),
  });
  input(profileForm, 'displayName').value = saved.displayName;
  input(profileForm, 'email').value = saved.email ?? '';
  return 'Saved.';
});

handle(passwordForm, 'password', passwordChecks, 'Changing…', async () => {
  await changePassword(input(passwordForm, 'currentPassword').value, input(passwordForm, 'newPassword').value);
  input(passwordForm, 'currentPassword').value = '';
  input(passwordForm, 'newPassword').value = '';
  return 'Password changed. Your other sessions (other browsers and devices) were signed out.';
});
