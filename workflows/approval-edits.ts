/**
 * Edit before approve, in the run: a signed edit amends a waiting step's arguments and its approval
 * in place (same approval id, new action_hash, earlier decisions cleared), then the step's gate asks
 * the policy again and this book applies its answer: wait again under the new requirement, run
 * without approval, or refuse. Between the edit and that answer no decision is taken. Only RunState
 * holds an EditBook and calls it, publishing after each change.
 */
import type { ApprovalEdit, ApprovalRecord } from '../src/shared/contracts.js';
import { actionHashOf } from '../src/shared/action-hash.js';
import { canonicalJson } from '../src/shared/canonical-json.js';
import { transferStepName } from '../src/shared/money.js';
import { judgeEdit } from '../src/shared/approval-edit.js';
import { DecisionErrorType } from '../src/shared/messages.js';
import type { ProofCheck } from '../src/shared/signed-proof.js';
import type { ApprovalBook, DecisionResult } from './run-approvals.js';
import { newApprovalRecord, type ApprovalStages, type AskingRun } from './approval-records.js';
import type { StepBook } from './run-steps.js';
import type { RecordEvent } from './run-timeline.js';

/** What the policy said of an edited step that needs no approval any more. */
export type EditedOutcome = { kind: 'allow' } | { kind: 'refuse'; reason: string; rule: string };

/** One signed edit, however many times it arrives (an update the gateway gave up on, then a signal). */
function deliveryKeyOf(edit: ApprovalEdit, check: ProofCheck): string | undefined {
  return check.valid && edit.proof ? `${edit.proof.key_id}/${edit.proof.nonce}` : undefined;
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

export class EditBook {
  readonly #approvals: ApprovalBook;
  readonly #steps: StepBook;
  readonly #record: RecordEvent;
  /** Edited approvals whose step the policy has not yet judged again. */
  readonly #awaitingPolicy = new Set<string>();
  /**
   * What each signed edit already did, by signer and nonce: the gateway derives the nonce from the
   * edit itself, so a retried request is the same edit too.
   */
  readonly #delivered = new Map<string, DecisionResult>();

  constructor(approvals: ApprovalBook, steps: StepBook, recordEvent: RecordEvent) {
    this.#approvals = approvals;
    this.#steps = steps;
    this.#record = recordEvent;
  }

  awaitsPolicy(approvalId: string): boolean {
    return this.#awaitingPolicy.has(approvalId);
  }

  /** Whether this signed edit reached the run before (the update's validator lets it through, to answer as before). */
  deliveredBefore(edit: ApprovalEdit): boolean {
    const key = edit.proof && `${edit.proof.key_id}/${edit.proof.nonce}`;
    return key !== undefined && this.#delivered.has(key);
  }

  /**
   * Judges and applies an edit whose signature was checked (`check`); a refused edit is recorded as
   * `approval_ignored` and changes nothing else. A second delivery of the same signed edit answers
   * as the first did and records nothing, unless the first came while an earlier edit was being
   * judged (try again). An edit to the arguments the step already has changes nothing.
   */
  apply(edit: ApprovalEdit, check: ProofCheck, now: string): DecisionResult {
    const key = deliveryKeyOf(edit, check);
    const earlier = key === undefined ? undefined : this.#delivered.get(key);
    if (earlier) return earlier;
    const transient = this.#awaitingPolicy.has(edit.approval_id);
    const result = this.#judgeAndApply(edit, check, now);
    if (key !== undefined && !transient) this.#delivered.set(key, result);
    return result;
  }

  #judgeAndApply(edit: ApprovalEdit, check: ProofCheck, now: string): DecisionResult {
    const approval = this.#approvals.revisable(edit.approval_id);
    const ignore = (type: DecisionErrorType, message: string): DecisionResult => {
      this.#record('approval_ignored', message, {
        ...(approval && { step_id: approval.step_id }),
        approval_id: edit.approval_id,
        metadata: { edited_by: edit.edited_by, reason: type, ...(edit.proof && { key_id: edit.proof.key_id }) },
      });
      return { accepted: false, type, message };
    };
    if (!check.valid) return ignore(DecisionErrorType.Unauthenticated, check.message);
    const beingJudged = this.#awaitingPolicy.has(edit.approval_id);
    const verdict = judgeEdit(beingJudged ? undefined : approval, edit, now);
    if (!verdict.allowed)
      return ignore(
        verdict.type,
        beingJudged ? `Approval ${edit.approval_id} is being judged again after an edit; try again` : verdict.message,
      );
    const record = approval!;
    const step = this.#steps.get(record.step_id);
    // A retried request that reached the run as a new edit asks for what is already there.
    if (canonicalJson(verdict.args) === canonicalJson(step.args)) return { accepted: true, approval: record };
    const before = step.args;
    const previousHash = record.action_hash;
    const editedName = step.name;
    step.args = verdict.args;
    step.name = nameAfterEdit(step.tool, editedName, before, step.args);
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
    this.#awaitingPolicy.add(record.approval_id);
    const why = edit.reason !== undefined ? `: ${edit.reason}` : '';
    this.#record('approval_edited', `${editedName} edited by ${edit.edited_by}${why}`, {
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
    });
    return { accepted: true, approval: record };
  }

  /** An edit signal whose payload does not match the contract (sent by hand, e.g. with the CLI). */
  ignoreMalformed(problem: string): void {
    this.#record('approval_ignored', `Malformed edit ignored: ${problem}`, { metadata: { reason: 'malformed' } });
  }

  /** The policy still asks for approval of the edited step: it waits again, from now, with no decisions counted. */
  reopen(
    run: AskingRun,
    approvalId: string,
    request: { reason: string; now: string; timeoutMs: number; staged: ApprovalStages | undefined },
  ): void {
    const record = this.#approvals.revisable(approvalId);
    if (!record) return;
    const { reason, now, timeoutMs, staged } = request;
    const fresh = newApprovalRecord(run, this.#steps.get(record.step_id), reason, now, timeoutMs, staged);
    const { requested_at: requestedAt, edits, edited_by: editedBy } = record;
    for (const key of Object.keys(record)) delete (record as unknown as Record<string, unknown>)[key];
    Object.assign(record, fresh, {
      approval_id: approvalId,
      requested_at: requestedAt,
      ...(edits !== undefined && { edits }),
      ...(editedBy !== undefined && { edited_by: editedBy }),
    });
    this.#awaitingPolicy.delete(approvalId);
    this.#record('approval_required', `${record.step_name}: ${reason} (edited)`, {
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
  }

  /** The edited step needs no approval, or is refused: the approval closes and the step runs or is refused. */
  close(approvalId: string, outcome: EditedOutcome, now: string): void {
    const record: ApprovalRecord | undefined = this.#approvals.revisable(approvalId);
    if (!record) return;
    this.#awaitingPolicy.delete(approvalId);
    record.status = 'cancelled';
    record.decided_at = now;
    if (outcome.kind === 'allow') {
      record.decision_reason = 'The edited action needs no approval under the policy';
      this.#steps.markReady(record.step_id, `${record.step_name} is ready (the edited action needs no approval)`);
    } else {
      record.decision_reason = `The policy refuses the edited action: ${outcome.reason}`;
      this.#steps.refuse(record.step_id, outcome.reason, outcome.rule);
    }
  }
}
