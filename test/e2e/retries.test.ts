/**
 * The workflow's own retry policy, seen in the timeline: outages are retried with backoff until the
 * outside system returns; L3 steps stop after three attempts; business failures are not retried.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RunView } from '../../src/shared/contracts.js';
import { timelineQuery, waitSettledUpdate } from '../../src/shared/messages.js';
import { FailureType } from '../../src/shared/errors.js';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents, ledgerEntries } from '../support/sandbox-ledger.js';
import { realActivities, startRequestRun } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';
import { decideByUpdate } from '../support/decisions.js';

const sandbox = useSandbox();
const client = useClient();
const worker = useWorker(() => realActivities(sandbox.url));

function start(message: string, taskQueue = worker.taskQueue): Promise<WorkflowHandle> {
  return startRequestRun(client, taskQueue, message);
}

describe('retries', () => {
  it('a transfer that meets a stopped sandbox retries with backoff and moves money once when it returns', async () => {
    // A first run caches the requester's account, so planning needs no sandbox during the outage.
    await (await start('Transfer 1 to kiran')).result();
    const before = await getBalanceCents(sandbox.url, 'kiran');
    await sandbox.stop();
    const handle = await start('Transfer 250 to kiran');
    await waitFor(async () => (await handle.query(timelineQuery, 0)).some((e) => e.event === 'step_retrying'), {
      timeoutMs: 20_000,
      what: 'a step_retrying event while the sandbox is down',
    });
    await sandbox.restart();
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('COMPLETED');
    expect(final.steps[0]!.attempts).toBeGreaterThan(1);
    expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(before + 25_000);
    const ledger = await ledgerEntries(sandbox.url, 'kiran');
    expect(ledger.filter((e) => e.idempotency_key === `${handle.workflowId}:transfer`)).toHaveLength(1);
  });
});

describe('retry policy by risk level (workflow under test, tools faked)', () => {
  let submitCalls = 0;
  let groceryCalls = 0;
  const fakeWorker = useWorker(() => ({
    ...realActivities(sandbox.url),
    jobSubmit: async () => {
      submitCalls += 1;
      throw new Error('job board timed out');
    },
    groceryPlan: async () => {
      groceryCalls += 1;
      throw ApplicationFailure.create({
        type: FailureType.InvalidToolArgs,
        message: 'no such diet',
        nonRetryable: true,
      });
    },
  }));

  it('an L3 step gives up after three attempts; a business failure is not retried; the run FAILS', async () => {
    const handle = await start('Apply to 1 backend job and plan groceries', fakeWorker.taskQueue);
    const pending = await handle.executeUpdate(waitSettledUpdate);
    await decideByUpdate(handle, pending.approvals[0]!, { approved: true, approver_id: 'default_user' });
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('FAILED');
    const submit = final.steps.find((s) => s.id === 'submit_application')!;
    expect(submit).toMatchObject({ state: 'FAILED', attempts: 3, error: 'job board timed out' });
    expect(submitCalls).toBe(3);
    expect(final.steps.find((s) => s.id === 'plan_groceries')).toMatchObject({ state: 'FAILED', attempts: 1 });
    expect(groceryCalls).toBe(1);
    const retrying = (await handle.query(timelineQuery, 0)).filter((e) => e.event === 'step_retrying');
    expect(retrying.map((e) => e.metadata['delay_ms'])).toEqual([500, 1000]);
  });
});
