/**
 * Where a session's runs are found. The gateway opens a session with its first run alone: that
 * run's id names the session (`firstRunIdOf`), and the session workflow starts only with the
 * session's second run, carrying the first one over. Until then the first run stands for the
 * session, read with describe (strongly consistent, no worker needed).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  requestWorkflowIdFor,
  SearchAttributes,
  sessionWorkflowIdFor,
  type SessionView,
} from '../src/shared/messages.js';
import { describeRun } from './run-description.js';

/** The id of the run that opened a session the gateway created (a chat without `session_id`). */
export function firstRunIdOf(sessionId: string): string {
  return requestWorkflowIdFor(sessionId);
}

/**
 * The session as its only run shows it, when no session workflow has started yet; undefined
 * when no request run opened a session of this id.
 */
export async function sessionOfFirstRun(
  client: Client,
  sessionId: string,
  timeoutMs?: number,
): Promise<SessionView | undefined> {
  const run = await describeRun(client, firstRunIdOf(sessionId), timeoutMs);
  if (!run?.isRequest || run.session_id !== sessionId || run.user_id === undefined) return undefined;
  const startedAt = run.startTime.toISOString();
  return {
    session_id: sessionId,
    user_id: run.user_id,
    created_at: startedAt,
    updated_at: startedAt,
    // The summary the run started with: its message on one line, cut at 200 characters.
    runs: [{ workflow_id: run.workflow_id, message: (await run.staticSummary()) ?? '', started_at: startedAt }],
  };
}

export interface SessionLookup {
  /** Undefined for a session never seen. */
  owner: string | undefined;
  /**
   * The runs a new session workflow must carry over: the view it closed with when it closed idle,
   * or its first run when it has not started yet; undefined while it is open or when it never existed.
   */
  closedView: SessionView | undefined;
}

/**
 * Describe and, for a session that closed idle, its result: both read from the server's history,
 * so no worker is needed. A session closed any other way (terminated by hand) opens empty again.
 */
export async function lookUpSession(client: Client, sessionId: string): Promise<SessionLookup> {
  const handle = client.workflow.getHandle<(input: unknown) => Promise<SessionView>>(sessionWorkflowIdFor(sessionId));
  try {
    const description = await handle.describe();
    const owner = description.typedSearchAttributes.get(SearchAttributes.UserId);
    if (description.status.name !== 'COMPLETED') return { owner, closedView: undefined };
    const closed = client.workflow.getHandle<(input: unknown) => Promise<SessionView>>(
      sessionWorkflowIdFor(sessionId),
      description.runId,
    );
    return { owner, closedView: await closed.result() };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    const firstRun = await sessionOfFirstRun(client, sessionId);
    return { owner: firstRun?.user_id, closedView: firstRun };
  }
}
