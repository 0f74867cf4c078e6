/**
 * The kill test's figures, from what it recorded (pure, unit-tested): how long the requests whose
 * task was on a killed process waited, and how long the clients stood still after each kill.
 */

/** One signal sent during the run; times are epoch milliseconds. */
export interface KillEvent {
  /** e.g. `SIGKILL worker-2`. */
  label: string;
  signal: 'SIGTERM' | 'SIGKILL';
  at: number;
  /** When the replacement process was ready (a worker polling, a gateway answering), if one was started. */
  replacedAt?: number;
  /** The next kill, or the end of the load: what happened from then on belongs to it. */
  until: number;
}

/** What one run's history says about lost tasks; epoch milliseconds. */
export interface RunTaskTimes {
  workflowId: string;
  /** Workflow or activity tasks that timed out (their worker was gone). */
  timeouts: number[];
  /** Every WorkflowTaskStarted: the run moving on a live worker. */
  workflowTaskStarts: number[];
}

/**
 * The wait of each run that lost a task to this kill: from the kill until a live worker started
 * its next workflow task after the timeout. A run that lost nothing is not listed (a drained
 * SIGTERM should list none).
 */
export function lostTaskWaits(kill: KillEvent, runs: readonly RunTaskTimes[]): number[] {
  const waits: number[] = [];
  for (const run of runs) {
    let longest: number | undefined;
    for (const timeout of run.timeouts) {
      if (timeout < kill.at || timeout >= kill.until) continue;
      const resumed = run.workflowTaskStarts.find((start) => start > timeout);
      if (resumed === undefined) continue;
      longest = Math.max(longest ?? 0, resumed - kill.at);
    }
    if (longest !== undefined) waits.push(longest);
  }
  return waits;
}

export interface ClientResumption {
  /** From the kill to the first progress of any client. */
  firstClientMs: number | undefined;
  /** From the kill until every client had made progress again: the all-client gap. */
  everyClientMs: number | undefined;
  /** Clients that made no progress before the next kill. */
  stalledClients: number;
}

/**
 * How the clients came back after a kill, from each client's progress times (a chat answered, an
 * approval taken, a run seen completed). Clients that had stopped before the kill are left out.
 */
export function clientResumption(kill: KillEvent, progressByClient: readonly (readonly number[])[]): ClientResumption {
  const firsts: number[] = [];
  let stalledClients = 0;
  for (const progress of progressByClient) {
    const first = progress.find((t) => t > kill.at);
    if (first === undefined) continue;
    if (first >= kill.until) stalledClients++;
    else firsts.push(first - kill.at);
  }
  return {
    firstClientMs: firsts.length ? Math.min(...firsts) : undefined,
    everyClientMs: firsts.length && stalledClients === 0 ? Math.max(...firsts) : undefined,
    stalledClients,
  };
}

/** The p-th percentile (nearest rank) of the values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[rank]!);
}

/** `p50 / p99 / max` of the values in milliseconds, or `none`. */
export function spread(values: readonly number[]): string {
  if (values.length === 0) return 'none';
  const [p50, p99, max] = [percentile(values, 50), percentile(values, 99), percentile(values, 100)];
  return `p50 ${p50} ms / p99 ${p99} ms / max ${max} ms (n=${values.length})`;
}
