/**
 * A rule's cooling_off over HTTP, with the real stack and sandbox: an approved transfer holds
 * (APPROVED_HOLDING, hold_until), a revoke in time stops it for good, one after the window is
 * too_late, and a revoke sent right at the window's end gets the run's true answer: revoked and no
 * money, or too_late and the money moved once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { call, type JsonResponse, type Loose } from '../support/http.js';
import { ALLOW_THE_REST, as, startPolicyStack, type Person, type PolicyStack } from '../support/policy-stack.js';
import { getBalanceCents, ledgerEntries } from '../support/sandbox-ledger.js';

const WINDOW_MS = 2_000;
const POLICY = {
  id: 'cooling-off-e2e',
  rules: [
    {
      name: 'held-transfer',
      match: { tools: ['bank_transfer'], amount_at_least_cents: 100_000 },
      outcome: { stages: [{ group: 'approvers', count: 1 }], cooling_off: `${WINDOW_MS / 1000}s` },
    },
    ...ALLOW_THE_REST,
  ],
};

let policy: PolicyStack;
beforeAll(async () => {
  policy = await startPolicyStack(POLICY);
});
afterAll(async () => {
  await policy?.stop();
});

const revoke = (who: Person, approvalId: string, reason?: string): Promise<JsonResponse> =>
  call(policy.stack.baseUrl, 'POST', `/api/approvals/${approvalId}/revoke`, reason ? { reason } : {}, as(who));

const kiranCents = () => getBalanceCents(policy.stack.sandbox.url, 'kiran');

async function finalView(workflowId: string): Promise<Loose> {
  return waitFor(
    async () => {
      const view = await policy.runView(workflowId);
      return ['COMPLETED', 'REJECTED', 'FAILED', 'CANCELLED'].includes(view.status) ? view : undefined;
    },
    { timeoutMs: 30_000, what: `run ${workflowId} to finish` },
  );
}

/** A $1,000.00 transfer approved by alice: it now holds. */
async function approvedAndHolding(): Promise<{ workflowId: string; approvalId: string; holdUntil: string }> {
  const { workflowId, approvalId } = await policy.chatForApproval('owner', 'Transfer 1000 to Kiran');
  const approved = await policy.decide('alice', approvalId, 'approve');
  expect(approved.status).toBe(200);
  expect(approved.body.step_state).toBe('APPROVED_HOLDING');
  const holdUntil: string = approved.body.approval.hold_until;
  expect(Date.parse(holdUntil) - Date.parse(approved.body.approval.decided_at)).toBeGreaterThanOrEqual(WINDOW_MS);
  return { workflowId, approvalId, holdUntil };
}

describe('cooling_off: hold, revoke, or run after the window', () => {
  it('holds an approved transfer; the requester revokes it in time and the money never moves', async () => {
    const before = await kiranCents();
    const { workflowId, approvalId, holdUntil } = await approvedAndHolding();
    const view = await policy.runView(workflowId);
    expect(view.steps[0]).toMatchObject({ state: 'APPROVED_HOLDING', hold_until: holdUntil });

    const outsider = await revoke('eve', approvalId);
    expect(outsider.status).toBe(403);
    const revoked = await revoke('owner', approvalId, 'wrong recipient');
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      outcome: 'revoked',
      approval: { status: 'revoked', revoked_by: 'default_user', revoke_reason: 'wrong recipient' },
      step: { state: 'REJECTED' },
    });
    expect((await revoke('owner', approvalId)).status).toBe(409);

    const final = await finalView(workflowId);
    expect(final.status).toBe('REJECTED');
    // Past the window's end too, nothing moved.
    await waitFor(() => Date.now() > Date.parse(holdUntil) + 500, { what: 'the window to pass' });
    expect(await kiranCents()).toBe(before);
    const events = (await policy.timeline(workflowId)).map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['approval_approved', 'approval_holding', 'approval_revoked']));
    expect(events).not.toContain('step_running');
  });

  it('runs the held transfer when the window ends; a later revoke is too_late and says when it started', async () => {
    const before = await kiranCents();
    const { workflowId, approvalId, holdUntil } = await approvedAndHolding();
    const final = await finalView(workflowId);
    expect(final.status).toBe('COMPLETED');
    expect(Date.parse(final.steps[0].started_at)).toBeGreaterThanOrEqual(Date.parse(holdUntil));
    expect(await kiranCents()).toBe(before + 100_000);

    const late = await revoke('alice', approvalId);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ outcome: 'too_late', started_at: final.steps[0].started_at });
    expect(await kiranCents()).toBe(before + 100_000);
  });

  it.each([-40, 0, 40])(
    'a revoke sent %i ms from the end of the window gets the true answer: the money moves once or not at all',
    async (offsetMs) => {
      const before = await kiranCents();
      const { workflowId, approvalId, holdUntil } = await approvedAndHolding();
      await waitFor(() => Date.now() >= Date.parse(holdUntil) + offsetMs, { intervalMs: 5, what: 'the deadline' });
      const answer = await revoke('owner', approvalId);
      expect(answer.status).toBe(200);
      const final = await finalView(workflowId);
      const moved = (await ledgerEntries(policy.stack.sandbox.url, 'kiran')).filter((e) =>
        e.idempotency_key.startsWith(`${workflowId}:`),
      );
      if (answer.body.outcome === 'revoked') {
        expect(final.status).toBe('REJECTED');
        expect(moved).toHaveLength(0);
        expect(await kiranCents()).toBe(before);
      } else {
        expect(answer.body).toMatchObject({ outcome: 'too_late', started_at: final.steps[0].started_at });
        expect(final.status).toBe('COMPLETED');
        expect(moved).toHaveLength(1);
        expect(await kiranCents()).toBe(before + 100_000);
      }
    },
  );
});
