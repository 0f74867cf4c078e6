/**
 * Signed delegations: a hand-over changes who may decide an approval, so the run applies one only
 * when it is signed by a key it trusts, exactly as it does decisions (decision-signature.ts), with
 * its own payload tag so a signed decision can never be replayed as a delegation or the reverse.
 */
import { signedMessageKind } from './signed-proof.js';
import type { ApprovalDelegation } from './workflow-contracts.js';

export type UnsignedDelegation = Omit<ApprovalDelegation, 'proof'>;

/** Every field of the delegation (with the run it is for), then the signer, time and nonce. */
const delegations = signedMessageKind<ApprovalDelegation>('Delegation', 'approval-delegation-v2', (delegation) => [
  delegation.workflow_id ?? null,
  delegation.run_id ?? null,
  delegation.approval_id,
  delegation.delegated_by,
  delegation.groups ?? [],
  delegation.to,
  delegation.to_kind,
  delegation.reason,
]);

export const delegationSigningBytes = delegations.signingBytes;
export const signDelegation = delegations.sign;
export const checkDelegationProof = delegations.check;
