/**
 * Whether the caller may approve an approval now, for the inbox's `may_decide` flag: the same
 * rules the run applies (its stage's group, escalation, hand-overs, out-of-office stand-ins, four
 * eyes, a person counts once), asked ahead so the inbox can show what is the caller's to decide.
 * The run stays the judge. Pure.
 */
import type { ApprovalRecord } from '../../shared/contracts.js';
import { sameIdentity } from '../../shared/identity.js';
import { checkDecider } from '../../shared/policy.js';
import { eligibilityFor } from '../../shared/policy/deciders.js';
import type { Identity } from '../auth.js';

/** The groups of each person the caller stands in for now (from the policy's out-of-office entries). */
export type StandInGroups = readonly (readonly string[])[];

function hasApproved(approval: ApprovalRecord, person: string): boolean {
  return (approval.decisions ?? []).some(
    (d) =>
      d.verdict === 'approve' &&
      (sameIdentity(d.by, person) || (d.on_behalf_of !== undefined && sameIdentity(d.on_behalf_of, person))),
  );
}

export function mayDecide(approval: ApprovalRecord, identity: Identity, standIns: StandInGroups = []): boolean {
  if (approval.status !== 'pending') return false;
  // Auth off: the body names the decider, so anyone may try; the run judges the named person.
  if (identity.kind === 'anonymous') return true;
  const who = identity.user_id;
  const isRequester = sameIdentity(who, approval.requested_by);
  if (identity.role === 'requester' && !isRequester) return false;
  const stage = approval.current_stage === undefined ? undefined : approval.stages?.[approval.current_stage];
  if (!stage)
    return (
      checkDecider({ tool: approval.tool }, approval.requested_by, who, true).allowed &&
      (!isRequester || approval.risk_level === 'L3')
    );
  if (isRequester && approval.requester_may_approve !== true) return false;
  if (hasApproved(approval, who)) return false;
  const handovers = { escalated_to: approval.escalated_to, delegations: approval.delegations };
  const eligibility = eligibilityFor(stage.group, { id: who, groups: identity.groups }, handovers);
  if (eligibility.eligible)
    return eligibility.on_behalf_of === undefined || !hasApproved(approval, eligibility.on_behalf_of);
  return standIns.some((groups) => eligibilityFor(stage.group, { id: who, groups }, handovers).eligible);
}
