/**
 * The one way a delegation reaches RunState from outside: checked against the keys the run trusts,
 * like a decision (decision-gate.ts), since it changes who may decide, and only when signed for this run.
 */
import { runRefusal } from '../src/shared/approval/judge.js';
import { checkDelegationProof } from '../src/shared/delegation-signature.js';
import { DecisionErrorType } from '../src/shared/messages.js';
import type { ApprovalDelegation, TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import type { DelegationVerdict } from './approval-handovers.js';
import type { RunState } from './run-state.js';

export function applyAuthenticatedDelegation(
  run: RunState,
  delegation: ApprovalDelegation,
  trustedKeys: readonly TrustedDecisionKey[],
): DelegationVerdict {
  const check = checkDelegationProof(delegation, trustedKeys);
  const { proof: _proof, ...request } = delegation;
  if (!check.valid) {
    run.ignoreUnauthenticatedDelegation(request, check.reason, check.message);
    return { allowed: false, type: DecisionErrorType.Unauthenticated, message: check.message };
  }
  const approval = run.approval(delegation.approval_id);
  const wrongRun = approval && runRefusal(approval, { workflowId: delegation.workflow_id, runId: delegation.run_id });
  if (wrongRun) {
    run.ignoreUnauthenticatedDelegation(request, wrongRun.type, wrongRun.message);
    return { allowed: false, type: wrongRun.type, message: wrongRun.message };
  }
  return run.delegateApproval(request, {
    via: check.key.role,
    key_id: check.key.key_id,
    signed_at: check.proof.issued_at,
    nonce: check.proof.nonce,
  });
}
