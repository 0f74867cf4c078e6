/**
 * Signed delegations: a hand-over changes who may decide an approval, so the run applies one only
 * when it is signed by a key it trusts, exactly as it does decisions (decision-signature.ts), with
 * its own payload tag so a signed decision can never be replayed as a delegation or the reverse.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes, ProofRejection, type DecisionSigner, type ProofCheck } from './decision-signature.js';
import type { ApprovalDelegation, DecisionProof, TrustedDecisionKey } from './workflow-contracts.js';

const PAYLOAD_VERSION = 'approval-delegation-v1';

export type UnsignedDelegation = Omit<ApprovalDelegation, 'proof'>;

/** Every field of the delegation, then the signer, time and nonce; ASCII-only JSON, as for decisions. */
export function delegationSigningBytes(delegation: UnsignedDelegation, proof: Omit<DecisionProof, 'signature'>): Uint8Array {
  const text = JSON.stringify([
    PAYLOAD_VERSION,
    delegation.approval_id,
    delegation.delegated_by,
    delegation.groups ?? [],
    delegation.to,
    delegation.to_kind,
    delegation.reason,
    proof.key_id,
    proof.issued_at,
    proof.nonce,
  ]).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export function signDelegation(delegation: UnsignedDelegation, signer: DecisionSigner, issuedAt: string, nonce: string): ApprovalDelegation {
  const unsigned = { key_id: signer.key_id, issued_at: issuedAt, nonce };
  const signature = bytesToHex(ed25519.sign(delegationSigningBytes(withoutProof(delegation), unsigned), signer.secret_key));
  return { ...withoutProof(delegation), proof: { ...unsigned, signature } };
}

/** Whether `delegation` carries a valid signature by one of `trustedKeys`; never throws. */
export function checkDelegationProof(delegation: ApprovalDelegation, trustedKeys: readonly TrustedDecisionKey[]): ProofCheck {
  const { proof } = delegation;
  if (proof === undefined) {
    return { valid: false, reason: ProofRejection.Unsigned, message: 'Delegation ignored: it is not signed by the gateway or an operator' };
  }
  const key = trustedKeys.find((k) => k.key_id === proof.key_id);
  if (key === undefined) {
    return { valid: false, reason: ProofRejection.UnknownKey, message: `Delegation ignored: signed with key ${proof.key_id}, which this run does not trust` };
  }
  let verified = false;
  try {
    verified = ed25519.verify(hexToBytes(proof.signature), delegationSigningBytes(withoutProof(delegation), proof), hexToBytes(key.public_key));
  } catch {
    verified = false;
  }
  if (!verified) return { valid: false, reason: ProofRejection.BadSignature, message: 'Delegation ignored: its signature does not match its content' };
  return { valid: true, key, proof };
}

function withoutProof(delegation: UnsignedDelegation & { proof?: unknown }): UnsignedDelegation {
  const { proof: _proof, ...rest } = delegation;
  return rest;
}
