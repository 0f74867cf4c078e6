/**
 * How a query that goes unanswered is reported: 503 run_unresponsive when Temporal answers but the
 * run does not (however gRPC ended the call), 503 temporal_unavailable when Temporal does not.
 */
import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { ApiError, ErrorCode } from '../../src/gateway/errors.js';
import { queryWithDeadline } from '../../src/gateway/query-deadline.js';
import { freePort } from '../helpers/ports.js';

/** The client calls queryWithDeadline makes, without a server; `serverUp` decides the reachability probe. */
function fakeClient(serverUp: boolean): Client {
  return {
    withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
    withAbortSignal: <T>(_signal: AbortSignal, fn: () => Promise<T>) => fn(),
    workflowService: {
      getSystemInfo: () => (serverUp ? Promise.resolve({}) : Promise.reject(grpcError(14, 'No connection established'))),
    },
  } as unknown as Client;
}

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
    ['a ServiceError wrapping CANCELLED', Object.assign(new Error('Failed to query Workflow'), { cause: grpcError(1, 'Call cancelled') })],
  ])('%s is 503 run_unresponsive while Temporal answers', async (_, err) => {
    const outcome = await queryWithDeadline(fakeClient(true), 20, failingAfter(30, err)).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(ApiError);
    expect(outcome).toMatchObject({ status: 503, code: ErrorCode.RunUnresponsive });
  });

  it('leaves a CANCELLED that came before the deadline as it was', async () => {
    const cancelled = grpcError(1, 'Call cancelled');
    expect(await queryWithDeadline(fakeClient(true), 5000, failingAfter(0, cancelled)).catch((e: unknown) => e)).toBe(cancelled);
  });

  it('is 503 temporal_unavailable, before the deadline, when Temporal does not answer a probe', async () => {
    const neverAnswers = () => new Promise<never>(() => undefined);
    const outcome = await queryWithDeadline(fakeClient(false), 60_000, neverAnswers).catch((e: unknown) => e);
    expect(outcome).toMatchObject({ status: 503, code: ErrorCode.TemporalUnavailable });
    expect((outcome as Error).message).toContain('No connection established');
  });

  it('is 503 temporal_unavailable for a real client whose server is not there', async () => {
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const client = new Client({ connection });
    try {
      // The deadline is longer than the test's timeout: only the probe can end this query in time.
      const outcome = await queryWithDeadline(client, 120_000, () => client.workflow.getHandle('no-such-run').query('run')).catch((e: unknown) => e);
      expect(outcome).toMatchObject({ status: 503, code: ErrorCode.TemporalUnavailable });
    } finally {
      await connection.close();
    }
  });
});
