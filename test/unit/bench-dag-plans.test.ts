/** The benchmark's DAG probe plans must be runs the workflow accepts (the bench is not in CI). */
import { describe, expect, it } from 'vitest';
import { dagMessage, dagPlan, planFromMessage, probeSleepMs } from '../../bench/dag-plans.js';
import { PlanSchema, RequestInputSchema } from '../../src/shared/workflow-contracts.js';
import { criticalPathLength, validatePlan } from '../../src/shared/dag.js';

describe('DAG probe plans', () => {
  it.each([
    ['wide', 50, 200, 200],
    ['chain', 20, 20, 400],
  ] as const)('%s %i x %i ms: a valid request and plan, critical path %i ms', (shape, count, ms, critical) => {
    const message = dagMessage(shape, count, ms);
    expect(RequestInputSchema.safeParse({ user_id: 'bench', session_id: 'bench', message }).success).toBe(true);
    const plan = planFromMessage(message);
    expect(plan).toEqual(dagPlan(shape, count, ms));
    expect(PlanSchema.safeParse(plan).success).toBe(true);
    expect(validatePlan(plan)).toEqual([]);
    expect(criticalPathLength(plan.steps, probeSleepMs)).toBe(critical);
  });

  it('refuses a message that names no shape', () => {
    expect(() => planFromMessage('Transfer 1 to kiran')).toThrow(/not a DAG probe message/);
  });
});
