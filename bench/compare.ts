/**
 * `node --import tsx bench/compare.ts <results.json>...`: the ratios against the bare workflow that
 * each bench run measured, one row per run, then the median and range of each column. On a shared
 * machine absolute times drift from run to run; a ratio measured within one run drifts less.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchResults } from './results.js';
import { summarize } from './stats.js';

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
const total = (cpu: Record<string, number>): number => Object.values(cpu).reduce((sum, ms) => sum + ms, 0);

interface Column {
  label: string;
  of: (r: BenchResults) => number | undefined;
}

const COLUMNS: Column[] = [
  { label: 'chat p50 / bare', of: (r) => median(r.chat.ours) / median(r.chat.baseline) },
  { label: 'approve→executed p50 ms', of: (r) => median(r.approval) },
  { label: 'throughput / bare', of: (r) => r.throughput.ours_per_s / r.throughput.baseline_per_s },
  {
    label: 'CPU per transfer / bare',
    of: (r) => total(r.throughput.cpu_ms_per_transfer.ours) / total(r.throughput.cpu_ms_per_transfer.baseline),
  },
  { label: 'load p99 / p50', of: (r) => summarize(r.load.latencies).p99 / summarize(r.load.latencies).median },
  ...(['wide', 'chain'] as const).map((shape) => ({
    label: `DAG ${shape} / bare`,
    of: (r: BenchResults) => {
      const dag = r.dag.find((d) => d.shape === shape);
      return dag && median(dag.ours) / median(dag.baseline);
    },
  })),
  {
    label: 'chat with session / without (p50)',
    of: (r) =>
      r.session_share && median(r.session_share.latency.with_session) / median(r.session_share.latency.without_session),
  },
  {
    label: 'CPU with session / without',
    of: (r) =>
      r.session_share &&
      total(r.session_share.cpu_ms_per_chat.with_session) / total(r.session_share.cpu_ms_per_chat.without_session),
  },
  { label: 'worker RSS MB', of: (r) => r.memory.worker_mb },
  { label: 'gateway RSS MB', of: (r) => r.memory.gateway_mb },
];

const fmt = (value: number | undefined): string =>
  value === undefined || !Number.isFinite(value) ? '–' : value >= 10 ? value.toFixed(0) : value.toFixed(2);

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node --import tsx bench/compare.ts <results.json>...');
  process.exit(2);
}
const runs = files.map((file) => ({
  name: path.basename(file, '.json'),
  results: JSON.parse(readFileSync(file, 'utf8')),
}));
const rows = runs.map(({ name, results }) => [name, ...COLUMNS.map((c) => fmt(c.of(results as BenchResults)))]);
const spread = COLUMNS.map((c) => {
  const values = runs.map(({ results }) => c.of(results as BenchResults)).filter((v): v is number => v !== undefined);
  if (values.length === 0) return '–';
  return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
});
rows.push(['median (range)', ...spread]);
const header = ['run', ...COLUMNS.map((c) => c.label)];
console.log([header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n'));
