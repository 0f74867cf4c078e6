/**
 * sessionWorkflow: one per chat session from its second run on (a session's first run stands for
 * it until then, and is carried over in `reopened_runs`); remembers its runs so a session's latest
 * run is found directly, without waiting for visibility to catch up. Idle, it closes with its view as result;
 * its next chat opens it again with the runs it closed with (`reopened_runs`).
 */
import { condition, continueAsNew, log, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  sessionQuery,
  sessionRunStartedSignal,
  type SessionView,
  type SessionWorkflowInput,
} from '../src/shared/messages.js';
import { sameIdentity } from '../src/shared/identity.js';
import { checkSessionRun } from '../src/shared/start-signature.js';
import { SessionRunSchema, type TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import { keysTrustedNow } from './start-verification.js';

/** Runs kept in the query answer; older ones stay findable through visibility. */
const MAX_RUNS_KEPT = 50;
/** For a session started by hand, without `idle_close_ms`; the gateway passes SESSION_IDLE_CLOSE. */
const DEFAULT_IDLE_CLOSE_MS = 10 * 60_000;

export async function sessionWorkflow(input: SessionWorkflowInput): Promise<SessionView> {
  const now = new Date().toISOString();
  // Runs are carried over only by this workflow's own continue-as-new: a session started by hand
  // with `previous` filled in would otherwise list runs no one signed for it.
  const carried = workflowInfo().continuedFromExecutionRunId !== undefined ? input.previous : undefined;
  const session: SessionView = carried ?? {
    session_id: input.session_id,
    user_id: input.user_id,
    created_at: now,
    updated_at: now,
    runs: [],
  };
  let received = 0;
  // Only runs the gateway signed for this session and its owner are kept (start-signature.ts).
  let trustedKeys: readonly TrustedDecisionKey[] | undefined = undefined;
  const unverified: unknown[] = [];
  const record = (raw: unknown): void => {
    const parsed = SessionRunSchema.safeParse(raw);
    if (!parsed.success) {
      log.warn('Session run ignored: malformed');
      return;
    }
    const verdict = checkSessionRun(workflowInfo().workflowId, session, parsed.data, trustedKeys ?? [], sameIdentity);
    if (!verdict.valid) {
      log.warn(verdict.message);
      return;
    }
    const { workflow_id, message, started_at } = parsed.data;
    if (session.runs.some((r) => r.workflow_id === workflow_id)) return;
    session.runs.push({ workflow_id, message, started_at });
    if (session.runs.length > MAX_RUNS_KEPT) session.runs.splice(0, session.runs.length - MAX_RUNS_KEPT);
    session.updated_at = started_at;
  };
  setHandler(sessionQuery, () => session);
  setHandler(sessionRunStartedSignal, (run) => {
    received += 1;
    if (trustedKeys === undefined) unverified.push(run);
    else record(run);
  });
  trustedKeys = await keysTrustedNow();
  // The runs of the closed execution first, so the session keeps its order; then what was signalled.
  (carried ? [] : (input.reopened_runs ?? [])).forEach(record);
  const first = session.runs[0];
  if (first && first.started_at < session.created_at) session.created_at = first.started_at;
  unverified.splice(0).forEach(record);

  for (;;) {
    const seen = received;
    const active = await condition(() => received > seen, input.idle_close_ms ?? DEFAULT_IDLE_CLOSE_MS);
    if (!active) return session;
    if (workflowInfo().continueAsNewSuggested) {
      const { reopened_runs: _recordedAlready, ...carriedOver } = input;
      await continueAsNew<typeof sessionWorkflow>({ ...carriedOver, previous: session });
    }
  }
}
