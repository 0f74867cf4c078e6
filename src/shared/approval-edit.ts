/**
 * Edit before approve: signing an edit (its form is ApprovalEditSchema, workflow-contracts.ts; who
 * may make one is the approval judge's question, approval/edit.ts). An edit is signed under its own
 * payload version, so its signature can never be replayed as a decision's (or a decision's as an
 * edit's), and names the run it is for.
 */
import { judgeEdit as judgeProposedEdit, type EditVerdict } from './approval/edit.js';
import type { JudgedApproval } from './approval/judge.js';
import { DecisionErrorType } from './messages.js';
import { signedMessageKind } from './signed-proof.js';
import type { ApprovalEdit } from './workflow-contracts.js';

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

/** The exact fields an edit's signature covers (ASCII JSON, so the workflow needs no text encoder). */
const edits = signedMessageKind<ApprovalEdit>('Edit', 'approval-edit-v2', (edit) => [
  edit.workflow_id ?? null,
  edit.run_id ?? null,
  edit.approval_id,
  edit.args,
  edit.edited_by,
  edit.reason ?? null,
  edit.groups ?? null,
  edit.action_hash ?? null,
]);

export const editSigningBytes = edits.signingBytes;
export const signEdit = edits.sign;
/** The trusted key that signed an edit, or why none did; never throws. */
export const checkEditProof = edits.check;
