/**
 * Starts the real `temporal server start-dev` binary on free ports for tests, never a download.
 * The binary comes from TEMPORAL_BIN (set by temporal-dev.sh) or PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { devServerArgs, type DevServerSettings } from './dev-server-args.js';
import { freePort, waitFor } from './ports.js';

export interface DevServer {
  address: string;
  uiPort: number;
  /** The frontend's HTTP API (which refuses every Host a browser can send: HTTP_API_LOCKDOWN). */
  httpPort: number;
  dbFile: string | undefined;
  stop(): Promise<void>;
  /** Stops and starts the server again on the same ports and database file. */
  restart(): Promise<void>;
  /** The server process's id, for measuring it; undefined while it is down. */
  pid(): number | undefined;
}

export type DevServerOptions = Pick<DevServerSettings, 'dbFile' | 'sqlite' | 'tuning'>;

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const binary = process.env.TEMPORAL_BIN ?? 'temporal';
  const port = await freePort();
  const uiPort = await freePort();
  const httpPort = await freePort();
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const args = devServerArgs({ port, uiPort, httpPort, headless: true, ...opts });
    const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const exited = new Promise<never>((_, reject) => {
      proc.once('error', (err) =>
        reject(
          new Error(
            `cannot run ${binary}: ${err.message} (run the suite with ./temporal-dev.sh test, or set TEMPORAL_BIN)`,
          ),
        ),
      );
      proc.once('exit', (code) => reject(new Error(`temporal dev server exited with ${code}: ${stderr}`)));
    });
    exited.catch(() => undefined);
    child = proc;
    await Promise.race([
      exited,
      waitFor(
        async () => {
          const connection = await Connection.connect({ address, connectTimeout: 1000 });
          try {
            await connection.workflowService.getSystemInfo({});
            return true;
          } finally {
            await connection.close();
          }
        },
        { timeoutMs: 60_000, intervalMs: 100, what: `temporal dev server on ${address}` },
      ),
    ]);
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exit = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const killTimer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(killTimer);
  };

  await launch();
  return {
    address,
    uiPort,
    httpPort,
    dbFile: opts.dbFile,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    pid: () => child?.pid,
  };
}
