/**
 * Signed approval decisions: what is signed, and the check the workflow applies before a decision
 * changes anything (the proof itself is signed-proof.ts, shared with delegations and operator actions).
 */
import {
  asciiJsonBytes,
  checkProof,
  signProof,
  withoutProof,
  type DecisionSigner,
  type ProofCheck,
} from './signed-proof.js';
import type { ApprovalDecision, DecisionProof, TrustedDecisionKey } from './workflow-contracts.js';

export { bytesToHex, hexToBytes, ProofRejection, type DecisionSigner, type ProofCheck } from './signed-proof.js';

const PAYLOAD_VERSION = 'approval-decision-v1';
const GROUPS_PAYLOAD_VERSION = 'approval-decision-v2';
const ACTION_PAYLOAD_VERSION = 'approval-decision-v3';

export type UnsignedDecision = Omit<ApprovalDecision, 'proof'>;

/**
 * The exact bytes a decision's signature covers: every field that changes what the decision does or
 * who it is attributed to, plus the signer, time and nonce. JSON with non-ASCII escaped, so both
 * sides produce the same bytes without a text encoder (the workflow sandbox has none).
 */
export function decisionSigningBytes(decision: UnsignedDecision, proof: Omit<DecisionProof, 'signature'>): Uint8Array {
  // The decider's groups decide which approval stages they count for, so they are signed too; a
  // decision without groups signs the same bytes as before they existed.
  // So is the action it approves; v3 signs the groups (or null) and the action hash.
  const bound = decision.action_hash !== undefined;
  const groups = bound
    ? [decision.groups ?? null, decision.action_hash]
    : decision.groups === undefined
      ? []
      : [decision.groups];
  return asciiJsonBytes([
    bound ? ACTION_PAYLOAD_VERSION : decision.groups === undefined ? PAYLOAD_VERSION : GROUPS_PAYLOAD_VERSION,
    decision.approval_id,
    decision.approved,
    decision.approver_id,
    decision.reason ?? null,
    proof.key_id,
    proof.issued_at,
    proof.nonce,
    ...groups,
  ]);
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
