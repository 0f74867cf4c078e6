/**
 * Revoking a holding approval (`POST /api/approvals/{id}/revoke`): the gateway asks the approval
 * judge first (src/shared/approval/revoke.ts: approved with a cooling-off window, and the caller
 * the requester or someone who could have decided it), then sends the revoke signed for the run.
 * Only the run knows whether the step has started, so the answer is the run's own: `revoked`
 * (the step never runs) or `too_late` (it started at `started_at`, and runs once). There is no
 * signal fallback: a revoke kept for later would answer nothing true.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { revokeRefusal, signRevoke, type UnsignedRevoke } from '../../src/shared/approval/revoke.js';
import { runBindingOf } from '../../src/shared/approval/binding.js';
import type { DecisionSigner } from '../../src/shared/decision-signature.js';
import { approvalRevokeUpdate, type RevokeOutcome } from '../../src/shared/messages.js';
import { FINAL_RUN_STATUSES, type RunView } from '../../src/shared/contracts.js';
import { groupsOf, type Identity } from '../auth.js';
import { updateWithinBudget } from '../budget.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { FoundApproval } from '../run-description.js';
import { apiErrorOf, deciderOf } from './rules.js';

export interface RevokeInput {
  revokerId: string;
  reason: string | undefined;
}

export interface RevokeDelivery {
  client: Client;
  signer: DecisionSigner;
  budgetMs: number;
  /** The run as it is now, read again when it closed before the revoke reached it. */
  readRun: () => Promise<RunView | undefined>;
}

/**
 * A run that closed takes no update, but its record still says what happened: a holding approval
 * whose step started ran after its window ended, so the revoke is too late.
 */
export function tooLateFromRecord(after: RunView | undefined, approvalId: string): RevokeOutcome | undefined {
  if (!after || !FINAL_RUN_STATUSES.includes(after.status)) return undefined;
  const approval = after.approvals.find((a) => a.approval_id === approvalId);
  const step = approval && after.steps.find((s) => s.id === approval.step_id);
  if (approval?.status !== 'approved' || approval.hold_until === undefined || step?.started_at === undefined)
    return undefined;
  return { outcome: 'too_late', started_at: step.started_at, approval, step };
}

/** Why the gateway will not send this revoke, as the judge answers it from the record it read. */
export function revokeRefusalOf(
  identity: Identity,
  approval: FoundApproval['approval'],
  revokerId: string,
  now = new Date().toISOString(),
): ApiError | undefined {
  const revoker = deciderOf(identity, revokerId, groupsOf(identity));
  const refusal = revokeRefusal(approval, { revoker }, { now });
  return refusal && apiErrorOf(refusal, approval);
}

export async function sendRevoke(
  delivery: RevokeDelivery,
  identity: Identity,
  { view, approval }: FoundApproval,
  input: RevokeInput,
): Promise<RevokeOutcome> {
  const refusal = revokeRefusalOf(identity, approval, input.revokerId);
  if (refusal) throw refusal;
  const groups = groupsOf(identity);
  const revoke: UnsignedRevoke = {
    ...runBindingOf(approval),
    approval_id: approval.approval_id,
    revoked_by: input.revokerId,
    ...(input.reason !== undefined && { reason: input.reason }),
    ...(groups && { groups: [...groups] }),
  };
  const signed = signRevoke(revoke, delivery.signer, new Date().toISOString(), randomBytes(18).toString('base64url'));
  // A revoke that reached a closed run: the run's own record says whether its step had started.
  const raced = await updateWithinBudget(
    delivery.client,
    view.workflow_id,
    approvalRevokeUpdate,
    [signed],
    delivery.budgetMs,
    async (err) => tooLateFromRecord(await delivery.readRun(), approval.approval_id) ?? Promise.reject(err),
  );
  if (raced.done) return raced.value;
  throw new ApiError(
    503,
    ErrorCode.RunUnresponsive,
    `The run did not answer the revoke within ${delivery.budgetMs} ms (is a worker running?); ` +
      'read the approval to see whether it was revoked before trying again.',
  );
}
