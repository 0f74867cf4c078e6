/**
 * policies/daily-limit.json over HTTP against the real stack: the $5,000.00 tier compares a
 * request's transfers plus what the user moved without approval in the last 24 hours, and
 * concurrent requests cannot race past it. The sandbox ledger is the witness.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { getJson, postJson, type Loose } from '../support/http.js';
import { getBalanceCents, ledgerEntries } from '../support/sandbox-ledger.js';
import { settledRunView } from '../support/reliability.js';

const DAY_MS = 86_400_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { POLICY_FILE: path.resolve('policies/daily-limit.json') } });
});
afterAll(async () => {
  await stack?.stop();
});

async function windowOf(userId: string): Promise<{ moved_cents: number; reservations: Loose[] }> {
  const res = await getJson(stack.sandbox.url, `/api/limits/users/${encodeURIComponent(userId)}?window_ms=${DAY_MS}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('a rolling window of $5,000.00 per 24 hours moved without approval', () => {
  it('lets four of ten concurrent $1,000.00 requests from one user run; the other six wait, and the ledger agrees', async () => {
    const user = 'default_user';
    const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
    const starts = await Promise.all(
      Array.from({ length: 10 }, () =>
        postJson(stack.baseUrl, '/chat', { message: 'Transfer 1000 to Kiran', user_id: user }),
      ),
    );
    expect(starts.map((s) => s.status)).toEqual(Array(10).fill(200));
    const views = await Promise.all(starts.map((s) => settledRunView(stack.baseUrl, s.body.workflow_id)));

    const completed = views.filter((v) => v.status === 'COMPLETED');
    const waiting = views.filter((v) => v.status === 'WAITING_APPROVAL');
    expect(completed).toHaveLength(4);
    expect(waiting).toHaveLength(6);
    for (const view of completed) expect(view.approvals).toEqual([]);
    for (const view of waiting) {
      expect(view.approvals[0]).toMatchObject({
        policy_rule: 'transfer-over-daily-limit',
        status: 'pending',
        amount_cents: 100_000,
      });
      expect(view.approvals[0].reason).toContain('$4,000.00 already moved without approval');
    }

    const ids = new Set(views.map((v) => v.workflow_id as string));
    const moved = (await ledgerEntries(stack.sandbox.url, '123')).filter((e) =>
      ids.has(e.idempotency_key.split(':')[0] ?? ''),
    );
    expect(moved).toHaveLength(4);
    expect(new Set(moved.map((e) => e.idempotency_key.split(':')[0]))).toEqual(
      new Set(completed.map((v) => v.workflow_id)),
    );
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore + 400_000);
    const window = await windowOf(user);
    expect(window.moved_cents).toBe(400_000);
    expect(window.reservations.filter((r) => !r.released)).toHaveLength(4);

    // An approved transfer moved with approval: it does not fill the window.
    const approvalId: string = waiting[0].approvals[0].approval_id;
    const approved = await postJson(stack.baseUrl, `/api/approvals/${approvalId}/decision`, {
      decision: 'approve',
      decided_by: 'manager@bank.com',
    });
    expect(approved.body).toMatchObject({ success: true, step_state: 'SUCCEEDED' });
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore + 500_000);
    expect((await windowOf(user)).moved_cents).toBe(400_000);
  });

  it('gives the room back when a transfer fails before moving money', async () => {
    // bob's own account holds $2,500.00 and nothing in this file pays him: $3,000.00 is allowed by the window, then refused by the bank.
    const failed = await postJson(stack.baseUrl, '/chat', { message: 'Transfer 3000 to Alice', user_id: 'bob' });
    const failedView = await settledRunView(stack.baseUrl, failed.body.workflow_id);
    expect(failedView.status).toBe('FAILED');
    expect(failedView.steps[0].error).toContain('Insufficient funds');
    const afterFailure = await windowOf('bob');
    expect(afterFailure.moved_cents).toBe(0);
    expect(afterFailure.reservations).toMatchObject([{ amount_cents: 300_000, released: true }]);

    const ran = await postJson(stack.baseUrl, '/chat', { message: 'Transfer 900 to Alice', user_id: 'bob' });
    expect((await settledRunView(stack.baseUrl, ran.body.workflow_id)).status).toBe('COMPLETED');
    expect((await windowOf('bob')).moved_cents).toBe(90_000);
  });

  it('compares the request sum plus the window: 3,000.00 moved, then 1,500.00 and 600.00 in one message waits', async () => {
    const user = 'alice';
    const first = await postJson(stack.baseUrl, '/chat', { message: 'Transfer 3000 to Kiran', user_id: user });
    expect((await settledRunView(stack.baseUrl, first.body.workflow_id)).status).toBe('COMPLETED');
    const second = await postJson(stack.baseUrl, '/chat', {
      message: 'Transfer 1500 to Kiran and transfer 600 to Bob',
      user_id: user,
    });
    const view = await settledRunView(stack.baseUrl, second.body.workflow_id);
    expect(view.status).toBe('WAITING_APPROVAL');
    expect(view.approvals).toHaveLength(2);
    expect(view.approvals[0].reason).toContain('$5,100.00 in all');
    expect((await windowOf(user)).moved_cents).toBe(300_000);
  });
});
