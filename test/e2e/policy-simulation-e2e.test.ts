/**
 * Policy simulation over HTTP against the real stack: after a recorded mix of requests under the
 * built-in policy, simulating that same policy reproduces what happened step for step, and
 * simulating policies/bank.json shows the approvals it would add, per rule and per group.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { pendingTransfer } from '../support/pending-transfers.js';
import { waitForStatus } from '../support/reliability.js';
import { chatAs, decideOverHttp, postDecision } from '../support/chat.js';

const stack = useStack({ audit: true });
const bankPolicy: unknown = JSON.parse(readFileSync('policies/bank.json', 'utf8'));

const simulate = (policy: unknown, extra: Record<string, unknown> = {}) =>
  call(stack.baseUrl, 'POST', '/api/policies/simulate', { policy, ...extra });

describe('policy simulation', () => {
  it('records a mix of requests under the built-in policy', async () => {
    const small = await chatAs(stack.baseUrl, 'send $1,250.50 to bob', 'default_user');
    expect(small.body.status).toBe('COMPLETED');
    const petty = await chatAs(stack.baseUrl, 'send $300 to bob', 'default_user');
    expect(petty.body.status).toBe('COMPLETED');

    const approved = await pendingTransfer(stack, 'Transfer 6000 to Kiran');
    const decided = await decideOverHttp(stack.baseUrl, approved.approvalId, 'approve', 'manager');
    expect(decided.status).toBe(200);
    await waitForStatus(stack.baseUrl, approved.workflowId, ['COMPLETED']);

    const rejected = await pendingTransfer(stack, 'Transfer 20000 to Kiran');
    await postDecision(stack.baseUrl, rejected.approvalId, { decision: 'reject', decided_by: 'manager' });
    await waitForStatus(stack.baseUrl, rejected.workflowId, ['REJECTED']);
  });

  it('reproduces what happened when it simulates the live policy', async () => {
    const res = await simulate(stack.config.POLICY.document);
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({
      requests: 4,
      steps: 4,
      changed_steps: 0,
      approvals: { actual: 2, candidate: 2, difference: 0 },
    });
    for (const request of res.body.requests)
      expect(request.policy).toEqual({ id: stack.config.POLICY.id, hash: stack.config.POLICY.hash });
  });

  it('shows what policies/bank.json would change, per rule and per group', async () => {
    const res = await simulate(bankPolicy, { since: '1h' });
    expect(res.status).toBe(200);
    const { totals, requests } = res.body;
    expect(totals).toMatchObject({
      requests: 4,
      approvals: { actual: 2, candidate: 3, difference: 1 },
      refusals: { actual: 0, candidate: 0 },
    });
    expect(totals.by_rule).toMatchObject({
      'small-transfer': { actual: 0, candidate: 2 },
      'medium-transfer': { actual: 0, candidate: 1 },
    });
    expect(totals.by_group.approvers).toEqual({ actual: 0, candidate: 4 });
    const byAmount = new Map(
      requests.flatMap((r: { steps: { amount_cents: number; candidate: unknown }[] }) =>
        r.steps.map((s) => [s.amount_cents, s.candidate]),
      ),
    );
    expect(byAmount.get(125_050)).toMatchObject({ kind: 'approve', rule: 'small-transfer' });
    expect(byAmount.get(30_000)).toMatchObject({ kind: 'allow', rule: 'petty-transfer' });
    expect(byAmount.get(2_000_000)).toMatchObject({ kind: 'approve', stages: [{ group: 'approvers', count: 2 }] });
  });

  it('refuses a candidate that POLICY_FILE would refuse, naming the field', async () => {
    const res = await simulate({ id: 'broken', rules: [] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/body\.policy\.rules/);
    const since = await simulate(bankPolicy, { since: 'a while' });
    expect(since.status).toBe(400);
    expect(since.body.error.message).toMatch(/body\.since/);
  });
});
