/**
 * `npm run bench [-- --quick]`: starts its own stack (dev server, sandbox, worker, gateway, and the
 * benchmark's baseline/DAG workers, each its own process) and prints medians and p95s of our
 * engine side by side with a bare Temporal workflow doing the same activities on the same server.
 * `--local-tool-calls` runs our worker with LOCAL_TOOL_CALLS=true (tools as local activities).
 */
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { RunView } from '../src/shared/contracts.js';
import { criticalPathLength } from '../src/shared/dag.js';
import { REQUEST_WORKFLOW_TYPE } from '../src/shared/definitions.js';
import { startDevServer } from '../test/helpers/temporal-server.js';
import { startSandboxProcess } from '../test/helpers/sandbox-process.js';
import { startGatewayProcess, startNodeService, startWorkerProcess, type NodeService } from '../test/helpers/node-service.js';
import { freePort, waitFor } from '../test/helpers/ports.js';
import { dagMessage, dagPlan, probeSleepMs, type DagShape } from './dag-plans.js';
import { Table, summarize, timed } from './stats.js';

const quick = process.argv.includes('--quick');
const localToolCalls = process.argv.includes('--local-tool-calls');
const SIZES = quick
  ? { latency: 25, approvals: 10, throughputSeconds: 8, clients: 8, waiting: 200, dagRepeats: 2 }
  : { latency: 100, approvals: 30, throughputSeconds: 30, clients: 8, waiting: 1000, dagRepeats: 3 };
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
  const server = await startDevServer();
  const sandbox = await startSandboxProcess();
  const gatewayPort = String(await freePort());
  const env = { TEMPORAL_ADDRESS: server.address, TASK_QUEUE: 'requests', SANDBOX_URL: sandbox.url, HIL_THRESHOLD, LOCAL_TOOL_CALLS: String(localToolCalls) };
  const [worker, gateway, benchWorkers] = await Promise.all([
    startWorkerProcess({ ...env, WORKFLOW_BUNDLE: workflowBundle }),
    startGatewayProcess({ ...env, GATEWAY_PORT: gatewayPort, CHAT_WAIT_MS: '30000' }),
    startNodeService({ name: 'bench workers', entry: 'bench/bench-worker.ts', env, isReady: (out) => out.includes('bench workers polling'), readyTimeoutMs: 60_000 }),
  ]);
  const base = `http://127.0.0.1:${gatewayPort}`;
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const table = new Table();

  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const chatTransfer = async (): Promise<void> => {
    const answer = await post('/chat', { message: 'Transfer 1 to kiran' });
    if (answer['status'] !== 'COMPLETED') throw new Error(`chat did not complete: ${JSON.stringify(answer)}`);
  };
  const baselineTransfer = async (): Promise<void> => {
    await client.workflow.execute('baselineTransferWorkflow', {
      taskQueue: 'bench-baseline',
      workflowId: `baseline-${randomUUID()}`,
      args: [{ user_id: 'default_user', to_account: 'kiran', amount_cents: 100, key: randomUUID() }],
    });
  };

  try {
    for (let i = 0; i < 5; i++) await Promise.all([chatTransfer(), baselineTransfer()]);

    // Latency: alternate ours and the baseline so drift in the machine hits both alike.
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < SIZES.latency; i++) {
      ours.push(await timed(chatTransfer));
      bare.push(await timed(baselineTransfer));
    }
    table.row('chat-to-settled, low-value transfer (ms)', summarize(ours), summarize(bare));

    const approvals: number[] = [];
    for (let i = 0; i < SIZES.approvals; i++) {
      const pending = await post('/chat', { message: 'Transfer 150 to kiran' });
      const session = String(pending['session_id']);
      approvals.push(await timed(async () => {
        const decided = await post(`/workflow/${session}/approve`, { approver_id: 'manager@bank.com', approved: true });
        if (decided['status'] !== 'approved') throw new Error(`approval failed: ${JSON.stringify(decided)}`);
      }));
    }
    table.row('approval-to-executed (ms)', summarize(approvals));

    const throughput = async (once: () => Promise<void>): Promise<number> => {
      const deadline = Date.now() + SIZES.throughputSeconds * 1000;
      let done = 0;
      await Promise.all(Array.from({ length: SIZES.clients }, async () => {
        while (Date.now() < deadline) {
          await once();
          done += 1;
        }
      }));
      return done / SIZES.throughputSeconds;
    };
    const oursTps = await throughput(chatTransfer);
    const bareTps = await throughput(baselineTransfer);
    table.throughput(`throughput, ${SIZES.clients} clients x ${SIZES.throughputSeconds} s (transfers/s)`, oursTps, bareTps);

    const shapes: [string, DagShape, number, number][] = [['DAG 50 wide x 200 ms', 'wide', 50, 200], ['DAG 20 deep x 20 ms', 'chain', 20, 20]];
    for (const [label, shape, count, ms] of shapes) {
      const critical = criticalPathLength(dagPlan(shape, count, ms).steps, probeSleepMs);
      const walls: number[] = [];
      const bareWalls: number[] = [];
      for (let i = 0; i < SIZES.dagRepeats; i++) {
        walls.push(await timed(async () => {
          const view = (await client.workflow.execute(REQUEST_WORKFLOW_TYPE, {
            taskQueue: 'bench-dag',
            workflowId: `dag-${randomUUID()}`,
            args: [{ user_id: 'bench', session_id: 'bench', message: dagMessage(shape, count, ms) }],
          })) as RunView;
          if (view.status !== 'COMPLETED') throw new Error(`DAG run ${view.status}: ${view.error}`);
        }));
        bareWalls.push(await timed(() => client.workflow.execute('baselineDagWorkflow', {
          taskQueue: 'bench-baseline',
          workflowId: `baseline-dag-${randomUUID()}`,
          args: [{ shape, count, ms, local: localToolCalls }],
        })));
      }
      table.dag(`${label}: wall vs critical path ${critical} ms`, summarize(walls), summarize(bareWalls), critical);
    }

    await fillWaiting(post, SIZES.waiting);
    await waitFor(async () => (await inboxSize(base)) >= SIZES.waiting, { timeoutMs: 120_000, intervalMs: 500, what: 'the inbox to list every waiting run' });
    const inbox: number[] = [];
    for (let i = 0; i < 10; i++) inbox.push(await timed(() => inboxSize(base)));
    table.row(`inbox query with ${SIZES.waiting} runs waiting (ms)`, summarize(inbox));
    table.memory(`RSS with ${SIZES.waiting} runs waiting (MB)`, rssMb(worker), rssMb(gateway));

    console.log(`\n${quick ? 'Quick run' : 'Full run'}, tools as ${localToolCalls ? 'local activities' : 'activities'}, on ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString()}`);
    console.log(table.render());
    console.log(`\n(${Math.round((Date.now() - started) / 1000)} s in all)`);
  } finally {
    await Promise.all([worker.stop(), gateway.stop(), benchWorkers.stop()]);
    await client.connection.close();
    await sandbox.dispose();
    await server.stop();
    rmSync(bundleDir, { recursive: true, force: true });
  }
}

async function fillWaiting(post: (path: string, body: unknown) => Promise<Record<string, unknown>>, count: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) {
      next += 1;
      const answer = await post('/chat', { message: 'Transfer 200 to kiran', user_id: 'alice' });
      if (answer['status'] !== 'PENDING_APPROVAL') throw new Error(`expected a pending approval: ${JSON.stringify(answer)}`);
    }
  }));
}

async function inboxSize(base: string): Promise<number> {
  const body = (await (await fetch(`${base}/api/approvals?status=pending`)).json()) as { approvals: unknown[] };
  return body.approvals.length;
}

await main();
