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
 * Evaluated once per worker and shared by every cached workflow, instead of once per workflow.
 * The SDK deep-freezes shared modules, and zod schemas define properties on first use, so only
 * zod's own code is shared: a module of ours that builds schemas, or imports one that does, would
 * break (workflow code must also never call `z.config()` or register metadata).
 */
export const PRELOADED_MODULES = ['zod'];

const quiet = (): void => undefined;
const quietLogger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error };

/** Bundles the workflow code (webpack: a few seconds and a few hundred MB, so do it once). */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, preloadModules: PRELOADED_MODULES, logger: quietLogger });
  return { code };
}
