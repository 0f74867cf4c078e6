/**
 * Edits while no worker runs, over HTTP against the real stack: the gateway checks an edit against
 * the approval record in the run's memo, refuses at once what it can judge invalid, and keeps the
 * rest in the run's history (202 accepted); the run applies it when a worker returns, once however
 * often it was sent, and records what it refuses. The step runs with the edited arguments once.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { pendingTransfer, runTimeline } from '../support/pending-transfers.js';
import { decideOverHttp, postEdit } from '../support/chat.js';

const stack = useStack({ gateway: { queryTimeoutMs: 1500, decisionAcceptMs: 1000 } });

async function finished(workflowId: string) {
  return waitFor(
    async () => {
      const res = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
      return res.status === 200 && ['COMPLETED', 'REJECTED', 'FAILED'].includes(res.body.status) ? res.body : undefined;
    },
    { timeoutMs: 30_000, what: `run ${workflowId} to finish` },
  );
}

describe('durable edits', () => {
  it('an edit sent (twice) while no worker runs is accepted (202) and applied once when a worker returns; the edited amount moves once', async () => {
    const { workflowId, approvalId, actionHash, args } = await pendingTransfer(stack, 'Transfer 6000 to kiran');
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    await stack.stopWorker();

    const edit = {
      args: { ...args, amount_cents: 400_000 },
      edited_by: 'default_user',
      reason: 'under the limit',
      action_hash: actionHash,
    };
    const first = await call(stack.baseUrl, 'POST', `/api/approvals/${approvalId}/edit`, edit);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      status: 'accepted',
      applied: false,
      taken_by_worker: false,
      approval_id: approvalId,
      workflow_id: workflowId,
      edited_by: 'default_user',
    });
    // A client that gave up waiting sends the same edit again: it is the same signed edit to the run.
    const retried = await call(stack.baseUrl, 'POST', `/api/approvals/${approvalId}/edit`, edit);
    expect(retried.status).toBe(202);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before);

    await stack.startWorker();
    const done = await finished(workflowId);
    expect(done.status).toBe('COMPLETED');
    expect(done.steps[0].args.amount_cents).toBe(400_000);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 400_000);
    const events = await runTimeline(stack, workflowId);
    const edits = events.filter((e) => e.event === 'approval_edited');
    expect(edits).toHaveLength(1);
    expect(edits[0]?.metadata).toMatchObject({
      edited_by: 'default_user',
      before: { amount_cents: 600_000 },
      after: { amount_cents: 400_000 },
    });
    expect(events.map((e) => e.event)).not.toContain('approval_ignored');
  });

  it('refuses at once, with no worker, an edit it can judge invalid; the run refuses and records a decision on the action the edit replaced', async () => {
    const { workflowId, approvalId, actionHash, args } = await pendingTransfer(stack, 'Transfer 6000 to kiran');
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    await stack.stopWorker();

    const started = Date.now();
    const negative = await postEdit(stack.baseUrl, approvalId, {
      args: { ...args, amount_cents: -5 },
      edited_by: 'manager@bank.com',
    });
    expect(negative.status).toBe(400);
    expect(negative.body.error.message).toContain('args.amount_cents');
    const stale = await postEdit(stack.baseUrl, approvalId, {
      args: { ...args, amount_cents: 550_000 },
      edited_by: 'manager@bank.com',
      action_hash: 'f'.repeat(64),
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_approval');
    const unknown = await call(stack.baseUrl, 'POST', `/api/approvals/${workflowId}.nothing/edit`, {
      args,
      edited_by: 'manager@bank.com',
    });
    // With no worker to say more, an approval the memo does not list as pending waits for nothing.
    expect(unknown.status).toBe(409);
    // Judged from the memo, with no query or update waited for (1.5 s and 1 s here); loose for a loaded machine.
    expect(Date.now() - started).toBeLessThan(6000);

    const edited = await postEdit(stack.baseUrl, approvalId, {
      args: { ...args, amount_cents: 550_000 },
      edited_by: 'manager@bank.com',
      action_hash: actionHash,
    });
    expect(edited.status).toBe(202);
    // Sent after the edit, on the action the approver saw before it: only the run can tell it is stale now.
    const late = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'manager@bank.com', actionHash);
    expect(late.status).toBe(202);

    await stack.startWorker();
    const waiting = await waitFor(
      async () => {
        const res = await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`);
        return res.status === 200 && res.body.edits === 1 && res.body.status === 'pending' ? res.body : undefined;
      },
      { timeoutMs: 30_000, what: 'the edited approval to wait again' },
    );
    expect(waiting.amount_cents).toBe(550_000);
    expect(waiting.action_hash).not.toBe(actionHash);
    const events = await runTimeline(stack, workflowId);
    const ignored = events.filter((e) => e.event === 'approval_ignored');
    // The decision may arrive twice (its abandoned update and its signal); each arrival is refused as stale.
    expect(ignored.length).toBeGreaterThanOrEqual(1);
    for (const e of ignored) expect(e.metadata).toMatchObject({ reason: 'ApprovalStale' });
    expect(events.filter((e) => e.event === 'approval_approved')).toEqual([]);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before);

    // Someone other than the edit's author approves what it shaped (four eyes).
    const approved = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'cfo@bank.com', waiting.action_hash);
    expect(approved.status).toBe(200);
    expect((await finished(workflowId)).status).toBe('COMPLETED');
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 550_000);
  });
});
