/**
 * Whether a decision may decide an approval: the checks every decision passes, in order (known,
 * still pending, the action the decider saw, before the deadline, then the stages or four eyes).
 * Pure; the ApprovalBook applies what it says.
 */
import type { ApprovalDecision, ApprovalRecord, PlanStep } from '../src/shared/contracts.js';
import { DecisionErrorType } from '../src/shared/messages.js';
import { checkDecider } from '../src/shared/policy.js';
import { judgeQuorumDecision, quorumOfRecord } from '../src/shared/policy/quorum.js';

export type DecisionVerdict =
  | { kind: 'apply'; status: 'approved' | 'rejected'; onBehalfOf?: string | undefined }
  /** The approval counted towards its stage and still waits for more. */
  | { kind: 'progress'; onBehalfOf?: string | undefined }
  | { kind: 'ignore'; type: DecisionErrorType; message: string; expire: boolean };

/**
 * Whether `decision` may decide `approval` at workflow time `now`. The approval's timer fires
 * after `expires_at`, not at it, so the deadline is checked here: a decision at or after it is
 * refused and the approval expires, whichever of the two the run sees first.
 */
export function judgeDecision(
  approval: Readonly<ApprovalRecord> | undefined,
  step: Pick<PlanStep, 'tool'> | undefined,
  decision: ApprovalDecision,
  now: string,
): DecisionVerdict {
  const ignore = (type: DecisionErrorType, message: string, expire = false): DecisionVerdict => ({
    kind: 'ignore',
    type,
    message,
    expire,
  });
  if (!approval || !step)
    return ignore(DecisionErrorType.UnknownApproval, `No approval ${decision.approval_id} in this run`);
  if (approval.status !== 'pending') {
    return ignore(DecisionErrorType.AlreadyDecided, `Approval ${approval.approval_id} is already ${approval.status}`);
  }
  if (decision.action_hash !== undefined && decision.action_hash !== approval.action_hash) {
    return ignore(
      DecisionErrorType.Stale,
      `Approval ${approval.approval_id} is stale: its action changed since the decider saw it (action_hash differs)`,
    );
  }
  if (Date.parse(now) >= Date.parse(approval.expires_at)) {
    return ignore(
      DecisionErrorType.Expired,
      `Approval ${approval.approval_id} expired at ${approval.expires_at}`,
      true,
    );
  }
  const quorum = quorumOfRecord(approval);
  if (quorum) {
    const verdict = judgeQuorumDecision(quorum, approval.requested_by, decision);
    if (verdict.kind === 'refuse') return ignore(DecisionErrorType.Forbidden, verdict.message);
    if (verdict.kind === 'reject') return { kind: 'apply', status: 'rejected' };
    return verdict.complete
      ? { kind: 'apply', status: 'approved', onBehalfOf: verdict.on_behalf_of }
      : { kind: 'progress', onBehalfOf: verdict.on_behalf_of };
  }
  const check = checkDecider(step, approval.requested_by, decision.approver_id, decision.approved);
  if (!check.allowed) return ignore(DecisionErrorType.Forbidden, check.reason);
  return { kind: 'apply', status: decision.approved ? 'approved' : 'rejected' };
}
