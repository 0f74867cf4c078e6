/**
 * The processes (worker, gateway, sandbox) compiled to JavaScript ahead of their start, so a
 * restart does not spend its first seconds in tsx transpiling TypeScript (docs/performance.md,
 * "Worker start"). esbuild (which tsx itself runs on) bundles our own modules into one file per
 * process under dist/, and leaves the npm packages to node. Run by `./temporal-dev.sh start`
 * before it launches them, and by dev/node-service.ts before each test process.
 *
 * The files sit one folder below the repository root, as their sources do, so paths that modules
 * find from their own file (`../public`, `../workflows`) still resolve. Usage: service-build.ts
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_DIR = path.join(REPO_ROOT, 'dist');

/** Each process's TypeScript entry point, relative to the repository root. */
export const SERVICE_ENTRIES = {
  worker: 'worker/main.ts',
  gateway: 'gateway/main.ts',
  sandbox: 'sandbox/main.ts',
} as const;
export type ServiceName = keyof typeof SERVICE_ENTRIES;

/** The compiled entry point of a process, relative to the repository root (what `node` runs). */
export const builtEntryOf = (service: ServiceName): string => `dist/${service}.js`;

/**
 * How node runs a compiled process. Not `--enable-source-maps`: it makes node read the source map
 * of every npm module it loads (the SDK ships them), which measured 0.3–1.3 s of each start. Our
 * files are not minified, so a stack trace still names the functions; for TypeScript lines, set
 * NODE_OPTIONS=--enable-source-maps (the maps are beside the files).
 */
export const BUILT_NODE_FLAGS: string[] = [];

/** The service whose TypeScript entry point this is, if it is one of them. */
export function serviceOfEntry(entry: string): ServiceName | undefined {
  const found = Object.entries(SERVICE_ENTRIES).find(([, source]) => source === entry);
  return found?.[0] as ServiceName | undefined;
}

/**
 * Compiles every process into dist/. Each file is written beside its place and renamed into it, so
 * a process that starts while another build runs (test files run in parallel) reads a whole file.
 */
export async function buildServices(): Promise<void> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: SERVICE_ENTRIES,
    outdir: BUILD_DIR,
    bundle: true,
    // Shared modules and what is imported lazily (tracing, the workflow bundler) go in chunks of
    // their own, so a process loads them only when it imports them.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  mkdirSync(BUILD_DIR, { recursive: true });
  // Chunks first: an entry point that lands imports chunks already in place.
  const files = [...result.outputFiles].sort((a, b) => Number(isChunk(b.path)) - Number(isChunk(a.path)));
  for (const file of files) {
    const partial = `${file.path}.${process.pid}.partial`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
}

const isChunk = (file: string): boolean => path.basename(file).startsWith('chunk-');

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const started = performance.now();
  await buildServices();
  const built = Object.keys(SERVICE_ENTRIES).map((name) => builtEntryOf(name as ServiceName));
  console.log(`built ${built.join(', ')} in ${Math.round(performance.now() - started)} ms`);
}
