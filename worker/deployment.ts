/**
 * Worker Versioning: with WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID the worker joins a worker
 * deployment as one version. A request run is pinned to the version it started on (see
 * requestWorkflow), so a change to request-workflow code ships as a new build, never as a patch.
 * The session workflow lives for weeks and moves to the deployment's current version at its next
 * task: after the first release its code changes only behind a patch (the SDK's patch API), each with its
 * `deprecatePatch` plan (docs/decisions/no-patches-before-deploy.md).
 */
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { ConfigError, type Config } from '../src/runtime/config.js';

export function workerDeploymentOf(
  config: Pick<Config, 'WORKER_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID'>,
): WorkerDeploymentOptions | undefined {
  const { WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId } = config;
  if (deploymentName === undefined && buildId === undefined) return undefined;
  if (deploymentName === undefined || buildId === undefined) {
    const [missing, given] =
      deploymentName === undefined
        ? ['WORKER_DEPLOYMENT_NAME', 'WORKER_BUILD_ID']
        : ['WORKER_BUILD_ID', 'WORKER_DEPLOYMENT_NAME'];
    throw new ConfigError(
      `invalid configuration:\n  ${missing}: required with ${given} (a versioned worker needs both)`,
    );
  }
  return { version: { deploymentName, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}
