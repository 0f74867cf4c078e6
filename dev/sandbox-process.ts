/**
 * Runs the real sandbox backend as a child process for tests: free port, fresh temp database,
 * ready when `GET /healthz` answers, and stop / kill / restart on the same port and database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeService } from './node-service.js';
import { freePort } from './ports.js';

const READY_DEADLINE_MS = 15_000;

export interface SandboxProcess {
  url: string;
  port: number;
  dbPath: string;
  /** SIGTERM, then wait for the process to exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** SIGKILL, then wait for the process to exit. */
  kill(): Promise<void>;
  /** Stops the process if it runs, then starts it again on the same port and database. */
  restart(): Promise<void>;
  /** Stops the process and deletes the database when it is a temp file this helper created. */
  dispose(): Promise<void>;
  /** What the process printed so far (stdout and stderr). */
  output(): string;
  /** The running process's id, for measuring it; undefined while it is down. */
  pid(): number | undefined;
}

export interface SandboxProcessOptions {
  /** Port to listen on; a free one unless given. */
  port?: number;
  /** Database file; a fresh one in a temp directory unless given. */
  dbPath?: string;
  /** Simulated latency of every `/api/*` answer, after its work is committed (SANDBOX_LATENCY_MS); 0 unless given. */
  latencyMs?: number;
}

export async function startSandboxProcess(opts: SandboxProcessOptions = {}): Promise<SandboxProcess> {
  const port = opts.port ?? (await freePort());
  const tempDir = opts.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'sandbox-test-')) : undefined;
  const dbPath = opts.dbPath ?? join(tempDir!, 'sandbox.db');
  const url = `http://127.0.0.1:${port}`;
  const service = await startNodeService({
    name: `sandbox at ${url}`,
    entry: 'src/sandbox/main.ts',
    env: { SANDBOX_PORT: String(port), SANDBOX_DB: dbPath, SANDBOX_LATENCY_MS: String(opts.latencyMs ?? 0) },
    isReady: async () => (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok,
    readyTimeoutMs: READY_DEADLINE_MS,
  });
  return {
    url,
    port,
    dbPath,
    stop: service.stop,
    kill: service.kill,
    restart: service.restart,
    async dispose() {
      await service.stop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
    output: service.output,
    pid: service.pid,
  };
}
