/** Percentiles and the benchmark's printed table. */
import { performance } from 'node:perf_hooks';
import type { LoadPhase, Segment } from './results.js';

export interface Summary {
  median: number;
  p95: number;
  p99: number;
  n: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), n: sorted.length };
}

export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export class Table {
  private readonly rows: string[][] = [];

  row(label: string, ours: Summary, baseline?: Summary): void {
    this.rows.push([
      label,
      `${fmt(ours.median)} / ${fmt(ours.p95)} (n=${ours.n})`,
      baseline ? `${fmt(baseline.median)} / ${fmt(baseline.p95)} (n=${baseline.n})` : '',
      baseline ? `${fmt(ours.median / baseline.median, 2)} (p50)` : '',
    ]);
  }

  throughput(label: string, ours: number, baseline: number): void {
    this.rows.push([label, fmt(ours), fmt(baseline), fmt(ours / baseline, 2)]);
  }

  /** A DAG's wall time against its critical path, and against a bare workflow of the same shape. */
  dag(label: string, wall: Summary, bare: Summary, criticalMs: number): void {
    this.rows.push([
      label,
      `${fmt(wall.median)} / ${fmt(wall.p95)} (n=${wall.n})`,
      `${fmt(bare.median)} / ${fmt(bare.p95)} (n=${bare.n})`,
      `${fmt(wall.median / criticalMs, 2)} of critical path (bare: ${fmt(bare.median / criticalMs, 2)}); ` +
        `${fmt(wall.median / bare.median, 2)} of bare`,
    ]);
  }

  /** The open-loop phase: p50 / p99 of the chats that answered, and every error (there must be none). */
  load(label: string, load: LoadPhase): void {
    const latency = summarize(load.latencies);
    const achieved = load.completed / load.seconds;
    this.rows.push([
      label,
      `p50 ${fmt(latency.median)} / p99 ${fmt(latency.p99)} (n=${latency.n})`,
      '',
      `${fmt(achieved)}/s answered, ${load.errors.length} errors` +
        (load.errors.length ? `: ${load.errors.slice(0, 3).join('; ')}` : ''),
    ]);
  }

  /** Our segments beside the baseline's, by position (each list in the order of its run's path). */
  static segments(ours: readonly Segment[], baseline: readonly Segment[]): string {
    const rows = Array.from({ length: Math.max(ours.length, baseline.length) }, (_, i) => {
      const a = ours[i];
      const b = baseline[i];
      return [a?.segment ?? '', a ? fmt(a.median_ms) : '', b?.segment ?? '', b ? fmt(b.median_ms) : ''];
    });
    const total = (list: readonly Segment[]) => fmt(list.reduce((sum, s) => sum + s.median_ms, 0));
    rows.push(['sum of medians', total(ours), '', baseline.length ? total(baseline) : '']);
    const header = ['ours: segment', 'ms', 'baseline: segment', 'ms'];
    return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  }

  /** CPU per request by process, and the total, ours beside the baseline's. */
  cpu(label: string, ours: Record<string, number>, baseline: Record<string, number>): void {
    const line = (cpu: Record<string, number>): string => {
      const total = Object.values(cpu).reduce((sum, ms) => sum + ms, 0);
      return `${fmt(total)} (${Object.entries(cpu)
        .map(([name, ms]) => `${name} ${fmt(ms)}`)
        .join(', ')})`;
    };
    const total = (cpu: Record<string, number>): number => Object.values(cpu).reduce((sum, ms) => sum + ms, 0);
    this.rows.push([label, line(ours), line(baseline), fmt(total(ours) / total(baseline), 2)]);
  }

  memory(label: string, workerMb: number, gatewayMb: number): void {
    this.rows.push([label, `worker ${fmt(workerMb, 0)}, gateway ${fmt(gatewayMb, 0)}`, '', '']);
  }

  render(): string {
    const header = ['measure', 'ours: median / p95', 'baseline: median / p95', 'ratio ours/baseline'];
    const lines = [header, header.map(() => '---'), ...this.rows].map((cells) => `| ${cells.join(' | ')} |`);
    return lines.join('\n');
  }
}
