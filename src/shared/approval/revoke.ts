/**
 * Taking an approval back during its cooling-off window: what a revoke signs, and who may send
 * one. Who may is asked of the approval judge (judge.ts), never decided here: the requester, or
 * anyone who could have decided the step at one of its stages (a rejection the judge would have
 * counted). Whether it came in time is for the run alone: it knows whether the step has started.
 * Pure, so the workflow bundle, the gateway and the unit tests share it.
 */
import { DecisionErrorType } from '../messages.js';
import {
  checkProof,
  signedFieldsBytes,
  signProof,
  withoutProof,
  type DecisionSigner,
  type ProofCheck,
} from '../signed-proof.js';
import type { ApprovalRevoke, DecisionProof, TrustedDecisionKey } from '../workflow-contracts.js';
import {
  identityRefusal,
  judgeDecision,
  runRefusal,
  type Decider,
  type JudgedApproval,
  type Refusal,
} from './judge.js';

const PAYLOAD_VERSION = 'approval-revoke-v1';

export type UnsignedRevoke = Omit<ApprovalRevoke, 'proof'>;

/** Every field of the revoke (with the run it is for), then the signer, time and nonce. */
export function revokeSigningBytes(revoke: UnsignedRevoke, proof: Omit<DecisionProof, 'signature'>): Uint8Array {
  const { workflow_id, run_id, approval_id, revoked_by, reason, groups } = revoke;
  const fields = [workflow_id ?? null, run_id ?? null, approval_id, revoked_by, reason ?? null, groups ?? null];
  return signedFieldsBytes(PAYLOAD_VERSION, fields, proof);
}

export function signRevoke(revoke: UnsignedRevoke, signer: DecisionSigner, issuedAt: string, nonce: string) {
  const unsigned = withoutProof(revoke as ApprovalRevoke);
  const proof = signProof(signer, issuedAt, nonce, (p) => revokeSigningBytes(unsigned, p));
  return { ...unsigned, proof } satisfies ApprovalRevoke;
}

/** Whether `revoke` carries a valid signature by one of `trustedKeys`; never throws. */
export function checkRevokeProof(revoke: ApprovalRevoke, trustedKeys: readonly TrustedDecisionKey[]): ProofCheck {
  return checkProof('Revoke', revoke.proof, (proof) => revokeSigningBytes(withoutProof(revoke), proof), trustedKeys);
}

/** What the judge reads of a holding approval: the record, with its window. */
export type RevokedApproval = JudgedApproval & { readonly hold_until?: string | undefined };

export interface ProposedRevoke {
  revoker: Decider;
  workflowId?: string | undefined;
  runId?: string | undefined;
}

/** Far enough ahead that the judge never sees a finished window as an expired approval. */
const NEVER_EXPIRES = '9999-12-31T23:59:59.999Z';

/**
 * Whether `revoker` could have decided the approval: the judge would have taken their rejection
 * while it waited, at any of its stages (or its one decision, without stages).
 */
export function couldHaveDecided(approval: JudgedApproval, revoker: Decider, now: string): boolean {
  const asPending = { ...approval, status: 'pending' as const, expires_at: NEVER_EXPIRES };
  const decision = { approved: false, decider: revoker, actionHash: approval.action_hash };
  const stageCount = approval.stages?.length ?? 0;
  const asked =
    approval.current_stage === undefined || stageCount === 0
      ? [asPending]
      : Array.from({ length: stageCount }, (_, index) => ({ ...asPending, current_stage: index }));
  return asked.some((pending) => judgeDecision(pending, decision, { now }).kind === 'reject');
}

/**
 * Why this revoke may not be taken, or undefined when it may: the approval must be approved under
 * a cooling-off window, the revoke signed for its run (`checkRun`: the run checks; the gateway
 * signs what it read), and the revoker someone who could have decided it.
 */
export function revokeRefusal(
  approval: RevokedApproval | undefined,
  revoke: ProposedRevoke,
  context: { now: string; checkRun?: boolean },
): Refusal | undefined {
  if (!approval) return { type: DecisionErrorType.UnknownApproval, message: 'No such approval' };
  const refusal =
    identityRefusal(revoke.revoker) ??
    (context.checkRun === true ? runRefusal(approval, revoke) : undefined) ??
    holdRefusal(approval);
  if (refusal) return refusal;
  if (couldHaveDecided(approval, revoke.revoker, context.now)) return undefined;
  return {
    type: DecisionErrorType.Forbidden,
    message: `${revoke.revoker.id} neither requested this step nor could have decided it, so may not revoke it`,
  };
}

function holdRefusal(approval: RevokedApproval): Refusal | undefined {
  if (approval.status === 'revoked')
    return { type: DecisionErrorType.AlreadyDecided, message: `Approval ${approval.approval_id} is already revoked` };
  if (approval.status === 'approved' && approval.hold_until !== undefined) return undefined;
  const why = approval.status === 'approved' ? 'approved without a cooling-off window' : approval.status;
  return {
    type: DecisionErrorType.NotHolding,
    message:
      `Approval ${approval.approval_id} is ${why}: only an approved step waiting out its cooling-off window ` +
      'can be revoked',
  };
}
