/**
 * How a step that did not succeed stops what depends on it, through the real workflow, worker and
 * sandbox. The subject is the workflow's scheduling, so only the plan activity is replaced: it
 * returns a plan the rule-based planner never makes (dependents of an L3 step, and a join).
 */
import { describe, expect, it } from 'vitest';
import type { PlanRequestResult } from '../../activities/plan.js';
import type { PlanStep, RunView } from '../../src/shared/contracts.js';
import { approvalDecisionSignal, timelineQuery, waitSettledUpdate } from '../../src/shared/definitions.js';
import { realActivities, startRequestRun, TEST_SETTINGS } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';
import { signedAsGateway } from '../../dev/stack-secrets.js';

function groceries(id: string, depends_on: string[]): PlanStep {
  return { id, name: `Plan groceries (${id})`, tool: 'grocery_plan', args: { days: 7, people: 2 }, risk_level: 'L0', depends_on };
}

const steps: PlanStep[] = [
  { id: 'search_jobs', name: 'Search jobs', tool: 'job_search', args: { query: 'backend', count: 2 }, risk_level: 'L0', depends_on: [] },
  { id: 'submit_application', name: 'Submit', tool: 'job_submit', args: { count: 2 }, risk_level: 'L3', depends_on: ['search_jobs'] },
  groceries('after_submit', ['submit_application']),
  groceries('after_after_submit', ['after_submit']),
  groceries('independent', []),
  groceries('join', ['independent', 'submit_application']),
];

const sandbox = useSandbox();
const client = useClient();
const worker = useWorker(() => ({
  ...realActivities(sandbox.url),
  planRequest: async (): Promise<PlanRequestResult> => ({ outcome: { kind: 'plan', plan: { intent: 'skip_probe', steps } }, settings: TEST_SETTINGS }),
}));

describe('a step that did not succeed', () => {
  it('skips its dependents, theirs in turn, and a join it is part of; independent steps still run', async () => {
    const handle = await startRequestRun(client, worker.taskQueue, 'a plan with dependents of an L3 step');
    const pending = await handle.executeUpdate(waitSettledUpdate);
    expect(pending.status).toBe('WAITING_APPROVAL');
    // The join waits for its undecided branch; nothing downstream of the L3 step has moved yet.
    expect(Object.fromEntries(pending.steps.map((s) => [s.id, s.state]))).toEqual({
      search_jobs: 'SUCCEEDED',
      submit_application: 'BLOCKED',
      after_submit: 'PENDING',
      after_after_submit: 'PENDING',
      independent: 'SUCCEEDED',
      join: 'PENDING',
    });

    await handle.signal(approvalDecisionSignal, signedAsGateway({ approval_id: pending.approvals[0]!.approval_id, approved: false, approver_id: 'reviewer' }));
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('REJECTED');
    expect(Object.fromEntries(final.steps.map((s) => [s.id, s.state]))).toEqual({
      search_jobs: 'SUCCEEDED',
      submit_application: 'REJECTED',
      after_submit: 'SKIPPED',
      after_after_submit: 'SKIPPED',
      independent: 'SUCCEEDED',
      join: 'SKIPPED',
    });
    const skips = (await handle.query(timelineQuery, 0)).filter((e) => e.event === 'step_skipped');
    expect(Object.fromEntries(skips.map((e) => [e.step_id, e.metadata.blocked_by]))).toEqual({
      after_submit: ['submit_application'],
      after_after_submit: ['after_submit'],
      join: ['submit_application'],
    });
  });
});
