/**
 * `npm run bench [-- --quick]`: starts its own stack (dev server, sandbox, worker, gateway, and the
 * benchmark's baseline/DAG workers, each its own process) and prints medians and p95s of our
 * engine side by side with a bare Temporal workflow doing the same activities on the same server.
 * `--local-tool-calls` runs our worker with LOCAL_TOOL_CALLS=true (tools as local activities).
 * The server keeps its state in a SQLite file, as `./temporal-dev.sh start` runs it. The raw
 * samples go to `bench/results/<date>.json` (`--out <path>` for another place).
 */
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { RunView } from '../src/shared/contracts.js';
import { criticalPathLength } from '../src/shared/dag.js';
import { REQUEST_WORKFLOW_TYPE } from '../src/shared/messages.js';
import { startSignedAsGateway } from '../dev/stack-secrets.js';
import { startDevServer } from '../dev/temporal-server.js';
import { startSandboxProcess } from '../dev/sandbox-process.js';
import { startGatewayProcess, startNodeService, startWorkerProcess, type NodeService } from '../dev/node-service.js';
import { freePort, waitFor } from '../dev/ports.js';
import { breakdown, type TimedRun } from './breakdown.js';
import { cpuPerRequest } from './cpu.js';
import { dagMessage, dagPlan, probeSleepMs, type DagShape } from './dag-plans.js';
import { runLoadPhase } from './load.js';
import { measureSessionShare } from './session-share.js';
import { renderReport } from './report.js';
import type { BenchResults, DagMeasure } from './results.js';
import { Table, summarize, timed } from './stats.js';

const quick = process.argv.includes('--quick');
const localToolCalls = process.argv.includes('--local-tool-calls');
const outIndex = process.argv.indexOf('--out');
const SIZES = quick
  ? { latency: 25, approvals: 10, throughputSeconds: 8, clients: 8, loadSeconds: 15, waiting: 200, dagRepeats: 2 }
  : { latency: 100, approvals: 30, throughputSeconds: 30, clients: 8, loadSeconds: 60, waiting: 1000, dagRepeats: 3 };
/** The open-loop phase's arrival rate, as a share of the closed-loop throughput just measured. */
const LOAD_SHARE = 0.8;
const HIL_THRESHOLD = '100';

function rssMb(service: NodeService): number {
  const pid = service.pid();
  if (!pid) return NaN;
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

async function main(): Promise<void> {
  const started = Date.now();
  const bundleDir = mkdtempSync(path.join(os.tmpdir(), 'bench-bundle-'));
  const workflowBundle = path.join(bundleDir, 'workflows.js');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bundle-workflows.ts', workflowBundle]);
  const server = await startDevServer({ dbFile: path.join(bundleDir, 'temporal.db') });
  const sandbox = await startSandboxProcess();
  const gatewayPort = String(await freePort());
  const env = {
    TEMPORAL_ADDRESS: server.address,
    TASK_QUEUE: 'requests',
    SANDBOX_URL: sandbox.url,
    HIL_THRESHOLD,
    LOCAL_TOOL_CALLS: String(localToolCalls),
  };
  const launched = await Promise.allSettled([
    startWorkerProcess({ ...env, WORKFLOW_BUNDLE: workflowBundle }),
    startGatewayProcess({ ...env, GATEWAY_PORT: gatewayPort, CHAT_WAIT_MS: '30000' }),
    startNodeService({
      name: 'bench workers',
      entry: 'bench/bench-worker.ts',
      env,
      isReady: (out) => out.includes('bench workers polling'),
      readyTimeoutMs: 60_000,
    }),
  ]);
  const failed = launched.find((s) => s.status === 'rejected');
  if (failed) {
    // Leave nothing running behind a start-up that failed.
    await Promise.all(launched.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    await sandbox.dispose();
    await server.stop();
    throw failed.reason;
  }
  const [worker, gateway, benchWorkers] = launched.map((s) => (s as PromiseFulfilledResult<NodeService>).value) as [
    NodeService,
    NodeService,
    NodeService,
  ];
  const base = `http://127.0.0.1:${gatewayPort}`;
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const table = new Table();

  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const chatTransfer = async (): Promise<TimedRun> => {
    const sentAt = Date.now();
    const answer = await post('/chat', { message: 'Transfer 1 to kiran' });
    if (answer['status'] !== 'COMPLETED') throw new Error(`chat did not complete: ${JSON.stringify(answer)}`);
    return { workflowId: String(answer['workflow_id']), sentAt, answeredAt: Date.now() };
  };
  const baselineTransfer = async (): Promise<TimedRun> => {
    const workflowId = `baseline-${randomUUID()}`;
    const sentAt = Date.now();
    await client.workflow.execute('baselineTransferWorkflow', {
      taskQueue: 'bench-baseline',
      workflowId,
      args: [{ user_id: 'default_user', to_account: 'kiran', amount_cents: 100, key: randomUUID() }],
    });
    return { workflowId, sentAt, answeredAt: Date.now() };
  };

  try {
    const firstChat = await timed(chatTransfer);
    for (let i = 0; i < 5; i++) await Promise.all([chatTransfer(), baselineTransfer()]);

    // Latency: alternate ours and the baseline so drift in the machine hits both alike.
    const oursRuns: TimedRun[] = [];
    const bareRuns: TimedRun[] = [];
    for (let i = 0; i < SIZES.latency; i++) {
      oursRuns.push(await chatTransfer());
      bareRuns.push(await baselineTransfer());
    }
    const elapsed = (runs: TimedRun[]): number[] => runs.map((r) => r.answeredAt - r.sentAt);
    table.row('first chat after start-up (ms)', summarize([firstChat]));
    table.row('chat-to-settled, low-value transfer (ms)', summarize(elapsed(oursRuns)), summarize(elapsed(bareRuns)));

    const approvalRuns: TimedRun[] = [];
    for (let i = 0; i < SIZES.approvals; i++) {
      const pending = await post('/chat', { message: 'Transfer 150 to kiran' });
      const session = String(pending['session_id']);
      const approvalId = String((pending['reply'] as Record<string, unknown> | undefined)?.['approval_id']);
      const sentAt = Date.now();
      const decided = await post(`/workflow/${session}/approve`, {
        approver_id: 'manager@bank.com',
        approved: true,
        approval_id: approvalId,
      });
      if (decided['status'] !== 'approved') throw new Error(`approval failed: ${JSON.stringify(decided)}`);
      approvalRuns.push({ workflowId: String(pending['workflow_id']), sentAt, answeredAt: Date.now() });
    }
    table.row('approval-to-executed (ms)', summarize(elapsed(approvalRuns)));

    const throughput = async (once: () => Promise<unknown>): Promise<{ requests: number }> => {
      const deadline = Date.now() + SIZES.throughputSeconds * 1000;
      let requests = 0;
      await Promise.all(
        Array.from({ length: SIZES.clients }, async () => {
          while (Date.now() < deadline) {
            await once();
            requests += 1;
          }
        }),
      );
      return { requests };
    };
    const shared = { server: () => server.pid(), sandbox: () => sandbox.pid() };
    const oursPhase = await cpuPerRequest({ ...shared, worker: () => worker.pid(), gateway: () => gateway.pid() }, () =>
      throughput(chatTransfer),
    );
    const barePhase = await cpuPerRequest({ ...shared, 'bench workers': () => benchWorkers.pid() }, () =>
      throughput(baselineTransfer),
    );
    const oursTps = oursPhase.requests / SIZES.throughputSeconds;
    const bareTps = barePhase.requests / SIZES.throughputSeconds;
    table.throughput(
      `throughput, ${SIZES.clients} clients x ${SIZES.throughputSeconds} s (transfers/s)`,
      oursTps,
      bareTps,
    );
    table.cpu(
      'CPU ms per transfer in the throughput phase',
      oursPhase.cpu_ms_per_request,
      barePhase.cpu_ms_per_request,
    );

    const load = await runLoadPhase(chatTransfer, {
      ratePerSecond: Math.max(1, Math.round(oursTps * LOAD_SHARE * 10) / 10),
      seconds: SIZES.loadSeconds,
    });
    table.load(`sustained load, ${load.rate_per_s}/s (${LOAD_SHARE * 100} % of ours) x ${load.seconds} s`, load);

    const sessionShare = await measureSessionShare(
      client,
      'requests',
      { ...shared, worker: () => worker.pid() },
      { latency: SIZES.latency, clients: SIZES.clients, seconds: SIZES.throughputSeconds },
    );
    table.row(
      'run + session signal vs run alone, straight through the client (ms)',
      summarize(sessionShare.latency.with_session),
      summarize(sessionShare.latency.without_session),
    );
    const { throughput: sessionTps, cpu_ms_per_chat: sessionCpu } = sessionShare;
    table.throughput(
      'throughput, with vs without session (runs/s)',
      sessionTps.with_session_per_s,
      sessionTps.without_session_per_s,
    );
    table.cpu('CPU ms per run, with vs without session', sessionCpu.with_session, sessionCpu.without_session);

    const dags: DagMeasure[] = [];
    const shapes: [string, DagShape, number, number][] = [
      ['DAG 50 wide x 200 ms', 'wide', 50, 200],
      ['DAG 20 deep x 20 ms', 'chain', 20, 20],
    ];
    for (const [label, shape, count, ms] of shapes) {
      const critical = criticalPathLength(dagPlan(shape, count, ms).steps, probeSleepMs);
      const walls: number[] = [];
      const bareWalls: number[] = [];
      for (let i = 0; i < SIZES.dagRepeats; i++) {
        walls.push(
          await timed(async () => {
            const workflowId = `dag-${randomUUID()}`;
            const input = { user_id: 'bench', session_id: 'bench', message: dagMessage(shape, count, ms) };
            const view = (await client.workflow.execute(REQUEST_WORKFLOW_TYPE, {
              taskQueue: 'bench-dag',
              workflowId,
              args: [startSignedAsGateway(workflowId, input)],
            })) as RunView;
            if (view.status !== 'COMPLETED') throw new Error(`DAG run ${view.status}: ${view.error}`);
          }),
        );
        bareWalls.push(
          await timed(() =>
            client.workflow.execute('baselineDagWorkflow', {
              taskQueue: 'bench-baseline',
              workflowId: `baseline-dag-${randomUUID()}`,
              args: [{ shape, count, ms, local: localToolCalls }],
            }),
          ),
        );
      }
      table.dag(`${label}: wall vs critical path ${critical} ms`, summarize(walls), summarize(bareWalls), critical);
      dags.push({ label, shape, count, step_ms: ms, critical_path_ms: critical, ours: walls, baseline: bareWalls });
    }

    await fillWaiting(post, SIZES.waiting);
    await waitFor(async () => (await inboxSize(base)) >= SIZES.waiting, {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: 'the inbox to list every waiting run',
    });
    const inbox: number[] = [];
    // Served from the listing the gateway keeps warm; bench/inbox.ts measures a fresh gateway's first page and cold
    // pages.
    for (let i = 0; i < 10; i++) inbox.push(await timed(() => inboxSize(base)));
    table.row(
      `inbox first page (50, with total) with ${SIZES.waiting} runs waiting, back to back, listing kept warm (ms)`,
      summarize(inbox),
    );
    const memory = { waiting: SIZES.waiting, worker_mb: rssMb(worker), gateway_mb: rssMb(gateway) };
    table.memory(`RSS with ${SIZES.waiting} runs waiting (MB)`, memory.worker_mb, memory.gateway_mb);

    const sample = (runs: TimedRun[]): TimedRun[] => runs.slice(-20);
    const segments = [
      {
        label: 'chat, low-value transfer',
        ours: await breakdown(client, sample(oursRuns)),
        baseline: await breakdown(client, sample(bareRuns)),
      },
      { label: 'approval to executed', ours: await breakdown(client, sample(approvalRuns)), baseline: [] },
    ];
    const memoryGiB = Math.round(os.totalmem() / 2 ** 30);
    const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${memoryGiB} GiB, Node ${process.version}`;
    const run = `${quick ? 'Quick run' : 'Full run'}, tools as ${localToolCalls ? 'local activities' : 'activities'}`;
    console.log(`\n${run}, on ${machine}, ${new Date().toISOString()}`);
    console.log(table.render());
    for (const { label, ours, baseline } of segments) console.log(`\n${label}:\n${Table.segments(ours, baseline)}`);

    const results: BenchResults = {
      meta: {
        date: new Date().toISOString(),
        quick,
        local_tool_calls: localToolCalls,
        cpus: os.cpus().length,
        cpu_model: os.cpus()[0]?.model ?? 'cpu',
        mem_gib: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        seconds: Math.round((Date.now() - started) / 1000),
      },
      first_chat_ms: firstChat,
      chat: { ours: elapsed(oursRuns), baseline: elapsed(bareRuns) },
      approval: elapsed(approvalRuns),
      throughput: {
        clients: SIZES.clients,
        seconds: SIZES.throughputSeconds,
        ours_per_s: oursTps,
        baseline_per_s: bareTps,
        cpu_ms_per_transfer: { ours: oursPhase.cpu_ms_per_request, baseline: barePhase.cpu_ms_per_request },
      },
      load,
      session_share: sessionShare,
      dag: dags,
      inbox: { waiting: SIZES.waiting, ms: inbox },
      memory,
      breakdown: segments,
    };
    const out =
      outIndex > 0
        ? process.argv[outIndex + 1]!
        : path.join(
            'bench',
            'results',
            `${results.meta.date.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}${localToolCalls ? '-local' : ''}.json`,
          );
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 1)}\n`);
    const report = out.replace(/\.json$/, '') + '.html';
    writeFileSync(report, await renderReport(results));
    console.log(`\nresults: ${out}, charts: ${report} (${results.meta.seconds} s in all)`);
  } finally {
    await Promise.all([worker.stop(), gateway.stop(), benchWorkers.stop()]);
    await client.connection.close();
    await sandbox.dispose();
    await server.stop();
    rmSync(bundleDir, { recursive: true, force: true });
  }
}

async function fillWaiting(
  post: (path: string, body: unknown) => Promise<Record<string, unknown>>,
  count: number,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        next += 1;
        const answer = await post('/chat', { message: 'Transfer 200 to kiran', user_id: 'alice' });
        if (answer['status'] !== 'PENDING_APPROVAL')
          throw new Error(`expected a pending approval: ${JSON.stringify(answer)}`);
      }
    }),
  );
}

/** The inbox's first page (the default 50, oldest first); its `total` counts every waiting approval. */
async function inboxSize(base: string): Promise<number> {
  const body = (await (await fetch(`${base}/api/approvals?status=pending&limit=50`)).json()) as { total: number };
  return body.total;
}

await main();
