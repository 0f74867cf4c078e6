/**
 * requestWorkflow against the real dev server, the real worker and the real sandbox process:
 * the banking assistant's approval gate and the Life-OS DAG.
 */
import { describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { RunView, TimelineEvent } from '../../src/shared/contracts.js';
import { DecisionErrorType, runQuery, timelineQuery, waitSettledUpdate } from '../../src/shared/messages.js';
import { getBalanceCents, ledgerEntries } from '../support/sandbox-ledger.js';
import { realActivities, startRequestRun } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';
import { decideByUpdate, decideBySignal } from '../support/decisions.js';

const sandbox = useSandbox();
const client = useClient();
const worker = useWorker(() => realActivities(sandbox.url));
const shortTimeoutWorker = useWorker(() => realActivities(sandbox.url, { approval_timeout_ms: 1500 }));

async function startRun(message: string, opts: { user_id?: string; taskQueue?: string } = {}): Promise<WorkflowHandle> {
  return startRequestRun(client, opts.taskQueue ?? worker.taskQueue, message, opts.user_id);
}

async function settled(handle: WorkflowHandle): Promise<RunView> {
  return handle.executeUpdate(waitSettledUpdate);
}

function events(timeline: TimelineEvent[]): string[] {
  return timeline.map((e) => (e.step_id ? `${e.event}:${e.step_id}` : e.event));
}

async function ledgerCount(account: string): Promise<number> {
  return (await ledgerEntries(sandbox.url, account)).length;
}

describe('money transfer', () => {
  it('blocks 6000, ignores the requester, and runs the transfer once after a second identity approves', async () => {
    const kiranBefore = await getBalanceCents(sandbox.url, 'kiran');
    const handle = await startRun('Transfer 6000 to Kiran');
    const pending = await settled(handle);
    expect(pending.status).toBe('WAITING_APPROVAL');
    expect(pending.steps[0]).toMatchObject({ id: 'transfer', state: 'BLOCKED', tool: 'bank_transfer' });
    const approval = pending.approvals[0]!;
    expect(approval).toMatchObject({
      status: 'pending',
      amount: 6000,
      recipient: 'kiran',
      requested_by: 'default_user',
      from_account: '123',
    });

    const selfApproval = await decideByUpdate(handle, approval, { approved: true, approver_id: 'default_user' }).catch(
      (err: unknown) => err,
    );
    expect(selfApproval).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((selfApproval as WorkflowUpdateFailedError).cause).toMatchObject({
      type: DecisionErrorType.Forbidden,
      message: expect.stringMatching(/four-eyes/),
    });
    expect((await handle.query(runQuery)).approvals[0]!.status).toBe('pending');

    const outcome = await decideByUpdate(handle, approval, { approved: true, approver_id: 'manager@bank.com' });
    expect(outcome.step).toMatchObject({
      state: 'SUCCEEDED',
      attempts: 1,
      result: { success: true, message: 'Transferred 6000.00 from 123 to kiran' },
    });
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('COMPLETED');
    expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(kiranBefore + 600_000);

    const timeline = await handle.query(timelineQuery, 0);
    expect(events(timeline)).toEqual([
      'plan_created',
      'step_ready:transfer',
      'step_blocked:transfer',
      'approval_required:transfer',
      'approval_ignored:transfer',
      'approval_approved:transfer',
      'step_ready:transfer',
      'step_running:transfer',
      'step_succeeded:transfer',
      'workflow_complete',
    ]);
    expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
    expect(await handle.query(timelineQuery, 8)).toHaveLength(2);
  });

  it.each([
    ['Transfer 2000 to Kiran', false],
    ['Transfer 4999.99 to Kiran', false],
    ['Transfer 5000.00 to Kiran', true],
  ])('%s pauses for approval: %s', async (message, pauses) => {
    const handle = await startRun(message);
    const view = await settled(handle);
    expect(view.status).toBe(pauses ? 'WAITING_APPROVAL' : 'COMPLETED');
    expect(view.approvals).toHaveLength(pauses ? 1 : 0);
    if (pauses) await handle.cancel();
  });

  it('a rejection stops the transfer: REJECTED, money untouched, a concurrent second decision ignored', async () => {
    const before = await ledgerCount('kiran');
    const handle = await startRun('send $7,500 to kiran');
    const { approvals } = await settled(handle);
    const decide = (approver_id: string) =>
      decideByUpdate(handle, approvals[0]!, { approved: false, approver_id, reason: 'not today' });
    const results = await Promise.allSettled([decide('manager@bank.com'), decide('ops')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    // The loser either reached the run after the winner (ignored, recorded) or found it already closed.
    const loser = lost[0]!.reason as Error;
    const ignoredByRun = loser instanceof WorkflowUpdateFailedError;
    if (ignoredByRun) expect(loser.cause).toMatchObject({ type: DecisionErrorType.AlreadyDecided });
    else expect(loser.message).toMatch(/completed|closing workflow/);
    const outcome = won[0]!.value;
    expect(outcome.step.state).toBe('REJECTED');
    expect(outcome.approval).toMatchObject({ status: 'rejected', decision_reason: 'not today' });
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('REJECTED');
    expect(await ledgerCount('kiran')).toBe(before);
    const timeline = await handle.query(timelineQuery, 0);
    const ignored = timeline.filter((e) => e.event === 'approval_ignored');
    expect(ignored).toHaveLength(ignoredByRun ? 1 : 0);
    if (ignoredByRun) expect(ignored[0]!.message).toMatch(/already rejected/);
  });

  it('an approval nobody decides expires and the run is REJECTED', async () => {
    const handle = await startRun('Transfer 6000 to Kiran', { taskQueue: shortTimeoutWorker.taskQueue });
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('REJECTED');
    expect(final.approvals[0]!.status).toBe('expired');
    expect(final.steps[0]!.state).toBe('REJECTED');
    expect(events(await handle.query(timelineQuery, 0))).toContain('approval_expired:transfer');
  });

  it('insufficient funds fails the step once, without retries', async () => {
    const handle = await startRun('Transfer 900 to Kiran', { user_id: 'bob' });
    // bob owns 2,500.00; a second 900 leaves 700, a third would overdraw
    const second = await startRun('Transfer 900 to Kiran', { user_id: 'bob' });
    const third = await startRun('Transfer 900 to Kiran', { user_id: 'bob' });
    const views = (await Promise.all([handle, second, third].map((h) => h.result()))) as RunView[];
    const failed = views.filter((v) => v.status === 'FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.steps[0]).toMatchObject({ state: 'FAILED', attempts: 1 });
    expect(failed[0]!.steps[0]!.error).toMatch(/Insufficient funds/i);
    expect(failed[0]).toMatchObject({
      failure_kind: 'step_failed',
      error: expect.stringMatching(/^transfer: Insufficient funds/i),
    });
  });

  it('a message it does not understand runs nothing and says so', async () => {
    const handle = await startRun('what is the weather like');
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('FAILED');
    expect(final.steps).toEqual([]);
    expect(final.failure_kind).toBe('not_understood');
    expect(final.error).toMatch(/understand/i);
  });
});

describe('Life-OS request', () => {
  const sentence = 'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries';

  it('runs independent steps together, blocks only the L3 submit, and completes after approval', async () => {
    const handle = await startRun(sentence);
    const pending = await settled(handle);
    expect(pending.status).toBe('WAITING_APPROVAL');
    expect(pending.steps.map((s) => [s.id, s.risk_level, s.state])).toEqual([
      ['search_jobs', 'L0', 'SUCCEEDED'],
      ['tailor_cv', 'L1', 'SUCCEEDED'],
      ['submit_application', 'L3', 'BLOCKED'],
      ['schedule_gym', 'L0', 'SUCCEEDED'],
      ['plan_groceries', 'L0', 'SUCCEEDED'],
    ]);
    const timeline = await handle.query(timelineQuery, 0);
    const firstCompletion = timeline.findIndex((e) => e.event === 'step_succeeded');
    for (const id of ['search_jobs', 'schedule_gym', 'plan_groceries']) {
      const running = timeline.findIndex((e) => e.event === 'step_running' && e.step_id === id);
      expect(running).toBeGreaterThan(-1);
      expect(running).toBeLessThan(firstCompletion);
    }
    expect(pending.approvals.map((a) => a.step_id)).toEqual(['submit_application']);

    // A non-money L3 step may be confirmed by the requester themselves.
    const outcome = await decideByUpdate(handle, pending.approvals[0]!, {
      approved: true,
      approver_id: 'default_user',
    });
    expect(outcome.step.state).toBe('SUCCEEDED');
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('COMPLETED');
    expect(events(await handle.query(timelineQuery, 0)).slice(-5)).toEqual([
      'approval_approved:submit_application',
      'step_ready:submit_application',
      'step_running:submit_application',
      'step_succeeded:submit_application',
      'workflow_complete',
    ]);
  });

  it('a rejected submit skips nothing else: independent branches complete and the run is REJECTED', async () => {
    const handle = await startRun(sentence);
    const pending = await settled(handle);
    await decideBySignal(handle, pending.approvals[0]!, { approved: false, approver_id: 'default_user' });
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('REJECTED');
    expect(final.steps.filter((s) => s.state === 'SUCCEEDED').map((s) => s.id)).toEqual([
      'search_jobs',
      'tailor_cv',
      'schedule_gym',
      'plan_groceries',
    ]);
  });

  it('cancelling a waiting run cancels its approval and blocked step', async () => {
    const handle = await startRun(sentence);
    await settled(handle);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    const view = await handle.query(runQuery);
    expect(view.status).toBe('CANCELLED');
    expect(view.approvals[0]!.status).toBe('cancelled');
    expect(view.steps.find((s) => s.id === 'submit_application')!.state).toBe('CANCELLED');
    const last = (await handle.query(timelineQuery, 0)).at(-1)!;
    expect(last).toMatchObject({
      event: 'workflow_cancelled',
      metadata: { cancelled_approvals: [view.approvals[0]!.approval_id] },
    });
  });
});
