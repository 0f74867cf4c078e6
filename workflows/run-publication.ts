/**
 * What a run shows outside its queries, for the Web UI, `temporal workflow list --query` and the
 * inbox. Current details cost nothing; search attributes and memo are history events, so they are
 * written only when their values change. The sinks are the SDK calls in the workflow, fakes in tests.
 */
import type { ApprovalRecord, AttentionRecord, RunStatus } from '../src/shared/contracts.js';
import type { PublishHook, RunState } from './run-state.js';

export interface SearchAttributeValues {
  intent: string;
  status: RunStatus;
  pendingApprovalIds: string[];
  /** Held step ids; absent until the run first holds a step, so runs that never hold one write no such attribute. */
  attentionStepIds?: string[];
  /** Groups that may decide pending approvals now; absent until the run first awaits a group. */
  awaitingGroups?: string[];
}

export interface PublicationSinks {
  details(markdown: string): void;
  searchAttributes(values: SearchAttributeValues): void;
  /**
   * The inbox reads pending approvals from the memo: one visibility list, no per-run queries. It is
   * rewritten whenever a pending record changes (a stage's progress, who may decide), since the
   * gateway checks decisions against it when no worker runs.
   */
  pendingApprovals(records: ApprovalRecord[]): void;
  /** The attention list reads held steps from the memo, as the inbox reads approvals. */
  heldSteps(records: AttentionRecord[]): void;
}

function awaitedGroupsOf(pending: readonly Readonly<ApprovalRecord>[]): string[] {
  const groups = new Set<string>();
  for (const approval of pending) for (const group of approval.who_may_decide?.groups ?? []) groups.add(group);
  return [...groups].sort();
}

/** A publish hook for RunState that remembers what it last wrote. */
export function publisher(sinks: PublicationSinks): PublishHook {
  let writtenAttributes = '';
  let writtenPendingRecords = '[]';
  let writtenHeld = '[]';
  let everHeld = false;
  let everAwaitedGroups = false;
  return (run: RunState) => {
    sinks.details(`**${run.status}** ${run.steps.map((s) => `${s.name} [${s.state}]`).join(', ')}`);
    const pending = run.pendingApprovals();
    const pendingApprovalIds = pending.map((a) => a.approval_id);
    const held = run.heldSteps();
    const attentionStepIds = held.map((h) => h.step_id);
    everHeld ||= held.length > 0;
    const awaited = awaitedGroupsOf(pending);
    everAwaitedGroups ||= awaited.length > 0;
    const attributes = JSON.stringify([
      run.intent,
      run.status,
      pendingApprovalIds,
      everHeld ? attentionStepIds : null,
      everAwaitedGroups ? awaited : null,
    ]);
    if (attributes !== writtenAttributes) {
      writtenAttributes = attributes;
      sinks.searchAttributes({
        intent: run.intent,
        status: run.status,
        pendingApprovalIds,
        ...(everHeld && { attentionStepIds }),
        ...(everAwaitedGroups && { awaitingGroups: awaited }),
      });
    }
    const pendingRecords = JSON.stringify(pending);
    if (pendingRecords !== writtenPendingRecords) {
      writtenPendingRecords = pendingRecords;
      sinks.pendingApprovals(pending.map((a) => ({ ...a })));
    }
    const heldJson = JSON.stringify(held);
    if (heldJson !== writtenHeld) {
      writtenHeld = heldJson;
      sinks.heldSteps(held);
    }
  };
}
