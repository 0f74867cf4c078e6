/**
 * A chat without `session_id` opens its session with its run alone: no session workflow starts
 * until the session's second run, which carries the first over. Until then the first run stands
 * for the session on every route that names it.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { sessionQuery, sessionWorkflowIdFor } from '../../src/shared/messages.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';

const stack = useStack();

const sessionHandle = (sessionId: string) => stack.client.workflow.getHandle(sessionWorkflowIdFor(sessionId));

async function sessionWorkflowExists(sessionId: string): Promise<boolean> {
  try {
    await sessionHandle(sessionId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

describe('a session opened by its first run', () => {
  let sessionId: string;
  let firstRun: string;

  it('starts no session workflow, and its status and approval are found from the run', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', {
      message: 'Transfer 6000 to Kiran',
      user_id: 'default_user',
    });
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    sessionId = chat.body.session_id;
    firstRun = chat.body.workflow_id;
    expect(await sessionWorkflowExists(sessionId)).toBe(false);

    const status = await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ workflow_id: firstRun, status: 'WAITING_APPROVAL' });
  });

  it('is its user’s: another user chatting into it gets 403 and opens nothing', async () => {
    const res = await call(stack.baseUrl, 'POST', '/chat', {
      message: 'Transfer 10 to Kiran',
      user_id: 'mallory',
      session_id: sessionId,
    });
    expect(res.status).toBe(403);
    expect(await sessionWorkflowExists(sessionId)).toBe(false);
  });

  it('opens its workflow with the second run, the first carried over', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', {
      message: 'Transfer 100 to Kiran',
      user_id: 'default_user',
      session_id: sessionId,
    });
    expect(chat.status).toBe(200);
    expect(chat.body).toMatchObject({ session_id: sessionId, status: 'COMPLETED' });
    const session = await sessionHandle(sessionId).query(sessionQuery);
    expect(session.runs.map((r) => r.workflow_id)).toEqual([firstRun, chat.body.workflow_id]);
    expect(session.user_id).toBe('default_user');
  });

  it('lets the seed approve route find the first run’s pending approval', async () => {
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    const res = await call(stack.baseUrl, 'POST', `/workflow/${sessionId}/approve`, {
      approver_id: 'manager@bank.com',
      approved: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'approved', session_id: sessionId });
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 600_000);
  });

  it('is unknown (404) when no run opened it', async () => {
    const status = await call(stack.baseUrl, 'GET', `/workflow/never-opened-session/status`);
    expect(status.status).toBe(404);
  });
});
