/**
 * Approval stages decided in order: a stage completes when `count` distinct eligible people
 * approved; one rejection rejects; the requester never counts (unless the rule lets them confirm a
 * non-money step); a person counts once across all stages. Pure, so the workflow and tests share it.
 */
import { sameIdentity } from '../identity.js';
import type { PolicyStage } from './schema.js';
import { ANYONE } from './groups.js';

export interface StageProgress extends PolicyStage {
  approved_by: string[];
}

export interface Quorum {
  stages: StageProgress[];
  /** Index of the stage now deciding; equal to `stages.length` once all are complete. */
  current_stage: number;
  requester_may_approve: boolean;
}

export interface QuorumDecision {
  approver_id: string;
  approved: boolean;
  groups?: readonly string[] | undefined;
}

export type QuorumVerdict =
  | { kind: 'refuse'; message: string }
  | { kind: 'reject' }
  | { kind: 'count'; stage: number; complete: boolean };

/** The quorum an approval record keeps, or undefined for a record without stages (one decision decides). */
export function quorumOfRecord(record: { stages?: StageProgress[] | undefined; current_stage?: number | undefined; requester_may_approve?: boolean | undefined }): Quorum | undefined {
  if (!record.stages || record.current_stage === undefined) return undefined;
  return { stages: record.stages, current_stage: record.current_stage, requester_may_approve: record.requester_may_approve === true };
}

export function newQuorum(stages: readonly PolicyStage[], requesterMayApprove: boolean): Quorum {
  return { stages: stages.map((s) => ({ ...s, approved_by: [] })), current_stage: 0, requester_may_approve: requesterMayApprove };
}

function inGroup(group: string, groups: readonly string[] | undefined): boolean {
  return group === ANYONE || (groups ?? []).includes(group);
}

function groupWords(group: string): string {
  return group === ANYONE ? 'anyone' : group;
}

export function judgeQuorumDecision(quorum: Readonly<Quorum>, requestedBy: string, decision: QuorumDecision): QuorumVerdict {
  const stage = quorum.stages[quorum.current_stage];
  if (!stage) return { kind: 'refuse', message: 'Every stage of this approval is already complete' };
  const who = decision.approver_id;
  const isRequester = sameIdentity(who, requestedBy);
  if (!decision.approved) {
    // The requester may always withdraw their own request; anyone else must be able to decide now.
    if (isRequester || inGroup(stage.group, decision.groups)) return { kind: 'reject' };
    return { kind: 'refuse', message: `${who} is not in group ${stage.group}, which decides now` };
  }
  if (isRequester && !quorum.requester_may_approve) {
    return { kind: 'refuse', message: `${who} requested this step and cannot approve it (four-eyes rule)` };
  }
  if (quorum.stages.some((s) => s.approved_by.some((earlier) => sameIdentity(earlier, who)))) {
    return { kind: 'refuse', message: `${who} has already approved; a person counts once` };
  }
  if (!inGroup(stage.group, decision.groups)) {
    return { kind: 'refuse', message: `${who} is not in group ${stage.group}, which decides now (stage ${quorum.current_stage + 1} of ${quorum.stages.length})` };
  }
  const filled = stage.approved_by.length + 1 >= stage.count;
  const complete = filled && quorum.current_stage + 1 === quorum.stages.length;
  return { kind: 'count', stage: quorum.current_stage, complete };
}

/** Applies a `count` verdict in place. */
export function countApproval(quorum: Quorum, approverId: string): void {
  const stage = quorum.stages[quorum.current_stage];
  if (!stage) return;
  stage.approved_by.push(approverId);
  if (stage.approved_by.length >= stage.count) quorum.current_stage += 1;
}

/** "1 of 2 from approvers", for the stage deciding now; "complete" once every stage is. */
export function quorumProgress(quorum: Readonly<Quorum>): string {
  const stage = quorum.stages[quorum.current_stage];
  if (!stage) return 'complete';
  const position = quorum.stages.length > 1 ? ` (stage ${quorum.current_stage + 1} of ${quorum.stages.length})` : '';
  return `${stage.approved_by.length} of ${stage.count} from ${groupWords(stage.group)}${position}`;
}
