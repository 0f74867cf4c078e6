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
 * A bare `require('zod')` would be dropped: zod declares itself free of side effects, so webpack
 * removes an import whose value is unused. The preload module warms zod's lazy state before the SDK
 * deep-freezes shared modules (see zod-preload.ts); workflow code must never call `z.config()`.
 */
export const PRELOADED_MODULES = [
  path.join(root, 'src', 'shared', `zod-preload${extension}`),
  path.join(root, 'src', 'shared', `ed25519-preload${extension}`),
];

const quiet = (): void => undefined;
const quietLogger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error };

/** Bundles the workflow code (webpack: a few seconds and a few hundred MB, so do it once). */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, preloadModules: PRELOADED_MODULES, logger: quietLogger });
  return { code };
}
