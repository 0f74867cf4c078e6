/**
 * Decisions while no worker runs: the gateway checks them against the approval record in the
 * run's memo, refuses what could never count at once, and keeps the rest in the run's history
 * (202 accepted) for the run to apply when a worker returns; money moves exactly once.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { approveSession } from '../support/pending-transfers.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { decideOverHttp, postDecision } from '../support/chat.js';

const stack = useStack({ gateway: { queryTimeoutMs: 1500, decisionAcceptMs: 1000 } });

async function pendingTransfer(message: string) {
  await stack.startWorker();
  const chat = await call(stack.baseUrl, 'POST', '/chat', { message, user_id: 'default_user' });
  expect(chat.body.status).toBe('PENDING_APPROVAL');
  return {
    sessionId: chat.body.session_id as string,
    workflowId: chat.body.workflow_id as string,
    approvalId: chat.body.reply.approval_id as string,
  };
}

async function settled(workflowId: string) {
  return waitFor(
    async () => {
      const res = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}/timeline`);
      return res.status === 200 && ['COMPLETED', 'REJECTED', 'FAILED'].includes(res.body.status) ? res.body : undefined;
    },
    { timeoutMs: 30_000, what: `run ${workflowId} to finish` },
  );
}

describe('durable decisions', () => {
  it('a decision sent while no worker runs is accepted (202) and applied once a worker returns; the money moves once', async () => {
    const { sessionId, workflowId } = await pendingTransfer('Transfer 6000 to kiran');
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    await stack.stopWorker();

    // The seed route without approval_id: the session cannot be queried, so its pending approval is found from the runs' memos.
    const res = await approveSession(stack.baseUrl, sessionId);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'accepted',
      applied: false,
      workflow_id: workflowId,
      session_id: sessionId,
      decision: 'approve',
      decided_by: 'manager@bank.com',
    });
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before);

    await stack.startWorker();
    const final = await settled(workflowId);
    expect(final.status).toBe('COMPLETED');
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 600_000);
    // The abandoned update may reach the run next to the signal; the one signed decision counts once.
    const events = final.events.map((e: { event: string }) => e.event);
    expect(events.filter((e: string) => e === 'approval_approved')).toHaveLength(1);
    expect(events).not.toContain('approval_ignored');
  });

  it('a four-eyes violation sent while no worker runs is refused by the gateway at once and reaches nothing', async () => {
    const { workflowId, approvalId } = await pendingTransfer('Transfer 7000 to kiran');
    await stack.stopWorker();

    const started = Date.now();
    const res = await postDecision(stack.baseUrl, approvalId, { decision: 'approve', decided_by: 'default_user' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/four-eyes/);
    // Refused from the memo, with no query or update waited for (1.5 s and 1 s here); loose for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5000);
    const decided = await decideOverHttp(stack.baseUrl, approvalId, 'reject', 'manager@bank.com');
    expect(decided.status).toBe(202);

    await stack.startWorker();
    const final = await settled(workflowId);
    expect(final.status).toBe('REJECTED');
    const approvalEvents = final.events
      .filter((e: { approval_id?: string }) => e.approval_id === approvalId)
      .map((e: { event: string }) => e.event);
    expect(approvalEvents).toEqual(['approval_required', 'approval_rejected']);
  });

  it('a decision on an approval that is no longer pending is refused from the memo while no worker runs', async () => {
    const { workflowId, approvalId } = await pendingTransfer('Transfer 5500 to kiran');
    const first = await postDecision(stack.baseUrl, approvalId, { decision: 'reject', decided_by: 'manager@bank.com' });
    expect(first.status).toBe(200);
    await settled(workflowId);
    await stack.stopWorker();
    const again = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'manager@bank.com');
    expect(again.status).toBe(409);
  });
});
