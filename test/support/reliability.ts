/**
 * Shared checks of the reliability tests: the gateway's view of a run, the sandbox ledger, and
 * what visibility lists on a task queue, each read over the same interfaces users and engineers use.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  ApprovalDecisionSchema,
  type ApprovalDecision,
  type RunStatus,
  type TimelineEvent,
} from '../../src/shared/contracts.js';
import { approvalDecisionSignal, approvalDecisionUpdate, sessionWorkflowIdFor } from '../../src/shared/messages.js';
import { firstRunIdOf } from '../../gateway/session-lookup.js';
import { call, type JsonResponse, type Loose } from './http.js';
import { waitFor } from '../../dev/ports.js';
import { ledgerEntries, type LedgerEntry } from './sandbox-ledger.js';

export const LIFE_OS_SENTENCE = 'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries';

/** The ledger entries of `account` written with idempotency key `key` (newest 500 entries). */
export async function ledgerEntriesFor(sandboxUrl: string, account: string, key: string): Promise<LedgerEntry[]> {
  return (await ledgerEntries(sandboxUrl, account)).filter((e) => e.idempotency_key === key);
}

/**
 * A GET through the gateway, sent again while it answers 503 ("try again shortly": a query can
 * miss the gateway's deadline while the worker is busy on a loaded machine). Any other answer is
 * returned as it is.
 */
export async function get<T = Loose>(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<JsonResponse<T>> {
  let last: JsonResponse<T> | undefined;
  await waitFor(
    async () => {
      last = await call<T>(baseUrl, 'GET', path, undefined, headers);
      return last.status !== 503 || undefined;
    },
    { timeoutMs, what: `GET ${path} to answer something else than 503 (last: ${JSON.stringify(last?.body)})` },
  );
  return last!;
}

/** The run's timeline through the gateway. */
export async function timelineOf(
  baseUrl: string,
  workflowId: string,
  headers: Record<string, string> = {},
): Promise<TimelineEvent[]> {
  const res = await get<{ events: TimelineEvent[] }>(baseUrl, `/api/workflows/${workflowId}/timeline`, headers);
  if (res.status !== 200)
    throw new Error(`timeline of ${workflowId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.events;
}

/** Waits until the run's timeline has an event named `name`; returns the whole timeline. */
export function waitForEvent(
  baseUrl: string,
  workflowId: string,
  name: string,
  timeoutMs = 20_000,
): Promise<TimelineEvent[]> {
  return waitFor(
    async () => {
      const events = await timelineOf(baseUrl, workflowId);
      return events.some((e) => e.event === name) ? events : undefined;
    },
    { timeoutMs, what: `${name} in the timeline of ${workflowId}` },
  );
}

/** Waits until the gateway shows the run in one of `statuses`. */
export function waitForStatus(
  baseUrl: string,
  workflowId: string,
  statuses: RunStatus[],
  timeoutMs = 20_000,
  headers: Record<string, string> = {},
): Promise<RunStatus> {
  return waitFor(
    async () => {
      const res = await call<{ status: RunStatus }>(baseUrl, 'GET', `/api/workflows/${workflowId}`, undefined, headers);
      return res.status === 200 && statuses.includes(res.body.status) ? res.body.status : undefined;
    },
    { timeoutMs, what: `${workflowId} to be ${statuses.join(' or ')}` },
  );
}

/** Timeline invariants: seq is 1, 2, 3, ... with no gap or repeat. */
export function seqsAreContiguous(events: readonly TimelineEvent[]): boolean {
  return events.every((e, i) => e.seq === i + 1);
}

/** Ids of every execution visibility lists on the task queue (request and session workflows). */
export async function workflowIdsOnQueue(client: Client, taskQueue: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const info of client.workflow.list({ query: `TaskQueue='${taskQueue}'` })) ids.push(info.workflowId);
  return ids.sort();
}

/**
 * Waits until visibility lists exactly `expected` on the task queue and returns what it listed;
 * fails (naming the difference) when it settles on something else. Visibility lags, so callers
 * end with a run they started themselves: once it shows, everything started before it shows too.
 */
export async function expectExactlyOnQueue(
  client: Client,
  taskQueue: string,
  expected: readonly string[],
  timeoutMs = 20_000,
): Promise<void> {
  const want = [...new Set(expected)].sort();
  let last: string[] = [];
  try {
    await waitFor(
      async () => {
        last = await workflowIdsOnQueue(client, taskQueue);
        return want.every((id) => last.includes(id)) || undefined;
      },
      { timeoutMs, what: `visibility to list ${want.length} executions on ${taskQueue}` },
    );
  } catch (err) {
    throw new Error(`${String(err)}; missing: ${want.filter((id) => !last.includes(id)).join(', ')}`);
  }
  const extra = last.filter((id) => !want.includes(id));
  if (extra.length > 0) throw new Error(`unexpected executions on ${taskQueue}: ${extra.join(', ')}`);
}

/**
 * The executions a chat started: its run, and its session's workflow unless the run opened the
 * session alone (a chat without session_id; the session's workflow starts with its second run).
 */
export function executionsOfChat(reply: { workflow_id: string; session_id: string }): string[] {
  const opensSessionAlone = reply.workflow_id === firstRunIdOf(reply.session_id);
  return opensSessionAlone ? [reply.workflow_id] : [reply.workflow_id, sessionWorkflowIdFor(reply.session_id)];
}

/** The run's view once it has settled: finished, or waiting for approval. */
export function settledRunView(baseUrl: string, workflowId: string): Promise<Loose> {
  return waitFor(
    async () => {
      const view = (await call(baseUrl, 'GET', `/api/workflows/${workflowId}`)).body;
      return ['COMPLETED', 'WAITING_APPROVAL', 'FAILED', 'REJECTED'].includes(view.status) ? view : undefined;
    },
    { timeoutMs: 60_000, what: `${workflowId} to settle` },
  );
}

/** A stack trace line as V8 prints it. */
export const STACK_TRACE_LINE = /^\s{4}at /m;

/** A decision as Temporal recorded it: the approvalDecision update or signal. */
export interface RecordedDecision {
  via: 'update' | 'signal';
  decision: ApprovalDecision;
  eventId: number;
  /** When the server recorded the event (ms since the epoch). */
  eventTimeMs: number;
  /**
   * The workflow task that handled it: started no later than it was handled, completed no earlier.
   * Workflow time (and so the timeline's timestamp) is the task's start time.
   */
  taskStartedMs: number;
  taskCompletedMs: number;
}

function timestampMs(
  ts: { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined,
): number {
  if (!ts) throw new Error('history event without a time');
  return Number(String(ts.seconds ?? 0)) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/**
 * Every decision in a run's history, in history order, decoded with the default payload converter.
 * An update is accepted in the task that handled it (the task's events come just before it); a
 * signal is handled by the first task that starts after it.
 */
export async function decisionsInHistory(handle: WorkflowHandle): Promise<RecordedDecision[]> {
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const isStarted = (i: number) => events[i]?.workflowTaskStartedEventAttributes != null;
  const isCompleted = (i: number) => events[i]?.workflowTaskCompletedEventAttributes != null;
  const decisions: RecordedDecision[] = [];
  events.forEach((event, index) => {
    const update = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    const signal = event.workflowExecutionSignaledEventAttributes;
    let via: RecordedDecision['via'];
    let payload: Payload | undefined;
    if (update?.name === approvalDecisionUpdate.name) {
      via = 'update';
      payload = update.args?.payloads?.[0] ?? undefined;
    } else if (signal?.signalName === approvalDecisionSignal.name) {
      via = 'signal';
      payload = signal.input?.payloads?.[0] ?? undefined;
    } else {
      return;
    }
    if (!payload) throw new Error(`decision event ${event.eventId} carries no payload`);
    const decision = ApprovalDecisionSchema.parse(defaultPayloadConverter.fromPayload(payload));
    let started: (typeof events)[number] | undefined;
    let completed: (typeof events)[number] | undefined;
    if (via === 'update') {
      for (let i = index - 1; i >= 0 && !(started && completed); i--) {
        if (!completed && isCompleted(i)) completed = events[i];
        if (!started && isStarted(i)) started = events[i];
      }
    } else {
      for (let i = index + 1; i < events.length && !(started && completed); i++) {
        if (!started && isStarted(i)) started = events[i];
        else if (started && isCompleted(i)) completed = events[i];
      }
    }
    if (!started || !completed) throw new Error(`no workflow task around decision event ${event.eventId}`);
    decisions.push({
      via,
      decision,
      eventId: Number(String(event.eventId)),
      eventTimeMs: timestampMs(event.eventTime),
      taskStartedMs: timestampMs(started.eventTime),
      taskCompletedMs: timestampMs(completed.eventTime),
    });
  });
  return decisions;
}

/** The decisions a timeline records (applied or ignored), in timeline order. */
export function decisionsInTimeline(
  events: readonly TimelineEvent[],
): { event: TimelineEvent; decision: ApprovalDecision }[] {
  const out: { event: TimelineEvent; decision: ApprovalDecision }[] = [];
  for (const event of events) {
    const m = event.metadata as { decided_by?: string; approver_id?: string; approved?: boolean; reason?: string };
    if (event.event === 'approval_approved' || event.event === 'approval_rejected') {
      out.push({
        event,
        decision: {
          approval_id: event.approval_id!,
          approved: event.event === 'approval_approved',
          approver_id: m.decided_by!,
          ...(m.reason !== undefined && { reason: m.reason }),
        },
      });
    } else if (event.event === 'approval_ignored') {
      out.push({
        event,
        decision: { approval_id: event.approval_id!, approved: m.approved!, approver_id: m.approver_id! },
      });
    }
  }
  return out;
}

/** Submits a request through the Life-OS route and answers its workflow id (the submit must succeed). */
export async function submitRequest(baseUrl: string, message: string, userId = 'default_user'): Promise<string> {
  const res = await call(baseUrl, 'POST', '/api/workflows/submit', { intent: message, user_id: userId });
  if (res.status !== 200) throw new Error(`submit answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.workflow_id as string;
}
