// @ts-check
/** What an edit changed, as the timeline shows it under `approval_edited`: each changed argument, before → after. */
import { el, formatUsd } from './format.js';

/** @type {Record<string, string>} */
const LABELS = { amount_cents: 'Amount', to_account: 'To', from_account: 'From', count: 'Count' };

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {string} key @param {Record<string, unknown>} args */
function shown(key, args) {
  if (!(key in args)) return '(none)';
  const value = args[key];
  if (key === 'amount_cents' && typeof value === 'number') return formatUsd(undefined, value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A list of the arguments an edit changed, or undefined for any other event.
 * @param {import('./api-contract.js').TimelineEvent} event
 * @returns {HTMLElement | undefined}
 */
export function editChange(event) {
  const before = event.metadata?.['before'];
  const after = event.metadata?.['after'];
  if (event.event !== 'approval_edited' || !isRecord(before) || !isRecord(after)) return undefined;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  return el(
    'ul',
    { class: 'event-change', 'aria-label': 'Changed arguments' },
    ...keys.map((k) => el('li', {}, `${LABELS[k] ?? k}: ${shown(k, before)} → ${shown(k, after)}`)),
  );
}
