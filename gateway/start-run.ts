/**
 * Starting a request run: update-with-start on the run (waitSettled for a chat, waitPlanned for a
 * submit, raced against the wait budget) and, in parallel, signal-with-start on its session.
 * Idempotency-Keys name the run.
 */
import { createHash, randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { Config } from '../src/runtime/config.js';
import type { RequestInput, RunView } from '../src/shared/contracts.js';
import {
  REQUEST_WORKFLOW_TYPE,
  requestWorkflowIdFor,
  SearchAttributes,
  SESSION_WORKFLOW_TYPE,
  sessionRunStartedSignal,
  sessionWorkflowIdFor,
  type SessionView,
  type SessionWorkflowInput,
  waitPlannedUpdate,
  waitSettledUpdate,
} from '../src/shared/messages.js';
import { signSessionRunWith, signStartWith } from '../src/runtime/decision-keys.js';
import { sameIdentity } from '../src/shared/identity.js';
import type { DecisionSigner } from '../src/shared/signed-proof.js';
import { withinBudget } from './budget.js';
import { ApiError } from './errors.js';
import type { RunDescription } from './run-description.js';
import type { Runs } from './runs.js';
import { firstRunIdOf, lookUpSession } from './session-lookup.js';

export interface StartRequest {
  user_id: string;
  message: string;
  session_id?: string | undefined;
  /** The requester's authenticated groups, for policy rules on `requester_groups`. */
  requester_groups?: string[] | undefined;
  /** The `Idempotency-Key` header: the same key (for the same user) always names the same run. */
  idempotencyKey?: string | undefined;
}

/** What a start waits for: the run to settle (finish, or wait for a person), or only to have planned. */
export type StartWait = 'settled' | 'planned';

const WAIT_UPDATES = { settled: waitSettledUpdate, planned: waitPlannedUpdate } as const;

interface Progress {
  /** The run's view once it reached what the start waited for; undefined when the wait budget ran out first. */
  view: RunView | undefined;
  /** From the run's search attributes when the wait ran out (describe needs no worker). */
  status?: RunView['status'];
  intent?: string;
}

export interface StartResult extends Progress {
  workflow_id: string;
  session_id: string;
}

function progressOf(description: RunDescription): Pick<Progress, 'status' | 'intent'> {
  return { status: description.status, ...(description.intent !== undefined && { intent: description.intent }) };
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

function reusedKey(): ApiError {
  return ApiError.conflict('This Idempotency-Key was already used for a different request');
}

/** Background attempts to record a started run in its session after the first one failed. */
const SESSION_RECORD_ATTEMPTS = 6;

export class RunStarter {
  private readonly client: Client;

  constructor(
    private readonly runs: Runs,
    private readonly config: Config,
    /** Signs every start and every session record, so a run and its session can tell them from forgeries. */
    private readonly signer: DecisionSigner,
  ) {
    this.client = runs.client;
  }

  /**
   * The keyed run if it exists, from describe (no worker needed, so a retry works while none polls).
   * A key names two ids: the run that opened a session of its own (sent without `session_id`) and the
   * run sent within a session; whichever exists is the key's run, so a retry finds it either way.
   */
  private async findKeyedRun(workflowId: string, digest: string): Promise<RunDescription | undefined> {
    const keyIds = [requestWorkflowIdFor(digest), firstRunIdOf(uuidFromDigest(digest))];
    const otherId = keyIds.find((id) => id !== workflowId) ?? workflowId;
    const [named, other] = await Promise.all([this.runs.describe(workflowId), this.runs.describe(otherId)]);
    return named ?? other;
  }

  /**
   * Starts a request workflow (or attaches to the keyed one) and records it in its session, then
   * waits for the run to settle (or only to plan) for at most `budgetMs`.
   */
  async start(request: StartRequest, budgetMs: number, until: StartWait = 'settled'): Promise<StartResult> {
    const digest =
      request.idempotencyKey !== undefined ? idempotencyDigest(request.user_id, request.idempotencyKey) : undefined;
    let sessionId = request.session_id ?? (digest ? uuidFromDigest(digest) : randomUUID());
    // A new session is opened by its first run alone, whose id names it (session-lookup.ts).
    let workflowId =
      request.session_id === undefined ? firstRunIdOf(sessionId) : requestWorkflowIdFor(digest ?? randomUUID());

    let closedSession: SessionView | undefined;
    if (request.session_id !== undefined) {
      const { owner, closedView } = await lookUpSession(this.client, request.session_id);
      if (owner !== undefined && !sameIdentity(owner, request.user_id))
        throw ApiError.forbidden(`Session ${request.session_id} belongs to another user`);
      closedSession = closedView;
    }
    const existing = digest ? await this.findKeyedRun(workflowId, digest) : undefined;
    if (existing) {
      workflowId = existing.workflow_id;
      const existingSession = existing.session_id;
      const summary = await existing.staticSummary();
      if (
        (summary !== undefined && summary !== summaryOf(request.message)) ||
        (request.session_id !== undefined && existingSession !== undefined && existingSession !== request.session_id)
      ) {
        throw reusedKey();
      }
      if (existingSession !== undefined) sessionId = existingSession;
    }

    const input: RequestInput = {
      user_id: request.user_id,
      session_id: sessionId,
      message: request.message,
      ...(request.requester_groups && { requester_groups: request.requester_groups }),
    };
    const closed = existing !== undefined && !existing.open;
    const sessionRun = { workflow_id: workflowId, message: request.message };
    const [started, recorded] = await Promise.allSettled([
      closed
        ? this.runs.getRun(workflowId).then((view) => ({ view }))
        : this.startAndWait(workflowId, input, budgetMs, until),
      workflowId === firstRunIdOf(sessionId)
        ? Promise.resolve()
        : this.recordInSession(sessionId, request.user_id, sessionRun, closedSession),
    ]);
    if (started.status === 'rejected') throw started.reason;
    if (recorded.status === 'rejected') {
      // The run exists and may move money: answer with it, never with an error a client would
      // retry. The session learns of the run as soon as Temporal takes the signal again.
      void this.recordInSessionEventually(sessionId, request.user_id, sessionRun, recorded.reason, closedSession);
    }
    const outcome = started.value;
    // A message that differs only after its first 200 characters is caught here, once the run answered.
    if (digest && outcome.view && outcome.view.message !== request.message) throw reusedKey();
    return { workflow_id: workflowId, session_id: sessionId, ...outcome };
  }

  private async recordInSessionEventually(
    sessionId: string,
    userId: string,
    run: { workflow_id: string; message: string },
    firstError: unknown,
    closedSession: SessionView | undefined,
  ): Promise<void> {
    let lastError = firstError;
    for (let attempt = 1; attempt <= SESSION_RECORD_ATTEMPTS; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      try {
        await this.recordInSession(sessionId, userId, run, closedSession);
        return;
      } catch (err) {
        lastError = err;
      }
    }
    console.error(`gateway: could not record run ${run.workflow_id} in session ${sessionId}:`, lastError);
  }

  private async recordInSession(
    sessionId: string,
    userId: string,
    run: { workflow_id: string; message: string },
    closedSession: SessionView | undefined,
  ): Promise<void> {
    const sessionWorkflowId = sessionWorkflowIdFor(sessionId);
    const input: SessionWorkflowInput = {
      session_id: sessionId,
      user_id: userId,
      idle_close_ms: this.config.SESSION_IDLE_CLOSE,
      // Read only when a new execution starts: a session that closed idle opens again with the runs
      // it closed with (its own result), signed like any run recorded in it.
      ...(closedSession && {
        reopened_runs: closedSession.runs.map((earlier) =>
          signSessionRunWith(this.signer, sessionWorkflowId, { ...earlier, user_id: userId, session_id: sessionId }),
        ),
      }),
    };
    await this.client.workflow.signalWithStart(SESSION_WORKFLOW_TYPE, {
      workflowId: sessionWorkflowIdFor(sessionId),
      taskQueue: this.config.TASK_QUEUE,
      args: [input],
      signal: sessionRunStartedSignal,
      signalArgs: [
        signSessionRunWith(this.signer, sessionWorkflowIdFor(sessionId), {
          ...run,
          started_at: new Date().toISOString(),
          user_id: userId,
          session_id: sessionId,
        }),
      ],
      typedSearchAttributes: [
        { key: SearchAttributes.UserId, value: userId },
        { key: SearchAttributes.SessionId, value: sessionId },
      ],
      staticSummary: `Chat session of ${userId}`,
      workflowTaskTimeout: this.config.WORKFLOW_TASK_TIMEOUT,
    });
  }

  private async startAndWait(
    workflowId: string,
    input: RequestInput,
    budgetMs: number,
    until: StartWait,
  ): Promise<Progress> {
    const startWorkflowOperation = new WithStartWorkflowOperation(REQUEST_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: this.config.TASK_QUEUE,
      args: [signStartWith(this.signer, workflowId, input)],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A keyed run that already finished is answered from its result, never started again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: SearchAttributes.UserId, value: input.user_id },
        { key: SearchAttributes.SessionId, value: input.session_id },
        { key: SearchAttributes.RunStatus, value: 'QUEUED' },
      ],
      staticSummary: summaryOf(input.message),
      workflowTaskTimeout: this.config.WORKFLOW_TASK_TIMEOUT,
    });
    const abort = new AbortController();
    const update = this.client.withAbortSignal(abort.signal, () =>
      this.client.workflow.executeUpdateWithStart(WAIT_UPDATES[until], { startWorkflowOperation }),
    );
    // The handle promise rejects too when the start fails; that failure surfaces through `update`.
    startWorkflowOperation.workflowHandle().catch(() => undefined);
    try {
      const raced = await withinBudget(update, budgetMs);
      if (raced.done) return { view: raced.value };
    } catch (err) {
      // Already finished, or finished while this update waited to be delivered (it is then aborted).
      if (err instanceof WorkflowExecutionAlreadyStartedError || err instanceof WorkflowNotFoundError) {
        return { view: await this.runs.getRun(workflowId) };
      }
      throw err;
    }
    // Out of budget: make sure the run exists before answering RUNNING, then stop waiting for it.
    // Describe, not a query: it needs no worker, so it answers even while none is polling.
    const description = await this.runs.describe(workflowId);
    if (!description) return { view: await update };
    abort.abort();
    update.catch(() => undefined);
    return { view: undefined, ...progressOf(description) };
  }
}
