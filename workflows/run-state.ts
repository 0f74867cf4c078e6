/**
 * The run's state and its timeline. Every transition goes through a method here, so the
 * timeline records each one; no SDK calls, so it is deterministic and easy to test.
 */
import type {
  ApprovalDecision,
  ApprovalRecord,
  Plan,
  PlanStep,
  RequestInput,
  RunStatus,
  RunView,
  StepState,
  StepView,
  TimelineEvent,
  TimelineEventName,
} from '../src/shared/contracts.js';
import { FINAL_RUN_STATUSES, FINAL_STEP_STATES } from '../src/shared/workflow-contracts.js';
import { approvalIdFor, DecisionErrorType } from '../src/shared/definitions.js';
import { centsToDollars } from '../src/shared/money.js';
import { checkDecider, transferAmountCents } from '../src/shared/policy.js';
import { liveRunStatus } from '../src/shared/run-status.js';

interface EventDetails {
  step_id?: string;
  approval_id?: string;
  metadata?: Record<string, unknown>;
}

export type DecisionResult =
  | { accepted: true; approval: ApprovalRecord }
  | { accepted: false; type: DecisionErrorType; message: string };

export class RunState {
  status: RunStatus = 'QUEUED';
  intent = 'unknown';
  error: string | undefined;
  failureKind: RunView['failure_kind'];
  readonly steps: StepView[] = [];
  readonly approvals: ApprovalRecord[] = [];
  readonly timeline: TimelineEvent[] = [];
  readonly createdAt: string;
  updatedAt: string;
  /** Calls to outside systems that write and are not interrupted by a cancellation. */
  writesInFlight = 0;
  /** What was last written to search attributes and memo, so unchanged values are not written again. */
  readonly published = { attributes: '', pendingApprovals: '[]' };

  constructor(
    readonly input: RequestInput,
    readonly workflowId: string,
    private readonly now: () => string,
  ) {
    this.createdAt = now();
    this.updatedAt = this.createdAt;
  }

  emit(event: TimelineEventName, message: string, details: EventDetails = {}): void {
    const timestamp = this.now();
    this.updatedAt = timestamp;
    this.timeline.push({
      seq: this.timeline.length + 1,
      event,
      message,
      timestamp,
      ...(details.step_id !== undefined && { step_id: details.step_id }),
      ...(details.approval_id !== undefined && { approval_id: details.approval_id }),
      metadata: details.metadata ?? {},
    });
  }

  setStatus(status: RunStatus): void {
    this.status = status;
    this.updatedAt = this.now();
  }

  adoptPlan(plan: Plan): void {
    this.intent = plan.intent;
    for (const step of plan.steps) {
      this.steps.push({ ...step, state: 'PENDING', attempts: 0 });
    }
    this.emit('plan_created', `Planned ${plan.steps.length} step(s) for intent ${plan.intent}`, {
      metadata: { intent: plan.intent, steps: plan.steps.map(({ id, tool, risk_level, depends_on }) => ({ id, tool, risk_level, depends_on })) },
    });
  }

  step(id: string): StepView {
    const found = this.steps.find((s) => s.id === id);
    if (!found) throw new Error(`no step ${id}`);
    return found;
  }

  moveStep(id: string, state: StepState, event: TimelineEventName | undefined, message: string, metadata?: Record<string, unknown>): void {
    const step = this.step(id);
    step.state = state;
    const at = this.now();
    if (state === 'RUNNING' && step.started_at === undefined) step.started_at = at;
    if (FINAL_STEP_STATES.includes(state)) step.finished_at = at;
    if (this.status === 'EXECUTING' || this.status === 'WAITING_APPROVAL') {
      this.status = liveRunStatus(this.steps);
    }
    if (event) this.emit(event, message, { step_id: id, ...(metadata && { metadata }) });
    else this.updatedAt = at;
  }

  requestApproval(step: PlanStep, reason: string, timeoutMs: number): ApprovalRecord {
    const requestedAt = this.now();
    const cents = transferAmountCents(step);
    const approval: ApprovalRecord = {
      approval_id: approvalIdFor(this.workflowId, step.id),
      workflow_id: this.workflowId,
      session_id: this.input.session_id,
      step_id: step.id,
      step_name: step.name,
      tool: step.tool,
      risk_level: step.risk_level,
      reason,
      ...(cents !== undefined && {
        amount: centsToDollars(cents),
        amount_cents: cents,
        recipient: String(step.args['to_account']),
        from_account: String(step.args['from_account']),
      }),
      status: 'pending',
      requested_by: this.input.user_id,
      requested_at: requestedAt,
      expires_at: new Date(Date.parse(requestedAt) + timeoutMs).toISOString(),
    };
    this.approvals.push(approval);
    this.moveStep(step.id, 'BLOCKED', 'step_blocked', `${step.name} is waiting for approval`, { reason });
    this.emit('approval_required', `${step.name}: ${reason}`, {
      step_id: step.id,
      approval_id: approval.approval_id,
      metadata: { reason, requested_by: approval.requested_by, expires_at: approval.expires_at },
    });
    return approval;
  }

  /** Records a decision whose payload does not match the contract (sent by hand, e.g. with the CLI). */
  ignoreMalformedDecision(problem: string): void {
    this.emit('approval_ignored', `Malformed decision ignored: ${problem}`, { metadata: { reason: 'malformed' } });
  }

  /** Applies a decision, or records why it was ignored; never throws. */
  applyDecision(decision: ApprovalDecision): DecisionResult {
    const approval = this.approvals.find((a) => a.approval_id === decision.approval_id);
    const ignore = (type: DecisionErrorType, message: string): DecisionResult => {
      this.emit('approval_ignored', message, {
        ...(approval && { step_id: approval.step_id }),
        approval_id: decision.approval_id,
        metadata: { approver_id: decision.approver_id, approved: decision.approved, reason: type },
      });
      return { accepted: false, type, message };
    };
    if (!approval) return ignore(DecisionErrorType.UnknownApproval, `No approval ${decision.approval_id} in this run`);
    if (approval.status !== 'pending') {
      return ignore(DecisionErrorType.AlreadyDecided, `Approval ${approval.approval_id} is already ${approval.status}`);
    }
    const check = checkDecider(this.step(approval.step_id), approval.requested_by, decision.approver_id, decision.approved);
    if (!check.allowed) return ignore(DecisionErrorType.Forbidden, check.reason);

    approval.status = decision.approved ? 'approved' : 'rejected';
    approval.decided_by = decision.approver_id;
    approval.decided_at = this.now();
    if (decision.reason !== undefined) approval.decision_reason = decision.reason;
    const verb = decision.approved ? 'approved' : 'rejected';
    this.emit(decision.approved ? 'approval_approved' : 'approval_rejected', `${approval.step_name} ${verb} by ${decision.approver_id}`, {
      step_id: approval.step_id,
      approval_id: approval.approval_id,
      metadata: { decided_by: decision.approver_id, ...(decision.reason !== undefined && { reason: decision.reason }) },
    });
    return { accepted: true, approval };
  }

  expireApproval(approval: ApprovalRecord): void {
    approval.status = 'expired';
    approval.decided_at = this.now();
    this.emit('approval_expired', `${approval.step_name}: no decision before ${approval.expires_at}`, {
      step_id: approval.step_id,
      approval_id: approval.approval_id,
    });
  }

  pendingApprovalIds(): string[] {
    return this.approvals.filter((a) => a.status === 'pending').map((a) => a.approval_id);
  }

  isFinal(): boolean {
    return FINAL_RUN_STATUSES.includes(this.status);
  }

  /** Past planning: a plan is adopted, or the run ended without one. */
  hasPlanned(): boolean {
    return this.status !== 'QUEUED' && this.status !== 'PLANNING';
  }

  /** Finished, or waiting for a person with nothing else moving. */
  isSettled(): boolean {
    return this.isFinal() || this.status === 'WAITING_APPROVAL';
  }

  timelineAfter(seq: number): TimelineEvent[] {
    return this.timeline.slice(Math.max(0, seq));
  }

  view(): RunView {
    return {
      workflow_id: this.workflowId,
      session_id: this.input.session_id,
      user_id: this.input.user_id,
      message: this.input.message,
      intent: this.intent,
      status: this.status,
      steps: this.steps,
      approvals: this.approvals,
      ...(this.error !== undefined && { error: this.error }),
      ...(this.failureKind !== undefined && { failure_kind: this.failureKind }),
      created_at: this.createdAt,
      updated_at: this.updatedAt,
    };
  }
}
