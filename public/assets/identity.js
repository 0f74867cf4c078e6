// @ts-check
/**
 * Who the page acts as. Auth off: a user id (for chat) and an approver id (for decisions), both
 * typed in and kept in localStorage. Auth on: one bearer token; the gateway takes ids from it.
 * The token is kept in sessionStorage, never localStorage: it survives a reload of this tab but
 * not the tab itself, and no other tab or later visit can read it.
 */
import { pageElement } from './page-element.js';

const KEYS = { user: 'awe.user_id', approver: 'awe.approver_id', token: 'awe.token', auth: 'awe.auth' };
export const DEFAULT_USER_ID = 'default_user';
export const DEFAULT_APPROVER_ID = 'manager@bank.com';

/** @param {string} key */
function load(key) {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}
/** @param {string} key @param {string} value */
function save(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage may be disabled (private mode); the page still works for this visit.
  }
}

function loadToken() {
  try {
    // A token an older page left in localStorage is removed, not reused.
    localStorage.removeItem(KEYS.token);
    return sessionStorage.getItem(KEYS.token) ?? undefined;
  } catch {
    return undefined;
  }
}
/** @param {string} value */
function saveToken(value) {
  try {
    sessionStorage.setItem(KEYS.token, value);
  } catch {
    // Not kept across reloads then.
  }
}

/**
 * @param {{ onChange: (what: 'user'|'approver'|'token'|'auth') => void }} options
 */
export function createIdentity({ onChange }) {
  const form = pageElement('identity', HTMLFormElement);
  const userInput = pageElement('user-id', HTMLInputElement);
  const approverInput = pageElement('approver-id', HTMLInputElement);
  const tokenInput = pageElement('token', HTMLInputElement);
  const note = pageElement('identity-note', HTMLElement);

  userInput.value = load(KEYS.user) ?? DEFAULT_USER_ID;
  approverInput.value = load(KEYS.approver) ?? DEFAULT_APPROVER_ID;
  tokenInput.value = loadToken() ?? '';
  let authOn = load(KEYS.auth) === 'on';

  form.addEventListener('submit', (e) => e.preventDefault());
  userInput.addEventListener('change', () => {
    userInput.value = userInput.value.trim() || DEFAULT_USER_ID;
    save(KEYS.user, userInput.value);
    onChange('user');
  });
  approverInput.addEventListener('input', () => save(KEYS.approver, approverInput.value.trim()));
  approverInput.addEventListener('change', () => {
    approverInput.value = approverInput.value.trim() || DEFAULT_APPROVER_ID;
    save(KEYS.approver, approverInput.value);
    onChange('approver');
  });
  tokenInput.addEventListener('change', () => {
    saveToken(tokenInput.value.trim());
    render();
    onChange('token');
  });

  function render() {
    for (const field of form.querySelectorAll('[data-mode]')) {
      /** @type {HTMLElement} */ (field).hidden =
        /** @type {HTMLElement} */ (field).dataset.mode !== (authOn ? 'token' : 'off');
    }
    note.textContent = authOn
      ? tokenInput.value.trim()
        ? 'Sign-in is on: you act as the user the token names.'
        : 'Sign-in is on: paste your token.'
      : 'Sign-in is off: chat acts as the user id, decisions as the approver id.';
  }
  render();

  return {
    userId: () => userInput.value.trim() || DEFAULT_USER_ID,
    approverId: () => approverInput.value.trim() || DEFAULT_APPROVER_ID,
    token: () => (authOn ? tokenInput.value.trim() : ''),
    authOn: () => authOn,
    /** A stable key for "who is chatting", used to keep one session per identity. */
    chatKey: () =>
      authOn ? `token:${fingerprint(tokenInput.value.trim())}` : `user:${userInput.value.trim() || DEFAULT_USER_ID}`,
    /** @param {boolean} on @param {string} [why] */
    setAuth(on, why) {
      const changed = on !== authOn;
      authOn = on;
      save(KEYS.auth, on ? 'on' : 'off');
      render();
      if (why) note.textContent = why;
      if (changed) {
        if (on && !tokenInput.value) tokenInput.focus();
        onChange('auth');
      }
    },
  };
}

/**
 * A short FNV-1a digest: tells tokens apart in storage keys without writing the token into a key.
 * @param {string} text
 */
function fingerprint(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16);
}

/** @typedef {ReturnType<typeof createIdentity>} Identity */
