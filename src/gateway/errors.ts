/**
 * The gateway's one error shape, `{ "error": { "code", "message" } }`, and the one place that
 * maps everything thrown by a handler (validation, Temporal, our own refusals) to an HTTP status.
 */
import { isGrpcServiceError, QueryNotRegisteredError, ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { DecisionErrorType } from '../shared/definitions.js';

export const ErrorCode = {
  InvalidRequest: 'invalid_request',
  InvalidJson: 'invalid_json',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  PayloadTooLarge: 'payload_too_large',
  TemporalUnavailable: 'temporal_unavailable',
  Internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorBody {
  error: { code: string; message: string };
}

/** A refusal the gateway means to send: its status, a stable code and a message for people. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, ErrorCode.InvalidRequest, message);
  }
  static notFound(message: string): ApiError {
    return new ApiError(404, ErrorCode.NotFound, message);
  }
  static conflict(message: string): ApiError {
    return new ApiError(409, ErrorCode.Conflict, message);
  }
  static forbidden(message: string): ApiError {
    return new ApiError(403, ErrorCode.Forbidden, message);
  }
  static unauthorized(message: string): ApiError {
    return new ApiError(401, ErrorCode.Unauthorized, message);
  }
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** "body.amount: Expected number; query.user_id: Required" — every issue with its field path. */
export function describeZodError(error: z.ZodError, where?: string): string {
  return error.issues
    .map((issue) => {
      const path = [where, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

const DECISION_STATUS: Record<string, { status: ContentfulStatusCode; code: string }> = {
  [DecisionErrorType.UnknownApproval]: { status: 404, code: ErrorCode.NotFound },
  [DecisionErrorType.AlreadyDecided]: { status: 409, code: ErrorCode.Conflict },
  [DecisionErrorType.Forbidden]: { status: 403, code: ErrorCode.Forbidden },
};

/** What a thrown value means for the client; undefined for an unexpected error (a 500). */
export function classifyError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return ApiError.badRequest(describeZodError(err));
  if (err instanceof WorkflowNotFoundError) return ApiError.notFound('No such workflow');
  if (err instanceof QueryNotRegisteredError) return ApiError.notFound('No such request workflow');
  if (err instanceof WorkflowExecutionAlreadyStartedError) return ApiError.conflict('A workflow with this id already exists');
  if (err instanceof WorkflowUpdateFailedError || err instanceof ApplicationFailure) {
    const failure = err instanceof ApplicationFailure ? err : err.cause;
    if (failure instanceof ApplicationFailure && failure.type != null) {
      const mapped = DECISION_STATUS[failure.type];
      if (mapped) return new ApiError(mapped.status, mapped.code, failure.message);
    }
    return undefined;
  }
  if (isUnavailable(err)) {
    return new ApiError(503, ErrorCode.TemporalUnavailable, 'Temporal is unreachable; try again shortly');
  }
  return undefined;
}

const UNAVAILABLE_CODES = new Set([14 /* UNAVAILABLE */, 4 /* DEADLINE_EXCEEDED */]);

/** A connection failure to Temporal, however the SDK wrapped it. */
export function isUnavailable(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; current !== undefined && depth < 5; depth++) {
    if (isGrpcServiceError(current) && UNAVAILABLE_CODES.has(current.code)) return true;
    if (current instanceof Error && /\b(UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED)\b/.test(current.message)) {
      if (current instanceof ServiceError || isGrpcServiceError(current)) return true;
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}

/** Hono's `onError`: one shape for every failure; unexpected ones are logged, never sent. */
export function onError(err: Error, c: Context): Response {
  const known = classifyError(err) ?? httpExceptionOf(err);
  if (known) return c.json(errorBody(known.code, known.message), known.status);
  console.error(`gateway: ${c.req.method} ${c.req.path} failed:`, err);
  return c.json(errorBody(ErrorCode.Internal, 'Internal server error'), 500);
}

/** Hono's own HTTPExceptions (for instance from a middleware) keep their status. */
function httpExceptionOf(err: Error): ApiError | undefined {
  const status = (err as { status?: unknown }).status;
  if (err.name !== 'HTTPException' || typeof status !== 'number' || status < 400 || status > 599) return undefined;
  if (status >= 500) return undefined;
  return new ApiError(status as ContentfulStatusCode, status === 413 ? ErrorCode.PayloadTooLarge : ErrorCode.InvalidRequest, err.message || 'Bad request');
}

export function notFoundHandler(c: Context): Response {
  return c.json(errorBody(ErrorCode.NotFound, `No route for ${c.req.method} ${c.req.path}`), 404);
}
