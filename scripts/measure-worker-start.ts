/**
 * What a cold worker does before it polls, phase by phase: starts the worker again and again on a
 * Temporal dev server of its own, the ways given (compiled, through tsx), in turns so that both
 * see the same machine load, and prints the median of each phase of the worker's start-up line
 * (worker/start-phases.ts) and of the time from spawn to its first poll.
 *
 *   node --import tsx scripts/measure-worker-start.ts [rounds, 5] [compiled|tsx|compiled-with-source-maps ...]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { BUILT_NODE_FLAGS, buildServices, builtEntryOf } from '../dev/service-build.js';
import { waitFor } from '../dev/ports.js';
import { testSecretsEnv } from '../dev/stack-secrets.js';
import { startDevServer } from '../dev/temporal-server.js';
import { bundleWorkflows } from '../worker/workflow-bundle.js';
import { parseStartPhases } from '../worker/start-phases.js';

const WAYS: Record<string, string[]> = {
  compiled: [...BUILT_NODE_FLAGS, builtEntryOf('worker')],
  'compiled-with-source-maps': ['--enable-source-maps', builtEntryOf('worker')],
  tsx: ['--import', 'tsx', 'worker/main.ts'],
};

const rounds = Number(process.argv[2] ?? 5);
const ways = process.argv.slice(3).length ? process.argv.slice(3) : ['compiled', 'tsx'];
for (const way of ways) if (!WAYS[way]) throw new Error(`unknown way "${way}": one of ${Object.keys(WAYS).join(', ')}`);

interface Start {
  phases: Record<string, number>;
  spawnToPollMs: number;
}

async function startOnce(args: string[], env: Record<string, string>): Promise<Start> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['--max-old-space-size=320', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const phases = await Promise.race([
      waitFor(() => (output.includes('worker polling task queue') ? parseStartPhases(output) : undefined), {
        timeoutMs: 120_000,
        intervalMs: 10,
        what: 'the worker to poll',
      }),
      exited.then(() => Promise.reject(new Error(`the worker exited before it polled:\n${output}`))),
    ]);
    return { phases, spawnToPollMs: Math.round(performance.now() - spawnedAt) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const server = await startDevServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'worker-start-'));
  try {
    await buildServices();
    const bundleFile = path.join(dir, 'workflow-bundle.js');
    writeFileSync(bundleFile, (await bundleWorkflows('detached')).bundle.code);
    const env = {
      ...testSecretsEnv(),
      TEMPORAL_ADDRESS: server.address,
      TASK_QUEUE: 'measure-worker-start',
      SANDBOX_URL: 'http://127.0.0.1:9',
      WORKFLOW_BUNDLE: bundleFile,
      AUDIT_DB: path.join(dir, 'audit.db'),
    };
    const starts: Record<string, Start[]> = Object.fromEntries(ways.map((way) => [way, []]));
    const loads: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const way of ways) {
        loads.push(loadavg()[0]!);
        starts[way]!.push(await startOnce(WAYS[way]!, env));
      }
    }
    console.log(
      `median of ${rounds} starts each, in turns; load average ${Math.min(...loads).toFixed(1)}–` +
        `${Math.max(...loads).toFixed(1)} on ${cpus().length} cores`,
    );
    for (const way of ways) {
      const phases = Object.keys(starts[way]![0]!.phases);
      const medians = phases.map((phase) => `${phase} ${median(starts[way]!.map((s) => s.phases[phase] ?? 0))}`);
      const spawnToPoll = median(starts[way]!.map((s) => s.spawnToPollMs));
      console.log(`${way.padEnd(22)} spawn to first poll ${spawnToPoll} ms | ${medians.join(' | ')} (ms)`);
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
