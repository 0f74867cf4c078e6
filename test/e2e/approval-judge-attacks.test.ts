/**
 * The trust-boundary attacks on a decision, as an attacker makes them (over HTTP, or with the
 * Temporal client past the gateway), against the real stack: an editor approving what they
 * shaped, an edit of the debit account, a bait and switch through the seed route, a captured
 * signed decision replayed into a new run under the same workflow id, and look-alike ids. Each
 * moves no money; the approval judge (src/shared/approval/) is what refuses them on both sides.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { runBindingFor, signedAsGateway, startSignedAsGateway } from '../../dev/stack-secrets.js';
import type { RequestInput } from '../../src/shared/contracts.js';
import {
  approvalDecisionSignal,
  approvalDecisionUpdate,
  DecisionErrorType,
  REQUEST_WORKFLOW_TYPE,
  runQuery,
  timelineQuery,
} from '../../src/shared/messages.js';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { pendingTransfer } from '../support/pending-transfers.js';
import { chatAs, decideOverHttp, postEdit } from '../support/chat.js';

const stack = useStack({ gateway: { queryTimeoutMs: 1500, decisionAcceptMs: 1000 } });

async function editTransfer(approvalId: string, args: Record<string, unknown>, editedBy: string, actionHash: string) {
  return postEdit(stack.baseUrl, approvalId, { args, edited_by: editedBy, action_hash: actionHash });
}

describe('attacks on the approval judge', () => {
  it('the editor of a transfer cannot approve it alone, over HTTP or past the gateway', async () => {
    const { workflowId, approvalId, actionHash, args } = await pendingTransfer(stack, 'Transfer 6000 to kiran');
    const before = await getBalanceCents(stack.sandbox.url, '123');
    const edited = await editTransfer(approvalId, { ...args, amount_cents: 999_900 }, 'carol@bank.com', actionHash);
    expect(edited.status).toBe(200);
    expect(edited.body.approval).toMatchObject({ status: 'pending', edited_by: 'carol@bank.com' });
    const newHash: string = edited.body.approval.action_hash;

    const alone = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'carol@bank.com', newHash);
    expect(alone.status).toBe(403);
    expect(alone.body.error.message).toMatch(/edited this transfer.*four-eyes/);

    const handle = stack.client.workflow.getHandle(workflowId);
    const bound = await runBindingFor(handle, approvalId);
    const direct = await handle
      .executeUpdate(approvalDecisionUpdate, {
        args: [
          signedAsGateway({
            ...bound,
            approval_id: approvalId,
            approved: true,
            approver_id: 'CAROL@bank.com',
            action_hash: newHash,
          }),
        ],
      })
      .catch((err: unknown) => err);
    expect(direct).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((direct as WorkflowUpdateFailedError).cause).toMatchObject({ type: DecisionErrorType.Forbidden });
    expect((await handle.query(runQuery)).approvals[0]!.status).toBe('pending');
    expect(await getBalanceCents(stack.sandbox.url, '123')).toBe(before);
    await handle.cancel();
  });

  it("an edit cannot change the debit account to someone else's (400 naming args.from_account)", async () => {
    const { workflowId, approvalId, actionHash, args } = await pendingTransfer(stack, 'Transfer 6000 to kiran');
    const ops = await getBalanceCents(stack.sandbox.url, 'ops');
    for (const editor of ['default_user', 'manager@bank.com']) {
      const redirected = await editTransfer(
        approvalId,
        { from_account: 'ops', to_account: 'kiran', amount_cents: 499_999 },
        editor,
        actionHash,
      );
      expect(redirected.status).toBe(400);
      expect(redirected.body.error.message).toMatch(/args\.from_account/);
    }
    const run = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
    expect(run.body.steps[0].args).toEqual(args);
    expect(await getBalanceCents(stack.sandbox.url, 'ops')).toBe(ops);
    await stack.client.workflow.getHandle(workflowId).cancel();
  });

  it('after an edit, a decision naming no action (seed route, /decision) is 409 stale_approval with the current action', async () => {
    const { workflowId, approvalId, actionHash, args } = await pendingTransfer(stack, 'Transfer 6000 to kiran');
    const bob = await getBalanceCents(stack.sandbox.url, 'bob');
    const switched = { ...args, to_account: 'bob', amount_cents: 2_000_000 };
    expect((await editTransfer(approvalId, switched, 'default_user', actionHash)).status).toBe(200);
    const record = await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`);

    const seed = await call(stack.baseUrl, 'POST', `/workflow/${record.body.session_id}/approve`, {
      approval_id: approvalId,
      approver_id: 'manager@bank.com',
      approved: true,
    });
    expect(seed.status).toBe(409);
    expect(seed.body.error.code).toBe('stale_approval');
    expect(seed.body.error.current_approval).toMatchObject({ recipient: 'bob', amount_cents: 2_000_000 });
    const unbound = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'manager@bank.com');
    expect(unbound.status).toBe(409);
    expect(unbound.body.error.code).toBe('stale_approval');
    expect(await getBalanceCents(stack.sandbox.url, 'bob')).toBe(bob);
    await stack.client.workflow.getHandle(workflowId).cancel();
  });

  it('a captured signed decision replayed into a new run under the same workflow id moves nothing', async () => {
    const { workflowId, approvalId, actionHash } = await pendingTransfer(stack, 'Transfer 6000 to kiran');
    const first = stack.client.workflow.getHandle(workflowId);
    const input = (await first.query(runQuery)) as { user_id: string; session_id: string };
    // What an attacker may find signed in the first run's history: a decision bound to that run,
    // and one naming no run at all (as gateways signed them before decisions were bound).
    const decision = { approval_id: approvalId, approved: true, approver_id: 'manager@bank.com' };
    const captured = [
      signedAsGateway({ ...(await runBindingFor(first, approvalId)), ...decision, action_hash: actionHash }),
      signedAsGateway({ ...decision, workflow_id: undefined }),
    ];
    await first.terminate('the attacker starts a run of their own under this id');
    const kiran = await getBalanceCents(stack.sandbox.url, 'kiran');

    // A start the gateway signed anew for this id, so the second run gets as far as its approval.
    const replayInput: RequestInput = startSignedAsGateway(workflowId, {
      user_id: input.user_id,
      session_id: input.session_id,
      message: 'Transfer 6000 to kiran',
    });
    const second = await stack.client.workflow.start(REQUEST_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: stack.taskQueue,
      args: [replayInput],
    });
    const pending = await waitFor(
      async () => {
        const view = await second.query(runQuery).catch(() => undefined);
        return view?.approvals.find((a) => a.status === 'pending');
      },
      { timeoutMs: 30_000, what: 'the second run to wait for approval' },
    );
    expect(pending.approval_id).toBe(approvalId);
    expect(pending.action_hash).toBe(actionHash);
    for (const replayed of captured) await second.signal(approvalDecisionSignal, replayed);
    const ignored = await waitFor(
      async () => {
        const events = await second.query(timelineQuery, 0);
        const decided = events.filter((e) => e.event === 'approval_ignored' || e.event === 'approval_approved');
        return decided.length >= captured.length ? decided : undefined;
      },
      { timeoutMs: 30_000, what: 'both replayed decisions to be judged' },
    );
    expect(ignored.map((e) => [e.event, e.metadata['reason']])).toEqual([
      ['approval_ignored', DecisionErrorType.WrongRun],
      ['approval_ignored', DecisionErrorType.WrongRun],
    ]);
    expect((await second.query(runQuery)).approvals[0]!.status).toBe('pending');
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiran);
    await second.cancel();
  });

  it.each([
    ['Turkish dotted capital I', 'al\u0130ce'],
    ['upper case with a dotted capital I', 'AL\u0130CE'],
    ['Turkish dotless i', 'al\u0131ce'],
    ['a Cyrillic a', '\u0430lice'],
  ])("a look-alike of the requester's id (%s) is refused with 400 and decides nothing", async (_name, lookAlike) => {
    const chat = await chatAs(stack.baseUrl, 'Transfer 6000 to kiran', 'alice');
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const approvalId: string = chat.body.reply.approval_id;
    for (const path of [`/api/approvals/${approvalId}/decision`, `/workflow/${chat.body.session_id}/approve`]) {
      const body = path.startsWith('/api')
        ? { decision: 'approve', decided_by: lookAlike }
        : { approval_id: approvalId, approver_id: lookAlike, approved: true };
      const decided = await call(stack.baseUrl, 'POST', path, body);
      expect(decided.status).toBe(400);
      expect(decided.body.error.message).toMatch(/decided_by|approver_id/);
    }
    const record = await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`);
    expect(record.body.status).toBe('pending');
    await stack.client.workflow.getHandle(chat.body.workflow_id).cancel();
  });
});
