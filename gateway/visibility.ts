/**
 * Listings from Temporal visibility (eventually consistent): a user's sessions, and the approvals
 * and held steps read from the runs' memos. Query building and grouping are pure and unit-tested;
 * ids are validated and quoted before they reach a query string.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import {
  ApprovalRecordSchema,
  AttentionRecordSchema,
  IdentitySchema,
  type ApprovalRecord,
  type AttentionRecord,
} from '../src/shared/contracts.js';
import {
  ATTENTION_MEMO,
  PENDING_APPROVALS_MEMO,
  REQUEST_WORKFLOW_TYPE,
  SearchAttributes,
} from '../src/shared/messages.js';
import { ApiError } from './errors.js';

/** At most this many executions are read for one listing. */
export const LISTING_LIMIT = 2000;

/** A quoted visibility literal; refuses anything that is not a plain id (no quotes, no spaces). */
export function visibilityLiteral(value: string): string {
  const parsed = IdentitySchema.safeParse(value);
  if (!parsed.success) throw ApiError.badRequest(`not a valid id: ${JSON.stringify(value).slice(0, 80)}`);
  return `'${parsed.data.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function taskQueueLiteral(taskQueue: string): string {
  if (!/^[\w.:@/+-]{1,200}$/.test(taskQueue))
    throw new Error(`task queue ${taskQueue} cannot be used in a visibility query`);
  return `'${taskQueue}'`;
}

export function sessionsQuery(taskQueue: string, userId: string): string {
  return (
    `WorkflowType='${REQUEST_WORKFLOW_TYPE}' AND TaskQueue=${taskQueueLiteral(taskQueue)} ` +
    `AND UserId=${visibilityLiteral(userId)}`
  );
}

export function pendingApprovalsQuery(taskQueue: string, userId?: string): string {
  const owner = userId === undefined ? '' : ` AND UserId=${visibilityLiteral(userId)}`;
  return (
    `WorkflowType='${REQUEST_WORKFLOW_TYPE}' AND TaskQueue=${taskQueueLiteral(taskQueue)}` +
    ` AND ExecutionStatus='Running' AND PendingApprovalIds IS NOT NULL${owner}`
  );
}

export interface RunListing {
  workflow_id: string;
  session_id: string | undefined;
  user_id: string | undefined;
  run_status: string | undefined;
  execution_status: string;
  started_at: Date;
  closed_at: Date | undefined;
}

export interface SessionSummary {
  session_id: string;
  user_id: string;
  status: string;
  created_at: string;
  updated_at: string;
}

/** One line per session: created at its first run, updated at its newest, status of its newest run. */
export function groupSessions(runs: readonly RunListing[]): SessionSummary[] {
  const bySession = new Map<string, RunListing[]>();
  for (const run of runs) {
    if (!run.session_id || !run.user_id) continue;
    const list = bySession.get(run.session_id) ?? [];
    list.push(run);
    bySession.set(run.session_id, list);
  }
  const sessions = [...bySession.entries()].map(([sessionId, list]) => {
    const sorted = [...list].sort((a, b) => a.started_at.getTime() - b.started_at.getTime());
    const first = sorted[0]!;
    const newest = sorted.at(-1)!;
    const updated = Math.max(...sorted.map((r) => (r.closed_at ?? r.started_at).getTime()));
    return {
      session_id: sessionId,
      user_id: first.user_id!,
      status: newest.run_status ?? statusFromExecution(newest.execution_status),
      created_at: first.started_at.toISOString(),
      updated_at: new Date(updated).toISOString(),
    };
  });
  return sessions.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
}

function statusFromExecution(status: string): string {
  return status === 'RUNNING' ? 'QUEUED' : status;
}

/** Approval records from the runs' memos, oldest request first; malformed records are skipped. */
export function inboxFromMemos(memos: readonly (Record<string, unknown> | undefined)[]): ApprovalRecord[] {
  const approvals: ApprovalRecord[] = [];
  for (const memo of memos) {
    const value = memo?.[PENDING_APPROVALS_MEMO];
    if (!Array.isArray(value)) continue;
    for (const item of value) {
      const parsed = ApprovalRecordSchema.safeParse(item);
      if (parsed.success && parsed.data.status === 'pending') approvals.push(parsed.data);
    }
  }
  return approvals.sort(
    (a, b) => a.requested_at.localeCompare(b.requested_at) || a.approval_id.localeCompare(b.approval_id),
  );
}

/** Held steps from the runs' memos, the longest-held first; malformed records are skipped. */
export function heldStepsFromMemos(memos: readonly (Record<string, unknown> | undefined)[]): AttentionRecord[] {
  const records = memos.flatMap((memo) => {
    const value = memo?.[ATTENTION_MEMO];
    return Array.isArray(value) ? value.flatMap((item) => AttentionRecordSchema.safeParse(item).data ?? []) : [];
  });
  return records.sort((a, b) => heldStepSortKey(a).localeCompare(heldStepSortKey(b)));
}

/** Held steps' order, also an attention page's cursor: when held, then run and step. */
export function heldStepSortKey(record: AttentionRecord): string {
  return `${record.attention.since}|${record.workflow_id}|${record.step_id}`;
}

export function runListingOf(info: WorkflowExecutionInfo): RunListing {
  return {
    workflow_id: info.workflowId,
    session_id: info.typedSearchAttributes.get(SearchAttributes.SessionId),
    user_id: info.typedSearchAttributes.get(SearchAttributes.UserId),
    run_status: info.typedSearchAttributes.get(SearchAttributes.RunStatus),
    execution_status: info.status.name,
    started_at: info.startTime,
    closed_at: info.closeTime,
  };
}

async function take<T>(iterable: AsyncIterable<T>, limit: number): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) {
    items.push(item);
    if (items.length >= limit) break;
  }
  return items;
}

export class Listings {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async sessionsOf(userId: string): Promise<SessionSummary[]> {
    const infos = await take(
      this.client.workflow.list({ query: sessionsQuery(this.taskQueue, userId) }),
      LISTING_LIMIT,
    );
    return groupSessions(infos.map(runListingOf));
  }
}
