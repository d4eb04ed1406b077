/**
 * Inline validation for the account forms: one message slot per field
 * (`<p class="field-error" id="{field}-error">`), filled by the page's own checks and by
 * the server's per-field `fields` in a 400 or 409.
 * @module forms
 */

export const RULES = {
  username: {
    test: (v) => /^[A-Za-z0-9_.-]{3,32}$/.test(v),
    message: 'Use 3 to 32 of a-z, 0-9, _ . and -.',
  },
  email: {
    test: (v) => v.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
    message: 'Enter a valid email address.',
  },
  password: {
    test: (v) => v.length >= 10 && v.length <= 200,
    message: 'Use at least 10 characters.',
  },
  displayName: {
    test: (v) => v.trim() === '' || v.trim().length <= 40,
    message: 'Use at most 40 characters.',
  },
  /** On the account page a display name is no longer optional. */
  requiredDisplayName: {
    test: (v) => v.trim() !== '' && v.trim().length <= 40,
    message: 'Use 1 to 40 characters.',
  },
  login: { test: (v) => v.trim() !== '', message: 'Enter your username or email.' },
  currentPassword: { test: (v) => v !== '', message: 'Enter your current password.' },
  loginPassword: { test: (v) => v !== '', message: 'Enter your password.' },
};

/**
 * Shows `message` under `input` (or clears it when empty).
 * @param {HTMLFormElement} form
 * @param {string} field
 * @param {string} message
 */
export function setFieldError(form, field, message) {
  const input = form.elements.namedItem(field);
  const slot = form.querySelector(`#${field}-error`);
  if (slot) {
    slot.textContent = message;
    slot.hidden = !message;
  }
  // The hint says the rule; while the error says it, the hint steps aside.
  const hint = form.querySelector(`#${field}-hint`);
  if (hint instanceof HTMLElement) hint.hidden = Boolean(message);
  if (input instanceof HTMLElement) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

/**
 * Checks each `[field, rule]`, shows every message, focuses the first bad field.
 * @returns {boolean} whether all passed
 */
export function validate(form, checks) {
  let first = null;
  for (const [field, rule] of checks) {
    const input = /** @type {HTMLInputElement} */ (form.elements.namedItem(field));
    const ok = rule.test(input.value);
    setFieldError(form, field, ok ? '' : rule.message);
    if (!ok && !first) first = input;
  }
  first?.focus();
  return !first;
}

/** Re-checks a field when it changes after a failed submit, so fixed fields clear at once. */
export function revalidateOnInput(form, checks) {
  for (const [field, rule] of checks) {
    const input = /** @type {HTMLInputElement} */ (form.elements.namedItem(field));
    input.addEventListener('input', () => {
      if (input.getAttribute('aria-invalid') === 'true') {
        setFieldError(form, field, rule.test(input.value) ? '' : rule.message);
      }
    });
  }
}

/**
 * Shows an API error: per-field messages next to their fields, the rest in `notice`.
 * @param {HTMLFormElement} form
 * @param {HTMLElement} notice
 * @param {any} error
 */
export function showApiError(form, notice, error) {
  const fields = error?.fields || {};
  let placed = false;
  for (const [field, message] of Object.entries(fields)) {
    if (form.querySelector(`#${field}-error`)) {
      setFieldError(form, field, message);
      placed = true;
    }
  }
  const text = error?.status === 429 || !placed ? error?.message || 'Something went wrong.' : '';
  notice.textContent = text;
  notice.hidden = !text;
}

/**
 * A Show/Hide button after each password field of `form` (the field's type switches; the
 * button says which way it goes).
 * @param {HTMLFormElement} form
 */
export function addPasswordToggles(form) {
  for (const input of form.querySelectorAll('input[type="password"]')) {
    const wrap = document.createElement('div');
    wrap.className = 'password-field';
    input.replaceWith(wrap);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-small password-toggle';
    button.setAttribute('aria-controls', input.id);
    const show = (visible) => {
      /** @type {HTMLInputElement} */ (input).type = visible ? 'text' : 'password';
      button.textContent = visible ? 'Hide' : 'Show';
      button.setAttribute('aria-label', visible ? 'Hide password' : 'Show password');
      button.setAttribute('aria-pressed', String(visible));
    };
    show(false);
    button.addEventListener('click', () => show(/** @type {HTMLInputElement} */ (input).type === 'password'));
    wrap.append(input, button);
  }
}

/**
 * Marks `button` busy while `work` runs (disabled, `aria-busy`, its text `busyText`).
 * @template T
 * @param {HTMLButtonElement} button
 * @param {string} busyText
 * @param {() => Promise<T>} work
 */
export async function whileBusy(button, busyText, work) {
  const text = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = busyText;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = text;
  }
}
