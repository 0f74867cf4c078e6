// @ts-check
/**
 * A step waiting out its rule's cooling-off window (APPROVED_HOLDING): when it will run, counted
 * down each second, and a Revoke button. The run answers the revoke: `revoked` (the step never
 * runs) or `too_late` (its window had ended and it started), and the page says which.
 */
import { el, formatTime } from './format.js';

/** @typedef {import('./api-contract.js').ApprovalRecord} ApprovalRecord */

/**
 * "1:05" left until `iso` (minutes and seconds), "0:00" once it has passed.
 * @param {string} iso
 * @param {number} [now]
 */
export function countdown(iso, now = Date.now()) {
  const left = Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}

/** @param {string} holdUntil */
function countdownText(holdUntil) {
  return Date.parse(holdUntil) > Date.now() ? `runs in ${countdown(holdUntil)}` : 'starting now';
}

/**
 * The holding note with its countdown and Revoke button; `onRevoke` sends the revoke.
 * @param {ApprovalRecord & { hold_until: string }} approval
 * @param {(approval: ApprovalRecord, button: HTMLButtonElement) => void} onRevoke
 */
export function holdingPanel(approval, onRevoke) {
  const button = /** @type {HTMLButtonElement} */ (
    el('button', { type: 'button', class: 'danger revoke', 'data-approval-id': approval.approval_id }, 'Revoke')
  );
  button.addEventListener('click', () => onRevoke(approval, button));
  return el(
    'div',
    { class: 'holding', 'data-approval-id': approval.approval_id },
    el(
      'p',
      { class: 'note' },
      `Approved by ${approval.decided_by ?? 'an approver'}; cooling off until ${formatTime(approval.hold_until)}: `,
      el(
        'time',
        { class: 'hold-countdown', datetime: approval.hold_until, 'data-hold-until': approval.hold_until },
        countdownText(approval.hold_until),
      ),
      '. It may be revoked until it starts.',
    ),
    button,
  );
}

/** Moves every countdown on the page on, once a second. */
export function startCountdowns() {
  setInterval(() => {
    for (const time of document.querySelectorAll('time[data-hold-until]')) {
      const holdUntil = /** @type {HTMLElement} */ (time).dataset.holdUntil ?? '';
      const text = countdownText(holdUntil);
      if (time.textContent !== text) time.textContent = text;
    }
  }, 1000);
}

/**
 * What the run answered, in words.
 * @param {{ outcome: 'revoked'|'too_late', started_at?: string, approval: ApprovalRecord }} answer
 */
export function revokeAnswer(answer) {
  return answer.outcome === 'revoked'
    ? `Revoked: ${answer.approval.step_name} will not run.`
    : `Too late: ${answer.approval.step_name} started at ${formatTime(answer.started_at ?? '')}.`;
}
