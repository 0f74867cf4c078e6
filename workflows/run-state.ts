/**
 * Every change of a run goes through a method here, which records it in the timeline and then
 * calls the publish hook once, so the workflow files decide only when a transition happens, never
 * how. What the run holds, and the ways to read it, are in RunRecord (run-record.ts).
 */
import type {
  ApprovalDecision,
  ApprovalEdit,
  ApprovalRecord,
  ApprovalRevoke,
  Plan,
  RequestInput,
  StepAction,
} from '../src/shared/contracts.js';
import type { ProofCheck } from '../src/shared/signed-proof.js';
import type { FollowUp } from '../src/shared/policy/follow-ups.js';
import { finalRunStatus } from '../src/shared/run-status.js';
import type { TransferFacts } from '../src/shared/step-effects.js';
import type { TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import type { DecisionResult } from './run-approvals.js';
import type { ApprovalStages } from './approval-records.js';
import type { EditedOutcome } from './approval-edits.js';
import { openGate, rejectGatedStep, resolveGate, type GatedRun } from './approval-gates.js';
import type { StepActionVerdict } from './run-attention.js';
import type { StepFailure } from './run-steps.js';
import type { DelegationRequest, DelegationVerdict } from './approval-handovers.js';
import { RunRecord, type FailureKind } from './run-record.js';
import { revokeRefusal } from '../src/shared/approval/revoke.js';
import { DecisionErrorType } from '../src/shared/messages.js';

/** What the run made of a revoke (see revokeHold). */
export type RevokeVerdict =
  { kind: 'revoked' } | { kind: 'too_late' } | { kind: 'refused'; type: DecisionErrorType; message: string };

export type { DecisionResult } from './run-approvals.js';
export type { StepFailure } from './run-steps.js';
export type { FailureKind } from './run-record.js';

/** Called after each change of the run, with the run as it now is. */
export type PublishHook = (run: RunState) => void;

export class RunState extends RunRecord {
  readonly #publish: PublishHook;

  constructor(input: RequestInput, workflowId: string, now: () => string, publish: PublishHook, runId?: string) {
    super(input, workflowId, now, runId);
    this.#publish = publish;
  }

  /** The planner gave up, or its plan did not validate: the run ends here without steps. */
  failBeforePlan(
    kind: Extract<FailureKind, 'not_understood' | 'invalid_plan' | 'unverified_start'>,
    error: string,
    metadata: Record<string, unknown> = {},
  ): void {
    this.runError = error;
    this.failureKind = kind;
    this.runStatus = 'FAILED';
    this.emit('workflow_failed', error, { metadata: { reason: kind, ...metadata } });
    this.#publish(this);
  }

  /** The planner's settings name the keys the run trusts from now on; nothing is recorded. */
  trust(keys: readonly TrustedDecisionKey[]): void {
    this.decisionKeys = keys;
  }

  /** `policy`: the id and hash of the approval policy the run decides its gates with. */
  adoptPlan(plan: Plan, policy: { id: string; hash: string }): void {
    this.runIntent = plan.intent;
    this.policy = { id: policy.id, hash: policy.hash };
    this.stepBook.adopt(plan);
    this.runStatus = 'EXECUTING';
    this.emit('plan_created', `Planned ${plan.steps.length} step(s) for intent ${plan.intent}`, {
      metadata: {
        intent: plan.intent,
        steps: plan.steps.map(({ id, tool, risk_level, depends_on }) => ({ id, tool, risk_level, depends_on })),
      },
    });
    this.#publish(this);
  }

  skipStep(id: string, blockers: readonly string[]): void {
    this.#change(() => this.stepBook.skip(id, blockers));
  }

  markReady(id: string): void {
    this.#change(() => this.stepBook.markReady(id));
  }

  /** The policy refused a READY step outright: it is rejected with the policy's message and never runs. */
  refuseStep(id: string, reason: string, rule: string): void {
    this.#change(() => this.stepBook.refuse(id, reason, rule));
  }

  /**
   * What the policy gate read from the ledger about a transfer step, for its effect; nothing is published, since
   * the approval that follows (or the step's run) publishes the effect with it.
   */
  noteLedgerFacts(id: string, facts: TransferFacts): void {
    this.ledgerFacts.set(id, { ...facts });
  }

  /** Blocks a READY step behind a new approval, which expires `timeoutMs` from now; `staged`: the policy's stages. */
  requestApproval(id: string, reason: string, timeoutMs: number, staged?: ApprovalStages): Readonly<ApprovalRecord> {
    return this.#change(() => openGate(this.#gated(), this, id, { reason, now: this.now(), timeoutMs, staged }));
  }

  /**
   * The one way a decision reaches a run: applies it, or records why it was ignored; a decision
   * at or after the deadline expires the approval and rejects its step. Never throws.
   */
  decide(decision: ApprovalDecision, provenance: Record<string, unknown> = {}): DecisionResult {
    const { result, expired } = this.approvalBook.decide(decision, this.now(), provenance);
    if (expired) rejectGatedStep(this.#gated(), decision.approval_id);
    this.#publish(this);
    return result;
  }

  /** Applies an edit whose signature `check` verified (approval-edits.ts), or records why not. */
  editApproval(edit: ApprovalEdit, check: ProofCheck): DecisionResult {
    return this.#change(() => this.editBook.apply(edit, check, this.now()));
  }

  /** The policy still asks for approval of the edited step: the approval waits again, from now. */
  reopenEditedApproval(approvalId: string, reason: string, timeoutMs: number, staged?: ApprovalStages): void {
    this.#change(() => this.editBook.reopen(this, approvalId, { reason, now: this.now(), timeoutMs, staged }));
  }

  /** The edited step needs no approval, or is refused: its approval closes. */
  closeEditedApproval(approvalId: string, outcome: EditedOutcome): void {
    this.#change(() => this.editBook.close(approvalId, outcome, this.now()));
  }

  /** Records an edit whose payload does not match the contract (sent by hand, e.g. with the CLI). */
  ignoreMalformedEdit(problem: string): void {
    this.#change(() => this.editBook.ignoreMalformed(problem));
  }

  /** Records a decision without a valid signature: it proves nothing about who made it. */
  ignoreUnauthenticatedDecision(decision: ApprovalDecision, reason: string, message: string): void {
    this.approvalBook.ignoreUnsignedDecision(decision, reason, message);
    this.#publish(this);
  }

  /** Records a delegation without a valid signature: it changes nothing. */
  ignoreUnauthenticatedDelegation(delegation: DelegationRequest, reason: string, message: string): void {
    this.approvalBook.ignoreDelegation(delegation, reason, message);
    this.#publish(this);
  }

  /** Records a decision whose payload does not match the contract (sent by hand, e.g. with the CLI). */
  ignoreMalformedDecision(problem: string): void {
    this.emit('approval_ignored', `Malformed decision ignored: ${problem}`, { metadata: { reason: 'malformed' } });
    this.#publish(this);
  }

  /** No decision in time: the approval expires and its step is rejected, as one change. */
  expireApproval(approvalId: string): void {
    if (!this.approvalBook.expire(approvalId, this.now())) return;
    rejectGatedStep(this.#gated(), approvalId);
    this.#publish(this);
  }

  /** The rule's reminder or escalation fell due; nothing happens to an approval no longer pending. */
  followUpApproval(approvalId: string, followUp: FollowUp): void {
    if (this.approvalBook.followUp(approvalId, followUp, this.now())) this.#publish(this);
  }

  /** Hands a pending approval over (see approval-handovers.ts), or records why not. */
  delegateApproval(request: DelegationRequest, provenance: Record<string, unknown> = {}): DelegationVerdict {
    const verdict = this.approvalBook.delegate(request, this.now(), provenance);
    this.#publish(this);
    return verdict;
  }

  /** Moves a gated step on once its approval is decided (approval-gates.ts); true when it may run. */
  resolveGate(approvalId: string): boolean {
    const outcome = resolveGate(this.#gated(), approvalId);
    if (outcome !== undefined) this.#publish(this);
    return outcome === 'approved';
  }

  /** The approved step waits `coolingOffMs` before it runs, as its rule says; it may be revoked until then. */
  holdApproved(approvalId: string, coolingOffMs: number): void {
    const approval = this.approvalBook.find(approvalId);
    if (!approval) return;
    const holdUntil = new Date(Date.parse(this.now()) + coolingOffMs).toISOString();
    this.stepBook.hold(approval.step_id, holdUntil);
    this.approvalBook.hold(approvalId, holdUntil);
    this.#publish(this);
  }

  /** The window ended: true when the step still held and now runs, false when a revoke came first. */
  endHold(approvalId: string): boolean {
    const approval = this.approvalBook.find(approvalId);
    if (!approval || this.stepBook.get(approval.step_id).state !== 'APPROVED_HOLDING') return false;
    this.#change(() => this.stepBook.endHold(approval.step_id));
    return true;
  }

  /**
   * A verified revoke: refused (recorded why), too late (the window ended and the step is on its
   * way; recorded), or taken: the approval is revoked and its step rejected, as one change.
   */
  revokeHold(revoke: ApprovalRevoke, provenance: Record<string, unknown> = {}): RevokeVerdict {
    const approval = this.approvalBook.find(revoke.approval_id);
    const revoker = { id: revoke.revoked_by, groups: revoke.groups };
    const named = { revoker, workflowId: revoke.workflow_id, runId: revoke.run_id };
    const refusal = revokeRefusal(approval, named, { now: this.now(), checkRun: true });
    if (refusal || !approval) {
      const refused = refusal ?? { type: DecisionErrorType.UnknownApproval, message: 'No such approval' };
      this.ignoreRevoke(revoke, refused.type, refused.message);
      return { kind: 'refused', type: refused.type, message: refused.message };
    }
    const step = this.stepBook.get(approval.step_id);
    if (step.state !== 'APPROVED_HOLDING') {
      this.ignoreRevoke(revoke, 'too_late', `${step.name}: revoke came too late, its cooling-off window had ended`);
      return { kind: 'too_late' };
    }
    this.approvalBook.revoke(revoke, this.now(), provenance);
    this.stepBook.revokeHold(step.id, `Revoked by ${revoke.revoked_by} before it ran`);
    this.#publish(this);
    return { kind: 'revoked' };
  }

  /** Records a revoke that changed nothing (unsigned, refused, or too late). */
  ignoreRevoke(revoke: ApprovalRevoke, reason: string, message: string): void {
    this.approvalBook.ignoreRevoke(revoke, reason, message);
    this.#publish(this);
  }

  /** Starts the next attempt of a step; returns its number (1 for the first). */
  startAttempt(id: string): number {
    return this.#change(() => this.stepBook.startAttempt(id));
  }

  recordSuccess(id: string, result: unknown): void {
    this.#change(() => this.stepBook.recordSuccess(id, result));
  }

  /** The attempt failed and another follows after `delayMs`. */
  recordRetry(id: string, failure: StepFailure, delayMs: number): void {
    this.#change(() => this.stepBook.recordRetry(id, failure, delayMs));
  }

  recordFailure(id: string, failure: StepFailure): void {
    this.#change(() => this.stepBook.recordFailure(id, failure));
  }

  /** Retries ran out on a system failure: the step waits for an operator until `deadlineMs` from now. */
  holdForAttention(id: string, failure: StepFailure, deadlineMs: number): void {
    this.#change(() => this.stepBook.holdForAttention(id, failure, deadlineMs));
  }

  /**
   * Applies an operator's action on a held step: READY again (retry, with the edited args if
   * any), SKIPPED or FAILED, each recorded with who and why. Refused actions change nothing.
   */
  actOnStep(action: StepAction, provenance: Record<string, unknown> = {}): StepActionVerdict {
    const verdict = this.stepBook.judgeAction(action);
    if (!verdict.allowed) return verdict;
    this.stepBook.applyAction(action, verdict, provenance);
    this.#publish(this);
    return verdict;
  }

  /** Records an action the run did not take (unsigned, untrusted, malformed or no longer applicable). */
  ignoreStepAction(stepId: string | undefined, message: string, metadata: Record<string, unknown>): void {
    this.emit('step_action_ignored', message, { ...(stepId !== undefined && { step_id: stepId }), metadata });
    this.#publish(this);
  }

  /** No operator acted before the deadline: the held step fails. */
  expireAttention(id: string): void {
    if (!this.stepBook.expireAttention(id)) return;
    this.#publish(this);
  }

  writeStarted(): void {
    this.writesInFlight += 1;
  }
  writeFinished(): void {
    this.writesInFlight -= 1;
  }

  /** Every step has reached a final state: the run's status follows from theirs. */
  finish(): void {
    this.runStatus = finalRunStatus(this.stepBook.all.map((s) => s.state));
    const failed = this.stepBook.all.filter((s) => s.state === 'FAILED');
    if (failed.length > 0) {
      this.failureKind = 'step_failed';
      this.runError = failed.map((s) => `${s.id}: ${s.error ?? 'failed'}`).join('; ');
    }
    if (this.runStatus === 'COMPLETED') this.emit('workflow_complete', 'Workflow completed');
    else
      this.emit('workflow_failed', `Workflow ${this.runStatus.toLowerCase()}`, {
        metadata: { status: this.runStatus, failed_steps: failed.map((s) => s.id) },
      });
    this.#publish(this);
  }

  /** Cancels every pending approval and unfinished step; the timeline names the approvals. */
  cancel(): void {
    const cancelled = this.approvalBook.cancelPending();
    this.stepBook.cancelUnfinished();
    this.runStatus = 'CANCELLED';
    this.emit('workflow_cancelled', 'Workflow cancelled', { metadata: { cancelled_approvals: cancelled } });
    this.#publish(this);
  }

  #gated(): GatedRun {
    return { approvals: this.approvalBook, steps: this.stepBook };
  }

  /** Applies one change of the steps, then publishes the run as it left it. */
  #change<T>(apply: () => T): T {
    const outcome = apply();
    this.#publish(this);
    return outcome;
  }
}
