/**
 * Signals and restarts the processes temporal-dev.sh launched (pid files under .temporal/pids,
 * logs under .temporal/logs), the way `launch` does: a process group of its own, log appended.
 */
import { spawn } from 'node:child_process';
import { openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface StackDirs {
  pidDir: string;
  logDir: string;
}

/** How each process is started again: the command temporal-dev.sh runs, and what it is ready on. */
export interface Relaunch {
  command: string[];
  env: Record<string, string>;
  /** A line in its log that says it is ready (the worker's "worker polling task queue"), or a URL that answers. */
  ready: { logLine: string } | { url: string };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export function pidOf(dirs: StackDirs, name: string): number {
  return Number(readFileSync(path.join(dirs.pidDir, `${name}.pid`), 'utf8'));
}

/** Sends the signal to the process's group; resolves with the time it was sent (epoch ms). */
export function signalProcess(dirs: StackDirs, name: string, signal: 'SIGTERM' | 'SIGKILL'): number {
  const pid = pidOf(dirs, name);
  process.kill(-pid, signal);
  return Date.now();
}

export async function waitForExit(dirs: StackDirs, name: string, timeoutMs = 30_000): Promise<void> {
  const pid = pidOf(dirs, name);
  for (const deadline = Date.now() + timeoutMs; alive(pid);) {
    if (Date.now() > deadline) throw new Error(`${name} (pid ${pid}) did not exit within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the process again with its log appended; resolves with the time it was ready (epoch ms). */
export async function relaunch(dirs: StackDirs, name: string, how: Relaunch, timeoutMs = 60_000): Promise<number> {
  const logFile = path.join(dirs.logDir, `${name}.log`);
  const logStart = statSync(logFile, { throwIfNoEntry: false })?.size ?? 0;
  const log = openSync(logFile, 'a');
  const [command, ...args] = how.command;
  if (!command) throw new Error(`no command to start ${name}`);
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...how.env },
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  writeFileSync(path.join(dirs.pidDir, `${name}.pid`), `${child.pid}\n`);
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (await isReady(how.ready, logFile, logStart)) return Date.now();
    if (!alive(child.pid)) throw new Error(`${name} exited while starting (log: ${logFile})`);
    if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs} ms (log: ${logFile})`);
  }
}

async function isReady(ready: Relaunch['ready'], logFile: string, logStart: number): Promise<boolean> {
  if ('logLine' in ready) return readFileSync(logFile, 'utf8').slice(logStart).includes(ready.logLine);
  try {
    return (await fetch(ready.url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}
