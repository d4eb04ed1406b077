/**
 * The Board page's toasts: an info one (`#toast`) and an error one (`#error`), each hiding
 * itself after a few seconds or on click. Text only ever goes in through textContent.
 * @module board-ui
 */

const HIDE_MS = 5_000;

function toaster(id) {
  const element = document.getElementById(id);
  let timer = 0;
  const hide = () => {
    clearTimeout(timer);
    if (element) element.hidden = true;
  };
  element?.addEventListener('click', hide);
  return (message) => {
    if (!element) return;
    element.textContent = String(message);
    element.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(hide, HIDE_MS);
  };
}

/** Shows a passing message ("Link copied"). */
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
