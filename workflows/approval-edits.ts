/**
 * Edit before approve, in the run: a signed edit amends a waiting step's arguments and its approval
 * in place (same approval id, new action_hash, earlier decisions cleared), then the step's gate asks
 * the policy again and this module applies its answer: wait again under the new requirement, run
 * without approval, or refuse. Between the edit and that answer no decision is taken.
 */
import type { ApprovalRecord } from '../src/shared/contracts.js';
import { actionHashOf } from '../src/shared/action-hash.js';
import { canonicalJson } from '../src/shared/canonical-json.js';
import { transferStepName } from '../src/shared/money.js';
import { ApprovalEditSchema, checkEditProof, judgeEdit, type ApprovalEdit } from '../src/shared/approval-edit.js';
import { DecisionErrorType } from '../src/shared/definitions.js';
import type { TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import type { ApprovalBook } from './run-approvals.js';
import { newApprovalRecord, type ApprovalStages } from './approval-records.js';
import type { DecisionResult, RunState } from './run-state.js';
import type { StepBook } from './run-steps.js';
import type { RecordEvent } from './run-timeline.js';
import { issueLines } from '../src/shared/zod-issues.js';
import type { ProofCheck } from '../src/shared/signed-proof.js';

/** What RunState.amendApproval hands to the functions here. */
export interface AmendableRun {
  approvals: ApprovalBook;
  steps: StepBook;
  now: string;
  emit: RecordEvent;
}

/** Edited approvals whose step has not yet been judged again by the policy. */
const awaitingPolicy = new WeakSet<Readonly<ApprovalRecord>>();

export function awaitsPolicyAfterEdit(run: RunState, approvalId: string): boolean {
  const record = run.approval(approvalId);
  return record !== undefined && awaitingPolicy.has(record);
}

/**
 * What each signed edit already did, by signer and nonce: the gateway may deliver one edit as an
 * update it gave up on and again as a signal, and derives the nonce from the edit itself, so a
 * retried request is the same edit too. Keyed by run, as the WeakSet above is by record.
 */
const deliveredEdits = new WeakMap<RunState, Map<string, DecisionResult>>();

function deliveryKeyOf(edit: ApprovalEdit): string | undefined {
  return edit.proof && `${edit.proof.key_id}/${edit.proof.nonce}`;
}

/** Whether this signed edit reached the run before (the update's validator lets it through to answer as the first did). */
export function editDeliveredBefore(run: RunState, edit: ApprovalEdit): boolean {
  const key = deliveryKeyOf(edit);
  return key !== undefined && (deliveredEdits.get(run)?.has(key) ?? false);
}

/** The edit signal's payload, as it came (a hand-sent signal may not match the contract). */
export function receiveEditSignal(run: RunState, raw: unknown, trustedKeys: readonly TrustedDecisionKey[]): void {
  const edit = ApprovalEditSchema.safeParse(raw);
  if (edit.success) {
    applyAuthenticatedEdit(run, edit.data, trustedKeys);
    return;
  }
  run.amendApproval(({ emit }) =>
    emit('approval_ignored', `Malformed edit ignored: ${issueLines(edit.error.issues).join('; ')}`, {
      metadata: { reason: 'malformed' },
    }),
  );
}

/**
 * Verifies, judges and applies an edit; a refused edit is recorded as `approval_ignored` and
 * changes nothing else. A second delivery of the same signed edit answers as the first did and
 * records nothing, unless the first came while an earlier edit was being judged (try again).
 * An edit to the arguments the step already has changes nothing, and a transfer's name as the
 * planner made it follows its new amount and recipient (`currentRules`: runs that took edits
 * before these rules replay without them).
 */
export function applyAuthenticatedEdit(
  run: RunState,
  edit: ApprovalEdit,
  trustedKeys: readonly TrustedDecisionKey[],
  currentRules = true,
): DecisionResult {
  const check = checkEditProof(edit, trustedKeys);
  const key = check.valid ? deliveryKeyOf(edit) : undefined;
  const delivered = deliveredEdits.get(run) ?? new Map<string, DecisionResult>();
  deliveredEdits.set(run, delivered);
  const earlier = key === undefined ? undefined : delivered.get(key);
  if (earlier) return earlier;
  const pending = run.approval(edit.approval_id);
  const transient = pending !== undefined && awaitingPolicy.has(pending);
  const result = judgeAndApply(run, edit, check, currentRules);
  if (key !== undefined && !transient) delivered.set(key, result);
  return result;
}

/** A transfer named as the planner names it is renamed after its new amount and recipient; any other name stays. */
function nameAfterEdit(
  tool: string,
  name: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string {
  const { amount_cents: oldCents, to_account: oldTo } = before;
  const { amount_cents: cents, to_account: to } = after;
  if (
    tool !== 'bank_transfer' ||
    typeof oldCents !== 'number' ||
    typeof oldTo !== 'string' ||
    typeof cents !== 'number' ||
    typeof to !== 'string'
  )
    return name;
  return name === transferStepName(oldCents, oldTo) ? transferStepName(cents, to) : name;
}

function judgeAndApply(run: RunState, edit: ApprovalEdit, check: ProofCheck, currentRules: boolean): DecisionResult {
  return run.amendApproval(({ approvals, steps, now, emit }) => {
    const approval = approvals.revisable(edit.approval_id);
    const ignore = (type: DecisionErrorType, message: string): DecisionResult => {
      emit('approval_ignored', message, {
        ...(approval && { step_id: approval.step_id }),
        approval_id: edit.approval_id,
        metadata: { edited_by: edit.edited_by, reason: type, ...(edit.proof && { key_id: edit.proof.key_id }) },
      });
      return { accepted: false, type, message };
    };
    if (!check.valid) return ignore(DecisionErrorType.Unauthenticated, check.message);
    const verdict = judgeEdit(approval && !awaitingPolicy.has(approval) ? approval : undefined, edit, now);
    if (!verdict.allowed)
      return ignore(
        verdict.type,
        approval && awaitingPolicy.has(approval)
          ? `Approval ${approval.approval_id} is being judged again after an edit; try again`
          : verdict.message,
      );
    const record = approval!;
    const step = steps.get(record.step_id);
    // A retried request that reached the run as a new edit asks for what is already there.
    if (currentRules && canonicalJson(verdict.args) === canonicalJson(step.args))
      return { accepted: true, approval: record };
    const before = step.args;
    const previousHash = record.action_hash;
    const editedName = step.name;
    step.args = verdict.args;
    if (currentRules) step.name = nameAfterEdit(step.tool, editedName, before, step.args);
    record.edits = (record.edits ?? 0) + 1;
    record.edited_by = edit.edited_by;
    record.args = { ...step.args };
    // Until the policy answers, the approval binds the new arguments under the old requirement.
    record.action_hash = actionHashOf({
      tool: step.tool,
      args: step.args,
      rule: record.policy_rule,
      stages: record.stages,
    });
    awaitingPolicy.add(record);
    emit(
      'approval_edited',
      `${editedName} edited by ${edit.edited_by}${edit.reason !== undefined ? `: ${edit.reason}` : ''}`,
      {
        step_id: step.id,
        approval_id: record.approval_id,
        metadata: {
          edited_by: edit.edited_by,
          before,
          after: step.args,
          ...(edit.reason !== undefined && { reason: edit.reason }),
          previous_action_hash: previousHash,
          via: check.key.role,
          key_id: check.key.key_id,
          nonce: check.proof.nonce,
        },
      },
    );
    return { accepted: true, approval: record };
  });
}

/** The policy still asks for approval of the edited step: the approval waits again, from now, with no decisions counted. */
export function reopenEditedApproval(
  run: RunState,
  approvalId: string,
  reason: string,
  timeoutMs: number,
  staged: ApprovalStages | undefined,
): void {
  run.amendApproval(({ approvals, steps, now, emit }) => {
    const record = approvals.revisable(approvalId);
    if (!record) return;
    const fresh = newApprovalRecord(run, steps.get(record.step_id), reason, now, timeoutMs, staged);
    const { requested_at: requestedAt, edits, edited_by: editedBy } = record;
    for (const key of Object.keys(record)) delete (record as unknown as Record<string, unknown>)[key];
    Object.assign(record, fresh, {
      approval_id: approvalId,
      requested_at: requestedAt,
      ...(edits !== undefined && { edits }),
      ...(editedBy !== undefined && { edited_by: editedBy }),
    });
    awaitingPolicy.delete(record);
    emit('approval_required', `${record.step_name}: ${reason} (edited)`, {
      step_id: record.step_id,
      approval_id: record.approval_id,
      metadata: {
        reason,
        requested_by: record.requested_by,
        expires_at: record.expires_at,
        action_hash: record.action_hash,
        edits: record.edits,
      },
    });
  });
}

/** The edited step needs no approval, or is refused: the approval closes and the step runs or is refused. */
export function closeEditedApproval(
  run: RunState,
  approvalId: string,
  outcome: { kind: 'allow' } | { kind: 'refuse'; reason: string; rule: string },
): void {
  run.amendApproval(({ approvals, steps, now }) => {
    const record = approvals.revisable(approvalId);
    if (!record) return;
    awaitingPolicy.delete(record);
    record.status = 'cancelled';
    record.decided_at = now;
    if (outcome.kind === 'allow') {
      record.decision_reason = 'The edited action needs no approval under the policy';
      steps.markReady(record.step_id, `${record.step_name} is ready (the edited action needs no approval)`);
    } else {
      record.decision_reason = `The policy refuses the edited action: ${outcome.reason}`;
      steps.refuse(record.step_id, outcome.reason, outcome.rule);
    }
  });
}
