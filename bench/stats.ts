/** Percentiles and the benchmark's printed table. */
import { performance } from 'node:perf_hooks';

export interface Summary {
  median: number;
  p95: number;
  n: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), n: sorted.length };
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
      `${fmt(wall.median / criticalMs, 2)} of critical path (bare: ${fmt(bare.median / criticalMs, 2)}); ${fmt(wall.median / bare.median, 2)} of bare`,
    ]);
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
