/**
 * Ed25519 key files for signed decisions (PEM, as `openssl genpkey -algorithm ed25519` writes them):
 * the gateway's and the operator's signing keys, and the public keys the worker hands its runs.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { signStepAction, type UnsignedStepAction } from '../shared/action-signature.js';
import { bytesToHex, signDecision, type DecisionSigner, type UnsignedDecision } from '../shared/decision-signature.js';
import { signSessionRun, signStart, type UnsignedStart } from '../shared/start-signature.js';
import type {
  ApprovalDecision,
  RequestInput,
  SignedSessionRun,
  StepAction,
  TrustedDecisionKey,
} from '../shared/workflow-contracts.js';

/** A key's id: the first 8 bytes of the SHA-256 of its raw public key, so ids need no configuration. */
export function keyIdOf(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}

function rawKeys(key: KeyObject, file: string): { publicKey: Uint8Array; secretKey?: Uint8Array } {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`${file}: expected an Ed25519 key, found ${key.asymmetricKeyType ?? 'a symmetric key'}`);
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error(`${file}: the key has no public part`);
  return {
    publicKey: Buffer.from(jwk.x, 'base64url'),
    ...(typeof jwk.d === 'string' && { secretKey: Buffer.from(jwk.d, 'base64url') }),
  };
}

/** Reads `file` as a PEM key (a private key file also gives its public part); unreadable, it throws naming the file. */
function readPemKey(file: string, kind: 'private' | 'public'): KeyObject {
  try {
    const pem = readFileSync(file);
    return kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`${file}: cannot read an Ed25519 ${kind} key (${why})`);
  }
}

/** Reads a PEM private key; a missing, unreadable or non-Ed25519 file throws naming the file. */
export function loadDecisionSigner(file: string): DecisionSigner {
  const { publicKey, secretKey } = rawKeys(readPemKey(file, 'private'), file);
  if (secretKey === undefined) throw new Error(`${file}: not a private key`);
  return { key_id: keyIdOf(publicKey), secret_key: secretKey };
}

/** Reads PEM public keys (a private key file works too: its public part is used). */
export function loadTrustedKeys(files: readonly string[], role: TrustedDecisionKey['role']): TrustedDecisionKey[] {
  return files.map((file) => {
    const { publicKey } = rawKeys(readPemKey(file, 'public'), file);
    return { key_id: keyIdOf(publicKey), role, public_key: bytesToHex(publicKey) };
  });
}

/** Signs with a fresh nonce and the current time. */
export function signWith(signer: DecisionSigner, decision: UnsignedDecision): ApprovalDecision {
  return signDecision(decision, signer, new Date().toISOString(), randomBytes(18).toString('base64url'));
}

/** `input` signed to start run `workflowId`, with a fresh nonce and the current time. */
export function signStartWith(signer: DecisionSigner, workflowId: string, input: UnsignedStart): RequestInput {
  return signStart(workflowId, input, signer, new Date().toISOString(), randomBytes(18).toString('base64url'));
}

/** A run's record signed for the session whose workflow is `sessionWorkflowId`. */
export function signSessionRunWith(
  signer: DecisionSigner,
  sessionWorkflowId: string,
  run: Omit<SignedSessionRun, 'proof'>,
): SignedSessionRun {
  return signSessionRun(
    sessionWorkflowId,
    run,
    signer,
    new Date().toISOString(),
    randomBytes(18).toString('base64url'),
  );
}

/** Signs an operator's action on a held step of run `workflowId`, with a fresh nonce and the current time. */
export function signActionWith(signer: DecisionSigner, workflowId: string, action: UnsignedStepAction): StepAction {
  return signStepAction(workflowId, action, signer, new Date().toISOString(), randomBytes(18).toString('base64url'));
}

/**
 * Writes a new key pair unless `privateFile` exists: the private key with mode 600, the public key
 * next to it as `<name>.pub.pem`. Returns the public key's path.
 */
export function ensureKeyPairFiles(privateFile: string): string {
  const publicFile = publicKeyFileFor(privateFile);
  if (!existsSync(privateFile)) {
    mkdirSync(dirname(privateFile), { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(privateFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    writeFileSync(publicFile, publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o600 });
  } else if (!existsSync(publicFile)) {
    writeFileSync(publicFile, createPublicKey(readFileSync(privateFile)).export({ format: 'pem', type: 'spki' }), {
      mode: 0o600,
    });
  }
  return publicFile;
}

export function publicKeyFileFor(privateFile: string): string {
  return privateFile.replace(/(\.pem)?$/, '.pub.pem');
}
