/**
 * Delegation and out-of-office over real HTTP against the real stack: the recipient decides what
 * the delegator could, counted once with them; four eyes hold (never to the requester); an
 * out-of-office entry of the policy hands an absent approver's part to their stand-in until it ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { call, type Loose } from '../support/http.js';
import {
  ALLOW_THE_REST,
  as,
  BOB_AWAY_ALICE_BACK,
  ONE_APPROVER_FROM_1K,
  type Person,
  type PolicyStack,
  startPolicyStack,
  TWO_APPROVERS_FROM_10K,
} from '../support/policy-stack.js';

const POLICY = {
  id: 'delegation-test',
  rules: [TWO_APPROVERS_FROM_10K, ONE_APPROVER_FROM_1K, ...ALLOW_THE_REST],
  out_of_office: BOB_AWAY_ALICE_BACK,
};

let policy: PolicyStack;
beforeAll(async () => {
  policy = await startPolicyStack(POLICY);
});
afterAll(async () => {
  await policy?.stop();
});

function delegate(who: Person, approvalId: string, body: Record<string, unknown>) {
  return call(policy.stack.baseUrl, 'POST', `/api/approvals/${approvalId}/delegate`, body, as(who));
}

describe('delegation', () => {
  it('hands an approval to a person, who then counts for the delegator; the delegator cannot count again', async () => {
    const { workflowId, approvalId } = await policy.chatForApproval('owner', 'Transfer 10000 to Kiran');

    const eveEarly = await policy.decide('eve', approvalId, 'approve');
    expect(eveEarly.status).toBe(403);

    const handed = await delegate('alice', approvalId, { to_person: 'eve', reason: 'eve knows this supplier' });
    expect(handed.status).toBe(200);
    expect(handed.body.approval).toMatchObject({
      status: 'pending',
      delegations: [
        { from: 'alice', to: 'eve', to_kind: 'person', groups: ['approvers'], reason: 'eve knows this supplier' },
      ],
      who_may_decide: { groups: ['approvers'], people: ['eve'] },
    });
    const events = await policy.timeline(workflowId);
    const delegated = events.find((e) => e.event === 'approval_delegated');
    expect(delegated).toMatchObject({
      approval_id: approvalId,
      metadata: { from: 'alice', to: 'eve', reason: 'eve knows this supplier', via: 'gateway' },
    });

    const eve = await policy.decide('eve', approvalId, 'approve');
    expect(eve.status).toBe(200);
    expect(eve.body.approval).toMatchObject({
      progress: '1 of 2 from approvers',
      decisions: [{ by: 'eve', verdict: 'approve', on_behalf_of: 'alice' }],
    });

    const aliceToo = await policy.decide('alice', approvalId, 'approve');
    expect(aliceToo.status).toBe(403);
    expect(aliceToo.body.error.message).toContain('counts once');

    const bob = await policy.decide('bob', approvalId, 'approve');
    expect(bob.body).toMatchObject({ step_state: 'SUCCEEDED', approval: { status: 'approved', decided_by: 'bob' } });
  });

  it('hands an approval to a group, whose members may then decide', async () => {
    const { approvalId } = await policy.chatForApproval('owner', 'Transfer 1000 to Kiran');
    const handed = await delegate('bob', approvalId, { to_group: 'auditors', reason: 'audit sample' });
    expect(handed.status).toBe(200);
    expect(handed.body.approval.who_may_decide).toEqual({ groups: ['approvers', 'auditors'], people: [] });
    const eve = await policy.decide('eve', approvalId, 'approve');
    expect(eve.body).toMatchObject({
      step_state: 'SUCCEEDED',
      approval: { decisions: [{ by: 'eve', on_behalf_of: 'bob' }] },
    });
  });

  it('refuses a hand-over to the requester, by someone who may not decide, or without a reason, and changes nothing', async () => {
    const { workflowId, approvalId } = await policy.chatForApproval('owner', 'Transfer 1000 to Kiran');

    const toRequester = await delegate('alice', approvalId, { to_person: 'default_user', reason: 'let them do it' });
    expect(toRequester.status).toBe(403);
    expect(toRequester.body.error.message).toContain('four-eyes');

    const outsider = await delegate('eve', approvalId, { to_person: 'frank', reason: 'not mine to give' });
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toContain('eve is not in group approvers');

    const byRequester = await delegate('owner', approvalId, { to_person: 'frank', reason: 'please' });
    expect(byRequester.status).toBe(403);

    const noReason = await delegate('alice', approvalId, { to_person: 'frank' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('reason');
    const both = await delegate('alice', approvalId, { to_person: 'frank', to_group: 'auditors', reason: 'x' });
    expect(both.status).toBe(400);

    const after: Loose = await policy.runView(workflowId);
    expect(after.approvals[0].delegations).toBeUndefined();
    expect(after.approvals[0].who_may_decide).toEqual({ groups: ['approvers'], people: [] });
    expect((await policy.timeline(workflowId)).some((e) => e.event === 'approval_delegated')).toBe(false);
  });
});

describe('the inbox', () => {
  async function inboxItem(who: Person, approvalId: string, mayDecide?: boolean): Promise<Loose> {
    return waitFor(
      async () => {
        const res = await call(policy.stack.baseUrl, 'GET', '/api/approvals', undefined, as(who));
        const item = res.body.approvals?.find((a: Loose) => a.approval_id === approvalId);
        return item && (mayDecide === undefined || item.may_decide === mayDecide) ? item : undefined;
      },
      { timeoutMs: 20_000, what: `${approvalId} in the inbox of ${who}` },
    );
  }

  it('flags what each caller may decide: the group, a stand-in and a recipient may; the requester and outsiders may not', async () => {
    const { approvalId } = await policy.chatForApproval('owner', 'Transfer 1000 to Kiran');
    expect((await inboxItem('alice', approvalId)).may_decide).toBe(true);
    expect((await inboxItem('frank', approvalId)).may_decide).toBe(true);
    expect((await inboxItem('dana', approvalId)).may_decide).toBe(false);
    expect((await inboxItem('owner', approvalId)).may_decide).toBe(false);
    expect((await delegate('alice', approvalId, { to_group: 'managers', reason: 'cover' })).status).toBe(200);
    // The inbox reads the memo through visibility, which catches up with the hand-over shortly.
    expect((await inboxItem('dana', approvalId, true)).who_may_decide).toEqual({
      groups: ['approvers', 'managers'],
      people: [],
    });
  });
});

describe('out of office', () => {
  it("lets the stand-in decide the absent approver's part while the entry lasts, recorded as a hand-over", async () => {
    const { workflowId, approvalId } = await policy.chatForApproval('owner', 'Transfer 1000 to Kiran');
    const frank = await policy.decide('frank', approvalId, 'approve');
    expect(frank.status).toBe(200);
    expect(frank.body).toMatchObject({
      step_state: 'SUCCEEDED',
      approval: { decisions: [{ by: 'frank', on_behalf_of: 'bob' }] },
    });
    const delegated = (await policy.timeline(workflowId)).find((e) => e.event === 'approval_delegated');
    expect(delegated?.metadata).toMatchObject({
      from: 'bob',
      to: 'frank',
      reason: expect.stringContaining('out of office until 2099-01-01T00:00:00Z'),
    });
  });

  it('hands nothing over once the entry has ended', async () => {
    const { approvalId } = await policy.chatForApproval('owner', 'Transfer 1000 to Kiran');
    const eve = await policy.decide('eve', approvalId, 'approve');
    expect(eve.status).toBe(403);
    expect(eve.body.error.message).toContain('eve is not in group approvers');
  });
});
