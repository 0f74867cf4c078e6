/**
 * Who may decide an approval's stage now: the stage's group, the group it escalated to, and whoever
 * an eligible approver handed it to (a delegation carries the delegator's groups, so the recipient
 * decides exactly what the delegator could). Four eyes and "a person counts once" still apply to
 * recipients; quorum.ts asks here. Pure, so the workflow and the gateway share it.
 */
import { sameIdentity } from '../identity.js';
import { ANYONE } from './groups.js';

export const DELEGATE_KINDS = ['person', 'group'] as const;
export type DelegateKind = (typeof DELEGATE_KINDS)[number];

export interface Delegation {
  from: string;
  to: string;
  to_kind: DelegateKind;
  /** The delegator's groups when they handed it over: what the recipient may decide for. */
  groups: string[];
  reason: string;
  at: string;
}

/** What, besides the stage's group, lets someone decide. */
export interface Handovers {
  escalated_to?: string | undefined;
  delegations?: readonly Delegation[] | undefined;
}

export interface Decider {
  id: string;
  groups?: readonly string[] | undefined;
}

export type Eligibility = { eligible: true; on_behalf_of?: string } | { eligible: false };

function inGroup(group: string, groups: readonly string[] | undefined): boolean {
  return group === ANYONE || (groups ?? []).includes(group);
}

/** Whether someone in `groups` may decide a stage of `group` in their own right (their group, or the escalation's). */
export function decidesStage(group: string, groups: readonly string[] | undefined, handovers: Handovers): boolean {
  return inGroup(group, groups) || (handovers.escalated_to !== undefined && inGroup(handovers.escalated_to, groups));
}

function receives(delegation: Delegation, decider: Decider): boolean {
  return delegation.to_kind === 'person'
    ? sameIdentity(delegation.to, decider.id)
    : (decider.groups ?? []).includes(delegation.to);
}

/** How `decider` may decide the stage of `group`: in their own right, or on behalf of whoever handed it to them. */
export function eligibilityFor(group: string, decider: Decider, handovers: Handovers): Eligibility {
  if (decidesStage(group, decider.groups, handovers)) return { eligible: true };
  const delegation = (handovers.delegations ?? []).find(
    (d) => receives(d, decider) && decidesStage(group, d.groups, handovers),
  );
  return delegation ? { eligible: true, on_behalf_of: delegation.from } : { eligible: false };
}

/** Who may decide the stage of `group` now, for the run view, the inbox and the AwaitingGroups search attribute. */
export function whoMayDecide(group: string, handovers: Handovers): { groups: string[]; people: string[] } {
  const groups = [group];
  if (handovers.escalated_to !== undefined && !groups.includes(handovers.escalated_to))
    groups.push(handovers.escalated_to);
  const people: string[] = [];
  for (const d of handovers.delegations ?? []) {
    if (!decidesStage(group, d.groups, handovers)) continue;
    if (d.to_kind === 'group' && !groups.includes(d.to)) groups.push(d.to);
    if (d.to_kind === 'person' && !people.some((p) => sameIdentity(p, d.to))) people.push(d.to);
  }
  return { groups, people };
}
