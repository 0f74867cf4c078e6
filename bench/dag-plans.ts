/**
 * The DAG probe's plans. A run's message names its shape ("wide 50 200": 50 parallel steps of
 * 200 ms; "chain 20 20": 20 steps of 20 ms, each after the last), since a whole plan as JSON
 * would exceed the 2000-character limit on messages.
 */
import type { Plan, PlanStep } from '../src/shared/contracts.js';

export type DagShape = 'wide' | 'chain';

function probeStep(id: string, depends_on: string[]): PlanStep {
  return { id, name: id, tool: 'grocery_plan', args: { days: 1, people: 1 }, risk_level: 'L0', depends_on };
}

export function dagPlan(shape: DagShape, count: number, ms: number): Plan {
  const id = (i: number): string => `${shape}_${ms}ms_${i}`;
  const steps = Array.from({ length: count }, (_, i) =>
    probeStep(id(i), shape === 'chain' && i > 0 ? [id(i - 1)] : []),
  );
  return { intent: 'bench_dag', steps };
}

export function dagMessage(shape: DagShape, count: number, ms: number): string {
  return `${shape} ${count} ${ms}`;
}

export function planFromMessage(message: string): Plan {
  const match = /^(wide|chain) (\d+) (\d+)$/.exec(message);
  if (!match) throw new Error(`not a DAG probe message: ${message}`);
  return dagPlan(match[1] as DagShape, Number(match[2]), Number(match[3]));
}

/** How long a probe step sleeps: the milliseconds its id names. */
export function probeSleepMs(stepKey: string): number {
  return Number(/_(\d+)ms_/.exec(stepKey)?.[1] ?? 0);
}
