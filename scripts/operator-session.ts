/**
 * What the operators' break-glass commands (decide, act) share: the operator key and a client on
 * the configured namespace, the wait for what the run recorded and its report, and running as a script.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { loadConfigOrExit } from '../src/runtime/config.js';
import { ensureKeyPairFiles, loadDecisionSigner } from '../src/runtime/decision-keys.js';
import type { TimelineEvent } from '../src/shared/contracts.js';
import type { DecisionSigner } from '../src/shared/decision-signature.js';
import { timelineQuery } from '../src/shared/messages.js';
import { temporalConnectionSettings } from '../src/runtime/temporal-connection.js';

const OUTCOME_DEADLINE_MS = 15_000;
const QUERY_DEADLINE_MS = 5_000;

export interface OperatorSession {
  client: Client;
  /** Signs with OPERATOR_SIGNING_KEY_FILE, made with mode 600 when missing. */
  signer: DecisionSigner;
}

export async function withOperatorSession<T>(use: (session: OperatorSession) => Promise<T>): Promise<T> {
  const config = loadConfigOrExit();
  ensureKeyPairFiles(config.OPERATOR_SIGNING_KEY_FILE);
  const signer = loadDecisionSigner(config.OPERATOR_SIGNING_KEY_FILE);
  const connection = await Connection.connect(temporalConnectionSettings(config));
  try {
    return await use({ client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), signer });
  } finally {
    await connection.close();
  }
}

/** How many timeline events the run has now, or undefined when no worker answers the query. */
export async function timelineLength(handle: WorkflowHandle): Promise<number | undefined> {
  return (await withDeadline(handle.query(timelineQuery, 0), QUERY_DEADLINE_MS))?.length;
}

/** The first event after `seenBefore` that `isOutcome` accepts, or undefined when none came in time. */
export async function awaitOutcome(
  handle: WorkflowHandle,
  seenBefore: number,
  isOutcome: (event: TimelineEvent) => boolean,
): Promise<TimelineEvent | undefined> {
  const deadline = Date.now() + OUTCOME_DEADLINE_MS;
  while (Date.now() < deadline) {
    const events = await withDeadline(handle.query(timelineQuery, seenBefore), QUERY_DEADLINE_MS);
    const outcome = events?.find(isOutcome);
    if (outcome) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}

export interface OperatorCommand<Args> {
  name: string;
  usage: string;
  /** The command's module (`import.meta.url`): it runs only when node was started with it. */
  moduleUrl: string;
  /** The command line, or a message saying what is wrong with it. */
  parse: (argv: readonly string[]) => Args | string;
  /** Sends what the command line asks for; resolves with the exit code. */
  send: (args: Args, session: OperatorSession) => Promise<number>;
}

/** Runs the command when node was started with its module: exit 2 with the usage for a wrong command line. */
export function runOperatorCommand<Args extends object>(command: OperatorCommand<Args>): void {
  if (!process.argv[1] || fileURLToPath(command.moduleUrl) !== path.resolve(process.argv[1])) return;
  const main = async (): Promise<number> => {
    const args = command.parse(process.argv.slice(2));
    if (typeof args === 'string') {
      console.error(`${command.name}: ${args}\n${command.usage}`);
      return 2;
    }
    return withOperatorSession((session) => command.send(args, session));
  };
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`${command.name}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}

/**
 * Prints what the run recorded and returns the exit code: 0 when it acted, 1 when it recorded
 * `ignoredEvent` (with its reason), 3 when it has recorded nothing yet (the signal stays in history).
 */
export function reportOutcome(
  name: string,
  signer: DecisionSigner,
  outcome: TimelineEvent | undefined,
  ignoredEvent: TimelineEvent['event'],
): number {
  if (!outcome) {
    console.error(
      `${name}: signal sent (key ${signer.key_id}) and kept in the run's history, ` +
        'but the run has not recorded it yet; is a worker running?',
    );
    return 3;
  }
  const ignored = outcome.event === ignoredEvent;
  console.log(`${outcome.event}: ${outcome.message}${ignored ? ` (${String(outcome.metadata['reason'])})` : ''}`);
  return ignored ? 1 : 0;
}

/** The promise's value, or undefined once `ms` have passed (a query waits for a worker). */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
