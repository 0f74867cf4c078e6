/**
 * policies/bank.json against the real stack over HTTP, with tokens that carry groups: amount tiers
 * on the request's sum, two approvers from a group, stages in order, the requester excluded and a
 * person counted once. Decisions name no groups: the gateway adds the token's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { call, type Loose } from '../support/http.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';

const BANK_POLICY = path.resolve('policies/bank.json');
const PEOPLE = {
  owner: { user_id: 'default_user', role: 'requester', groups: ['staff'] },
  treasury: { user_id: 'manager@bank.com', role: 'requester', groups: ['treasury'] },
  alice: { user_id: 'alice', role: 'approver', groups: ['approvers'] },
  bob: { user_id: 'bob', role: 'approver', groups: ['approvers'] },
  carol: { user_id: 'carol', role: 'approver', groups: ['approvers', 'managers'] },
  dana: { user_id: 'dana', role: 'approver', groups: ['managers'] },
  eve: { user_id: 'eve', role: 'approver' },
} as const;
type Person = keyof typeof PEOPLE;
const tokenOf = (who: Person) => `policy-e2e-token-${who}-0000000000`;
const as = (who: Person) => ({ authorization: `Bearer ${tokenOf(who)}` });

let stack: Stack;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'policy-e2e-'));
  const tokens = path.join(dir, 'tokens.json');
  writeFileSync(
    tokens,
    JSON.stringify(Object.fromEntries(Object.entries(PEOPLE).map(([who, entry]) => [tokenOf(who as Person), entry]))),
  );
  stack = await startStack({ env: { GATEWAY_AUTH: 'token', GATEWAY_TOKENS_FILE: tokens, POLICY_FILE: BANK_POLICY } });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function chat(who: Person, message: string): Promise<{ workflowId: string; view: Loose }> {
  const res = await call(stack.baseUrl, 'POST', '/chat', { message }, as(who));
  expect(res.status).toBe(200);
  const workflowId: string = res.body.workflow_id;
  return { workflowId, view: await runView(workflowId) };
}
async function runView(workflowId: string): Promise<Loose> {
  return (await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`, undefined, as('alice'))).body;
}
async function decide(who: Person, approvalId: string, decision: 'approve' | 'reject') {
  return call(stack.baseUrl, 'POST', `/api/approvals/${approvalId}/decision`, { decision }, as(who));
}
/** `who` approves and is refused with 403 and a message containing `why`. */
async function expectRefused(who: Person, approvalId: string, why: string): Promise<void> {
  const res = await decide(who, approvalId, 'approve');
  expect(res.status).toBe(403);
  expect(res.body.error.message).toContain(why);
}

describe('policies/bank.json over HTTP', () => {
  it('records the policy id and hash on the run, and runs a transfer under the first tier without approval', async () => {
    const { view } = await chat('owner', 'Transfer 499 to Kiran');
    expect(view.status).toBe('COMPLETED');
    expect(view.policy).toEqual({ id: 'bank-2026-12', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(view.approvals).toEqual([]);
  });

  it('asks one approver from group approvers at $1,000', async () => {
    const { view } = await chat('owner', 'Transfer 1000 to Kiran');
    expect(view.status).toBe('WAITING_APPROVAL');
    expect(view.approvals[0]).toMatchObject({
      policy_rule: 'small-transfer',
      stages: [{ group: 'approvers', count: 1, approved_by: [] }],
      progress: '0 of 1 from approvers',
      decisions: [],
    });
  });

  it('asks an approver for a first payment of $500 or more to a recipient the account never paid, and not for the next', async () => {
    const first = await chat('owner', 'Transfer 600 to Bob');
    expect(first.view.status).toBe('WAITING_APPROVAL');
    expect(first.view.approvals[0]).toMatchObject({
      policy_rule: 'first-payment',
      stages: [{ group: 'approvers', count: 1, approved_by: [] }],
    });
    const approved = await decide('alice', first.view.approvals[0].approval_id, 'approve');
    // The rule's cooling-off holds the approved payment for 10 minutes.
    expect(approved.body).toMatchObject({ step_state: 'APPROVED_HOLDING' });

    // A petty payment pays Bob without approval; after it a payment to Bob is no longer a first one.
    expect((await chat('owner', 'Transfer 400 to Bob')).view.status).toBe('COMPLETED');
    const again = await chat('owner', 'Transfer 600 to Bob');
    expect(again.view).toMatchObject({ status: 'COMPLETED', approvals: [] });
  });

  it('refuses a transfer over the hard maximum outright, and moves nothing', async () => {
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    const { workflowId } = await chat('treasury', 'Transfer 100000 to Kiran');
    const view = await runView(workflowId);
    expect(view.status).toBe('REJECTED');
    expect(view.steps[0]).toMatchObject({
      state: 'REJECTED',
      error: expect.stringContaining('$100,000.00 or more in one request are refused'),
    });
    const timeline = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}/timeline`, undefined, as('alice'));
    expect(timeline.body.events.map((e: Loose) => e.event)).toContain('step_refused');
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before);
  });

  it('compares tiers with the sum of the transfers in one message', async () => {
    const { view } = await chat('owner', 'Transfer 600 to Kiran and transfer 600 to Kiran');
    expect(view.steps).toHaveLength(2);
    expect(view.approvals).toHaveLength(2);
    for (const approval of view.approvals) {
      expect(approval).toMatchObject({
        policy_rule: 'small-transfer',
        reason: expect.stringContaining('total $1,200.00'),
      });
    }
  });

  it('needs two distinct approvers from the group at $10,000; a person counts once; outsiders do not count', async () => {
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    const { view } = await chat('owner', 'Transfer 10000 to Kiran');
    const approvalId: string = view.approvals[0].approval_id;

    await expectRefused('eve', approvalId, 'eve is not in group approvers');

    const first = await decide('alice', approvalId, 'approve');
    expect(first.status).toBe(200);
    expect(first.body.approval).toMatchObject({ status: 'pending', progress: '1 of 2 from approvers' });
    expect(first.body.message).toContain('still waiting: 1 of 2 from approvers');

    await expectRefused('alice', approvalId, 'counts once');

    const second = await decide('bob', approvalId, 'approve');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ step_state: 'SUCCEEDED', approval: { status: 'approved' } });
    expect(second.body.approval.decisions.map((d: Loose) => [d.by, d.verdict])).toEqual([
      ['alice', 'approve'],
      ['bob', 'approve'],
    ]);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 1_000_000);
  });

  it('decides stages in order at $50,000: two approvers, then a manager; nobody counts twice across stages', async () => {
    const { view } = await chat('treasury', 'Transfer 50000 to Kiran');
    const approvalId: string = view.approvals[0].approval_id;
    expect(view.approvals[0].stages.map((s: Loose) => [s.group, s.count])).toEqual([
      ['approvers', 2],
      ['managers', 1],
    ]);

    expect((await decide('dana', approvalId, 'approve')).status).toBe(403);
    expect((await decide('alice', approvalId, 'approve')).status).toBe(200);
    const secondApprover = await decide('carol', approvalId, 'approve');
    expect(secondApprover.body.approval).toMatchObject({
      status: 'pending',
      current_stage: 1,
      progress: '0 of 1 from managers (stage 2 of 2)',
    });

    await expectRefused('carol', approvalId, 'counts once');

    const manager = await decide('dana', approvalId, 'approve');
    expect(manager.body).toMatchObject({
      step_state: 'SUCCEEDED',
      approval: { status: 'approved', decided_by: 'dana' },
    });
    expect((await runView(view.workflow_id)).status).toBe('COMPLETED');
  });

  it('never counts the requester, even one in the deciding group; one rejection rejects', async () => {
    const { view } = await chat('alice', 'Transfer 1000 to Kiran');
    const approvalId: string = view.approvals[0].approval_id;
    await expectRefused('alice', approvalId, 'four-eyes');
    const rejected = await decide('bob', approvalId, 'reject');
    expect(rejected.body).toMatchObject({ approval: { status: 'rejected' }, step_state: 'REJECTED' });
    expect((await runView(view.workflow_id)).status).toBe('REJECTED');
  });
});
