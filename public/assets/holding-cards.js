// @ts-check
/**
 * Under the inbox: the approvals this page approved that now wait out their cooling-off window,
 * each with its countdown and a Revoke button (the listing shows pending approvals only). A card
 * leaves once the run answers a revoke, or a few seconds after its window ends (the step started).
 */
import { ApiError } from './api.js';
import { el, formatUsd, messageOf } from './format.js';
import { holdingPanel, revokeAnswer } from './holding.js';
import { pageElement } from './page-element.js';

/** @typedef {import('./api.js').Api} Api */
/** @typedef {import('./api-contract.js').ApprovalRecord} ApprovalRecord */

/** How long a card stays after its window ends, so the countdown is seen to reach it. */
const LINGER_MS = 3000;

/**
 * @param {{ api: Api, revoker: () => string | undefined, onRevoked: (approval: ApprovalRecord) => void }} options
 */
export function createHoldingCards({ api, revoker, onRevoked }) {
  const list = el('ul', { id: 'holding-approvals', class: 'cards', 'aria-label': 'Approved, cooling off' });
  const status = el('p', { id: 'holding-status', class: 'note', role: 'status' });
  pageElement('inbox-more', HTMLElement).after(list, status);

  /** @param {ApprovalRecord & { hold_until: string }} approval @param {HTMLButtonElement} button */
  async function revoke(approval, button) {
    button.disabled = true;
    const who = revoker();
    try {
      const answer = await api.revoke(approval.approval_id, who ? { revoked_by: who } : {});
      status.textContent = revokeAnswer(answer);
      remove(approval.approval_id);
      onRevoked(answer.approval);
    } catch (err) {
      status.textContent = `Could not revoke ${approval.step_name}: ${messageOf(err)}`;
      // 409: revoked elsewhere, or the step no longer holds; the card has nothing left to offer.
      if (err instanceof ApiError && err.status === 409) remove(approval.approval_id);
      else button.disabled = false;
    }
  }

  /** @param {string} approvalId */
  function remove(approvalId) {
    list.querySelector(`li[data-approval-id="${CSS.escape(approvalId)}"]`)?.remove();
  }

  return {
    /** Revoked elsewhere on the page (the run view). */
    remove,
    /** An approval just decided here: shown while it holds. @param {ApprovalRecord} approval */
    add(approval) {
      const holdUntil = approval.hold_until;
      if (approval.status !== 'approved' || !holdUntil) return;
      const money = approval.amount !== undefined || approval.amount_cents !== undefined;
      const title = money
        ? `${formatUsd(approval.amount, approval.amount_cents)} → ${approval.recipient ?? 'unknown'}`
        : approval.step_name;
      const card = el(
        'li',
        { class: 'card holding-card', 'data-approval-id': approval.approval_id },
        el('h3', {}, title),
        holdingPanel({ ...approval, hold_until: holdUntil }, (a, b) => void revoke({ ...a, hold_until: holdUntil }, b)),
      );
      list.append(card);
      setTimeout(() => card.remove(), Math.max(0, Date.parse(holdUntil) - Date.now()) + LINGER_MS);
    },
  };
}
