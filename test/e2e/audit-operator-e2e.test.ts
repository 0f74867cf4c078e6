/**
 * The audit trail of what operators do, over HTTP against the real stack: a held step skipped with
 * `./temporal-dev.sh act` (signed with the operator's key) and one retried through the gateway
 * (signed with the gateway's) are each recorded with the signed action and its key id, on the fact
 * the action caused; the held state and the ledger write after the retry too; a request an
 * operator starts by hand is recorded with who asked; a transfer the bank refuses is a failed step
 * with its error; and the export, which now holds operator actions, verifies offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DECISION_KEYS } from '../../dev/stack-secrets.js';
import { waitFor } from '../../dev/ports.js';
import { startSandboxProcess, type SandboxProcess } from '../../dev/sandbox-process.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { verifyTrail } from '../../src/audit/verify-trail.js';
import type { StepView } from '../../src/shared/contracts.js';
import { call } from '../support/http.js';
import { runOperatorScript } from '../support/operator-scripts.js';
import { get, submitRequest, waitForStatus } from '../support/reliability.js';
import { startStack, type Stack } from '../support/stack.js';

const FINAL = ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'] as const;
const [GATEWAY_KEY, OPERATOR_KEY] = TEST_DECISION_KEYS;

let sandbox: SandboxProcess;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
  stack = await startStack({
    sandbox,
    audit: true,
    env: { ATTENTION_ON_EXHAUSTED: 'true', STEP_RETRY_BUDGET: '1s', ATTENTION_DEADLINE: '10m', CHAT_WAIT_MS: '2000' },
  });
  // Planning looks up the requester's account once per worker: plan one run while the bank is up.
  const warmUp = await submitRequest(stack.baseUrl, 'Transfer 1 to Kiran');
  expect(await waitForStatus(stack.baseUrl, warmUp, [...FINAL], 30_000)).toBe('COMPLETED');
});
afterAll(async () => {
  await stack?.stop();
  await sandbox?.dispose();
});

async function trailOf(workflowId: string): Promise<AuditRecord[]> {
  const res = await call(stack.baseUrl, 'GET', `/api/audit?workflow_id=${encodeURIComponent(workflowId)}&limit=1000`);
  expect(res.status).toBe(200);
  return res.body.records as AuditRecord[];
}

/** A transfer held for an operator: the bank is down past the retry budget, then up again. */
async function heldTransfer(message: string): Promise<string> {
  await sandbox.stop();
  try {
    const workflowId = await submitRequest(stack.baseUrl, message);
    await waitFor(
      async () => {
        const res = await get(stack.baseUrl, `/api/workflows/${workflowId}`);
        const step = (res.body.steps as StepView[] | undefined)?.find((s) => s.id === 'transfer');
        return step?.state === 'NEEDS_ATTENTION' ? true : undefined;
      },
      { timeoutMs: 30_000, what: `the transfer of ${workflowId} to be held` },
    );
    return workflowId;
  } finally {
    await sandbox.restart();
  }
}

describe('audit trail of operators', () => {
  it("records a skip sent with ./temporal-dev.sh act, with the operator's signed action and key id", async () => {
    const workflowId = await heldTransfer('Transfer 107 to Kiran');
    const skipped = await runOperatorScript('scripts/act.ts', [
      workflowId,
      'transfer',
      'skip',
      '--as',
      'ops@bank.com',
      '--reason',
      'paid by hand',
    ]);
    expect(skipped.code, skipped.stdout).toBe(0);
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('COMPLETED');

    const trail = await trailOf(workflowId);
    expect(trail.find((r) => r.data.event === 'step_needs_attention')).toMatchObject({ step_id: 'transfer' });
    // The action is recorded on the fact it caused (here the skip), with the message as signed.
    const action = trail.find((r) => r.kind === 'operator_action');
    expect(action).toMatchObject({ person: 'ops@bank.com', step_id: 'transfer', tool: 'bank_transfer' });
    expect(action?.data.event).toBe('step_skipped');
    expect(action?.data.metadata).toMatchObject({ action: 'skip', reason: 'paid by hand', via: 'operator' });
    expect(action?.signed).toMatchObject({ kind: 'operator_action', key_id: OPERATOR_KEY!.key_id });
    expect(action?.signed?.message).toMatchObject({ action: 'skip', decided_by: 'ops@bank.com' });
    expect(trail.some((r) => r.kind === 'step_executed')).toBe(false);
    expect(new Set(trail.map((r) => r.key)).size).toBe(trail.length);
  });

  it("records a retry sent through the gateway, with the gateway's signed action, then the ledger write", async () => {
    const workflowId = await heldTransfer('Transfer 108 to Kiran');
    const retried = await call(stack.baseUrl, 'POST', `/api/attention/${workflowId}/transfer`, {
      action: 'retry',
      decided_by: 'ops@bank.com',
      reason: 'the bank is back',
    });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('COMPLETED');

    const trail = await trailOf(workflowId);
    const action = trail.find((r) => r.kind === 'operator_action');
    expect(action).toMatchObject({ person: 'ops@bank.com', step_id: 'transfer' });
    expect(action?.signed).toMatchObject({ kind: 'operator_action', key_id: GATEWAY_KEY!.key_id });
    const executed = trail.filter((r) => r.kind === 'step_executed');
    expect(executed).toHaveLength(1);
    expect(executed[0]!.data).toMatchObject({ idempotency_key: expect.stringContaining(workflowId) });
    expect(executed[0]!.data.ledger_reference).toBeDefined();
    expect(trail.indexOf(action!)).toBeLessThan(trail.indexOf(executed[0]!));
  });

  it('records a request an operator starts with ./temporal-dev.sh request, with who asked and what', async () => {
    const started = await runOperatorScript('scripts/request.ts', ['Transfer 12 to kiran', '--as', 'default_user'], {
      TASK_QUEUE: stack.taskQueue,
    });
    expect(started.code, started.stdout).toBe(0);
    const workflowId = /started (\S+)/.exec(started.stdout)![1]!;
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('COMPLETED');
    const trail = await trailOf(workflowId);
    expect(trail[0]).toMatchObject({
      kind: 'request_started',
      person: 'default_user',
      data: { message: 'Transfer 12 to kiran', source: 'operator' },
    });
    expect(trail.at(-1)).toMatchObject({ kind: 'run_finished', outcome: 'COMPLETED' });
  });

  it('records a transfer the bank refuses as a failed step, with its error and idempotency key', async () => {
    // bob owns $2,500.00: the bank refuses the transfer, a business failure no operator is asked about.
    const workflowId = await submitRequest(stack.baseUrl, 'Transfer 3000 to Kiran', 'bob');
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('FAILED');
    const trail = await trailOf(workflowId);
    const failed = trail.filter((r) => r.kind === 'step_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ step_id: 'transfer', tool: 'bank_transfer', outcome: 'failed' });
    expect(failed[0]!.data).toMatchObject({
      step: { error: expect.stringMatching(/insufficient funds/i), attempts: 1 },
      idempotency_key: expect.stringContaining(workflowId),
    });
    expect(trail.at(-1)).toMatchObject({ kind: 'run_finished', outcome: 'FAILED' });
  });

  it('exports operator actions that verify against both keys, and not without the operator key', async () => {
    const res = await fetch(`${stack.baseUrl}/api/audit/export`);
    const lines = (await res.text()).split('\n');
    const verdict = verifyTrail(lines, TEST_DECISION_KEYS);
    expect(verdict.failure).toBeUndefined();
    expect(verdict.signed).toBeGreaterThanOrEqual(2);
    const gatewayOnly = verifyTrail(lines, [GATEWAY_KEY!]);
    expect(gatewayOnly.failure?.problem).toMatch(/signed operator_action does not verify/);
  });
});
