/**
 * How a step that did not succeed stops what depends on it, through the real workflow, worker and
 * sandbox. The subject is the workflow's scheduling, so only the plan activity is replaced: it
 * returns a plan the rule-based planner never makes (dependents of an L3 step, and a join).
 */
import { describe, expect, it } from 'vitest';
import type { PlanRequestResult } from '../../activities/plan.js';
import type { PlanStep, RunView } from '../../src/shared/contracts.js';
import { timelineQuery, waitSettledUpdate } from '../../src/shared/messages.js';
import { realActivities, startRequestRun, TEST_SETTINGS } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';
import { decideBySignal } from '../support/decisions.js';

function groceries(id: string, depends_on: string[]): PlanStep {
  return {
    id,
    name: `Plan groceries (${id})`,
    tool: 'grocery_plan',
    args: { days: 7, people: 2 },
    risk_level: 'L0',
    depends_on,
  };
}

const steps: PlanStep[] = [
  {
    id: 'search_jobs',
    name: 'Search jobs',
    tool: 'job_search',
    args: { query: 'backend', count: 2 },
    risk_level: 'L0',
    depends_on: [],
  },
  {
    id: 'submit_application',
    name: 'Submit',
    tool: 'job_submit',
    args: { count: 2 },
    risk_level: 'L3',
    depends_on: ['search_jobs'],
  },
  groceries('after_submit', ['submit_application']),
  groceries('after_after_submit', ['after_submit']),
  groceries('independent', []),
  groceries('join', ['independent', 'submit_application']),
];

const sandbox = useSandbox();
const client = useClient();
const worker = useWorker(() => ({
  ...realActivities(sandbox.url),
  planRequest: async (): Promise<PlanRequestResult> => ({
    outcome: { kind: 'plan', plan: { intent: 'skip_probe', steps } },
    settings: TEST_SETTINGS,
  }),
}));

describe('a step that did not succeed', () => {
  it('skips its dependents, theirs in turn, and a join it is part of; independent steps still run', async () => {
    const handle = await startRequestRun(client, worker.taskQueue, 'a plan with dependents of an L3 step');
    const pending = await handle.executeUpdate(waitSettledUpdate);
    expect(pending.status).toBe('WAITING_APPROVAL');
    // Each step's state while the L3 step waits, and after it was rejected. While it waits, the join
    // waits for its undecided branch and nothing downstream of the L3 step has moved.
    const states: [string, string, string][] = [
      ['search_jobs', 'SUCCEEDED', 'SUCCEEDED'],
      ['submit_application', 'BLOCKED', 'REJECTED'],
      ['after_submit', 'PENDING', 'SKIPPED'],
      ['after_after_submit', 'PENDING', 'SKIPPED'],
      ['independent', 'SUCCEEDED', 'SUCCEEDED'],
      ['join', 'PENDING', 'SKIPPED'],
    ];
    const statesOf = (view: RunView) => Object.fromEntries(view.steps.map((s) => [s.id, s.state]));
    expect(statesOf(pending)).toEqual(Object.fromEntries(states.map(([id, waiting]) => [id, waiting])));

    await decideBySignal(handle, pending.approvals[0]!, { approved: false, approver_id: 'reviewer' });
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('REJECTED');
    expect(statesOf(final)).toEqual(Object.fromEntries(states.map(([id, , after]) => [id, after])));
    const skips = (await handle.query(timelineQuery, 0)).filter((e) => e.event === 'step_skipped');
    expect(Object.fromEntries(skips.map((e) => [e.step_id, e.metadata.blocked_by]))).toEqual({
      after_submit: ['submit_application'],
      after_after_submit: ['after_submit'],
      join: ['submit_application'],
    });
  });
});
