/**
 * Duplicates, sent concurrently through the gateway: the same keyed chat 20 times makes one run
 * and one transfer; the same decision 10 times, over both decision routes, wins once (200) and is
 * refused nine times (409); money moves once; the timeline records an ignored decision exactly
 * when it reached the run (Temporal's history is the witness of what reached it).
 */
import { describe, expect, it } from 'vitest';
import { call, type JsonResponse } from '../support/http.js';
import { waitFor } from '../../dev/ports.js';
import {
  decisionsInHistory,
  expectExactlyOnQueue,
  get,
  ledgerEntriesFor,
  seqsAreContiguous,
  timelineOf,
  waitForStatus,
} from '../support/reliability.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { startStack } from '../support/stack.js';
import { useStack } from '../support/fixtures.js';
import { postDecision } from '../support/chat.js';

const stack = useStack();

async function balances(): Promise<{ from: number; kiran: number }> {
  const [from, kiran] = await Promise.all([
    getBalanceCents(stack.sandbox.url, '123'),
    getBalanceCents(stack.sandbox.url, 'kiran'),
  ]);
  return { from, kiran };
}

describe('the same request and the same decision, concurrently', () => {
  it('20 keyed chats make one run; 10 decisions win once; money moves once', async () => {
    const before = await balances();
    const headers = { 'Idempotency-Key': 'duplicates-transfer-6000' };
    const body = { message: 'Transfer 6000 to Kiran', user_id: 'default_user' };
    const chats = await Promise.all(
      Array.from({ length: 20 }, () => call(stack.baseUrl, 'POST', '/chat', body, headers)),
    );
    for (const res of chats) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe('PENDING_APPROVAL');
    }
    expect(new Set(chats.map((r) => r.body.workflow_id)).size).toBe(1);
    expect(new Set(chats.map((r) => r.body.session_id)).size).toBe(1);
    expect(new Set(chats.map((r) => r.body.reply.approval_id)).size).toBe(1);
    const workflowId: string = chats[0]!.body.workflow_id;
    const sessionId: string = chats[0]!.body.session_id;
    const approvalId: string = chats[0]!.body.reply.approval_id;

    // One execution with one run, recorded once in its session; one approval in the run.
    const handle = stack.client.workflow.getHandle(workflowId);
    const history = await handle.fetchHistory();
    expect(history.events?.filter((e) => e.workflowExecutionStartedEventAttributes != null)).toHaveLength(1);
    // The run opened its session alone (no session workflow yet) and stands for it.
    const status = await get(stack.baseUrl, `/workflow/${sessionId}/status`);
    expect(status.body.workflow_id).toBe(workflowId);
    const run = await get(stack.baseUrl, `/api/workflows/${workflowId}`);
    expect(run.body.approvals).toHaveLength(1);
    expect((await timelineOf(stack.baseUrl, workflowId)).map((e) => e.event)).toEqual([
      'plan_created',
      'step_ready',
      'step_blocked',
      'approval_required',
    ]);

    const decisions = await Promise.all(
      Array.from({ length: 10 }, (_, i): Promise<JsonResponse> =>
        i % 2 === 0
          ? postDecision(stack.baseUrl, approvalId, { decision: 'approve', decided_by: 'manager@bank.com' })
          : call(stack.baseUrl, 'POST', `/workflow/${sessionId}/approve`, {
              approver_id: 'manager@bank.com',
              approved: true,
            }),
      ),
    );
    const statuses = decisions.map((d) => d.status);
    expect(
      statuses.filter((s) => s === 200),
      JSON.stringify(statuses),
    ).toHaveLength(1);
    expect(
      statuses.filter((s) => s === 409),
      JSON.stringify(statuses),
    ).toHaveLength(9);
    for (const refused of decisions.filter((d) => d.status === 409)) {
      expect(refused.body).toEqual({
        error: { code: 'conflict', message: `Approval ${approvalId} is already approved` },
      });
    }

    expect(await waitForStatus(stack.baseUrl, workflowId, ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'])).toBe(
      'COMPLETED',
    );
    expect(await ledgerEntriesFor(stack.sandbox.url, 'kiran', `${workflowId}:transfer`)).toHaveLength(1);
    expect(await balances()).toEqual({ from: before.from - 600_000, kiran: before.kiran + 600_000 });

    // What reached the run is in its history: one approvalDecision update per decision the gateway
    // forwarded. Exactly one was applied; each other one is an approval_ignored, none is missing.
    const events = await timelineOf(stack.baseUrl, workflowId);
    expect(seqsAreContiguous(events)).toBe(true);
    const reached = await decisionsInHistory(handle);
    expect(reached.length).toBeGreaterThanOrEqual(1);
    expect(reached.length).toBeLessThanOrEqual(10);
    for (const r of reached) {
      // Signed for this run and the action the approver was shown (the one first requested).
      expect(r.decision).toEqual({
        workflow_id: workflowId,
        run_id: expect.any(String),
        approval_id: approvalId,
        action_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        approved: true,
        approver_id: 'manager@bank.com',
        proof: expect.objectContaining({ key_id: expect.any(String) }),
      });
    }
    expect(events.filter((e) => e.event === 'approval_approved')).toHaveLength(1);
    const ignored = events.filter((e) => e.event === 'approval_ignored');
    expect(ignored).toHaveLength(reached.length - 1);
    for (const e of ignored) {
      expect(e).toMatchObject({
        approval_id: approvalId,
        metadata: { approver_id: 'manager@bank.com', approved: true, reason: 'ApprovalAlreadyDecided' },
      });
    }
    expect(events.filter((e) => e.event === 'step_succeeded')).toHaveLength(1);

    await waitFor(
      async () => (await stack.client.workflow.count(`WorkflowId='${workflowId}'`)).count === 1 || undefined,
      {
        what: 'the run in visibility',
      },
    );
    await expectExactlyOnQueue(stack.client, stack.taskQueue, [workflowId]);
  });

  it('a keyed chat retried while no worker polls returns the same run instead of 503', async () => {
    // The gateway answers RUNNING from search attributes when no worker polls (describe needs
    // none), so a retry of that keyed chat must be able to return the same run the same way.
    const idle = await startStack({ sandbox: stack.sandbox, noWorker: true, env: { CHAT_WAIT_MS: '500' } });
    try {
      const headers = { 'Idempotency-Key': 'duplicates-without-worker' };
      const body = { message: 'Transfer 6000 to Kiran', user_id: 'default_user' };
      const first = await call(idle.baseUrl, 'POST', '/chat', body, headers);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body.status).toBe('RUNNING');
      const retried = await call(idle.baseUrl, 'POST', '/chat', body, headers);
      expect(retried.status, JSON.stringify(retried.body)).toBe(200);
      expect(retried.body).toMatchObject({
        workflow_id: first.body.workflow_id,
        session_id: first.body.session_id,
        status: 'RUNNING',
      });
    } finally {
      await idle.stop();
    }
  });
});
