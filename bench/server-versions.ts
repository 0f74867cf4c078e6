/**
 * `node --import tsx bench/server-versions.ts <temporal binary A> <temporal binary B> [--quick]`:
 * two dev servers side by side with the settings `start` runs (dev/dev-server-args.ts: every
 * tuning flag, SQLite in WAL), a worker on each, and the bare two-activity workflow run on one,
 * then the other, alternating, so drift in a shared machine hits both alike. Prints each server's
 * median / p95 and its CPU per run.
 */
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../dev/temporal-server.js';
import { startBareWorker } from './bare-worker.js';
import { summarize, timed } from './stats.js';

const binaries = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
if (binaries.length !== 2) {
  console.error('usage: node --import tsx bench/server-versions.ts <temporal A> <temporal B> [--quick]');
  process.exit(2);
}
const RUNS = process.argv.includes('--quick') ? 40 : 150;
const TUNING = ['matching', 'queueReaders', 'visibilityApi', 'timers', 'searchAttributeCache'] as const;

function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Side {
  binary: string;
  version: string;
  server: DevServer;
  client: Client;
  stop: () => Promise<void>;
  samples: number[];
  cpuMs: number;
}

async function startSide(binary: string, workflowBundle: { code: string }): Promise<Side> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'server-versions-'));
  process.env['TEMPORAL_BIN'] = binary;
  const server = await startDevServer({
    tuning: [...TUNING],
    dbFile: path.join(dir, 'temporal.db'),
    sqlite: 'wal-normal',
  });
  const { client, stop } = await startBareWorker(server.address, 'versions', workflowBundle);
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  return {
    binary,
    version,
    server,
    client,
    samples: [],
    cpuMs: 0,
    stop: async () => {
      await stop();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const run = (side: Side) =>
  side.client.workflow.execute('baselineTwoStepWorkflow', { taskQueue: 'versions', workflowId: `v-${randomUUID()}` });

const { code } = await bundleWorkflowCode({
  workflowsPath: path.resolve('bench/baseline-workflow.ts'),
  logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
});
const sides: Side[] = [];
try {
  for (const binary of binaries) sides.push(await startSide(binary, { code }));
  for (const side of sides) for (let i = 0; i < 25; i++) await run(side);
  for (let i = 0; i < RUNS; i++) {
    for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
      const before = cpuMs(side.server.pid());
      side.samples.push(await timed(() => run(side)));
      side.cpuMs += cpuMs(side.server.pid()) - before;
    }
  }
  console.log(`\nBare two-activity workflow, ${RUNS} runs each, alternating, ${new Date().toISOString()}`);
  console.log('| server | median / p95 ms | server CPU ms per run |\n| --- | --- | --- |');
  for (const side of sides) {
    const s = summarize(side.samples);
    const version = side.version.replace(/\s+/g, ' ');
    console.log(`| ${version} | ${s.median.toFixed(1)} / ${s.p95.toFixed(1)} | ${(side.cpuMs / RUNS).toFixed(1)} |`);
  }
  const [a, b] = sides.map((side) => summarize(side.samples).median) as [number, number];
  console.log(`median ratio second / first: ${(b / a).toFixed(2)}`);
} finally {
  await Promise.all(sides.map((side) => side.stop()));
}
