// @ts-check
/**
 * Deciding several inbox approvals at once: the ticked cards, the bar that counts them, and one
 * POST /api/approvals/decisions for all. Each item is answered on its own; refusals are listed.
 */

import { formatTime } from './format.js';
import { pageElement } from './page-element.js';

/** @typedef {import('./api.js').Api} Api */
/** @typedef {import('./api-contract.js').ApprovalRecord} ApprovalRecord */
/** @typedef {import('./identity.js').Identity} Identity */

/**
 * @typedef {object} BulkBarOptions
 * @property {Api} api
 * @property {Identity} identity
 * @property {(approvalId: string) => ApprovalRecord | undefined} approvalOf the approval a ticked card shows
 * @property {(text: string) => void} onStatus
 * @property {(text: string) => void} onError an empty text clears it
 * @property {(approval: ApprovalRecord) => void} onDecided for each approval the gateway took
 * @property {() => Promise<void>} onSettled
 */

/** @param {BulkBarOptions} options */
export function createBulkBar({ api, identity, approvalOf, onStatus, onError, onDecided, onSettled }) {
  const bar = pageElement('bulk-bar', HTMLElement);
  const count = pageElement('bulk-count', HTMLElement);
  const approve = pageElement('bulk-approve', HTMLButtonElement);
  const reject = pageElement('bulk-reject', HTMLButtonElement);
  /** Approval ids ticked for a bulk decision. */
  const selected = new Set();

  function show() {
    bar.hidden = selected.size === 0;
    count.textContent = `${selected.size} selected`;
  }

  /** @param {'approve'|'reject'} decision */
  async function decideSelected(decision) {
    const chosen = [...selected].flatMap((id) => approvalOf(id) ?? []);
    if (chosen.length === 0) return;
    approve.disabled = true;
    reject.disabled = true;
    onError('');
    onStatus(`${decision === 'approve' ? 'Approving' : 'Rejecting'} ${chosen.length} approval(s)…`);
    try {
      const { results } = await api.decideMany(
        chosen.map((a) => ({
          approval_id: a.approval_id,
          decision,
          ...(identity.authOn() ? {} : { decided_by: identity.approverId() }),
          ...(a.action_hash ? { action_hash: a.action_hash } : {}),
        })),
      );
      selected.clear();
      const done = results.filter((r) => r.ok);
      const verb = decision === 'approve' ? 'approved' : 'rejected';
      const kept = done.filter((r) => r.outcome === 'accepted').length;
      const keptWords = kept ? ` (${kept} kept until processing resumes)` : '';
      onStatus(`${formatTime(new Date().toISOString())}: ${done.length} of ${results.length} ${verb}${keptWords}.`);
      const refused = results.flatMap((r, i) =>
        r.ok ? [] : [`${chosen[i]?.step_name ?? r.approval_id}: ${r.error?.message ?? 'refused'}`],
      );
      if (refused.length > 0) onError(`Not ${verb}: ${refused.join('; ')}`);
      for (const [i, r] of results.entries()) if (r.ok && chosen[i]) onDecided(chosen[i]);
    } catch (err) {
      onStatus('');
      onError(`Could not ${decision} the selected approvals: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      approve.disabled = false;
      reject.disabled = false;
      show();
      await onSettled();
    }
  }
  approve.addEventListener('click', () => void decideSelected('approve'));
  reject.addEventListener('click', () => void decideSelected('reject'));

  return {
    /** @param {string} approvalId @param {boolean} ticked */
    pick(approvalId, ticked) {
      if (ticked) selected.add(approvalId);
      else selected.delete(approvalId);
      show();
    },
    /** A card that left the inbox leaves the selection. @param {string} approvalId */
    drop(approvalId) {
      selected.delete(approvalId);
      show();
    },
  };
}
