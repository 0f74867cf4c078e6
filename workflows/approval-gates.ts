/**
 * A step gated by an approval: blocked behind a new approval, moved on once the approval is
 * decided, rejected when it expires. RunState calls these with its two halves and publishes after.
 */
import type { ApprovalRecord } from '../src/shared/contracts.js';
import { newApprovalRecord, type ApprovalStages, type AskingRun } from './approval-records.js';
import type { ApprovalBook } from './run-approvals.js';
import type { StepBook } from './run-steps.js';

export interface GatedRun {
  approvals: ApprovalBook;
  steps: StepBook;
}

/** Blocks a READY step behind a new approval, which expires `timeoutMs` after `now`. */
export function openGate(
  { approvals, steps }: GatedRun,
  run: AskingRun,
  stepId: string,
  request: { reason: string; now: string; timeoutMs: number; staged?: ApprovalStages | undefined },
): Readonly<ApprovalRecord> {
  const approval = newApprovalRecord(
    run,
    steps.get(stepId),
    request.reason,
    request.now,
    request.timeoutMs,
    request.staged,
  );
  steps.block(stepId, request.reason);
  approvals.open(approval);
  return approval;
}

/**
 * Moves the gated step on once its approval is no longer pending: READY again when approved,
 * REJECTED when rejected, SKIPPED when a review skipped it (the request goes on without it);
 * undefined (nothing changed) while it waits, or when it expired and so already rejected its step.
 */
export function resolveGate({ approvals, steps }: GatedRun, approvalId: string): 'approved' | 'rejected' | undefined {
  const approval = approvals.find(approvalId);
  const step = approval && steps.get(approval.step_id);
  if (step?.state !== 'BLOCKED' || (approval?.status !== 'approved' && approval?.status !== 'rejected'))
    return undefined;
  if (approval.status === 'approved')
    steps.markReady(step.id, `${step.name} is ready (approved by ${approval.decided_by})`);
  else if (approval.skipped) steps.skipInReview(step.id, approval.decided_by);
  else steps.reject(step.id);
  return approval.status;
}

/** The approval expired: its step will not run. */
export function rejectGatedStep({ approvals, steps }: GatedRun, approvalId: string): void {
  const approval = approvals.find(approvalId);
  if (approval) steps.reject(approval.step_id);
}
