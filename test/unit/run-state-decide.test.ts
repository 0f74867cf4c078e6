/**
 * RunState.decide without a Temporal server: each decision on a waiting approval, on the run's
 * hand-moved clock, with the refusal, status, step state and timeline events it leads to.
 * (run-state.test.ts holds the other transitions.)
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalDecision } from '../../src/shared/contracts.js';
import { DecisionErrorType } from '../../src/shared/messages.js';
import { APPROVAL_ID, approve, blockTransfer, names, newRun, TIMEOUT_MS } from './run-fixtures.js';

describe('RunState.decide', () => {
  const atDeadline = TIMEOUT_MS;
  it.each<
    [string, ApprovalDecision, number, { type?: DecisionErrorType; status: string; step: string; events: string[] }]
  >([
    [
      'a second person approves in time',
      approve('manager@bank.com'),
      1_000,
      { status: 'approved', step: 'BLOCKED', events: ['approval_approved'] },
    ],
    [
      'the requester withdraws (rejects) their own transfer',
      approve('alice', false),
      1_000,
      { status: 'rejected', step: 'BLOCKED', events: ['approval_rejected'] },
    ],
    [
      'the requester approves their own transfer',
      approve('alice'),
      1_000,
      { type: DecisionErrorType.Forbidden, status: 'pending', step: 'BLOCKED', events: ['approval_ignored'] },
    ],
    [
      'an approval that does not exist',
      approve('manager@bank.com', true, 'req-1.nope'),
      1_000,
      { type: DecisionErrorType.UnknownApproval, status: 'pending', step: 'BLOCKED', events: ['approval_ignored'] },
    ],
    [
      '1 ms before expires_at',
      approve('manager@bank.com'),
      atDeadline - 1,
      { status: 'approved', step: 'BLOCKED', events: ['approval_approved'] },
    ],
    [
      'exactly at expires_at',
      approve('manager@bank.com'),
      atDeadline,
      {
        type: DecisionErrorType.Expired,
        status: 'expired',
        step: 'REJECTED',
        events: ['approval_ignored', 'approval_expired'],
      },
    ],
    [
      '100 ms after expires_at, before the timer fired',
      approve('manager@bank.com'),
      atDeadline + 100,
      {
        type: DecisionErrorType.Expired,
        status: 'expired',
        step: 'REJECTED',
        events: ['approval_ignored', 'approval_expired'],
      },
    ],
    [
      'a forbidden decider after expires_at',
      approve('alice'),
      atDeadline + 100,
      {
        type: DecisionErrorType.Expired,
        status: 'expired',
        step: 'REJECTED',
        events: ['approval_ignored', 'approval_expired'],
      },
    ],
  ])('%s', (_what, decision, afterMs, expected) => {
    const { run, seen, advance } = newRun();
    blockTransfer(run);
    const before = { events: run.timelineAfter(0).length, publishes: seen.length };
    advance(afterMs);
    const result = run.decide(decision);
    expect(result.accepted).toBe(expected.type === undefined);
    if (!result.accepted) expect(result.type).toBe(expected.type);
    expect(run.approval(APPROVAL_ID)!.status).toBe(expected.status);
    expect(run.step('transfer').state).toBe(expected.step);
    const added = run.timelineAfter(before.events);
    expect(added.map((e) => e.event)).toEqual(expected.events);
    if (expected.type !== undefined)
      expect(added[0]!.metadata).toMatchObject({ reason: expected.type, approver_id: decision.approver_id });
    // One decision is one change: one publish, whatever it did.
    expect(seen.length - before.publishes).toBe(1);
  });

  it('ignores a decision on an approval already decided, and records it', () => {
    const { run } = newRun();
    blockTransfer(run);
    run.decide(approve('manager@bank.com', false));
    const second = run.decide(approve('ops'));
    expect(second).toMatchObject({
      accepted: false,
      type: DecisionErrorType.AlreadyDecided,
      message: `Approval ${APPROVAL_ID} is already rejected`,
    });
    expect(run.approval(APPROVAL_ID)).toMatchObject({ status: 'rejected', decided_by: 'manager@bank.com' });
  });

  it.each([
    ['a rejection rejects the step, and the run with it', {}, 'REJECTED', 'REJECTED'],
    [
      'a skip in a review skips the step, and the run goes on to complete',
      { review_choice: 'skip' },
      'SKIPPED',
      'COMPLETED',
    ],
  ])('%s', (_name, provenance, stepState, runStatus) => {
    const { run } = newRun();
    blockTransfer(run);
    run.decide(approve('manager@bank.com', false), provenance);
    expect(run.resolveGate(APPROVAL_ID)).toBe(false);
    expect(run.step('transfer').state).toBe(stepState);
    expect(run.approval(APPROVAL_ID)?.status).toBe('rejected');
    run.finish();
    expect(run.view().status).toBe(runStatus);
  });

  it('a refused late decision leaves nothing for the timer to do', () => {
    const { run, seen, advance } = newRun();
    blockTransfer(run);
    advance(TIMEOUT_MS);
    run.decide(approve('manager@bank.com'));
    const publishes = seen.length;
    run.expireApproval(APPROVAL_ID);
    expect(run.resolveGate(APPROVAL_ID)).toBe(false);
    expect(seen).toHaveLength(publishes);
    expect(names(run.timelineAfter(0)).filter((e) => e.startsWith('approval_expired'))).toHaveLength(1);
  });

  it('records a malformed decision and publishes once', () => {
    const { run, seen } = newRun();
    blockTransfer(run);
    const publishes = seen.length;
    run.ignoreMalformedDecision('approved: expected boolean');
    expect(run.timelineAfter(0).at(-1)).toMatchObject({ event: 'approval_ignored', metadata: { reason: 'malformed' } });
    expect(seen).toHaveLength(publishes + 1);
  });
});
