/**
 * Action-bound approvals over HTTP: every approval record carries the hash of what it approves,
 * a decision that names another hash is refused as stale (409 stale_approval) by the gateway,
 * with or without a worker, and by the run itself, and nothing changes.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { runBindingFor, signedAsGateway } from '../../dev/stack-secrets.js';
import { waitFor } from '../../dev/ports.js';
import { approvalDecisionUpdate, DecisionErrorType } from '../../src/shared/messages.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { decideOverHttp } from '../support/chat.js';
import { waitForStatus } from '../support/reliability.js';

const stack = useStack({ gateway: { queryTimeoutMs: 1500, decisionAcceptMs: 1000 } });
const STALE = 'f'.repeat(64);

async function pendingTransfer(message: string) {
  await stack.startWorker();
  const chat = await call(stack.baseUrl, 'POST', '/chat', { message, user_id: 'default_user' });
  expect(chat.body.status).toBe('PENDING_APPROVAL');
  const approvalId: string = chat.body.reply.approval_id;
  const record = await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`);
  return { workflowId: chat.body.workflow_id as string, approvalId, actionHash: record.body.action_hash as string };
}

describe('action-bound approvals', () => {
  it('shows action_hash on the record, the run view, the inbox and in the OpenAPI document', async () => {
    const { workflowId, approvalId, actionHash } = await pendingTransfer('Transfer 6100 to kiran');
    expect(actionHash).toMatch(/^[0-9a-f]{64}$/);
    const run = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
    expect(run.body.approvals[0].action_hash).toBe(actionHash);
    const inbox = await waitFor(
      async () => {
        const res = await call(stack.baseUrl, 'GET', '/api/approvals');
        return res.body.approvals.find((a: { approval_id: string }) => a.approval_id === approvalId);
      },
      { timeoutMs: 15_000, what: 'the approval in the inbox' },
    );
    expect(inbox.action_hash).toBe(actionHash);
    const doc = await call(stack.baseUrl, 'GET', '/openapi.json');
    const decisionBody =
      doc.body.paths['/api/approvals/{id}/decision'].post.requestBody.content['application/json'].schema;
    expect(decisionBody.properties.action_hash).toBeDefined();
    expect(doc.body.paths['/api/approvals/{id}/decision'].post.responses['202']).toBeDefined();
  });

  it('refuses a decision on another action with 409 stale_approval, at the gateway and in the run, and nothing changes', async () => {
    const { workflowId, approvalId, actionHash } = await pendingTransfer('Transfer 6200 to kiran');
    const stale = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'manager@bank.com', STALE);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_approval');
    const seed = await call(
      stack.baseUrl,
      'POST',
      `/workflow/${(await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`)).body.session_id}/approve`,
      {
        approver_id: 'manager@bank.com',
        approved: true,
        approval_id: approvalId,
        action_hash: STALE,
      },
    );
    expect(seed.status).toBe(409);
    expect(seed.body.error.code).toBe('stale_approval');

    // Past the gateway: the run judges the hash itself and records the refusal.
    const direct = await stack.client.workflow
      .getHandle(workflowId)
      .executeUpdate(approvalDecisionUpdate, {
        args: [
          signedAsGateway({
            ...(await runBindingFor(stack.client.workflow.getHandle(workflowId), approvalId)),
            approval_id: approvalId,
            approved: true,
            approver_id: 'manager@bank.com',
            action_hash: STALE,
          }),
        ],
      })
      .then(
        () => 'applied',
        (err: unknown) => err,
      );
    expect(direct).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((direct as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(DecisionErrorType.Stale);
    const after = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}/timeline`);
    expect(
      after.body.events
        .filter((e: { event: string }) => e.event === 'approval_ignored')
        .map((e: { metadata: { reason: string } }) => e.metadata.reason),
    ).toEqual([DecisionErrorType.Stale]);
    expect((await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`)).body.status).toBe('pending');

    const bound = await decideOverHttp(stack.baseUrl, approvalId, 'reject', 'manager@bank.com', actionHash);
    expect(bound.status).toBe(200);
    expect(bound.body.approval.status).toBe('rejected');
  });

  it('checks the hash from the memo while no worker runs: stale refused at once, the right one kept and applied', async () => {
    const { workflowId, approvalId, actionHash } = await pendingTransfer('Transfer 6300 to kiran');
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    await stack.stopWorker();
    const stale = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'manager@bank.com', STALE);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_approval');
    const kept = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'manager@bank.com', actionHash);
    expect(kept.status).toBe(202);
    await stack.startWorker();
    await waitForStatus(stack.baseUrl, workflowId, ['COMPLETED'], 30_000);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 630_000);
  });
});
