/**
 * Signed starts: the gateway (or an operator's key) signs what a request run is started with, and
 * the record of that run a session is told about; the run and the session verify before they act.
 * A run started by anyone else (the Temporal CLI, the Web UI, the HTTP API, an SDK client) carries
 * no valid proof, so it plans nothing, calls no tool and ends with the reason in its timeline. Pure
 * and deterministic: the workflow bundle, the gateway, scripts and tests share one definition.
 */
import {
  checkMessageProof,
  signedFieldsBytes,
  signerBoundTo,
  type SigningBytes,
  type UnsignedProof,
} from './signed-proof.js';
import type { RequestInput, SignedSessionRun, TrustedDecisionKey } from './workflow-contracts.js';

const START_PAYLOAD_VERSION = 'request-start-v1';
const SESSION_RUN_PAYLOAD_VERSION = 'session-run-v1';

/**
 * How far a start's signing time may lie from the moment Temporal started the run (either way, for
 * clocks that disagree). A signed start replayed later, under the same workflow id once the first run
 * closed, is refused; within the window it could only repeat the same run, whose writes carry the
 * same idempotency keys, so money still moves once.
 */
export const START_FRESHNESS_MS = 5 * 60_000;

export type UnsignedStart = Omit<RequestInput, 'proof'>;

export const StartRefusal = {
  Unsigned: 'unsigned',
  UnknownKey: 'unknown_key',
  BadSignature: 'bad_signature',
  Stale: 'stale',
} as const;
export type StartRefusal = (typeof StartRefusal)[keyof typeof StartRefusal];

export type StartCheck =
  { valid: true; key: TrustedDecisionKey } | { valid: false; reason: StartRefusal; message: string };

/** `value` without its `proof` member (an object that has none is copied whole). */
function withoutProofField<T extends object>(value: T): Omit<T, 'proof'> {
  const { proof: _proof, ...rest } = value as T & { proof?: unknown };
  return rest;
}

/** The bytes a start's signature covers: the run's workflow id and its whole input (every field, sorted). */
export function startSigningBytes(workflowId: string, input: UnsignedStart, proof: UnsignedProof): Uint8Array {
  return signedFieldsBytes(START_PAYLOAD_VERSION, [workflowId, withoutProofField(input)], proof);
}

/** `input` with a proof that it was sent to start run `workflowId`; `issuedAt` and `nonce` from the caller. */
export const signStart = signerBoundTo<RequestInput>(startSigningBytes);

/**
 * Whether `input` was signed by a trusted key for run `workflowId`, close to `startedAt` (when
 * Temporal started the run, so the same on every replay); never throws.
 */
export function checkStart(
  workflowId: string,
  input: RequestInput,
  startedAt: Date,
  trustedKeys: readonly TrustedDecisionKey[],
): StartCheck {
  const bytesFor = (unsigned: UnsignedStart, proof: UnsignedProof) => startSigningBytes(workflowId, unsigned, proof);
  const verdict = checkMessageProof('Start', input, bytesFor, trustedKeys);
  if (!verdict.valid) {
    const messages: Record<typeof verdict.reason, string> = {
      unsigned: 'Start refused: the run was not started by the gateway or an operator (its input is not signed)',
      unknown_key: `Start refused: signed with key ${input.proof?.key_id}, which this run does not trust`,
      bad_signature:
        'Start refused: the signature does not match this run (another workflow id, or a changed requester, ' +
        'groups, session or message)',
    };
    return { valid: false, reason: verdict.reason, message: messages[verdict.reason] };
  }
  const skewMs = Math.abs(startedAt.getTime() - Date.parse(verdict.proof.issued_at));
  if (!(skewMs <= START_FRESHNESS_MS)) {
    return {
      valid: false,
      reason: StartRefusal.Stale,
      message: `Start refused: signed at ${verdict.proof.issued_at}, too far from the run's start (a replayed start)`,
    };
  }
  return { valid: true, key: verdict.key };
}

function sessionRunBytes(
  sessionWorkflowId: string,
  run: Omit<SignedSessionRun, 'proof'>,
  proof: UnsignedProof,
): Uint8Array {
  return signedFieldsBytes(SESSION_RUN_PAYLOAD_VERSION, [sessionWorkflowId, withoutProofField(run)], proof);
}

/** `run` with a proof that it belongs in the session whose workflow is `sessionWorkflowId`. */
export const signSessionRun = signerBoundTo<SignedSessionRun>(sessionRunBytes);

/**
 * Whether `run` was signed for session workflow `sessionWorkflowId`, for this session and its owner
 * (compared by `sameOwner`, as the gateway compares identities); never throws.
 */
export function checkSessionRun(
  sessionWorkflowId: string,
  session: { session_id: string; user_id: string },
  run: SignedSessionRun,
  trustedKeys: readonly TrustedDecisionKey[],
  sameOwner: (a: string, b: string) => boolean,
): { valid: true } | { valid: false; message: string } {
  const bytesFor: SigningBytes<Omit<SignedSessionRun, 'proof'>> = (unsigned, proof) =>
    sessionRunBytes(sessionWorkflowId, unsigned, proof);
  const verdict = checkMessageProof('Session run', run, bytesFor, trustedKeys);
  if (!verdict.valid) return { valid: false, message: verdict.message };
  if (run.session_id !== session.session_id || run.user_id === undefined || !sameOwner(run.user_id, session.user_id))
    return { valid: false, message: `Session run ignored: ${run.workflow_id} belongs to another session or user` };
  return { valid: true };
}
