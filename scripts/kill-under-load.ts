/**
 * Kill-under-load proof for `./temporal-dev.sh start --cluster`: keeps a steady load of chats that
 * need approval and their approvals on both gateways, SIGKILLs the second worker and then the
 * second gateway, and checks afterwards that no request failed other than those in flight at the
 * dead gateway (a status read answered without a status counts as failed), that every run completed
 * once, that the ledger moved each amount exactly once, and that every run's history replays.
 *
 *   HIL_THRESHOLD=5 ./temporal-dev.sh start --cluster && node --import tsx scripts/kill-under-load.ts
 *
 * The script plays the load balancer: a gateway that refuses connections is taken out of rotation
 * and the request goes to the other one; a request cut off mid-flight by the dead gateway is
 * counted, then retried elsewhere with the same Idempotency-Key (as a client would).
 * Settings: LOAD_FLOWS (concurrent flows, 4), LOAD_PHASE_SECONDS (15), LOAD_AMOUNT (dollars, 6).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { temporalConnectionSettings } from '../src/temporal-connection.js';

const gateways = (process.env.LOAD_GATEWAYS ?? 'http://127.0.0.1:8000,http://127.0.0.1:8001').split(',');
const sandboxUrl = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8081';
const pidDir = path.resolve(process.env.LOAD_PID_DIR ?? '.temporal/pids');
const workflowBundle = path.resolve(process.env.LOAD_WORKFLOW_BUNDLE ?? '.temporal/workflow-bundle.js');
const flows = Number(process.env.LOAD_FLOWS ?? 4);
const phaseMs = Number(process.env.LOAD_PHASE_SECONDS ?? 15) * 1000;
const amount = Number(process.env.LOAD_AMOUNT ?? 6);
/** The latency blip of a kill: the calls started this long after it. */
const BLIP_WINDOW_MS = 5000;
const FROM = '123';
const TO = 'kiran';
const REQUESTER = 'default_user';
const APPROVER = 'manager@bank.com';

type Phase = 'steady' | 'worker killed' | 'gateway killed';
interface Sample {
  phase: Phase;
  route: string;
  ms: number;
  status: number;
  at: number;
}
interface FlowResult {
  workflowId: string;
  sessionId: string;
  ms: number;
  phase: Phase;
}

let phase: Phase = 'steady';
const samples: Sample[] = [];
const inFlightFailures: { gateway: string; route: string; error: string }[] = [];
const otherFailures: string[] = [];
const down = new Set<string>();
let next = 0;
/** When each kill happened (performance.now()), for the latency of the calls right after it. */
const killedAt: Partial<Record<Phase, number>> = {};
/** Status reads answered without a run status (not 503): the body says why; each is a failed request. */
const statuslessAnswers: {
  phase: Phase;
  sessionId: string;
  gateway: string;
  requestId: string;
  status: number;
  body: string;
}[] = [];

const errorCode = (err: unknown): string | undefined =>
  err instanceof Error && err.cause && typeof err.cause === 'object' && 'code' in err.cause
    ? String(err.cause.code)
    : undefined;

/** One HTTP call through the script's load balancer: refused connections move on; a cut-off call is counted and retried. */
async function call(
  method: string,
  route: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; cutOff: boolean; gateway: string; requestId: string }> {
  let cutOff = false;
  for (let attempt = 0; attempt < 2 * gateways.length; attempt++) {
    const live = gateways.filter((g) => !down.has(g));
    const gateway = live[next++ % live.length];
    if (!gateway) throw new Error('no gateway left');
    const started = performance.now();
    // The gateways' JSON request log (LOG_FORMAT=json) carries this id, so an answer printed here can be found there.
    const requestId = randomUUID();
    try {
      const res = await fetch(gateway + route, {
        method,
        headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(60_000),
      });
      const json = (await res.json()) as Record<string, unknown>;
      samples.push({
        phase,
        route: route.replace(/\/workflow\/[^/]+/, '/workflow/:id'),
        ms: performance.now() - started,
        status: res.status,
        at: started,
      });
      return { status: res.status, body: json, cutOff, gateway, requestId };
    } catch (err) {
      down.add(gateway);
      if (errorCode(err) !== 'ECONNREFUSED') {
        cutOff = true;
        inFlightFailures.push({ gateway, route, error: errorCode(err) ?? String(err) });
      }
    }
  }
  throw new Error(`${method} ${route}: every gateway failed`);
}

/** Refusals a client retries: the gateway answered 503 (Temporal or the run did not answer in time). */
const unavailable: { phase: Phase; route: string; code: string }[] = [];
/** Approvals no worker took in time, kept durably (202 accepted); their runs must still complete and pay once. */
const acceptedDecisions: Phase[] = [];
/** Status reads answered from a run's memo because no worker answered its query in time. */
const staleReads: Phase[] = [];

async function callRetrying503(
  method: string,
  route: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Awaited<ReturnType<typeof call>>> {
  for (const deadline = Date.now() + 60_000; ;) {
    const res = await call(method, route, body, headers);
    if (res.status !== 503 || Date.now() > deadline) return res;
    unavailable.push({
      phase,
      route: route.replace(/\/workflow\/[^/]+/, '/workflow/:id'),
      code: String((res.body.error as { code?: string } | undefined)?.code),
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function statusOf(sessionId: string, wanted: string[]): Promise<Record<string, unknown>> {
  for (const deadline = Date.now() + 120_000; ;) {
    const status = await callRetrying503('GET', `/workflow/${sessionId}/status`, undefined);
    if (status.body.stale === true) staleReads.push(phase);
    if (status.body.status === undefined && status.status !== 503) {
      const { gateway, requestId } = status;
      statuslessAnswers.push({
        phase,
        sessionId,
        gateway,
        requestId,
        status: status.status,
        body: JSON.stringify(status.body),
      });
    }
    if (wanted.includes(String(status.body.status))) return status.body;
    if (status.body.status === 'FAILED' || Date.now() > deadline)
      throw new Error(
        `run of session ${sessionId} is ${String(status.body.status)}, waited for ${wanted.join(' or ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function oneFlow(): Promise<FlowResult> {
  const started = performance.now();
  const startPhase = phase;
  const chat = await callRetrying503(
    'POST',
    '/chat',
    { message: `Transfer ${amount} to Kiran`, user_id: REQUESTER, session_id: null },
    { 'Idempotency-Key': randomUUID() },
  );
  if (chat.status !== 200) throw new Error(`chat answered ${chat.status} ${JSON.stringify(chat.body)}`);
  const sessionId = String(chat.body.session_id);
  // RUNNING: the run did not settle within the gateway's wait budget; a client follows it until it asks for approval.
  const waiting = chat.body.status === 'RUNNING' ? await statusOf(sessionId, ['WAITING_APPROVAL']) : chat.body;
  const pending =
    (waiting.pending_approvals as { approval_id: string }[] | undefined)?.[0]?.approval_id ??
    (waiting.reply as { approval_id?: string } | undefined)?.approval_id;
  if (!pending)
    throw new Error(
      `no approval asked: ${JSON.stringify(waiting)} (start the cluster with HIL_THRESHOLD below ${amount})`,
    );
  const decision = await callRetrying503('POST', `/workflow/${sessionId}/approve`, {
    approver_id: APPROVER,
    approved: true,
    approval_id: pending,
  });
  // 409 after a retry: the first attempt reached the run before its gateway died.
  const accepted = decision.status === 200 || decision.status === 202 || (decision.status === 409 && decision.cutOff);
  if (!accepted) throw new Error(`approve answered ${decision.status} ${JSON.stringify(decision.body)}`);
  if (decision.status === 202) acceptedDecisions.push(phase);
  await statusOf(sessionId, ['COMPLETED']);
  return { workflowId: String(chat.body.workflow_id), sessionId, ms: performance.now() - started, phase: startPhase };
}

function kill(name: string): void {
  const pid = Number(readFileSync(path.join(pidDir, `${name}.pid`), 'utf8'));
  process.kill(-pid, 'SIGKILL');
  console.log(`${new Date().toISOString()} SIGKILL ${name} (pid ${pid})`);
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0)
    : 0;
};

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
  const startedAt = new Date();
  const before = { from: await balance(FROM), to: await balance(TO), entries: (await ledger(TO)).length };
  const results: FlowResult[] = [];
  let stopping = false;
  const loops = Array.from({ length: flows }, async () => {
    while (!stopping) {
      try {
        results.push(await oneFlow());
      } catch (err) {
        otherFailures.push(err instanceof Error ? err.message : String(err));
      }
    }
  });
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await pause(phaseMs);
  phase = 'worker killed';
  killedAt[phase] = performance.now();
  kill('worker-2');
  await pause(phaseMs);
  phase = 'gateway killed';
  killedAt[phase] = performance.now();
  kill('gateway-2');
  await pause(phaseMs);
  stopping = true;
  await Promise.all(loops);

  const after = { from: await balance(FROM), to: await balance(TO) };
  const newEntries = (await ledger(TO)).filter((e) => e.to_account === TO && e.created_at >= startedAt.toISOString());
  const cents = Math.round(amount * 100);
  const connection = await Connection.connect(
    temporalConnectionSettings({ TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' }),
  );
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const query = `WorkflowType = 'requestWorkflow' AND UserId = '${REQUESTER}' AND StartTime >= '${startedAt.toISOString()}'`;
  // SQL visibility trails the runs by a moment: wait (with a deadline) until it lists them all.
  let runs = 0;
  let completedRuns = 0;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await pause(500)) {
    runs = (await client.workflow.count(query)).count;
    completedRuns = (await client.workflow.count(`${query} AND ExecutionStatus = 'Completed'`)).count;
    if (runs >= results.length && completedRuns >= results.length) break;
  }
  // A run the killed worker left with a history its own code cannot replay fails every later query
  // and replay (a worker restart strands it): replay every run and session with the workers' bundle.
  const unreplayable: string[] = [];
  let replayed = 0;
  let lostTasks = 0;
  const sessionsAndRuns = `(WorkflowType = 'requestWorkflow' OR WorkflowType = 'sessionWorkflow') AND UserId = '${REQUESTER}' AND StartTime >= '${startedAt.toISOString()}'`;
  const histories = client.workflow.list({ query: sessionsAndRuns }).intoHistories();
  async function* countingLostTasks(): AsyncIterable<HistoryAndWorkflowId> {
    for await (const entry of histories) {
      const { events } = entry.history as temporal.api.history.v1.IHistory;
      if (events?.some((e) => e.workflowTaskTimedOutEventAttributes)) lostTasks++;
      yield entry;
    }
  }
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { codePath: workflowBundle } },
    countingLostTasks(),
  )) {
    replayed++;
    if (result.error) unreplayable.push(`${result.workflowId}: ${result.error.message.slice(0, 300)}`);
  }
  await connection.close();

  const checks = {
    'flows completed': results.length,
    'failed requests other than in flight at the dead gateway': otherFailures.length,
    'requests cut off in flight at the dead gateway': inFlightFailures.length,
    '503 answers (retried by the client)': unavailable.length,
    'status reads answered without a status (not 503)': statuslessAnswers.length,
    'approvals kept durably (202 accepted)': acceptedDecisions.length,
    'status reads from the memo (stale)': staleReads.length,
    'distinct runs': new Set(results.map((r) => r.workflowId)).size,
    'runs started in Temporal (visibility)': runs,
    'runs completed in Temporal (visibility)': completedRuns,
    'runs and sessions replayed': replayed,
    'of which lost a workflow task (timed out on the killed worker)': lostTasks,
    'histories that fail to replay': unreplayable.length,
    'ledger entries to kiran': newEntries.length,
    'distinct ledger idempotency keys': new Set(newEntries.map((e) => e.idempotency_key)).size,
    'kiran received (cents)': after.to - before.to,
    'expected (cents)': results.length * cents,
    'account 123 paid (cents)': before.from - after.from,
  };
  console.log(JSON.stringify(checks, null, 2));
  for (const p of ['steady', 'worker killed', 'gateway killed'] as const) {
    const http = samples.filter((s) => s.phase === p).map((s) => s.ms);
    const flowMs = results.filter((r) => r.phase === p).map((r) => r.ms);
    console.log(
      `${p.padEnd(15)} requests ${String(http.length).padStart(4)}  p50 ${percentile(http, 50)} ms  p99 ${percentile(http, 99)} ms  max ${percentile(http, 100)} ms | flows ${String(flowMs.length).padStart(3)}  chat-to-completed p50 ${percentile(flowMs, 50)} ms  max ${percentile(flowMs, 100)} ms`,
    );
  }
  for (const p of ['worker killed', 'gateway killed'] as const) {
    const at = killedAt[p] ?? 0;
    const blip = samples.filter((s) => s.at >= at && s.at < at + BLIP_WINDOW_MS).map((s) => s.ms);
    console.log(
      `${p.padEnd(15)} calls started in the ${BLIP_WINDOW_MS / 1000} s after the kill: ${String(blip.length).padStart(4)}  p50 ${percentile(blip, 50)} ms  p99 ${percentile(blip, 99)} ms  max ${percentile(blip, 100)} ms`,
    );
  }
  for (const p of new Set([...acceptedDecisions, ...staleReads])) {
    console.log(
      `  ${p}: ${acceptedDecisions.filter((x) => x === p).length} approvals 202 accepted, ${staleReads.filter((x) => x === p).length} stale status reads`,
    );
  }
  for (const failure of unreplayable) console.log(`  replay failed: ${failure}`);
  for (const refusal of unavailable) console.log(`  503 ${refusal.code} on ${refusal.route} (${refusal.phase})`);
  for (const a of statuslessAnswers.slice(0, 20))
    console.log(
      `  status read of session ${a.sessionId} at ${a.gateway} (x-request-id ${a.requestId}, ${a.phase}) answered ${a.status} ${a.body}`,
    );
  if (statuslessAnswers.length > 20)
    console.log(`  ... and ${statuslessAnswers.length - 20} more status reads without a status`);
  for (const failure of [
    ...inFlightFailures.map((f) => `in flight at ${f.gateway}${f.route}: ${f.error}`),
    ...otherFailures,
  ])
    console.log(`  ${failure}`);

  const ok =
    otherFailures.length === 0 &&
    unavailable.length === 0 &&
    statuslessAnswers.length === 0 &&
    inFlightFailures.every((f) => f.gateway === gateways[1]) &&
    checks['distinct runs'] === results.length &&
    runs === results.length &&
    completedRuns === results.length &&
    unreplayable.length === 0 &&
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
