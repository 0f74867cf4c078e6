/**
 * Edit before approve: the signed form an edit travels in (who may make one is the approval judge's
 * question, approval/edit.ts). An edit is signed under its own payload version, so its signature can
 * never be replayed as a decision's (or a decision's as an edit's), and names the run it is for.
 */
import { z } from 'zod';
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
import {
  DecisionProofSchema,
  IdentitySchema,
  RunBindingShape,
  type DecisionProof,
  type TrustedDecisionKey,
} from './workflow-contracts.js';

const EDIT_PAYLOAD_VERSION = 'approval-edit-v2';

export const ApprovalEditSchema = z.strictObject({
  approval_id: z.string().min(1).max(300),
  /** The tool's complete new arguments; checked against the tool's schema. */
  args: z.record(z.string(), z.unknown()),
  edited_by: IdentitySchema,
  reason: z.string().max(1000).optional(),
  /** The editor's groups as the gateway authenticated them; an approver's eligibility is checked against these. */
  groups: z.array(IdentitySchema).max(50).optional(),
  /** The approval's `action_hash` as the editor saw it; an edit of a changed action is refused as stale. */
  action_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 32 bytes as lowercase hex')
    .optional(),
  proof: DecisionProofSchema.optional(),
  ...RunBindingShape,
});
export type ApprovalEdit = z.infer<typeof ApprovalEditSchema>;
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
