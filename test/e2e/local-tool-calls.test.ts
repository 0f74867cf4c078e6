/**
 * LOCAL_TOOL_CALLS: tools run as local activities within the workflow task. The same runs as with
 * activities (money moves once, the timeline is the same), with no activity dispatched by the
 * server, each call recorded as a marker with its summary, and histories that replay.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { RunResult, RunView } from '../../src/shared/contracts.js';
import { waitSettledUpdate } from '../../src/shared/messages.js';
import { getBalanceCents, ledgerEntries } from '../support/sandbox-ledger.js';
import { realActivities, replaysOnSuiteBundle, startRequestRun } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';
import { decideByUpdate } from '../support/decisions.js';

const sandbox = useSandbox();
const client = useClient();
const worker = useWorker(() => realActivities(sandbox.url, { local_tool_calls: true }));

function startRun(message: string): Promise<WorkflowHandle> {
  return startRequestRun(client, worker.taskQueue, message);
}

/** What the history says about how tools were called: activities scheduled, and local activity summaries. */
async function toolCalls(handle: WorkflowHandle): Promise<{ activities: number; localSummaries: string[] }> {
  const events = (await handle.fetchHistory()).events ?? [];
  return {
    activities: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    localSummaries: events
      .filter((e) => e.markerRecordedEventAttributes && e.userMetadata?.summary)
      .map((e) => JSON.parse(Buffer.from(e.userMetadata!.summary!.data!).toString('utf8')) as string)
      // The audit trail's writes are local activities too, whatever LOCAL_TOOL_CALLS says.
      .filter((summary) => summary !== 'Append to the audit trail'),
  };
}

describe('tools as local activities', () => {
  it('a low-value transfer completes with one ledger entry and no activity dispatched', async () => {
    const handle = await startRun('Transfer 2000 to Kiran');
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('COMPLETED');
    expect(final.steps[0]).toMatchObject({ state: 'SUCCEEDED', attempts: 1 });
    expect(await ledgerEntries(sandbox.url, 'kiran')).toHaveLength(1);
    expect(await toolCalls(handle)).toEqual({
      activities: 0,
      localSummaries: ['Read the keys this run trusts', 'Plan the request', 'Transfer $2,000.00 → kiran'],
    });
    await replaysOnSuiteBundle(handle);
  });

  it('an approved transfer runs once, within the decision', async () => {
    const kiranBefore = await getBalanceCents(sandbox.url, 'kiran');
    const entriesBefore = (await ledgerEntries(sandbox.url, 'kiran')).length;
    const handle = await startRun('Transfer 6000 to Kiran');
    const pending = await handle.executeUpdate(waitSettledUpdate);
    expect(pending.status).toBe('WAITING_APPROVAL');
    const outcome = await decideByUpdate(handle, pending.approvals[0]!, {
      approved: true,
      approver_id: 'manager@bank.com',
    });
    expect(outcome.step).toMatchObject({ state: 'SUCCEEDED', attempts: 1 });
    expect(((await handle.result()) as RunView).status).toBe('COMPLETED');
    expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(kiranBefore + 600_000);
    expect(await ledgerEntries(sandbox.url, 'kiran')).toHaveLength(entriesBefore + 1);
    expect((await toolCalls(handle)).activities).toBe(0);
    await replaysOnSuiteBundle(handle);
  });

  it('a Life-OS run starts its independent reads together and completes after the submit is confirmed', async () => {
    const handle = await startRun('Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries');
    const pending = await handle.executeUpdate(waitSettledUpdate);
    expect(pending.status).toBe('WAITING_APPROVAL');
    expect(pending.steps.find((s) => s.tool === 'job_submit')?.state).toBe('BLOCKED');
    await decideByUpdate(handle, pending.approvals[0]!, { approved: true, approver_id: 'default_user' });
    const final = (await handle.result()) as RunResult;
    expect(final.status).toBe('COMPLETED');
    expect(final.steps.every((s) => s.state === 'SUCCEEDED')).toBe(true);
    const firstSuccess = final.timeline.findIndex((e) => e.event === 'step_succeeded');
    const startedTogether = final.timeline
      .slice(0, firstSuccess)
      .filter((e) => e.event === 'step_running')
      .map((e) => e.step_id);
    expect(startedTogether.sort()).toEqual(
      final.steps
        .filter((s) => s.depends_on.length === 0)
        .map((s) => s.id)
        .sort(),
    );
    // The start's key check, the planner and every step, each a local activity with its summary.
    expect((await toolCalls(handle)).localSummaries).toHaveLength(final.steps.length + 2);
    await replaysOnSuiteBundle(handle);
  });
});
