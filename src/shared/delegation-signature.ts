/**
 * Signed delegations: a hand-over changes who may decide an approval, so the run applies one only
 * when it is signed by a key it trusts, exactly as it does decisions (decision-signature.ts), with
 * its own payload tag so a signed decision can never be replayed as a delegation or the reverse.
 */
import {
  checkProof,
  signedFieldsBytes,
  signProof,
  withoutProof,
  type DecisionSigner,
  type ProofCheck,
} from './signed-proof.js';
import type { ApprovalDelegation, DecisionProof, TrustedDecisionKey } from './workflow-contracts.js';

const PAYLOAD_VERSION = 'approval-delegation-v2';

export type UnsignedDelegation = Omit<ApprovalDelegation, 'proof'>;

/**
 * Every field of the delegation (with the run it is for), then the signer, time and nonce;
 * ASCII-only JSON, as for decisions.
 */
export function delegationSigningBytes(
  delegation: UnsignedDelegation,
  proof: Omit<DecisionProof, 'signature'>,
): Uint8Array {
  const { workflow_id, run_id, approval_id, delegated_by, groups, to, to_kind, reason } = delegation;
  const fields = [workflow_id ?? null, run_id ?? null, approval_id, delegated_by, groups ?? [], to, to_kind, reason];
  return signedFieldsBytes(PAYLOAD_VERSION, fields, proof);
}

export function signDelegation(
  delegation: UnsignedDelegation,
  signer: DecisionSigner,
  issuedAt: string,
  nonce: string,
): ApprovalDelegation {
  const unsigned = withoutProof(delegation as ApprovalDelegation);
  return { ...unsigned, proof: signProof(signer, issuedAt, nonce, (proof) => delegationSigningBytes(unsigned, proof)) };
}

/** Whether `delegation` carries a valid signature by one of `trustedKeys`; never throws. */
export function checkDelegationProof(
  delegation: ApprovalDelegation,
  trustedKeys: readonly TrustedDecisionKey[],
): ProofCheck {
  return checkProof(
    'Delegation',
    delegation.proof,
    (proof) => delegationSigningBytes(withoutProof(delegation), proof),
    trustedKeys,
  );
}
