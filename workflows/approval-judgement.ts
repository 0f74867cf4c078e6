/**
 * The run's final judgement of a decision: the approval judge's answer (src/shared/approval/), with
 * the run checked too (the decision must be signed for this run), in the shape the ApprovalBook
 * applies. No rule of its own.
 */
import type { ApprovalDecision, ApprovalRecord } from '../src/shared/contracts.js';
import { DecisionErrorType } from '../src/shared/messages.js';
import { judgeDecision as judge } from '../src/shared/approval/judge.js';

export type DecisionVerdict =
  | { kind: 'apply'; status: 'approved' | 'rejected'; onBehalfOf?: string | undefined }
  /** The approval counted towards its stage and still waits for more. */
  | { kind: 'progress'; onBehalfOf?: string | undefined }
  | { kind: 'ignore'; type: DecisionErrorType; message: string; expire: boolean };

/** Whether `decision` may decide `approval` at workflow time `now`. */
export function judgeDecision(
  approval: Readonly<ApprovalRecord> | undefined,
  decision: ApprovalDecision,
  now: string,
): DecisionVerdict {
  if (!approval)
    return {
      kind: 'ignore',
      type: DecisionErrorType.UnknownApproval,
      message: `No approval ${decision.approval_id} in this run`,
      expire: false,
    };
  const verdict = judge(
    approval,
    {
      approved: decision.approved,
      decider: { id: decision.approver_id, groups: decision.groups },
      actionHash: decision.action_hash,
      workflowId: decision.workflow_id,
      runId: decision.run_id,
    },
    { now, checkRun: true },
  );
  switch (verdict.kind) {
    case 'refuse':
      return { kind: 'ignore', type: verdict.type, message: verdict.message, expire: verdict.expire === true };
    case 'reject':
      return { kind: 'apply', status: 'rejected' };
    case 'approve':
      return verdict.complete
        ? { kind: 'apply', status: 'approved', onBehalfOf: verdict.onBehalfOf }
        : { kind: 'progress', onBehalfOf: verdict.onBehalfOf };
  }
}
