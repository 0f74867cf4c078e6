/**
 * `POST /api/approvals/decisions` over HTTP against the real stack: each item answered on its own
 * in the order sent, money moved once per approved transfer, and the same list sent again changes
 * nothing more; with no worker the items are kept (202) and applied when one returns.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';

const stack = useStack({ gateway: { queryTimeoutMs: 1500, decisionAcceptMs: 1000 } });

async function pendingTransfer(message: string): Promise<{ workflowId: string; approvalId: string }> {
  await stack.startWorker();
  const chat = await call(stack.baseUrl, 'POST', '/chat', { message, user_id: 'default_user' });
  expect(chat.body.status).toBe('PENDING_APPROVAL');
  return { workflowId: chat.body.workflow_id, approvalId: chat.body.reply.approval_id };
}

const statusOf = async (workflowId: string): Promise<string> =>
  (await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`)).body.status;

describe('bulk decisions', () => {
  it('answers every item on its own, in order, and a retried list changes nothing more', async () => {
    const a = await pendingTransfer('Transfer 5100 to kiran');
    const b = await pendingTransfer('Transfer 5200 to kiran');
    const c = await pendingTransfer('Transfer 5300 to kiran');
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    const decisions = [
      { approval_id: a.approvalId, decision: 'approve', decided_by: 'manager@bank.com' },
      { approval_id: b.approvalId, decision: 'reject', decided_by: 'manager@bank.com', reason: 'not today' },
      { approval_id: c.approvalId, decision: 'approve', decided_by: 'default_user' },
      { approval_id: c.approvalId, decision: 'maybe', decided_by: 'manager@bank.com' },
      { approval_id: 'req-nothing.transfer', decision: 'approve', decided_by: 'manager@bank.com' },
    ];
    const first = await call(stack.baseUrl, 'POST', '/api/approvals/decisions', { decisions });
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { status: number }) => r.status)).toEqual([200, 200, 403, 400, 404]);
    expect(first.body.results.map((r: { approval_id?: string }) => r.approval_id)).toEqual(
      decisions.map((d) => d.approval_id),
    );
    expect(first.body.results[0]).toMatchObject({
      ok: true,
      outcome: 'applied',
      step_state: 'SUCCEEDED',
      approval: { status: 'approved' },
    });
    expect(first.body.results[1]).toMatchObject({
      ok: true,
      outcome: 'applied',
      approval: { status: 'rejected', decision_reason: 'not today' },
    });
    expect(first.body.results[2]).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(first.body.results[3].error.message).toMatch(/decisions\.3\.decision/);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 510_000);

    const again = await call(stack.baseUrl, 'POST', '/api/approvals/decisions', { decisions });
    expect(again.body.results.map((r: { status: number; outcome?: string }) => [r.status, r.outcome])).toEqual([
      [200, 'already_applied'],
      [200, 'already_applied'],
      [403, undefined],
      [400, undefined],
      [404, undefined],
    ]);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 510_000);
    expect(await statusOf(c.workflowId)).toBe('WAITING_APPROVAL');
    expect(
      (await call(stack.baseUrl, 'GET', `/api/workflows/${a.workflowId}/timeline`)).body.events.map(
        (e: { event: string }) => e.event,
      ),
    ).not.toContain('approval_ignored');
  });

  it('keeps the items for later while no worker runs (202 each), and they are applied once one returns', async () => {
    const a = await pendingTransfer('Transfer 5400 to kiran');
    const b = await pendingTransfer('Transfer 5500 to kiran');
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    await stack.stopWorker();
    const res = await call(stack.baseUrl, 'POST', '/api/approvals/decisions', {
      decisions: [
        { approval_id: a.approvalId, decision: 'approve', decided_by: 'manager@bank.com' },
        { approval_id: b.approvalId, decision: 'approve', decided_by: 'default_user' },
      ],
    });
    expect(res.body.results.map((r: { status: number; outcome?: string }) => [r.status, r.outcome])).toEqual([
      [202, 'accepted'],
      [403, undefined],
    ]);
    await stack.startWorker();
    await waitFor(async () => (await statusOf(a.workflowId)) === 'COMPLETED' || undefined, {
      timeoutMs: 30_000,
      what: 'the approved run to complete',
    });
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 540_000);
    expect(await statusOf(b.workflowId)).toBe('WAITING_APPROVAL');
  });

  it('refuses an envelope that is not a list of 1 to 100 items', async () => {
    for (const body of [{}, { decisions: [] }, { decisions: Array.from({ length: 101 }, () => ({})) }]) {
      const res = await call(stack.baseUrl, 'POST', '/api/approvals/decisions', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/decisions/);
    }
  });
});
