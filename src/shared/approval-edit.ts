/**
 * Edit before approve: signing an edit (its form is ApprovalEditSchema, workflow-contracts.ts; who
 * may make one is the approval judge's question, approval/edit.ts). An edit is signed under its own
 * payload version, so its signature can never be replayed as a decision's (or a decision's as an
 * edit's), and names the run it is for.
 */
import { judgeEdit as judgeProposedEdit, type EditVerdict } from './approval/edit.js';
import type { JudgedApproval } from './approval/judge.js';
import { DecisionErrorType } from './messages.js';
import {
  checkProof,
  signedFieldsBytes,
  signProof,
  withoutProof,
  type DecisionSigner,
  type ProofCheck,
} from './signed-proof.js';
import type { ApprovalEdit, DecisionProof, TrustedDecisionKey } from './workflow-contracts.js';

const EDIT_PAYLOAD_VERSION = 'approval-edit-v2';

export type UnsignedEdit = Omit<ApprovalEdit, 'proof'>;

/**
 * The approval judge's answer (approval/edit.ts) for an edit message, in the run: the edit must be
 * signed for this run, and an unknown approval is named.
 */
export function judgeEdit(approval: JudgedApproval | undefined, edit: UnsignedEdit, now: string): EditVerdict {
  if (!approval)
    return {
      allowed: false,
      type: DecisionErrorType.UnknownApproval,
      message: `No approval ${edit.approval_id} in this run`,
    };
  const proposed = {
    args: edit.args,
    editor: { id: edit.edited_by, groups: edit.groups },
    actionHash: edit.action_hash,
    workflowId: edit.workflow_id,
    runId: edit.run_id,
  };
  return judgeProposedEdit(approval, proposed, { now, checkRun: true });
}

/** The exact bytes an edit's signature covers (ASCII JSON, so the workflow needs no text encoder). */
export function editSigningBytes(edit: UnsignedEdit, proof: Omit<DecisionProof, 'signature'>): Uint8Array {
  const { workflow_id, run_id, approval_id, args, edited_by, reason, groups, action_hash } = edit;
  return signedFieldsBytes(
    EDIT_PAYLOAD_VERSION,
    [
      workflow_id ?? null,
      run_id ?? null,
      approval_id,
      args,
      edited_by,
      reason ?? null,
      groups ?? null,
      action_hash ?? null,
    ],
    proof,
  );
}

export function signEdit(edit: UnsignedEdit, signer: DecisionSigner, issuedAt: string, nonce: string): ApprovalEdit {
  const unsigned = withoutProof(edit as ApprovalEdit);
  return { ...unsigned, proof: signProof(signer, issuedAt, nonce, (proof) => editSigningBytes(unsigned, proof)) };
}

/** The trusted key that signed `edit`, or why none did; never throws. */
export function checkEditProof(edit: ApprovalEdit, trustedKeys: readonly TrustedDecisionKey[]): ProofCheck {
  return checkProof('Edit', edit.proof, (proof) => editSigningBytes(withoutProof(edit), proof), trustedKeys);
}
