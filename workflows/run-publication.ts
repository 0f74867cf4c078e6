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
  /** Groups that may decide pending approvals now; absent unless the run awaits policy stages (see `awaitsGroups`). */
  awaitingGroups?: string[];
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
  /**
   * Asked once, when the run first waits on a group: whether to publish AwaitingGroups. The
   * workflow answers with a patch, so histories recorded before the attribute replay unchanged.
   */
  awaitsGroups?(): boolean;
}

function awaitedGroupsOf(pending: readonly Readonly<ApprovalRecord>[]): string[] {
  const groups = new Set<string>();
  for (const approval of pending) for (const group of approval.who_may_decide?.groups ?? []) groups.add(group);
  return [...groups].sort();
}

/** A publish hook for RunState that remembers what it last wrote. */
export function publisher(sinks: PublicationSinks): PublishHook {
  let writtenAttributes = '';
  let writtenPendingIds = '[]';
  let writtenPendingRecords = '[]';
  let writtenHeld = '[]';
  let everHeld = false;
  let publishesGroups: boolean | undefined;
  return (run: RunState) => {
    sinks.details(`**${run.status}** ${run.steps.map((s) => `${s.name} [${s.state}]`).join(', ')}`);
    const pending = run.pendingApprovals();
    const pendingApprovalIds = pending.map((a) => a.approval_id);
    const held = run.heldSteps();
    const attentionStepIds = held.map((h) => h.step_id);
    everHeld ||= held.length > 0;
    const awaited = awaitedGroupsOf(pending);
    if (publishesGroups === undefined && awaited.length > 0) publishesGroups = sinks.awaitsGroups?.() ?? false;
    const awaitingGroups = publishesGroups ? awaited : undefined;
    const attributes = JSON.stringify([
      run.intent,
      run.status,
      pendingApprovalIds,
      everHeld ? attentionStepIds : null,
      awaitingGroups ?? null,
    ]);
    if (attributes !== writtenAttributes) {
      writtenAttributes = attributes;
      sinks.searchAttributes({
        intent: run.intent,
        status: run.status,
        pendingApprovalIds,
        ...(everHeld && { attentionStepIds }),
        ...(awaitingGroups && { awaitingGroups }),
      });
    }
    // Runs that publish AwaitingGroups also rewrite the memo when progress or who may decide
    // changes, so the inbox follows them; older runs keep writing it as they did.
    const pendingIds = JSON.stringify(
      publishesGroups
        ? pending.map((a) => [a.approval_id, a.progress, a.who_may_decide, a.escalated_to, a.delegations])
        : pendingApprovalIds,
    );
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
