// @ts-check
/** The page's fixed elements, found by id and checked for their kind once, when a panel starts. */

/**
 * The element `#id`, which the page's HTML has; a missing one, or one of another kind, fails here by name.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} kind e.g. HTMLButtonElement
 * @returns {T}
 */
export function pageElement(id, kind) {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`the page has no ${kind.name} #${id}`);
  return element;
}
