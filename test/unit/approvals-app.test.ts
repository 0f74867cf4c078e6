/**
 * The approval module through `app.request`, where Temporal is not the subject (a scripted client,
 * test/support/scripted-gateway.ts): deciding by name, who may decide, and 404 for what one may not see.
 * Bodies are typed by the request schemas. (approvals-app-races.test.ts: races and the inbox after.)
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import {
  approval,
  runView,
  appFor,
  session,
  type Script,
  type Approve,
  type Decision,
} from '../support/scripted-gateway.js';

describe('deciding by name, never by position', () => {
  const script = (): Script => ({
    runs: { 'req-1': runView('req-1'), 'req-2': runView('req-2') },
    sessions: { s1: session(['req-1', 'req-2']) },
  });

  it('refuses a session approve without approval_id while two are pending (409 ambiguous_approval, both listed), sending nothing', async () => {
    const { post, sent } = appFor(script());
    const res = await post('/workflow/s1/approve', {
      approver_id: 'manager@bank.com',
      approved: true,
    } satisfies Approve);
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; pending_approvals: ApprovalRecord[] } };
    expect(body.error.code).toBe('ambiguous_approval');
    expect(body.error.pending_approvals.map((a) => a.approval_id)).toEqual(['req-1.transfer', 'req-2.transfer']);
    expect(sent.decisions).toEqual([]);
  });

  it('decides the named approval, and the only pending one when none is named', async () => {
    const named = appFor(script());
    const res = await named.post('/workflow/s1/approve', {
      approver_id: 'manager@bank.com',
      approved: true,
      approval_id: 'req-1.transfer',
    } satisfies Approve);
    expect(res.status).toBe(200);
    // Signed for the run it read (the fixture names no run id or action hash).
    expect(named.sent.decisions).toEqual([
      { workflow_id: 'req-1', approval_id: 'req-1.transfer', approved: true, approver_id: 'manager@bank.com' },
    ]);
    const single = appFor({
      runs: {
        'req-1': runView('req-1', {
          status: 'COMPLETED',
          approvals: [approval('req-1', 'transfer', { status: 'approved' })],
        }),
        'req-2': runView('req-2'),
      },
      sessions: { s1: session(['req-1', 'req-2']) },
    });
    expect(
      (await single.post('/workflow/s1/approve', { approver_id: 'manager@bank.com', approved: true } satisfies Approve))
        .status,
    ).toBe(200);
    expect(single.sent.decisions.map((d) => d.approval_id)).toEqual(['req-2.transfer']);
  });

  it('refuses an approval id from another session (404)', async () => {
    const s = script();
    s.runs['req-9'] = runView('req-9', { session_id: 's9' });
    const { post, sent } = appFor(s);
    expect(
      (
        await post('/workflow/s1/approve', {
          approver_id: 'm',
          approved: true,
          approval_id: 'req-9.transfer',
        } satisfies Approve)
      ).status,
    ).toBe(404);
    expect(sent.decisions).toEqual([]);
  });
});

describe('who may decide', () => {
  it("refuses manager@BANK.com approving manager@bank.com's transfer (403), sending nothing", async () => {
    const { post, sent } = appFor({
      runs: {
        'req-1': runView('req-1', {
          user_id: 'manager@bank.com',
          approvals: [approval('req-1', 'transfer', { requested_by: 'manager@bank.com' })],
        }),
      },
    });
    const res = await post('/api/approvals/req-1.transfer/decision', {
      decision: 'approve',
      decided_by: 'manager@BANK.com',
    } satisfies Decision);
    expect(res.status).toBe(403);
    expect(sent.decisions).toEqual([]);
  });

  it('lets a requester withdraw (reject) their own pending transfer, but not approve it', async () => {
    const { post, sent } = appFor({ runs: { 'req-1': runView('req-1') } }, 'token');
    expect(
      (await post('/api/approvals/req-1.transfer/decision', { decision: 'approve' } satisfies Decision, 'alice'))
        .status,
    ).toBe(403);
    const res = await post(
      '/api/approvals/req-1.transfer/decision',
      { decision: 'reject', reason: 'changed my mind' } satisfies Decision,
      'alice',
    );
    expect(res.status).toBe(200);
    expect(sent.decisions).toEqual([
      {
        workflow_id: 'req-1',
        approval_id: 'req-1.transfer',
        approved: false,
        approver_id: 'alice',
        reason: 'changed my mind',
      },
    ]);
  });
});

describe('404 for what you may not see', () => {
  it("answers another user's run, timeline, stream ticket, approvals and session exactly like missing ones", async () => {
    const { get, post } = appFor(
      { runs: { 'req-1': runView('req-1') }, sessions: { s1: session(['req-1']) } },
      'token',
    );
    const pairs: [() => Promise<Response>, () => Promise<Response>][] = [
      [() => get('/api/workflows/req-1', 'bob'), () => get('/api/workflows/req-0', 'bob')],
      [() => get('/api/workflows/req-1/timeline', 'bob'), () => get('/api/workflows/req-0/timeline', 'bob')],
      [
        () => post('/api/workflows/req-1/stream-ticket', {}, 'bob'),
        () => post('/api/workflows/req-0/stream-ticket', {}, 'bob'),
      ],
      [() => get('/api/approvals/workflow/req-1', 'bob'), () => get('/api/approvals/workflow/req-0', 'bob')],
      [() => get('/api/approvals/req-1.transfer', 'bob'), () => get('/api/approvals/req-0.transfer', 'bob')],
      [() => get('/workflow/s1/status', 'bob'), () => get('/workflow/s0/status', 'bob')],
    ];
    for (const [theirs, missing] of pairs) {
      const [a, b] = [await theirs(), await missing()];
      expect(a.status).toBe(404);
      expect(b.status).toBe(404);
      const [bodyA, bodyB] = [
        (await a.json()) as { error: { message: string } },
        (await b.json()) as { error: { message: string } },
      ];
      expect(bodyA.error.message.replace(/req-1|s1/g, 'X')).toBe(bodyB.error.message.replace(/req-0|s0/g, 'X'));
    }
    expect((await get('/api/workflows/req-1', 'alice')).status).toBe(200);
  });
});
