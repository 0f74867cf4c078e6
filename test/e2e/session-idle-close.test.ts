/**
 * Sessions close when idle (SESSION_IDLE_CLOSE, driven short here) and open again transparently:
 * the client that comes back with its session_id finds its runs, its pending approval and its
 * ownership as before, and the seed routes answer for a closed session.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { sessionQuery, sessionWorkflowIdFor } from '../../src/shared/messages.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { chatAs } from '../support/chat.js';

const stack = useStack({ env: { SESSION_IDLE_CLOSE: '1s' } });

const sessionHandle = (sessionId: string) => stack.client.workflow.getHandle(sessionWorkflowIdFor(sessionId));

async function waitUntilClosed(sessionId: string): Promise<void> {
  await waitFor(async () => (await sessionHandle(sessionId).describe()).status.name === 'COMPLETED', {
    timeoutMs: 30_000,
    what: `session ${sessionId} to close while idle`,
  });
}

describe('a session that closed while idle', () => {
  let sessionId: string;
  let openingRun: string;
  let pendingRun: string;
  let approvalId: string;

  it('closes once nothing happened in it for SESSION_IDLE_CLOSE, though its transfer still waits', async () => {
    // A session's workflow starts with its second run (session-lookup.ts): open it with two.
    const opening = await chatAs(stack.baseUrl, 'Transfer 1 to Kiran', 'default_user');
    expect(opening.body.status).toBe('COMPLETED');
    sessionId = opening.body.session_id;
    openingRun = opening.body.workflow_id;
    const chat = await chatAs(stack.baseUrl, 'Transfer 6000 to Kiran', 'default_user', { session_id: sessionId });
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    pendingRun = chat.body.workflow_id;
    approvalId = chat.body.reply.approval_id;
    await waitUntilClosed(sessionId);
    const run = await stack.client.workflow.getHandle(pendingRun).describe();
    expect(run.status.name).toBe('RUNNING');
  });

  it('still answers the seed status route with the waiting run and its pending approval', async () => {
    const status = await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ workflow_id: pendingRun, status: 'WAITING_APPROVAL' });
    expect(status.body.pending_approvals.map((a: { approval_id: string }) => a.approval_id)).toEqual([approvalId]);
  });

  it('stays its user’s: another user chatting into it gets 403 and opens nothing', async () => {
    const res = await chatAs(stack.baseUrl, 'Transfer 10 to Kiran', 'mallory', { session_id: sessionId });
    expect(res.status).toBe(403);
    expect((await sessionHandle(sessionId).describe()).status.name).toBe('COMPLETED');
  });

  it('opens again on its next chat, with its earlier runs carried over', async () => {
    const chat = await chatAs(stack.baseUrl, 'Transfer 100 to Kiran', 'default_user', { session_id: sessionId });
    expect(chat.status).toBe(200);
    expect(chat.body).toMatchObject({ session_id: sessionId, status: 'COMPLETED' });
    const session = await sessionHandle(sessionId).query(sessionQuery);
    expect(session.runs.map((r) => r.workflow_id)).toEqual([openingRun, pendingRun, chat.body.workflow_id]);
    const status = await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`);
    expect(status.body).toMatchObject({ workflow_id: chat.body.workflow_id, status: 'COMPLETED' });
  });

  it('lets the seed approve route find the pending approval of a run from before it closed', async () => {
    const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
    const res = await call(stack.baseUrl, 'POST', `/workflow/${sessionId}/approve`, {
      approver_id: 'manager@bank.com',
      approved: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'approved', session_id: sessionId, approved_by: 'manager@bank.com' });
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore + 600_000);
  });

  it('closes again when idle, so no session stays open for a request ever made', async () => {
    await waitUntilClosed(sessionId);
    const open = await waitFor(
      async () => {
        const { count } = await stack.client.workflow.count(
          `WorkflowType='sessionWorkflow' AND TaskQueue='${stack.taskQueue}' AND ExecutionStatus='Running'`,
        );
        return count === 0 ? 'none open' : undefined;
      },
      { timeoutMs: 30_000, what: 'visibility to list no open session' },
    );
    expect(open).toBe('none open');
  });
});
