/**
 * SIGTERM is a deploy, not a crash: a worker finishes the call it holds and hands its runs on at
 * once (no activity or workflow task times out), and a gateway answers the requests it took
 * before it exits while refusing new connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { temporal } from '@temporalio/proto';
import { startGatewayProcess, startWorkerProcess, type NodeService } from '../../dev/node-service.js';
import { freePort, waitFor } from '../../dev/ports.js';
import { startSandboxProcess, type SandboxProcess } from '../../dev/sandbox-process.js';
import type { RunView } from '../../src/shared/contracts.js';
import { idempotencyDigest, uuidFromDigest } from '../../gateway/start-run.js';
import { firstRunIdOf } from '../../gateway/session-lookup.js';
import { connectClient, realActivities, startRequestRun, startTestWorker, uniqueId } from '../support/temporal.js';
import type { Client } from '@temporalio/client';

/** Every sandbox answer comes this late: a call is surely in flight when the worker is told to stop. */
const SANDBOX_LATENCY_MS = 3000;

let client: Client;
let sandbox: SandboxProcess;

beforeAll(async () => {
  [client, sandbox] = await Promise.all([connectClient(), startSandboxProcess({ latencyMs: SANDBOX_LATENCY_MS })]);
});
afterAll(async () => {
  await sandbox.dispose();
  await client.connection.close();
});

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const timedOut = (events: HistoryEvent[]) =>
  events.filter((e) => e.activityTaskTimedOutEventAttributes || e.workflowTaskTimedOutEventAttributes);

describe('a worker that gets SIGTERM with a call in flight', () => {
  it('finishes the call, and another worker takes the run on without any timeout', async () => {
    const taskQueue = uniqueId('graceful-worker');
    const address = inject('temporalAddress');
    const leaving = await startWorkerProcess({
      TEMPORAL_ADDRESS: address,
      TASK_QUEUE: taskQueue,
      SANDBOX_URL: sandbox.url,
      WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    });
    let staying: Awaited<ReturnType<typeof startTestWorker>> | undefined;
    try {
      const handle = await startRequestRun(client, taskQueue, 'Transfer 100 to Kiran');
      await waitFor(async () => (await handle.describe()).raw.pendingActivities?.some((a) => a.lastStartedTime), {
        timeoutMs: 30_000,
        what: 'a sandbox call of the run to be in flight on the first worker',
      });
      staying = await startTestWorker({ taskQueue, address, activities: realActivities(sandbox.url) });
      const left = leaving.stop();
      const result = (await handle.result()) as RunView;
      await left;
      expect(result.status).toBe('COMPLETED');
      expect(result.steps[0]).toMatchObject({ state: 'SUCCEEDED', attempts: 1 });
      const { events } = await handle.fetchHistory();
      expect(timedOut(events ?? [])).toEqual([]);
    } finally {
      await staying?.stop();
      await leaving.stop();
    }
  });
});

describe('a gateway that gets SIGTERM with a chat in flight', () => {
  const CHAT_WAIT_MS = 7000;
  let gateway: NodeService;
  let baseUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // No worker: the chat waits its whole budget, so it is surely in flight when the signal comes.
    gateway = await startGatewayProcess({
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TASK_QUEUE: uniqueId('graceful-gateway'),
      GATEWAY_PORT: String(port),
      CHAT_WAIT_MS: String(CHAT_WAIT_MS),
    });
  });
  afterAll(() => gateway.stop());

  it('answers it before exiting, and refuses new connections meanwhile', async () => {
    const key = uniqueId('graceful');
    const chat = fetch(`${baseUrl}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ message: 'Transfer 100 to Kiran', user_id: 'default_user' }),
    });
    // A keyed chat without session_id opens a session of its own, named by its key; its run names the session.
    const workflowId = firstRunIdOf(uuidFromDigest(idempotencyDigest('default_user', key)));
    await waitFor(async () => (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING', {
      timeoutMs: 30_000,
      what: 'the chat to have started its run',
    });
    const exited = gateway.stop();
    await waitFor(
      async () => {
        try {
          await fetch(`${baseUrl}/healthz`);
          return false;
        } catch (err) {
          return err instanceof Error && String((err.cause as { code?: string })?.code) === 'ECONNREFUSED';
        }
      },
      { timeoutMs: 5000, what: 'the draining gateway to refuse new connections' },
    );
    const answer = await chat;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ workflow_id: workflowId, status: 'RUNNING' });
    await exited;
  });
});
