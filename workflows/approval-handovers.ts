/**
 * Changes of who may decide a pending approval: the rule's reminder and escalation, and a person's
 * delegation. Pure functions on an approval record; ApprovalBook applies them and records events.
 */
import type { ApprovalRecord } from '../src/shared/contracts.js';
import { DecisionErrorType } from '../src/shared/messages.js';
import { sameIdentity } from '../src/shared/identity.js';
import {
  decidesStage,
  whoMayDecide,
  type DelegateKind,
  type Delegation,
  type Handovers,
} from '../src/shared/policy/deciders.js';
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

function hasApproved(approval: Readonly<ApprovalRecord>, person: string): boolean {
  return (approval.decisions ?? []).some(
    (d) =>
      d.verdict === 'approve' &&
      (sameIdentity(d.by, person) || (d.on_behalf_of !== undefined && sameIdentity(d.on_behalf_of, person))),
  );
}

/**
 * Whether `request` may hand `approval` over at `now`: only someone who may decide the stage in
 * their own right and has not approved it, never to the requester (four eyes) or to themselves.
 */
export function judgeDelegation(
  approval: Readonly<ApprovalRecord> | undefined,
  request: DelegationRequest,
  now: string,
): DelegationVerdict {
  const refuse = (type: DecisionErrorType, message: string): DelegationVerdict => ({ allowed: false, type, message });
  if (!approval) return refuse(DecisionErrorType.UnknownApproval, `No approval ${request.approval_id} in this run`);
  if (approval.status !== 'pending')
    return refuse(DecisionErrorType.AlreadyDecided, `Approval ${approval.approval_id} is already ${approval.status}`);
  if (Date.parse(now) >= Date.parse(approval.expires_at))
    return refuse(DecisionErrorType.Expired, `Approval ${approval.approval_id} expired at ${approval.expires_at}`);
  const stage = approval.current_stage === undefined ? undefined : approval.stages?.[approval.current_stage];
  if (!stage)
    return refuse(DecisionErrorType.Forbidden, `Approval ${approval.approval_id} has no policy stages to hand over`);
  const who = request.delegated_by;
  if (sameIdentity(who, approval.requested_by))
    return refuse(DecisionErrorType.Forbidden, `${who} requested this step and cannot hand its approval over`);
  if (!decidesStage(stage.group, request.groups, handoversOf(approval))) {
    return refuse(
      DecisionErrorType.Forbidden,
      `${who} is not in group ${stage.group}, which decides now, so cannot hand it over`,
    );
  }
  if (hasApproved(approval, who))
    return refuse(DecisionErrorType.Forbidden, `${who} has already approved; their approval cannot be handed over too`);
  if (request.to_kind === 'person') {
    if (sameIdentity(request.to, approval.requested_by)) {
      return refuse(
        DecisionErrorType.Forbidden,
        `${request.to} requested this step and cannot receive its approval (four-eyes rule)`,
      );
    }
    if (sameIdentity(request.to, who))
      return refuse(DecisionErrorType.Forbidden, 'An approval cannot be handed to the person handing it over');
    if (hasApproved(approval, request.to))
      return refuse(DecisionErrorType.Forbidden, `${request.to} has already approved; a person counts once`);
  }
  return { allowed: true };
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
