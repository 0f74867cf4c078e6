/**
 * The worker: runs requestWorkflow and sessionWorkflow and their activities on the task queue.
 * SIGINT/SIGTERM drain in-flight tasks before exit.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { loadConfigOrExit, requireSetting, runSettingsOf, type Config } from '../src/runtime/config.js';
import { loadTrustedKeys } from '../src/runtime/decision-keys.js';
import type { TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import { WORKER_SHUTDOWN_GRACE_MS } from '../src/shared/timeouts.js';
import { temporalConnectionSettings } from '../src/runtime/temporal-connection.js';
import { jsonLogger, sdkJsonLogger } from '../src/telemetry/logging.js';
import { webhookSubscriberOf } from './webhook-subscriber.js';
import { openAuditStore } from '../src/audit/open-audit-store.js';
import type { Tracing } from '../src/telemetry/tracing.js';
import { tracingFor } from '../src/telemetry/tracing-settings.js';
import { workerDeploymentOf } from './deployment.js';
import { StartPhases, describeStartPhases } from './start-phases.js';

/** Every key whose decisions new runs accept; a run keeps the set it planned with. */
function trustedDecisionKeys(config: Config): TrustedDecisionKey[] {
  const gatewayKeys = requireSetting(
    config,
    'DECISION_PUBLIC_KEY_FILES',
    'the public keys of the gateways whose decisions runs accept',
  );
  return [...loadTrustedKeys(gatewayKeys, 'gateway'), ...loadTrustedKeys(config.OPERATOR_PUBLIC_KEY_FILES, 'operator')];
}

/**
 * The workflow code: WORKFLOW_BUNDLE when given, else bundled now. With tracing on it is always
 * bundled now, since the tracing interceptors must be inside it and a prebuilt bundle lacks them.
 */
async function workflowBundleFor(config: Config, tracing: boolean): Promise<WorkerOptions['workflowBundle']> {
  if (config.WORKFLOW_BUNDLE && !tracing) return { codePath: path.resolve(config.WORKFLOW_BUNDLE) };
  if (config.WORKFLOW_BUNDLE)
    console.log('worker: tracing is on, bundling the workflows with its interceptors instead of WORKFLOW_BUNDLE');
  // Imported here, not at the top: bundling is the slow path, a worker handed a prebuilt bundle never takes it.
  const { bundleWorkflows } = await import('./workflow-bundle.js');
  return (await bundleWorkflows('detached', { tracing })).bundle;
}

export async function createWorker(
  config: Config,
  connection: NativeConnection,
  tracing?: Tracing,
  phases = new StartPhases(),
): Promise<Worker> {
  const decisionKeys = trustedDecisionKeys(config);
  const sandboxToken = requireSetting(config, 'SANDBOX_TOKEN', 'the credential the activities send to the sandbox');
  phases.end('keys');
  const workflowBundle = await workflowBundleFor(config, tracing !== undefined);
  phases.end('bundle');
  const activities = createActivities({
    sandboxUrl: config.SANDBOX_URL,
    sandboxToken,
    settings: { ...runSettingsOf(config), decision_keys: decisionKeys },
    // The assistant's tools read the user's own runs over the worker's own connection.
    temporal: {
      client: new Client({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        interceptors: tracing?.clientInterceptors(),
      }),
      taskQueue: config.TASK_QUEUE,
    },
    webhook: webhookSubscriberOf(config),
    audit: openAuditStore(config),
  });
  phases.end('activities');
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TASK_QUEUE,
    workflowBundle,
    activities,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    stickyQueueScheduleToStartTimeout: config.WORKER_STICKY_TIMEOUT,
    shutdownGraceTime: WORKER_SHUTDOWN_GRACE_MS,
    workerDeploymentOptions: workerDeploymentOf(config),
    ...tracing?.workerOptions(),
  });
  phases.end('worker');
  return worker;
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
  // What a restart costs every client, phase by phase, for the start-up line.
  const phases = new StartPhases();
  phases.end('modules');
  const config = loadConfigOrExit();
  installRuntime(config);
  const tracing = await tracingFor('worker', config);
  phases.end('config');
  const connection = await NativeConnection.connect(temporalConnectionSettings(config));
  phases.end('connection');
  const worker = await createWorker(config, connection, tracing, phases);
  // The SDK installs SIGINT/SIGTERM handlers that shut the worker down gracefully.
  const running = worker.run();
  const version = workerDeploymentOf(config)?.version;
  const versioned = version ? ` as ${version.deploymentName} build ${version.buildId}` : '';
  console.log(
    `worker polling task queue "${config.TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS}${versioned} ` +
      `(${describeStartPhases(phases.list())})`,
  );
  await running;
  await connection.close();
  await tracing?.shutdown();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error('worker failed:', err);
    process.exit(1);
  });
}
