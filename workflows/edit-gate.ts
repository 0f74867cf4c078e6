/**
 * The one way an edit reaches RunState from outside: its signature is checked against the keys the
 * run trusts, and RunState applies only a verified edit (approval-edits.ts); whatever it does not
 * apply is recorded as `approval_ignored`.
 */
import { checkEditProof } from '../src/shared/approval-edit.js';
import { ApprovalEditSchema, type ApprovalEdit, type TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import { issueLines } from '../src/shared/zod-issues.js';
import type { DecisionResult, RunState } from './run-state.js';

export function applyAuthenticatedEdit(
  run: RunState,
  edit: ApprovalEdit,
  trustedKeys: readonly TrustedDecisionKey[],
): DecisionResult {
  return run.editApproval(edit, checkEditProof(edit, trustedKeys));
}

/** The edit signal's payload, as it came (a hand-sent signal may not match the contract). */
export function receiveEditSignal(run: RunState, raw: unknown, trustedKeys: readonly TrustedDecisionKey[]): void {
  const edit = ApprovalEditSchema.safeParse(raw);
  if (edit.success) applyAuthenticatedEdit(run, edit.data, trustedKeys);
  else run.ignoreMalformedEdit(issueLines(edit.error.issues).join('; '));
}
