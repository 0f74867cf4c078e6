/**
 * The worker: runs requestWorkflow and sessionWorkflow and their activities on the task queue.
 * SIGINT/SIGTERM drain in-flight tasks before exit.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { loadConfigOrExit, requireSetting, runSettingsOf, type Config } from './config.js';
import { loadTrustedKeys } from './decision-keys.js';
import type { TrustedDecisionKey } from './shared/workflow-contracts.js';
import { temporalConnectionSettings } from './temporal-connection.js';
import { jsonLogger, sdkJsonLogger } from './telemetry/logging.js';
import { webhookSubscriberOf } from './webhooks/subscriber.js';
import { bundleWorkflows } from './workflow-bundle.js';

/** Every key whose decisions new runs accept; a run keeps the set it planned with. */
function trustedDecisionKeys(config: Config): TrustedDecisionKey[] {
  const gatewayKeys = requireSetting(config, 'DECISION_PUBLIC_KEY_FILES', 'the public keys of the gateways whose decisions runs accept');
  return [...loadTrustedKeys(gatewayKeys, 'gateway'), ...loadTrustedKeys(config.OPERATOR_PUBLIC_KEY_FILES, 'operator')];
}

export async function createWorker(config: Config, connection: NativeConnection): Promise<Worker> {
  const decisionKeys = trustedDecisionKeys(config);
  const sandboxToken = requireSetting(config, 'SANDBOX_TOKEN', 'the credential the activities send to the sandbox');
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TASK_QUEUE,
    workflowBundle: config.WORKFLOW_BUNDLE ? { codePath: path.resolve(config.WORKFLOW_BUNDLE) } : (await bundleWorkflows()).bundle,
    activities: createActivities({
      sandboxUrl: config.SANDBOX_URL,
      sandboxToken,
      settings: { ...runSettingsOf(config), decision_keys: decisionKeys },
      // The assistant's tools read the user's own runs over the worker's own connection.
      temporal: { client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), taskQueue: config.TASK_QUEUE },
      webhook: webhookSubscriberOf(config),
    }),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: '10s',
  });
}

/**
 * The SDK's Prometheus exporter (task latencies, polls, cache, activity and workflow counts) and its
 * logger (JSON lines with LOG_FORMAT=json); once, before any connection.
 */
function installRuntime(config: Config): void {
  const metrics = config.METRICS_PORT === undefined ? undefined : `${config.METRICS_HOST}:${config.METRICS_PORT}`;
  const json = config.LOG_FORMAT === 'json';
  if (!metrics && !json) return;
  Runtime.install({
    ...(json && { logger: sdkJsonLogger(jsonLogger('worker', config.LOG_LEVEL)) }),
    ...(metrics && { telemetryOptions: { metrics: { prometheus: { bindAddress: metrics } } } }),
  });
  if (metrics) console.log(`worker metrics on http://${metrics}/metrics`);
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  installRuntime(config);
  const connection = await NativeConnection.connect(temporalConnectionSettings(config));
  const worker = await createWorker(config, connection);
  console.log(`worker polling task queue "${config.TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}`);
  // The SDK installs SIGINT/SIGTERM handlers that shut the worker down gracefully.
  await worker.run();
  await connection.close();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error('worker failed:', err);
    process.exit(1);
  });
}
