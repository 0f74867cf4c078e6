/**
 * Everything the gateway asks Temporal about one run or session: start, query, decide, cancel.
 * Direct lookups only (workflow ids, queries, describe); listings live in visibility.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  isGrpcDeadlineError,
  WithStartWorkflowOperation,
  WorkflowUpdateStage,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { Config } from '../config.js';
import {
  FINAL_RUN_STATUSES,
  RunStatusSchema,
  type ApprovalDecision,
  type RequestInput,
  type RunStatus,
  type RunView,
  type TimelineEvent,
} from '../shared/contracts.js';
import {
  decideApprovalUpdate,
  REQUEST_WORKFLOW_TYPE,
  requestWorkflowIdFor,
  runQuery,
  SearchAttributes,
  SESSION_WORKFLOW_TYPE,
  sessionQuery,
  sessionRunStartedSignal,
  sessionWorkflowIdFor,
  timelineQuery,
  waitSettledUpdate,
  type DecisionOutcome,
  type SessionView,
} from '../shared/definitions.js';
import { withinBudget } from './budget.js';
import { ApiError, ErrorCode } from './errors.js';

export interface StartRequest {
  user_id: string;
  message: string;
  session_id?: string | undefined;
  /** The `Idempotency-Key` header: the same key (for the same user) always names the same run. */
  idempotencyKey?: string | undefined;
}

interface Progress {
  /** The run's view once it settled; undefined when the wait budget ran out first. */
  view: RunView | undefined;
  settled: boolean;
  /** From the run's search attributes when it had not settled (describe needs no worker). */
  status?: RunStatus;
  intent?: string;
}

export interface StartResult extends Progress {
  workflow_id: string;
  session_id: string;
}

function progressOf(description: WorkflowExecutionDescription): Pick<Progress, 'status' | 'intent'> {
  const status = RunStatusSchema.safeParse(description.typedSearchAttributes.get(SearchAttributes.RunStatus));
  const intent = description.typedSearchAttributes.get(SearchAttributes.Intent);
  return { status: status.success ? status.data : 'QUEUED', ...(intent !== undefined && { intent }) };
}

const STATIC_SUMMARY_MAX = 200;

/** The message on one line, at most 200 characters: the run's summary in the Web UI. */
export function summaryOf(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length <= STATIC_SUMMARY_MAX ? line : `${line.slice(0, STATIC_SUMMARY_MAX - 1)}…`;
}

/** 32 hex characters of SHA-256 over the parts, so keys of different users never collide. */
export function idempotencyDigest(userId: string, key: string): string {
  return createHash('sha256').update(`${userId}\n${key}`).digest('hex').slice(0, 32);
}

/** A UUID-shaped id derived from a digest: a retried keyed chat without session_id finds the same session. */
export function uuidFromDigest(hex: string): string {
  const h = createHash('sha256').update(`session\n${hex}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** How long a query may take before the run counts as unresponsive (no worker, or one far behind). */
export const DEFAULT_QUERY_TIMEOUT_MS = 5000;

/**
 * A query with a deadline: without a worker the server holds a query for tens of seconds, so a
 * slow answer is turned into a prompt 503 that says why.
 */
export async function queryWithDeadline<T>(client: Client, timeoutMs: number, run: () => Promise<T>): Promise<T> {
  try {
    return await client.withDeadline(Date.now() + timeoutMs, run);
  } catch (err) {
    if (isGrpcDeadlineError(err) || isGrpcDeadlineError((err as { cause?: unknown } | undefined)?.cause)) {
      throw new ApiError(503, ErrorCode.RunUnresponsive, `The run did not answer within ${timeoutMs} ms (is a worker polling its task queue?)`);
    }
    throw err;
  }
}

export class Runs {
  constructor(
    private readonly client: Client,
    private readonly config: Config,
    private readonly queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS,
  ) {}

  private query<T>(run: () => Promise<T>): Promise<T> {
    return queryWithDeadline(this.client, this.queryTimeoutMs, run);
  }

  handle(workflowId: string): WorkflowHandle {
    return this.client.workflow.getHandle(workflowId);
  }

  /** The `run` query's answer; 404 for an unknown id or a workflow that is not a request. */
  async getRun(workflowId: string): Promise<RunView> {
    try {
      return await this.query(() => this.handle(workflowId).query(runQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw ApiError.notFound(`No workflow ${workflowId}`);
      throw err;
    }
  }

  async getTimeline(workflowId: string, afterSeq = 0): Promise<TimelineEvent[]> {
    return this.query(() => this.handle(workflowId).query(timelineQuery, afterSeq));
  }

  async getSession(sessionId: string): Promise<SessionView> {
    try {
      return await this.query(() => this.handle(sessionWorkflowIdFor(sessionId)).query(sessionQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw ApiError.notFound(`No session ${sessionId}`);
      throw err;
    }
  }

  /** The session's latest run; 404 when the session is unknown or has none. */
  async latestRunOf(sessionId: string): Promise<RunView> {
    const session = await this.getSession(sessionId);
    const latest = session.runs.at(-1);
    if (!latest) throw ApiError.notFound(`Session ${sessionId} has no runs`);
    return this.getRun(latest.workflow_id);
  }

  /** Who owns a session, read with describe (strongly consistent, no worker needed); undefined if new. */
  async sessionOwner(sessionId: string): Promise<string | undefined> {
    try {
      const description = await this.handle(sessionWorkflowIdFor(sessionId)).describe();
      return description.typedSearchAttributes.get(SearchAttributes.UserId);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  private async findRun(workflowId: string): Promise<RunView | undefined> {
    try {
      await this.handle(workflowId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
    return this.getRun(workflowId);
  }

  /**
   * Starts a request workflow (or attaches to the keyed one) and records it in its session, then
   * waits for the run to settle for at most `budgetMs`.
   */
  async start(request: StartRequest, budgetMs: number): Promise<StartResult> {
    const digest = request.idempotencyKey !== undefined ? idempotencyDigest(request.user_id, request.idempotencyKey) : undefined;
    const workflowId = requestWorkflowIdFor(digest ?? randomUUID());
    let sessionId = request.session_id ?? (digest ? uuidFromDigest(digest) : randomUUID());

    if (request.session_id !== undefined) {
      const owner = await this.sessionOwner(request.session_id);
      if (owner !== undefined && owner !== request.user_id) throw ApiError.forbidden(`Session ${request.session_id} belongs to another user`);
    }
    const existing = digest ? await this.findRun(workflowId) : undefined;
    if (existing) {
      if (existing.message !== request.message || (request.session_id !== undefined && existing.session_id !== request.session_id)) {
        throw ApiError.conflict('This Idempotency-Key was already used for a different request');
      }
      sessionId = existing.session_id;
    }

    const input: RequestInput = { user_id: request.user_id, session_id: sessionId, message: request.message };
    const [outcome] = await Promise.all([
      existing && FINAL_RUN_STATUSES.includes(existing.status)
        ? Promise.resolve({ view: existing, settled: true })
        : this.startAndWait(workflowId, input, budgetMs),
      this.recordInSession(sessionId, request.user_id, { workflow_id: workflowId, message: request.message }),
    ]);
    return { workflow_id: workflowId, session_id: sessionId, ...outcome };
  }

  private async recordInSession(sessionId: string, userId: string, run: { workflow_id: string; message: string }): Promise<void> {
    await this.client.workflow.signalWithStart(SESSION_WORKFLOW_TYPE, {
      workflowId: sessionWorkflowIdFor(sessionId),
      taskQueue: this.config.TASK_QUEUE,
      args: [{ session_id: sessionId, user_id: userId }],
      signal: sessionRunStartedSignal,
      signalArgs: [{ ...run, started_at: new Date().toISOString() }],
      typedSearchAttributes: [
        { key: SearchAttributes.UserId, value: userId },
        { key: SearchAttributes.SessionId, value: sessionId },
      ],
      staticSummary: `Chat session of ${userId}`,
    });
  }

  private async startAndWait(workflowId: string, input: RequestInput, budgetMs: number): Promise<Progress> {
    const startWorkflowOperation = new WithStartWorkflowOperation(REQUEST_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: this.config.TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A keyed run that already finished is answered from its result, never started again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: SearchAttributes.UserId, value: input.user_id },
        { key: SearchAttributes.SessionId, value: input.session_id },
        { key: SearchAttributes.RunStatus, value: 'QUEUED' },
      ],
      staticSummary: summaryOf(input.message),
    });
    const abort = new AbortController();
    const update = this.client.withAbortSignal(abort.signal, () =>
      this.client.workflow.executeUpdateWithStart(waitSettledUpdate, { startWorkflowOperation }),
    );
    // The handle promise rejects too when the start fails; that failure surfaces through `update`.
    startWorkflowOperation.workflowHandle().catch(() => undefined);
    try {
      const raced = await withinBudget(update, budgetMs);
      if (raced.done) return { view: raced.value, settled: true };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { view: await this.getRun(workflowId), settled: true };
      throw err;
    }
    // Out of budget: make sure the run exists before answering RUNNING, then stop waiting for it.
    // Describe, not a query: it needs no worker, so it answers even while none is polling.
    let description: WorkflowExecutionDescription;
    try {
      description = await this.handle(workflowId).describe();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const view = await update;
      return { view, settled: true };
    }
    abort.abort();
    update.catch(() => undefined);
    return { view: undefined, settled: false, ...progressOf(description) };
  }

  /**
   * Sends a decision with the decideApproval update and waits, within the budget, until the run
   * acted on it. Refusals by the workflow (unknown, already decided, four eyes) throw and map to
   * 404/409/403 in onError.
   */
  async decide(workflowId: string, decision: ApprovalDecision, budgetMs: number): Promise<DecisionOutcome | undefined> {
    const deadline = Date.now() + budgetMs;
    const abort = new AbortController();
    const accepted = this.client.withAbortSignal(abort.signal, () =>
      this.handle(workflowId).startUpdate(decideApprovalUpdate, { args: [decision], waitForStage: WorkflowUpdateStage.ACCEPTED }),
    );
    const acceptance = await withinBudget(accepted, budgetMs);
    if (!acceptance.done) {
      // Only an accepted update is durable; say so rather than claim the decision was recorded.
      abort.abort();
      accepted.catch(() => undefined);
      throw new ApiError(
        503,
        ErrorCode.RunUnresponsive,
        `The run did not take the decision within ${budgetMs} ms (is a worker running?). It may still apply it: check the approval before deciding again.`,
      );
    }
    const result = this.client.withAbortSignal(abort.signal, () => acceptance.value.result());
    const raced = await withinBudget(result, Math.max(0, deadline - Date.now()));
    if (raced.done) return raced.value;
    abort.abort();
    result.catch(() => undefined);
    return undefined;
  }

  /** Requests cancellation and waits, within the budget, for the run to close. */
  async cancel(workflowId: string, budgetMs: number): Promise<RunView> {
    const handle = this.handle(workflowId);
    await handle.cancel();
    const abort = new AbortController();
    const closed = this.client.withAbortSignal(abort.signal, () => handle.result()).catch(() => undefined);
    const raced = await withinBudget(closed, budgetMs);
    if (!raced.done) abort.abort();
    return this.getRun(workflowId);
  }
}
