// @ts-check
/**
 * Edit before approve, for transfers: a new amount in dollars on an inbox card, sent with the
 * action the card shows (POST /api/approvals/{id}/edit). The run judges the edited step again, so
 * the card is built anew from the next listing with its new requirement and action hash.
 */
import { ApiError } from './api.js';
import { cssId, el } from './format.js';

/** @typedef {import('./api.js').Api} Api */
/** @typedef {import('./api-contract.js').ApprovalRecord} ApprovalRecord */
/** @typedef {import('./identity.js').Identity} Identity */

/**
 * @typedef {object} EditFormOptions
 * @property {Api} api
 * @property {Identity} identity
 * @property {(message: string, approval: ApprovalRecord | undefined) => void} onEdited what the gateway said it
 *   did, and the approval as the run now has it (none while no worker runs)
 * @property {(message: string) => void} onRefused why nothing changed
 * @property {() => Promise<void>} onSettled after either: the card is dropped and the inbox reloaded
 */

/**
 * @param {ApprovalRecord} a
 * @param {EditFormOptions} options
 */
export function amountEditForm(a, { api, identity, onEdited, onRefused, onSettled }) {
  const inputId = `edit-amount-${cssId(a.approval_id)}`;
  const amount = /** @type {HTMLInputElement} */ (
    el('input', { id: inputId, type: 'number', min: '0.01', step: '0.01', required: '', value: String(a.amount ?? '') })
  );
  const save = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'secondary' }, 'Save edit'));
  const form = el('form', { class: 'edit-form row' }, el('label', { for: inputId }, 'Edit amount ($)'), amount, save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save.disabled = true;
    void (async () => {
      try {
        const res = await api.editApproval(a.approval_id, {
          args: {
            from_account: a.from_account,
            to_account: a.recipient,
            amount_cents: Math.round(Number(amount.value) * 100),
          },
          ...(identity.authOn() ? {} : { edited_by: identity.approverId() }),
          ...(a.action_hash ? { action_hash: a.action_hash } : {}),
        });
        onEdited(res.message, res.approval);
      } catch (err) {
        const why = err instanceof ApiError || err instanceof Error ? err.message : String(err);
        onRefused(`Could not edit ${a.step_name}: ${why}`);
      } finally {
        await onSettled();
      }
    })();
  });
  return form;
}
