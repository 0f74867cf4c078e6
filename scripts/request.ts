/**
 * The operators' way to start a request without the gateway: `./temporal-dev.sh request <message>
 * --as <person> [--session <id>]`. Signs the start (and the session's record of it) with the
 * operator key (OPERATOR_SIGNING_KEY_FILE), as the gateway signs its own; a run started any other
 * way outside the gateway (the Temporal CLI, the Web UI) does nothing. Prints the run's id and
 * what it did first (planned and waiting, finished, or refused).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfigOrExit } from '../src/runtime/config.js';
import { signSessionRunWith, signStartWith } from '../src/runtime/decision-keys.js';
import {
  REQUEST_WORKFLOW_TYPE,
  operatorRequestWorkflowIdFor,
  SearchAttributes,
  SESSION_WORKFLOW_TYPE,
  sessionRunStartedSignal,
  sessionWorkflowIdFor,
  waitSettledUpdate,
} from '../src/shared/messages.js';
import { IdentitySchema, RequestInputSchema } from '../src/shared/contracts.js';
import { actorOf, splitCommandLine } from './operator-args.js';
import { runOperatorCommand, type OperatorSession } from './operator-session.js';

const USAGE = 'usage: ./temporal-dev.sh request <message> --as <person> [--session <session_id>]';
const SETTLE_DEADLINE_MS = 15_000;

export interface RequestArgs {
  message: string;
  person: string;
  sessionId: string;
}

/** The command line, or a message saying what is wrong with it. */
export function parseRequestArgs(argv: readonly string[]): RequestArgs | string {
  const line = splitCommandLine(argv, ['--as', '--session']);
  if (typeof line === 'string') return line;
  const [message, ...rest] = line.positional;
  if (message === undefined || rest.length > 0) return 'expected the request as one argument (quote it)';
  const actor = actorOf(line.options, 'the request');
  if (typeof actor === 'string') return actor;
  const session = line.options['--session'] ?? randomUUID();
  if (!IdentitySchema.safeParse(session).success) return `--session: "${session}" is not a session id`;
  const input = RequestInputSchema.safeParse({ user_id: actor.person, session_id: session, message });
  if (!input.success) return `the request: ${input.error.issues[0]?.message ?? 'invalid'}`;
  return { message: input.data.message, person: actor.person, sessionId: session };
}

async function sendRequest(args: RequestArgs, { client, signer }: OperatorSession): Promise<number> {
  const { TASK_QUEUE: taskQueue } = loadConfigOrExit();
  const workflowId = operatorRequestWorkflowIdFor(randomUUID());
  const input = { user_id: args.person, session_id: args.sessionId, message: args.message };
  const handle = await client.workflow.start(REQUEST_WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [signStartWith(signer, workflowId, input)],
    typedSearchAttributes: [
      { key: SearchAttributes.UserId, value: args.person },
      { key: SearchAttributes.SessionId, value: args.sessionId },
      { key: SearchAttributes.RunStatus, value: 'QUEUED' },
    ],
    staticSummary: args.message.slice(0, 200),
  });
  await client.workflow.signalWithStart(SESSION_WORKFLOW_TYPE, {
    workflowId: sessionWorkflowIdFor(args.sessionId),
    taskQueue,
    args: [{ session_id: args.sessionId, user_id: args.person }],
    signal: sessionRunStartedSignal,
    signalArgs: [
      signSessionRunWith(signer, sessionWorkflowIdFor(args.sessionId), {
        workflow_id: workflowId,
        message: args.message,
        started_at: new Date().toISOString(),
        user_id: args.person,
        session_id: args.sessionId,
      }),
    ],
  });
  console.log(`started ${workflowId} in session ${args.sessionId} as ${args.person} (key ${signer.key_id})`);
  const settled = await Promise.race([
    handle.executeUpdate(waitSettledUpdate).catch(() => undefined),
    delay(SETTLE_DEADLINE_MS, undefined, { ref: false }),
  ]);
  if (!settled) {
    console.error('request: the run has not settled yet; is a worker running?');
    return 3;
  }
  console.log(`${settled.status}${settled.error ? `: ${settled.error}` : ''}`);
  return settled.status === 'FAILED' ? 1 : 0;
}

runOperatorCommand({
  name: 'request',
  usage: USAGE,
  moduleUrl: import.meta.url,
  parse: parseRequestArgs,
  send: sendRequest,
});
