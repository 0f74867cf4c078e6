/**
 * Runs one of the project's entry points (sandbox, worker, gateway) as a real child process, for
 * tests that crash, stop and restart processes. Ready when `isReady` says so, within a deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './ports.js';
import { BUILT_NODE_FLAGS, buildServices, builtEntryOf, serviceOfEntry } from './service-build.js';
import { testSecretsEnv } from './stack-secrets.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STOP_DEADLINE_MS = 10_000;

export interface NodeService {
  /** SIGTERM, then wait for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** SIGKILL, then wait for the exit: a crash. */
  kill(): Promise<void>;
  /** Stops the process if it runs, then starts it again with the same settings. */
  restart(): Promise<void>;
  /** What the process printed so far. */
  output(): string;
  /** The running process's id, for measuring it (RSS); undefined while it is down. */
  pid(): number | undefined;
}

export interface NodeServiceOptions {
  name: string;
  /**
   * Path of the entry point relative to the repository root, e.g. `worker/main.ts`; the worker,
   * gateway and sandbox run compiled (dev/service-build.ts).
   */
  entry: string;
  /** Extra flags for node itself, e.g. a heap limit. */
  nodeFlags?: string[];
  env: Record<string, string>;
  /** Resolves true once the process serves; it may throw while it is not ready yet. */
  isReady: (output: string) => Promise<boolean> | boolean;
  readyTimeoutMs?: number;
}

/** Built once per test file, from the sources as they are now; each build replaces the files whole. */
let built: Promise<void> | undefined;

/**
 * How node runs the entry point: the compiled process as temporal-dev.sh starts it (a restart
 * costs what it costs there), any other entry point through tsx.
 */
async function nodeArgumentsFor(entry: string): Promise<string[]> {
  const service = serviceOfEntry(entry);
  if (!service) return ['--import', 'tsx', entry];
  built ??= buildServices();
  await built;
  return [...BUILT_NODE_FLAGS, builtEntryOf(service)];
}

export async function startNodeService(opts: NodeServiceOptions): Promise<NodeService> {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = '';
  const entryArguments = await nodeArgumentsFor(opts.entry);

  async function launch(): Promise<void> {
    log = '';
    const proc = spawn(process.execPath, [...(opts.nodeFlags ?? []), ...entryArguments], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...testSecretsEnv(), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let running = true;
    exited = new Promise((done) =>
      proc.once('exit', () => {
        running = false;
        if (child === proc) child = undefined;
        done();
      }),
    );
    proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    await waitFor(
      async () => {
        if (!running) throw new Error(`${opts.name} exited before it was ready`);
        return opts.isReady(log);
      },
      { timeoutMs: opts.readyTimeoutMs ?? 30_000, intervalMs: 50, what: `${opts.name} to be ready` },
    ).catch(async (err: unknown) => {
      proc.kill('SIGKILL');
      await exited;
      throw new Error(`${String(err)}\n--- ${opts.name} output ---\n${log}`);
    });
  }

  async function signal(sig: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc) return;
    proc.kill(sig);
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_DEADLINE_MS);
    await exited;
    clearTimeout(timer);
  }

  await launch();
  return {
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    async restart() {
      await signal('SIGTERM');
      await launch();
    },
    output: () => log,
    pid: () => child?.pid,
  };
}

/** The real gateway (`gateway/main.ts`), ready once `/readyz` answers 200. */
export function startGatewayProcess(
  env: { TEMPORAL_ADDRESS: string; TASK_QUEUE: string; GATEWAY_PORT: string } & Record<string, string>,
): Promise<NodeService> {
  return startNodeService({
    name: 'gateway',
    entry: 'gateway/main.ts',
    env: { GATEWAY_HOST: '127.0.0.1', ...env },
    isReady: async () =>
      (await fetch(`http://127.0.0.1:${env.GATEWAY_PORT}/readyz`, { signal: AbortSignal.timeout(1000) })).ok,
  });
}

/** The worker's heap limit, as temporal-dev.sh launches it; it bounds the RSS with the workflow cache. */
export const WORKER_MAX_HEAP_MB = 320;

/** The real worker (`worker/main.ts`) on a task queue, ready once it polls. */
export function startWorkerProcess(
  env: { TEMPORAL_ADDRESS: string; TASK_QUEUE: string; SANDBOX_URL: string } & Record<string, string>,
): Promise<NodeService> {
  return startNodeService({
    name: 'worker',
    entry: 'worker/main.ts',
    nodeFlags: [`--max-old-space-size=${WORKER_MAX_HEAP_MB}`],
    env,
    isReady: (output) => output.includes('worker polling task queue'),
    readyTimeoutMs: 60_000,
  });
}
