/**
 * The whole stack for one test file: the real sandbox (child process), a worker on its own task
 * queue against the suite's Temporal dev server, and the gateway over real HTTP on a free port.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteAuditStore } from '../../src/audit/audit-store.js';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { parseConfig, runSettingsOf, type Config } from '../../src/runtime/config.js';
import { createGatewayApp, createInboxListing, createTimelineHub, type GatewayDeps } from '../../gateway/app.js';
import type { InboxListing } from '../../gateway/approvals/inbox-listing.js';
import { gatewayConnectionOptions } from '../../gateway/gateway-connection.js';
import type { TimelineHub } from '../../gateway/timeline-hub.js';
import { startSandboxProcess, type SandboxProcess } from '../../dev/sandbox-process.js';
import { webhookSubscriberOf } from '../../worker/webhook-subscriber.js';
import { realActivities, startTestWorker, uniqueId, type TestWorker } from './temporal.js';
import { inject } from 'vitest';
import { testSecretsEnv } from '../../dev/stack-secrets.js';

export interface StackOptions {
  /** Extra environment for parseConfig (CHAT_WAIT_MS, HIL_THRESHOLD, GATEWAY_AUTH, ...). */
  env?: Record<string, string>;
  /** Use this sandbox instead of starting one (it is then not stopped by `stop`). */
  sandbox?: SandboxProcess;
  /** Overrides for the gateway (tokens, pollMs, heartbeatMs, publicDir, ...). */
  gateway?: Partial<Omit<GatewayDeps, 'client' | 'config' | 'timelines'>>;
  /** Start without a worker (runs stay QUEUED until `startWorker`). */
  noWorker?: boolean;
  /** host:port of another Temporal server (for instance a private one a test restarts); the suite's by default. */
  temporalAddress?: string;
  /** The task queue of the worker and the gateway; a fresh one by default. */
  taskQueue?: string;
  /** Keep an audit trail: a fresh AUDIT_DB the worker appends to and the gateway reads. */
  audit?: boolean;
}

export interface Stack {
  baseUrl: string;
  client: Client;
  sandbox: SandboxProcess;
  taskQueue: string;
  config: Config;
  timelines: TimelineHub;
  /** The inbox's listing, kept warm as gateway/main.ts keeps it. */
  inbox: InboxListing;
  worker(): TestWorker | undefined;
  startWorker(): Promise<TestWorker>;
  stopWorker(): Promise<void>;
  /** Stops the gateway, the worker, the sandbox (if started here) and the client connection. */
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const taskQueue = options.taskQueue ?? uniqueId('gateway-test');
  const ownSandbox = options.sandbox === undefined;
  const sandbox = options.sandbox ?? (await startSandboxProcess());
  const address = options.temporalAddress ?? inject('temporalAddress');
  const config = parseConfig({
    TEMPORAL_ADDRESS: address,
    TASK_QUEUE: taskQueue,
    SANDBOX_URL: sandbox.url,
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    CHAT_WAIT_MS: '15000',
    ...testSecretsEnv(),
    ...(options.audit && { AUDIT_DB: path.join(mkdtempSync(path.join(tmpdir(), 'audit-')), 'audit.db') }),
    ...options.env,
  });
  const auditStore = options.audit ? SqliteAuditStore.open(config.AUDIT_DB) : undefined;
  // The gateway's client, connected as gateway/main.ts connects it.
  const client = new Client({
    connection: await Connection.connect(gatewayConnectionOptions({ TEMPORAL_ADDRESS: address })),
    namespace: 'default',
  });

  let worker: TestWorker | undefined;
  const startWorker = async (): Promise<TestWorker> => {
    if (worker) return worker;
    worker = await startTestWorker({
      taskQueue,
      address,
      activities: realActivities(
        sandbox.url,
        runSettingsOf(config),
        { client, taskQueue },
        webhookSubscriberOf(config),
        auditStore,
      ),
    });
    return worker;
  };
  const stopWorker = async (): Promise<void> => {
    const current = worker;
    worker = undefined;
    await current?.stop();
  };
  if (!options.noWorker) await startWorker();

  const timelines = createTimelineHub(client, options.gateway?.pollMs ?? 100, options.gateway?.queryTimeoutMs);
  const inbox = createInboxListing(client, config);
  if (config.INBOX_CACHE_MS > 0) await inbox.start();
  const app = createGatewayApp({ client, config, timelines, inbox, ...options.gateway });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: config.GATEWAY_PORT }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    client,
    sandbox,
    taskQueue,
    config,
    timelines,
    inbox,
    worker: () => worker,
    startWorker,
    stopWorker,
    async stop() {
      timelines.close();
      inbox.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await stopWorker();
      if (ownSandbox) await sandbox.dispose();
      await client.connection.close();
      await auditStore?.close();
    },
  };
}
