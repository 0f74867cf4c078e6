/**
 * Out-of-office stand-ins in bulk decisions and one-click links, over real HTTP against the real
 * stack with token auth: the stand-in decides the absent approver's part exactly as with a single
 * decision (the part is handed over first, recorded, and counted on the absent person's behalf),
 * and approval.requested, received by a real listener, carries links for the stand-in too.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import type { NotificationEvent } from '../../src/shared/notifications.js';
import type { ApprovalLinks } from '../../src/webhooks/approval-links.js';
import { call, type Loose } from '../support/http.js';
import {
  ALLOW_THE_REST,
  as,
  BOB_AWAY_ALICE_BACK,
  ONE_APPROVER_FROM_1K,
  type PolicyStack,
  startPolicyStack,
} from '../support/policy-stack.js';
import { startWebhookSubscriber, type WebhookSubscriber } from '../support/webhook-subscriber.js';

const POLICY = {
  id: 'stand-ins-test',
  rules: [ONE_APPROVER_FROM_1K, ...ALLOW_THE_REST],
  out_of_office: BOB_AWAY_ALICE_BACK,
};

let subscriber: WebhookSubscriber;
let policy: PolicyStack;
beforeAll(async () => {
  subscriber = await startWebhookSubscriber();
  policy = await startPolicyStack(POLICY, {
    ...subscriber.env,
    APPROVAL_LINK_SECRET: randomBytes(32).toString('base64url'),
  });
});
afterAll(async () => {
  await policy?.stop();
  await subscriber?.close();
});

async function linksOf(workflowId: string): Promise<ApprovalLinks[]> {
  const requested = await waitFor(
    () => {
      const events = subscriber.listener.received.map((w) => JSON.parse(w.body) as NotificationEvent);
      return events.find((e) => e.workflow_id === workflowId && e.type === 'approval.requested');
    },
    { timeoutMs: 20_000, what: `approval.requested of ${workflowId}` },
  );
  return requested.data['links'] as ApprovalLinks[];
}

function postForm(url: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'reason=covering+for+bob',
  });
}

describe('out-of-office stand-ins', () => {
  it("apply in bulk decisions: the stand-in approves several at once, each on the absent approver's behalf; an ended entry still hands nothing over", async () => {
    const runs = [
      await policy.chat('owner', 'Transfer 1100 to Kiran'),
      await policy.chat('owner', 'Transfer 1200 to Kiran'),
    ];
    const ids: string[] = runs.map((r) => r.view.approvals[0].approval_id);

    const eve = await call(
      policy.stack.baseUrl,
      'POST',
      '/api/approvals/decisions',
      { decisions: [{ approval_id: ids[0], decision: 'approve' }] },
      as('eve'),
    );
    expect(eve.status).toBe(200);
    expect(eve.body.results[0]).toMatchObject({ ok: false, status: 403 });

    const frank = await call(
      policy.stack.baseUrl,
      'POST',
      '/api/approvals/decisions',
      { decisions: ids.map((id) => ({ approval_id: id, decision: 'approve' })) },
      as('frank'),
    );
    expect(frank.status).toBe(200);
    for (const [i, result] of (frank.body.results as Loose[]).entries()) {
      expect(result).toMatchObject({
        approval_id: ids[i],
        ok: true,
        status: 200,
        outcome: 'applied',
        approval: { status: 'approved', decisions: [{ by: 'frank', on_behalf_of: 'bob' }] },
      });
    }
    for (const { workflowId } of runs) {
      const events = await policy.waitForEvent(workflowId, 'workflow_complete');
      expect(events.find((e) => e.event === 'approval_delegated')?.metadata).toMatchObject({
        from: 'bob',
        to: 'frank',
        reason: expect.stringContaining('out of office'),
      });
    }
  });

  it("apply in one-click links: the stand-in gets links, and following one hands the absent approver's part over and decides", async () => {
    const { workflowId, view } = await policy.chat('owner', 'Transfer 1300 to Kiran');
    const approvalId: string = view.approvals[0].approval_id;
    const links = await linksOf(workflowId);
    // The requester, the managers and the auditor whose entry ended get none.
    expect(links.map((l) => l.person).sort()).toEqual(['alice', 'bob', 'frank']);
    // The worker makes links under its GATEWAY_PUBLIC_URL; this test's gateway listens on a port of its own.
    const approveUrl = new URL(
      new URL(links.find((l) => l.person === 'frank')!.approve_url).pathname,
      policy.stack.baseUrl,
    ).href;

    const shown = await fetch(approveUrl);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('frank');
    expect((await policy.runView(workflowId)).approvals[0].delegations).toBeUndefined();

    const decided = await postForm(approveUrl);
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain('Approved');
    const events = await policy.waitForEvent(workflowId, 'workflow_complete');
    expect(events.find((e) => e.event === 'approval_delegated')?.metadata).toMatchObject({ from: 'bob', to: 'frank' });
    const record = (await call(policy.stack.baseUrl, 'GET', `/api/approvals/${approvalId}`, undefined, as('alice')))
      .body;
    expect(record).toMatchObject({
      status: 'approved',
      decisions: [{ by: 'frank', on_behalf_of: 'bob' }],
      decision_reason: 'covering for bob',
    });
  });
});
