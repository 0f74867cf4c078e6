/**
 * `node --import tsx bench/inbox.ts [--waiting 1000] [--samples 30]`: the inbox's first page with
 * many runs waiting, on its own stack (dev server, sandbox, worker, two gateways). Cold is a gateway
 * with INBOX_CACHE_MS=0 (every page reads visibility); warm is the default, which keeps one listing
 * for INBOX_CACHE_MS; a burst is several callers asking the cold gateway at once (they share one
 * read). The bare visibility list, read by a client, is the floor every cold page stands on.
 */
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../dev/temporal-server.js';
import { startSandboxProcess } from '../dev/sandbox-process.js';
import { startGatewayProcess, startWorkerProcess, type NodeService } from '../dev/node-service.js';
import { freePort, waitFor } from '../dev/ports.js';
import { pendingApprovalsQuery } from '../src/gateway/visibility.js';
import { summarize, timed, Table } from './stats.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const WAITING = option('--waiting', 1000);
const SAMPLES = option('--samples', 30);
const BURST = 10;

async function firstPage(base: string): Promise<number> {
  const response = await fetch(`${base}/api/approvals?status=pending&limit=50`);
  if (!response.ok) throw new Error(`inbox answered ${response.status}`);
  return ((await response.json()) as { total: number }).total;
}

async function fillWaiting(base: string, count: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) {
      next += 1;
      const response = await fetch(`${base}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Transfer 200 to kiran', user_id: 'alice' }) });
      const answer = (await response.json()) as { status?: string };
      if (answer.status !== 'PENDING_APPROVAL') throw new Error(`expected a pending approval: ${JSON.stringify(answer)}`);
    }
  }));
}

async function sequential(samples: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await timed(work));
  return times;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-inbox-'));
  const workflowBundle = path.join(dir, 'workflows.js');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bundle-workflows.ts', workflowBundle]);
  const server = await startDevServer({ dbFile: path.join(dir, 'temporal.db') });
  const sandbox = await startSandboxProcess();
  const env = { TEMPORAL_ADDRESS: server.address, TASK_QUEUE: 'requests', SANDBOX_URL: sandbox.url, HIL_THRESHOLD: '100' };
  const [warmPort, coldPort] = [String(await freePort()), String(await freePort())];
  const services: NodeService[] = [];
  try {
    services.push(await startWorkerProcess({ ...env, WORKFLOW_BUNDLE: workflowBundle }));
    services.push(await startGatewayProcess({ ...env, GATEWAY_PORT: warmPort, CHAT_WAIT_MS: '30000' }));
    services.push(await startGatewayProcess({ ...env, GATEWAY_PORT: coldPort, INBOX_CACHE_MS: '0' }));
    const warm = `http://127.0.0.1:${warmPort}`;
    const cold = `http://127.0.0.1:${coldPort}`;
    const filling = Date.now();
    await fillWaiting(warm, WAITING);
    await waitFor(async () => (await firstPage(cold)) >= WAITING, { timeoutMs: 120_000, intervalMs: 500, what: 'the inbox to list every waiting run' });
    console.log(`${WAITING} runs waiting after ${Math.round((Date.now() - filling) / 1000)} s`);

    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    const query = pendingApprovalsQuery('requests');
    const list = async () => {
      for await (const info of client.workflow.list({ query })) void info.memo;
    };
    const load = os.loadavg().map((l) => l.toFixed(2)).join(', ');
    const table = new Table();
    table.row(`bare visibility list of ${WAITING} with memos, client (ms)`, summarize(await sequential(SAMPLES, list)));
    table.row(`first page, cold (INBOX_CACHE_MS=0) (ms)`, summarize(await sequential(SAMPLES, () => firstPage(cold))));
    table.row(`first page, warm (INBOX_CACHE_MS=1000) (ms)`, summarize(await sequential(SAMPLES, () => firstPage(warm))));
    const burst: number[] = [];
    for (let i = 0; i < Math.ceil(SAMPLES / BURST); i++) {
      burst.push(...(await Promise.all(Array.from({ length: BURST }, () => timed(() => firstPage(cold))))));
    }
    table.row(`first page, ${BURST} callers at once, cold (ms)`, summarize(burst));
    await client.connection.close();
    console.log(`\n${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, load average before measuring ${load}, after ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
    console.log(table.render());
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await sandbox.dispose();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
