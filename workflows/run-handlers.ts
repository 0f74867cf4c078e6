/**
 * Every message a request run answers, declared in one place: queries read RunState, signals and
 * updates go through the gates (decision-gate.ts, delegation-gate.ts, edit-gate.ts, action-gate.ts),
 * which check the signature against the keys the run trusts and hand what is verified to RunState.
 * An update's validator refuses what the run cannot take before it is accepted, so a refusal leaves
 * nothing in history; the signal twin of an update (for when no worker runs) records its refusal.
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import {
  ApprovalDecisionSchema,
  ApprovalDelegationSchema,
  ApprovalEditSchema,
  StepActionSchema,
} from '../src/shared/workflow-contracts.js';
import {
  stepActionUpdate,
  approvalDecisionSignal,
  approvalDecisionUpdate,
  approvalDelegationUpdate,
  DecisionErrorType,
  approvalEditSignal,
  approvalEditUpdate,
  runQuery,
  reviewDecisionUpdate,
  stepActionSignal,
  timelineQuery,
  waitPlannedUpdate,
  waitSettledUpdate,
} from '../src/shared/messages.js';
import { judgeEdit } from '../src/shared/approval-edit.js';
import { issueLines } from '../src/shared/zod-issues.js';
import { applyAuthenticatedAction, judgeActionUpdate } from './action-gate.js';
import { applyAuthenticatedDecision } from './decision-gate.js';
import { applyAuthenticatedDelegation } from './delegation-gate.js';
import { applyAuthenticatedEdit, receiveEditSignal } from './edit-gate.js';
import { ReviewDecisionSchema, type ReviewDecisionOutcome } from '../src/shared/review-decision.js';
import { applyReviewDecision, judgeReviewDecision } from './review-gate.js';
import type { RunState } from './run-state.js';
import type { AuditOutbox } from './run-audit.js';
import { installRevokeHandler } from './revoke-gate.js';

/** A refusal the client sees as the update's failure, with a type from a closed set. */
function refusal(refused: { type: string; message: string }): ApplicationFailure {
  return ApplicationFailure.create({ type: refused.type, message: refused.message, nonRetryable: true });
}

/** Whether the step has moved on from running: it finished, waits for a person, or is held again. */
function stepMovedOn(run: RunState, stepId: string): boolean {
  return !['READY', 'RUNNING'].includes(run.step(stepId).state);
}

export function installRunHandlers(run: RunState, audit: AuditOutbox): void {
  /** Hands a message from outside to its gate with the audit trail told what was received. */
  const received = <T>(kind: Parameters<AuditOutbox['receive']>[0], message: object, apply: () => T): T =>
    audit.receive(kind, message, run.workflowId, new Date().toISOString(), apply);
  setHandler(runQuery, () => run.view());
  setHandler(timelineQuery, (afterSeq = 0) => run.timelineAfter(afterSeq));
  setHandler(waitSettledUpdate, async () => {
    await condition(() => run.isSettled());
    return run.view();
  });
  setHandler(waitPlannedUpdate, async () => {
    await condition(() => run.hasPlanned());
    return run.view();
  });

  setHandler(approvalDecisionSignal, (raw) => {
    const decision = ApprovalDecisionSchema.safeParse(raw);
    if (decision.success)
      received('decision', decision.data, () => applyAuthenticatedDecision(run, decision.data, run.trustedKeys));
    else run.ignoreMalformedDecision(issueLines(decision.error.issues).join('; '));
  });
  setHandler(
    approvalDecisionUpdate,
    async (decision) => {
      const result = received('decision', decision, () => applyAuthenticatedDecision(run, decision, run.trustedKeys));
      if (!result.accepted) throw refusal(result);
      const { step_id: stepId, approval_id: approvalId } = result.approval;
      // A decision that only counted towards a stage answers at once; the step waits for the others.
      // An approval with a cooling-off window answers once its step holds.
      await condition(
        () =>
          run.step(stepId).finished_at !== undefined ||
          run.step(stepId).state === 'APPROVED_HOLDING' ||
          run.approval(approvalId)?.status === 'pending',
      );
      return { approval: result.approval, step: run.step(stepId) };
    },
    { validator: (decision) => void ApprovalDecisionSchema.parse(decision) },
  );
  installRevokeHandler(run, audit);

  /** What each review decision did, by its proof's nonce: a second delivery answers as the first did. */
  const reviewsDecided = new Map<string, ReviewDecisionOutcome>();
  setHandler(
    reviewDecisionUpdate,
    async (decision) => {
      const nonce = decision.proof?.nonce ?? '';
      const earlier = reviewsDecided.get(nonce);
      if (earlier) return earlier;
      const verdict = judgeReviewDecision(run, decision);
      if (!verdict.accepted) throw refusal(verdict);
      const results = received('decision', decision, () => applyReviewDecision(run, decision, verdict));
      const decided = results.filter((r) => r.outcome !== 'refused').map((r) => r.step_id);
      // Answer once each decided step left its gate (runs or was rejected), or still waits for more approvals.
      await condition(() =>
        decided.every((id) => run.step(id).state !== 'BLOCKED' || run.pendingApprovals().some((a) => a.step_id === id)),
      );
      const outcome = { review_hash: decision.review_hash, results, steps: decided.map((id) => run.step(id)) };
      reviewsDecided.set(nonce, outcome);
      return outcome;
    },
    {
      validator: (raw) => {
        const decision = ReviewDecisionSchema.parse(raw);
        if (reviewsDecided.has(decision.proof?.nonce ?? '')) return;
        const verdict = judgeReviewDecision(run, decision);
        if (!verdict.accepted) throw refusal(verdict);
      },
    },
  );

  setHandler(
    approvalDelegationUpdate,
    (delegation) => {
      const verdict = received('delegation', delegation, () =>
        applyAuthenticatedDelegation(run, delegation, run.trustedKeys),
      );
      if (!verdict.allowed) throw refusal(verdict);
      return Promise.resolve(run.approval(delegation.approval_id)!);
    },
    { validator: (delegation) => void ApprovalDelegationSchema.parse(delegation) },
  );

  setHandler(approvalEditSignal, (raw) =>
    received('edit', typeof raw === 'object' && raw !== null ? raw : {}, () =>
      receiveEditSignal(run, raw, run.trustedKeys),
    ),
  );
  setHandler(
    approvalEditUpdate,
    async (edit) => {
      const result = received('edit', edit, () => applyAuthenticatedEdit(run, edit, run.trustedKeys));
      if (!result.accepted) throw refusal(result);
      const { step_id: stepId, approval_id: approvalId } = result.approval;
      // Answer once the policy judged the edited step again and the step waits, ended or was refused.
      await condition(() => !run.awaitsPolicyAfterEdit(approvalId) && stepMovedOn(run, stepId));
      return { approval: { ...run.approval(approvalId)! }, step: run.step(stepId) };
    },
    {
      validator: (raw) => {
        const edit = ApprovalEditSchema.parse(raw);
        // A second delivery of a signed edit is let through, to answer as the first did.
        if (run.editDeliveredBefore(edit)) return;
        const verdict = judgeEdit(run.approval(edit.approval_id), edit, new Date().toISOString());
        if (!verdict.allowed) throw refusal(verdict);
        if (run.awaitsPolicyAfterEdit(edit.approval_id)) {
          const message = `Approval ${edit.approval_id} was just edited and is being judged again`;
          throw refusal({ type: DecisionErrorType.Stale, message });
        }
      },
    },
  );

  setHandler(stepActionSignal, (raw) => {
    const action = StepActionSchema.safeParse(raw);
    if (action.success)
      received('operator_action', action.data, () => applyAuthenticatedAction(run, action.data, run.trustedKeys));
    else
      run.ignoreStepAction(undefined, `Malformed action ignored: ${issueLines(action.error.issues).join('; ')}`, {
        reason: 'malformed',
      });
  });
  setHandler(
    stepActionUpdate,
    async (action) => {
      const verdict = received('operator_action', action, () => applyAuthenticatedAction(run, action, run.trustedKeys));
      if (!verdict.allowed) throw refusal(verdict);
      // Answer once the run has acted: the step finished, waits for approval, or is held again.
      await condition(() => stepMovedOn(run, action.step_id));
      return { step: run.step(action.step_id) };
    },
    {
      validator: (raw) => {
        const verdict = judgeActionUpdate(run, StepActionSchema.parse(raw), run.trustedKeys);
        if (!verdict.allowed) throw refusal(verdict);
      },
    },
  );
}
