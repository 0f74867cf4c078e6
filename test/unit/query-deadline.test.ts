/** How a query that outlives the gateway's deadline is reported: 503 run_unresponsive, however gRPC ended it. */
import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { ApiError, ErrorCode } from '../../src/gateway/errors.js';
import { queryWithDeadline } from '../../src/gateway/runs.js';

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
    ['a ServiceError wrapping CANCELLED', Object.assign(new Error('Failed to query Workflow'), { cause: grpcError(1, 'Call cancelled') })],
  ])('%s is 503 run_unresponsive', async (_, err) => {
    const outcome = await queryWithDeadline(client, 20, failingAfter(30, err)).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(ApiError);
    expect(outcome).toMatchObject({ status: 503, code: ErrorCode.RunUnresponsive });
  });

  it('leaves a CANCELLED that came before the deadline as it was', async () => {
    const cancelled = grpcError(1, 'Call cancelled');
    expect(await queryWithDeadline(client, 5000, failingAfter(0, cancelled)).catch((e: unknown) => e)).toBe(cancelled);
  });
});
