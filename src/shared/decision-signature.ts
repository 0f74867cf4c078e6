/**
 * Signed approval decisions: what is signed, and the check the workflow applies before a decision
 * changes anything. Pure and deterministic (Ed25519 from @noble/curves, no Node crypto, no clock),
 * so the workflow bundle, the gateway, the operator's script and the tests share one definition.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import type { ApprovalDecision, DecisionProof, TrustedDecisionKey } from './workflow-contracts.js';

const PAYLOAD_VERSION = 'approval-decision-v1';
const GROUPS_PAYLOAD_VERSION = 'approval-decision-v2';
const ACTION_PAYLOAD_VERSION = 'approval-decision-v3';

export type UnsignedDecision = Omit<ApprovalDecision, 'proof'>;

export type ProofCheck =
  | { valid: true; key: TrustedDecisionKey; proof: DecisionProof }
  | { valid: false; reason: ProofRejection; message: string };

export const ProofRejection = {
  Unsigned: 'unsigned',
  UnknownKey: 'unknown_key',
  BadSignature: 'bad_signature',
} as const;
export type ProofRejection = (typeof ProofRejection)[keyof typeof ProofRejection];

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
  const groups = bound ? [decision.groups ?? null, decision.action_hash] : decision.groups === undefined ? [] : [decision.groups];
  const text = JSON.stringify([
    bound ? ACTION_PAYLOAD_VERSION : decision.groups === undefined ? PAYLOAD_VERSION : GROUPS_PAYLOAD_VERSION,
    decision.approval_id,
    decision.approved,
    decision.approver_id,
    decision.reason ?? null,
    proof.key_id,
    proof.issued_at,
    proof.nonce,
    ...groups,
  ]).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export interface DecisionSigner {
  key_id: string;
  /** The 32-byte Ed25519 private key. */
  secret_key: Uint8Array;
}

/** Signs a decision; `issuedAt` and `nonce` come from the caller so this stays pure. */
export function signDecision(decision: UnsignedDecision, signer: DecisionSigner, issuedAt: string, nonce: string): ApprovalDecision {
  const unsigned = { key_id: signer.key_id, issued_at: issuedAt, nonce };
  const signature = bytesToHex(ed25519.sign(decisionSigningBytes(decision, unsigned), signer.secret_key));
  return { ...withoutProof(decision), proof: { ...unsigned, signature } };
}

/** Whether `decision` carries a valid signature by one of `trustedKeys`; never throws. */
export function checkDecisionProof(decision: ApprovalDecision, trustedKeys: readonly TrustedDecisionKey[]): ProofCheck {
  const { proof } = decision;
  if (proof === undefined) {
    return { valid: false, reason: ProofRejection.Unsigned, message: 'Decision ignored: it is not signed by the gateway or an operator' };
  }
  const key = trustedKeys.find((k) => k.key_id === proof.key_id);
  if (key === undefined) {
    return { valid: false, reason: ProofRejection.UnknownKey, message: `Decision ignored: signed with key ${proof.key_id}, which this run does not trust` };
  }
  let verified = false;
  try {
    verified = ed25519.verify(hexToBytes(proof.signature), decisionSigningBytes(withoutProof(decision), proof), hexToBytes(key.public_key));
  } catch {
    verified = false;
  }
  if (!verified) return { valid: false, reason: ProofRejection.BadSignature, message: 'Decision ignored: its signature does not match its content' };
  return { valid: true, key, proof };
}

function withoutProof(decision: UnsignedDecision & { proof?: unknown }): UnsignedDecision {
  const { proof: _proof, ...rest } = decision;
  return rest;
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) throw new Error('expected lowercase hex');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
