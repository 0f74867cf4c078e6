/** The gateway's decision rules and the choice of a session's approval: pure, table-driven. */
import { describe, expect, it } from 'vitest';
import { alreadyDecidedAsAsked, decisionRefusal, onlyPendingApproval } from '../../src/gateway/approvals/rules.js';
import type { Identity } from '../../src/gateway/auth.js';
import type { ApprovalRecord } from '../../src/shared/contracts.js';

function record(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    approval_id: 'req-1.transfer',
    workflow_id: 'req-1',
    session_id: 's',
    step_id: 'transfer',
    step_name: 'Transfer $6,000.00 to kiran',
    tool: 'bank_transfer',
    risk_level: 'L2',
    reason: 'Transfer requires approval',
    status: 'pending',
    requested_by: 'alice',
    requested_at: '2026-12-01T10:00:00.000Z',
    expires_at: '2099-12-02T10:00:00.000Z',
    ...overrides,
  };
}
const jobSubmit = record({ approval_id: 'req-1.apply', step_id: 'apply', tool: 'job_submit', risk_level: 'L3' });
const calendar = record({ approval_id: 'req-1.gym', step_id: 'gym', tool: 'calendar_create', risk_level: 'L2' });

const anonymous: Identity = { kind: 'anonymous' };
const alice: Identity = { kind: 'token', user_id: 'alice', role: 'requester' };
const bob: Identity = { kind: 'token', user_id: 'bob', role: 'requester' };
const manager: Identity = { kind: 'token', user_id: 'manager@bank.com', role: 'approver' };

describe('decisionRefusal', () => {
  it.each<[string, Identity, ApprovalRecord, boolean, string, number | undefined]>([
    ['an approver approves a transfer', manager, record(), true, 'manager@bank.com', undefined],
    ['an approver rejects a transfer', manager, record(), false, 'manager@bank.com', undefined],
    ['the requester withdraws their transfer (token)', alice, record(), false, 'alice', undefined],
    ['the requester withdraws their transfer (auth off)', anonymous, record(), false, 'alice', undefined],
    ['the requester approves their transfer (token)', alice, record(), true, 'alice', 403],
    ['the requester approves their transfer (auth off)', anonymous, record(), true, 'alice', 403],
    ['the requester approves under another case (auth off)', anonymous, record(), true, 'ALICE', 403],
    ['the requester confirms their L3 job submission', alice, jobSubmit, true, 'alice', undefined],
    ['the requester approves their L2 calendar step', alice, calendar, true, 'alice', 403],
    ['the requester withdraws their L2 calendar step', alice, calendar, false, 'alice', undefined],
    ["another requester rejects alice's transfer", bob, record(), false, 'bob', 403],
    ['an approver decides an approved one', manager, record({ status: 'approved' }), true, 'manager@bank.com', 409],
    ['the requester withdraws an expired one', alice, record({ status: 'expired' }), false, 'alice', 409],
  ])('%s', (_name, identity, approval, approved, deciderId, status) => {
    const refusal = decisionRefusal(identity, approval, { approved, deciderId });
    expect(refusal?.status).toBe(status);
  });

  it.each<[string, string | undefined, number | undefined, string | undefined]>([
    ['no action hash sent', undefined, undefined, undefined],
    ['the action hash the approver saw', 'a'.repeat(64), undefined, undefined],
    ['another action hash', 'b'.repeat(64), 409, 'stale_approval'],
  ])('binds to the action: %s', (_name, actionHash, status, code) => {
    const refusal = decisionRefusal(manager, record({ action_hash: 'a'.repeat(64) }), {
      approved: true,
      deciderId: 'manager@bank.com',
      actionHash,
    });
    expect(refusal?.status).toBe(status);
    expect(refusal?.code).toBe(code);
  });

  it('an approval without an action hash (an older run) is stale for any hash sent', () => {
    expect(
      decisionRefusal(manager, record(), {
        approved: true,
        deciderId: 'manager@bank.com',
        actionHash: 'a'.repeat(64),
      })?.code,
    ).toBe('stale_approval');
  });

  it('names the rule it applies', () => {
    expect(decisionRefusal(anonymous, record(), { approved: true, deciderId: 'alice' })?.message).toMatch(/four-eyes/);
    expect(decisionRefusal(alice, record(), { approved: true, deciderId: 'alice' })?.message).toMatch(/withdraw/);
    expect(
      decisionRefusal(manager, record({ status: 'rejected' }), {
        approved: true,
        deciderId: 'manager@bank.com',
      })?.message,
    ).toMatch(/already rejected/);
  });
});

describe('decisionRefusal on a staged approval (from the memo record, as the workflow judges it)', () => {
  const staged = (approvedBy: string[] = [], current = 0) =>
    record({
      policy_rule: 'large-transfer',
      stages: [
        { group: 'approvers', count: 2, approved_by: approvedBy },
        { group: 'managers', count: 1, approved_by: [] },
      ],
      current_stage: current,
      requester_may_approve: false,
    });
  const approver: Identity = { kind: 'token', user_id: 'bob', role: 'approver', groups: ['approvers'] };
  it.each<[string, ApprovalRecord, boolean, string, string[] | undefined, number | undefined]>([
    ['a member of the stage deciding now approves', staged(), true, 'bob', ['approvers'], undefined],
    ['someone outside the stage deciding now approves', staged(), true, 'dana', ['managers'], 403],
    ['someone without groups approves', staged(), true, 'dana', undefined, 403],
    ['a person who already approved approves again', staged(['bob']), true, 'bob', ['approvers'], 403],
    ['the requester approves their own', staged(), true, 'alice', ['approvers'], 403],
    ['the requester withdraws their own', staged(), false, 'alice', undefined, undefined],
    [
      'the next stage decides once the first is complete',
      staged(['bob', 'carol'], 1),
      true,
      'dana',
      ['managers'],
      undefined,
    ],
    [
      'the first stage no longer decides once it is complete',
      staged(['bob', 'carol'], 1),
      true,
      'erin',
      ['approvers'],
      403,
    ],
  ])('%s', (_name, approval, approved, deciderId, groups, status) => {
    expect(decisionRefusal(approver, approval, { approved, deciderId, groups })?.status).toBe(status);
  });
});

describe('alreadyDecidedAsAsked (a retried bulk item)', () => {
  const vote = (by: string, verdict: 'approve' | 'reject') => ({ by, verdict, at: '2026-12-01T10:05:00.000Z' });
  it.each<[string, ApprovalRecord, boolean, string, boolean]>([
    [
      'approved by the same person',
      record({ status: 'approved', decided_by: 'manager@bank.com' }),
      true,
      'manager@bank.com',
      true,
    ],
    [
      'approved by the same person under another case',
      record({ status: 'approved', decided_by: 'Manager@bank.com' }),
      true,
      'manager@bank.com',
      true,
    ],
    [
      'approved by someone else',
      record({ status: 'approved', decided_by: 'other@bank.com' }),
      true,
      'manager@bank.com',
      false,
    ],
    [
      'rejected by the same person, approval asked',
      record({ status: 'rejected', decided_by: 'manager@bank.com' }),
      true,
      'manager@bank.com',
      false,
    ],
    [
      'rejected by the same person, rejection asked',
      record({ status: 'rejected', decided_by: 'manager@bank.com' }),
      false,
      'manager@bank.com',
      true,
    ],
    ['still pending', record(), true, 'manager@bank.com', false],
    ['pending with their vote counted on a stage', record({ decisions: [vote('bob', 'approve')] }), true, 'bob', true],
    ['pending with another vote counted', record({ decisions: [vote('carol', 'approve')] }), true, 'bob', false],
  ])('%s', (_name, approval, approved, deciderId, expected) => {
    expect(alreadyDecidedAsAsked(approval, { approved, deciderId })).toBe(expected);
  });
});

describe('onlyPendingApproval', () => {
  const b = record({ approval_id: 'r1.b' });
  const c = record({ approval_id: 'r2.c', workflow_id: 'r2' });

  it('is the only pending approval, or none', () => {
    expect(onlyPendingApproval('s', [b])).toBe(b);
    expect(onlyPendingApproval('s', [])).toBeUndefined();
  });

  it('never picks by position: two pending is 409 ambiguous_approval listing both', () => {
    let thrown: unknown;
    try {
      onlyPendingApproval('s', [b, c]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ status: 409, code: 'ambiguous_approval', details: { pending_approvals: [b, c] } });
  });
});
