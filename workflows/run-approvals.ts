/**
 * The approval half of a run: its approval records and every change of them (decisions as
 * approval-judgement.ts judges them, follow-ups, hand-overs, expiry, cancellation). Only RunState
 * holds an ApprovalBook and calls it, publishing after each change.
 */
import type { ApprovalDecision, ApprovalRecord, ApprovalRevoke } from '../src/shared/contracts.js';
import type { DecisionErrorType } from '../src/shared/messages.js';
import { countApproval, quorumOfRecord, quorumProgress } from '../src/shared/policy/quorum.js';
import type { FollowUp } from '../src/shared/policy/follow-ups.js';
import type { RecordEvent } from './run-timeline.js';
import {
  delegationOf,
  judgeDelegation,
  refreshDeciders,
  type DelegationRequest,
  type DelegationVerdict,
} from './approval-handovers.js';
import { judgeDecision } from './approval-judgement.js';
import { approvalCopy } from './approval-records.js';

export type DecisionResult =
  | { accepted: true; approval: Readonly<ApprovalRecord> }
  | { accepted: false; type: DecisionErrorType; message: string };

/** One signed decision, however many times it arrives (an update and its fallback signal). */
function deliveryKeyOf(decision: ApprovalDecision): string | undefined {
  return decision.proof && `${decision.proof.key_id}/${decision.proof.nonce}`;
}

export class ApprovalBook {
  readonly #records: ApprovalRecord[] = [];
  readonly #record: RecordEvent;
  /** What each signed decision already did, so a second delivery of it changes and records nothing. */
  readonly #delivered = new Map<string, DecisionResult>();

  constructor(recordEvent: RecordEvent) {
    this.#record = recordEvent;
  }

  find(approvalId: string): Readonly<ApprovalRecord> | undefined {
    return this.#records.find((a) => a.approval_id === approvalId);
  }

  /** The record itself, for approval-edits.ts, which amends a pending approval in place. */
  revisable(approvalId: string): ApprovalRecord | undefined {
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
    now: string,
    provenance: Record<string, unknown> = {},
  ): { result: DecisionResult; expired: boolean } {
    const key = deliveryKeyOf(decision);
    const earlier = key === undefined ? undefined : this.#delivered.get(key);
    if (earlier) return { result: earlier, expired: false };
    const outcome = this.#judgeAndApply(decision, now, provenance);
    if (key !== undefined) this.#delivered.set(key, outcome.result);
    return outcome;
  }

  #judgeAndApply(
    decision: ApprovalDecision,
    now: string,
    provenance: Record<string, unknown>,
  ): { result: DecisionResult; expired: boolean } {
    const approval = this.#records.find((a) => a.approval_id === decision.approval_id);
    const verdict = judgeDecision(approval, decision, now);
    if (verdict.kind === 'ignore') {
      this.#ignore(decision.approval_id, verdict.message, {
        approver_id: decision.approver_id,
        approved: decision.approved,
        reason: verdict.type,
      });
      const expired = approval !== undefined && verdict.expire && this.expire(approval.approval_id, now);
      return { result: { accepted: false, type: verdict.type, message: verdict.message }, expired };
    }
    const decided = approval!;
    const counted = this.#countOnStages(decided, decision, now, verdict.onBehalfOf);
    if (verdict.kind === 'progress') {
      this.#record(
        'approval_progress',
        `${decided.step_name}: approved by ${decision.approver_id}, ${decided.progress}`,
        {
          step_id: decided.step_id,
          approval_id: decided.approval_id,
          metadata: {
            approver_id: decision.approver_id,
            progress: decided.progress,
            ...(verdict.onBehalfOf !== undefined && { on_behalf_of: verdict.onBehalfOf }),
            ...(decision.reason !== undefined && { reason: decision.reason }),
            ...provenance,
          },
        },
      );
      return { result: { accepted: true, approval: decided }, expired: false };
    }
    decided.status = verdict.status;
    decided.decided_by = decision.approver_id;
    decided.decided_at = now;
    if (decision.reason !== undefined) decided.decision_reason = decision.reason;
    if (!decision.approved && provenance.review_choice === 'skip') decided.skipped = true;
    if (counted) refreshDeciders(decided);
    this.#record(
      decision.approved ? 'approval_approved' : 'approval_rejected',
      `${decided.step_name} ${verdict.status} by ${decision.approver_id}`,
      {
        step_id: decided.step_id,
        approval_id: decided.approval_id,
        metadata: {
          decided_by: decision.approver_id,
          ...(verdict.onBehalfOf !== undefined && { on_behalf_of: verdict.onBehalfOf }),
          ...(decision.reason !== undefined && { reason: decision.reason }),
          ...provenance,
          ...(counted && { progress: decided.progress }),
        },
      },
    );
    return { result: { accepted: true, approval: decided }, expired: false };
  }

  /** Records an accepted decision on a staged approval and counts an approval; false for approvals without stages. */
  #countOnStages(
    approval: ApprovalRecord,
    decision: ApprovalDecision,
    now: string,
    onBehalfOf: string | undefined,
  ): boolean {
    const quorum = quorumOfRecord(approval);
    if (!quorum || !approval.decisions) return false;
    approval.decisions.push({
      by: decision.approver_id,
      verdict: decision.approved ? 'approve' : 'reject',
      at: now,
      ...(decision.reason !== undefined && { reason: decision.reason }),
      ...(onBehalfOf !== undefined && { on_behalf_of: onBehalfOf }),
    });
    if (decision.approved) {
      countApproval(quorum, decision.approver_id, onBehalfOf);
      approval.current_stage = quorum.current_stage;
      approval.progress = quorumProgress(quorum);
      refreshDeciders(approval);
    }
    return true;
  }

  /** The rule's reminder or escalation fell due; false (and nothing changes) when the approval is no longer pending. */
  followUp(approvalId: string, followUp: FollowUp, now: string): boolean {
    const approval = this.#records.find((a) => a.approval_id === approvalId);
    if (approval?.status !== 'pending') return false;
    if (followUp.kind === 'remind') this.#remind(approval, now);
    else this.#escalate(approval, followUp.group, now);
    return true;
  }

  #remind(approval: ApprovalRecord, now: string): void {
    approval.reminded_at = now;
    const waitingOn = approval.who_may_decide
      ? [...approval.who_may_decide.groups, ...approval.who_may_decide.people].join(', ')
      : 'an approver';
    this.#record(
      'approval_reminder',
      `${approval.step_name}: still waiting for ${waitingOn} (${approval.progress ?? 'pending'})`,
      {
        step_id: approval.step_id,
        approval_id: approval.approval_id,
        metadata: { who_may_decide: approval.who_may_decide, expires_at: approval.expires_at },
      },
    );
  }

  /** Members of `group` may decide too. */
  #escalate(approval: ApprovalRecord, group: string, now: string): void {
    approval.escalated_to = group;
    approval.escalated_at = now;
    refreshDeciders(approval);
    this.#record('approval_escalated', `${approval.step_name}: escalated to ${group}`, {
      step_id: approval.step_id,
      approval_id: approval.approval_id,
      metadata: { escalated_to: group, who_may_decide: approval.who_may_decide, expires_at: approval.expires_at },
    });
  }

  /** Hands a pending approval over, or records why not; the verdict says which. */
  delegate(request: DelegationRequest, now: string, provenance: Record<string, unknown> = {}): DelegationVerdict {
    const approval = this.#records.find((a) => a.approval_id === request.approval_id);
    const verdict = judgeDelegation(approval, request, now);
    if (!verdict.allowed || !approval) {
      if (!verdict.allowed) this.ignoreDelegation(request, verdict.type, verdict.message);
      return verdict;
    }
    const delegation = delegationOf(request, now);
    approval.delegations = [...(approval.delegations ?? []), delegation];
    refreshDeciders(approval);
    this.#record(
      'approval_delegated',
      `${approval.step_name}: ${request.delegated_by} handed the approval to ` +
        `${request.to_kind} ${request.to}: ${request.reason}`,
      {
        step_id: approval.step_id,
        approval_id: approval.approval_id,
        metadata: { ...delegation, who_may_decide: approval.who_may_decide, ...provenance },
      },
    );
    return verdict;
  }

  /** Records a hand-over that changed nothing, and why (`reason`: a DecisionErrorType or a proof rejection). */
  ignoreDelegation(request: DelegationRequest, reason: string, message: string): void {
    this.#ignore(request.approval_id, message, { delegated_by: request.delegated_by, to: request.to, reason });
  }

  /** A decision without a valid signature proves nothing about who made it. */
  ignoreUnsignedDecision(decision: ApprovalDecision, reason: string, message: string): void {
    const { approver_id, approved, proof } = decision;
    this.#ignore(decision.approval_id, message, {
      approver_id,
      approved,
      reason,
      ...(proof && { key_id: proof.key_id }),
    });
  }

  #ignore(approvalId: string, message: string, metadata: Record<string, unknown>): void {
    const approval = this.#records.find((a) => a.approval_id === approvalId);
    this.#record('approval_ignored', message, {
      ...(approval && { step_id: approval.step_id }),
      approval_id: approvalId,
      metadata,
    });
  }

  /** An approval under a cooling-off window: its step waits until `holdUntil` and may be revoked until then. */
  hold(approvalId: string, holdUntil: string): void {
    const approval = this.#records.find((a) => a.approval_id === approvalId);
    if (!approval) return;
    approval.hold_until = holdUntil;
    this.#record(
      'approval_holding',
      `${approval.step_name}: approved, holding until ${holdUntil} (it may be revoked until then)`,
      {
        step_id: approval.step_id,
        approval_id: approval.approval_id,
        metadata: { hold_until: holdUntil, decided_by: approval.decided_by },
      },
    );
  }

  /** Takes back a holding approval a revoke was judged to reach in time (revokeRefusal said yes). */
  revoke(revoke: ApprovalRevoke, now: string, provenance: Record<string, unknown> = {}): void {
    const approval = this.#records.find((a) => a.approval_id === revoke.approval_id);
    if (!approval) return;
    approval.status = 'revoked';
    approval.revoked_by = revoke.revoked_by;
    approval.revoked_at = now;
    if (revoke.reason !== undefined) approval.revoke_reason = revoke.reason;
    const why = revoke.reason !== undefined ? `: ${revoke.reason}` : '';
    this.#record('approval_revoked', `${approval.step_name} revoked by ${revoke.revoked_by}${why}`, {
      step_id: approval.step_id,
      approval_id: approval.approval_id,
      metadata: {
        revoked_by: revoke.revoked_by,
        hold_until: approval.hold_until,
        ...(revoke.reason !== undefined && { reason: revoke.reason }),
        ...provenance,
      },
    });
  }

  /** Records a revoke that changed nothing, and why (`reason`: a DecisionErrorType, a proof rejection or too_late). */
  ignoreRevoke(revoke: ApprovalRevoke, reason: string, message: string): void {
    this.#ignore(revoke.approval_id, message, { revoked_by: revoke.revoked_by, reason });
  }

  /** Expires a pending approval; false when it was no longer pending. */
  expire(approvalId: string, now: string): boolean {
    const approval = this.#records.find((a) => a.approval_id === approvalId);
    if (approval?.status !== 'pending') return false;
    approval.status = 'expired';
    approval.decided_at = now;
    refreshDeciders(approval);
    this.#record('approval_expired', `${approval.step_name}: no decision before ${approval.expires_at}`, {
      step_id: approval.step_id,
      approval_id: approval.approval_id,
    });
    return true;
  }

  /** Cancels every pending approval; returns their ids. */
  cancelPending(): string[] {
    const pending = this.#records.filter((a) => a.status === 'pending');
    for (const approval of pending) {
      approval.status = 'cancelled';
      refreshDeciders(approval);
    }
    return pending.map((a) => a.approval_id);
  }

  copies(): ApprovalRecord[] {
    return this.#records.map((a) => approvalCopy(a));
  }
}
