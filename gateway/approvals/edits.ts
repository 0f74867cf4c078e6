/**
 * Edit before approve, at the gateway: the same rules the run applies (approval-edit.ts), checked
 * first from the record the caller saw (the run's memo, so no worker is needed), so a refusal names
 * its reason without a round trip; then the signed edit goes to the run durably (durable-delivery.ts):
 * the `approvalEdit` update while a worker answers, the `approvalEdit` signal when none does. The
 * edit's nonce is derived from the edit and the action it was judged against, so a retried request
 * and both deliveries of one are the same signed edit, which the run applies once. The run is the
 * final judge and records what it refuses.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { ApprovalRecord, StepView } from '../../src/shared/contracts.js';
import { canonicalJson } from '../../src/shared/canonical-json.js';
import { signEdit, type UnsignedEdit } from '../../src/shared/approval-edit.js';
import { judgeEdit } from '../../src/shared/approval/edit.js';
import type { DecisionSigner } from '../../src/shared/decision-signature.js';
import { approvalEditSignal, approvalEditUpdate } from '../../src/shared/messages.js';
import type { Identity } from '../auth.js';
import { deliverDurably } from '../durable-delivery.js';
import { runBindingOf } from '../../src/shared/approval/binding.js';
import type { ApiError } from '../errors.js';
import type { FoundApproval } from '../run-description.js';
import { apiErrorOf, deciderOf } from './rules.js';

export interface EditInput {
  args: Record<string, unknown>;
  editorId: string;
  reason: string | undefined;
  groups: readonly string[] | undefined;
  actionHash: string | undefined;
}

export type EditResult =
  /** The run took the edit and judged the step again: the approval and step as they now are. */
  | { applied: true; approval: ApprovalRecord; step: StepView | undefined }
  /**
   * Kept for the run: `takenByWorker` false when no worker answered (the signal waits in the run's
   * history), true when a worker took the update but the policy's answer did not come in time.
   */
  | { applied: false; takenByWorker: boolean; approval: ApprovalRecord };

export interface EditDelivery {
  client: Client;
  signer: DecisionSigner;
  budgetMs: number;
  acceptMs: number | undefined;
}

/** Why this edit may not be sent, or undefined when it may. Requesters (token auth) edit only their own runs. */
export function editRefusal(
  identity: Identity,
  found: FoundApproval,
  edit: UnsignedEdit,
  now: string,
): ApiError | undefined {
  const proposed = {
    args: edit.args,
    editor: deciderOf(identity, edit.edited_by, edit.groups),
    actionHash: edit.action_hash,
  };
  const verdict = judgeEdit(found.approval, proposed, { now });
  return verdict.allowed ? undefined : apiErrorOf(verdict, found.approval);
}

/**
 * A nonce that is the same for the same edit of the same action: a retried request (a client that
 * timed out while no worker ran) is then one signed edit to the run, which applies it once.
 */
export function editNonce(edit: UnsignedEdit, judgedHash: string | undefined): string {
  const text = canonicalJson([
    'edit-nonce-v1',
    edit.approval_id,
    judgedHash ?? null,
    edit.args,
    edit.edited_by,
    edit.reason ?? null,
    edit.groups ?? null,
  ]);
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

export async function sendEdit(
  delivery: EditDelivery,
  identity: Identity,
  found: FoundApproval,
  input: EditInput,
): Promise<EditResult> {
  const edit: UnsignedEdit = {
    approval_id: found.approval.approval_id,
    args: input.args,
    edited_by: input.editorId,
    ...(input.reason !== undefined && { reason: input.reason }),
    ...(input.groups && { groups: [...input.groups] }),
    ...(input.actionHash !== undefined && { action_hash: input.actionHash }),
  };
  const now = new Date().toISOString();
  const refusal = editRefusal(identity, found, edit, now);
  if (refusal) throw refusal;
  // Signed for this run and for the action it was judged against, so the run refuses it anywhere else.
  const bound: UnsignedEdit = { ...edit, ...runBindingOf(found.approval) };
  if (found.approval.action_hash !== undefined) bound.action_hash = found.approval.action_hash;
  const signed = signEdit(bound, delivery.signer, now, editNonce(bound, found.approval.action_hash));
  const outcome = await deliverDurably({
    client: delivery.client,
    workflowId: found.view.workflow_id,
    update: approvalEditUpdate,
    signal: approvalEditSignal,
    args: [signed],
    budgetMs: delivery.budgetMs,
    ...(delivery.acceptMs !== undefined && { acceptMs: delivery.acceptMs }),
  });
  if (!outcome.applied) return { applied: false, takenByWorker: false, approval: found.approval };
  if (!outcome.result) return { applied: false, takenByWorker: true, approval: found.approval };
  return { applied: true, approval: outcome.result.approval, step: outcome.result.step };
}
