/**
 * Edit before approve over HTTP against the real stack: an edit is checked against the tool's
 * schema, re-judged by the run's policy, recorded in the timeline, and makes earlier views of the
 * approval stale; the step runs with the edited arguments and the money moves once.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { pendingTransfer, runTimeline } from '../support/pending-transfers.js';
import { decideOverHttp, postEdit } from '../support/chat.js';
import { waitForStatus } from '../support/reliability.js';

const stack = useStack({ gateway: { queryTimeoutMs: 1500, decisionAcceptMs: 1000 } });

describe('edit before approve', () => {
  it('lets the requester lower a $6,000 transfer to $4,000 before any decision: no approval needed, the ledger moves $4,000 once', async () => {
    const { workflowId, approvalId, actionHash, args } = await pendingTransfer(stack, 'Transfer 6000 to kiran');
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    const edited = await postEdit(stack.baseUrl, approvalId, {
      args: { ...args, amount_cents: 400_000 },
      edited_by: 'default_user',
      reason: 'lower it under the limit',
      action_hash: actionHash,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.approval.status).toBe('cancelled');
    const done = await waitFor(
      async () => {
        const run = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
        return run.body.status === 'COMPLETED' ? run.body : undefined;
      },
      { timeoutMs: 30_000, what: 'the edited run to complete' },
    );
    expect(done.steps[0].args.amount_cents).toBe(400_000);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 400_000);
    const events = await runTimeline(stack, workflowId);
    const edit = events.find((e) => e.event === 'approval_edited');
    expect(edit?.metadata).toMatchObject({
      edited_by: 'default_user',
      before: { amount_cents: 600_000 },
      after: { amount_cents: 400_000 },
      reason: 'lower it under the limit',
    });
    expect(events.filter((e) => e.event === 'approval_approved')).toEqual([]);
    // Applying the same edit again changes nothing: the approval no longer waits.
    const again = await postEdit(stack.baseUrl, approvalId, {
      args: { ...args, amount_cents: 400_000 },
      edited_by: 'default_user',
    });
    expect(again.status).toBe(409);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 400_000);
  });

  it('makes a decision on the old action stale after an approver edits; another approver approves the edited amount by its new hash', async () => {
    const { workflowId, approvalId, actionHash, args } = await pendingTransfer(stack, 'Transfer 6000 to kiran');
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    const edited = await postEdit(stack.baseUrl, approvalId, {
      args: { ...args, amount_cents: 550_000 },
      edited_by: 'manager@bank.com',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.approval.status).toBe('pending');
    expect(edited.body.approval.amount_cents).toBe(550_000);
    expect(edited.body.approval.edits).toBe(1);
    const newHash: string = edited.body.approval.action_hash;
    expect(newHash).not.toBe(actionHash);

    const stale = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'manager@bank.com', actionHash);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_approval');
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before);

    // Someone other than its editor approves what the editor shaped (four eyes).
    const approved = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'cfo@bank.com', newHash);
    expect(approved.status).toBe(200);
    await waitForStatus(stack.baseUrl, workflowId, ['COMPLETED'], 30_000);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 550_000);
  });

  it('refuses the requester editing after a decision, and bad args with 400 naming the field; nothing changes', async () => {
    const { workflowId, approvalId, actionHash, args } = await pendingTransfer(stack, 'Transfer 6000 to kiran');
    const negative = await postEdit(stack.baseUrl, approvalId, {
      args: { ...args, amount_cents: -5 },
      edited_by: 'default_user',
    });
    expect(negative.status).toBe(400);
    expect(negative.body.error.message).toContain('args.amount_cents');
    const extra = await postEdit(stack.baseUrl, approvalId, {
      args: { ...args, memo: 'x' },
      edited_by: 'default_user',
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('memo');
    const record = await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`);
    expect(record.body.action_hash).toBe(actionHash);
    expect((await runTimeline(stack, workflowId)).filter((e) => e.event === 'approval_edited')).toEqual([]);

    const rejected = await decideOverHttp(stack.baseUrl, approvalId, 'reject', 'manager@bank.com', actionHash);
    expect(rejected.status).toBe(200);
    const late = await postEdit(stack.baseUrl, approvalId, {
      args: { ...args, amount_cents: 100_000 },
      edited_by: 'default_user',
    });
    expect(late.status).toBe(409);
    expect((await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`)).body.steps[0].args.amount_cents).toBe(
      600_000,
    );
  });
});
