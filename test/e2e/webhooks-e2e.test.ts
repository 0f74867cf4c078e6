/**
 * Outgoing webhooks over the real stack: a transfer that needs approval announces itself to a real
 * local listener, every delivery carries a Standard Webhooks signature made with the test's
 * secret, and the operator's delivery list shows each event with its attempts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import type { NotificationEvent } from '../../src/shared/notifications.js';
import { useResource, useStack } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { startWebhookListener, type ReceivedWebhook } from '../support/webhook-listener.js';
import { chatAs, postDecision } from '../support/chat.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const listener = useResource('the webhook listener', startWebhookListener, (l) => l.close());
const dataDir = useResource(
  'a data directory',
  async () => ({ path: mkdtempSync(join(tmpdir(), 'webhooks-')) }),
  async (d) => rmSync(d.path, { recursive: true, force: true }),
);
const stack = useStack(() => ({
  env: {
    WEBHOOK_URL: listener.url,
    WEBHOOK_SECRET: secret,
    WEBHOOK_DELIVERIES_DB: join(dataDir.path, 'deliveries.db'),
  },
}));

/** Verifies the signature with the test's own secret and returns the event. */
function verified(webhook: ReceivedWebhook): NotificationEvent {
  const headers = {
    'webhook-id': String(webhook.headers['webhook-id']),
    'webhook-timestamp': String(webhook.headers['webhook-timestamp']),
    'webhook-signature': String(webhook.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(webhook.body, headers) as NotificationEvent;
}

function delivered(workflowId: string): NotificationEvent[] {
  return listener.received
    .filter((w) => w.answered < 300)
    .map(verified)
    .filter((e) => e.workflow_id === workflowId);
}

async function deliveriesOf(workflowId: string) {
  const res = await call(
    stack.baseUrl,
    'GET',
    `/api/webhooks/deliveries?workflow_id=${encodeURIComponent(workflowId)}`,
  );
  expect(res.status).toBe(200);
  return res.body.deliveries as {
    event_id: string;
    type: string;
    status: string;
    attempts: number;
    last_response_status?: number;
  }[];
}

describe('webhooks: a transfer that needs approval', () => {
  let workflowId: string;
  let approvalId: string;

  it('announces approval.requested with the approval record, signed with the subscriber secret', async () => {
    const res = await chatAs(stack.baseUrl, 'Transfer 6000 to Kiran', 'default_user');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('PENDING_APPROVAL');
    workflowId = res.body.workflow_id;
    approvalId = res.body.reply.approval_id;
    const [requested] = await waitFor(
      () => {
        const events = delivered(workflowId);
        return events.length > 0 && events;
      },
      { what: 'approval.requested' },
    );
    expect(requested).toMatchObject({
      type: 'approval.requested',
      workflow_id: workflowId,
      data: { approval: { approval_id: approvalId, status: 'pending', amount: 6000, recipient: 'kiran' } },
    });
    expect(requested!.event_id).toMatch(new RegExp(`^${workflowId}:\\d+$`));
  });

  it('refuses a delivery signed with another secret', () => {
    const webhook = listener.received.find((w) => w.answered < 300);
    if (!webhook) throw new Error('no delivery was accepted before this test');
    const headers = webhook.headers as Record<string, string>;
    expect(() => new Webhook(secret).verify(webhook.body, headers)).not.toThrow();
    const other = new Webhook(`whsec_${randomBytes(32).toString('base64')}`);
    expect(() => other.verify(webhook.body, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(`${webhook.body} `, headers)).toThrow(WebhookVerificationError);
  });

  it('announces approval.decided and run.completed once the manager approves, before the run closes', async () => {
    const res = await postDecision(stack.baseUrl, approvalId, { decision: 'approve', decided_by: 'manager@bank.com' });
    expect(res.status).toBe(200);
    await stack.client.workflow.getHandle(workflowId).result();
    // The run returned only after its outcome was delivered.
    const events = delivered(workflowId);
    expect(events.map((e) => e.type)).toEqual(['approval.requested', 'approval.decided', 'run.completed']);
    expect(events[1]).toMatchObject({
      data: { approval: { approval_id: approvalId, status: 'approved', decided_by: 'manager@bank.com' } },
    });
    expect(events[2]).toMatchObject({
      data: { status: 'COMPLETED', user_id: 'default_user', intent: 'money_transfer' },
    });
    expect(new Set(events.map((e) => e.event_id)).size).toBe(3);
  });

  it('lists each delivery for the operator, delivered at the first attempt', async () => {
    const deliveries = await deliveriesOf(workflowId);
    expect(deliveries.map((d) => [d.type, d.status, d.attempts, d.last_response_status])).toEqual([
      ['run.completed', 'delivered', 1, 204],
      ['approval.decided', 'delivered', 1, 204],
      ['approval.requested', 'delivered', 1, 204],
    ]);
  });
});

describe('webhooks: a subscriber that fails', () => {
  it('retries with backoff until it answers: delivered at attempt 3 after two 503s', async () => {
    listener.failNext(2);
    const res = await chatAs(stack.baseUrl, 'Transfer 10 to Kiran', 'default_user');
    expect(res.status).toBe(200);
    const workflowId: string = res.body.workflow_id;
    await stack.client.workflow.getHandle(workflowId).result();
    const attempts = listener.received.filter((w) => verified(w).workflow_id === workflowId);
    expect(attempts.map((w) => w.answered)).toEqual([503, 503, 204]);
    // Every attempt carries the same id and body: the subscriber can drop duplicates.
    expect(new Set(attempts.map((w) => w.headers['webhook-id'])).size).toBe(1);
    expect(await deliveriesOf(workflowId)).toEqual([
      expect.objectContaining({ type: 'run.completed', status: 'delivered', attempts: 3, last_response_status: 204 }),
    ]);
  });
});

describe('webhooks: bad settings', () => {
  it('refuses a secret that is not whsec_ base64, naming the setting', async () => {
    const { parseConfig } = await import('../../src/runtime/config.js');
    expect(() => parseConfig({ WEBHOOK_URL: 'http://127.0.0.1:9/h', WEBHOOK_SECRET: 'not-a-secret' })).toThrow(
      /WEBHOOK_SECRET: must be whsec_/,
    );
    expect(() => parseConfig({ WEBHOOK_URL: 'http://127.0.0.1:9/h' })).toThrow(/WEBHOOK_SECRET: required when/);
    expect(() =>
      parseConfig({
        WEBHOOK_URL: 'http://127.0.0.1:9/h',
        WEBHOOK_SECRET: `whsec_${Buffer.alloc(8).toString('base64')}`,
      }),
    ).toThrow(/WEBHOOK_SECRET/);
    expect(() => parseConfig({ APPROVAL_LINK_SECRET: 'short' })).toThrow(
      /APPROVAL_LINK_SECRET: must be at least 32 characters/,
    );
  });
});
