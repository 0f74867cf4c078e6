/**
 * What every signed message to a run shares (decisions, delegations, operator actions): the
 * Ed25519 proof, its check against the keys a run trusts, and the ASCII JSON bytes a signature
 * covers. Pure and deterministic (no Node crypto, no clock, no text encoder: the workflow sandbox
 * has none), so the workflow bundle, the gateway, scripts and tests share one definition. Each
 * message starts its signed bytes with a payload version of its own, so one kind never verifies
 * as another.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { asciiBytes, canonicalJson } from './canonical-json.js';
import type { DecisionProof, TrustedDecisionKey } from './workflow-contracts.js';

export interface DecisionSigner {
  key_id: string;
  /** The 32-byte Ed25519 private key. */
  secret_key: Uint8Array;
}

export type UnsignedProof = Omit<DecisionProof, 'signature'>;

export const ProofRejection = {
  Unsigned: 'unsigned',
  UnknownKey: 'unknown_key',
  BadSignature: 'bad_signature',
} as const;
export type ProofRejection = (typeof ProofRejection)[keyof typeof ProofRejection];

/** A check's verdict; `Reason` widens for messages with refusals of their own (operator actions). */
export type ProofCheck<Reason extends string = ProofRejection> =
  { valid: true; key: TrustedDecisionKey; proof: DecisionProof } | { valid: false; reason: Reason; message: string };

/** JSON of `fields` with every non-ASCII character escaped, as bytes: the same on every side. */
export function asciiJsonBytes(fields: readonly unknown[]): Uint8Array {
  return asciiBytes(JSON.stringify(fields));
}

/**
 * The bytes a message's signature covers: its payload version and fields, then the signer, time
 * and nonce, as canonical ASCII JSON (object members sorted, so arguments sign alike in any order).
 */
export function signedFieldsBytes(
  payloadVersion: string,
  fields: readonly unknown[],
  proof: UnsignedProof,
): Uint8Array {
  return asciiBytes(canonicalJson([payloadVersion, ...fields, proof.key_id, proof.issued_at, proof.nonce]));
}

/** A proof over the bytes `bytesFor` makes of it; `issuedAt` and `nonce` come from the caller so this stays pure. */
export function signProof(
  signer: DecisionSigner,
  issuedAt: string,
  nonce: string,
  bytesFor: (proof: UnsignedProof) => Uint8Array,
): DecisionProof {
  const unsigned = { key_id: signer.key_id, issued_at: issuedAt, nonce };
  return { ...unsigned, signature: bytesToHex(ed25519.sign(bytesFor(unsigned), signer.secret_key)) };
}

/** The bytes a message's signature covers, made of the message without its proof. */
export type SigningBytes<Unsigned> = (unsigned: Unsigned, proof: UnsignedProof) => Uint8Array;

/**
 * `message` (any proof it carries dropped first) with a proof over the bytes `bytesFor` makes of it;
 * `issuedAt` and `nonce` come from the caller so this stays pure.
 */
export function signMessage<M extends { proof?: DecisionProof }>(
  message: Omit<M, 'proof'>,
  signer: DecisionSigner,
  issuedAt: string,
  nonce: string,
  bytesFor: SigningBytes<Omit<M, 'proof'>>,
): M {
  const unsigned = withoutProof(message as M);
  const proof = signProof(signer, issuedAt, nonce, (unsignedProof) => bytesFor(unsigned, unsignedProof));
  // A signed message is its unsigned members and the proof: M has no member besides them.
  return { ...unsigned, proof } as unknown as M;
}

/** Whether `message` carries a valid signature by one of `trustedKeys` over `bytesFor`'s bytes; never throws. */
export function checkMessageProof<M extends { proof?: DecisionProof }>(
  subject: string,
  message: M,
  bytesFor: SigningBytes<Omit<M, 'proof'>>,
  trustedKeys: readonly TrustedDecisionKey[],
): ProofCheck {
  const unsigned = withoutProof(message);
  return checkProof(subject, message.proof, (proof) => bytesFor(unsigned, proof), trustedKeys);
}

/**
 * The signing function of a message bound to the workflow `boundTo` names (its signature covers
 * that id, which the message itself does not carry): `(boundTo, message, signer, issuedAt, nonce)`.
 */
export function signerBoundTo<M extends { proof?: DecisionProof }>(
  bytesFor: (boundTo: string, unsigned: Omit<M, 'proof'>, proof: UnsignedProof) => Uint8Array,
): (boundTo: string, message: Omit<M, 'proof'>, signer: DecisionSigner, issuedAt: string, nonce: string) => M {
  return (boundTo, message, signer, issuedAt, nonce) =>
    signMessage<M>(message, signer, issuedAt, nonce, (unsigned, proof) => bytesFor(boundTo, unsigned, proof));
}

/** One kind of signed message: the bytes its signature covers, how it is signed, and how checked. */
export interface SignedMessageKind<M extends { proof?: DecisionProof }> {
  /** The exact bytes a message's signature covers: its payload version and fields, then the proof's. */
  signingBytes: SigningBytes<Omit<M, 'proof'>>;
  /** Signs a message; `issuedAt` and `nonce` come from the caller so this stays pure. */
  sign(message: Omit<M, 'proof'>, signer: DecisionSigner, issuedAt: string, nonce: string): M;
  /** Whether `message` carries a valid signature by one of `trustedKeys`; never throws. */
  check(message: M, trustedKeys: readonly TrustedDecisionKey[]): ProofCheck;
}

/**
 * A kind of signed message whose signature covers `fieldsOf` its message under `payloadVersion`
 * (its own, so one kind never verifies as another); `subject` names it in a refusal.
 */
export function signedMessageKind<M extends { proof?: DecisionProof }>(
  subject: string,
  payloadVersion: string,
  fieldsOf: (unsigned: Omit<M, 'proof'>) => readonly unknown[],
): SignedMessageKind<M> {
  const signingBytes: SigningBytes<Omit<M, 'proof'>> = (unsigned, proof) =>
    signedFieldsBytes(payloadVersion, fieldsOf(unsigned), proof);
  return {
    signingBytes,
    sign: (message, signer, issuedAt, nonce) => signMessage<M>(message, signer, issuedAt, nonce, signingBytes),
    check: (message, trustedKeys) => checkMessageProof(subject, message, signingBytes, trustedKeys),
  };
}

/**
 * Whether `proof` is a valid signature by one of `trustedKeys` over the bytes `bytesFor` makes of
 * it; never throws. `subject` names the message in the refusal ("Decision", "Delegation", ...).
 */
export function checkProof(
  subject: string,
  proof: DecisionProof | undefined,
  bytesFor: (proof: DecisionProof) => Uint8Array,
  trustedKeys: readonly TrustedDecisionKey[],
): ProofCheck {
  if (proof === undefined) {
    return {
      valid: false,
      reason: ProofRejection.Unsigned,
      message: `${subject} ignored: it is not signed by the gateway or an operator`,
    };
  }
  const key = trustedKeys.find((k) => k.key_id === proof.key_id);
  if (key === undefined) {
    return {
      valid: false,
      reason: ProofRejection.UnknownKey,
      message: `${subject} ignored: signed with key ${proof.key_id}, which this run does not trust`,
    };
  }
  let verified = false;
  try {
    verified = ed25519.verify(hexToBytes(proof.signature), bytesFor(proof), hexToBytes(key.public_key));
  } catch {
    verified = false;
  }
  if (!verified)
    return {
      valid: false,
      reason: ProofRejection.BadSignature,
      message: `${subject} ignored: its signature does not match its content`,
    };
  return { valid: true, key, proof };
}

export function withoutProof<T extends { proof?: unknown }>(message: T): Omit<T, 'proof'> {
  const { proof: _proof, ...rest } = message;
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
