/**
 * The audit trail of an approval that takes several people, over HTTP against the real stack with
 * token auth and a policy of stages and follow-ups: the reminder and the escalation the policy's
 * timers cause, the first of two approvals (progress), the same approver again by the operators'
 * command (refused, and recorded as ignored), a hand-over to a stand-in (with the signed
 * delegation) and the stand-in's deciding approval, each recorded once, the decisions naming their
 * deciders; the export verifies every signature offline. Only an auditor or an admin reads the
 * trail, and an auditor reads nothing else; the simulate-policy CLI, run as the auditor,
 * reproduces the run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DECISION_KEYS } from '../../dev/stack-secrets.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { verifyTrail } from '../../src/audit/verify-trail.js';
import { call } from '../support/http.js';
import { runOperatorScript } from '../support/operator-scripts.js';
import { ALLOW_THE_REST, as, startPolicyStack, type PolicyStack } from '../support/policy-stack.js';
import { waitForStatus } from '../support/reliability.js';

const POLICY = {
  id: 'audit-approvals-test',
  rules: [
    {
      name: 'two-approvers-followed-up',
      match: { tools: ['bank_transfer'], amount_at_least_cents: 1_000_000 },
      outcome: {
        stages: [{ group: 'approvers', count: 2 }],
        remind_after: '1s',
        escalate_after: '2s',
        escalate_to: 'managers',
        expire_after: '10m',
      },
    },
    ...ALLOW_THE_REST,
  ],
};
const [GATEWAY_KEY, OPERATOR_KEY] = TEST_DECISION_KEYS;

let policy: PolicyStack;
beforeAll(async () => {
  policy = await startPolicyStack(POLICY, {}, { audit: true });
});
afterAll(async () => {
  await policy?.stop();
});

async function trailOf(workflowId: string): Promise<AuditRecord[]> {
  const path = `/api/audit?workflow_id=${encodeURIComponent(workflowId)}&limit=1000`;
  const res = await call(policy.stack.baseUrl, 'GET', path, undefined, as('auditor'));
  expect(res.status).toBe(200);
  return res.body.records as AuditRecord[];
}

describe('audit trail of an approval with stages, follow-ups and a stand-in', () => {
  it('records the reminder, the escalation, the first approval, the hand-over and the deciding approval', async () => {
    const { workflowId, approvalId } = await policy.chatForApproval('owner', 'Transfer 10000 to Kiran');
    await policy.waitForEvent(workflowId, 'approval_escalated');

    expect((await policy.decide('alice', approvalId, 'approve')).status).toBe(200);
    // The same person again, by the operators' break-glass command: the run refuses it, and records that.
    const again = await runOperatorScript('scripts/decide.ts', [approvalId, 'approve', '--as', 'alice'], {
      TASK_QUEUE: policy.stack.taskQueue,
    });
    expect(again.code, again.stdout).toBe(1);
    const handed = await call(
      policy.stack.baseUrl,
      'POST',
      `/api/approvals/${approvalId}/delegate`,
      { to_person: 'eve', reason: 'bob is in a meeting all day' },
      as('bob'),
    );
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect((await policy.decide('eve', approvalId, 'approve')).status).toBe(200);
    await waitForStatus(policy.stack.baseUrl, workflowId, ['COMPLETED'], 20_000, as('alice'));

    const trail = await trailOf(workflowId);
    const one = (kind: AuditRecord['kind']) => {
      const found = trail.filter((r) => r.kind === kind);
      expect(found, kind).toHaveLength(1);
      return found[0]!;
    };
    expect(one('approval_requested')).toMatchObject({ approval_id: approvalId, person: 'default_user' });
    expect(one('approval_reminder')).toMatchObject({ approval_id: approvalId });
    expect(one('approval_escalated')).toMatchObject({ approval_id: approvalId });
    const progress = one('approval_progress');
    expect(progress).toMatchObject({ person: 'alice', approval_id: approvalId });
    expect(progress.signed).toMatchObject({ kind: 'decision', key_id: GATEWAY_KEY!.key_id });
    const ignored = one('message_ignored');
    expect(ignored).toMatchObject({ person: 'alice', outcome: 'ignored', summary: expect.stringMatching(/once/) });
    expect(ignored.signed).toMatchObject({ kind: 'decision', key_id: OPERATOR_KEY!.key_id });
    const delegated = one('approval_delegated');
    expect(delegated).toMatchObject({
      approval_id: approvalId,
      person: 'bob',
      data: { metadata: { from: 'bob', to: 'eve' } },
    });
    expect(delegated.signed).toMatchObject({ kind: 'delegation', key_id: GATEWAY_KEY!.key_id });
    const decided = one('approval_decided');
    expect(decided).toMatchObject({ person: 'eve', outcome: 'approved' });
    expect(decided.signed).toMatchObject({ kind: 'decision', key_id: GATEWAY_KEY!.key_id });
    const order = ['approval_requested', 'approval_reminder', 'approval_escalated', 'approval_progress'];
    const seqOf = (kind: string) => trail.find((r) => r.kind === kind)!.seq;
    expect([...order, 'approval_delegated', 'approval_decided'].map(seqOf)).toEqual(
      [...order, 'approval_delegated', 'approval_decided'].map(seqOf).sort((a, b) => a - b),
    );
    expect(one('step_executed').data.ledger_reference).toBeDefined();
    expect(new Set(trail.map((r) => r.key)).size).toBe(trail.length);
  });

  it('lets only an auditor or an admin read the trail, and the auditor nothing else', async () => {
    const base = policy.stack.baseUrl;
    expect((await call(base, 'GET', '/api/audit')).status).toBe(401);
    expect((await call(base, 'GET', '/api/audit', undefined, as('alice'))).status).toBe(403);
    expect((await call(base, 'GET', '/api/audit/verify', undefined, as('auditor'))).body).toMatchObject({ ok: true });
    expect((await call(base, 'GET', '/api/approvals', undefined, as('auditor'))).status).toBe(403);
    expect((await call(base, 'POST', '/chat', { message: 'Transfer 1 to Kiran' }, as('auditor'))).status).toBe(403);
  });

  it('exports a chain whose decisions and delegation verify offline', async () => {
    const res = await fetch(`${policy.stack.baseUrl}/api/audit/export`, { headers: as('auditor') });
    expect(res.status).toBe(200);
    const lines = (await res.text()).split('\n');
    const verdict = verifyTrail(lines, TEST_DECISION_KEYS);
    expect(verdict.failure).toBeUndefined();
    expect(verdict.signed).toBeGreaterThanOrEqual(3);
  });

  it('simulate-policy, the CLI, run as the auditor: the live policy reproduces what happened', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'audit-policy-')), 'live.json');
    writeFileSync(file, JSON.stringify(POLICY));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/simulate-policy.ts', file, '--since', '1h'],
      {
        env: {
          ...process.env,
          GATEWAY_URL: policy.stack.baseUrl,
          GATEWAY_TOKEN: as('auditor').authorization.slice('Bearer '.length),
        },
      },
    );
    expect(stdout).toMatch(/^audit-approvals-test over the last 1h: 1 request\(s\), 1 step\(s\)\n/);
    expect(stdout).toMatch(/approvals 1 -> 1 \(\+0\), refusals 0 -> 0, 0 step\(s\) change/);
  });
});
