/**
 * The one way a revoke reaches RunState from outside: checked against the keys the run trusts, like
 * a decision (decision-gate.ts). The run alone says whether it came in time: a revoke and the end of
 * the cooling-off window are handled one after the other, so the step either never runs (`revoked`)
 * or runs once (`too_late`, answered once it has started, with when).
 */
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { checkRevokeProof } from '../src/shared/approval/revoke.js';
import { approvalRevokeUpdate, DecisionErrorType, type RevokeOutcome } from '../src/shared/messages.js';
import { ApprovalRevokeSchema, type ApprovalRevoke } from '../src/shared/workflow-contracts.js';
import type { RevokeVerdict, RunState } from './run-state.js';
import type { AuditOutbox } from './run-audit.js';

export function applyAuthenticatedRevoke(run: RunState, revoke: ApprovalRevoke): RevokeVerdict {
  const check = checkRevokeProof(revoke, run.trustedKeys);
  if (!check.valid) {
    run.ignoreRevoke(revoke, check.reason, check.message);
    return { kind: 'refused', type: DecisionErrorType.Unauthenticated, message: check.message };
  }
  return run.revokeHold(revoke, {
    via: check.key.role,
    key_id: check.key.key_id,
    signed_at: check.proof.issued_at,
    nonce: check.proof.nonce,
  });
}

/** `audit` is told of every revoke received, attached to the first fact it causes. */
export function installRevokeHandler(run: RunState, audit: AuditOutbox): void {
  setHandler(
    approvalRevokeUpdate,
    async (revoke): Promise<RevokeOutcome> => {
      const verdict = audit.receive('revoke', revoke, run.workflowId, new Date().toISOString(), () =>
        applyAuthenticatedRevoke(run, revoke),
      );
      if (verdict.kind === 'refused')
        throw ApplicationFailure.create({ type: verdict.type, message: verdict.message, nonRetryable: true });
      const stepId = run.approval(revoke.approval_id)!.step_id;
      if (verdict.kind === 'too_late') {
        await condition(() => run.step(stepId).started_at !== undefined || run.step(stepId).finished_at !== undefined);
      }
      const approval = { ...run.approval(revoke.approval_id)! };
      const step = { ...run.step(stepId) };
      if (verdict.kind === 'revoked') return { outcome: 'revoked', approval, step };
      return { outcome: 'too_late', started_at: step.started_at ?? step.finished_at!, approval, step };
    },
    { validator: (revoke) => void ApprovalRevokeSchema.parse(revoke) },
  );
}
