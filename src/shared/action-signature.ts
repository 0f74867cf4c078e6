/**
 * Signed operator actions on held steps: what is signed, and the check the workflow applies before
 * an action changes anything. The same keys sign approval decisions, so the signed bytes start with
 * a payload version of their own: a decision's signature never verifies as an action, nor the
 * reverse. Pure and deterministic, shared by the workflow bundle, the gateway, scripts and tests.
 */
import {
  asciiJsonBytes,
  checkMessageProof,
  ProofRejection,
  signerBoundTo,
  type ProofCheck,
  type UnsignedProof,
} from './signed-proof.js';
import type { DecisionProof, StepAction, TrustedDecisionKey } from './workflow-contracts.js';

const ACTION_PAYLOAD_VERSION = 'step-action-v2';

export type UnsignedStepAction = Omit<StepAction, 'proof'>;

export const ActionProofRejection = {
  ...ProofRejection,
  /** Signed, but not naming the hold it is for, so it could be replayed on a later hold. */
  Unbound: 'unbound',
} as const;
export type ActionProofRejection = (typeof ActionProofRejection)[keyof typeof ActionProofRejection];

export type ActionProofCheck = ProofCheck<ActionProofRejection>;

/**
 * The bytes an action's signature covers: the run (the workflow id is not in the payload, so the
 * run supplies its own and a signature made for one workflow id fails under every other; the first
 * execution run id the action names, which the run compares with its hold's), the step and the
 * hold it is for, what is done (kind and edited args), who does it in which role and why, and the
 * signer, time and nonce. Args are serialised with sorted keys, so their order does not matter.
 */
export function actionSigningBytes(
  workflowId: string,
  action: UnsignedStepAction,
  proof: Omit<DecisionProof, 'signature'>,
): Uint8Array {
  return asciiJsonBytes([
    ACTION_PAYLOAD_VERSION,
    workflowId,
    action.run_id ?? null,
    action.step_id,
    action.held_since ?? null,
    action.action,
    action.args === undefined ? null : canonical(action.args),
    action.decided_by,
    action.role ?? null,
    action.reason ?? null,
    proof.key_id,
    proof.issued_at,
    proof.nonce,
  ]);
}

/** Plain JSON values with object keys sorted at every depth. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    // JSON keeps an object's insertion order (integer-like keys first, in both places alike).
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** Signs an action for the run `workflowId`; `issuedAt` and `nonce` come from the caller so this stays pure. */
export const signStepAction = signerBoundTo<StepAction>(actionSigningBytes);

/** Whether `action` carries a valid signature for the run `workflowId` by one of `trustedKeys`; never throws. */
export function checkActionProof(
  workflowId: string,
  action: StepAction,
  trustedKeys: readonly TrustedDecisionKey[],
): ActionProofCheck {
  if (action.proof !== undefined && (action.held_since === undefined || action.role === undefined)) {
    return {
      valid: false,
      reason: ActionProofRejection.Unbound,
      message: "Action ignored: a signed action must name the hold it is for (held_since) and the operator's role",
    };
  }
  const bytesFor = (unsigned: UnsignedStepAction, proof: UnsignedProof) =>
    actionSigningBytes(workflowId, unsigned, proof);
  return checkMessageProof('Action', action, bytesFor, trustedKeys);
}
