/**
 * Approval records and decisions the approval judge's tables share: a transfer, its edits, staged,
 * escalated and delegated versions, and who proposes what.
 */
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import type { Decider, ProposedDecision } from '../../src/shared/approval/judge.js';
import { bareApproval } from './views.js';

export const NOW = '2026-12-01T10:00:30.000Z';
export const HASH = 'a'.repeat(64);
export const OTHER_HASH = 'b'.repeat(64);
export const RUN = 'run-1111';
export const args = { from_account: '123', to_account: 'kiran', amount_cents: 600_000 };

export const transfer: ApprovalRecord = bareApproval({
  run_id: RUN,
  risk_level: 'L3',
  reason: 'large transfer',
  expires_at: '2026-12-01T10:01:00.000Z',
  action_hash: HASH,
  args,
});
export const edited: ApprovalRecord = { ...transfer, edits: 1, edited_by: 'carol', action_hash: OTHER_HASH };
export const editedByRequester: ApprovalRecord = { ...transfer, edits: 1, edited_by: 'alice' };
export const jobSubmit: ApprovalRecord = { ...transfer, tool: 'job_submit', args: { count: 2 }, step_name: 'Apply' };
export const calendarL2: ApprovalRecord = { ...jobSubmit, tool: 'calendar_create', risk_level: 'L2' };
export const staged: ApprovalRecord = {
  ...transfer,
  policy_rule: 'large-transfer',
  stages: [
    { group: 'approvers', count: 2, approved_by: ['bob'] },
    { group: 'managers', count: 1, approved_by: [] },
  ],
  current_stage: 0,
  requester_may_approve: false,
  decisions: [{ by: 'bob', verdict: 'approve', at: NOW }],
};
export const stagedEdited: ApprovalRecord = {
  ...staged,
  edits: 1,
  edited_by: 'carol',
  decisions: [],
  action_hash: OTHER_HASH,
};
export const escalated: ApprovalRecord = { ...staged, escalated_to: 'managers' };
export const delegated: ApprovalRecord = {
  ...staged,
  delegations: [{ from: 'dan', to: 'erin', to_kind: 'person', groups: ['approvers'], reason: 'away', at: NOW }],
};
export const delegatedByCounted: ApprovalRecord = {
  ...staged,
  delegations: [{ from: 'bob', to: 'erin', to_kind: 'person', groups: ['approvers'], reason: 'away', at: NOW }],
};
export const lastApproval: ApprovalRecord = {
  ...staged,
  stages: [
    { group: 'approvers', count: 2, approved_by: ['bob', 'dan'] },
    { group: 'managers', count: 1, approved_by: [] },
  ],
  current_stage: 1,
};

export const person = (id: string, ...groups: string[]): Decider => ({ id, groups });
export const approve = (decider: Decider, over: Partial<ProposedDecision> = {}): ProposedDecision => ({
  approved: true,
  decider,
  actionHash: HASH,
  ...over,
});
export const reject = (decider: Decider): ProposedDecision => ({ approved: false, decider, actionHash: HASH });
export const run = { now: NOW, checkRun: true };
