/**
 * sessionWorkflow: one per chat session; remembers its runs so a session's latest run is found
 * directly, without waiting for visibility to catch up. Idle, it closes with its view as result.
 */
import { condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  sessionQuery,
  sessionRunStartedSignal,
  type SessionView,
  type SessionWorkflowInput,
} from '../src/shared/messages.js';

/** Runs kept in the query answer; older ones stay findable through visibility. */
const MAX_RUNS_KEPT = 50;
/** For a session started by hand, without `idle_close_ms`; the gateway passes SESSION_IDLE_CLOSE. */
const DEFAULT_IDLE_CLOSE_MS = 10 * 60_000;

export async function sessionWorkflow(input: SessionWorkflowInput): Promise<SessionView> {
  const now = new Date().toISOString();
  const session: SessionView = input.previous ?? {
    session_id: input.session_id,
    user_id: input.user_id,
    created_at: now,
    updated_at: now,
    runs: [],
  };
  let received = 0;
  setHandler(sessionQuery, () => session);
  setHandler(sessionRunStartedSignal, (run) => {
    received += 1;
    if (session.runs.some((r) => r.workflow_id === run.workflow_id)) return;
    session.runs.push(run);
    if (session.runs.length > MAX_RUNS_KEPT) session.runs.splice(0, session.runs.length - MAX_RUNS_KEPT);
    session.updated_at = run.started_at;
  });

  for (;;) {
    const seen = received;
    const active = await condition(() => received > seen, input.idle_close_ms ?? DEFAULT_IDLE_CLOSE_MS);
    if (!active) return session;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof sessionWorkflow>({ ...input, previous: session });
    }
  }
}
