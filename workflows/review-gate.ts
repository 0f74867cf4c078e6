/**
 * The one way a review decision (several steps of the run decided at once) reaches RunState: its
 * signature is checked against the keys the run trusts, it must name this run, and the review it
 * was made on must still be the run's (request-review.ts). Then each step is decided through
 * RunState like a decision of its own, so the approval judge applies each step's policy, and the
 * answer says per step what happened and why.
 */
import { DecisionErrorType } from '../src/shared/messages.js';
import { reviewOf } from '../src/shared/request-review.js';
import { checkReviewDecisionProof, type ReviewDecision, type ReviewStepResult } from '../src/shared/review-decision.js';
import type { DecisionProof, TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import type { RunState } from './run-state.js';

export type ReviewVerdict =
  | { accepted: false; type: DecisionErrorType; message: string }
  | { accepted: true; key: TrustedDecisionKey; proof: DecisionProof };

/** Whether the run may take `decision` at all; asked by the update's validator and again by its handler. */
export function judgeReviewDecision(run: RunState, decision: ReviewDecision): ReviewVerdict {
  const check = checkReviewDecisionProof(decision, run.trustedKeys);
  if (!check.valid) return { accepted: false, type: DecisionErrorType.Unauthenticated, message: check.message };
  if (decision.workflow_id !== run.workflowId || (run.runId !== undefined && decision.run_id !== run.runId))
    return {
      accepted: false,
      type: DecisionErrorType.WrongRun,
      message:
        `Review decision signed for run ${decision.run_id ?? '(none named)'} of ${decision.workflow_id}: ` +
        'a decision signed for another run moves nothing',
    };
  if (reviewOf(run.view()).review_hash !== decision.review_hash)
    return {
      accepted: false,
      type: DecisionErrorType.ReviewStale,
      message: 'The request changed since it was reviewed (review_hash differs): review it again before deciding',
    };
  return { accepted: true, key: check.key, proof: check.proof };
}

/** Decides each step `decision` names, in plan order, under the signature `judgeReviewDecision` accepted. */
export function applyReviewDecision(
  run: RunState,
  decision: ReviewDecision,
  { key, proof }: Extract<ReviewVerdict, { accepted: true }>,
): ReviewStepResult[] {
  const provenance = {
    via: key.role,
    key_id: key.key_id,
    signed_at: proof.issued_at,
    nonce: proof.nonce,
    review_hash: decision.review_hash,
  };
  const order = run.steps.map((s) => s.id);
  const named = Object.entries(decision.steps).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  return named.map(([stepId, choice]): ReviewStepResult => {
    const approval = run.pendingApprovals().find((a) => a.step_id === stepId);
    if (!approval)
      return {
        step_id: stepId,
        choice,
        outcome: 'refused',
        refusal: DecisionErrorType.UnknownApproval,
        message: `Step ${stepId} does not wait for a decision now`,
      };
    const base = { step_id: stepId, choice, approval_id: approval.approval_id };
    const skipped = choice === 'skip';
    const reason = skipped ? `skipped in review${decision.reason ? `: ${decision.reason}` : ''}` : decision.reason;
    const result = run.decide(
      {
        approval_id: approval.approval_id,
        approved: choice === 'approve',
        approver_id: decision.decided_by,
        ...(reason !== undefined && { reason }),
        ...(decision.groups && { groups: decision.groups }),
        ...(approval.action_hash !== undefined && { action_hash: approval.action_hash }),
        workflow_id: decision.workflow_id,
        ...(decision.run_id !== undefined && { run_id: decision.run_id }),
      },
      { ...provenance, review_choice: choice },
    );
    if (!result.accepted) return { ...base, outcome: 'refused', refusal: result.type, message: result.message };
    const decided = result.approval;
    if (decided.status === 'pending')
      return { ...base, outcome: 'counted', message: `${decided.step_name}: counted, ${decided.progress ?? ''}` };
    if (decided.status === 'approved')
      return { ...base, outcome: 'approved', message: `${decided.step_name} approved by ${decision.decided_by}` };
    return {
      ...base,
      outcome: skipped ? 'skipped' : 'rejected',
      message: `${decided.step_name} ${skipped ? 'skipped' : 'rejected'} by ${decision.decided_by}`,
    };
  });
}
