/**
 * Runs the real sandbox backend as a child process for tests: free port, fresh temp database,
 * ready when `GET /healthz` answers, and stop / kill / restart on the same port and database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeService, type NodeService } from './node-service.js';
import { freePort } from './ports.js';

// With the tracing SDK the sandbox took over 30 s to start while other test files ran on two busy cores;
// the worker's deadline.
const READY_DEADLINE_MS = 60_000;

/** The sandbox as a NodeService; `restart` keeps its port and database. */
export interface SandboxProcess extends NodeService {
  url: string;
  port: number;
  dbPath: string;
  /** Stops the process and deletes the database when it is a temp file this helper created. */
  dispose(): Promise<void>;
  /**
   * Freezes the process (SIGSTOP): calls reach it and wait, unanswered, until `resume`. For tests
   * that must see a call in flight however slowly they look (a loaded machine).
   */
  pause(): void;
  /** Lets a paused process run again (SIGCONT); nothing happens to one that runs. */
  resume(): void;
}

export interface SandboxProcessOptions {
  /** Port to listen on; a free one unless given. */
  port?: number;
  /** Database file; a fresh one in a temp directory unless given. */
  dbPath?: string;
  /** Simulated latency of every `/api/*` answer, after its work is committed (SANDBOX_LATENCY_MS); 0 unless given. */
  latencyMs?: number;
  /** More environment for the process (OTEL_* settings, say). */
  env?: Record<string, string>;
}

export async function startSandboxProcess(opts: SandboxProcessOptions = {}): Promise<SandboxProcess> {
  const port = opts.port ?? (await freePort());
  const tempDir = opts.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'sandbox-test-')) : undefined;
  const dbPath = opts.dbPath ?? join(tempDir!, 'sandbox.db');
  const url = `http://127.0.0.1:${port}`;
  const service = await startNodeService({
    name: `sandbox at ${url}`,
    entry: 'sandbox/main.ts',
    env: {
      ...opts.env,
      SANDBOX_PORT: String(port),
      SANDBOX_DB: dbPath,
      SANDBOX_LATENCY_MS: String(opts.latencyMs ?? 0),
    },
    isReady: async () => (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok,
    readyTimeoutMs: READY_DEADLINE_MS,
  });
  const send = (signal: NodeJS.Signals) => {
    const pid = service.pid();
    if (pid === undefined) throw new Error(`the sandbox at ${url} is not running`);
    process.kill(pid, signal);
  };
  // A paused process would only die of the SIGKILL that follows an unanswered SIGTERM.
  const resumeIfRunning = () => {
    if (service.pid() !== undefined) send('SIGCONT');
  };
  return {
    url,
    port,
    dbPath,
    async stop() {
      resumeIfRunning();
      await service.stop();
    },
    kill: service.kill,
    async restart() {
      resumeIfRunning();
      await service.restart();
    },
    pause: () => send('SIGSTOP'),
    resume: resumeIfRunning,
    async dispose() {
      resumeIfRunning();
      await service.stop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
    output: service.output,
    pid: service.pid,
  };
}
