/**
 * The gateway's one error shape, `{ "error": { "code", "message" } }`, and the one place that
 * maps everything thrown by a handler (validation, Temporal, our own refusals) to an HTTP status.
 */
import { isGrpcServiceError, QueryNotRegisteredError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { ApprovalRecord } from '../src/shared/contracts.js';
import { DecisionErrorType } from '../src/shared/messages.js';
import { issueLines } from '../src/shared/zod-issues.js';

export const ErrorCode = {
  InvalidRequest: 'invalid_request',
  InvalidJson: 'invalid_json',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  /** `POST /workflow/{session_id}/approve` without `approval_id` while more than one approval is pending. */
  AmbiguousApproval: 'ambiguous_approval',
  /** A cancel (or a decision) that found the run finished, or lost the race to its end. */
  AlreadyFinished: 'already_finished',
  /** A JSON route sent a body that is not `application/json`. */
  UnsupportedMediaType: 'unsupported_media_type',
  /** A state-changing request from a browser page on another origin (or to a foreign Host). */
  ForbiddenOrigin: 'forbidden_origin',
  /** The gateway holds its bound of open stream tickets; they expire within a minute. */
  TooManyTickets: 'too_many_tickets',
  PayloadTooLarge: 'payload_too_large',
  TemporalUnavailable: 'temporal_unavailable',
  /** Readiness only: the gateway is still reading the approvals inbox for the first time. */
  Starting: 'starting',
  /** A decision sent an `action_hash` that no longer matches the approval: what was approved changed. */
  StaleApproval: 'stale_approval',
  /** A review decision whose `review_hash` no longer matches the request: a plan or an action changed since. */
  StaleReview: 'stale_review',
  /** The run did not accept a decision within the wait budget (no worker polling?). */
  RunUnresponsive: 'run_unresponsive',
  Internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Extra fields some errors carry: the pending approvals an ambiguous decision could mean. */
export interface ErrorDetails {
  pending_approvals?: ApprovalRecord[];
  /** With stale_approval: the approval as it waits now, so the decider sees the action they would decide. */
  current_approval?: ApprovalRecord;
}

export interface ErrorBody {
  error: { code: string; message: string } & ErrorDetails;
}

/** A refusal the gateway means to send: its status, a stable code and a message for people. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
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
  static ambiguousApproval(message: string, pending: ApprovalRecord[]): ApiError {
    return new ApiError(409, ErrorCode.AmbiguousApproval, message, { pending_approvals: pending });
  }
  static staleApproval(message: string, current?: ApprovalRecord): ApiError {
    return new ApiError(409, ErrorCode.StaleApproval, message, current ? { current_approval: current } : {});
  }
  static staleReview(message: string): ApiError {
    return new ApiError(409, ErrorCode.StaleReview, message);
  }
  static alreadyFinished(message: string): ApiError {
    return new ApiError(409, ErrorCode.AlreadyFinished, message);
  }
}

export function errorBody(code: string, message: string, details: ErrorDetails = {}): ErrorBody {
  return { error: { code, message, ...details } };
}

/** "body.amount: Expected number; query.user_id: Required" — every issue with its field path. */
export function describeZodError(error: z.ZodError, where?: string): string {
  return issueLines(error.issues, '(root)', where).join('; ');
}

const DECISION_STATUS: Record<string, { status: ContentfulStatusCode; code: string }> = {
  [DecisionErrorType.UnknownApproval]: { status: 404, code: ErrorCode.NotFound },
  [DecisionErrorType.AlreadyDecided]: { status: 409, code: ErrorCode.Conflict },
  [DecisionErrorType.Forbidden]: { status: 403, code: ErrorCode.Forbidden },
  [DecisionErrorType.Expired]: { status: 409, code: ErrorCode.Conflict },
  [DecisionErrorType.Stale]: { status: 409, code: ErrorCode.StaleApproval },
  [DecisionErrorType.ReviewStale]: { status: 409, code: ErrorCode.StaleReview },
  [DecisionErrorType.InvalidArgs]: { status: 400, code: ErrorCode.InvalidRequest },
  [DecisionErrorType.NotHolding]: { status: 409, code: ErrorCode.Conflict },
  // The run does not trust this gateway's signing key: a deployment fault, not the caller's.
  [DecisionErrorType.Unauthenticated]: { status: 500, code: ErrorCode.Internal },
};

/** What a thrown value means for the client; undefined for an unexpected error (a 500). */
export function classifyError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return ApiError.badRequest(describeZodError(err));
  if (err instanceof WorkflowNotFoundError) return ApiError.notFound(`No workflow ${err.workflowId}`);
  if (err instanceof QueryNotRegisteredError) return ApiError.notFound('No such request workflow');
  if (err instanceof WorkflowExecutionAlreadyStartedError)
    return ApiError.conflict('A workflow with this id already exists');
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
  if (isWithoutWorker(err)) {
    return new ApiError(
      503,
      ErrorCode.RunUnresponsive,
      'No worker can answer for the run now (none polls its task queue, or its last task died with a worker); ' +
        'try again shortly',
    );
  }
  return undefined;
}

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const FAILED_PRECONDITION = 9;

/** The gRPC errors in an error's cause chain (the SDK wraps them in ServiceError and friends). */
function grpcErrors(err: unknown): { code: number; details: string }[] {
  const found: { code: number; details: string }[] = [];
  for (let current: unknown = err, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (isGrpcServiceError(current)) found.push({ code: current.code, details: current.details ?? '' });
    current = current.cause;
  }
  return found;
}

/** A connection failure to Temporal (or a call that ran out of time), however the SDK wrapped it. */
export function isUnavailable(err: unknown): boolean {
  return grpcErrors(err).some((e) => e.code === UNAVAILABLE || e.code === DEADLINE_EXCEEDED);
}

/**
 * A query the server refused because no worker can answer it now: none polls the run's task
 * queue, or the run's last workflow task failed or timed out (its worker died) and no worker has
 * taken the retry yet.
 */
export function isWithoutWorker(err: unknown): boolean {
  return grpcErrors(err).some(
    (e) => e.code === FAILED_PRECONDITION && /no poller|workflow task in failed state/i.test(e.details),
  );
}

/** Hono's `onError`: one shape for every failure; unexpected ones are logged, never sent. */
export function onError(err: Error, c: Context): Response {
  const known = classifyError(err) ?? httpExceptionOf(err);
  if (known) return c.json(errorBody(known.code, known.message, known.details), known.status);
  console.error(`gateway: ${c.req.method} ${c.req.path} failed:`, err);
  return c.json(errorBody(ErrorCode.Internal, 'Internal server error'), 500);
}

const HTTP_EXCEPTION_CODES: Record<number, ErrorCode> = {
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
};

/** Hono's own HTTPExceptions (for instance from a middleware) keep their status. */
function httpExceptionOf(err: Error): ApiError | undefined {
  const status = (err as { status?: unknown }).status;
  if (err.name !== 'HTTPException' || typeof status !== 'number' || status < 400 || status > 599) return undefined;
  if (status >= 500) return undefined;
  return new ApiError(
    status as ContentfulStatusCode,
    HTTP_EXCEPTION_CODES[status] ?? ErrorCode.InvalidRequest,
    err.message || 'Bad request',
  );
}

export function notFoundHandler(c: Context): Response {
  return c.json(errorBody(ErrorCode.NotFound, `No route for ${c.req.method} ${c.req.path}`), 404);
}
