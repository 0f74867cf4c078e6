/**
 * Evidence of human oversight over HTTP against the real stack: every run writes its facts to the
 * audit store exactly once (worker restarts and repeated writes included), `GET /api/audit`
 * filters and pages them, the NDJSON export verifies offline and tampered copies fail naming the
 * right record, and a run whose history Temporal deleted keeps its whole trail.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createAuditActivities } from '../../activities/audit.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { SqliteAuditStore } from '../../src/audit/audit-store.js';
import { verifyTrail } from '../../src/audit/verify-trail.js';
import { TEST_DECISION_KEYS, testSecrets } from '../../dev/stack-secrets.js';
import { waitFor } from '../../dev/ports.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { runOperatorScript } from '../support/operator-scripts.js';
import { pendingTransfer } from '../support/pending-transfers.js';
import { waitForStatus } from '../support/reliability.js';
import { postDecision } from '../support/chat.js';

const run = promisify(execFile);
const stack = useStack({ audit: true });

async function trailOf(workflowId: string): Promise<AuditRecord[]> {
  const res = await call(stack.baseUrl, 'GET', `/api/audit?workflow_id=${encodeURIComponent(workflowId)}&limit=1000`);
  expect(res.status).toBe(200);
  return res.body.records as AuditRecord[];
}

async function exportLines(): Promise<string[]> {
  const res = await fetch(`${stack.baseUrl}/api/audit/export`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
  return (await res.text()).split('\n').filter((line) => line !== '');
}

async function decide(approvalId: string, decision: 'approve' | 'reject', decidedBy: string) {
  return postDecision(stack.baseUrl, approvalId, {
    decision,
    decided_by: decidedBy,
    reason: `${decision} for the audit test`,
  });
}

describe('audit trail', () => {
  let approvedRun: string;

  it('records who asked, the plan and policy, the approval, the signed decision and the ledger write', async () => {
    const pending = await pendingTransfer(stack, 'Transfer 6000 to Kiran');
    approvedRun = pending.workflowId;
    // The same decision twice at once: one is applied, the other is recorded as ignored.
    const answers = await Promise.all([
      decide(pending.approvalId, 'approve', 'manager'),
      decide(pending.approvalId, 'approve', 'manager'),
    ]);
    expect(answers.map((a) => a.status)).toContain(200);
    await waitForStatus(stack.baseUrl, approvedRun, ['COMPLETED']);

    const trail = await trailOf(approvedRun);
    const kinds = trail.map((r) => r.kind);
    expect(kinds[0]).toBe('request_started');
    expect(kinds).toEqual(expect.arrayContaining(['plan_adopted', 'approval_requested', 'approval_decided']));
    expect(kinds).toContain('step_executed');
    expect(kinds.at(-1)).toBe('run_finished');
    expect(new Set(trail.map((r) => r.key)).size).toBe(trail.length);

    expect(trail[0]).toMatchObject({ person: 'default_user', data: { message: 'Transfer 6000 to Kiran' } });
    const plan = trail.find((r) => r.kind === 'plan_adopted')!;
    expect(plan.data).toMatchObject({ policy: { id: expect.any(String), hash: expect.any(String) } });
    const asked = trail.find((r) => r.kind === 'approval_requested')!;
    expect(asked).toMatchObject({ approval_id: pending.approvalId, tool: 'bank_transfer', outcome: 'pending' });
    expect(asked.data).toMatchObject({ approval: { action_hash: pending.actionHash, requested_by: 'default_user' } });
    const decided = trail.find((r) => r.kind === 'approval_decided')!;
    expect(decided).toMatchObject({ person: 'manager', outcome: 'approved' });
    expect(decided.signed).toMatchObject({ kind: 'decision', key_id: TEST_DECISION_KEYS[0]!.key_id });
    expect(decided.signed!.message).toMatchObject({ approval_id: pending.approvalId, approver_id: 'manager' });
    const executed = trail.find((r) => r.kind === 'step_executed')!;
    expect(executed.data).toMatchObject({ idempotency_key: expect.stringContaining(approvedRun) });
    expect(executed.data.ledger_reference).toBeDefined();
    expect(trail.at(-1)).toMatchObject({ outcome: 'COMPLETED' });
  });

  it('records a rejection and keeps each fact once across a worker restart and repeated writes', async () => {
    const pending = await pendingTransfer(stack, 'Transfer 7000 to Kiran');
    await stack.stopWorker();
    const accepted = await decide(pending.approvalId, 'reject', 'manager');
    expect([200, 202]).toContain(accepted.status);
    await stack.startWorker();
    await waitForStatus(stack.baseUrl, pending.workflowId, ['REJECTED']);

    const trail = await trailOf(pending.workflowId);
    expect(trail.find((r) => r.kind === 'approval_decided')).toMatchObject({ outcome: 'rejected', person: 'manager' });
    expect(trail.at(-1)).toMatchObject({ kind: 'run_finished', outcome: 'REJECTED' });
    expect(new Set(trail.map((r) => r.key)).size).toBe(trail.length);

    // A redelivered write (the activity retried after its answer was lost) adds nothing.
    const store = SqliteAuditStore.open(stack.config.AUDIT_DB);
    try {
      const { recordAudit } = createAuditActivities(store);
      await recordAudit(trail.map(({ seq: _s, recorded_at: _r, prev_hash: _p, hash: _h, ...fact }) => fact));
    } finally {
      await store.close();
    }
    expect(await trailOf(pending.workflowId)).toEqual(trail);
  });

  it('filters by person, tool and outcome, and pages with a cursor', async () => {
    const approved = await call(stack.baseUrl, 'GET', '/api/audit?person=manager&outcome=approved');
    expect(approved.body.records.map((r: AuditRecord) => r.workflow_id)).toEqual([approvedRun]);
    const transfers = await call(stack.baseUrl, 'GET', '/api/audit?tool=bank_transfer&kind=step_executed');
    expect(transfers.body.records).toHaveLength(1);

    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(stack.baseUrl, 'GET', `/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.records.map((r: AuditRecord) => r.seq));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(seen.map((_, i) => i + 1));

    const bad = await call(stack.baseUrl, 'GET', '/api/audit?from=yesterday&cursor=zzz');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/query\.from/);
  });

  it("records an operator's break-glass decision with the operator's signature", async () => {
    const pending = await pendingTransfer(stack, 'Transfer 5500 to Kiran');
    const decided = await runOperatorScript('scripts/decide.ts', [
      pending.approvalId,
      'reject',
      '--as',
      'ops@bank.com',
    ]);
    expect(decided.code).toBe(0);
    await waitForStatus(stack.baseUrl, pending.workflowId, ['REJECTED']);
    const decision = (await trailOf(pending.workflowId)).find((r) => r.kind === 'approval_decided');
    expect(decision).toMatchObject({ person: 'ops@bank.com', outcome: 'rejected' });
    expect(decision?.signed).toMatchObject({ kind: 'decision', key_id: TEST_DECISION_KEYS[1]!.key_id });
    expect(decision?.data.metadata).toMatchObject({ via: 'operator' });
  });

  it('exports NDJSON that verifies, and names the record where a tampered copy breaks', async () => {
    const lines = await exportLines();
    const verdict = verifyTrail(lines, TEST_DECISION_KEYS);
    expect(verdict.failure).toBeUndefined();
    expect(verdict.signed).toBeGreaterThanOrEqual(2);

    const dir = mkdtempSync(path.join(tmpdir(), 'audit-export-'));
    const verify = async (name: string, content: string[]) => {
      const file = path.join(dir, name);
      writeFileSync(file, `${content.join('\n')}\n`);
      const args = ['--import', 'tsx', 'scripts/verify-audit.ts', file, '--key', testSecrets.gatewayPublicKeyFile];
      return run(process.execPath, [...args, '--key', testSecrets.operatorPublicKeyFile]).then(
        (done) => ({ code: 0, out: done.stdout }),
        (err: { code: number; stderr: string }) => ({ code: err.code, out: err.stderr }),
      );
    };
    const intact = await verify('intact.ndjson', lines);
    expect(intact).toMatchObject({ code: 0, out: expect.stringMatching(/OK, \d+ record/) });

    const target = 4;
    const changed = [...lines];
    changed[target - 1] = changed[target - 1]!.replace('"summary":"', '"summary":"X');
    expect((await verify('changed.ndjson', changed)).out).toMatch(/FAILED at record line 4, seq 4, .*altered/);

    const removed = lines.filter((_, i) => i !== target - 1);
    expect((await verify('removed.ndjson', removed)).out).toMatch(/FAILED at record line 4, seq 5, .*missing/);

    const reordered = [...lines];
    [reordered[target - 1], reordered[target]] = [reordered[target]!, reordered[target - 1]!];
    expect((await verify('reordered.ndjson', reordered)).out).toMatch(/FAILED at record line 4, seq 5, .*out of order/);

    const withoutKeys = verifyTrail(lines, []);
    expect(withoutKeys.failure?.problem).toMatch(/signed decision does not verify/);
  });

  it('keeps the whole trail of a run whose history Temporal deleted', async () => {
    const before = await trailOf(approvedRun);
    await stack.client.workflowService.deleteWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: approvedRun },
    });
    // Temporal deletes an execution in the background: it can take a while on a busy server.
    await waitFor(
      async () => {
        const res = await call(stack.baseUrl, 'GET', `/api/workflows/${approvedRun}`);
        return res.status === 404 ? true : undefined;
      },
      { timeoutMs: 90_000, what: `${approvedRun}'s history to be gone` },
    );
    expect(await trailOf(approvedRun)).toEqual(before);
    expect(verifyTrail(await exportLines(), TEST_DECISION_KEYS).failure).toBeUndefined();
  }, 120_000);
});
