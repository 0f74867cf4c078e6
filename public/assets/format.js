// @ts-check
/** Pure formatting for the page: money, ages, state labels and colours, and a tiny DOM builder. */

const USD = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/**
 * "$6,000.00", from integer cents when known, else from a dollar amount.
 * @param {number | undefined} dollars
 * @param {number} [cents]
 */
export function formatUsd(dollars, cents) {
  if (typeof cents === 'number' && Number.isInteger(cents)) return USD.format(cents / 100);
  if (typeof dollars === 'number' && Number.isFinite(dollars)) return USD.format(dollars);
  return '';
}

/**
 * "just now", "45 s ago", "2 min ago", "3 h ago", "2 d ago".
 * @param {string} iso
 * @param {number} [now]
 */
export function formatAge(iso, now = Date.now()) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** @param {string} iso */
export function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Text shown next to each colour, so the state is never told by colour alone. */
/** @type {Record<string, string>} */
export const STATE_LABELS = {
  PENDING: 'Pending',
  READY: 'Ready',
  RUNNING: 'Running',
  BLOCKED: 'Blocked: needs approval',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  REJECTED: 'Rejected',
  SKIPPED: 'Skipped',
  CANCELLED: 'Cancelled',
  NEEDS_ATTENTION: 'Needs attention',
  APPROVED_HOLDING: 'Approved: cooling off',
  // run statuses
  QUEUED: 'Queued',
  PLANNING: 'Planning',
  EXECUTING: 'Executing',
  WAITING_APPROVAL: 'Waiting for approval',
  COMPLETED: 'Completed',
};

/** @type {Record<string, string>} */
const STATE_TONES = {
  SUCCEEDED: 'ok',
  COMPLETED: 'ok',
  RUNNING: 'busy',
  EXECUTING: 'busy',
  PLANNING: 'busy',
  READY: 'busy',
  BLOCKED: 'wait',
  WAITING_APPROVAL: 'wait',
  NEEDS_ATTENTION: 'wait',
  APPROVED_HOLDING: 'wait',
  FAILED: 'bad',
  REJECTED: 'bad',
  SKIPPED: 'off',
  CANCELLED: 'off',
  PENDING: 'idle',
  QUEUED: 'idle',
};

/**
 * A state badge: colour class plus the label in words.
 * @param {string} state
 */
export function badge(state) {
  return el(
    'span',
    { class: `badge tone-${STATE_TONES[state] ?? 'idle'}`, 'data-state': state },
    STATE_LABELS[state] ?? state,
  );
}

/**
 * Builds an element; attributes with undefined values are left out; children may be strings.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | undefined>} [attrs]
 * @param {...(Node | string | undefined | false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) node.append(child);
  return node;
}

/**
 * A definition list from label/value pairs, skipping empty values.
 * @param {[string, string | Node | undefined][]} rows
 */
export function details(rows) {
  const list = el('dl', { class: 'facts' });
  for (const [label, value] of rows) {
    if (value === undefined || value === '') continue;
    list.append(el('dt', {}, label), el('dd', {}, value));
  }
  return list;
}

/**
 * "Transferred 6000.00 from 123 to kiran" or "2 jobs" from a step result.
 * @param {unknown} result
 */
export function resultSummary(result) {
  if (typeof result !== 'object' || result === null) return undefined;
  const record = /** @type {Record<string, unknown>} */ (result);
  if (typeof record.message === 'string') return record.message;
  for (const [key, value] of Object.entries(record))
    if (Array.isArray(value)) return `${value.length} ${key.replaceAll('_', ' ')}`;
  return undefined;
}

/** An error's message for the page, whatever was thrown. @param {unknown} err */
export function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

/** An id usable in an element id or a CSS selector. @param {string} id */
export function cssId(id) {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}
