/**
 * How the workflow code is bundled, in one place for the worker, the bundling script, the tests
 * and the benchmark.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extension = path.extname(fileURLToPath(import.meta.url));

export const WORKFLOWS_PATH = path.join(root, 'workflows', `index${extension}`);

/**
 * Stateless modules evaluated once per worker and shared by every cached workflow, instead of
 * once per workflow. The SDK deep-freezes shared modules, so zod schemas cannot be among them (zod
 * defines properties on first use); zod's own code can, as long as workflow code never calls
 * `z.config()` or registers metadata.
 */
export const PRELOADED_MODULES = [
  'zod',
  ...['money', 'policy', 'retry', 'run-status', 'errors'].map((name) => path.join(root, 'src', 'shared', `${name}${extension}`)),
];

const quiet = (): void => undefined;
const quietLogger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error };

/** Bundles the workflow code (webpack: a few seconds and a few hundred MB, so do it once). */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, preloadModules: PRELOADED_MODULES, logger: quietLogger });
  return { code };
}
