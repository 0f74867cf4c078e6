/**
 * Worker Versioning on the real dev server: a transfer waiting for approval on build A is pinned
 * to A; build B, whose workflow code cannot replay A's runs, becomes the current version; the
 * approval still completes the run on A, and new runs go to B.
 */
import { afterAll, describe, expect, it, inject } from 'vitest';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type { RunView } from '../../src/shared/contracts.js';
import { waitSettledUpdate } from '../../src/shared/messages.js';
import { startWorkerProcess, type NodeService } from '../../dev/node-service.js';
import { waitFor } from '../../dev/ports.js';
import { useBreakingWorkflowsBundle, useClient, useSandbox } from '../support/fixtures.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { startRequestRun, uniqueId } from '../support/temporal.js';
import { decideByUpdate } from '../support/decisions.js';

const sandbox = useSandbox();
const client = useClient();
const taskQueue = uniqueId('versioning');
const deploymentName = uniqueId('requests');
const workers: NodeService[] = [];
const buildB = useBreakingWorkflowsBundle();

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

async function startBuild(buildId: string, workflowBundle: string): Promise<void> {
  workers.push(
    await startWorkerProcess({
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TASK_QUEUE: taskQueue,
      SANDBOX_URL: sandbox.url,
      WORKFLOW_BUNDLE: workflowBundle,
      WORKER_DEPLOYMENT_NAME: deploymentName,
      WORKER_BUILD_ID: buildId,
    }),
  );
}

/** What `temporal worker deployment set-current-version` does; the version exists once its worker has polled. */
async function setCurrentVersion(buildId: string): Promise<void> {
  await waitFor(
    async () => {
      await client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: 'default',
        deploymentName,
        buildId,
        identity: 'worker-versioning-test',
      });
      return true;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: `build ${buildId} to become the current version` },
  );
}

async function buildOf(handle: WorkflowHandle): Promise<{ buildId?: string | null; behavior?: unknown }> {
  const { raw } = await handle.describe();
  const info = raw.workflowExecutionInfo?.versioningInfo;
  return { buildId: info?.deploymentVersion?.buildId, behavior: info?.behavior };
}

describe('worker versioning', () => {
  // Two worker processes start here, each within its own ready deadline: more than the default
  // 60 s on a loaded machine (it timed out in a fresh-clone CI run while passing alone in 48 s).
  it(
    'keeps a waiting run on its build after a breaking build becomes current; new runs go to the new build',
    { timeout: 180_000 },
    async () => {
      await startBuild('build-a', inject('workflowBundlePath'));
      await setCurrentVersion('build-a');
      const kiranBefore = await getBalanceCents(sandbox.url, 'kiran');

      const waiting = await startRequestRun(client, taskQueue, 'Transfer 6000 to Kiran');
      const pending = await waiting.executeUpdate(waitSettledUpdate);
      expect(pending.status).toBe('WAITING_APPROVAL');
      expect((await buildOf(waiting)).buildId).toBe('build-a');

      // Build B really cannot replay the waiting run: its first command differs.
      const history = await waiting.fetchHistory();
      await expect(
        Worker.runReplayHistory({ workflowBundle: { codePath: buildB.codePath } }, history, waiting.workflowId),
      ).rejects.toThrow(DeterminismViolationError);

      await startBuild('build-b', buildB.codePath);
      await setCurrentVersion('build-b');

      const outcome = await decideByUpdate(waiting, pending.approvals[0]!, {
        approved: true,
        approver_id: 'manager@bank.com',
      });
      expect(outcome.step.state).toBe('SUCCEEDED');
      expect(((await waiting.result()) as RunView).status).toBe('COMPLETED');
      expect(await buildOf(waiting)).toMatchObject({ buildId: 'build-a' });
      expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(kiranBefore + 600_000);

      const fresh = await startRequestRun(client, taskQueue, 'Transfer 60 to Kiran');
      expect(((await fresh.result()) as RunView).status).toBe('COMPLETED');
      expect((await buildOf(fresh)).buildId).toBe('build-b');
      // B's own code ran it: its first command is B's timer.
      const freshEvents = (await fresh.fetchHistory()).events ?? [];
      expect(freshEvents.some((e) => e.timerStartedEventAttributes)).toBe(true);
    },
  );
});
