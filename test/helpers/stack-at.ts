/**
 * The same stack as `startStack` (sandbox process, in-process worker, gateway over real HTTP on a
 * free port), on a Temporal server the caller names: for tests that run a private dev server
 * (for instance one they restart) instead of the suite's shared one.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { parseConfig } from '../../src/config.js';
import { createGatewayApp, createTimelineHub } from '../../src/gateway/app.js';
import { startSandboxProcess } from './sandbox-process.js';
import type { Stack, StackOptions } from './stack.js';
import { connectClient, realActivities, startTestWorker, uniqueId, type TestWorker } from './temporal.js';

export interface StackAtOptions extends StackOptions {
  /** host:port of the Temporal frontend the worker and the gateway use. */
  temporalAddress: string;
  /** Task queue of the worker and the gateway; a fresh one unless given. */
  taskQueue?: string;
}

export async function startStackAt(options: StackAtOptions): Promise<Stack> {
  const address = options.temporalAddress;
  const taskQueue = options.taskQueue ?? uniqueId('reliability');
  const ownSandbox = options.sandbox === undefined;
  const sandbox = options.sandbox ?? (await startSandboxProcess());
  const config = parseConfig({
    TEMPORAL_ADDRESS: address,
    TASK_QUEUE: taskQueue,
    SANDBOX_URL: sandbox.url,
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    CHAT_WAIT_MS: '15000',
    ...options.env,
  });
  const client = await connectClient(address);

  let worker: TestWorker | undefined;
  const startWorker = async (): Promise<TestWorker> => {
    if (worker) return worker;
    worker = await startTestWorker({
      taskQueue,
      address,
      activities: realActivities(sandbox.url, {
        hil_threshold_cents: config.HIL_THRESHOLD,
        approval_timeout_ms: config.APPROVAL_TIMEOUT,
        approve_l2: config.APPROVE_L2,
      }),
    });
    return worker;
  };
  const stopWorker = async (): Promise<void> => {
    const current = worker;
    worker = undefined;
    await current?.stop();
  };
  if (!options.noWorker) await startWorker();

  const timelines = createTimelineHub(client, options.gateway?.pollMs ?? 100);
  const app = createGatewayApp({ client, config, timelines, ...options.gateway });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    client,
    sandbox,
    taskQueue,
    config,
    timelines,
    worker: () => worker,
    startWorker,
    stopWorker,
    async stop() {
      timelines.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await stopWorker();
      if (ownSandbox) await sandbox.dispose();
      await client.connection.close();
    },
  };
}
