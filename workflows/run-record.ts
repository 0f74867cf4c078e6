/**
 * What a run holds, and every way to read it: the run's status, its steps (StepBook), approvals
 * (ApprovalBook) and their edits (EditBook), its timeline and the run view. RunState, the only
 * subclass, adds every change; the run keeps no state anywhere else. No SDK calls (the clock and
 * the publish hook are handed in), so it is deterministic and unit-tested without a Temporal server.
 */
import type {
  ApprovalRecord,
  AttentionRecord,
  RequestInput,
  RunResult,
  RunStatus,
  RunView,
  StepAction,
  StepView,
  TimelineEvent,
  TimelineEventName,
} from '../src/shared/contracts.js';
import { FINAL_RUN_STATUSES, type ApprovalEdit, type TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import { awaitsOnlyPeople, liveRunStatus } from '../src/shared/run-status.js';
import { requestTransferSumCents } from '../src/shared/policy/evaluate.js';
import { stepEffect, type TransferFacts } from '../src/shared/step-effects.js';
import { EditBook } from './approval-edits.js';
import { LocalCallBatch } from './local-call-batch.js';
import { ApprovalBook } from './run-approvals.js';
import { attentionRecordOf, type StepActionVerdict } from './run-attention.js';
import { StepBook } from './run-steps.js';
import { Timeline, type EventDetails } from './run-timeline.js';

export type FailureKind = NonNullable<RunView['failure_kind']>;

export abstract class RunRecord {
  // A run exists once its workflow runs, and that starts with planning; QUEUED is the gateway's
  // word for a run no worker has picked up yet.
  protected runStatus: RunStatus = 'PLANNING';
  protected runIntent = 'unknown';
  protected runError: string | undefined;
  protected failureKind: FailureKind | undefined;
  protected policy: RunView['policy'];
  protected readonly stepBook: StepBook;
  protected readonly approvalBook = new ApprovalBook((event, message, details) => this.emit(event, message, details));
  protected readonly editBook: EditBook;
  protected readonly timeline = new Timeline();
  /** The run's local tool calls, which hand their outcomes over together (local-call-batch.ts). */
  readonly localCalls = new LocalCallBatch();
  readonly createdAt: string;
  protected updatedAt: string;
  // Writes to outside systems that a cancellation does not interrupt; not shown, so not published.
  protected writesInFlight = 0;
  protected readonly now: () => string;
  // Known once the run has planned; until then no approval exists and nothing can be decided.
  protected decisionKeys: readonly TrustedDecisionKey[] = [];
  /** What the policy gate read from the ledger about each transfer step, for the step's effect. */
  protected readonly ledgerFacts = new Map<string, TransferFacts>();

  constructor(
    readonly input: RequestInput,
    readonly workflowId: string,
    now: () => string,
    /** The first execution's run id, which approval records name; absent outside a workflow (unit tests). */
    readonly runId?: string,
  ) {
    this.now = now;
    this.createdAt = now();
    this.updatedAt = this.createdAt;
    this.stepBook = new StepBook(
      now,
      (event, message, details) => this.emit(event, message, details),
      (at) => {
        if (this.runStatus === 'EXECUTING' || this.runStatus === 'WAITING_APPROVAL')
          this.runStatus = liveRunStatus(this.stepBook.all);
        this.updatedAt = at;
      },
      runId,
    );
    this.editBook = new EditBook(this.approvalBook, this.stepBook, (event, message, details) =>
      this.emit(event, message, details),
    );
  }

  get status(): RunStatus {
    return this.runStatus;
  }
  get intent(): string {
    return this.runIntent;
  }
  get error(): string | undefined {
    return this.runError;
  }
  get steps(): readonly Readonly<StepView>[] {
    return this.stepBook.all;
  }
  /** The keys whose signed messages (decisions, edits, delegations, operator actions) the run accepts. */
  get trustedKeys(): readonly TrustedDecisionKey[] {
    return this.decisionKeys;
  }
  get hasWritesInFlight(): boolean {
    return this.writesInFlight > 0;
  }

  /** What the step does, in plain words (step-effects.ts), from its dependencies' results and the ledger's facts. */
  effectOf(stepId: string): string {
    const step = this.stepBook.get(stepId);
    const dependencies = step.depends_on.flatMap((dep) => this.stepBook.find(dep) ?? []);
    const facts: TransferFacts = step.tool === 'bank_transfer' ? { ...this.ledgerFacts.get(stepId) } : {};
    if (step.tool === 'bank_transfer') facts.requestTransferSumCents = requestTransferSumCents(this.stepBook.all);
    return stepEffect(step, dependencies, facts);
  }

  step(id: string): Readonly<StepView> {
    return this.stepBook.get(id);
  }

  approval(approvalId: string): Readonly<ApprovalRecord> | undefined {
    return this.approvalBook.find(approvalId);
  }

  pendingApprovals(): Readonly<ApprovalRecord>[] {
    return this.approvalBook.pending();
  }

  /** Whether the approval was edited and its step waits for the policy to judge it again. */
  awaitsPolicyAfterEdit(approvalId: string): boolean {
    return this.editBook.awaitsPolicy(approvalId);
  }

  /** Whether this signed edit reached the run before (a second delivery answers as the first did). */
  editDeliveredBefore(edit: ApprovalEdit): boolean {
    return this.editBook.deliveredBefore(edit);
  }

  /** Whether an operator's action may be taken now; changes nothing (the update's validator asks). */
  judgeStepAction(action: StepAction): StepActionVerdict {
    return this.stepBook.judgeAction(action);
  }

  /** Steps held for an operator, as the attention list shows them. */
  heldSteps(): AttentionRecord[] {
    return this.stepBook.all.flatMap((s) => attentionRecordOf(this, s) ?? []);
  }

  isFinal(): boolean {
    return FINAL_RUN_STATUSES.includes(this.runStatus);
  }

  /** Past planning: a plan is adopted, or the run ended without one. */
  hasPlanned(): boolean {
    return this.runStatus !== 'QUEUED' && this.runStatus !== 'PLANNING';
  }

  /** Finished, or waiting for a person (approver or operator) with nothing else moving. */
  isSettled(): boolean {
    return this.isFinal() || this.runStatus === 'WAITING_APPROVAL' || awaitsOnlyPeople(this.stepBook.all);
  }

  timelineAfter(seq: number): TimelineEvent[] {
    return this.timeline.after(seq);
  }

  /** A copy: what a caller does with the view never changes the run. */
  view(): RunView {
    return {
      workflow_id: this.workflowId,
      session_id: this.input.session_id,
      user_id: this.input.user_id,
      message: this.input.message,
      intent: this.runIntent,
      status: this.runStatus,
      steps: this.stepBook.copies().map((step) => ({ ...step, effect: this.effectOf(step.id) })),
      approvals: this.approvalBook.copies(),
      ...(this.runError !== undefined && { error: this.runError }),
      ...(this.failureKind !== undefined && { failure_kind: this.failureKind }),
      ...(this.policy && { policy: { ...this.policy } }),
      created_at: this.createdAt,
      updated_at: this.updatedAt,
    };
  }

  result(): RunResult {
    return { ...this.view(), timeline: this.timeline.after(0) };
  }

  protected emit(event: TimelineEventName, message: string, details: EventDetails = {}): void {
    this.updatedAt = this.now();
    this.timeline.append(event, message, this.updatedAt, details);
  }
}
