/**
 * The one way a decision reaches RunState from outside: its signature is checked against the keys
 * the run trusts, and only a verified decision is applied, attributed to the key's role (`via`).
 */
import { checkDecisionProof } from '../src/shared/decision-signature.js';
import { DecisionErrorType } from '../src/shared/messages.js';
import type { ApprovalDecision, TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import type { DecisionResult, RunState } from './run-state.js';

export function applyAuthenticatedDecision(
  run: RunState,
  decision: ApprovalDecision,
  trustedKeys: readonly TrustedDecisionKey[],
): DecisionResult {
  const check = checkDecisionProof(decision, trustedKeys);
  if (!check.valid) {
    run.ignoreUnauthenticatedDecision(decision, check.reason, check.message);
    return { accepted: false, type: DecisionErrorType.Unauthenticated, message: check.message };
  }
  if (run.awaitsPolicyAfterEdit(decision.approval_id)) {
    const message =
      `Approval ${decision.approval_id} was just edited and is being judged again; ` +
      'look at it again before deciding';
    run.ignoreUnauthenticatedDecision(decision, DecisionErrorType.Stale, message);
    return { accepted: false, type: DecisionErrorType.Stale, message };
  }
  const { key, proof } = check;
  return run.decide(decision, { via: key.role, key_id: key.key_id, signed_at: proof.issued_at, nonce: proof.nonce });
}
