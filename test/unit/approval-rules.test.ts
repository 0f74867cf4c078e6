/** The gateway's answers on a decision and the choice of a session's approval: pure, table-driven. */
import { describe, expect, it } from 'vitest';
import { decisionRefusal, onlyPendingApproval } from '../../gateway/approvals/rules.js';
import type { Identity } from '../../gateway/auth.js';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { bareApproval } from '../support/views.js';

function record(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return bareApproval({ session_id: 's', step_name: 'Transfer $6,000.00 to kiran', ...overrides });
}
const jobSubmit = record({ approval_id: 'req-1.apply', step_id: 'apply', tool: 'job_submit', risk_level: 'L3' });
const calendar = record({ approval_id: 'req-1.gym', step_id: 'gym', tool: 'calendar_create', risk_level: 'L2' });

const anonymous: Identity = { kind: 'anonymous' };
const alice: Identity = { kind: 'token', user_id: 'alice', role: 'requester' };
const bob: Identity = { kind: 'token', user_id: 'bob', role: 'requester' };
const manager: Identity = { kind: 'token', user_id: 'manager@bank.com', role: 'approver' };

/**
 * The rules themselves are the approval judge's, tabled in test/unit/approval-judge.test.ts; here
 * only what the gateway adds: the caller's token role, and the HTTP answer of each refusal.
 */
describe('decisionRefusal: the judge, answered in HTTP', () => {
  it.each<[string, Identity, ApprovalRecord, boolean, string, number | undefined, string | undefined]>([
    ['an approver approves a transfer', manager, record(), true, 'manager@bank.com', undefined, undefined],
    ['the requester approves their transfer (four eyes)', anonymous, record(), true, 'ALICE', 403, 'forbidden'],
    ["a requester token decides another's run", bob, record(), false, 'bob', 403, 'forbidden'],
    ['the requester confirms their L3 step (token role)', alice, jobSubmit, true, 'alice', undefined, undefined],
    ['the requester approves their L2 step (token role)', alice, calendar, true, 'alice', 403, 'forbidden'],
    ['an approved one', manager, record({ status: 'approved' }), true, 'manager@bank.com', 409, 'conflict'],
    ['a look-alike id', anonymous, record(), true, 'al\u0131ce', 400, 'invalid_request'],
  ])('%s', (_name, identity, approval, approved, deciderId, status, code) => {
    const refusal = decisionRefusal(identity, approval, { approved, deciderId });
    expect(refusal?.status).toBe(status);
    expect(refusal?.code).toBe(code);
  });

  it('a stale decision is 409 stale_approval carrying the approval as it waits now', () => {
    const edited = record({ action_hash: 'b'.repeat(64), edits: 1 });
    const refusal = decisionRefusal(manager, edited, { approved: true, deciderId: 'manager@bank.com' });
    expect(refusal).toMatchObject({ status: 409, code: 'stale_approval', details: { current_approval: edited } });
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
