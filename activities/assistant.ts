/**
 * The assistant's tools: the requester's balance and transfers (sandbox reads), the status of
 * their requests, what they are waiting for, and which run a cancel applies to (Temporal reads).
 * Every Temporal read is limited to the caller's own runs: a run of someone else is answered
 * exactly like a run that does not exist.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import {
  ApprovalRecordSchema,
  FINAL_RUN_STATUSES,
  IdentitySchema,
  type ApprovalRecord,
  type RunView,
  type ToolArgs,
  type ToolCall,
} from '../src/shared/contracts.js';
import { ASSISTANT_TOOL_INTENTS } from '../src/shared/planner-contracts.js';
import {
  PENDING_APPROVALS_MEMO,
  REQUEST_WORKFLOW_TYPE,
  runQuery,
  SearchAttributes,
  sessionQuery,
  sessionWorkflowIdFor,
} from '../src/shared/messages.js';
import { FailureType } from '../src/shared/errors.js';
import {
  balanceMessage,
  cancelMessage,
  historyMessage,
  notCancellableMessage,
  pendingMessage,
  statusMessage,
  summarise,
  type RequestSummary,
} from './assistant-messages.js';
import { SandboxClient } from './sandbox-client.js';
import { whileHeartbeating } from './heartbeat.js';

export interface AssistantActivityDeps {
  sandboxUrl: string;
  /** The sandbox's service credential (SANDBOX_TOKEN). */
  sandboxToken: string;
  requestTimeoutMs?: number;
  /** Reads runs for status, pending approvals and cancel; without it those tools fail, saying so. */
  temporal?: { client: Client; taskQueue: string };
}

/** What an assistant tool receives: a tool call plus the run's session, where its latest runs are known at once. */
export type AssistantCall<A> = ToolCall<A> & { session_id?: string };

const AccountSchema = z.object({ id: z.string(), balance_cents: z.number().int() });
const TransfersSchema = z.object({
  account_id: z.string(),
  transfers: z.array(
    z.object({
      transfer_id: z.string(),
      direction: z.enum(['in', 'out']),
      counterparty: z.string(),
      amount_cents: z.number().int(),
      created_at: z.string(),
    }),
  ),
});

/** Runs looked at when searching for the user's last request. */
const CANDIDATES = 20;
/** Intents that are questions or cancels: never "my last request" themselves. */
const ASSISTANT_INTENTS: ReadonlySet<string> = new Set(Object.values(ASSISTANT_TOOL_INTENTS));
const QUERY_DEADLINE_MS = 5000;

function fail(type: FailureType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

function literal(value: string): string {
  const id = IdentitySchema.parse(value);
  return `'${id.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function createAssistantActivities(deps: AssistantActivityDeps) {
  const sandbox = new SandboxClient({
    baseUrl: deps.sandboxUrl,
    token: deps.sandboxToken,
    timeoutMs: deps.requestTimeoutMs,
  });

  function temporal(): { client: Client; taskQueue: string } {
    if (!deps.temporal)
      throw fail(
        FailureType.BusinessRuleViolation,
        'This worker was started without a Temporal client, so it cannot read requests.',
      );
    return deps.temporal;
  }

  function signal(): AbortSignal {
    const ctx = Context.current();
    if (!ctx.info.isLocal) ctx.heartbeat();
    return ctx.cancellationSignal;
  }

  /** The run's view if it is the caller's, else undefined (unknown and foreign look the same). */
  async function ownRun(workflowId: string, userId: string): Promise<RunView | undefined> {
    const { client } = temporal();
    try {
      const view = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        client.workflow.getHandle(workflowId).query(runQuery),
      );
      return view.user_id === userId ? view : undefined;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /**
   * The caller's newest request other than this one and other than questions: from the session
   * (strongly consistent, so a request made a moment ago counts) and from visibility (other sessions).
   */
  async function lastRequest(call: AssistantCall<unknown>, selfId: string | undefined): Promise<RunView | undefined> {
    const { client, taskQueue } = temporal();
    const started = new Map<string, number>();
    if (call.session_id !== undefined) {
      try {
        const session = await client.workflow.getHandle(sessionWorkflowIdFor(call.session_id)).query(sessionQuery);
        for (const run of session.runs) started.set(run.workflow_id, Date.parse(run.started_at));
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    const query =
      `WorkflowType='${REQUEST_WORKFLOW_TYPE}' AND TaskQueue=${literal(taskQueue)}` +
      ` AND UserId=${literal(call.user_id)}`;
    let listed = 0;
    for await (const info of client.workflow.list({ query, pageSize: 100 })) {
      if (!started.has(info.workflowId)) started.set(info.workflowId, info.startTime.getTime());
      if (++listed >= 200) break;
    }
    const newestFirst = [...started].filter(([id]) => id !== selfId).sort((a, b) => b[1] - a[1]);
    for (const [workflowId] of newestFirst.slice(0, CANDIDATES)) {
      const view = await ownRun(workflowId, call.user_id);
      if (view && !ASSISTANT_INTENTS.has(view.intent)) return view;
    }
    return undefined;
  }

  async function findRequest(
    call: AssistantCall<{ workflow_id?: string }>,
  ): Promise<{ view: RunView; named: boolean }> {
    const selfId = Context.current().info.workflowExecution?.workflowId;
    const named = call.args.workflow_id;
    const view = named === undefined ? await lastRequest(call, selfId) : await ownRun(named, call.user_id);
    if (!view) {
      throw fail(
        FailureType.RequestNotFound,
        named === undefined ? 'You have no earlier request.' : `You have no request ${named}.`,
      );
    }
    return { view, named: named !== undefined };
  }

  return {
    async accountBalance(call: AssistantCall<ToolArgs<'account_balance'>>) {
      const account = await sandbox.get(`/api/accounts/${encodeURIComponent(call.args.account_id)}`, AccountSchema, {
        signal: signal(),
      });
      return {
        account_id: account.id,
        balance_cents: account.balance_cents,
        message: balanceMessage(account.balance_cents),
      };
    },

    async transferHistory(call: AssistantCall<ToolArgs<'transfer_history'>>) {
      const { account_id, limit, since } = call.args;
      const query = new URLSearchParams({ limit: String(limit), ...(since !== undefined && { since }) });
      const found = await sandbox.get(
        `/api/accounts/${encodeURIComponent(account_id)}/transfers?${query}`,
        TransfersSchema,
        { signal: signal() },
      );
      return {
        account_id,
        ...(since !== undefined && { since }),
        transfers: found.transfers,
        message: historyMessage(found.transfers, since),
      };
    },

    async requestStatus(
      call: AssistantCall<ToolArgs<'request_status'>>,
    ): Promise<{ request: RequestSummary; message: string }> {
      signal();
      const { view, named } = await whileHeartbeating(() => findRequest(call));
      const request = summarise(view);
      return { request, message: statusMessage(request, named) };
    },

    /** The caller's pending approvals as a requester (eventually consistent, like the inbox). */
    async pendingApprovals(
      call: AssistantCall<ToolArgs<'pending_approvals'>>,
    ): Promise<{ approvals: ApprovalRecord[]; message: string }> {
      signal();
      const { client, taskQueue } = temporal();
      const query =
        `WorkflowType='${REQUEST_WORKFLOW_TYPE}' AND TaskQueue=${literal(taskQueue)} AND ExecutionStatus='Running'` +
        ` AND PendingApprovalIds IS NOT NULL AND UserId=${literal(call.user_id)}`;
      const approvals = await whileHeartbeating(async () => {
        const found: ApprovalRecord[] = [];
        for await (const info of client.workflow.list({ query })) {
          const records = info.memo?.[PENDING_APPROVALS_MEMO];
          if (!Array.isArray(records) || info.typedSearchAttributes.get(SearchAttributes.UserId) !== call.user_id)
            continue;
          for (const record of records) {
            const parsed = ApprovalRecordSchema.safeParse(record);
            if (parsed.success && parsed.data.status === 'pending') found.push(parsed.data);
          }
          if (found.length >= 100) break;
        }
        return found;
      });
      approvals.sort((a, b) => a.requested_at.localeCompare(b.requested_at));
      return { approvals, message: pendingMessage(approvals) };
    },

    /**
     * Which run "cancel ..." means, checked: the caller's own, not the cancelling run, not
     * finished. The workflow then cancels it, as the cancel route does.
     */
    async findCancellableRequest(
      call: AssistantCall<ToolArgs<'cancel_request'>>,
    ): Promise<{ request: RequestSummary; message: string }> {
      signal();
      const selfId = Context.current().info.workflowExecution?.workflowId;
      if (call.args.workflow_id === selfId)
        throw fail(FailureType.NotCancellable, 'That is this request itself; name another request to cancel.');
      const { view, named } = await whileHeartbeating(() => findRequest(call));
      const request = summarise(view);
      if (FINAL_RUN_STATUSES.includes(view.status))
        throw fail(FailureType.NotCancellable, notCancellableMessage(request, named));
      return { request, message: cancelMessage(request) };
    },
  };
}
