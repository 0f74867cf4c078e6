/** Steps held for an operator: RunState's transitions and the rules for each action, without a server. */
import { describe, expect, it } from 'vitest';
import type { StepAction, StepView } from '../../src/shared/contracts.js';
import { StepActionErrorType } from '../../src/shared/messages.js';
import { awaitsOnlyPeople, liveRunStatus } from '../../src/shared/run-status.js';
import { readiness } from '../../src/shared/dag.js';
import { stepIdempotencyKeyOf } from '../../workflows/step-idempotency-key.js';
import { wrongRunRefusal } from '../../workflows/run-attention.js';
import { chainPlan, handClockRun, transferPlan, RUN_POLICY } from './run-fixtures.js';

const DEADLINE_MS = 60_000;

function heldTransfer() {
  const { run, advance } = handClockRun();
  run.adoptPlan(transferPlan, RUN_POLICY);
  run.markReady('transfer');
  run.startAttempt('transfer');
  run.holdForAttention('transfer', { message: 'connect ECONNREFUSED', retryable: true }, DEADLINE_MS);
  return { run, advance };
}

const action = (a: Partial<StepAction> & Pick<StepAction, 'action'>): StepAction => ({
  step_id: 'transfer',
  decided_by: 'ops',
  ...a,
});

describe('holding a step', () => {
  it('shows why, since when and until when, and keeps the run EXECUTING but settled', () => {
    const { run } = heldTransfer();
    expect(run.step('transfer')).toMatchObject({
      state: 'NEEDS_ATTENTION',
      error: 'connect ECONNREFUSED',
      attention: {
        since: '2026-12-01T10:00:00.000Z',
        deadline: '2026-12-01T10:01:00.000Z',
        last_error: 'connect ECONNREFUSED',
        attempts: 1,
      },
    });
    expect(run.status).toBe('EXECUTING');
    expect(run.isSettled()).toBe(true);
    expect(run.timelineAfter(0).at(-1)).toMatchObject({
      event: 'step_needs_attention',
      step_id: 'transfer',
      metadata: { attempt: 1 },
    });
    expect(run.heldSteps()).toEqual([
      expect.objectContaining({ workflow_id: 'req-1', step_id: 'transfer', user_id: 'alice' }),
    ]);
  });

  it('is not final: dependents wait, and a run with another step moving is not settled', () => {
    expect(readiness(['a'], () => 'NEEDS_ATTENTION')).toEqual({ kind: 'waiting' });
    const steps = [
      { id: 'a', state: 'NEEDS_ATTENTION', depends_on: [] },
      { id: 'b', state: 'RUNNING', depends_on: [] },
    ] as const;
    expect(awaitsOnlyPeople(steps)).toBe(false);
    expect(liveRunStatus(steps)).toBe('EXECUTING');
    expect(awaitsOnlyPeople([steps[0], { id: 'c', state: 'PENDING', depends_on: ['a'] }])).toBe(true);
  });
});

describe('operator actions', () => {
  it.each([
    ['retry', action({ action: 'retry', reason: 'bank is back' }), 'READY', 'step_ready'],
    ['skip', action({ action: 'skip', reason: 'paid by hand' }), 'SKIPPED', 'step_skipped'],
    ['fail', action({ action: 'fail' }), 'FAILED', 'step_failed'],
  ] as const)('%s moves the step to %s, recorded with who and why', (_name, act, state, event) => {
    const { run } = heldTransfer();
    expect(run.actOnStep(act)).toEqual({ allowed: true });
    expect(run.step('transfer').state).toBe(state);
    expect(run.step('transfer').attention).toBeUndefined();
    expect(run.heldSteps()).toEqual([]);
    expect(run.timelineAfter(0).at(-1)).toMatchObject({
      event,
      step_id: 'transfer',
      metadata: { action: act.action, decided_by: 'ops' },
    });
  });

  it('retry with edits replaces the args, counts the edit and gives the writes a new idempotency key', () => {
    const { run } = heldTransfer();
    const args = { from_account: '123', to_account: 'kiran', amount_cents: 100 };
    expect(run.actOnStep(action({ action: 'retry_with_edits', args }))).toEqual({ allowed: true, args });
    expect(run.step('transfer')).toMatchObject({ state: 'READY', args, edits: 1 });
    expect(stepIdempotencyKeyOf('req-1', run.step('transfer'))).toBe('req-1:transfer:edit1');
    expect(stepIdempotencyKeyOf('req-1', { id: 'transfer' })).toBe('req-1:transfer');
  });

  it.each([
    [
      'args the tool refuses',
      heldTransfer,
      action({ action: 'retry_with_edits', args: { amount_cents: -1 } }),
      StepActionErrorType.InvalidArgs,
      /args\.amount_cents/,
    ],
    [
      'an unknown step',
      heldTransfer,
      action({ action: 'retry', step_id: 'nope' }),
      StepActionErrorType.UnknownStep,
      /No step nope/,
    ],
  ] as const)('refuses %s and changes nothing', (_what, setup, act, type, message) => {
    const { run } = setup();
    const before = run.view();
    const verdict = run.actOnStep(act);
    expect(verdict).toMatchObject({ allowed: false, type, message: expect.stringMatching(message) });
    expect(run.view()).toEqual(before);
  });

  it('refuses a step that is not held, and any action at or after the deadline', () => {
    const { run, advance } = heldTransfer();
    advance(DEADLINE_MS);
    expect(run.actOnStep(action({ action: 'retry' }))).toMatchObject({
      allowed: false,
      type: StepActionErrorType.NotHeld,
    });
    run.expireAttention('transfer');
    expect(run.step('transfer').state).toBe('FAILED');
    expect(run.timelineAfter(0).at(-1)).toMatchObject({
      event: 'step_failed',
      metadata: { reason: 'attention_deadline' },
    });
    expect(run.actOnStep(action({ action: 'skip' }))).toMatchObject({
      allowed: false,
      type: StepActionErrorType.NotHeld,
    });
    run.finish();
    expect(run.status).toBe('FAILED');
  });

  it('a skipped held step skips its dependents by the usual rule and the run completes', () => {
    const { run } = handClockRun(() => undefined, 'req-2');
    run.adoptPlan(chainPlan, RUN_POLICY);
    run.markReady('search');
    run.startAttempt('search');
    run.holdForAttention('search', { message: 'timeout', retryable: true }, DEADLINE_MS);
    run.actOnStep({ step_id: 'search', action: 'skip', decided_by: 'ops' });
    expect(readiness(['search'], (id) => run.step(id).state)).toEqual({ kind: 'blocked', blockers: ['search'] });
    run.skipStep('tailor', ['search']);
    run.finish();
    expect(run.status).toBe('COMPLETED');
  });
});

describe('the run an action names', () => {
  const since = '2026-12-01T10:00:00.000Z';
  const heldIn = (runId: string | undefined): StepView => ({
    id: 'transfer',
    name: 'Transfer',
    tool: 'bank_transfer',
    args: {},
    risk_level: 'L3',
    depends_on: [],
    state: 'NEEDS_ATTENTION',
    attempts: 3,
    attention: {
      since,
      deadline: '2026-12-01T10:01:00.000Z',
      last_error: 'down',
      attempts: 3,
      ...(runId !== undefined && { run_id: runId }),
    },
  });
  it.each([
    ['the run the step is held in', 'run-a', 'run-a', true],
    ['another run under the same workflow id, at the same hold time', 'run-a', 'run-b', false],
    ['no run, on a hold that has one', 'run-a', undefined, false],
    ['any run, on a hold outside a workflow (no run id)', undefined, 'run-b', true],
  ] as const)('an action naming %s is allowed: %s', (_name, heldRun, namedRun, allowed) => {
    const act = action({ action: 'retry', held_since: since, ...(namedRun !== undefined && { run_id: namedRun }) });
    const refusal = wrongRunRefusal(heldIn(heldRun), act);
    if (allowed) expect(refusal).toBeUndefined();
    else expect(refusal).toMatchObject({ type: StepActionErrorType.WrongRun, message: /another run moves nothing/ });
  });
});
