/**
 * What the gateway asks Temporal about one run or session: queries and cancellation. Direct
 * lookups only (workflow ids, queries, describe); starting runs is in start-run.ts, decisions in
 * approvals/ and listings in visibility.ts.
 */
import { QueryNotRegisteredError, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  FINAL_RUN_STATUSES,
  RunResultSchema,
  type RunResult,
  type RunView,
  type TimelineEvent,
} from '../src/shared/contracts.js';
import {
  REQUEST_WORKFLOW_TYPE,
  runQuery,
  sessionQuery,
  sessionWorkflowIdFor,
  timelineQuery,
  type SessionView,
} from '../src/shared/messages.js';
import { assertCanRead, type Identity } from './auth.js';
import { withinBudget } from './budget.js';
import { ApiError, ErrorCode } from './errors.js';
import { DEFAULT_QUERY_TIMEOUT_MS, queryWithDeadline } from './query-deadline.js';
import { describeRun, staleRunView, type RunDescription } from './run-description.js';
import { sessionOfFirstRun } from './session-lookup.js';
import { visibilityLiteral } from './visibility.js';

/** Of a status read's budget, the part kept back for describe and visibility when the query does not answer. */
function memoReserveMs(budgetMs: number): number {
  return Math.min(1500, Math.floor(budgetMs / 3));
}

/**
 * A query that produced no answer from the run: none within the deadline (no worker, or one far
 * behind), or one the worker failed. The SDK reports every failed query, a replay that hit
 * nondeterminism included, as QueryNotRegisteredError (the server answers INVALID_ARGUMENT).
 */
function queryGotNoAnswer(err: unknown): boolean {
  return (err instanceof ApiError && err.code === ErrorCode.RunUnresponsive) || err instanceof QueryNotRegisteredError;
}

export class Runs {
  constructor(
    readonly client: Client,
    private readonly queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS,
  ) {}

  private query<T>(run: () => Promise<T>): Promise<T> {
    return queryWithDeadline(this.client, this.queryTimeoutMs, run);
  }

  handle(workflowId: string): WorkflowHandle {
    return this.client.workflow.getHandle(workflowId);
  }

  /** The run as Temporal describes it (no worker needed), within `timeoutMs` when given; undefined when unknown. */
  describe(workflowId: string, timeoutMs?: number): Promise<RunDescription | undefined> {
    return describeRun(this.client, workflowId, timeoutMs);
  }

  /** The `run` query's answer; 404 for an unknown id or a workflow that is not a request. */
  async getRun(workflowId: string): Promise<RunView> {
    try {
      return await this.query(() => this.handle(workflowId).query(runQuery));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw ApiError.notFound(`No workflow ${workflowId}`);
      const finished = await this.finishedResult(workflowId, err);
      const { timeline: _timeline, ...view } = finished;
      return view;
    }
  }

  /** The run, or 404 (the same answer as for an unknown id) when the caller may not see it. */
  async visibleRun(workflowId: string, identity: Identity): Promise<RunView> {
    const view = await this.getRun(workflowId);
    assertCanRead(identity, view.user_id, `No workflow ${workflowId}`);
    return view;
  }

  /** For a status read: the run, or its memo view (`stale`) when no worker answers in time. */
  async visibleRunOrMemo(workflowId: string, identity: Identity): Promise<RunView> {
    const view = await this.getRunOrMemo(workflowId);
    assertCanRead(identity, view.user_id, `No workflow ${workflowId}`);
    return view;
  }

  /** For a stream and its ticket: only the run's owner is checked, and that needs no worker. */
  async assertCanFollow(workflowId: string, identity: Identity): Promise<void> {
    assertCanRead(identity, await this.ownerOf(workflowId), `No workflow ${workflowId}`);
  }

  /**
   * A status read that answers within the budget: the `run` query when a worker answers in time,
   * else what Temporal keeps without a worker (see answerWithoutQuery). Decisions keep using
   * getRun, which never answers from the memo.
   */
  async getRunOrMemo(workflowId: string, budgetMs = this.queryTimeoutMs): Promise<RunView> {
    const deadline = Date.now() + budgetMs;
    try {
      return await queryWithDeadline(this.client, budgetMs - memoReserveMs(budgetMs), () =>
        this.handle(workflowId).query(runQuery),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw ApiError.notFound(`No workflow ${workflowId}`);
      if (!queryGotNoAnswer(err)) throw err;
      return this.answerWithoutQuery(workflowId, err, () => Math.max(1, deadline - Date.now()));
    }
  }

  /**
   * A run whose query got no answer, read from describe (no worker needed): a completed run's
   * result, else the memo view marked `stale`. A workflow that is not a request run keeps the
   * query's 404.
   */
  private async answerWithoutQuery(workflowId: string, queryError: unknown, remaining: () => number): Promise<RunView> {
    const description = await this.describe(workflowId, remaining());
    if (!description) throw ApiError.notFound(`No workflow ${workflowId}`);
    if (!description.isRequest)
      throw queryError instanceof QueryNotRegisteredError ? ApiError.notFound('No such request workflow') : queryError;
    if (description.execution === 'COMPLETED') {
      const parsed = RunResultSchema.safeParse(
        await queryWithDeadline(this.client, remaining(), () => this.handle(workflowId).result()),
      );
      if (parsed.success) {
        const { timeline: _timeline, ...view } = parsed.data;
        return view;
      }
    }
    return staleRunView(description);
  }

  /**
   * The session's latest run for a status read, within the budget: when the session's query does
   * not answer, its latest run as visibility lists it (which may trail a run started a moment ago).
   */
  async latestRunOrMemo(sessionId: string, budgetMs = this.queryTimeoutMs): Promise<RunView> {
    const deadline = Date.now() + budgetMs;
    let latestId: string | undefined;
    try {
      const session = await queryWithDeadline(this.client, budgetMs - memoReserveMs(budgetMs), () =>
        this.handle(sessionWorkflowIdFor(sessionId)).query(sessionQuery),
      );
      latestId = session.runs.at(-1)?.workflow_id;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        const firstRun = await sessionOfFirstRun(this.client, sessionId, Math.max(1, deadline - Date.now()));
        if (!firstRun) throw ApiError.notFound(`No session ${sessionId}`);
        latestId = firstRun.runs[0]?.workflow_id;
      } else if (queryGotNoAnswer(err)) {
        latestId = await this.latestListedRunOf(sessionId, Math.max(1, deadline - Date.now()));
        // The session exists and has runs visibility does not list yet: the truth is "try again", not 404.
        if (!latestId) throw err;
      } else {
        throw err;
      }
    }
    if (!latestId) throw ApiError.notFound(`Session ${sessionId} has no runs`);
    return this.getRunOrMemo(latestId, Math.max(memoReserveMs(budgetMs), deadline - Date.now()));
  }

  private async latestListedRunOf(sessionId: string, budgetMs: number): Promise<string | undefined> {
    const query = `WorkflowType='${REQUEST_WORKFLOW_TYPE}' AND SessionId=${visibilityLiteral(sessionId)}`;
    return queryWithDeadline(this.client, budgetMs, async () => {
      let latest: { id: string; start: number } | undefined;
      for await (const info of this.client.workflow.list({ query })) {
        const start = info.startTime.getTime();
        if (!latest || start > latest.start) latest = { id: info.workflowId, start };
      }
      return latest?.id;
    });
  }

  async getTimeline(workflowId: string, afterSeq = 0): Promise<TimelineEvent[]> {
    try {
      return await this.query(() => this.handle(workflowId).query(timelineQuery, afterSeq));
    } catch (err) {
      const finished = await this.finishedResult(workflowId, err);
      return finished.timeline.filter((event) => event.seq > afterSeq);
    }
  }

  /**
   * A query that found no worker in time is answered from the run's result when the run has
   * completed (the result is in its history); otherwise the query's error stands.
   */
  private async finishedResult(workflowId: string, queryError: unknown): Promise<RunResult> {
    if (!(queryError instanceof ApiError && queryError.code === ErrorCode.RunUnresponsive)) throw queryError;
    const description = await this.describe(workflowId, this.queryTimeoutMs);
    if (!description) throw ApiError.notFound(`No workflow ${workflowId}`);
    if (description.execution !== 'COMPLETED') throw queryError;
    const parsed = RunResultSchema.safeParse(await this.query(() => this.handle(workflowId).result()));
    if (!parsed.success) throw queryError;
    return parsed.data;
  }

  async getSession(sessionId: string): Promise<SessionView> {
    try {
      return await this.query(() => this.handle(sessionWorkflowIdFor(sessionId)).query(sessionQuery));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const firstRun = await sessionOfFirstRun(this.client, sessionId, this.queryTimeoutMs);
      if (!firstRun) throw ApiError.notFound(`No session ${sessionId}`);
      return firstRun;
    }
  }

  /** The session's latest run; 404 when the session is unknown or has none. */
  async latestRunOf(sessionId: string): Promise<RunView> {
    const session = await this.getSession(sessionId);
    const latest = session.runs.at(-1);
    if (!latest) throw ApiError.notFound(`Session ${sessionId} has no runs`);
    return this.getRun(latest.workflow_id);
  }

  /**
   * A run as its last workflow task published it (search attributes and memo: the approvals it
   * waits for), read with describe within the query budget; no worker needed.
   */
  async published(workflowId: string): Promise<RunDescription | undefined> {
    return this.describe(workflowId, this.queryTimeoutMs);
  }

  /**
   * Who a request run belongs to, read with describe: no worker needed, so the many clients of
   * one run's stream cost it no query each. 404 for an unknown id or a workflow that is not a request.
   */
  async ownerOf(workflowId: string): Promise<string> {
    const description = await this.describe(workflowId, this.queryTimeoutMs);
    if (!description?.isRequest) throw ApiError.notFound(`No workflow ${workflowId}`);
    // Set at start by the gateway; a run started by hand has it once it first published.
    return description.user_id ?? (await this.getRun(workflowId)).user_id;
  }

  /**
   * Requests cancellation and waits, within the budget, for the run to close. 409
   * already_finished when the run had closed, or closed with nothing cancelled (every step had
   * already finished: a decision or the last step won the race).
   */
  async cancel(workflowId: string, budgetMs: number): Promise<RunView> {
    const handle = this.handle(workflowId);
    try {
      await handle.cancel();
    } catch (err) {
      // The run closed between the caller's status check and this request.
      if (err instanceof WorkflowNotFoundError)
        throw ApiError.alreadyFinished(`Run ${workflowId} has already finished`);
      throw err;
    }
    const abort = new AbortController();
    const closed = this.client.withAbortSignal(abort.signal, () => handle.result()).catch(() => undefined);
    const raced = await withinBudget(closed, budgetMs);
    if (!raced.done) abort.abort();
    const view = await this.getRun(workflowId);
    if (FINAL_RUN_STATUSES.includes(view.status) && !cancelTookEffect(view)) {
      throw ApiError.alreadyFinished(
        `Run ${workflowId} ended ${view.status} with every step finished; nothing was cancelled`,
      );
    }
    return view;
  }
}

/**
 * A cancel stopped something: the run ended CANCELLED and a step or approval was cancelled (or it
 * had no steps yet).
 */
export function cancelTookEffect(view: Pick<RunView, 'status' | 'steps' | 'approvals'>): boolean {
  if (view.status !== 'CANCELLED') return false;
  return (
    view.steps.length === 0 ||
    view.steps.some((s) => s.state === 'CANCELLED') ||
    view.approvals.some((a) => a.status === 'cancelled')
  );
}
