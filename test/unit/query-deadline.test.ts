/**
 * How a query that goes unanswered is reported: 503 run_unresponsive when the deadline passes
 * (however gRPC ended the call), and 503 temporal_unavailable, well before the deadline, when the
 * gateway's connection cannot reach Temporal at all.
 */
import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { ApiError, classifyError, ErrorCode } from '../../gateway/errors.js';
import { gatewayConnectionOptions } from '../../gateway/gateway-connection.js';
import { queryWithDeadline } from '../../gateway/query-deadline.js';
import { freePort } from '../../dev/ports.js';

/** withDeadline as the SDK runs it, without a server: the deadline only bounds the call. */
const client = { withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn() } as unknown as Client;

function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

function failingAfter(ms: number, err: Error): () => Promise<never> {
  return () => new Promise((_, reject) => setTimeout(() => reject(err), ms));
}

describe('queryWithDeadline', () => {
  it.each([
    ['DEADLINE_EXCEEDED', grpcError(4, 'Deadline exceeded')],
    ['CANCELLED after the deadline (the SDK was waiting to retry)', grpcError(1, 'Call cancelled')],
    [
      'a ServiceError wrapping CANCELLED',
      Object.assign(new Error('Failed to query Workflow'), { cause: grpcError(1, 'Call cancelled') }),
    ],
  ])('%s is 503 run_unresponsive', async (_, err) => {
    const outcome = await queryWithDeadline(client, 20, failingAfter(30, err)).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(ApiError);
    expect(outcome).toMatchObject({ status: 503, code: ErrorCode.RunUnresponsive });
  });

  it('leaves a CANCELLED that came before the deadline as it was', async () => {
    const cancelled = grpcError(1, 'Call cancelled');
    expect(await queryWithDeadline(client, 5000, failingAfter(0, cancelled)).catch((e: unknown) => e)).toBe(cancelled);
  });

  it("is temporal_unavailable before the deadline on the gateway's connection to a server that is not there", async () => {
    const connection = Connection.lazy(gatewayConnectionOptions({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }));
    const unreachable = new Client({ connection });
    try {
      // With the SDK's default retries the call would still be retrying when this deadline passes.
      const outcome = await queryWithDeadline(unreachable, 8000, () =>
        unreachable.workflow.getHandle('no-such-run').query('run'),
      ).catch((e: unknown) => e);
      expect(classifyError(outcome)).toMatchObject({ status: 503, code: ErrorCode.TemporalUnavailable });
    } finally {
      await connection.close();
    }
  });
});
