/**
 * sessionWorkflow: one per chat session; remembers its runs so a session's latest run is found
 * directly, without waiting for visibility to catch up.
 */
import { condition, continueAsNew, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { sessionQuery, sessionRunStartedSignal, type SessionView } from '../src/shared/messages.js';
import { sameIdentity } from '../src/shared/identity.js';
import { checkSessionRun } from '../src/shared/start-signature.js';
import { SessionRunSchema, type TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import { keysTrustedNow } from './start-verification.js';

/** Runs kept in the query answer; older ones stay findable through visibility. */
const MAX_RUNS_KEPT = 50;
const IDLE_CLOSE = '30 days';

export interface SessionWorkflowInput {
  session_id: string;
  user_id: string;
  /** Carried over by continue-as-new. */
  previous?: SessionView;
}

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
  unverified.splice(0).forEach(record);

  for (;;) {
    const seen = received;
    const active = await condition(() => received > seen, IDLE_CLOSE);
    if (!active) return session;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof sessionWorkflow>({ ...input, previous: session });
    }
  }
}
