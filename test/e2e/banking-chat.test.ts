/** The banking assistant over real HTTP: chat, the approval, balances moved exactly once, idempotent chat. */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { approveSession } from '../support/pending-transfers.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { uniqueId } from '../support/temporal.js';
import { chatAs, decideOverHttp, postDecision } from '../support/chat.js';

const stack = useStack();

const balances = async () => ({
  from: await getBalanceCents(stack.sandbox.url, '123'),
  kiran: await getBalanceCents(stack.sandbox.url, 'kiran'),
});

describe('banking: Transfer 6000 to Kiran', () => {
  let sessionId: string;
  let approvalId: string;
  let workflowId: string;

  it('pauses for approval and answers with the original banking reply', async () => {
    expect(await balances()).toEqual({ from: 5_000_000, kiran: 100_000 });
    const res = await chatAs(stack.baseUrl, 'Transfer 6000 to Kiran', 'default_user', { session_id: null });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('PENDING_APPROVAL');
    const { reply } = res.body;
    expect(reply).toMatchObject({
      status: 'PENDING_APPROVAL',
      session_id: res.body.session_id,
      amount: 6000,
      recipient: 'kiran',
    });
    expect(reply.message).toMatch(/^Transfer requires approval \(threshold: \$5,?000(\.00)?\)$/);
    expect(Object.keys(reply).sort()).toEqual([
      'amount',
      'approval_id',
      'message',
      'recipient',
      'session_id',
      'status',
    ]);
    expect(res.body.session_id).toMatch(/^[0-9a-f-]{36}$/);
    sessionId = res.body.session_id;
    approvalId = reply.approval_id;
    workflowId = res.body.workflow_id;
    expect(approvalId.startsWith(`${workflowId}.`)).toBe(true);
  });

  it('shows the pending approval in the session status at once', async () => {
    const res = await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      workflow_id: workflowId,
      session_id: sessionId,
      user_id: 'default_user',
      status: 'WAITING_APPROVAL',
      intent: 'money_transfer',
    });
    expect(res.body.pending_approvals).toHaveLength(1);
    expect(res.body.pending_approvals[0]).toMatchObject({
      approval_id: approvalId,
      status: 'pending',
      amount: 6000,
      recipient: 'kiran',
      requested_by: 'default_user',
    });
    expect(res.body.steps[0]).toMatchObject({ id: 'transfer', state: 'BLOCKED' });
  });

  it('executes the transfer once when the manager approves, and answers as the original banking API does', async () => {
    const res = await approveSession(stack.baseUrl, sessionId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'approved',
      session_id: sessionId,
      approved_by: 'manager@bank.com',
      result: {
        intent: 'money_transfer',
        status: 'success',
        data: { success: true, message: 'Transferred 6000.00 from 123 to kiran' },
        approved_by: 'manager@bank.com',
      },
    });
    expect(await balances()).toEqual({ from: 4_400_000, kiran: 700_000 });
    const status = await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`);
    expect(status.body.status).toBe('COMPLETED');
    expect(status.body.pending_approvals).toEqual([]);
    expect(status.body.approvals[0]).toMatchObject({ status: 'approved', decided_by: 'manager@bank.com' });
  });

  it('answers a second approval with 409 and moves no more money', async () => {
    const res = await approveSession(stack.baseUrl, sessionId);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    const decision = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'other@bank.com');
    expect(decision.status).toBe(409);
    expect(await balances()).toEqual({ from: 4_400_000, kiran: 700_000 });
  });

  it('runs a transfer under the threshold at once with an automatic decision', async () => {
    const res = await chatAs(stack.baseUrl, 'Transfer 2000 to Kiran', 'default_user');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('COMPLETED');
    expect(res.body.reply).toEqual({
      intent: 'money_transfer',
      status: 'success',
      data: expect.objectContaining({ success: true, message: 'Transferred 2000.00 from 123 to kiran' }),
      hil_decision: { approved: true, auto: true },
    });
    expect(await balances()).toEqual({ from: 4_200_000, kiran: 900_000 });
  });

  it('lists the sessions of the user from visibility, newest run status first', async () => {
    type Line = { session_id: string; status: string; user_id: string; created_at: string; updated_at: string };
    // Visibility is eventually consistent: wait (with a deadline) until it caught up.
    const sessions = await waitFor(
      async () => {
        const res = await call<{ sessions: Line[] }>(stack.baseUrl, 'GET', '/sessions?user_id=default_user');
        expect(res.status).toBe(200);
        const found = res.body.sessions.find((s) => s.session_id === sessionId);
        return found?.status === 'COMPLETED' && res.body.sessions.length >= 2 ? res.body.sessions : undefined;
      },
      { timeoutMs: 20_000, what: 'the sessions listing' },
    );
    const mine = sessions.find((s) => s.session_id === sessionId);
    expect(mine).toMatchObject({ user_id: 'default_user', status: 'COMPLETED' });
    expect(Date.parse(mine!.created_at)).toBeLessThanOrEqual(Date.parse(mine!.updated_at));
    const other = await call(stack.baseUrl, 'GET', '/sessions?user_id=nobody');
    expect(other.body).toEqual({ sessions: [] });
  });

  it('keeps a session to its user: another user chatting into it gets 403', async () => {
    const res = await chatAs(stack.baseUrl, 'Transfer 10 to Kiran', 'mallory', { session_id: sessionId });
    expect(res.status).toBe(403);
    const session = await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`);
    expect(session.body.workflow_id).toBe(workflowId);
  });

  it('continues a session: a second chat in it becomes its latest run', async () => {
    const res = await chatAs(stack.baseUrl, 'Transfer 1 to Kiran', 'default_user', { session_id: sessionId });
    expect(res.status).toBe(200);
    expect(res.body.session_id).toBe(sessionId);
    const status = await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`);
    expect(status.body.workflow_id).toBe(res.body.workflow_id);
    expect(status.body.status).toBe('COMPLETED');
    expect(await balances()).toEqual({ from: 4_199_900, kiran: 900_100 });
  });
});

describe('decisions', () => {
  it('lets one of two concurrent approvers win; the other gets 409 and money moves once', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 5000 to Kiran' });
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const before = await balances();
    const sessionId: string = chat.body.session_id;
    const [a, b] = await Promise.all([
      approveSession(stack.baseUrl, sessionId),
      postDecision(stack.baseUrl, chat.body.reply.approval_id, { decision: 'approve', decided_by: 'cfo@bank.com' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await balances()).toEqual({ from: before.from - 500_000, kiran: before.kiran + 500_000 });
    const timeline = await call(stack.baseUrl, 'GET', `/api/workflows/${chat.body.workflow_id}/timeline`);
    const names = timeline.body.events.map((e: { event: string }) => e.event);
    expect(names.filter((n: string) => n === 'approval_approved')).toHaveLength(1);
  });

  it('rejects: the run ends REJECTED, nothing moves, and the reply says who rejected', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 7000 to Kiran' });
    const before = await balances();
    const res = await approveSession(stack.baseUrl, chat.body.session_id, {
      approved: false,
      reason: 'not this month',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'rejected',
      session_id: chat.body.session_id,
      approved_by: null,
      decided_by: 'manager@bank.com',
      result: { intent: 'money_transfer', status: 'rejected', rejected_by: 'manager@bank.com' },
    });
    const status = await waitFor(async () => {
      const s = await call(stack.baseUrl, 'GET', `/workflow/${chat.body.session_id}/status`);
      return s.body.status === 'REJECTED' ? s.body : undefined;
    });
    expect(status.approvals[0]).toMatchObject({ status: 'rejected', decision_reason: 'not this month' });
    expect(await balances()).toEqual(before);
  });

  it('answers a message the planner does not understand with not_understood', async () => {
    const res = await call(stack.baseUrl, 'POST', '/chat', { message: 'sing me a song' });
    expect(res.status).toBe(200);
    expect(res.body.reply.status).toBe('not_understood');
    expect(res.body.reply.message).toMatch(/did not understand/i);
    expect(res.body.status).toBe('FAILED');
  });
});

describe('Idempotency-Key', () => {
  it('returns the same run for the same key, sequentially and concurrently, and moves money once', async () => {
    const before = await balances();
    // Keys unique per run: the suite may run against a cluster that keeps earlier runs (test-cluster).
    const headers = { 'Idempotency-Key': uniqueId('pay-kiran-once') };
    const body = { message: 'Transfer 150 to Kiran', user_id: 'default_user' };
    const [a, b] = await Promise.all([
      call(stack.baseUrl, 'POST', '/chat', body, headers),
      call(stack.baseUrl, 'POST', '/chat', body, headers),
    ]);
    const c = await call(stack.baseUrl, 'POST', '/chat', body, headers);
    for (const res of [a, b, c]) {
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('COMPLETED');
      expect(res.body.reply.status).toBe('success');
    }
    expect(new Set([a.body.workflow_id, b.body.workflow_id, c.body.workflow_id]).size).toBe(1);
    expect(new Set([a.body.session_id, b.body.session_id, c.body.session_id]).size).toBe(1);
    const after = await balances();
    expect(after).toEqual({ from: before.from - 15_000, kiran: before.kiran + 15_000 });
    const session = await call(stack.baseUrl, 'GET', `/workflow/${a.body.session_id}/status`);
    expect(session.body.workflow_id).toBe(a.body.workflow_id);
  });

  it('keeps keys of different users apart and refuses a key reused for another message (409)', async () => {
    const headers = { 'Idempotency-Key': uniqueId('shared-key') };
    const mine = await chatAs(stack.baseUrl, 'Transfer 5 to Kiran', 'default_user', {}, headers);
    const theirs = await chatAs(stack.baseUrl, 'plan groceries', 'someone_else', {}, headers);
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(200);
    expect(mine.body.workflow_id).not.toBe(theirs.body.workflow_id);
    const reused = await chatAs(stack.baseUrl, 'Transfer 6 to Kiran', 'default_user', {}, headers);
    expect(reused.status).toBe(409);
    expect(reused.body.error.message).toMatch(/Idempotency-Key/);
  });
});
