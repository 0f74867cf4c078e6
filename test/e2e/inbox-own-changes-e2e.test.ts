/**
 * The inbox's kept listing and the changes made through this gateway, over real HTTP on the real
 * stack. The listing here is renewed only once a minute, so every page below is served from a
 * listing read before the change: what the caller sees of their own decision, hand-over and edit
 * comes from the gateway laying it over that listing, and no page pays for a visibility read.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { createGatewayApp } from '../../gateway/app.js';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { call, type Loose } from '../support/http.js';
import { as, ONE_APPROVER_FROM_1K, startPolicyStack, TWO_APPROVERS_FROM_10K } from '../support/policy-stack.js';
import type { Person, PolicyStack } from '../support/policy-stack.js';

const POLICY = {
  id: 'inbox-own-changes-test',
  rules: [
    TWO_APPROVERS_FROM_10K,
    ONE_APPROVER_FROM_1K,
    { name: 'everything-else', match: { risk_levels: ['L0', 'L1', 'L2', 'L3'] }, outcome: { allow: true } },
  ],
};

let policy: PolicyStack;
beforeAll(async () => {
  policy = await startPolicyStack(POLICY, { INBOX_CACHE_MS: '60000', INBOX_MAX_AGE_MS: '120000' });
});
afterAll(async () => {
  await policy?.stop();
});

async function inbox(who: Person, query = ''): Promise<Loose> {
  const res = await call(policy.stack.baseUrl, 'GET', `/api/approvals${query}`, undefined, as(who));
  expect(res.status).toBe(200);
  return res.body;
}

const idsOf = (page: Loose): string[] => page.approvals.map((a: ApprovalRecord) => a.approval_id);

describe('the inbox after changes made through this gateway', () => {
  it("shows the caller's own decision, hand-over and edit on their next page, with total, filters and cursor to match", async () => {
    const decided = await policy.chat('owner', 'Transfer 2000 to Kiran');
    const handed = await policy.chat('owner', 'Transfer 10000 to Kiran');
    const edited = await policy.chat('owner', 'Transfer 5000 to Kiran');
    const approvalIdOf = (run: { view: Loose }): string => run.view.approvals[0].approval_id;
    const [decidedId, handedId, editedId] = [approvalIdOf(decided), approvalIdOf(handed), approvalIdOf(edited)];
    await waitFor(async () => (await policy.stack.inbox.renew()).records.length === 3, {
      timeoutMs: 20_000,
      what: 'the three approvals in a listing',
    });
    const readsBefore = policy.stack.inbox.reads;
    expect(idsOf(await inbox('alice'))).toEqual([decidedId, handedId, editedId]);

    const decision = await policy.decide('alice', decidedId, 'approve');
    expect(decision.status).toBe(200);
    const afterDecision = await inbox('alice');
    expect(idsOf(afterDecision)).toEqual([handedId, editedId]);
    expect(afterDecision.total).toBe(2);

    expect(idsOf(await inbox('eve', '?can_decide=true'))).toEqual([]);
    const handOver = await call(
      policy.stack.baseUrl,
      'POST',
      `/api/approvals/${handedId}/delegate`,
      { to_person: 'eve', reason: 'eve knows this supplier' },
      as('alice'),
    );
    expect(handOver.status).toBe(200);
    const evesPage = await inbox('eve', '?can_decide=true');
    expect(evesPage).toMatchObject({
      total: 1,
      approvals: [{ approval_id: handedId, may_decide: true, delegations: [{ from: 'alice', to: 'eve' }] }],
    });

    const run = await policy.runView(edited.workflowId);
    const args = run.steps.find((s: { id: string }) => s.id === edited.view.approvals[0].step_id).args;
    const edit = await call(
      policy.stack.baseUrl,
      'POST',
      `/api/approvals/${editedId}/edit`,
      { args: { ...args, amount_cents: 300_000 }, reason: 'a smaller first payment' },
      as('owner'),
    );
    expect(edit.status).toBe(200);
    const ownersPage = await inbox('owner', '?max_amount=3500');
    expect(ownersPage).toMatchObject({
      total: 1,
      approvals: [
        { approval_id: editedId, amount_cents: 300_000, edits: 1, action_hash: edit.body.approval.action_hash },
      ],
    });
    expect(idsOf(await inbox('owner', '?min_amount=4000'))).toEqual([handedId]);

    const first = await inbox('alice', '?limit=1&sort=amount');
    expect(first).toMatchObject({ total: 2, approvals: [{ approval_id: handedId }] });
    const second = await inbox('alice', `?limit=1&sort=amount&cursor=${first.next_cursor}`);
    expect(second).toMatchObject({ total: 2, approvals: [{ approval_id: editedId, amount_cents: 300_000 }] });
    expect(second.next_cursor).toBeUndefined();

    // Every page above was served from the listing read before the changes.
    expect(policy.stack.inbox.reads).toBe(readsBefore);
  });

  it('still lists an approval decided on another gateway until its next read, and acting on it answers 409 and changes nothing', async () => {
    const { workflowId, view } = await policy.chat('owner', 'Transfer 2500 to Kiran');
    const approvalId: string = view.approvals[0].approval_id;
    await waitFor(async () => (await policy.stack.inbox.renew()).records.some((r) => r.approval_id === approvalId), {
      timeoutMs: 20_000,
      what: 'the approval in a listing',
    });

    const other = createGatewayApp({ client: policy.stack.client, config: policy.stack.config });
    const server = serve({ fetch: other.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const decidedElsewhereAt = Date.now();
    try {
      const elsewhere = await call(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        'POST',
        `/api/approvals/${approvalId}/decision`,
        { decision: 'approve' },
        as('bob'),
      );
      expect(elsewhere.status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    // This gateway's listing was read before: it still lists the approval, and says when it read it.
    const stale = await inbox('alice');
    expect(idsOf(stale)).toContain(approvalId);
    expect(Date.parse(stale.listed_at)).toBeLessThanOrEqual(decidedElsewhereAt);
    const late = await policy.decide('alice', approvalId, 'reject');
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('already approved');
    expect((await policy.runView(workflowId)).approvals[0]).toMatchObject({ status: 'approved', decided_by: 'bob' });
  });
});
