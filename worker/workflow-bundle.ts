/**
 * How the workflow code is bundled, in one place for the worker, the bundling script, the tests
 * and the benchmark.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * The workflows are bundled from files of this module's own kind: TypeScript under tsx, JavaScript
 * in tsc's dist/ tree; the compiled worker (dev/service-build.ts) has only the TypeScript beside it.
 */
const extension = existsSync(path.join(root, 'workflows', 'index.js')) ? '.js' : '.ts';

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

/** OpenTelemetry's workflow interceptors (src/telemetry/tracing.ts), bundled only when tracing is on. */
const TRACING_INTERCEPTORS = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

const quiet = (): void => undefined;
const quietLogger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error };

const INLINE_SOURCE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,([A-Za-z0-9+/=]+)\s*$/;
/**
 * The SDK refuses a bundle without an inline source map, and names the bundle after the map's
 * `file` when it is handed code without a path: this one keeps the name and maps nothing.
 */
function emptySourceMapFor(map: string): string {
  const { file } = JSON.parse(map) as { file?: string };
  return Buffer.from(
    JSON.stringify({ version: 3, file: file ?? 'workflow-bundle.js', sources: [], names: [], mappings: '' }),
  ).toString('base64');
}

export type SourceMapPlacement = 'detached' | 'inline';

export interface BuiltWorkflowBundle {
  /** What the SDK's Worker.create takes; nothing else, since it reads a `sourceMap` field its own way. */
  bundle: WorkflowBundle & { code: string };
  /** The source map taken out of the code (detached placement), to keep beside the bundle. */
  detachedSourceMap?: string;
}

/**
 * Bundles the workflow code (webpack: a few seconds and a few hundred MB, so do it once).
 *
 * With the source map inline, the SDK maps every frame of the stack it records for each promise a
 * workflow creates (for the stack-trace query) through it: measured, about 12 ms of CPU per run and
 * 0.8 s on a worker's first workflow task, where the map is decoded. Detached (the default), stack
 * traces name functions but give bundle positions, which the map kept beside the bundle resolves.
 */
export async function bundleWorkflows(
  placement: SourceMapPlacement = 'detached',
  options: { tracing?: boolean } = {},
): Promise<BuiltWorkflowBundle> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    preloadModules: PRELOADED_MODULES,
    logger: quietLogger,
    ...(options.tracing && { workflowInterceptorModules: [TRACING_INTERCEPTORS] }),
  });
  const inline = INLINE_SOURCE_MAP.exec(code);
  if (placement === 'inline' || !inline) return { bundle: { code } };
  const map = Buffer.from(inline[1]!, 'base64').toString('utf8');
  return {
    bundle: {
      code:
        `${code.slice(0, inline.index)}\n` +
        `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${emptySourceMapFor(map)}\n`,
    },
    detachedSourceMap: map,
  };
}
