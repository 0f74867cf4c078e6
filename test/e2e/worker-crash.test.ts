/**
 * SIGKILL the real worker process while a DAG has activities in flight and while a transfer waits
 * for approval; a new worker finishes the runs and every external write happens once. The worker
 * process also serves its metrics, which then count what the restarted worker did.
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { RunView } from '../../src/shared/contracts.js';
import { timelineQuery, waitSettledUpdate } from '../../src/shared/messages.js';
import { startWorkerProcess, type NodeService } from '../../dev/node-service.js';
import { freePort, waitFor } from '../../dev/ports.js';
import { getJson } from '../support/http.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { startRequestRun, uniqueId } from '../support/temporal.js';
import { useClient, useSandbox } from '../support/fixtures.js';
import { decideByUpdate } from '../support/decisions.js';

const sandbox = useSandbox({ latencyMs: 300 });
const client = useClient();
let worker: NodeService;
let metricsPort: number;
const taskQueue = uniqueId('crash');

beforeAll(async () => {
  metricsPort = await freePort();
  worker = await startWorkerProcess({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TASK_QUEUE: taskQueue,
    SANDBOX_URL: sandbox.url,
    METRICS_PORT: String(metricsPort),
    // The suite's bundle, as temporal-dev.sh hands the worker its prebuilt one: restarts skip bundling.
    WORKFLOW_BUNDLE: inject('workflowBundlePath'),
  });
});
afterAll(async () => {
  await worker?.stop();
});

function start(message: string): Promise<WorkflowHandle> {
  return startRequestRun(client, taskQueue, message);
}

describe('worker crash', () => {
  it('a DAG whose activities are in flight when the worker dies completes on a new worker, each write once', async () => {
    const handle = await start('Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries');
    await waitFor(
      async () => (await handle.query(timelineQuery, 0)).filter((e) => e.event === 'step_running').length >= 3,
      {
        what: 'three steps running',
      },
    );
    await worker.kill();
    await worker.restart();

    const pending = await handle.executeUpdate(waitSettledUpdate);
    expect(pending.status).toBe('WAITING_APPROVAL');
    await decideByUpdate(handle, pending.approvals[0]!, { approved: true, approver_id: 'default_user' });
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('COMPLETED');

    const gym = final.steps.find((s) => s.id === 'schedule_gym')!;
    const week = (gym.args as { week_start: string }).week_start;
    const events = await getJson<{ events: { title: string }[] }>(
      sandbox.url,
      `/api/calendar/events?week_start=${week}`,
    );
    expect(events.status).toBe(200);
    expect(events.body.events.filter((e) => e.title === 'Gym')).toHaveLength(3);
    const applications = await getJson<{ applications: { idempotency_key?: string }[] }>(
      sandbox.url,
      '/api/applications',
    );
    expect(applications.status).toBe(200);
    expect(
      applications.body.applications.filter((a) => a.idempotency_key === `${handle.workflowId}:submit_application`),
    ).toHaveLength(2);
  });

  it('a transfer waiting for approval survives the worker dying; approval afterwards moves money once', async () => {
    const before = await getBalanceCents(sandbox.url, 'kiran');
    const handle = await start('Transfer 6000 to Kiran');
    const pending = await handle.executeUpdate(waitSettledUpdate);
    await worker.kill();
    await worker.restart();
    const outcome = await decideByUpdate(handle, pending.approvals[0]!, {
      approved: true,
      approver_id: 'manager@bank.com',
    });
    expect(outcome.step.state).toBe('SUCCEEDED');
    expect(((await handle.result()) as RunView).status).toBe('COMPLETED');
    expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(before + 600_000);
  });

  it('the worker serves Prometheus metrics on METRICS_PORT, counting what it did since its restart', async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const lines = (await res.text()).split('\n');
    /** The value of a series of this task queue whose labels include all of `labels`. */
    const sample = (name: string, labels: string[]): number | undefined => {
      const line = lines.find(
        (l) => l.startsWith(`${name}{`) && [`task_queue="${taskQueue}"`, ...labels].every((label) => l.includes(label)),
      );
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    // The process that runs now was started in the test before: it finished the transfer and nothing else.
    expect(sample('temporal_workflow_completed', ['workflow_type="requestWorkflow"'])).toBe(1);
    expect(sample('temporal_activity_execution_latency_count', ['activity_type="bankTransfer"'])).toBe(1);
    expect(sample('temporal_worker_start', [])).toBe(1);
  });
});
