/**
 * What the gateway asks Temporal about one run or session: queries, decisions, cancellation.
 * Direct lookups only (workflow ids, queries, describe); starting runs is in start-run.ts and
 * listings are in visibility.ts.
 */
import { WorkflowUpdateStage, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { RunResultSchema, type ApprovalDecision, type RunResult, type RunView, type TimelineEvent } from '../shared/contracts.js';
import {
  decideApprovalUpdate,
  runQuery,
  SearchAttributes,
  sessionQuery,
  sessionWorkflowIdFor,
  timelineQuery,
  type DecisionOutcome,
  type SessionView,
} from '../shared/definitions.js';
import { signWith } from '../decision-keys.js';
import type { DecisionSigner } from '../shared/decision-signature.js';
import { withinBudget } from './budget.js';
import { ApiError, ErrorCode } from './errors.js';
import { DEFAULT_QUERY_TIMEOUT_MS, queryWithDeadline } from './query-deadline.js';

export class Runs {
  constructor(
    readonly client: Client,
    private readonly queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS,
    /** Signs every decision sent; without it this instance only reads. */
    private readonly decisionSigner?: DecisionSigner,
  ) {}

  /** Runs apply only decisions they can verify came from an authenticated person: sign what the gateway checked. */
  private signed(decision: ApprovalDecision): ApprovalDecision {
    if (!this.decisionSigner) throw new Error('this gateway has no decision signing key (DECISION_SIGNING_KEY_FILE)');
    return signWith(this.decisionSigner, decision);
  }

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
      const finished = await this.finishedResult(workflowId, err);
      const { timeline: _timeline, ...view } = finished;
      return view;
    }
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
    const handle = this.handle(workflowId);
    const description = await this.query(() => handle.describe());
    if (description.status.name !== 'COMPLETED') throw queryError;
    const parsed = RunResultSchema.safeParse(await this.query(() => handle.result()));
    if (!parsed.success) throw queryError;
    return parsed.data;
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

  /**
   * Sends a decision with the decideApproval update and waits, within the budget, until the run
   * acted on it. Refusals by the workflow (unknown, already decided, four eyes) throw and map to
   * 404/409/403 in onError.
   */
  async decide(workflowId: string, decision: ApprovalDecision, budgetMs: number): Promise<DecisionOutcome | undefined> {
    try {
      return await this.sendDecision(workflowId, decision, budgetMs);
    } catch (err) {
      // A concurrent decision can close the run before this one reaches it: that is a conflict.
      if (err instanceof ApiError) throw err;
      const status = await this.approvalStatus(workflowId, decision.approval_id);
      if (status !== undefined && status !== 'pending') throw ApiError.conflict(`Approval ${decision.approval_id} is already ${status}`);
      throw err;
    }
  }

  private async approvalStatus(workflowId: string, approvalId: string): Promise<string | undefined> {
    const view = await this.getRun(workflowId).catch(() => undefined);
    return view?.approvals.find((a) => a.approval_id === approvalId)?.status;
  }

  private async sendDecision(workflowId: string, decision: ApprovalDecision, budgetMs: number): Promise<DecisionOutcome | undefined> {
    const deadline = Date.now() + budgetMs;
    const abort = new AbortController();
    const accepted = this.client.withAbortSignal(abort.signal, () =>
      this.handle(workflowId).startUpdate(decideApprovalUpdate, { args: [this.signed(decision)], waitForStage: WorkflowUpdateStage.ACCEPTED }),
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
    try {
      await handle.cancel();
    } catch (err) {
      // The run closed between the caller's status check and this request.
      if (err instanceof WorkflowNotFoundError) throw ApiError.conflict(`Run ${workflowId} has already finished`);
      throw err;
    }
    const abort = new AbortController();
    const closed = this.client.withAbortSignal(abort.signal, () => handle.result()).catch(() => undefined);
    const raced = await withinBudget(closed, budgetMs);
    if (!raced.done) abort.abort();
    return this.getRun(workflowId);
  }
}
