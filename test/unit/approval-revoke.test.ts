/**
 * The cooling-off window and its revoke: the policy field, who may revoke (asked of the approval
 * judge), the signature, and RunState holding an approved step and taking a revoke or the end of
 * the window, whichever comes first.
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { DecisionErrorType } from '../../src/shared/messages.js';
import { PolicyOutcomeSchema } from '../../src/shared/policy/schema.js';
import { timingOf } from '../../src/shared/policy/follow-ups.js';
import {
  checkRevokeProof,
  couldHaveDecided,
  revokeRefusal,
  signRevoke,
  type UnsignedRevoke,
} from '../../src/shared/approval/revoke.js';
import type { Decider } from '../../src/shared/approval/judge.js';
import { newSigningKey } from '../support/signing-keys.js';
import { signatureProblem } from '../../src/audit/verify-trail.js';
import { tooLateFromRecord } from '../../gateway/approvals/revoke.js';
import { stagedTransferRun } from './run-fixtures.js';
import { notificationsOf } from '../../workflows/run-notifications.js';
// @ts-expect-error The page's modules are plain JS checked by `tsc -p public`, not by this project.
import { countdown } from '../../public/assets/holding.js';

const NOW = '2026-12-01T10:05:00.000Z';
const holding: ApprovalRecord = {
  approval_id: 'req-1.transfer',
  workflow_id: 'req-1',
  run_id: 'run-1',
  session_id: 's-1',
  step_id: 'transfer',
  step_name: 'Transfer $600.00 to bob',
  tool: 'bank_transfer',
  risk_level: 'L2',
  reason: 'first payment',
  status: 'approved',
  requested_by: 'owner',
  requested_at: '2026-12-01T10:00:00.000Z',
  expires_at: '2026-12-01T10:01:00.000Z',
  decided_by: 'alice',
  action_hash: 'a'.repeat(64),
  policy_rule: 'first-payment',
  stages: [
    { group: 'approvers', count: 1, approved_by: ['alice'] },
    { group: 'managers', count: 1, approved_by: ['dana'] },
  ],
  current_stage: 2,
  requester_may_approve: false,
  decisions: [],
  hold_until: '2026-12-01T10:10:00.000Z',
};
const unstaged: ApprovalRecord = {
  ...holding,
  stages: undefined,
  current_stage: undefined,
  policy_rule: undefined,
  decisions: undefined,
};
const person = (id: string, groups?: string[], role?: Decider['role']): Decider => ({ id, groups, role });

describe('cooling_off in a policy rule', () => {
  it.each([
    ['10m', 600_000],
    ['2s', 2_000],
  ])('reads %s as %i ms after approval', (text, ms) => {
    const outcome = PolicyOutcomeSchema.parse({ stages: [{ group: 'approvers', count: 1 }], cooling_off: text });
    expect(timingOf(outcome as never)).toEqual({ cooling_off_ms: ms });
  });

  it.each(['0s', 'soon', '-1m'])('refuses %s, naming the field', (text) => {
    const parsed = PolicyOutcomeSchema.safeParse({ stages: [{ group: 'approvers', count: 1 }], cooling_off: text });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('cooling_off');
  });
});

describe('who may revoke: the requester or anyone who could have decided', () => {
  it.each<[string, ApprovalRecord, Decider, boolean]>([
    ['the requester', holding, person('owner'), true],
    ['the requester with a requester token', holding, person('owner', [], 'requester'), true],
    ['an approver of the first stage', holding, person('bob', ['approvers'], 'approver'), true],
    ['a manager of the second stage', holding, person('dana', ['managers'], 'approver'), true],
    ['someone in no stage group', holding, person('eve', ['staff'], 'approver'), false],
    ['another requester', holding, person('mallory', [], 'requester'), false],
    ['an auditor', holding, person('audrey', ['approvers'], 'auditor'), false],
    ['anyone, without stages (any one decision could have rejected)', unstaged, person('eve'), true],
  ])('%s', (_label, approval, revoker, may) => {
    expect(couldHaveDecided(approval, revoker, NOW)).toBe(may);
  });
});

describe('revokeRefusal', () => {
  it.each<[string, ApprovalRecord | undefined, string | undefined]>([
    ['a holding approval', holding, undefined],
    ['an unknown approval', undefined, DecisionErrorType.UnknownApproval],
    ['one approved without a window', { ...holding, hold_until: undefined }, DecisionErrorType.NotHolding],
    ['a pending one', { ...holding, status: 'pending' }, DecisionErrorType.NotHolding],
    ['a rejected one', { ...holding, status: 'rejected' }, DecisionErrorType.NotHolding],
    ['one already revoked', { ...holding, status: 'revoked' }, DecisionErrorType.AlreadyDecided],
  ])('%s', (_label, approval, type) => {
    expect(revokeRefusal(approval, { revoker: person('owner') }, { now: NOW })?.type).toBe(type);
  });

  it('refuses an outsider, naming them', () => {
    const refusal = revokeRefusal(holding, { revoker: person('eve', ['staff']) }, { now: NOW });
    expect(refusal).toMatchObject({ type: DecisionErrorType.Forbidden, message: expect.stringContaining('eve') });
  });

  it('refuses, in the run, a revoke signed for another run', () => {
    const named = { revoker: person('owner'), workflowId: 'req-1', runId: 'run-2' };
    expect(revokeRefusal(holding, named, { now: NOW, checkRun: true })?.type).toBe(DecisionErrorType.WrongRun);
  });
});

describe('a revoke that reached a closed run', () => {
  const step = { id: 'transfer', state: 'SUCCEEDED', started_at: '2026-12-01T10:10:00.100Z' };
  const runOf = (status: string, approval: ApprovalRecord, steps: object[] = [step]) =>
    ({ status, approvals: [approval], steps }) as never;
  it.each<[string, unknown, boolean]>([
    ['a finished run whose held step started: too late', runOf('COMPLETED', holding), true],
    ['a run still going: the run answers, not its record', runOf('EXECUTING', holding), false],
    ['an approval without a window', runOf('COMPLETED', { ...holding, hold_until: undefined }), false],
    ['a revoked approval', runOf('REJECTED', { ...holding, status: 'revoked' }), false],
    ['a step that never started', runOf('CANCELLED', holding, [{ id: 'transfer', state: 'CANCELLED' }]), false],
    ['no run read', undefined, false],
  ])('%s', (_label, run, tooLate) => {
    const answer = tooLateFromRecord(run as never, 'req-1.transfer');
    expect(answer?.outcome === 'too_late').toBe(tooLate);
    if (tooLate) expect(answer).toMatchObject({ started_at: step.started_at });
  });
});

describe('a signed revoke', () => {
  const gateway = newSigningKey('gateway');
  const revoke: UnsignedRevoke = { approval_id: 'req-1.transfer', revoked_by: 'owner', workflow_id: 'req-1' };
  const signed = signRevoke(revoke, gateway.signer, NOW, 'nonce-0123456789abcdef');

  it('verifies with the key that signed it, and not once a field changed', () => {
    expect(checkRevokeProof(signed, [gateway.trusted]).valid).toBe(true);
    expect(checkRevokeProof({ ...signed, revoked_by: 'eve' }, [gateway.trusted]).valid).toBe(false);
    expect(checkRevokeProof({ ...signed, approval_id: 'req-2.transfer' }, [gateway.trusted]).valid).toBe(false);
  });

  it('verifies offline in the audit trail, and a tampered one does not', () => {
    expect(signatureProblem('req-1', { kind: 'revoke', message: signed }, [gateway.trusted])).toBeUndefined();
    const tampered = { kind: 'revoke' as const, message: { ...signed, reason: 'changed' } };
    expect(signatureProblem('req-1', tampered, [gateway.trusted])).toContain('does not verify');
  });
});

// The fixtures' run is alice's; bob approves it.
describe('RunState: hold, revoke, or the window ends', () => {
  function approvedRun() {
    const run = stagedTransferRun('first payment', 'first-payment', [{ group: 'approvers', count: 1 }]);
    run.decide({ approval_id: 'req-1.transfer', approved: true, approver_id: 'bob', groups: ['approvers'] });
    expect(run.resolveGate('req-1.transfer')).toBe(true);
    run.holdApproved('req-1.transfer', 600_000);
    return run;
  }
  const revokeBy = (who: string, groups?: string[]) => ({
    approval_id: 'req-1.transfer',
    revoked_by: who,
    ...(groups && { groups }),
  });

  it('holds the approved step until hold_until, on the step, the approval and the timeline', () => {
    const run = approvedRun();
    const step = run.step('transfer');
    expect(step.state).toBe('APPROVED_HOLDING');
    expect(step.hold_until).toBe(run.approval('req-1.transfer')?.hold_until);
    expect(run.timelineAfter(0).map((e) => e.event)).toContain('approval_holding');
    expect(run.isSettled()).toBe(true);
  });

  it('takes a revoke in time: the approval is revoked, the step rejected, and the window ends to nothing', () => {
    const run = approvedRun();
    expect(run.revokeHold(revokeBy('alice', []))).toEqual({ kind: 'revoked' });
    expect(run.approval('req-1.transfer')).toMatchObject({ status: 'revoked', revoked_by: 'alice' });
    expect(run.step('transfer')).toMatchObject({ state: 'REJECTED', error: expect.stringContaining('alice') });
    expect(run.step('transfer').hold_until).toBeUndefined();
    expect(run.endHold('req-1.transfer')).toBe(false);
    expect(run.timelineAfter(0).map((e) => e.event)).toContain('approval_revoked');
  });

  it('answers too_late once the window ended, and the step stays on its way', () => {
    const run = approvedRun();
    expect(run.endHold('req-1.transfer')).toBe(true);
    expect(run.revokeHold(revokeBy('alice'))).toEqual({ kind: 'too_late' });
    expect(run.step('transfer').state).toBe('READY');
    expect(run.approval('req-1.transfer')?.status).toBe('approved');
  });

  it('announces the hold and the revoke to webhook subscribers, with hold_until on the approval', () => {
    const run = approvedRun();
    run.revokeHold(revokeBy('alice'));
    const sent = notificationsOf(run, run.timelineAfter(0));
    expect(sent.map((n) => n.type)).toEqual(
      expect.arrayContaining(['approval.decided', 'approval.holding', 'approval.revoked']),
    );
    const revoked = sent.find((n) => n.type === 'approval.revoked');
    expect(revoked?.data).toMatchObject({ approval: { status: 'revoked', hold_until: expect.any(String) } });
  });

  it('refuses an outsider and records why, changing nothing', () => {
    const run = approvedRun();
    expect(run.revokeHold(revokeBy('eve', ['staff']))).toMatchObject({ kind: 'refused', type: 'ApprovalForbidden' });
    expect(run.step('transfer').state).toBe('APPROVED_HOLDING');
    expect(run.timelineAfter(0).at(-1)).toMatchObject({ event: 'approval_ignored' });
  });
});

describe('the page countdown', () => {
  const until = '2026-12-01T10:10:00.000Z';
  it.each([
    [Date.parse(until) - 125_000, '2:05'],
    [Date.parse(until) - 59_001, '1:00'],
    [Date.parse(until) - 1, '0:01'],
    [Date.parse(until), '0:00'],
    [Date.parse(until) + 5_000, '0:00'],
  ])('at %i reads %s', (now, text) => {
    expect(countdown(until, now)).toBe(text);
  });
});
