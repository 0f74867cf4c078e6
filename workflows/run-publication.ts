/**
 * What a run shows outside its queries, for the Web UI, `temporal workflow list --query` and the
 * inbox. Current details cost nothing; search attributes and memo are history events, so they are
 * written only when their values change. The sinks are the SDK calls in the workflow, fakes in tests.
 */
import type { ApprovalRecord, RunStatus } from '../src/shared/contracts.js';
import type { PublishHook, RunState } from './run-state.js';

export interface SearchAttributeValues {
  intent: string;
  status: RunStatus;
  pendingApprovalIds: string[];
}

export interface PublicationSinks {
  details(markdown: string): void;
  searchAttributes(values: SearchAttributeValues): void;
  /** The inbox reads pending approvals from the memo: one visibility list, no per-run queries. */
  pendingApprovals(records: ApprovalRecord[]): void;
}

/** A publish hook for RunState that remembers what it last wrote. */
export function publisher(sinks: PublicationSinks): PublishHook {
  let writtenAttributes = '';
  let writtenPendingIds = '[]';
  return (run: RunState) => {
    sinks.details(`**${run.status}** ${run.steps.map((s) => `${s.name} [${s.state}]`).join(', ')}`);
    const pending = run.pendingApprovals();
    const pendingApprovalIds = pending.map((a) => a.approval_id);
    const attributes = JSON.stringify([run.intent, run.status, pendingApprovalIds]);
    if (attributes === writtenAttributes) return;
    writtenAttributes = attributes;
    sinks.searchAttributes({ intent: run.intent, status: run.status, pendingApprovalIds });
    const pendingIds = JSON.stringify(pendingApprovalIds);
    if (pendingIds === writtenPendingIds) return;
    writtenPendingIds = pendingIds;
    sinks.pendingApprovals(pending.map((a) => ({ ...a })));
  };
}
