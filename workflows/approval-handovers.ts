/**
 * Changes of who may decide a pending approval: the rule's reminder and escalation, and a person's
 * delegation. Pure functions on an approval record; ApprovalBook applies them and records events.
 */
import type { ApprovalRecord } from '../src/shared/contracts.js';
import { DecisionErrorType } from '../src/shared/messages.js';
import { judgeDelegation as judge } from '../src/shared/approval/delegation.js';
import { whoMayDecide, type DelegateKind, type Delegation, type Handovers } from '../src/shared/policy/deciders.js';
import type { ApprovalTiming } from '../src/shared/policy/follow-ups.js';

/** A delegation as the gateway vouches for it (see delegation-gate.ts). */
export interface DelegationRequest {
  approval_id: string;
  delegated_by: string;
  /** The delegator's groups, as the gateway authenticated them. */
  groups?: string[] | undefined;
  to: string;
  to_kind: DelegateKind;
  reason: string;
}

export type DelegationVerdict = { allowed: true } | { allowed: false; type: DecisionErrorType; message: string };

function at(requestedAt: string, afterMs: number): string {
  return new Date(Date.parse(requestedAt) + afterMs).toISOString();
}

/** The deadlines a rule's timing puts on a new approval (expires_at is set from the timeout). */
export function deadlinesOf(requestedAt: string, timing: ApprovalTiming | undefined): Partial<ApprovalRecord> {
  if (!timing) return {};
  return {
    ...(timing.remind_after_ms !== undefined && { remind_at: at(requestedAt, timing.remind_after_ms) }),
    ...(timing.escalate_after_ms !== undefined &&
      timing.escalate_to !== undefined && {
        escalate_at: at(requestedAt, timing.escalate_after_ms),
        escalate_to: timing.escalate_to,
      }),
  };
}

export function handoversOf(approval: Readonly<ApprovalRecord>): Handovers {
  return { escalated_to: approval.escalated_to, delegations: approval.delegations };
}

/** Recomputes `who_may_decide` after anything that changes it; absent once every stage is complete. */
export function refreshDeciders(approval: ApprovalRecord): void {
  const stage = approval.current_stage === undefined ? undefined : approval.stages?.[approval.current_stage];
  if (stage && approval.status === 'pending')
    approval.who_may_decide = whoMayDecide(stage.group, handoversOf(approval));
  else delete approval.who_may_decide;
}

/** Whether `request` may hand `approval` over at `now`, as the approval judge answers it. */
export function judgeDelegation(
  approval: Readonly<ApprovalRecord> | undefined,
  request: DelegationRequest,
  now: string,
): DelegationVerdict {
  if (!approval)
    return {
      allowed: false,
      type: DecisionErrorType.UnknownApproval,
      message: `No approval ${request.approval_id} in this run`,
    };
  const delegation = {
    delegator: { id: request.delegated_by, groups: request.groups },
    to: request.to,
    toKind: request.to_kind,
  };
  const verdict = judge(approval, delegation, { now });
  return verdict.allowed ? verdict : { allowed: false, type: verdict.type, message: verdict.message };
}

export function delegationOf(request: DelegationRequest, now: string): Delegation {
  return {
    from: request.delegated_by,
    to: request.to,
    to_kind: request.to_kind,
    groups: [...(request.groups ?? [])],
    reason: request.reason,
    at: now,
  };
}
