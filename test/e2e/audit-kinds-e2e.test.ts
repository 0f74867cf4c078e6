/**
 * The audit trail of edits and expiries over HTTP against the real stack: an edit is recorded with
 * the signed edit the run received, an expiry with the approval it ended; each fact once.
 */
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { verifyTrail } from '../../src/audit/verify-trail.js';
import { TEST_DECISION_KEYS } from '../../dev/stack-secrets.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { pendingTransfer } from '../support/pending-transfers.js';
import { waitForStatus } from '../support/reliability.js';
import { postEdit } from '../support/chat.js';

/** Long enough for an edit sent at once, short enough to wait out in a test. */
const stack = useStack({ audit: true, env: { APPROVAL_TIMEOUT: '6s' } });

async function trailOf(workflowId: string): Promise<AuditRecord[]> {
  const res = await call(stack.baseUrl, 'GET', `/api/audit?workflow_id=${encodeURIComponent(workflowId)}`);
  expect(res.status).toBe(200);
  return res.body.records as AuditRecord[];
}

describe('audit trail of edits and expiries', () => {
  it('records an edit with the signed edit itself, and the step that then ran without approval', async () => {
    const { workflowId, approvalId, actionHash, args } = await pendingTransfer(stack, 'Transfer 6000 to kiran');
    const edited = await postEdit(stack.baseUrl, approvalId, {
      args: { ...args, amount_cents: 400_000 },
      edited_by: 'default_user',
      reason: 'lower it under the limit',
      action_hash: actionHash,
    });
    expect(edited.status).toBe(200);
    await waitForStatus(stack.baseUrl, workflowId, ['COMPLETED']);

    const trail = await trailOf(workflowId);
    const edit = trail.find((r) => r.kind === 'approval_edited')!;
    expect(edit).toMatchObject({ person: 'default_user', approval_id: approvalId });
    expect(edit.data.metadata).toMatchObject({ before: { amount_cents: 600_000 }, after: { amount_cents: 400_000 } });
    expect(edit.signed).toMatchObject({ kind: 'edit', key_id: TEST_DECISION_KEYS[0]!.key_id });
    const executed = trail.find((r) => r.kind === 'step_executed')!;
    expect(executed.data.step).toMatchObject({ args: { amount_cents: 400_000 } });
    expect(new Set(trail.map((r) => r.key)).size).toBe(trail.length);
  });

  it('records an expiry', async () => {
    const { workflowId, approvalId } = await pendingTransfer(stack, 'Transfer 7000 to kiran');
    await waitForStatus(stack.baseUrl, workflowId, ['REJECTED'], 30_000);
    const trail = await trailOf(workflowId);
    expect(trail.find((r) => r.kind === 'approval_expired')).toMatchObject({
      approval_id: approvalId,
      outcome: 'expired',
      data: { approval: { status: 'expired' } },
    });
    expect(trail.at(-1)).toMatchObject({ kind: 'run_finished', outcome: 'REJECTED' });
    const exported = (await (await fetch(`${stack.baseUrl}/api/audit/export`)).text()).split('\n');
    expect(verifyTrail(exported, TEST_DECISION_KEYS)).toMatchObject({ signed: 1 });
    expect(verifyTrail(exported, TEST_DECISION_KEYS).failure).toBeUndefined();
  });
});
