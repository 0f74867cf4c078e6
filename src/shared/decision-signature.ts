/**
 * Signed approval decisions: what is signed, and the check the workflow applies before a decision
 * changes anything (the proof itself is signed-proof.ts, shared with delegations and operator actions).
 */
import {
  checkProof,
  signedFieldsBytes,
  signProof,
  withoutProof,
  type DecisionSigner,
  type ProofCheck,
} from './signed-proof.js';
import type { ApprovalDecision, DecisionProof, TrustedDecisionKey } from './workflow-contracts.js';

export { bytesToHex, hexToBytes, ProofRejection, type DecisionSigner, type ProofCheck } from './signed-proof.js';

const PAYLOAD_VERSION = 'approval-decision-v4';

export type UnsignedDecision = Omit<ApprovalDecision, 'proof'>;

/**
 * The exact bytes a decision's signature covers: the run it is for (workflow id and first execution
 * run id), the approval and the action hash it was judged against, every field that changes what
 * it does or who it is attributed to, then the signer, time and nonce (canonical ASCII JSON).
 */
export function decisionSigningBytes(decision: UnsignedDecision, proof: Omit<DecisionProof, 'signature'>): Uint8Array {
  const { workflow_id, run_id, approval_id, action_hash, approved, approver_id, reason, groups } = decision;
  return signedFieldsBytes(
    PAYLOAD_VERSION,
    [
      workflow_id ?? null,
      run_id ?? null,
      approval_id,
      action_hash ?? null,
      approved,
      approver_id,
      reason ?? null,
      groups ?? null,
    ],
    proof,
  );
}

/** Signs a decision; `issuedAt` and `nonce` come from the caller so this stays pure. */
export function signDecision(
  decision: UnsignedDecision,
  signer: DecisionSigner,
  issuedAt: string,
  nonce: string,
): ApprovalDecision {
  const unsigned = withoutProof(decision as ApprovalDecision);
  return { ...unsigned, proof: signProof(signer, issuedAt, nonce, (proof) => decisionSigningBytes(unsigned, proof)) };
}

/** Whether `decision` carries a valid signature by one of `trustedKeys`; never throws. */
export function checkDecisionProof(decision: ApprovalDecision, trustedKeys: readonly TrustedDecisionKey[]): ProofCheck {
  return checkProof(
    'Decision',
    decision.proof,
    (proof) => decisionSigningBytes(withoutProof(decision), proof),
    trustedKeys,
  );
}
