/**
 * `node --import tsx bench/inbox.ts [--waiting 1000] [--samples 30] [--fresh 5] [--out file.md]`:
 * the inbox's first page with many runs waiting, on its own stack (dev server, sandbox, worker).
 * - Where one read of the listing goes: the visibility list alone (raw, all pages), one page of 50,
 *   the count, the SDK's list (decodes every memo and search attribute), the gateway's reader
 *   (first read, and again with the memos unchanged), and filtering and paging 1000 records.
 * - The first page as a user sees it: a fresh gateway (defaults) started with the runs waiting, the
 *   first request sent as soon as `/readyz` answers 200; then pages from that gateway while it
 *   renews its listing in the background. Cold: a gateway with INBOX_CACHE_MS=0 (each page reads).
 * - What keeping the listing warm costs: CPU of the gateway and the dev server per second, idle,
 *   with and without a warm gateway.
 */
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../dev/temporal-server.js';
import { startSandboxProcess } from '../dev/sandbox-process.js';
import { startGatewayProcess, startWorkerProcess, type NodeService } from '../dev/node-service.js';
import { freePort, waitFor } from '../dev/ports.js';
import { inboxPage, InboxQuerySchema } from '../gateway/approvals/inbox.js';
import { PendingApprovalsReader } from '../gateway/approvals/inbox-read.js';
import { pendingApprovalsQuery } from '../gateway/visibility.js';
import { summarize, timed, Table } from './stats.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}
const outIndex = process.argv.indexOf('--out');
const OUT = outIndex > 0 ? process.argv[outIndex + 1] : undefined;

const WAITING = option('--waiting', 1000);
const SAMPLES = option('--samples', 30);
const FRESH = option('--fresh', 5);
const IDLE_WINDOW_MS = 10_000;
const TASK_QUEUE = 'requests';

async function firstPage(base: string): Promise<number> {
  const response = await fetch(`${base}/api/approvals?status=pending&limit=50`);
  if (!response.ok) throw new Error(`inbox answered ${response.status}`);
  return ((await response.json()) as { total: number }).total;
}

/** Starts runs until `count` wait for approval; a chat the busy stack fails is retried (at most 50), and said. */
async function fillWaiting(base: string, count: number): Promise<void> {
  let next = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        next += 1;
        const response = await fetch(`${base}/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'Transfer 200 to kiran', user_id: 'alice' }),
        });
        const answer = (await response.json()) as { status?: string };
        if (answer.status === 'PENDING_APPROVAL') continue;
        failures.push(JSON.stringify(answer));
        if (failures.length > 50)
          throw new Error(`expected pending approvals; ${failures.length} chats failed, the last: ${failures.at(-1)}`);
        next -= 1;
      }
    }),
  );
  if (failures.length > 0)
    console.log(`${failures.length} chats failed while filling and were sent again; the first: ${failures[0]}`);
}

async function sequential(samples: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await timed(work));
  return times;
}

/** CPU ms of a process so far (/proc/<pid>/stat, user + system, 100 ticks a second). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU ms per second of each process over a window in which the bench sends nothing. */
async function idleCpu(pids: Record<string, number | undefined>): Promise<string> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
  const seconds = (performance.now() - start) / 1000;
  return Object.entries(pids)
    .map(([name, pid]) => `${name} ${((cpuMs(pid) - before[name]!) / seconds).toFixed(0)} ms/s`)
    .join(', ');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-inbox-'));
  const workflowBundle = path.join(dir, 'workflows.js');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bundle-workflows.ts', workflowBundle]);
  const server = await startDevServer({ dbFile: path.join(dir, 'temporal.db') });
  const sandbox = await startSandboxProcess();
  const env = { TEMPORAL_ADDRESS: server.address, TASK_QUEUE, SANDBOX_URL: sandbox.url, HIL_THRESHOLD: '100' };
  const services: NodeService[] = [];
  const startGateway = async (extra: Record<string, string> = {}) => {
    const port = String(await freePort());
    const gateway = await startGatewayProcess({ ...env, GATEWAY_PORT: port, ...extra });
    services.push(gateway);
    return { gateway, base: `http://127.0.0.1:${port}` };
  };
  try {
    services.push(await startWorkerProcess({ ...env, WORKFLOW_BUNDLE: workflowBundle }));
    // The cold gateway fills the inbox too: it keeps no listing warm, so it reads nothing meanwhile.
    const cold = await startGateway({ INBOX_CACHE_MS: '0', CHAT_WAIT_MS: '30000' });
    const filling = Date.now();
    await fillWaiting(cold.base, WAITING);
    await waitFor(async () => (await firstPage(cold.base)) >= WAITING, {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: 'the inbox to list every waiting run',
    });
    console.log(`${WAITING} runs waiting after ${Math.round((Date.now() - filling) / 1000)} s`);

    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    const query = pendingApprovalsQuery(TASK_QUEUE);
    const rawList = async (pageSize: number) => {
      let token: Uint8Array | undefined;
      do {
        const page = await client.workflowService.listWorkflowExecutions({
          namespace: 'default',
          query,
          pageSize,
          ...(token && { nextPageToken: token }),
        });
        token = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
      } while (token);
    };
    const sdkList = async () => {
      for await (const info of client.workflow.list({ query })) void info.memo;
    };
    const reader = new PendingApprovalsReader(client, TASK_QUEUE);
    const records = await reader.read();
    const pageQuery = InboxQuerySchema.parse({ limit: '50' });
    const caller = { identity: { kind: 'anonymous' as const }, deciderId: undefined, groups: undefined };

    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
    const table = new Table();
    // Interleaved, one sample of each per round, so a change in the machine's load falls on all alike.
    const breakdown: [string, () => Promise<unknown>][] = [
      [`visibility list of ${WAITING}, raw, pages of 1000 (ms)`, () => rawList(1000)],
      [`visibility list of ${WAITING}, raw, pages of 200 (ms)`, () => rawList(200)],
      [
        'visibility list, first 50 only (ms)',
        () => client.workflowService.listWorkflowExecutions({ namespace: 'default', query, pageSize: 50 }),
      ],
      ['visibility count (ms)', () => client.workflowService.countWorkflowExecutions({ namespace: 'default', query })],
      [`SDK list of ${WAITING}, every memo and attribute decoded (ms)`, sdkList],
      [
        "gateway's reader, first read: every memo parsed (ms)",
        () => new PendingApprovalsReader(client, TASK_QUEUE).read(),
      ],
      ["gateway's reader, renewal: memos unchanged (ms)", () => reader.read()],
      [
        `filter, sort and page ${records.length} records (ms)`,
        async () => inboxPage(records, pageQuery, caller, Date.now()),
      ],
    ];
    const times = breakdown.map((): number[] => []);
    for (let i = 0; i < SAMPLES; i++) {
      for (const [index, [, work]] of breakdown.entries()) times[index]!.push(await timed(work));
    }
    breakdown.forEach(([label], index) => table.row(label, summarize(times[index]!)));
    table.row(
      'first page, cold (INBOX_CACHE_MS=0: each page reads) (ms)',
      summarize(await sequential(SAMPLES, () => firstPage(cold.base))),
    );

    const readyTimes: number[] = [];
    const firstPages: number[] = [];
    let warm: { gateway: NodeService; base: string } | undefined;
    for (let i = 0; i < FRESH; i++) {
      if (warm) await warm.gateway.stop();
      readyTimes.push(await timed(async () => (warm = await startGateway())));
      firstPages.push(await timed(() => firstPage(warm!.base)));
    }
    table.row('fresh gateway (defaults): start until /readyz is 200 (ms)', summarize(readyTimes));
    table.row('fresh gateway: the first page right after ready (ms)', summarize(firstPages));
    table.row(
      'warm gateway: pages while it renews in the background (ms)',
      summarize(await sequential(SAMPLES, () => firstPage(warm!.base))),
    );

    const withWarm = await idleCpu({ 'warm gateway': warm!.gateway.pid(), 'dev server': server.pid() });
    await warm!.gateway.stop();
    const withoutWarm = await idleCpu({ 'dev server': server.pid() });
    await client.connection.close();

    const loadAfter = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
    const cpu = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}`;
    const machine = `${cpu}, load average before measuring ${load}, after ${loadAfter}`;
    const report = [
      `Inbox, ${WAITING} runs waiting, ${SAMPLES} samples (${FRESH} fresh gateways), ${machine}, ` +
        new Date().toISOString(),
      '',
      table.render(),
      '',
      `CPU while idle, keeping the listing of ${WAITING} warm (INBOX_CACHE_MS=1000): ${withWarm}; ` +
        `without a warm gateway: ${withoutWarm}`,
    ].join('\n');
    console.log(`\n${report}`);
    if (OUT) writeFileSync(OUT, `${report}\n`);
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await sandbox.dispose();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
