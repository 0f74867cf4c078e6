/**
 * One signed decision delivered twice (the update a gateway gave up on, then its fallback signal)
 * goes through applyAuthenticatedDecision both times and counts once; a new signature of the
 * same verdict is a new decision and is judged as one.
 */
import { describe, expect, it } from 'vitest';
import { DecisionErrorType } from '../../src/shared/messages.js';
import type { RunState } from '../../workflows/run-state.js';
import { applyAuthenticatedDecision } from '../../workflows/decision-gate.js';
import { signedAsGateway, TEST_DECISION_KEYS } from '../../dev/stack-secrets.js';
import { APPROVAL_ID, blockTransfer, stagedTransferRun, tickingRun } from './run-fixtures.js';

const stagedRun = () => stagedTransferRun('two approvers', 'two', [{ group: 'approvers', count: 2 }]);
/** A gateway-signed approval by `approver_id` of `groups`. */
const signedApproval = (approver_id: string, groups: string[], action_hash?: string) =>
  signedAsGateway({
    approval_id: APPROVAL_ID,
    approved: true,
    approver_id,
    groups,
    ...(action_hash === undefined ? {} : { action_hash }),
  });
const approvalEvents = (run: RunState) =>
  run
    .timelineAfter(0)
    .map((e) => e.event)
    .filter((e) => e.startsWith('approval_'));

describe('applyAuthenticatedDecision, delivered more than once', () => {
  it.each([
    ['an approval', true, 'approval_approved', 'approved'],
    ['a rejection', false, 'approval_rejected', 'rejected'],
  ] as const)('%s delivered by update and again by signal counts once', (_name, approved, event, status) => {
    const run = tickingRun();
    blockTransfer(run);
    const decision = signedAsGateway({ approval_id: APPROVAL_ID, approved, approver_id: 'manager@bank.com' });
    const first = applyAuthenticatedDecision(run, decision, TEST_DECISION_KEYS);
    const second = applyAuthenticatedDecision(run, decision, TEST_DECISION_KEYS);
    expect(first).toMatchObject({ accepted: true });
    expect(second).toEqual(first);
    expect(run.approval(APPROVAL_ID)?.status).toBe(status);
    expect(approvalEvents(run)).toEqual(['approval_required', event]);
  });

  it('a staged approval counts a repeated delivery once, and the same person signing again is refused', () => {
    const run = stagedRun();
    const bob = signedApproval('bob', ['approvers']);
    expect(applyAuthenticatedDecision(run, bob, TEST_DECISION_KEYS)).toMatchObject({ accepted: true });
    expect(applyAuthenticatedDecision(run, bob, TEST_DECISION_KEYS)).toMatchObject({ accepted: true });
    expect(run.approval(APPROVAL_ID)).toMatchObject({ status: 'pending', progress: '1 of 2 from approvers' });
    const bobAgain = signedApproval('bob', ['approvers']);
    expect(applyAuthenticatedDecision(run, bobAgain, TEST_DECISION_KEYS)).toMatchObject({
      accepted: false,
      type: DecisionErrorType.Forbidden,
    });
    expect(approvalEvents(run)).toEqual(['approval_required', 'approval_progress', 'approval_ignored']);
  });

  it.each([
    ['the hash it was asked under', true],
    ['another hash', false],
  ] as const)('a decision bound to %s is judged accordingly', (_name, matches) => {
    const run = stagedRun();
    const current = run.approval(APPROVAL_ID)!.action_hash!;
    expect(current).toMatch(/^[0-9a-f]{64}$/);
    const decision = signedApproval('bob', ['approvers'], matches ? current : 'f'.repeat(64));
    const result = applyAuthenticatedDecision(run, decision, TEST_DECISION_KEYS);
    if (matches) expect(result).toMatchObject({ accepted: true });
    else expect(result).toMatchObject({ accepted: false, type: DecisionErrorType.Stale });
    expect(run.approval(APPROVAL_ID)?.progress).toBe(matches ? '1 of 2 from approvers' : '0 of 2 from approvers');
  });

  it('a refused decision delivered twice is recorded once', () => {
    const run = stagedRun();
    const outsider = signedApproval('dana', ['managers']);
    expect(applyAuthenticatedDecision(run, outsider, TEST_DECISION_KEYS)).toMatchObject({ accepted: false });
    expect(applyAuthenticatedDecision(run, outsider, TEST_DECISION_KEYS)).toMatchObject({ accepted: false });
    expect(approvalEvents(run)).toEqual(['approval_required', 'approval_ignored']);
  });
});
