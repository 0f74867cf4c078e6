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
  /** Held step ids; absent until the run first holds a step, so older runs' histories replay unchanged. */
  attentionStepIds?: string[];
}

export interface PublicationSinks {
  details(markdown: string): void;
  searchAttributes(values: SearchAttributeValues): void;
  /** The inbox reads pending approvals from the memo: one visibility list, no per-run queries. */
  pendingApprovals(records: ApprovalRecord[]): void;
  /**
   * Whether the memo may also be rewritten when a pending record changed without the set of
   * pending approvals changing (a stage's progress): the gateway checks decisions against it when
   * no worker runs. A `patched()` check in the workflow, since older histories lack those writes.
   */
  rewritesChangedPendingRecords?(): boolean;
  /** The attention list reads held steps from the memo, as the inbox reads approvals. */
  heldSteps(records: AttentionRecord[]): void;
}

/** A publish hook for RunState that remembers what it last wrote. */
export function publisher(sinks: PublicationSinks): PublishHook {
  let writtenAttributes = '';
  let writtenPendingIds = '[]';
  let writtenPendingRecords = '[]';
  let writtenHeld = '[]';
  let everHeld = false;
  return (run: RunState) => {
    sinks.details(`**${run.status}** ${run.steps.map((s) => `${s.name} [${s.state}]`).join(', ')}`);
    const pending = run.pendingApprovals();
    const pendingApprovalIds = pending.map((a) => a.approval_id);
    const held = run.heldSteps();
    const attentionStepIds = held.map((h) => h.step_id);
    everHeld ||= held.length > 0;
    const attributes = JSON.stringify([run.intent, run.status, pendingApprovalIds, everHeld ? attentionStepIds : null]);
    if (attributes !== writtenAttributes) {
      writtenAttributes = attributes;
      sinks.searchAttributes({ intent: run.intent, status: run.status, pendingApprovalIds, ...(everHeld && { attentionStepIds }) });
    }
    const pendingIds = JSON.stringify(pendingApprovalIds);
    const pendingRecords = JSON.stringify(pending);
    const idsChanged = pendingIds !== writtenPendingIds;
    if (idsChanged || (pendingRecords !== writtenPendingRecords && sinks.rewritesChangedPendingRecords?.() === true)) {
      writtenPendingIds = pendingIds;
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
