/** RunState with approval stages from a policy: what each decision leaves on the approval, the step and the timeline. */
import { describe, expect, it } from 'vitest';
import type { ApprovalDecision } from '../../src/shared/contracts.js';
import { DecisionErrorType } from '../../src/shared/messages.js';
import { APPROVAL_ID, stagedTransferRun, tickingRun, transferPlan } from './run-fixtures.js';

const POLICY = { id: 'bank-test', hash: 'a'.repeat(64) };

const stagedRun = () =>
  stagedTransferRun(
    'Transfers of $5,000.00 or more need two approvers, then a manager',
    'large-transfer',
    [
      { group: 'approvers', count: 2 },
      { group: 'managers', count: 1 },
    ],
    POLICY,
  );
const by = (approver_id: string, groups: string[], approved = true): ApprovalDecision => ({
  approval_id: APPROVAL_ID,
  approved,
  approver_id,
  groups,
});

describe('a staged approval in RunState', () => {
  it('records the policy on the run view and the rule and stages on the approval', () => {
    const view = stagedRun().view();
    expect(view.policy).toEqual(POLICY);
    expect(view.approvals[0]).toMatchObject({
      policy_rule: 'large-transfer',
      stages: [
        { group: 'approvers', count: 2, approved_by: [] },
        { group: 'managers', count: 1, approved_by: [] },
      ],
      current_stage: 0,
      progress: '0 of 2 from approvers (stage 1 of 2)',
      decisions: [],
    });
  });

  it('keeps the step blocked until the last stage completes, recording every counted decision', () => {
    const run = stagedRun();
    expect(run.decide(by('bob', ['approvers'])).accepted).toBe(true);
    expect(run.decide(by('carol', ['approvers', 'managers'])).accepted).toBe(true);
    expect(run.step('transfer').state).toBe('BLOCKED');
    expect(run.approval(APPROVAL_ID)).toMatchObject({
      status: 'pending',
      current_stage: 1,
      progress: '0 of 1 from managers (stage 2 of 2)',
    });

    const twice = run.decide(by('carol', ['approvers', 'managers']));
    expect(twice).toMatchObject({ accepted: false, type: DecisionErrorType.Forbidden });

    expect(run.decide(by('dana', ['managers'])).accepted).toBe(true);
    expect(run.resolveGate(APPROVAL_ID)).toBe(true);
    const approval = run.view().approvals[0]!;
    expect(approval).toMatchObject({ status: 'approved', decided_by: 'dana', progress: 'complete' });
    expect(approval.decisions?.map((d) => [d.by, d.verdict])).toEqual([
      ['bob', 'approve'],
      ['carol', 'approve'],
      ['dana', 'approve'],
    ]);
    expect(
      run
        .timelineAfter(0)
        .map((e) => e.event)
        .filter((e) => e.startsWith('approval_')),
    ).toEqual(['approval_required', 'approval_progress', 'approval_progress', 'approval_ignored', 'approval_approved']);
  });

  it('rejects on one rejection after approvals', () => {
    const run = stagedRun();
    run.decide(by('bob', ['approvers']));
    expect(run.decide(by('carol', ['approvers'], false)).accepted).toBe(true);
    expect(run.resolveGate(APPROVAL_ID)).toBe(false);
    expect(run.step('transfer').state).toBe('REJECTED');
    expect(run.view().approvals[0]?.decisions?.map((d) => d.verdict)).toEqual(['approve', 'reject']);
  });

  it('gives callers copies: changing a view changes nothing in the run', () => {
    const run = stagedRun();
    const view = run.view();
    view.approvals[0]!.stages![0]!.approved_by.push('mallory');
    expect(run.view().approvals[0]?.stages?.[0]?.approved_by).toEqual([]);
  });

  it('refuses a step outright with the policy message', () => {
    const run = tickingRun();
    run.adoptPlan(transferPlan, POLICY);
    run.markReady('transfer');
    run.refuseStep('transfer', 'Too much', 'hard-maximum');
    expect(run.step('transfer')).toMatchObject({ state: 'REJECTED', error: 'Too much' });
    expect(run.timelineAfter(0).at(-1)).toMatchObject({
      event: 'step_refused',
      metadata: { rule: 'hard-maximum', reason: 'Too much' },
    });
    run.finish();
    expect(run.status).toBe('REJECTED');
  });
});
