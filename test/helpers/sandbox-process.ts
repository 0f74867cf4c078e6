/**
 * Runs the real sandbox backend as a child process for tests: free port, fresh temp database,
 * ready when `GET /healthz` answers, and stop / kill / restart on the same port and database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from './ports.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const READY_DEADLINE_MS = 15_000;
const STOP_DEADLINE_MS = 10_000;

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
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = '';

  async function launch(): Promise<void> {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_DB: dbPath, SANDBOX_LATENCY_MS: String(opts.latencyMs ?? 0) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let running = true;
    exited = new Promise((r) =>
      proc.once('exit', () => {
        running = false;
        if (child === proc) child = undefined;
        r();
      }),
    );
    proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    await waitFor(
      async () => {
        if (!running) throw new Error(`sandbox exited before it was ready:\n${log}`);
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
        return res.ok ? true : undefined;
      },
      { timeoutMs: READY_DEADLINE_MS, intervalMs: 50, what: `sandbox at ${url}/healthz` },
    ).catch(async (err: unknown) => {
      proc.kill('SIGKILL');
      await exited;
      throw new Error(`${String(err)}\n--- sandbox output ---\n${log}`);
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
    url,
    port,
    dbPath,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    async restart() {
      await signal('SIGTERM');
      await launch();
    },
    async dispose() {
      await signal('SIGTERM');
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
    output: () => log,
  };
}

/** The balance of account `id` in cents, read over HTTP. */
export async function getBalanceCents(url: string, id: string): Promise<number> {
  const res = await fetch(`${url}/api/accounts/${encodeURIComponent(id)}`);
  if (!res.ok) throw new Error(`GET /api/accounts/${id} answered ${res.status}`);
  const body = (await res.json()) as { balance_cents: number };
  return body.balance_cents;
}
