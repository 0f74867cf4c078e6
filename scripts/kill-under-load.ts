/**
 * Kill-under-load proof, for `./temporal-dev.sh test-cluster` (two workers, two gateways) and
 * `./temporal-dev.sh test-kill` (the dev stack: one of each). Keeps a steady load of chats that
 * need approval and their approvals, and between phases signals a process: a worker with SIGTERM
 * (a deploy) and then SIGKILL (a crash), each started again at once, and on the cluster a gateway
 * the same way (the SIGKILLed one stays down). Then it checks that no request failed other than
 * those in flight at a SIGKILLed gateway (a status read answered without a status counts as
 * failed), that every run completed once, that the ledger moved each amount exactly once and that
 * every history replays; and it reports, per signal, the wait of the requests whose task was on
 * the killed process, how long the clients stood still, and the open workflows by type.
 *
 *   HIL_THRESHOLD=5 ./temporal-dev.sh start --cluster && node --import tsx scripts/kill-under-load.ts
 *
 * The script plays the load balancer: a gateway that refuses connections is taken out of rotation
 * until it is started again, and the request goes to another one; a request cut off mid-flight by
 * a dead gateway is counted, then retried elsewhere with the same Idempotency-Key (as a client would).
 * Settings: LOAD_STACK (cluster | dev), LOAD_FLOWS (concurrent clients, 4), LOAD_PHASE_SECONDS (15),
 * LOAD_AMOUNT (dollars, 6), LOAD_IDLE_WAIT_SECONDS (0: how long to wait before counting open
 * workflows again, to see idle sessions close).
 */
import { renameSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporalConnectionSettings } from '../src/runtime/temporal-connection.js';
import { BUILT_NODE_FLAGS, builtEntryOf } from '../dev/service-build.js';
import { openWorkflowsByType, readHistories } from './kill-histories.js';
import { clientResumption, lostTaskWaits, percentile, spread, type KillEvent } from './kill-report.js';
import {
  acceptedDecisions,
  configureLoad,
  down,
  inFlightFailures,
  oneFlow,
  otherFailures,
  progress,
  samples,
  setPhase,
  staleReads,
  statuslessAnswers,
  unavailable,
  type FlowResult,
} from './load-flows.js';
import { relaunch, signalProcess, waitForExit, type Relaunch } from './stack-processes.js';

const stack = process.env.LOAD_STACK === 'dev' ? 'dev' : 'cluster';
const gatewayPort = process.env.GATEWAY_PORT ?? '8000';
const gateway2Port = process.env.GATEWAY_2_PORT ?? '8001';
const defaultGateways =
  stack === 'dev'
    ? `http://127.0.0.1:${gatewayPort}`
    : `http://127.0.0.1:${gatewayPort},http://127.0.0.1:${gateway2Port}`;
const gateways = (process.env.LOAD_GATEWAYS ?? defaultGateways).split(',');
const sandboxUrl = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8081';
const stateDir = path.resolve(process.env.TEMPORAL_DEV_STATE ?? '.temporal');
const dirs = {
  pidDir: path.resolve(process.env.LOAD_PID_DIR ?? path.join(stateDir, 'pids')),
  logDir: path.join(stateDir, 'logs'),
};
const workflowBundle = path.resolve(process.env.LOAD_WORKFLOW_BUNDLE ?? path.join(stateDir, 'workflow-bundle.js'));
const flows = Number(process.env.LOAD_FLOWS ?? 4);
const phaseMs = Number(process.env.LOAD_PHASE_SECONDS ?? 15) * 1000;
const amount = Number(process.env.LOAD_AMOUNT ?? 6);
const idleWaitMs = Number(process.env.LOAD_IDLE_WAIT_SECONDS ?? 0) * 1000;
/** The latency blip of a kill: the calls started this long after it. */
const BLIP_WINDOW_MS = 5000;
const FROM = '123';
const TO = 'kiran';
const REQUESTER = 'default_user';

/** How temporal-dev.sh starts each process that the script signals (compiled by its `start`), to start it again. */
const RELAUNCH: Record<string, Relaunch> = {
  worker: {
    command: [
      process.execPath,
      `--max-old-space-size=${process.env.WORKER_MAX_HEAP_MB ?? 320}`,
      ...BUILT_NODE_FLAGS,
      builtEntryOf('worker'),
    ],
    env: { WORKFLOW_BUNDLE: workflowBundle },
    ready: { logLine: 'worker polling task queue' },
  },
  'gateway-2': {
    command: [process.execPath, ...BUILT_NODE_FLAGS, builtEntryOf('gateway')],
    env: { GATEWAY_PORT: gateway2Port },
    ready: { url: `http://127.0.0.1:${gateway2Port}/readyz` },
  },
};
RELAUNCH['worker-2'] = RELAUNCH.worker!;

const kills: KillEvent[] = [];
/** From spawning a worker again to its first poll. */
const workerStarts: number[] = [];

interface Kill {
  process: string;
  signal: 'SIGTERM' | 'SIGKILL';
  /** `before`: a deploy, the new process is ready before the old one is told to stop; `after`: once it exited. */
  restart: 'before' | 'after' | 'never';
  /** The gateway URL the process serves, taken back into rotation once it is started again. */
  gateway?: string;
}
const KILLS: Kill[] =
  stack === 'dev'
    ? [
        { process: 'worker', signal: 'SIGTERM', restart: 'before' },
        { process: 'worker', signal: 'SIGKILL', restart: 'after' },
      ]
    : [
        { process: 'worker-2', signal: 'SIGTERM', restart: 'after' },
        { process: 'worker-2', signal: 'SIGKILL', restart: 'after' },
        { process: 'gateway-2', signal: 'SIGTERM', restart: 'after', gateway: gateways[1] },
        { process: 'gateway-2', signal: 'SIGKILL', restart: 'never', gateway: gateways[1] },
      ];

/**
 * Sends the signal; the process is started again once it exited (a SIGTERMed one drains first),
 * or, for a deploy, a new one is started first and the old one is then told to stop. Resolves with
 * the time of the signal, from which the phase runs.
 */
async function signalAndRestart(kill: Kill): Promise<number> {
  const label = `${kill.signal} ${kill.process}`;
  let replacedAt: number | undefined;
  if (kill.restart === 'before') {
    const spawnedAt = Date.now();
    replacedAt = await relaunch(dirs, `${kill.process}-next`, RELAUNCH[kill.process]!);
    workerStarts.push(replacedAt - spawnedAt);
  }
  const at = signalProcess(dirs, kill.process, kill.signal);
  setPhase(label);
  const event: KillEvent = { label, signal: kill.signal, at, until: Number.POSITIVE_INFINITY };
  const previous = kills.at(-1);
  if (previous) previous.until = at;
  kills.push(event);
  console.log(`${new Date(at).toISOString()} ${label}`);
  await waitForExit(dirs, kill.process);
  if (kill.restart === 'before') {
    // The new process takes the old one's name, so the next signal and `stop` find it.
    renameSync(path.join(dirs.pidDir, `${kill.process}-next.pid`), path.join(dirs.pidDir, `${kill.process}.pid`));
    event.replacedAt = at;
  } else if (kill.restart === 'after') {
    const spawnedAt = Date.now();
    replacedAt = await relaunch(dirs, kill.process, RELAUNCH[kill.process]!);
    if (kill.process.startsWith('worker')) workerStarts.push(replacedAt - spawnedAt);
    event.replacedAt = replacedAt;
  }
  if (kill.gateway) down.delete(kill.gateway);
  console.log(
    `${new Date().toISOString()} ${kill.process} exited; ` +
      (kill.restart === 'never' ? 'nothing replaces it' : 'its replacement polls or serves'),
  );
  return at;
}

/** A sandbox read with the service credential the sandbox requires (temporal-dev.sh exports SANDBOX_TOKEN). */
async function sandboxGet<T>(route: string): Promise<T> {
  const res = await fetch(`${sandboxUrl}${route}`, {
    headers: { authorization: `Bearer ${process.env.SANDBOX_TOKEN ?? ''}` },
  });
  if (!res.ok)
    throw new Error(
      `sandbox answered ${res.status} to GET ${route}${process.env.SANDBOX_TOKEN ? '' : ' (SANDBOX_TOKEN is not set)'}`,
    );
  return (await res.json()) as T;
}

async function balance(account: string): Promise<number> {
  return (await sandboxGet<{ balance_cents: number }>(`/api/accounts/${account}`)).balance_cents;
}

async function ledger(account: string): Promise<{ idempotency_key: string; to_account: string; created_at: string }[]> {
  return (
    await sandboxGet<{ entries: { idempotency_key: string; to_account: string; created_at: string }[] }>(
      `/api/accounts/${account}/ledger`,
    )
  ).entries;
}

async function main(): Promise<void> {
  configureLoad({ gateways, amount, clients: flows });
  const startedAt = new Date();
  const before = { from: await balance(FROM), to: await balance(TO), entries: (await ledger(TO)).length };
  const results: FlowResult[] = [];
  let stopping = false;
  const loops = Array.from({ length: flows }, async (_, client) => {
    while (!stopping) {
      try {
        results.push(await oneFlow(client));
      } catch (err) {
        otherFailures.push(err instanceof Error ? err.message : String(err));
      }
    }
  });
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await pause(phaseMs);
  for (const kill of KILLS) {
    const signalledAt = await signalAndRestart(kill);
    await pause(Math.max(0, signalledAt + phaseMs - Date.now()));
  }
  const loadEnd = Date.now();
  stopping = true;
  await Promise.all(loops);
  const lastKill = kills.at(-1);
  if (lastKill) lastKill.until = loadEnd;

  const after = { from: await balance(FROM), to: await balance(TO) };
  const newEntries = (await ledger(TO)).filter((e) => e.to_account === TO && e.created_at >= startedAt.toISOString());
  const cents = Math.round(amount * 100);
  const connection = await Connection.connect(
    temporalConnectionSettings({ TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' }),
  );
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const sinceStart = `UserId = '${REQUESTER}' AND StartTime >= '${startedAt.toISOString()}'`;
  const query = `WorkflowType = 'requestWorkflow' AND ${sinceStart}`;
  // Visibility trails the runs by a moment: wait (with a deadline) until it lists them all.
  let runs = 0;
  let completedRuns = 0;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await pause(500)) {
    runs = (await client.workflow.count(query)).count;
    completedRuns = (await client.workflow.count(`${query} AND ExecutionStatus = 'Completed'`)).count;
    if (runs >= results.length && completedRuns >= results.length) break;
  }
  const openAfterRun = await openWorkflowsByType(client);
  const sessionsAndRuns = `(WorkflowType = 'requestWorkflow' OR WorkflowType = 'sessionWorkflow') AND ${sinceStart}`;
  const histories = await readHistories(client, sessionsAndRuns, workflowBundle);
  let openAfterIdle: Record<string, number> | undefined;
  if (idleWaitMs > 0) {
    await pause(Math.max(0, loadEnd + idleWaitMs - Date.now()));
    openAfterIdle = await openWorkflowsByType(client);
  }
  await connection.close();

  const checks = {
    'flows completed': results.length,
    'failed requests other than in flight at a SIGKILLed gateway': otherFailures.length,
    'requests cut off in flight at a SIGKILLed gateway': inFlightFailures.length,
    '503 answers (retried by the client)': unavailable.length,
    'status reads answered without a status (not 503)': statuslessAnswers.length,
    'approvals kept durably (202 accepted)': acceptedDecisions.length,
    'status reads from the memo (stale)': staleReads.length,
    'distinct runs': new Set(results.map((r) => r.workflowId)).size,
    'runs started in Temporal (visibility)': runs,
    'runs completed in Temporal (visibility)': completedRuns,
    'runs and sessions replayed': histories.replayed,
    'of which lost a task (timed out on a dead worker)': histories.lostTasks,
    'histories that fail to replay': histories.unreplayable.length,
    'ledger entries to kiran': newEntries.length,
    'distinct ledger idempotency keys': new Set(newEntries.map((e) => e.idempotency_key)).size,
    'kiran received (cents)': after.to - before.to,
    'expected (cents)': results.length * cents,
    'account 123 paid (cents)': before.from - after.from,
  };
  console.log(JSON.stringify(checks, null, 2));
  for (const p of ['steady', ...kills.map((k) => k.label)]) {
    const http = samples.filter((s) => s.phase === p).map((s) => s.ms);
    const flowMs = results.filter((r) => r.phase === p).map((r) => r.ms);
    console.log(
      `${p.padEnd(18)} requests ${String(http.length).padStart(4)}  p50 ${percentile(http, 50)} ms  ` +
        `p99 ${percentile(http, 99)} ms  max ${percentile(http, 100)} ms | ` +
        `flows ${String(flowMs.length).padStart(3)}  ` +
        `chat-to-completed p50 ${percentile(flowMs, 50)} ms  max ${percentile(flowMs, 100)} ms`,
    );
  }
  for (const kill of kills) {
    const blip = samples.filter((s) => s.at >= kill.at && s.at < kill.at + BLIP_WINDOW_MS).map((s) => s.ms);
    const resumed = clientResumption(kill, progress);
    const readyMs = kill.replacedAt === undefined ? undefined : kill.replacedAt - kill.at;
    const every = resumed.everyClientMs;
    const afterReady = every !== undefined && readyMs !== undefined ? `, ${every - readyMs} ms after it was ready` : '';
    console.log(`${kill.label}:`);
    console.log(`  calls started in the ${BLIP_WINDOW_MS / 1000} s after it: ${spread(blip)}`);
    console.log(
      `  requests whose task was on the signalled process waited: ${spread(lostTaskWaits(kill, histories.taskTimes))}`,
    );
    console.log(
      `  first client moving again after ${resumed.firstClientMs ?? '-'} ms; ` +
        `every client after ${every ?? '-'} ms${afterReady}` +
        `${resumed.stalledClients ? `; ${resumed.stalledClients} clients stalled until the next signal` : ''}`,
    );
    if (readyMs !== undefined) console.log(`  replacement ready ${readyMs} ms after the signal`);
  }
  if (workerStarts.length) console.log(`worker start, spawn to first poll: ${spread(workerStarts)}`);
  const sessionsUsed = new Set(results.map((r) => r.sessionId)).size;
  console.log(
    `open workflows right after the load: ${JSON.stringify(openAfterRun)} (sessions used by the load: ${sessionsUsed})`,
  );
  if (openAfterIdle)
    console.log(`open workflows ${idleWaitMs / 1000} s after the load: ${JSON.stringify(openAfterIdle)}`);
  for (const p of new Set([...acceptedDecisions, ...staleReads])) {
    console.log(
      `  ${p}: ${acceptedDecisions.filter((x) => x === p).length} approvals 202 accepted, ` +
        `${staleReads.filter((x) => x === p).length} stale status reads`,
    );
  }
  for (const failure of histories.unreplayable) console.log(`  replay failed: ${failure}`);
  for (const refusal of unavailable) console.log(`  503 ${refusal.code} on ${refusal.route} (${refusal.phase})`);
  for (const a of statuslessAnswers.slice(0, 20))
    console.log(
      `  status read of session ${a.sessionId} at ${a.gateway} (x-request-id ${a.requestId}, ${a.phase}) ` +
        `answered ${a.status} ${a.body}`,
    );
  if (statuslessAnswers.length > 20)
    console.log(`  ... and ${statuslessAnswers.length - 20} more status reads without a status`);
  for (const failure of [
    ...inFlightFailures.map((f) => `in flight at ${f.gateway}${f.route} (${f.phase}): ${f.error}`),
    ...otherFailures,
  ])
    console.log(`  ${failure}`);

  const ok =
    otherFailures.length === 0 &&
    unavailable.length === 0 &&
    statuslessAnswers.length === 0 &&
    inFlightFailures.every((f) => f.phase.startsWith('SIGKILL gateway')) &&
    checks['distinct runs'] === results.length &&
    runs === results.length &&
    completedRuns === results.length &&
    histories.unreplayable.length === 0 &&
    newEntries.length === results.length &&
    checks['distinct ledger idempotency keys'] === results.length &&
    checks['kiran received (cents)'] === checks['expected (cents)'] &&
    checks['account 123 paid (cents)'] === checks['expected (cents)'];
  console.log(ok ? 'PASS' : 'FAIL');
  process.exit(ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error('kill-under-load:', err);
  process.exit(1);
});
