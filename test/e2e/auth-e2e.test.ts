/** Auth on (GATEWAY_AUTH=token, tokens from a file) against the real stack: who may see and decide what. */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { call, readSse } from '../support/http.js';
import { useStackWithTokens } from '../support/fixtures.js';
import { postDecision } from '../support/chat.js';

const TOKENS = {
  owner: 'requester-token-default-user-0001',
  bob: 'requester-token-bob-000000000001',
  manager: 'approver-token-manager-00000001',
  admin: 'admin-token-0000000000000000001',
};

const stack = useStackWithTokens({
  [TOKENS.owner]: { user_id: 'default_user', role: 'requester' },
  [TOKENS.bob]: { user_id: 'bob', role: 'requester' },
  [TOKENS.manager]: { user_id: 'manager@bank.com', role: 'approver' },
  [TOKENS.admin]: { user_id: 'root', role: 'admin' },
});

const as = (who: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[who]}` });

describe('auth on', () => {
  let sessionId: string;
  let workflowId: string;
  let approvalId: string;

  it('takes the user id from the token', async () => {
    const res = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 6000 to Kiran' }, as('owner'));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('PENDING_APPROVAL');
    sessionId = res.body.session_id;
    workflowId = res.body.workflow_id;
    approvalId = res.body.reply.approval_id;
    const view = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`, undefined, as('owner'));
    expect(view.body.user_id).toBe('default_user');
    expect((await call(stack.baseUrl, 'POST', '/chat', { message: 'hi' })).status).toBe(401);
  });

  it("answers a requester asking for another user's run, session, approvals and stream exactly as if they did not exist (404)", async () => {
    const missingRun = 'req-00000000-0000-4000-a000-000000000000';
    for (const [method, p, missing] of [
      ['GET', `/api/workflows/${workflowId}`, `/api/workflows/${missingRun}`],
      ['GET', `/api/workflows/${workflowId}/timeline`, `/api/workflows/${missingRun}/timeline`],
      ['GET', `/api/workflows/${workflowId}/stream`, `/api/workflows/${missingRun}/stream`],
      ['POST', `/api/workflows/${workflowId}/stream-ticket`, `/api/workflows/${missingRun}/stream-ticket`],
      ['POST', `/api/workflows/${workflowId}/cancel`, `/api/workflows/${missingRun}/cancel`],
      ['GET', `/api/approvals/workflow/${workflowId}`, `/api/approvals/workflow/${missingRun}`],
      ['GET', `/api/approvals/${approvalId}`, `/api/approvals/${missingRun}.transfer`],
      ['GET', `/workflow/${sessionId}/status`, '/workflow/no-such-session/status'],
    ] as const) {
      const theirs = await call(stack.baseUrl, method, p, undefined, as('bob'));
      const none = await call(stack.baseUrl, method, missing, undefined, as('bob'));
      expect(theirs.status, `${method} ${p}`).toBe(404);
      expect(none.status, `${method} ${missing}`).toBe(404);
      const blank = (text: string) =>
        text
          .replace(workflowId, 'ID')
          .replace(missingRun, 'ID')
          .replace(sessionId, 'ID')
          .replace('no-such-session', 'ID');
      expect(blank(theirs.body.error.message)).toBe(blank(none.body.error.message));
    }
    expect((await call(stack.baseUrl, 'GET', '/sessions?user_id=default_user', undefined, as('bob'))).status).toBe(403);
    const chat = await call(
      stack.baseUrl,
      'POST',
      '/chat',
      { message: 'plan groceries', session_id: sessionId },
      as('bob'),
    );
    expect(chat.status).toBe(403);
  });

  it('lets approvers and admins read any run; the inbox of a requester holds only their own approvals', async () => {
    expect((await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`, undefined, as('manager'))).status).toBe(
      200,
    );
    expect((await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`, undefined, as('admin'))).status).toBe(
      200,
    );
    await waitFor(
      async () => {
        const inbox = await call(stack.baseUrl, 'GET', '/api/approvals', undefined, as('manager'));
        return inbox.body.approvals.some((a: { approval_id: string }) => a.approval_id === approvalId) || undefined;
      },
      { timeoutMs: 20_000, what: "the approval in the manager's inbox" },
    );
    const own = await call(stack.baseUrl, 'GET', '/api/approvals', undefined, as('owner'));
    expect(own.body.approvals.map((a: { approval_id: string }) => a.approval_id)).toContain(approvalId);
    const bobs = await call(stack.baseUrl, 'GET', '/api/approvals', undefined, as('bob'));
    expect(bobs.body.approvals).toEqual([]);
  });

  it('lets only an approver decide the transfer, with the approver id from the token', async () => {
    const own = await call(stack.baseUrl, 'POST', `/workflow/${sessionId}/approve`, { approved: true }, as('owner'));
    expect(own.status).toBe(403);
    const bobs = await postDecision(stack.baseUrl, approvalId, { decision: 'approve' }, as('bob'));
    expect(bobs.status).toBe(404);
    const mismatch = await call(
      stack.baseUrl,
      'POST',
      `/workflow/${sessionId}/approve`,
      { approved: true, approver_id: 'ceo@bank.com' },
      as('manager'),
    );
    expect(mismatch.status).toBe(403);
    const ok = await call(stack.baseUrl, 'POST', `/workflow/${sessionId}/approve`, { approved: true }, as('manager'));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'approved',
      approved_by: 'manager@bank.com',
      result: { status: 'success' },
    });
  });

  it('lets a requester confirm the L3 step of their own Life-OS run, not of anyone else', async () => {
    const submitted = await call(
      stack.baseUrl,
      'POST',
      '/api/workflows/submit',
      { intent: 'Apply to 1 backend job' },
      as('bob'),
    );
    expect(submitted.status).toBe(200);
    const id: string = submitted.body.workflow_id;
    const approval = await waitFor(
      async () => {
        const res = await call(stack.baseUrl, 'GET', `/api/approvals/workflow/${id}`, undefined, as('bob'));
        return res.body.approvals[0] as { approval_id: string } | undefined;
      },
      { timeoutMs: 20_000, what: 'the L3 approval' },
    );
    const stranger = await postDecision(stack.baseUrl, approval.approval_id, { decision: 'approve' }, as('owner'));
    expect(stranger.status).toBe(404);
    const issued = await call(stack.baseUrl, 'POST', `/api/workflows/${id}/stream-ticket`, undefined, as('bob'));
    expect(issued.status).toBe(200);
    expect(Date.parse(issued.body.expires_at) - Date.now()).toBeLessThanOrEqual(60_000);
    const stream = readSse(`${stack.baseUrl}/api/workflows/${id}/stream?ticket=${issued.body.ticket}`, {
      timeoutMs: 30_000,
    });
    const mine = await postDecision(stack.baseUrl, approval.approval_id, { decision: 'approve' }, as('bob'));
    expect(mine.status).toBe(200);
    expect(mine.body.approval.decided_by).toBe('bob');
    const read = await stream;
    expect(read.status).toBe(200);
    expect(read.events.at(-1)?.event).toBe('workflow_complete');
    // Single use: the same ticket does not open the stream again, nor does the token in the URL.
    expect(
      (await readSse(`${stack.baseUrl}/api/workflows/${id}/stream?ticket=${issued.body.ticket}`, { timeoutMs: 5000 }))
        .status,
    ).toBe(401);
    expect(
      (await readSse(`${stack.baseUrl}/api/workflows/${id}/stream?access_token=${TOKENS.bob}`, { timeoutMs: 5000 }))
        .status,
    ).toBe(401);
  });

  it('lets a requester withdraw (reject) their own pending transfer', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 7000 to Kiran' }, as('bob'));
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const approve = await postDecision(stack.baseUrl, chat.body.reply.approval_id, { decision: 'approve' }, as('bob'));
    expect(approve.status).toBe(403);
    const withdraw = await postDecision(
      stack.baseUrl,
      chat.body.reply.approval_id,
      { decision: 'reject', reason: 'typo in the amount' },
      as('bob'),
    );
    expect(withdraw.status).toBe(200);
    expect(withdraw.body).toMatchObject({
      approval: { status: 'rejected', decided_by: 'bob' },
      step_state: 'REJECTED',
    });
  });

  it('keeps the public routes open', async () => {
    for (const p of ['/healthz', '/readyz', '/openapi.json', '/docs', '/']) {
      expect((await call(stack.baseUrl, 'GET', p)).status, p).toBe(200);
    }
  });
});
