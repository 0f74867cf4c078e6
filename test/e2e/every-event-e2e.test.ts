/**
 * Every webhook event reaches a real local listener, signed: one transfer is reminded of,
 * escalated and expires (its run is REJECTED: run.failed), another is approved (run.completed), a
 * third is approved, holds in its cooling-off window and is revoked.
 * Each delivery's Standard Webhooks signature is verified with the test's own secret.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { NOTIFICATION_EVENT_TYPES, type NotificationEvent } from '../../src/shared/notifications.js';
import { ALLOW_THE_REST, approversRule, as, startPolicyStack, type PolicyStack } from '../support/policy-stack.js';
import { call } from '../support/http.js';
import { startWebhookSubscriber, type WebhookSubscriber } from '../support/webhook-subscriber.js';

const POLICY = {
  id: 'every-event',
  rules: [
    approversRule('followed-up', 300_000, 1, {
      remind_after: '1s',
      escalate_after: '2s',
      escalate_to: 'managers',
      expire_after: '4s',
    }),
    approversRule('held', 200_000, 1, { cooling_off: '5m' }),
    approversRule('plain', 100_000),
    ...ALLOW_THE_REST,
  ],
};

let subscriber: WebhookSubscriber;
let policy: PolicyStack;
beforeAll(async () => {
  subscriber = await startWebhookSubscriber();
  policy = await startPolicyStack(POLICY, subscriber.env);
});
afterAll(async () => {
  await policy?.stop();
  await subscriber?.close();
});

/** Every delivery so far, each verified with the test's secret (a bad signature throws). */
function verifiedEvents(): NotificationEvent[] {
  return subscriber.listener.received.map((webhook) => {
    const headers = {
      'webhook-id': String(webhook.headers['webhook-id']),
      'webhook-timestamp': String(webhook.headers['webhook-timestamp']),
      'webhook-signature': String(webhook.headers['webhook-signature']),
    };
    return new Webhook(subscriber.secret).verify(webhook.body, headers) as NotificationEvent;
  });
}

describe('webhooks: every event', () => {
  it('delivers each event type to a real listener, each signed', async () => {
    const expiring = await policy.chat('owner', 'Transfer 3000 to Kiran');
    const approved = await policy.chat('owner', 'Transfer 1000 to Kiran');
    expect((await policy.decide('alice', approved.view.approvals[0].approval_id, 'approve')).status).toBe(200);
    const revoked = await policy.chat('owner', 'Transfer 2000 to Kiran');
    const heldId: string = revoked.view.approvals[0].approval_id;
    expect((await policy.decide('alice', heldId, 'approve')).status).toBe(200);
    const revoke = await call(policy.stack.baseUrl, 'POST', `/api/approvals/${heldId}/revoke`, {}, as('owner'));
    expect(revoke.body.outcome).toBe('revoked');

    const typesOf = (workflowId: string) =>
      verifiedEvents()
        .filter((e) => e.workflow_id === workflowId)
        .map((e) => e.type);
    const expiringTypes = await waitFor(
      () => {
        const types = typesOf(expiring.workflowId);
        return types.includes('run.failed') ? types : undefined;
      },
      { timeoutMs: 30_000, what: 'run.failed of the expiring transfer' },
    );
    expect(expiringTypes).toEqual([
      'approval.requested',
      'approval.reminder',
      'approval.escalated',
      'approval.expired',
      'run.failed',
    ]);
    const approvedTypes = await waitFor(
      () => {
        const types = typesOf(approved.workflowId);
        return types.includes('run.completed') ? types : undefined;
      },
      { timeoutMs: 30_000, what: 'run.completed of the approved transfer' },
    );
    expect(approvedTypes).toEqual(['approval.requested', 'approval.decided', 'run.completed']);
    const revokedTypes = await waitFor(
      () => {
        const types = typesOf(revoked.workflowId);
        return types.includes('run.failed') ? types : undefined;
      },
      { timeoutMs: 30_000, what: 'run.failed of the revoked transfer' },
    );
    expect(revokedTypes).toEqual([
      'approval.requested',
      'approval.decided',
      'approval.holding',
      'approval.revoked',
      'run.failed',
    ]);
    expect(new Set([...expiringTypes, ...approvedTypes, ...revokedTypes])).toEqual(new Set(NOTIFICATION_EVENT_TYPES));

    const failed = verifiedEvents().find((e) => e.workflow_id === expiring.workflowId && e.type === 'run.failed')!;
    expect(failed.data).toMatchObject({ status: 'REJECTED', user_id: 'default_user' });
    const escalated = verifiedEvents().find(
      (e) => e.workflow_id === expiring.workflowId && e.type === 'approval.escalated',
    )!;
    expect(escalated.data).toMatchObject({ escalated_to: 'managers', requested_by: 'default_user' });
  });
});
