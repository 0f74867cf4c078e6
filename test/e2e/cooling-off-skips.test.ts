/**
 * A revoked step ends as a rejected one would: through the real workflow, worker and sandbox, an
 * approved L3 step holds under its rule's cooling_off, is revoked (signed, bound to its run), and
 * what depends on it is skipped. An unsigned revoke moves nothing. Only the plan activity is
 * replaced, with a plan whose L3 step has a dependent.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { PlanRequestResult } from '../../activities/plan.js';
import type { PlanStep, RunView } from '../../src/shared/contracts.js';
import { runPolicyOf } from '../../src/runtime/config.js';
import { loadDecisionSigner } from '../../src/runtime/decision-keys.js';
import { runBindingOf } from '../../src/shared/approval/binding.js';
import { signRevoke } from '../../src/shared/approval/revoke.js';
import {
  approvalDecisionSignal,
  approvalRevokeUpdate,
  runQuery,
  timelineQuery,
  waitSettledUpdate,
} from '../../src/shared/messages.js';
import { signedAsGateway, testSecrets } from '../../dev/stack-secrets.js';
import { waitFor } from '../../dev/ports.js';
import { realActivities, startRequestRun, TEST_SETTINGS } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';

const steps: PlanStep[] = [
  {
    id: 'submit_application',
    name: 'Submit',
    tool: 'job_submit',
    args: { count: 2 },
    risk_level: 'L3',
    depends_on: [],
  },
  {
    id: 'after_submit',
    name: 'Plan groceries',
    tool: 'grocery_plan',
    args: { days: 7, people: 2 },
    risk_level: 'L0',
    depends_on: ['submit_application'],
  },
];
const policy = runPolicyOf({
  id: 'cooling-off-skips',
  rules: [
    {
      name: 'held-submit',
      match: { risk_levels: ['L3'] },
      outcome: { stages: [{ group: '*', count: 1 }], cooling_off: '10m' },
    },
    { name: 'everything-else', match: { risk_levels: ['L0', 'L1', 'L2'] }, outcome: { allow: true } },
  ],
});

const sandbox = useSandbox();
const client = useClient();
const worker = useWorker(() => ({
  ...realActivities(sandbox.url),
  planRequest: async (): Promise<PlanRequestResult> => ({
    outcome: { kind: 'plan', plan: { intent: 'hold_probe', steps } },
    settings: { ...TEST_SETTINGS, policy },
  }),
}));
const gateway = loadDecisionSigner(testSecrets.gatewayKeyFile);

describe('a revoked step', () => {
  it('is rejected and its dependents are skipped; an unsigned revoke moves nothing', async () => {
    const handle = await startRequestRun(client, worker.taskQueue, 'a held step with a dependent');
    const waiting = await handle.executeUpdate(waitSettledUpdate);
    const approval = waiting.approvals[0]!;
    await handle.signal(
      approvalDecisionSignal,
      signedAsGateway({
        ...runBindingOf(approval),
        approval_id: approval.approval_id,
        approved: true,
        approver_id: 'reviewer',
      }),
    );
    const stateOf = (view: RunView, id: string) => view.steps.find((s) => s.id === id)?.state;
    const holding = await waitFor(
      async () => {
        const view = await handle.query(runQuery);
        return stateOf(view, 'submit_application') === 'APPROVED_HOLDING' && view;
      },
      { what: 'the approved step to hold' },
    );
    expect(stateOf(holding, 'after_submit')).toBe('PENDING');

    const revoke = { ...runBindingOf(approval), approval_id: approval.approval_id, revoked_by: 'default_user' };
    const unsigned = handle.executeUpdate(approvalRevokeUpdate, { args: [revoke] });
    await expect(unsigned).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

    const signed = signRevoke(revoke, gateway, new Date().toISOString(), randomBytes(18).toString('base64url'));
    const answer = await handle.executeUpdate(approvalRevokeUpdate, { args: [signed] });
    expect(answer).toMatchObject({ outcome: 'revoked', approval: { status: 'revoked' }, step: { state: 'REJECTED' } });

    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('REJECTED');
    expect(stateOf(final, 'after_submit')).toBe('SKIPPED');
    const timeline = await handle.query(timelineQuery, 0);
    const skipped = timeline.find((e) => e.event === 'step_skipped');
    expect(skipped).toMatchObject({ step_id: 'after_submit', metadata: { blocked_by: ['submit_application'] } });
    expect(timeline.filter((e) => e.event === 'approval_ignored')).toHaveLength(1);
    expect(timeline.some((e) => e.event === 'step_running' && e.step_id === 'submit_application')).toBe(false);
  });
});
