/**
 * The sustained-load phase: requests arrive at a fixed rate whatever the answers do (open loop),
 * so a slow answer cannot slow the arrivals down and hide the queueing a real load would see.
 */
import { performance } from 'node:perf_hooks';
import type { LoadPhase } from './results.js';
import { percentile } from './stats.js';

export interface LoadOptions {
  ratePerSecond: number;
  seconds: number;
}

export async function runLoadPhase(request: () => Promise<unknown>, opts: LoadOptions): Promise<LoadPhase> {
  const total = Math.round(opts.ratePerSecond * opts.seconds);
  const intervalMs = 1000 / opts.ratePerSecond;
  const start = performance.now();
  const latencies: number[] = [];
  const finished: { second: number; ms: number }[] = [];
  const errors: string[] = [];
  const inFlight: Promise<void>[] = [];

  for (let i = 0; i < total; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      (async () => {
        const sent = performance.now();
        try {
          await request();
          const done = performance.now();
          latencies.push(done - sent);
          finished.push({ second: Math.floor((done - start) / 1000), ms: done - sent });
        } catch (err) {
          errors.push(err instanceof Error ? err.message : String(err));
        }
      })(),
    );
  }
  await Promise.all(inFlight);

  const seconds = Math.max(0, ...finished.map((f) => f.second)) + 1;
  const per_second = Array.from({ length: seconds }, (_, second) => {
    const inSecond = finished
      .filter((f) => f.second === second)
      .map((f) => f.ms)
      .sort((a, b) => a - b);
    return { second, completed: inSecond.length, p50_ms: percentile(inSecond, 50) };
  });
  return {
    rate_per_s: opts.ratePerSecond,
    seconds: opts.seconds,
    started: total,
    completed: latencies.length,
    errors,
    latencies,
    per_second,
  };
}
