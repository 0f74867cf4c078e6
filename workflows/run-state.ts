/**
 * The run's state and its timeline. Every change of a run goes through a method here, which
 * records it in the timeline and then calls the publish hook once, so the workflow files decide
 * only when a transition happens, never how. The steps (StepBook) and approvals (ApprovalBook) are
 * private halves that only this class calls. No SDK calls (the clock and the publish hook are
 * handed in), so it is deterministic and unit-tested without a Temporal server.
 */
import type {
  ApprovalDecision,
  ApprovalRecord,
  AttentionRecord,
  Plan,
  RequestInput,
  RunResult,
  RunStatus,
} from '../src/shared/contracts.js';
import type { RunView, StepAction, StepView, TimelineEvent, TimelineEventName } from '../src/shared/contracts.js';
import { FINAL_RUN_STATUSES } from '../src/shared/workflow-contracts.js';
import { awaitsOnlyPeople, finalRunStatus, liveRunStatus } from '../src/shared/run-status.js';
import { ApprovalBook, type DecisionResult } from './run-approvals.js';
import type { ApprovalStages } from './approval-records.js';
import { openGate, rejectGatedStep, resolveGate, type GatedRun } from './approval-gates.js';
import { attentionRecordOf, type StepActionVerdict } from './run-attention.js';
import { StepBook, type StepFailure } from './run-steps.js';
import type { AmendableRun } from './approval-edits.js';
import { Timeline, type EventDetails } from './run-timeline.js';
import type { DelegationRequest, DelegationVerdict } from './approval-handovers.js';
import type { FollowUp } from '../src/shared/policy/follow-ups.js';

export type { DecisionResult } from './run-approvals.js';
export type { StepFailure } from './run-steps.js';

/** Called after each change of the run, with the run as it now is. */
export type PublishHook = (run: RunState) => void;

export type FailureKind = NonNullable<RunView['failure_kind']>;

export class RunState {
  // A run exists once its workflow runs, and that starts with planning; QUEUED is the gateway's
  // word for a run no worker has picked up yet.
  #status: RunStatus = 'PLANNING';
  #intent = 'unknown';
  #error: string | undefined;
  #failureKind: FailureKind | undefined;
  #policy: RunView['policy'];
  readonly #steps: StepBook;
  readonly #approvals = new ApprovalBook((event, message, details) => this.#emit(event, message, details));
  readonly #timeline = new Timeline();
  readonly createdAt: string;
  #updatedAt: string;
  // Writes to outside systems that a cancellation does not interrupt; not shown, so not published.
  #writesInFlight = 0;

  readonly #now: () => string;
  readonly #publish: PublishHook;

  constructor(
    readonly input: RequestInput,
    readonly workflowId: string,
    now: () => string,
    publish: PublishHook,
  ) {
    this.#now = now;
    this.#publish = publish;
    this.createdAt = now();
    this.#updatedAt = this.createdAt;
    this.#steps = new StepBook(
      now,
      (event, message, details) => this.#emit(event, message, details),
      (at) => {
        if (this.#status === 'EXECUTING' || this.#status === 'WAITING_APPROVAL')
          this.#status = liveRunStatus(this.#steps.all);
        this.#updatedAt = at;
      },
    );
  }

  get status(): RunStatus {
    return this.#status;
  }
  get intent(): string {
    return this.#intent;
  }
  get error(): string | undefined {
    return this.#error;
  }
  get steps(): readonly Readonly<StepView>[] {
    return this.#steps.all;
  }
  get hasWritesInFlight(): boolean {
    return this.#writesInFlight > 0;
  }

  step(id: string): Readonly<StepView> {
    return this.#steps.get(id);
  }

  approval(approvalId: string): Readonly<ApprovalRecord> | undefined {
    return this.#approvals.find(approvalId);
  }

  pendingApprovals(): Readonly<ApprovalRecord>[] {
    return this.#approvals.pending();
  }

  /** The planner gave up, or its plan did not validate: the run ends here without steps. */
  failBeforePlan(
    kind: Extract<FailureKind, 'not_understood' | 'invalid_plan'>,
    error: string,
    metadata: Record<string, unknown> = {},
  ): void {
    this.#error = error;
    this.#failureKind = kind;
    this.#status = 'FAILED';
    this.#emit('workflow_failed', error, { metadata: { reason: kind, ...metadata } });
    this.#publish(this);
  }

  /** `policy`: the approval policy's id and hash, for runs that decide their gates with one. */
  adoptPlan(plan: Plan, policy?: { id: string; hash: string }): void {
    this.#intent = plan.intent;
    if (policy) this.#policy = { id: policy.id, hash: policy.hash };
    this.#steps.adopt(plan);
    this.#status = 'EXECUTING';
    this.#emit('plan_created', `Planned ${plan.steps.length} step(s) for intent ${plan.intent}`, {
      metadata: {
        intent: plan.intent,
        steps: plan.steps.map(({ id, tool, risk_level, depends_on }) => ({ id, tool, risk_level, depends_on })),
      },
    });
    this.#publish(this);
  }

  skipStep(id: string, blockers: readonly string[]): void {
    this.#change(() => this.#steps.skip(id, blockers));
  }

  markReady(id: string): void {
    this.#change(() => this.#steps.markReady(id));
  }

  /** The policy refused a READY step outright: it is rejected with the policy's message and never runs. */
  refuseStep(id: string, reason: string, rule: string): void {
    this.#change(() => this.#steps.refuse(id, reason, rule));
  }

  /** Blocks a READY step behind a new approval, which expires `timeoutMs` from now; `staged`: the policy's stages. */
  requestApproval(id: string, reason: string, timeoutMs: number, staged?: ApprovalStages): Readonly<ApprovalRecord> {
    return this.#change(() => openGate(this.#gated(), this, id, { reason, now: this.#now(), timeoutMs, staged }));
  }

  /**
   * The one way a decision reaches a run: applies it, or records why it was ignored; a decision
   * at or after the deadline expires the approval and rejects its step. Never throws.
   */
  decide(decision: ApprovalDecision, provenance: Record<string, unknown> = {}): DecisionResult {
    const { result, expired } = this.#approvals.decide(decision, this.#now(), provenance);
    if (expired) rejectGatedStep(this.#gated(), decision.approval_id);
    this.#publish(this);
    return result;
  }

  /** Applies a change of a waiting approval's action (approval-edits.ts), then publishes. */
  amendApproval<T>(change: (parts: AmendableRun) => T): T {
    return this.#change(() =>
      change({
        approvals: this.#approvals,
        steps: this.#steps,
        now: this.#now(),
        emit: (e, m, d) => this.#emit(e, m, d),
      }),
    );
  }

  /** Records a decision without a valid signature: it proves nothing about who made it. */
  ignoreUnauthenticatedDecision(decision: ApprovalDecision, reason: string, message: string): void {
    this.#approvals.ignoreUnsignedDecision(decision, reason, message);
    this.#publish(this);
  }

  /** Records a delegation without a valid signature: it changes nothing. */
  ignoreUnauthenticatedDelegation(delegation: DelegationRequest, reason: string, message: string): void {
    this.#approvals.ignoreDelegation(delegation, reason, message);
    this.#publish(this);
  }

  /** Records a decision whose payload does not match the contract (sent by hand, e.g. with the CLI). */
  ignoreMalformedDecision(problem: string): void {
    this.#emit('approval_ignored', `Malformed decision ignored: ${problem}`, { metadata: { reason: 'malformed' } });
    this.#publish(this);
  }

  /** No decision in time: the approval expires and its step is rejected, as one change. */
  expireApproval(approvalId: string): void {
    if (!this.#approvals.expire(approvalId, this.#now())) return;
    rejectGatedStep(this.#gated(), approvalId);
    this.#publish(this);
  }

  /** The rule's reminder or escalation fell due; nothing happens to an approval no longer pending. */
  followUpApproval(approvalId: string, followUp: FollowUp): void {
    if (this.#approvals.followUp(approvalId, followUp, this.#now())) this.#publish(this);
  }

  /** Hands a pending approval over (see approval-handovers.ts), or records why not. */
  delegateApproval(request: DelegationRequest, provenance: Record<string, unknown> = {}): DelegationVerdict {
    const verdict = this.#approvals.delegate(request, this.#now(), provenance);
    this.#publish(this);
    return verdict;
  }

  /** Moves a gated step on once its approval is decided (approval-gates.ts); true when it may run. */
  resolveGate(approvalId: string): boolean {
    const outcome = resolveGate(this.#gated(), approvalId);
    if (outcome !== undefined) this.#publish(this);
    return outcome === 'approved';
  }

  /** Starts the next attempt of a step; returns its number (1 for the first). */
  startAttempt(id: string): number {
    return this.#change(() => this.#steps.startAttempt(id));
  }

  recordSuccess(id: string, result: unknown): void {
    this.#change(() => this.#steps.recordSuccess(id, result));
  }

  /** The attempt failed and another follows after `delayMs`. */
  recordRetry(id: string, failure: StepFailure, delayMs: number): void {
    this.#change(() => this.#steps.recordRetry(id, failure, delayMs));
  }

  recordFailure(id: string, failure: StepFailure): void {
    this.#change(() => this.#steps.recordFailure(id, failure));
  }

  /** Retries ran out on a system failure: the step waits for an operator until `deadlineMs` from now. */
  holdForAttention(id: string, failure: StepFailure, deadlineMs: number): void {
    this.#change(() => this.#steps.holdForAttention(id, failure, deadlineMs));
  }

  /** Whether an operator's action may be taken now; changes nothing (the update's validator asks). */
  judgeStepAction(action: StepAction): StepActionVerdict {
    return this.#steps.judgeAction(action);
  }

  /**
   * Applies an operator's action on a held step: READY again (retry, with the edited args if
   * any), SKIPPED or FAILED, each recorded with who and why. Refused actions change nothing.
   */
  actOnStep(action: StepAction, provenance: Record<string, unknown> = {}): StepActionVerdict {
    const verdict = this.#steps.judgeAction(action);
    if (!verdict.allowed) return verdict;
    this.#steps.applyAction(action, verdict, provenance);
    this.#publish(this);
    return verdict;
  }

  /** Records an action the run did not take (unsigned, untrusted, malformed or no longer applicable); changes nothing else. */
  ignoreStepAction(stepId: string | undefined, message: string, metadata: Record<string, unknown>): void {
    this.#emit('step_action_ignored', message, { ...(stepId !== undefined && { step_id: stepId }), metadata });
    this.#publish(this);
  }

  /** No operator acted before the deadline: the held step fails. */
  expireAttention(id: string): void {
    if (!this.#steps.expireAttention(id)) return;
    this.#publish(this);
  }

  /** Steps held for an operator, as the attention list shows them. */
  heldSteps(): AttentionRecord[] {
    return this.#steps.all.flatMap((s) => attentionRecordOf(this, s) ?? []);
  }

  writeStarted(): void {
    this.#writesInFlight += 1;
  }
  writeFinished(): void {
    this.#writesInFlight -= 1;
  }

  /** Every step has reached a final state: the run's status follows from theirs. */
  finish(): void {
    this.#status = finalRunStatus(this.#steps.all.map((s) => s.state));
    const failed = this.#steps.all.filter((s) => s.state === 'FAILED');
    if (failed.length > 0) {
      this.#failureKind = 'step_failed';
      this.#error = failed.map((s) => `${s.id}: ${s.error ?? 'failed'}`).join('; ');
    }
    if (this.#status === 'COMPLETED') this.#emit('workflow_complete', 'Workflow completed');
    else
      this.#emit('workflow_failed', `Workflow ${this.#status.toLowerCase()}`, {
        metadata: { status: this.#status, failed_steps: failed.map((s) => s.id) },
      });
    this.#publish(this);
  }

  /** Cancels every pending approval and unfinished step; the timeline names the approvals. */
  cancel(): void {
    const cancelled = this.#approvals.cancelPending();
    this.#steps.cancelUnfinished();
    this.#status = 'CANCELLED';
    this.#emit('workflow_cancelled', 'Workflow cancelled', { metadata: { cancelled_approvals: cancelled } });
    this.#publish(this);
  }

  isFinal(): boolean {
    return FINAL_RUN_STATUSES.includes(this.#status);
  }

  /** Past planning: a plan is adopted, or the run ended without one. */
  hasPlanned(): boolean {
    return this.#status !== 'QUEUED' && this.#status !== 'PLANNING';
  }

  /** Finished, or waiting for a person (approver or operator) with nothing else moving. */
  isSettled(): boolean {
    return this.isFinal() || this.#status === 'WAITING_APPROVAL' || awaitsOnlyPeople(this.#steps.all);
  }

  timelineAfter(seq: number): TimelineEvent[] {
    return this.#timeline.after(seq);
  }

  /** A copy: what a caller does with the view never changes the run. */
  view(): RunView {
    return {
      workflow_id: this.workflowId,
      session_id: this.input.session_id,
      user_id: this.input.user_id,
      message: this.input.message,
      intent: this.#intent,
      status: this.#status,
      steps: this.#steps.copies(),
      approvals: this.#approvals.copies(),
      ...(this.#error !== undefined && { error: this.#error }),
      ...(this.#failureKind !== undefined && { failure_kind: this.#failureKind }),
      ...(this.#policy && { policy: { ...this.#policy } }),
      created_at: this.createdAt,
      updated_at: this.#updatedAt,
    };
  }

  result(): RunResult {
    return { ...this.view(), timeline: this.#timeline.after(0) };
  }

  #gated(): GatedRun {
    return { approvals: this.#approvals, steps: this.#steps };
  }

  /** Applies one change of the steps, then publishes the run as it left it. */
  #change<T>(apply: () => T): T {
    const outcome = apply();
    this.#publish(this);
    return outcome;
  }

  #emit(event: TimelineEventName, message: string, details: EventDetails = {}): void {
    this.#updatedAt = this.#now();
    this.#timeline.append(event, message, this.#updatedAt, details);
  }
}
