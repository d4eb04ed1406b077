/**
 * The Board page's toasts: an info one (`#toast`) and an error one (`#error`), each hiding
 * itself after a few seconds or on click. Text only ever goes in through textContent.
 * @module board-ui
 */

const HIDE_MS = 5_000;

/**
 * A toast: `show(message, action?)` shows `message` (and a button for `action`, such as
 * "Undo"); it hides itself after a few seconds, or on a click anywhere on it.
 * @returns {(message: string, action?: {label: string, run: () => void}) => void}
 */
function toaster(id) {
  const element = document.getElementById(id);
  let timer = 0;
  const hide = () => {
    clearTimeout(timer);
    if (element) element.hidden = true;
  };
  element?.addEventListener('click', hide);
  return (message, action) => {
    if (!element) return;
    const text = el('span', 'toast-text', message);
    element.replaceChildren(text);
    if (action) {
      const button = /** @type {HTMLButtonElement} */ (el('button', 'button button-small toast-action', action.label));
      button.type = 'button';
      button.addEventListener('click', (event) => {
        event.stopPropagation();
        hide();
        action.run();
      });
      element.append(button);
    }
    element.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(hide, action ? HIDE_MS * 2 : HIDE_MS);
  };
}

/** Shows a passing message ("Link copied"), optionally with an action ("Undo"). */
export const showInfo = toaster('toast');
/** Shows what went wrong. */
export const showError = toaster('error');

/** Shorthand for document.getElementById. */
export const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** A new element with a class and text (textContent). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/**
 * Copies `text` (a link) to the clipboard and says so with `copied`; without the clipboard
 * API (an insecure origin, or permission refused) the old way, or else shows the link.
 * @param {string} text
 * @param {string} copied
 */
export async function copyText(text, copied) {
  try {
    await navigator.clipboard.writeText(text);
    showInfo(copied);
  } catch {
    const field = /** @type {HTMLInputElement} */ (el('input', 'visually-hidden'));
    field.value = text;
    document.body.append(field);
    field.select();
    const done = document.execCommand?.('copy');
    field.remove();
    showInfo(done ? copied : `Share this link: ${text}`);
  }
}
