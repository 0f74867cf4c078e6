/** Who may read the webhook delivery log, and bad parameters, through `app.request` (Temporal is not the subject). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { testSecretsEnv } from '../../dev/stack-secrets.js';
import { parseConfig } from '../../src/runtime/config.js';
import { createGatewayApp } from '../../gateway/app.js';
import { TokenTable } from '../../gateway/auth.js';
import { DeliveryLog } from '../../src/webhooks/delivery-log.js';

const dir = mkdtempSync(join(tmpdir(), 'deliveries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'deliveries.db');
const TOKENS = {
  admin: 'token-of-admin-000000001',
  approver: 'token-of-approver-000001',
  requester: 'token-of-requester-00001',
};
const tokens = new TokenTable({
  [TOKENS.admin]: { user_id: 'ops', role: 'admin' },
  [TOKENS.approver]: { user_id: 'manager@bank.com', role: 'approver' },
  [TOKENS.requester]: { user_id: 'alice', role: 'requester' },
});
const webhookEnv = {
  WEBHOOK_URL: 'http://127.0.0.1:9/hooks',
  WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
  WEBHOOK_DELIVERIES_DB: db,
};
// The route never reaches Temporal; a client that throws on use proves it.
const noTemporal = new Proxy(
  {},
  {
    get: () => {
      throw new Error('Temporal was used');
    },
  },
) as Client;

function appWith(env: Record<string, string>) {
  return createGatewayApp({
    client: noTemporal,
    config: parseConfig({ ...testSecretsEnv(), GATEWAY_AUTH: 'token', ...env }),
    tokens,
  });
}

const log = DeliveryLog.open(db);
log.record({
  event_id: 'req-1:3',
  type: 'run.completed',
  workflow_id: 'req-1',
  url: webhookEnv.WEBHOOK_URL,
  attempt: 1,
  status: 'retrying',
  response_status: 503,
  error: 'the subscriber answered 503',
  at: '2026-12-01T10:00:00.000Z',
});
log.record({
  event_id: 'req-1:3',
  type: 'run.completed',
  workflow_id: 'req-1',
  url: webhookEnv.WEBHOOK_URL,
  attempt: 2,
  status: 'delivered',
  response_status: 200,
  at: '2026-12-01T10:00:01.000Z',
});

describe('GET /api/webhooks/deliveries', () => {
  const app = appWith(webhookEnv);
  const get = (path: string, who?: keyof typeof TOKENS) =>
    app.request(path, { headers: who ? { authorization: `Bearer ${TOKENS[who]}` } : {} });

  it('answers an operator with one row per event, its attempts and last answer', async () => {
    const res = await get('/api/webhooks/deliveries', 'admin');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      configured: true,
      deliveries: [
        {
          event_id: 'req-1:3',
          type: 'run.completed',
          workflow_id: 'req-1',
          url: webhookEnv.WEBHOOK_URL,
          status: 'delivered',
          attempts: 2,
          last_response_status: 200,
          first_attempt_at: '2026-12-01T10:00:00.000Z',
          last_attempt_at: '2026-12-01T10:00:01.000Z',
          delivered_at: '2026-12-01T10:00:01.000Z',
        },
      ],
    });
  });

  it.each([
    ['approver', 403],
    ['requester', 403],
    [undefined, 401],
  ] as const)('refuses %s with %i', async (who, status) => {
    const res = await get('/api/webhooks/deliveries', who);
    expect(res.status).toBe(status);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the field for ?%s', async (query, field) => {
    const res = await get(`/api/webhooks/deliveries?${query}`, 'admin');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(field);
  });

  it('answers an empty list, configured false, when no subscriber is set', async () => {
    const res = await appWith({}).request('/api/webhooks/deliveries', {
      headers: { authorization: `Bearer ${TOKENS.admin}` },
    });
    expect(await res.json()).toEqual({ configured: false, deliveries: [] });
  });
});
