/**
 * Approval stages decided in order: a stage completes when `count` approvals counted. Who may count
 * is the approval judge's question (src/shared/approval/judge.ts); this module keeps the count.
 * Pure, so the workflow and tests share it.
 */
import type { PolicyStage } from './schema.js';
import { ANYONE } from './groups.js';
import type { Handovers } from './deciders.js';

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

/** A stage's group in words: `*` is anyone. */
export function groupWords(group: string): string {
  return group === ANYONE ? 'anyone' : group;
}

/** Counts an approval the approval judge let count (src/shared/approval/judge.ts), in place. */
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
