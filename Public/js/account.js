/**
 * My account: who is signed in, and log out (which logs out every tab of this browser).
 * @module account
 */
import './header.js';
import { restore, logout, onAccount } from './session.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

onAccount((account) => {
  $('loading').hidden = true;
  const signedIn = Boolean(account && !account.guest);
  $('signed-in').hidden = !signedIn;
  $('signed-out').hidden = signedIn;
  if (!signedIn) return;
  $('account-heading').textContent = account.displayName;
  $('account-username').textContent = account.username ?? '';
  $('account-email').textContent = account.email ?? '';
  $('account-role').textContent = account.role ?? '';
  $('account-created').textContent = account.createdAt ? new Date(account.createdAt).toLocaleDateString() : '';
  $('admin-link').hidden = account.role !== 'admin';
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
