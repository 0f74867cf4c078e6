/**
 * The approval half of a run: its approval records, and whether a decision may change one.
 * Only RunState holds an ApprovalBook and calls it, publishing after each change.
 */
import type { ApprovalDecision, ApprovalRecord, PlanStep, RequestInput } from '../src/shared/contracts.js';
import { approvalIdFor, DecisionErrorType } from '../src/shared/definitions.js';
import { centsToDollars } from '../src/shared/money.js';
import { checkDecider, transferAmountCents } from '../src/shared/policy.js';
import type { RecordEvent } from './run-timeline.js';

export type DecisionResult =
  | { accepted: true; approval: Readonly<ApprovalRecord> }
  | { accepted: false; type: DecisionErrorType; message: string };

export type DecisionVerdict =
  | { kind: 'apply'; status: 'approved' | 'rejected' }
  | { kind: 'ignore'; type: DecisionErrorType; message: string; expire: boolean };

export function newApprovalRecord(
  run: { workflowId: string; input: RequestInput },
  step: PlanStep & { edits?: number },
  reason: string,
  requestedAt: string,
  timeoutMs: number,
): ApprovalRecord {
  const cents = transferAmountCents(step);
  // An edited retry asks again under its own id; the first approval keeps its record.
  const suffix = step.edits ? `_edit${step.edits}` : '';
  return {
    approval_id: `${approvalIdFor(run.workflowId, step.id)}${suffix}`,
    workflow_id: run.workflowId,
    session_id: run.input.session_id,
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
    requested_by: run.input.user_id,
    requested_at: requestedAt,
    expires_at: new Date(Date.parse(requestedAt) + timeoutMs).toISOString(),
  };
}

/**
 * Whether `decision` may decide `approval` at workflow time `now`. The approval's timer fires
 * after `expires_at`, not at it, so the deadline is checked here: a decision at or after it is
 * refused and the approval expires, whichever of the two the run sees first.
 */
export function judgeDecision(
  approval: Readonly<ApprovalRecord> | undefined,
  step: Pick<PlanStep, 'tool'> | undefined,
  decision: ApprovalDecision,
  now: string,
): DecisionVerdict {
  const ignore = (type: DecisionErrorType, message: string, expire = false): DecisionVerdict => ({ kind: 'ignore', type, message, expire });
  if (!approval || !step) return ignore(DecisionErrorType.UnknownApproval, `No approval ${decision.approval_id} in this run`);
  if (approval.status !== 'pending') {
    return ignore(DecisionErrorType.AlreadyDecided, `Approval ${approval.approval_id} is already ${approval.status}`);
  }
  if (Date.parse(now) >= Date.parse(approval.expires_at)) {
    return ignore(DecisionErrorType.Expired, `Approval ${approval.approval_id} expired at ${approval.expires_at}`, true);
  }
  const check = checkDecider(step, approval.requested_by, decision.approver_id, decision.approved);
  if (!check.allowed) return ignore(DecisionErrorType.Forbidden, check.reason);
  return { kind: 'apply', status: decision.approved ? 'approved' : 'rejected' };
}

export class ApprovalBook {
  readonly #records: ApprovalRecord[] = [];
  readonly #record: RecordEvent;

  constructor(recordEvent: RecordEvent) {
    this.#record = recordEvent;
  }

  find(approvalId: string): Readonly<ApprovalRecord> | undefined {
    return this.#records.find((a) => a.approval_id === approvalId);
  }

  pending(): Readonly<ApprovalRecord>[] {
    return this.#records.filter((a) => a.status === 'pending');
  }

  open(approval: ApprovalRecord): void {
    this.#records.push(approval);
    this.#record('approval_required', `${approval.step_name}: ${approval.reason}`, {
      step_id: approval.step_id,
      approval_id: approval.approval_id,
      metadata: { reason: approval.reason, requested_by: approval.requested_by, expires_at: approval.expires_at },
    });
  }

  /**
   * Applies a decision or records why it was ignored; `expired` says the approval expired instead.
   * `provenance` (how the decision was authenticated) goes into the applied decision's event.
   */
  decide(
    decision: ApprovalDecision,
    stepOf: (id: string) => Pick<PlanStep, 'tool'>,
    now: string,
    provenance: Record<string, unknown> = {},
  ): { result: DecisionResult; expired: boolean } {
    const approval = this.#records.find((a) => a.approval_id === decision.approval_id);
    const verdict = judgeDecision(approval, approval && stepOf(approval.step_id), decision, now);
    if (verdict.kind === 'ignore') {
      this.#record('approval_ignored', verdict.message, {
        ...(approval && { step_id: approval.step_id }),
        approval_id: decision.approval_id,
        metadata: { approver_id: decision.approver_id, approved: decision.approved, reason: verdict.type },
      });
      const expired = approval !== undefined && verdict.expire && this.expire(approval.approval_id, now);
      return { result: { accepted: false, type: verdict.type, message: verdict.message }, expired };
    }
    const decided = approval!;
    decided.status = verdict.status;
    decided.decided_by = decision.approver_id;
    decided.decided_at = now;
    if (decision.reason !== undefined) decided.decision_reason = decision.reason;
    this.#record(decision.approved ? 'approval_approved' : 'approval_rejected', `${decided.step_name} ${verdict.status} by ${decision.approver_id}`, {
      step_id: decided.step_id,
      approval_id: decided.approval_id,
      metadata: { decided_by: decision.approver_id, ...(decision.reason !== undefined && { reason: decision.reason }), ...provenance },
    });
    return { result: { accepted: true, approval: decided }, expired: false };
  }

  /** Expires a pending approval; false when it was no longer pending. */
  expire(approvalId: string, now: string): boolean {
    const approval = this.#records.find((a) => a.approval_id === approvalId);
    if (approval?.status !== 'pending') return false;
    approval.status = 'expired';
    approval.decided_at = now;
    this.#record('approval_expired', `${approval.step_name}: no decision before ${approval.expires_at}`, {
      step_id: approval.step_id,
      approval_id: approval.approval_id,
    });
    return true;
  }

  /** Cancels every pending approval; returns their ids. */
  cancelPending(): string[] {
    const pending = this.#records.filter((a) => a.status === 'pending');
    for (const approval of pending) approval.status = 'cancelled';
    return pending.map((a) => a.approval_id);
  }

  copies(): ApprovalRecord[] {
    return this.#records.map((a) => ({ ...a }));
  }
}
