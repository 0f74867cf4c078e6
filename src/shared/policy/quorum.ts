/**
 * Approval stages decided in order: a stage completes when `count` distinct eligible people
 * approved; one rejection rejects; the requester never counts (unless the rule lets them confirm a
 * non-money step); a person counts once across all stages. Pure, so the workflow and tests share it.
 */
import { sameIdentity } from '../identity.js';
import type { PolicyStage } from './schema.js';
import { ANYONE } from './groups.js';
import { eligibilityFor, type Handovers } from './deciders.js';

export interface StageProgress extends PolicyStage {
  approved_by: string[];
}

export interface Quorum extends Handovers {
  stages: StageProgress[];
  /** Index of the stage now deciding; equal to `stages.length` once all are complete. */
  current_stage: number;
  requester_may_approve: boolean;
  /** People whose approval a delegate gave on their behalf: they count as having approved. */
  counted_for?: string[];
}

export interface QuorumDecision {
  approver_id: string;
  approved: boolean;
  groups?: readonly string[] | undefined;
}

export type QuorumVerdict =
  | { kind: 'refuse'; message: string }
  | { kind: 'reject' }
  | { kind: 'count'; stage: number; complete: boolean; on_behalf_of?: string };

/** What a record keeps of its quorum: stages, hand-overs, and approvals given on someone's behalf. */
export interface QuorumRecord extends Handovers {
  stages?: StageProgress[] | undefined;
  current_stage?: number | undefined;
  requester_may_approve?: boolean | undefined;
  decisions?: readonly { verdict: string; on_behalf_of?: string | undefined }[] | undefined;
}

/** The quorum an approval record keeps, or undefined for a record without stages (one decision decides). */
export function quorumOfRecord(record: QuorumRecord): Quorum | undefined {
  if (!record.stages || record.current_stage === undefined) return undefined;
  const countedFor = (record.decisions ?? []).flatMap((d) =>
    d.verdict === 'approve' && d.on_behalf_of !== undefined ? [d.on_behalf_of] : [],
  );
  return {
    stages: record.stages,
    current_stage: record.current_stage,
    requester_may_approve: record.requester_may_approve === true,
    escalated_to: record.escalated_to,
    delegations: record.delegations,
    counted_for: countedFor,
  };
}

export function newQuorum(stages: readonly PolicyStage[], requesterMayApprove: boolean): Quorum {
  return {
    stages: stages.map((s) => ({ ...s, approved_by: [] })),
    current_stage: 0,
    requester_may_approve: requesterMayApprove,
  };
}

function groupWords(group: string): string {
  return group === ANYONE ? 'anyone' : group;
}

export function judgeQuorumDecision(
  quorum: Readonly<Quorum>,
  requestedBy: string,
  decision: QuorumDecision,
): QuorumVerdict {
  const stage = quorum.stages[quorum.current_stage];
  if (!stage) return { kind: 'refuse', message: 'Every stage of this approval is already complete' };
  const who = decision.approver_id;
  const isRequester = sameIdentity(who, requestedBy);
  const eligibility = eligibilityFor(stage.group, { id: who, groups: decision.groups }, quorum);
  if (!decision.approved) {
    // The requester may always withdraw their own request; anyone else must be able to decide now.
    if (isRequester || eligibility.eligible) return { kind: 'reject' };
    return { kind: 'refuse', message: `${who} is not in group ${stage.group}, which decides now` };
  }
  if (isRequester && !quorum.requester_may_approve) {
    return { kind: 'refuse', message: `${who} requested this step and cannot approve it (four-eyes rule)` };
  }
  const hasCounted = (person: string) =>
    quorum.stages.some((s) => s.approved_by.some((earlier) => sameIdentity(earlier, person))) ||
    (quorum.counted_for ?? []).some((earlier) => sameIdentity(earlier, person));
  if (hasCounted(who)) {
    return { kind: 'refuse', message: `${who} has already approved; a person counts once` };
  }
  if (!eligibility.eligible) {
    return {
      kind: 'refuse',
      message: `${who} is not in group ${stage.group}, which decides now (stage ${quorum.current_stage + 1} of ${quorum.stages.length})`,
    };
  }
  if (eligibility.on_behalf_of !== undefined && hasCounted(eligibility.on_behalf_of)) {
    return {
      kind: 'refuse',
      message: `${eligibility.on_behalf_of} handed this approval to ${who} but has already approved; a person counts once`,
    };
  }
  const filled = stage.approved_by.length + 1 >= stage.count;
  const complete = filled && quorum.current_stage + 1 === quorum.stages.length;
  return {
    kind: 'count',
    stage: quorum.current_stage,
    complete,
    ...(eligibility.on_behalf_of !== undefined && { on_behalf_of: eligibility.on_behalf_of }),
  };
}

/** Applies a `count` verdict in place. */
export function countApproval(quorum: Quorum, approverId: string, onBehalfOf?: string): void {
  const stage = quorum.stages[quorum.current_stage];
  if (!stage) return;
  stage.approved_by.push(approverId);
  if (onBehalfOf !== undefined) quorum.counted_for = [...(quorum.counted_for ?? []), onBehalfOf];
  if (stage.approved_by.length >= stage.count) quorum.current_stage += 1;
}

/** "1 of 2 from approvers", for the stage deciding now; "complete" once every stage is. */
export function quorumProgress(quorum: Readonly<Quorum>): string {
  const stage = quorum.stages[quorum.current_stage];
  if (!stage) return 'complete';
  const position = quorum.stages.length > 1 ? ` (stage ${quorum.current_stage + 1} of ${quorum.stages.length})` : '';
  return `${stage.approved_by.length} of ${stage.count} from ${groupWords(stage.group)}${position}`;
}
