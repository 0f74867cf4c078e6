/**
 * Deciding an approval, shared by `POST /workflow/{session_id}/approve` and
 * `POST /api/approvals/{id}/decision`: every check runs before anything is sent to the run.
 */
import type { ApprovalRecord, RunView } from '../shared/contracts.js';
import { checkDecider } from '../shared/policy.js';
import { assertCanDecide, type Identity } from './auth.js';
import type { DecisionReplyInput } from './chat-replies.js';
import { ApiError } from './errors.js';
import type { Runs } from './runs.js';

export interface DecisionRequest {
  view: RunView;
  approval: ApprovalRecord;
  approved: boolean;
  deciderId: string;
  reason: string | undefined;
}

/** 409 unless the approval still waits for a decision. */
export function assertPending(approval: ApprovalRecord): void {
  if (approval.status !== 'pending') throw ApiError.conflict(`Approval ${approval.approval_id} is already ${approval.status}`);
}

export async function decide(runs: Runs, identity: Identity, request: DecisionRequest, budgetMs: number): Promise<DecisionReplyInput> {
  const { view, approval, approved, deciderId, reason } = request;
  assertPending(approval);
  assertCanDecide(identity, view, approval);
  const check = checkDecider({ tool: approval.tool }, approval.requested_by, deciderId, approved);
  if (!check.allowed) throw ApiError.forbidden(check.reason);
  const outcome = await runs.decide(
    view.workflow_id,
    { approval_id: approval.approval_id, approved, approver_id: deciderId, ...(reason !== undefined && { reason }) },
    budgetMs,
  );
  return { view, approval: outcome?.approval ?? approval, approved, deciderId, outcome };
}
