/**
 * Auth on (GATEWAY_AUTH=token, tokens from a temp file) against the real stack. Requesters cannot
 * read or decide each other's runs, an approver cannot approve their own transfer, and ids in a body
 * or query that disagree with the token are refused. Nothing refused reaches a run.
 * (test/e2e/auth-routes.test.ts checks that every route but the public ones needs a token;
 * test/e2e/auth-e2e.test.ts covers the basic cases for the default user; these add the rest.)
 */
import { describe, expect, it } from 'vitest';
import { call, readSse } from '../support/http.js';
import { waitFor } from '../../dev/ports.js';
import { expectExactlyOnQueue, get } from '../support/reliability.js';
import { postDecision } from '../support/chat.js';
import { as, expectError, useAuthOnStack, type Who } from '../support/auth-on.js';

const { stack, started, aliceTransfer, aliceLife, chat, expectUntouched } = useAuthOnStack();

describe('auth on: who may call what', () => {
  it("keeps a requester out of another requester's runs, sessions and approvals (404, as for ids that do not exist), and nothing reaches the runs", async () => {
    for (const run of [aliceTransfer(), aliceLife()]) {
      const reads = [
        `/api/workflows/${run.workflowId}`,
        `/api/workflows/${run.workflowId}/timeline`,
        `/api/approvals/workflow/${run.workflowId}`,
        `/api/approvals/${run.approvalId}`,
        `/workflow/${run.sessionId}/status`,
      ];
      for (const p of reads) expectError(await get(stack.baseUrl, p, as('bob')), 404, 'not_found', `bob GET ${p}`);
      expectError(
        await get(stack.baseUrl, '/sessions?user_id=alice', as('bob')),
        403,
        'forbidden',
        "bob lists alice's sessions",
      );
      const stream = await readSse(`${stack.baseUrl}/api/workflows/${run.workflowId}/stream`, {
        headers: as('bob'),
        timeoutMs: 5000,
      });
      expect(stream.status).toBe(404);
      expect(stream.events).toEqual([]);
      expectError(
        await call(stack.baseUrl, 'POST', `/api/workflows/${run.workflowId}/stream-ticket`, undefined, as('bob')),
        404,
        'not_found',
        'bob asks for a ticket',
      );
      for (const approved of [true, false]) {
        expectError(
          await call(stack.baseUrl, 'POST', `/workflow/${run.sessionId}/approve`, { approved }, as('bob')),
          404,
          'not_found',
          `bob decides ${run.approvalId} through the session`,
        );
        expectError(
          await postDecision(stack.baseUrl, run.approvalId, { decision: approved ? 'approve' : 'reject' }, as('bob')),
          404,
          'not_found',
          `bob decides ${run.approvalId}`,
        );
      }
      expectError(
        await call(stack.baseUrl, 'POST', `/api/workflows/${run.workflowId}/cancel`, undefined, as('bob')),
        404,
        'not_found',
        'bob cancels',
      );
      expect((await get(stack.baseUrl, `/api/workflows/${run.workflowId}`, as('alice'))).status).toBe(200);
      await expectUntouched(run.workflowId);
    }

    // Listings: bob's own sessions and inbox never show alice's, even once visibility has them.
    await waitFor(
      async () => {
        const all = await call(stack.baseUrl, 'GET', '/sessions?user_id=alice', undefined, as('admin'));
        return all.body.sessions?.length >= 2 || undefined;
      },
      { timeoutMs: 20_000, what: "alice's sessions in visibility" },
    );
    const bobs = await call(stack.baseUrl, 'GET', '/sessions', undefined, as('bob'));
    expect(bobs.status).toBe(200);
    expect(bobs.body.sessions).toEqual([]);
    const inbox = await call(stack.baseUrl, 'GET', '/api/approvals?status=pending', undefined, as('bob'));
    expect(inbox.body.approvals).toEqual([]);
  });

  it('refuses an approver approving their own transfer on both routes (four eyes); an admin may', async () => {
    const own = await chat('manager', 'Transfer 6000 to Kiran');
    for (const res of [
      await call(stack.baseUrl, 'POST', `/workflow/${own.sessionId}/approve`, { approved: true }, as('manager')),
      await postDecision(stack.baseUrl, own.approvalId, { decision: 'approve' }, as('manager')),
      await postDecision(
        stack.baseUrl,
        own.approvalId,
        { decision: 'approve', decided_by: 'manager@bank.com' },
        as('manager'),
      ),
    ]) {
      expectError(res, 403, 'forbidden', 'manager approves own transfer');
      expect(res.body.error.message).toMatch(/four-eyes/);
    }
    expectError(
      await call(stack.baseUrl, 'POST', `/workflow/${own.sessionId}/approve`, { approved: true }, as('bob')),
      404,
      'not_found',
      'bob approves',
    );
    await expectUntouched(own.workflowId);

    const admin = await call(
      stack.baseUrl,
      'POST',
      `/workflow/${own.sessionId}/approve`,
      { approved: true },
      as('admin'),
    );
    expect(admin.status, JSON.stringify(admin.body)).toBe(200);
    expect(admin.body).toMatchObject({
      status: 'approved',
      approved_by: 'root@bank.com',
      result: { status: 'success' },
    });
  });

  it('refuses ids in a body or query that disagree with the token (403) and starts nothing', async () => {
    const refusals: [Who, string, string, unknown][] = [
      ['alice', 'POST', '/chat', { message: 'Transfer 1 to Kiran', user_id: 'bob' }],
      ['alice', 'POST', '/api/workflows/submit', { intent: 'plan groceries', user_id: 'bob' }],
      ['alice', 'POST', `/api/workflows/submit?user_id=bob&intent=${encodeURIComponent('plan groceries')}`, undefined],
      ['alice', 'GET', '/sessions?user_id=bob', undefined],
      [
        'manager',
        'POST',
        `/workflow/${aliceTransfer().sessionId}/approve`,
        { approved: true, approver_id: 'root@bank.com' },
      ],
      [
        'manager',
        'POST',
        `/api/approvals/${aliceTransfer().approvalId}/decision`,
        { decision: 'approve', decided_by: 'root@bank.com' },
      ],
      [
        'manager',
        'POST',
        `/api/approvals/${aliceTransfer().approvalId}/decision`,
        { decision: 'approve', decided_by: 1 },
      ],
      [
        'admin',
        'POST',
        `/api/approvals/${aliceLife().approvalId}/decision`,
        { decision: 'reject', decided_by: 'alice' },
      ],
      ['bob', 'POST', '/chat', { message: 'plan groceries', session_id: aliceTransfer().sessionId }],
    ];
    for (const [who, method, p, body] of refusals) {
      expectError(
        await call(stack.baseUrl, method, p, body, as(who)),
        403,
        'forbidden',
        `${who} ${method} ${p} ${JSON.stringify(body)}`,
      );
    }
    await expectUntouched(aliceTransfer().workflowId);
    await expectUntouched(aliceLife().workflowId);

    // An id that agrees with the token is fine: this run is the sentinel that visibility must show.
    const agreeing = await call(
      stack.baseUrl,
      'POST',
      '/chat',
      { message: 'plan groceries', user_id: 'alice' },
      as('alice'),
    );
    expect(agreeing.status).toBe(200);
    started.push(agreeing.body.workflow_id);
    await expectExactlyOnQueue(stack.client, stack.taskQueue, started);
  });
});
