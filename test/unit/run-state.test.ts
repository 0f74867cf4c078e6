/**
 * RunState, the run's whole state machine, without a Temporal server: the clock and the publish
 * hook are handed in, so each transition, its timeline events and what it publishes are checked here.
 * (run-state-decide.test.ts holds RunState.decide.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunView } from '../../src/shared/contracts.js';
import type { RunState } from '../../workflows/run-state.js';
import {
  APPROVAL_ID,
  approve,
  blockTransfer,
  chainPlan,
  names,
  newRun,
  START,
  transferPlan,
  RUN_POLICY,
} from './run-fixtures.js';

type Script = (run: RunState, advance: (ms: number) => void) => void;

/** The timeline of a transfer that waits for approval, up to the approval it asks for. */
const TRANSFER_BLOCKED = [
  'plan_created',
  'step_ready:transfer',
  'step_blocked:transfer',
  'approval_required:transfer',
] as const;

describe('RunState transitions', () => {
  it.each<[string, Script, Partial<RunView>, string[], number]>([
    [
      'a step that runs once and succeeds',
      (run) => {
        run.adoptPlan(transferPlan, RUN_POLICY);
        run.markReady('transfer');
        run.startAttempt('transfer');
        run.recordSuccess('transfer', { ok: true });
        run.finish();
      },
      { status: 'COMPLETED' },
      ['plan_created', 'step_ready:transfer', 'step_running:transfer', 'step_succeeded:transfer', 'workflow_complete'],
      5,
    ],
    [
      'a retried step that then fails',
      (run) => {
        run.adoptPlan(transferPlan, RUN_POLICY);
        run.markReady('transfer');
        run.startAttempt('transfer');
        run.recordRetry('transfer', { message: 'timeout', retryable: true }, 200);
        run.startAttempt('transfer');
        run.recordFailure('transfer', { message: 'Insufficient funds', retryable: false, type: 'InsufficientFunds' });
        run.finish();
      },
      { status: 'FAILED', failure_kind: 'step_failed', error: 'transfer: Insufficient funds' },
      [
        'plan_created',
        'step_ready:transfer',
        'step_running:transfer',
        'step_retrying:transfer',
        'step_running:transfer',
        'step_failed:transfer',
        'workflow_failed',
      ],
      7,
    ],
    [
      'a dependent of a failed step is skipped',
      (run) => {
        run.adoptPlan(chainPlan, RUN_POLICY);
        run.markReady('search');
        run.startAttempt('search');
        run.recordFailure('search', { message: 'bad query', retryable: false });
        run.skipStep('tailor', ['search']);
        run.finish();
      },
      { status: 'FAILED', error: 'search: bad query' },
      [
        'plan_created',
        'step_ready:search',
        'step_running:search',
        'step_failed:search',
        'step_skipped:tailor',
        'workflow_failed',
      ],
      6,
    ],
    [
      'an approved transfer',
      (run) => {
        blockTransfer(run);
        run.decide(approve('manager@bank.com'));
        expect(run.resolveGate(APPROVAL_ID)).toBe(true);
        run.startAttempt('transfer');
        run.recordSuccess('transfer', { ok: true });
        run.finish();
      },
      { status: 'COMPLETED' },
      [
        ...TRANSFER_BLOCKED,
        'approval_approved:transfer',
        'step_ready:transfer',
        'step_running:transfer',
        'step_succeeded:transfer',
        'workflow_complete',
      ],
      8,
    ],
    [
      'a rejected transfer',
      (run) => {
        blockTransfer(run);
        run.decide(approve('manager@bank.com', false));
        expect(run.resolveGate(APPROVAL_ID)).toBe(false);
        run.finish();
      },
      { status: 'REJECTED' },
      [...TRANSFER_BLOCKED, 'approval_rejected:transfer', 'workflow_failed'],
      6,
    ],
    [
      'an approval nobody decides: expiry rejects the step in the same change',
      (run) => {
        blockTransfer(run);
        run.expireApproval(APPROVAL_ID);
        expect(run.resolveGate(APPROVAL_ID)).toBe(false);
        run.finish();
      },
      { status: 'REJECTED' },
      [...TRANSFER_BLOCKED, 'approval_expired:transfer', 'workflow_failed'],
      5,
    ],
    [
      'a message the planner did not understand',
      (run) => run.failBeforePlan('not_understood', 'I did not understand'),
      { status: 'FAILED', failure_kind: 'not_understood', error: 'I did not understand', steps: [] },
      ['workflow_failed'],
      1,
    ],
    [
      'cancelled while waiting for a person',
      (run) => {
        blockTransfer(run);
        run.cancel();
      },
      { status: 'CANCELLED' },
      [...TRANSFER_BLOCKED, 'workflow_cancelled'],
      4,
    ],
  ])('%s', (_what, script, view, events, publishes) => {
    const { run, seen, advance } = newRun();
    script(run, advance);
    expect(run.view()).toMatchObject(view);
    expect(names(run.timelineAfter(0))).toEqual(events);
    expect(seen).toHaveLength(publishes);
    // Each publish comes after a change, so it sees the timeline at least as long as the one before.
    expect(seen.map((s) => s.events)).toEqual([...seen.map((s) => s.events)].sort((a, b) => a - b));
  });

  it('numbers the timeline from 1 and stamps each event with the clock', () => {
    const { run, advance } = newRun();
    run.adoptPlan(transferPlan, RUN_POLICY);
    advance(1_000);
    run.markReady('transfer');
    advance(1_000);
    run.startAttempt('transfer');
    const timeline = run.timelineAfter(0);
    expect(timeline.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(timeline.map((e) => e.timestamp)).toEqual([0, 1_000, 2_000].map((ms) => new Date(START + ms).toISOString()));
    expect(run.timelineAfter(2).map((e) => e.seq)).toEqual([3]);
    expect(timeline[0]!.metadata).toEqual({
      intent: 'money_transfer',
      steps: [{ id: 'transfer', tool: 'bank_transfer', risk_level: 'L2', depends_on: [] }],
    });
    expect(timeline[2]!.metadata).toEqual({ attempt: 1 });
    expect(run.step('transfer')).toMatchObject({
      state: 'RUNNING',
      attempts: 1,
      started_at: new Date(START + 2_000).toISOString(),
    });
  });

  it('records attempts, retries and results on the step', () => {
    const { run } = newRun();
    run.adoptPlan(transferPlan, RUN_POLICY);
    run.markReady('transfer');
    run.startAttempt('transfer');
    run.recordRetry('transfer', { message: 'timeout', retryable: true }, 400);
    expect(run.step('transfer')).toMatchObject({ state: 'RUNNING', attempts: 1, error: 'timeout' });
    expect(run.timelineAfter(3)[0]!.metadata).toEqual({ attempt: 1, delay_ms: 400, error: 'timeout' });
    expect(run.startAttempt('transfer')).toBe(2);
    run.recordSuccess('transfer', { moved: 600_000 });
    expect(run.step('transfer')).toMatchObject({ state: 'SUCCEEDED', attempts: 2, result: { moved: 600_000 } });
    expect(run.step('transfer').error).toBeUndefined();
  });

  it('names the approvals a cancel closed, and cancels them and the unfinished steps', () => {
    const { run } = newRun();
    blockTransfer(run);
    run.cancel();
    const view = run.view();
    expect(view.approvals.map((a) => a.status)).toEqual(['cancelled']);
    expect(view.steps.map((s) => s.state)).toEqual(['CANCELLED']);
    expect(run.timelineAfter(0).at(-1)!.metadata).toEqual({ cancelled_approvals: [APPROVAL_ID] });
    expect(run.isFinal()).toBe(true);
  });

  it('hands out copies: changing a view changes nothing in the run', () => {
    const { run } = newRun();
    blockTransfer(run);
    const view = run.view();
    view.steps[0]!.state = 'SUCCEEDED';
    view.approvals[0]!.status = 'approved';
    expect(run.step('transfer').state).toBe('BLOCKED');
    expect(run.approval(APPROVAL_ID)!.status).toBe('pending');
  });

  it('is settled while waiting for a person, and has planned once a plan is adopted', () => {
    const { run } = newRun();
    expect([run.status, run.hasPlanned(), run.isSettled()]).toEqual(['PLANNING', false, false]);
    blockTransfer(run);
    expect([run.status, run.hasPlanned(), run.isSettled()]).toEqual(['WAITING_APPROVAL', true, true]);
  });
});

const WORKFLOWS = new URL('../../workflows/', import.meta.url);

/** The workflow modules a file loads (type-only imports load nothing), itself included. */
function modulesReachedFrom(entry: URL): URL[] {
  const seen = new Map<string, URL>();
  const visit = (file: URL): void => {
    if (seen.has(file.href)) return;
    seen.set(file.href, file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^(?:import|export)\s+(type\s)?[^;]*?from '(\.\.?\/[^']+)\.js'/gm)) {
      const imported = new URL(`${match[2]}.ts`, file);
      if (!match[1] && imported.href.startsWith(WORKFLOWS.href)) visit(imported);
    }
  };
  visit(entry);
  return [...seen.values()];
}

describe('the run modules', () => {
  const roots = ['run-state.ts', 'run-publication.ts'].map((file) => new URL(file, WORKFLOWS));
  const modules = roots.flatMap(modulesReachedFrom).map((url) => path.relative(process.cwd(), fileURLToPath(url)));

  it('RunState, its publication and the workflow modules they load make no SDK calls', () => {
    expect(modules.length).toBeGreaterThan(roots.length);
    const withSdk = modules.filter((file) => /from '@temporalio\//.test(readFileSync(file, 'utf8')));
    expect(withSdk).toEqual([]);
  });
});
