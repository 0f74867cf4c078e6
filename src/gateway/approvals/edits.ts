/**
 * Edit before approve, at the gateway: the same rules the run applies (approval-edit.ts), checked
 * first from the record the caller saw, so a refusal names its reason without a round trip; then
 * the signed edit goes to the run as the `editApproval` update, and the answer is the approval and
 * step once the policy judged the edited step again. The run is the final judge.
 */
import type { Client } from '@temporalio/client';
import type { ApprovalRecord, StepView } from '../../shared/contracts.js';
import { judgeEdit, signEdit, type UnsignedEdit } from '../../shared/approval-edit.js';
import type { DecisionSigner } from '../../shared/decision-signature.js';
import { DecisionErrorType, editApprovalUpdate } from '../../shared/definitions.js';
import { sameIdentity } from '../../shared/identity.js';
import { randomBytes } from 'node:crypto';
import type { Identity } from '../auth.js';
import { withinBudget } from '../budget.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { FoundApproval } from './approvals.js';

export interface EditInput {
  args: Record<string, unknown>;
  editorId: string;
  reason: string | undefined;
  groups: readonly string[] | undefined;
  actionHash: string | undefined;
}

export interface EditResult {
  approval: ApprovalRecord;
  step: StepView | undefined;
}

const REFUSALS: Record<DecisionErrorType, (message: string) => ApiError> = {
  [DecisionErrorType.UnknownApproval]: ApiError.notFound,
  [DecisionErrorType.AlreadyDecided]: ApiError.conflict,
  [DecisionErrorType.Forbidden]: ApiError.forbidden,
  [DecisionErrorType.Expired]: ApiError.conflict,
  [DecisionErrorType.Unauthenticated]: ApiError.forbidden,
  [DecisionErrorType.Stale]: ApiError.staleApproval,
  [DecisionErrorType.InvalidArgs]: ApiError.badRequest,
};

/** Why this edit may not be sent, or undefined when it may. Requesters (token auth) edit only their own runs. */
export function editRefusal(identity: Identity, found: FoundApproval, edit: UnsignedEdit, now: string): ApiError | undefined {
  if (identity.kind === 'token' && identity.role === 'requester' && !sameIdentity(found.view.user_id, identity.user_id)) {
    return ApiError.forbidden('Requesters may only edit steps of their own runs');
  }
  const verdict = judgeEdit(found.approval, edit, now);
  return verdict.allowed ? undefined : REFUSALS[verdict.type](verdict.message);
}

export async function sendEdit(client: Client, signer: DecisionSigner, budgetMs: number, identity: Identity, found: FoundApproval, input: EditInput): Promise<EditResult> {
  const edit: UnsignedEdit = {
    approval_id: found.approval.approval_id,
    args: input.args,
    edited_by: input.editorId,
    ...(input.reason !== undefined && { reason: input.reason }),
    ...(input.groups && { groups: [...input.groups] }),
    ...(input.actionHash !== undefined && { action_hash: input.actionHash }),
  };
  const refusal = editRefusal(identity, found, edit, new Date().toISOString());
  if (refusal) throw refusal;
  const signed = signEdit(edit, signer, new Date().toISOString(), randomBytes(18).toString('base64url'));
  const handle = client.workflow.getHandle(found.view.workflow_id);
  const outcome = await withinBudget(handle.executeUpdate(editApprovalUpdate, { args: [signed] }), budgetMs);
  if (!outcome.done) {
    // The server keeps an update no worker took yet: the edit may still apply when one returns.
    throw new ApiError(503, ErrorCode.RunUnresponsive, `The run did not take the edit of ${edit.approval_id} in time; it may still apply when a worker returns: read the approval again before retrying`);
  }
  return { approval: outcome.value.approval, step: outcome.value.step };
}
