/**
 * Queries with a deadline, and telling the two reasons a query goes unanswered apart: the run has
 * no worker (Temporal answers, the run does not) or Temporal itself is unreachable. Without this,
 * a query to a stopped server waits out the SDK's retries (about 20 s) before it fails.
 */
import { isGrpcCancelledError, isGrpcDeadlineError, type Client } from '@temporalio/client';
import { ApiError, ErrorCode } from './errors.js';

/** How long a query may take before the run counts as unresponsive (no worker, or one far behind). */
export const DEFAULT_QUERY_TIMEOUT_MS = 5000;
/** A query slower than this makes the gateway check whether Temporal answers at all. */
const REACHABILITY_PROBE_AFTER_MS = 1000;
const REACHABILITY_PROBE_TIMEOUT_MS = 1000;

export function temporalUnavailable(reason: string): ApiError {
  return new ApiError(503, ErrorCode.TemporalUnavailable, `Temporal is unreachable (${reason}); try again shortly`);
}

function causeOf(err: unknown): unknown {
  return (err as { cause?: unknown } | undefined)?.cause;
}

/**
 * Resolves with the reason when Temporal does not answer a cheap call started after `afterMs`;
 * never resolves while it does. `cancel` stops a probe that has not started.
 */
function reachabilityProbe(client: Client, afterMs: number): { unreachable: Promise<{ reason: string }>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const unreachable = new Promise<{ reason: string }>((resolve) => {
    timer = setTimeout(() => {
      client
        .withDeadline(Date.now() + REACHABILITY_PROBE_TIMEOUT_MS, () => client.workflowService.getSystemInfo({}))
        .catch((err: unknown) => resolve({ reason: err instanceof Error ? err.message : String(err) }));
    }, afterMs);
  });
  return { unreachable, cancel: () => clearTimeout(timer) };
}

/**
 * A query with a deadline: without a worker the server holds a query for tens of seconds, so a
 * slow answer becomes a prompt 503 that says why (run_unresponsive, or temporal_unavailable when
 * a probe finds the server down while the query waits).
 */
export async function queryWithDeadline<T>(client: Client, timeoutMs: number, run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const abort = new AbortController();
  const answer = client.withDeadline(deadline, () => client.withAbortSignal(abort.signal, run));
  const probe = reachabilityProbe(client, Math.min(REACHABILITY_PROBE_AFTER_MS, timeoutMs / 2));
  try {
    const first = await Promise.race([answer.then((value) => ({ value })), probe.unreachable]);
    if ('value' in first) return first.value;
    abort.abort();
    answer.catch(() => undefined);
    throw temporalUnavailable(first.reason);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // A deadline that passes while the SDK waits to retry the call surfaces as CANCELLED, not DEADLINE_EXCEEDED.
    const pastDeadline = Date.now() >= deadline && (isGrpcCancelledError(err) || isGrpcCancelledError(causeOf(err)));
    if (pastDeadline || isGrpcDeadlineError(err) || isGrpcDeadlineError(causeOf(err))) {
      throw new ApiError(503, ErrorCode.RunUnresponsive, `The run did not answer within ${timeoutMs} ms (is a worker polling its task queue?)`);
    }
    throw err;
  } finally {
    probe.cancel();
  }
}
