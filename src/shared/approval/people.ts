/**
 * Who is who on an approval: the people who shaped its action (its requester and the editor of its
 * current version, who count alike for four eyes), who has already counted (one count per person,
 * including those a delegate approved for), and who may decide the stage deciding now (its group,
 * its escalation, a hand-over, or the groups of someone the decider stands in for). Pure.
 */
import type { ApprovalRecord } from '../contracts.js';
import { sameIdentity } from '../identity.js';
import { eligibilityFor, type Eligibility } from '../policy/deciders.js';
import { isMoneyTransfer } from '../policy.js';

export { isMoneyTransfer };

/** The roles a gateway token or JWT carries; the run judges without one (it trusts the signed groups). */
export type DeciderRole = 'requester' | 'approver' | 'admin' | 'auditor';

/** The person a question is about, as the gateway authenticated them. */
export interface Decider {
  id: string;
  /** Their groups (token or JWT auth); approval stages check membership against these. */
  groups?: readonly string[] | undefined;
  /** Their role, when the gateway knows one; absent with auth off and in the run. */
  role?: DeciderRole | undefined;
}

/** What the judge reads of an approval record. */
export type JudgedApproval = Readonly<
  Pick<
    ApprovalRecord,
    | 'approval_id'
    | 'workflow_id'
    | 'tool'
    | 'risk_level'
    | 'status'
    | 'decided_by'
    | 'requested_by'
    | 'expires_at'
    | 'action_hash'
    | 'edits'
    | 'edited_by'
    | 'args'
    | 'run_id'
    | 'stages'
    | 'current_stage'
    | 'requester_may_approve'
    | 'decisions'
    | 'escalated_to'
    | 'delegations'
  >
>;

export function isRequester(approval: JudgedApproval, person: string): boolean {
  return sameIdentity(approval.requested_by, person);
}

/** The requester, or whoever edited the action into its current version: someone else must approve it. */
export function shapedAction(approval: JudgedApproval, person: string): boolean {
  return (
    isRequester(approval, person) || (approval.edited_by !== undefined && sameIdentity(approval.edited_by, person))
  );
}

/** Whether `person` already counted towards this approval, themselves or through a delegate. */
export function hasCounted(approval: JudgedApproval, person: string): boolean {
  const inStages = (approval.stages ?? []).some((s) => s.approved_by.some((by) => sameIdentity(by, person)));
  const inDecisions = (approval.decisions ?? []).some(
    (d) =>
      d.verdict === 'approve' &&
      (sameIdentity(d.by, person) || (d.on_behalf_of !== undefined && sameIdentity(d.on_behalf_of, person))),
  );
  return inStages || inDecisions;
}

/** The stage deciding now, or undefined for an approval without stages (or with every stage complete). */
export function currentStage(approval: JudgedApproval): { group: string; count: number; index: number } | undefined {
  if (approval.current_stage === undefined) return undefined;
  const stage = approval.stages?.[approval.current_stage];
  return stage && { group: stage.group, count: stage.count, index: approval.current_stage };
}

/** Whether the approval is decided by stages (a policy rule), rather than by one decision. */
export function isStaged(approval: JudgedApproval): boolean {
  return approval.stages !== undefined && approval.current_stage !== undefined;
}

/**
 * How `decider` may decide the stage of `group`: in their own right (their groups, the escalation's
 * group, a hand-over to them), else with the groups of someone they stand in for.
 */
export function eligibilityNow(
  approval: JudgedApproval,
  group: string,
  decider: Decider,
  standInGroups: readonly (readonly string[])[] = [],
): Eligibility {
  const handovers = { escalated_to: approval.escalated_to, delegations: approval.delegations };
  const own = eligibilityFor(group, { id: decider.id, groups: decider.groups }, handovers);
  if (own.eligible) return own;
  const standIn = standInGroups.some((groups) => eligibilityFor(group, { id: decider.id, groups }, handovers).eligible);
  return standIn ? { eligible: true } : own;
}
