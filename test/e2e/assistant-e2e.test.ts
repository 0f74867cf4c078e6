/**
 * The assistant's questions and cancel over real HTTP on the real stack: balance, recent
 * transfers, the status of a request, what the requester waits for, and cancelling a request;
 * each answered in the chat reply, and only ever about the caller's own runs.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { call, type Loose } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { timelineOf } from '../support/reliability.js';

const stack = useStack();

const chat = async (message: string, user_id = 'default_user', session_id?: string): Promise<Loose> => {
  const res = await call(stack.baseUrl, 'POST', '/chat', {
    message,
    user_id,
    ...(session_id !== undefined && { session_id }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('the assistant over POST /chat', () => {
  let sessionId: string;
  let waitingId: string;
  let approvalId: string;

  it('answers "what is my balance?" from the requester\'s own account, without approval', async () => {
    const res = await chat('what is my balance?');
    expect(res.status).toBe('COMPLETED');
    expect(res.reply).toEqual({
      intent: 'balance',
      status: 'success',
      data: { account_id: '123', balance_cents: 5_000_000, message: 'Your balance is $50,000.00.' },
      message: 'Your balance is $50,000.00.',
    });
    const run = await call(stack.baseUrl, 'GET', `/api/workflows/${res.workflow_id}`);
    expect(run.body.steps).toMatchObject([{ tool: 'account_balance', risk_level: 'L0', state: 'SUCCEEDED' }]);
    expect(run.body.approvals).toEqual([]);
  });

  it('lists the last transfers, newest first, after "send 1.5k to kiran" and "pay bob twenty bucks"', async () => {
    expect((await chat('could you please send 1.5k to kiran?')).reply).toMatchObject({
      intent: 'money_transfer',
      status: 'success',
    });
    expect((await chat('pay bob twenty bucks')).reply).toMatchObject({ intent: 'money_transfer', status: 'success' });
    const res = await chat('show my last 2 transfers');
    expect(res.reply).toMatchObject({ intent: 'transfer_history', status: 'success' });
    expect(res.reply.data.transfers).toMatchObject([
      { direction: 'out', counterparty: 'bob', amount_cents: 2_000 },
      { direction: 'out', counterparty: 'kiran', amount_cents: 150_000 },
    ]);
    expect(res.reply.message).toMatch(
      /^Your last 2 transfers: \$20\.00 to bob on \d{4}-\d{2}-\d{2}; \$1,500\.00 to kiran on /,
    );
    const since = await chat('what did I send this week?');
    expect(since.reply.data.transfers).toHaveLength(2);
  });

  it('tells the status of the last request at once, in the same session', async () => {
    const pending = await chat('Can you transfer 6k to Kiran?');
    expect(pending.status).toBe('PENDING_APPROVAL');
    sessionId = pending.session_id;
    waitingId = pending.workflow_id;
    approvalId = pending.reply.approval_id;
    const res = await chat('what is the status of my last request?', 'default_user', sessionId);
    expect(res.reply).toMatchObject({
      intent: 'request_status',
      status: 'success',
      data: { request: { workflow_id: waitingId, status: 'WAITING_APPROVAL', intent: 'money_transfer' } },
    });
    expect(res.reply.message).toBe(
      `Your last request "Can you transfer 6k to Kiran?" (${waitingId}) is waiting for approval: Transfer $6,000.00 → kiran.`,
    );
    const named = await chat(`status of ${waitingId}`);
    expect(named.reply.data.request).toMatchObject({ workflow_id: waitingId, status: 'WAITING_APPROVAL' });
  });

  it('lists what the requester is waiting for', async () => {
    await waitFor(
      async () =>
        (await call(stack.baseUrl, 'GET', '/api/approvals?status=pending')).body.approvals.some(
          (a: Loose) => a.approval_id === approvalId,
        ),
      {
        what: 'the approval in visibility',
      },
    );
    const res = await chat('what am I waiting for?');
    expect(res.reply).toMatchObject({ intent: 'pending_approvals', status: 'success' });
    expect(res.reply.data.approvals.map((a: Loose) => a.approval_id)).toEqual([approvalId]);
    expect(res.reply.message).toMatch(/^1 step is waiting for approval: Transfer \$6,000\.00 → kiran/);
  });

  it("never shows or cancels another user's run", async () => {
    const status = await chat(`status of ${waitingId}`, 'bob');
    expect(status.reply).toEqual({
      intent: 'request_status',
      status: 'failed',
      message: `You have no request ${waitingId}.`,
    });
    const waiting = await chat('what am I waiting for?', 'bob');
    expect(waiting.reply.data.approvals).toEqual([]);
    const cancel = await chat(`cancel ${waitingId}`, 'bob');
    expect(cancel.reply).toEqual({
      intent: 'cancel_request',
      status: 'failed',
      message: `You have no request ${waitingId}.`,
    });
    const last = await chat('cancel my last request', 'bob');
    expect(last.reply).toEqual({ intent: 'cancel_request', status: 'failed', message: 'You have no earlier request.' });
    const run = await call(stack.baseUrl, 'GET', `/api/workflows/${waitingId}`);
    expect(run.body.status).toBe('WAITING_APPROVAL');
  });

  it('cancels the last request like the cancel route, and says so when there is nothing left to cancel', async () => {
    const before = await getBalanceCents(stack.sandbox.url, '123');
    const res = await chat('cancel my last request', 'default_user', sessionId);
    expect(res.reply).toMatchObject({
      intent: 'cancel_request',
      status: 'success',
      data: { cancel_requested: true, request: { workflow_id: waitingId, status: 'WAITING_APPROVAL' } },
    });
    const cancelled = await waitFor(
      async () => {
        const run = await call(stack.baseUrl, 'GET', `/api/workflows/${waitingId}`);
        return run.body.status === 'CANCELLED' && run.body;
      },
      { what: 'the run to be cancelled' },
    );
    expect(cancelled.approvals[0]).toMatchObject({ approval_id: approvalId, status: 'cancelled' });
    // A closed run's timeline is read by replaying it on a worker, which may miss the query
    // deadline on a loaded machine (503, try again): timelineOf asks again until a deadline.
    const timeline = await timelineOf(stack.baseUrl, waitingId);
    expect(timeline.at(-1)!.event).toBe('workflow_cancelled');
    expect(await getBalanceCents(stack.sandbox.url, '123')).toBe(before);

    const again = await chat('cancel my last request', 'default_user', sessionId);
    expect(again.reply).toEqual({
      intent: 'cancel_request',
      status: 'failed',
      message: `Your last request "Can you transfer 6k to Kiran?" (${waitingId}) has already finished (CANCELLED); there is nothing to cancel.`,
    });
  });
});
