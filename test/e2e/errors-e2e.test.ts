/**
 * 4xx paths against the real stack: bad input leaves nothing behind on the task queue, unknown
 * ids are 404, and requests the run's state does not allow are 409 without reaching the run.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { BAD_REQUESTS, send } from '../support/bad-requests.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { signedForRun } from '../../dev/stack-secrets.js';
import { postDecision } from '../support/chat.js';

const stack = useStack();

async function executionsOnQueue(): Promise<string[]> {
  const ids: string[] = [];
  for await (const info of stack.client.workflow.list({ query: `TaskQueue='${stack.taskQueue}'` }))
    ids.push(info.workflowId);
  return ids.sort();
}

describe('bad input leaves nothing behind', () => {
  it('starts no workflow and sends nothing for any invalid request', async () => {
    for (const bad of BAD_REQUESTS) {
      const res = await send(stack.baseUrl, bad);
      expect(res.status, bad.name).toBe(bad.status);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code, bad.name).toBe(bad.code);
    }
    // A sentinel run: once visibility shows it, it would show anything started before it too.
    const sentinel = await call(stack.baseUrl, 'POST', '/chat', { message: 'plan groceries' });
    expect(sentinel.status).toBe(200);
    const expected = [sentinel.body.workflow_id];
    const seen = await waitFor(
      async () => {
        const ids = await executionsOnQueue();
        return ids.length >= expected.length ? ids : undefined;
      },
      { timeoutMs: 20_000, what: 'the sentinel in visibility' },
    );
    expect(seen).toEqual(expected);
  });
});

describe('unknown ids', () => {
  it.each([
    ['GET', '/api/workflows/req-00000000-0000-0000-0000-000000000000'],
    ['POST', '/api/workflows/req-00000000-0000-0000-0000-000000000000/cancel'],
    ['GET', '/api/workflows/req-00000000-0000-0000-0000-000000000000/timeline'],
    ['GET', '/api/workflows/req-00000000-0000-0000-0000-000000000000/stream'],
    ['GET', '/api/approvals/workflow/req-00000000-0000-0000-0000-000000000000'],
    ['GET', '/api/approvals/req-00000000-0000-0000-0000-000000000000.transfer'],
    ['GET', '/workflow/no-such-session/status'],
  ])('%s %s is 404', async (method, path) => {
    const res = await call(stack.baseUrl, method, path);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers 404 for decisions on unknown sessions, runs and approvals', async () => {
    const approve = await call(stack.baseUrl, 'POST', '/workflow/no-such-session/approve', {
      approver_id: 'm@bank.com',
      approved: true,
    });
    expect(approve.status).toBe(404);
    const decision = await call(stack.baseUrl, 'POST', '/api/approvals/req-unknown.transfer/decision', {
      decision: 'approve',
      decided_by: 'm@bank.com',
    });
    expect(decision.status).toBe(404);
  });

  it('does not treat a session workflow or an unknown step as a run or an approval', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 10 to kiran' });
    expect(chat.body.status).toBe('COMPLETED');
    // A session's workflow starts with its second run.
    const again = { message: 'Transfer 10 to kiran', session_id: chat.body.session_id };
    expect((await call(stack.baseUrl, 'POST', '/chat', again)).body.status).toBe('COMPLETED');
    const session = await call(stack.baseUrl, 'GET', `/api/workflows/session-${chat.body.session_id}`);
    expect(session.status).toBe(404);
    const step = await call(stack.baseUrl, 'GET', `/api/approvals/${chat.body.workflow_id}.no_such_step`);
    expect(step.status).toBe(404);
    const none = await call(stack.baseUrl, 'POST', `/workflow/${chat.body.session_id}/approve`, {
      approver_id: 'm@bank.com',
      approved: true,
    });
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(/no approval/);
  });
});

describe('state conflicts', () => {
  it('answers 409 for a decided approval and for cancelling a finished run, and the run never hears of it', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 8000 to kiran' });
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const approvalId: string = chat.body.reply.approval_id;
    const workflowId: string = chat.body.workflow_id;
    const rejected = await postDecision(stack.baseUrl, approvalId, { decision: 'reject', decided_by: 'm@bank.com' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ success: true, approval: { status: 'rejected' } });

    const again = await postDecision(stack.baseUrl, approvalId, { decision: 'approve', decided_by: 'x@bank.com' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already rejected/);
    const viaSession = await call(stack.baseUrl, 'POST', `/workflow/${chat.body.session_id}/approve`, {
      approver_id: 'x@bank.com',
      approved: true,
    });
    expect(viaSession.status).toBe(409);

    await waitFor(
      async () =>
        (await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`)).body.status === 'REJECTED' || undefined,
    );
    const cancel = await call(stack.baseUrl, 'POST', `/api/workflows/${workflowId}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.message).toMatch(/already REJECTED/);

    const timeline = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}/timeline`);
    const events = timeline.body.events.map((e: { event: string }) => e.event);
    expect(events).not.toContain('approval_ignored');
    expect(events).not.toContain('workflow_cancelled');
  });

  it("answers 409 for an approval decided behind the gateway (a signed signal, as the operator's decide sends)", async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 9000 to kiran' });
    const approvalId: string = chat.body.reply.approval_id;
    // Decide behind the gateway's back, as `./temporal-dev.sh decide` would.
    const handle = stack.client.workflow.getHandle(chat.body.workflow_id);
    await handle.signal(
      'approvalDecision',
      await signedForRun(handle, { approval_id: approvalId, approved: false, approver_id: 'cli@bank.com' }),
    );
    const res = await postDecision(stack.baseUrl, approvalId, { decision: 'approve', decided_by: 'm@bank.com' });
    expect(res.status).toBe(409);
  });
});
