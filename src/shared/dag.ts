/** Plan validation and DAG scheduling: pure functions shared by the workflow and its unit tests. */
import { FINAL_STEP_STATES, ToolArgsSchemas, type Plan, type PlanStep, type StepState } from './workflow-contracts.js';
import { issueLines } from './zod-issues.js';

/**
 * Every reason the plan cannot run, in a stable order; empty when it is valid.
 * Checks unique ids, known dependencies, acyclicity (reporting the cycle's path) and tool args.
 */
export function validatePlan(plan: Plan): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const step of plan.steps) {
    if (ids.has(step.id)) problems.push(`step id "${step.id}" is used more than once`);
    ids.add(step.id);
  }
  for (const step of plan.steps) {
    for (const dep of step.depends_on) {
      if (dep === step.id) problems.push(`step "${step.id}" depends on itself`);
      else if (!ids.has(dep)) problems.push(`step "${step.id}" depends on unknown step "${dep}"`);
    }
    const schema = ToolArgsSchemas[step.tool];
    const parsed = schema.safeParse(step.args);
    if (!parsed.success) {
      const detail = issueLines(parsed.error.issues, 'args').join('; ');
      problems.push(`step "${step.id}" has invalid args for ${step.tool}: ${detail}`);
    }
  }
  const cycle = findCycle(plan.steps);
  if (cycle) problems.push(`steps form a cycle: ${cycle.join(' -> ')}`);
  return problems;
}

/** The first dependency cycle found, as a path that starts and ends at the same step. */
export function findCycle(steps: readonly PlanStep[]): string[] | undefined {
  const deps = new Map(steps.map((s) => [s.id, s.depends_on.filter((d) => d !== s.id)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const mark = state.get(id);
    if (mark === 'done') return undefined;
    if (mark === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dep of deps.get(id) ?? []) {
      if (!deps.has(dep)) continue;
      const found = visit(dep);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const step of steps) {
    const found = visit(step.id);
    if (found) return found.reverse();
  }
  return undefined;
}

export type Readiness = { kind: 'waiting' } | { kind: 'ready' } | { kind: 'blocked'; blockers: string[] };

/**
 * Whether a step may start, given its dependencies' states: it waits until every dependency is
 * final (so a skip names every branch that did not succeed), then runs only if all succeeded.
 */
export function readiness(dependsOn: readonly string[], stateOf: (id: string) => StepState | undefined): Readiness {
  const states = dependsOn.map((id) => ({ id, state: stateOf(id) }));
  if (states.some(({ state }) => state === undefined || !FINAL_STEP_STATES.includes(state))) return { kind: 'waiting' };
  const blockers = states.filter(({ state }) => state !== 'SUCCEEDED').map(({ id }) => id);
  return blockers.length > 0 ? { kind: 'blocked', blockers } : { kind: 'ready' };
}

/** Length of the longest dependency chain, weighting each step by `cost(step)`. */
export function criticalPathLength(
  steps: readonly Pick<PlanStep, 'id' | 'depends_on'>[],
  cost: (id: string) => number,
): number {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const memo = new Map<string, number>();
  const finish = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const step = byId.get(id);
    const start = Math.max(0, ...(step?.depends_on ?? []).map(finish));
    const value = start + cost(id);
    memo.set(id, value);
    return value;
  };
  return Math.max(0, ...steps.map((s) => finish(s.id)));
}
