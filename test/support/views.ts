/** Run views and approval records for the tests of the pure reply and message builders. */
import type { ApprovalRecord, RunView } from '../../src/shared/contracts.js';

/** The banking transfer's approval (6,000.00 from 123 to kiran), pending unless `over` says otherwise. */
export function transferApproval(over: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return bareApproval({
    reason: 'Transfer requires approval (threshold: $5,000.00)',
    amount: 6000,
    amount_cents: 600_000,
    recipient: 'kiran',
    from_account: '123',
    requested_by: 'default_user',
    requested_at: '2025-11-19T10:30:45.123Z',
    // Far ahead, so the judge's deadline (checked at the gateway too) never refuses a fixture.
    expires_at: '2099-11-20T10:30:45.123Z',
    ...over,
  });
}

/**
 * A pending bank-transfer approval requested by alice, with only the fields every approval carries
 * (no amount, arguments or policy): the judge's and the gateway's rule tests add what they judge.
 */
export function bareApproval(over: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    approval_id: 'req-1.transfer',
    workflow_id: 'req-1',
    session_id: 's-1',
    step_id: 'transfer',
    step_name: 'Transfer $6,000.00 → kiran',
    tool: 'bank_transfer',
    risk_level: 'L2',
    reason: 'Transfer requires approval',
    status: 'pending',
    requested_by: 'alice',
    requested_at: '2026-12-01T10:00:00.000Z',
    expires_at: '2099-12-02T10:00:00.000Z',
    ...over,
  };
}

/** A run of the banking transfer, COMPLETED with no steps unless `over` says otherwise. */
export function runView(over: Partial<RunView> = {}): RunView {
  return {
    status: 'COMPLETED',
    steps: [],
    approvals: [],
    workflow_id: 'req-1',
    session_id: 's-1',
    user_id: 'default_user',
    message: 'Transfer 6000 to Kiran',
    intent: 'money_transfer',
    created_at: '2025-11-19T10:30:44.000Z',
    updated_at: '2025-11-19T10:30:45.000Z',
    ...over,
  };
}
