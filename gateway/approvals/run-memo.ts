/**
 * A session's pending approvals without a worker, from visibility and the runs' memos (one run's
 * memo is read by run-description.ts). A decision is checked against these when the session
 * cannot be queried, so that it is refused at once, or accepted and delivered durably.
 */
import type { Client } from '@temporalio/client';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { REQUEST_WORKFLOW_TYPE } from '../../src/shared/messages.js';
import { inboxFromMemos, visibilityLiteral } from '../visibility.js';

/** The visibility query for a session's runs that wait for a decision. */
export function sessionPendingQuery(taskQueue: string, sessionId: string): string {
  if (!/^[\w.:@/+-]{1,200}$/.test(taskQueue))
    throw new Error(`task queue ${taskQueue} cannot be used in a visibility query`);
  return (
    `WorkflowType='${REQUEST_WORKFLOW_TYPE}' AND TaskQueue='${taskQueue}'` +
    ` AND SessionId=${visibilityLiteral(sessionId)}` +
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
