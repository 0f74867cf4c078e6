/**
 * What the gateway can read about a run's approvals without a worker: the run's memo and search
 * attributes, as its last workflow task left them. A decision is checked against these when the
 * run cannot be queried, so that it is refused at once, or accepted and delivered durably.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { ApprovalRecord, RunStatus, RunView } from '../../shared/contracts.js';
import { REQUEST_WORKFLOW_TYPE, SearchAttributes } from '../../shared/messages.js';
import { RUN_STATUSES } from '../../shared/workflow-contracts.js';
import { inboxFromMemos, visibilityLiteral } from '../visibility.js';

/** The parts of a run a decision needs: whose it is, and its pending approvals. */
export type RunSummary = Pick<RunView, 'workflow_id' | 'session_id' | 'user_id' | 'intent' | 'status'>;

export interface MemoSnapshot {
  run: RunSummary;
  /** Whether the execution is still open (only an open run can take a decision). */
  open: boolean;
  pending: ApprovalRecord[];
}

function runStatusOf(value: string | undefined, open: boolean): RunStatus {
  const known = RUN_STATUSES.find((s) => s === value);
  return known ?? (open ? 'QUEUED' : 'FAILED');
}

/** The run as its memo shows it (describe: strongly consistent, no worker needed); undefined when unknown. */
export async function memoSnapshot(client: Client, workflowId: string): Promise<MemoSnapshot | undefined> {
  let description;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  if (description.type !== REQUEST_WORKFLOW_TYPE) return undefined;
  const attributes = description.typedSearchAttributes;
  const open = description.status.name === 'RUNNING';
  return {
    run: {
      workflow_id: workflowId,
      session_id: attributes.get(SearchAttributes.SessionId) ?? '',
      user_id: attributes.get(SearchAttributes.UserId) ?? '',
      intent: attributes.get(SearchAttributes.Intent) ?? 'unknown',
      status: runStatusOf(attributes.get(SearchAttributes.RunStatus), open),
    },
    open,
    pending: open ? inboxFromMemos([description.memo]) : [],
  };
}

/** The visibility query for a session's runs that wait for a decision. */
export function sessionPendingQuery(taskQueue: string, sessionId: string): string {
  if (!/^[\w.:@/+-]{1,200}$/.test(taskQueue))
    throw new Error(`task queue ${taskQueue} cannot be used in a visibility query`);
  return (
    `WorkflowType='${REQUEST_WORKFLOW_TYPE}' AND TaskQueue='${taskQueue}' AND SessionId=${visibilityLiteral(sessionId)}` +
    ` AND ExecutionStatus='Running' AND PendingApprovalIds IS NOT NULL`
  );
}

/**
 * A session's pending approvals from visibility and the runs' memos, for when the session
 * cannot be queried (no worker). Eventually consistent: an approval requested moments ago may be
 * missing, which the caller reports as nothing to decide rather than guessing.
 */
export async function sessionPendingFromMemos(
  client: Client,
  taskQueue: string,
  sessionId: string,
  limit = 50,
): Promise<ApprovalRecord[]> {
  const memos: (Record<string, unknown> | undefined)[] = [];
  for await (const info of client.workflow.list({ query: sessionPendingQuery(taskQueue, sessionId) })) {
    memos.push(info.memo);
    if (memos.length >= limit) break;
  }
  return inboxFromMemos(memos);
}
