/**
 * The gateway's connection to Temporal. By default the SDK retries an unreachable server for
 * about 17 s (10 attempts, backoff x1.7 from 100 ms) before a call fails. Someone waiting on an
 * HTTP answer is better served by a 503 temporal_unavailable within about a second, after which
 * retrying is the client's choice. The worker keeps the SDK's defaults: nobody waits on it.
 */
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';
import { temporalConnectionSettings, type TemporalConnectionConfig } from '../src/runtime/temporal-connection.js';

/** Attempts per call; with the SDK's backoff (100, 170, 289, 491 ms) about one second of retrying. */
export const GATEWAY_GRPC_ATTEMPTS = 5;

export function gatewayConnectionOptions(config: TemporalConnectionConfig): ConnectionOptions {
  return {
    ...temporalConnectionSettings(config),
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: GATEWAY_GRPC_ATTEMPTS }))],
  };
}
