/**
 * `./temporal-dev.sh bench --server-floor`: what each setting of the dev server changes, measured on
 * bare workflows (no gateway, no workflow code of ours): two activities that do nothing, a 100 ms
 * timer's lateness, and how long a new run takes to show up in a visibility listing. Each setting is
 * added to the ones above it; the last rows are what `start` runs and its alternatives.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { ServerTuning, SqliteMode } from '../dev/dev-server-args.js';
import { startDevServer } from '../dev/temporal-server.js';
import { startBareWorker } from './bare-worker.js';
import { summarize, timed, type Summary } from './stats.js';

interface Variant {
  label: string;
  tuning: ServerTuning[];
  sqlite: SqliteMode | 'memory';
}

const ALL: ServerTuning[] = ['matching', 'queueReaders', 'visibilityApi', 'timers', 'searchAttributeCache'];
const VARIANTS: Variant[] = [
  { label: 'dev server defaults (SQLite file, rollback journal)', tuning: [], sqlite: 'rollback' },
  { label: '+ one task-queue partition, eager activities', tuning: ALL.slice(0, 1), sqlite: 'rollback' },
  { label: '+ history queue readers unthrottled', tuning: ALL.slice(0, 2), sqlite: 'rollback' },
  { label: '+ visibility API at 1000/s', tuning: ALL.slice(0, 3), sqlite: 'rollback' },
  { label: '+ timer time shift 10 ms', tuning: ALL.slice(0, 4), sqlite: 'rollback' },
  { label: '+ search-attribute registry cached', tuning: ALL, sqlite: 'rollback' },
  { label: '+ WAL, normal sync (what start runs)', tuning: ALL, sqlite: 'wal-normal' },
  { label: 'WAL, full sync (TEMPORAL_DB_SYNC=full)', tuning: ALL, sqlite: 'wal-full' },
  { label: 'in memory (the floor without a disk)', tuning: ALL, sqlite: 'memory' },
];
const RUNS = process.argv.includes('--quick') ? 30 : 80;
const TIMER_MS = 100;

const fmt = (s: Summary): string => `${s.median.toFixed(1)} / ${s.p95.toFixed(1)}`;

async function measure(variant: Variant, workflowBundle: { code: string }): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'server-floor-'));
  const server = await startDevServer({
    tuning: variant.tuning,
    ...(variant.sqlite !== 'memory' && { dbFile: path.join(dir, 'temporal.db'), sqlite: variant.sqlite }),
  });
  const { client, stop } = await startBareWorker(server.address, 'floor', workflowBundle);
  try {
    const run = (type: string, args: unknown[] = []) =>
      client.workflow.execute(type, { taskQueue: 'floor', workflowId: `floor-${randomUUID()}`, args });
    // The first runs fill the throttles' bursts; measure after them, as a user who keeps working would.
    for (let i = 0; i < 25; i++) await run('baselineTwoStepWorkflow');
    const twoSteps: number[] = [];
    for (let i = 0; i < RUNS; i++) twoSteps.push(await timed(() => run('baselineTwoStepWorkflow')));
    const lateness: number[] = [];
    for (let i = 0; i < 10; i++)
      lateness.push((await timed(() => run('baselineTimerWorkflow', [TIMER_MS]))) - TIMER_MS);
    const visibility: number[] = [];
    for (let i = 0; i < 10; i++) {
      const workflowId = `floor-${randomUUID()}`;
      const started = performance.now();
      await client.workflow.start('baselineTimerWorkflow', { taskQueue: 'floor', workflowId, args: [1] });
      while ((await client.workflow.count(`WorkflowId = '${workflowId}'`)).count === 0)
        await new Promise((r) => setTimeout(r, 2));
      visibility.push(performance.now() - started);
    }
    return [variant.label, fmt(summarize(twoSteps)), fmt(summarize(lateness)), fmt(summarize(visibility))];
  } finally {
    await stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const { code } = await bundleWorkflowCode({
  workflowsPath: path.resolve('bench/baseline-workflow.ts'),
  logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
});
const rows: string[][] = [];
for (const variant of VARIANTS) rows.push(await measure(variant, { code }));
const header = [
  'dev server setting',
  'two empty activities: median / p95 ms',
  `${TIMER_MS} ms timer, late by: median / p95 ms`,
  'new run listed after: median / p95 ms',
];
console.log(
  `\nServer floor, ${RUNS} runs each, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ` +
    new Date().toISOString(),
);
console.log([header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n'));
