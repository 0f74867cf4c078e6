/** A client and a worker for one test file, on the suite's dev server and its own task queue. */
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, DefaultLogger, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.js';
import type { WebhookSubscriber } from '../../activities/notify.js';
import type { AuditStore } from '../../src/audit/audit-store.js';
import type { RunSettings } from '../../src/shared/contracts.js';
import { runPolicyOf } from '../../src/runtime/config.js';
import { defaultPolicy } from '../../src/shared/policy/evaluate.js';
import { REQUEST_WORKFLOW_TYPE } from '../../src/shared/messages.js';
import { startSignedAsGateway, TEST_DECISION_KEYS, TEST_SANDBOX_TOKEN } from '../../dev/stack-secrets.js';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed by another helper in this process.
  }
}

export const TEST_SETTINGS: RunSettings = {
  hil_threshold_cents: 500_000,
  approval_timeout_ms: 24 * 3_600_000,
  approve_l2: false,
  local_tool_calls: false,
  decision_keys: TEST_DECISION_KEYS,
  policy: runPolicyOf(defaultPolicy({ hil_threshold_cents: 500_000, approve_l2: false })),
};

export interface TestWorker {
  taskQueue: string;
  worker: Worker;
  /** Resolves when the worker has drained and stopped. */
  stop(): Promise<void>;
}

export async function connectClient(address: string = inject('temporalAddress')): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace: 'default' });
}

export async function startTestWorker(opts: {
  activities: Partial<Activities> | Activities;
  taskQueue?: string;
  address?: string;
  workerOptions?: Partial<WorkerOptions>;
}): Promise<TestWorker> {
  quietRuntime();
  const taskQueue = opts.taskQueue ?? `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: opts.address ?? inject('temporalAddress') });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: opts.activities,
    shutdownGraceTime: '2s',
    ...opts.workerOptions,
  });
  const running = worker.run();
  return {
    taskQueue,
    worker,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

export function realActivities(
  sandboxUrl: string,
  settings: Partial<RunSettings> = {},
  temporal?: { client: Client; taskQueue: string },
  webhook?: WebhookSubscriber,
  audit?: AuditStore,
): Activities {
  return createActivities({
    sandboxUrl,
    sandboxToken: TEST_SANDBOX_TOKEN,
    settings: { ...TEST_SETTINGS, ...settings },
    temporal,
    webhook,
    audit,
  });
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** Replays the run's history so far on the suite's workflow bundle; rejects when it does not replay. */
export async function replaysOnSuiteBundle(handle: WorkflowHandle): Promise<void> {
  await Worker.runReplayHistory(
    { workflowBundle: { codePath: inject('workflowBundlePath') } },
    await handle.fetchHistory(),
    handle.workflowId,
  );
}

/** Starts a request run straight through the client (no gateway), in a session of its own. */
export function startRequestRun(
  client: Client,
  taskQueue: string,
  message: string,
  userId = 'default_user',
): Promise<WorkflowHandle> {
  const workflowId = uniqueId('req');
  return client.workflow.start(REQUEST_WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [startSignedAsGateway(workflowId, { user_id: userId, session_id: uniqueId('s'), message })],
  });
}
