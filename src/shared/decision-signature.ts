/**
 * Signed approval decisions: what is signed, and the check the workflow applies before a decision
 * changes anything (the proof itself is signed-proof.ts, shared with delegations and operator actions).
 */
import { signedMessageKind } from './signed-proof.js';
import type { ApprovalDecision } from './workflow-contracts.js';

export { bytesToHex, hexToBytes, ProofRejection, type DecisionSigner, type ProofCheck } from './signed-proof.js';

export type UnsignedDecision = Omit<ApprovalDecision, 'proof'>;

/**
 * Decisions' signatures cover the run a decision is for (workflow id and first execution run id),
 * the approval and the action hash it was judged against, every field that changes what it does or
 * who it is attributed to, then the signer, time and nonce (canonical ASCII JSON).
 */
const decisions = signedMessageKind<ApprovalDecision>('Decision', 'approval-decision-v4', (decision) => [
  decision.workflow_id ?? null,
  decision.run_id ?? null,
  decision.approval_id,
  decision.action_hash ?? null,
  decision.approved,
  decision.approver_id,
  decision.reason ?? null,
  decision.groups ?? null,
]);

export const decisionSigningBytes = decisions.signingBytes;
export const signDecision = decisions.sign;
export const checkDecisionProof = decisions.check;
