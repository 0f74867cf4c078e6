/**
 * The session workflow's share of a chat. The gateway starts each run and, in parallel, signals
 * (or starts) the chat's session workflow: a second workflow task and history per chat. This
 * phase does what the gateway does, straight through the client, with and without that signal,
 * alternating, on the same worker and server: the difference is what the session costs.
 */
import { randomUUID } from 'node:crypto';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import {
  REQUEST_WORKFLOW_TYPE,
  SESSION_WORKFLOW_TYPE,
  SearchAttributes,
  requestWorkflowIdFor,
  sessionRunStartedSignal,
  sessionWorkflowIdFor,
  waitSettledUpdate,
} from '../src/shared/messages.js';
import { sessionRunSignedAsGateway, startSignedAsGateway } from '../dev/stack-secrets.js';
import { cpuPerRequest, type ProcessIds } from './cpu.js';
import type { SessionShare } from './results.js';
import { timed } from './stats.js';

const MESSAGE = 'Transfer 1 to kiran';

/** One chat as the gateway runs it, with or without recording the run in its session. */
async function chat(client: Client, taskQueue: string, withSession: boolean): Promise<void> {
  const sessionId = randomUUID();
  const workflowId = requestWorkflowIdFor(randomUUID());
  const input = { user_id: 'default_user', session_id: sessionId, message: MESSAGE };
  const startWorkflowOperation = new WithStartWorkflowOperation(REQUEST_WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [startSignedAsGateway(workflowId, input)],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: SearchAttributes.UserId, value: input.user_id },
      { key: SearchAttributes.SessionId, value: sessionId },
      { key: SearchAttributes.RunStatus, value: 'QUEUED' },
    ],
  });
  const settled = client.workflow.executeUpdateWithStart(waitSettledUpdate, { startWorkflowOperation });
  const recorded = withSession
    ? client.workflow.signalWithStart(SESSION_WORKFLOW_TYPE, {
        workflowId: sessionWorkflowIdFor(sessionId),
        taskQueue,
        args: [{ session_id: sessionId, user_id: input.user_id }],
        signal: sessionRunStartedSignal,
        signalArgs: [
          sessionRunSignedAsGateway(sessionWorkflowIdFor(sessionId), {
            workflow_id: workflowId,
            message: MESSAGE,
            started_at: new Date().toISOString(),
            user_id: input.user_id,
            session_id: sessionId,
          }),
        ],
        typedSearchAttributes: [
          { key: SearchAttributes.UserId, value: input.user_id },
          { key: SearchAttributes.SessionId, value: sessionId },
        ],
      })
    : undefined;
  const [view] = await Promise.all([settled, recorded]);
  if (view.status !== 'COMPLETED') throw new Error(`session-share chat ended ${view.status}: ${view.error}`);
}

export async function measureSessionShare(
  client: Client,
  taskQueue: string,
  processes: ProcessIds,
  sizes: { latency: number; clients: number; seconds: number },
): Promise<SessionShare> {
  const without_session: number[] = [];
  const with_session: number[] = [];
  for (let i = 0; i < sizes.latency; i++) {
    without_session.push(await timed(() => chat(client, taskQueue, false)));
    with_session.push(await timed(() => chat(client, taskQueue, true)));
  }
  const closedLoop = async (withSession: boolean): Promise<{ requests: number }> => {
    const deadline = Date.now() + sizes.seconds * 1000;
    let requests = 0;
    await Promise.all(
      Array.from({ length: sizes.clients }, async () => {
        while (Date.now() < deadline) {
          await chat(client, taskQueue, withSession);
          requests += 1;
        }
      }),
    );
    return { requests };
  };
  const bare = await cpuPerRequest(processes, () => closedLoop(false));
  const withSession = await cpuPerRequest(processes, () => closedLoop(true));
  return {
    latency: { without_session, with_session },
    throughput: {
      clients: sizes.clients,
      seconds: sizes.seconds,
      without_session_per_s: bare.requests / sizes.seconds,
      with_session_per_s: withSession.requests / sizes.seconds,
    },
    cpu_ms_per_chat: { without_session: bare.cpu_ms_per_request, with_session: withSession.cpu_ms_per_request },
  };
}
