/**
 * Decisions a test sends to a run through the Temporal client, signed and bound to the approval's
 * run as the gateway signs and binds them.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { ApprovalDecision, ApprovalRecord } from '../../src/shared/contracts.js';
import { runBindingOf } from '../../src/shared/approval/binding.js';
import { approvalDecisionSignal, approvalDecisionUpdate, type DecisionOutcome } from '../../src/shared/messages.js';
import { signedAsGateway } from '../../dev/stack-secrets.js';

/** What a person decides: everything but the approval the decision is about. */
export interface Verdict {
  approved: boolean;
  approver_id: string;
  reason?: string;
}

/** `verdict` on `approval`, signed as the gateway signs it, naming the approval's run (runBindingOf). */
export function gatewayDecision(approval: ApprovalRecord, verdict: Verdict): ApprovalDecision {
  return signedAsGateway({ ...runBindingOf(approval), approval_id: approval.approval_id, ...verdict });
}

/** Sends `verdict` on `approval` through the approvalDecision update; resolves with the run's outcome. */
export function decideByUpdate(
  handle: WorkflowHandle,
  approval: ApprovalRecord,
  verdict: Verdict,
): Promise<DecisionOutcome> {
  return handle.executeUpdate(approvalDecisionUpdate, { args: [gatewayDecision(approval, verdict)] });
}

/** Sends `verdict` on `approval` through the approvalDecision signal. */
export function decideBySignal(handle: WorkflowHandle, approval: ApprovalRecord, verdict: Verdict): Promise<void> {
  return handle.signal(approvalDecisionSignal, gatewayDecision(approval, verdict));
}
