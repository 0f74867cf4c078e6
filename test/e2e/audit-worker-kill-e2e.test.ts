/**
 * Exactly once under SIGKILL: the real worker process (worker/main.ts, writing AUDIT_DB) is killed
 * while the runs are half way (the Life-OS run's first slow tool calls started, its approval not
 * yet asked), and again while approvals wait; a new process finishes the runs. Then, read back over HTTP, every run's trail holds each fact once and
 * none is missing (one record per timeline event, plus the start), the chain counts up without a
 * gap, and the export verifies.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_DECISION_KEYS } from '../../dev/stack-secrets.js';
import { startWorkerProcess, type NodeService } from '../../dev/node-service.js';
import { waitFor } from '../../dev/ports.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { verifyTrail } from '../../src/audit/verify-trail.js';
import type { ApprovalRecord, RunView } from '../../src/shared/contracts.js';
import { call } from '../support/http.js';
import { useSandbox, useStack } from '../support/fixtures.js';
import { runTimeline } from '../support/pending-transfers.js';
import { waitForStatus } from '../support/reliability.js';

/**
 * Every tool call takes this long, so the kill lands while calls (and the writes after them) are in
 * flight, even on a machine busy enough to be slow to notice them.
 */
const SANDBOX_LATENCY_MS = 1500;
const REQUESTS = [
  'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries',
  'Transfer 6000 to Kiran',
  'send $300 to bob',
  'send $250 to bob',
];

const sandbox = useSandbox({ latencyMs: SANDBOX_LATENCY_MS });
// The gateway answers at once (the runs go on); the worker is a real process, started below.
const stack = useStack(() => ({ sandbox, audit: true, noWorker: true, env: { CHAT_WAIT_MS: '0' } }));
let worker: NodeService;

beforeAll(async () => {
  worker = await startWorkerProcess({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TASK_QUEUE: stack.taskQueue,
    SANDBOX_URL: sandbox.url,
    AUDIT_DB: stack.config.AUDIT_DB,
    WORKFLOW_BUNDLE: inject('workflowBundlePath'),
  });
});
afterAll(async () => {
  await worker?.stop();
});

async function audit(query: string): Promise<AuditRecord[]> {
  const res = await call(stack.baseUrl, 'GET', `/api/audit?limit=1000&${query}`);
  expect(res.status).toBe(200);
  return res.body.records as AuditRecord[];
}

async function exportLines(): Promise<string[]> {
  const res = await fetch(`${stack.baseUrl}/api/audit/export`);
  expect(res.status).toBe(200);
  return (await res.text()).split('\n').filter((line) => line !== '');
}

async function pendingApprovals(workflowIds: readonly string[]): Promise<ApprovalRecord[]> {
  const res = await call(stack.baseUrl, 'GET', '/api/approvals?status=pending&limit=100');
  expect(res.status).toBe(200);
  return (res.body.approvals as ApprovalRecord[]).filter((a) => workflowIds.includes(a.workflow_id));
}

describe('audit trail under worker kills', () => {
  it('writes every fact exactly once when the worker is SIGKILLed mid-flight and while approvals wait', async () => {
    const runs: string[] = [];
    for (const message of REQUESTS) {
      const res = await call(stack.baseUrl, 'POST', '/chat', { message, user_id: 'default_user' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      runs.push(res.body.workflow_id as string);
    }

    // First kill: the Life-OS run is half way, its first tool calls started and its approval not yet asked.
    await waitFor(
      async () => {
        const trail = await audit(`workflow_id=${runs[0]}`);
        const started = trail.some((r) => r.data.event === 'step_running');
        if (trail.some((r) => r.kind === 'approval_requested')) throw new Error('the run got past its tool calls');
        return started ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 25, what: 'the Life-OS run to be half way' },
    );
    await worker.kill();
    await worker.restart();

    // Second kill: both approvals wait (the DAG's confirmation and the transfer's manager approval).
    const waiting = await waitFor(
      async () => {
        const pending = await pendingApprovals(runs);
        return pending.length >= 2 ? pending : undefined;
      },
      { timeoutMs: 60_000, what: 'two approvals waiting' },
    );
    await worker.kill();
    await worker.restart();

    for (const approval of waiting) {
      const decidedBy = approval.tool === 'bank_transfer' ? 'manager' : 'default_user';
      const res = await call(stack.baseUrl, 'POST', `/api/approvals/${approval.approval_id}/decision`, {
        decision: 'approve',
        decided_by: decidedBy,
        action_hash: approval.action_hash,
      });
      expect([200, 202], JSON.stringify(res.body)).toContain(res.status);
    }
    for (const workflowId of runs) await waitForStatus(stack.baseUrl, workflowId, ['COMPLETED'], 90_000);

    for (const workflowId of runs) {
      const trail = await audit(`workflow_id=${encodeURIComponent(workflowId)}`);
      const keys = trail.map((r) => r.key);
      expect(new Set(keys).size, `${workflowId}: a fact written twice`).toBe(keys.length);
      expect(trail.filter((r) => r.kind === 'request_started')).toHaveLength(1);
      expect(trail.filter((r) => r.kind === 'plan_adopted')).toHaveLength(1);
      expect(trail.at(-1)).toMatchObject({ kind: 'run_finished', outcome: 'COMPLETED' });
      expect(trail.filter((r) => r.kind === 'run_finished')).toHaveLength(1);

      // One record per timeline event, none missing and none extra.
      const timeline = await runTimeline(stack, workflowId);
      const expected = [`${workflowId}:started`, ...timeline.map((e) => `${workflowId}:${e.seq}`)];
      const unsigned = keys.filter((key) => !key.startsWith(`${workflowId}:signed:`));
      expect([...unsigned].sort()).toEqual([...expected].sort());

      const view = (await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`)).body as RunView;
      const succeeded = view.steps.filter((s) => s.state === 'SUCCEEDED').map((s) => s.id);
      const executed = trail.filter((r) => r.kind === 'step_executed').map((r) => r.step_id);
      expect([...executed].sort()).toEqual([...succeeded].sort());
    }
    const decided = await audit('kind=approval_decided');
    expect(decided.filter((r) => runs.includes(r.workflow_id))).toHaveLength(waiting.length);

    const lines = await exportLines();
    const records = lines.map((line) => JSON.parse(line) as AuditRecord);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    expect(new Set(records.map((r) => r.key)).size).toBe(records.length);
    const verdict = verifyTrail(lines, TEST_DECISION_KEYS);
    expect(verdict.failure).toBeUndefined();
    expect(verdict.signed).toBeGreaterThanOrEqual(waiting.length);
    const checked = await call(stack.baseUrl, 'GET', '/api/audit/verify');
    expect(checked.body).toMatchObject({ ok: true, records: lines.length, head: { seq: lines.length } });
  }, 240_000);
});
