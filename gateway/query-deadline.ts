/**
 * Queries with a deadline. A query that finds no worker is held by the server for tens of
 * seconds, so the gateway gives up sooner and says the run is unresponsive. (An unreachable
 * Temporal fails sooner still, as UNAVAILABLE: see gateway-connection.ts.)
 */
import { isGrpcCancelledError, isGrpcDeadlineError, type Client } from '@temporalio/client';
import { ApiError, ErrorCode, isWithoutWorker } from './errors.js';

/** How long a query may take before the run counts as unresponsive (no worker, or one far behind). */
export const DEFAULT_QUERY_TIMEOUT_MS = 5000;

function causeOf(err: unknown): unknown {
  return (err as { cause?: unknown } | undefined)?.cause;
}

/**
 * A query that is not answered within `timeoutMs`, or that the server refuses because no worker
 * can answer now, is a 503 run_unresponsive, so callers fall back to what needs no worker.
 */
export async function queryWithDeadline<T>(client: Client, timeoutMs: number, run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  try {
    return await client.withDeadline(deadline, run);
  } catch (err) {
    // A deadline that passes while the SDK waits to retry the call surfaces as CANCELLED, not DEADLINE_EXCEEDED.
    const pastDeadline = Date.now() >= deadline && (isGrpcCancelledError(err) || isGrpcCancelledError(causeOf(err)));
    if (pastDeadline || isGrpcDeadlineError(err) || isGrpcDeadlineError(causeOf(err)) || isWithoutWorker(err)) {
      throw new ApiError(
        503,
        ErrorCode.RunUnresponsive,
        `The run did not answer within ${timeoutMs} ms (is a worker polling its task queue?)`,
      );
    }
    throw err;
  }
}
