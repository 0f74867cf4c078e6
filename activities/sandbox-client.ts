/**
 * A small JSON-over-HTTP client for the sandbox backend, used by the tool activities.
 *
 * Maps answers onto the system's failure model: a 2xx returns the body; a 4xx business refusal
 * becomes a non-retryable ApplicationFailure with a FailureType; a 5xx, a timeout or a network
 * error becomes a plain Error, which the activity's retry policy retries. Inside an activity the
 * call heartbeats while it waits (heartbeat.ts).
 */
import { context, propagation } from '@opentelemetry/api';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import { FailureType } from '../src/shared/errors.js';
import { SANDBOX_CALL_TIMEOUT_MS } from '../src/shared/timeouts.js';
import { issueLines } from '../src/shared/zod-issues.js';
import { whileHeartbeating } from './heartbeat.js';

export interface SandboxClientOptions {
  /** e.g. `http://127.0.0.1:8081` */
  baseUrl: string;
  /** The sandbox's service credential, sent on every call as `Authorization: Bearer …`. */
  token: string;
  /** Per-call timeout; SANDBOX_CALL_TIMEOUT_MS unless given. */
  timeoutMs?: number;
}

export interface SandboxRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Sent as the `Idempotency-Key` header. */
  idempotencyKey?: string;
  /** Aborts the call, e.g. the activity's cancellation signal; its reason is rethrown. */
  signal?: AbortSignal;
  /** FailureType for particular 4xx statuses, overriding the defaults (see `failureTypeFor`). */
  failureTypes?: Partial<Record<number, FailureType>>;
}

export type CallOptions = Omit<SandboxRequest, 'method' | 'path' | 'body'>;

/** 4xx statuses that say "try again later" rather than "this request is wrong". */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/** Default FailureType of a non-retryable 4xx answer. */
export function failureTypeFor(status: number): FailureType {
  if (status === 400 || status === 413 || status === 415) return FailureType.InvalidToolArgs;
  if (status === 409) return FailureType.IdempotencyConflict;
  return FailureType.BusinessRuleViolation;
}

export class SandboxClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly authorization: string;

  constructor(options: SandboxClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.authorization = `Bearer ${options.token}`;
    this.timeoutMs = options.timeoutMs ?? SANDBOX_CALL_TIMEOUT_MS;
  }

  async post<S extends z.ZodType>(
    path: string,
    body: unknown,
    schema: S,
    options: CallOptions = {},
  ): Promise<z.output<S>> {
    return this.request({ ...options, method: 'POST', path, body }, schema);
  }

  async get<S extends z.ZodType>(path: string, schema: S, options: CallOptions = {}): Promise<z.output<S>> {
    return this.request({ ...options, method: 'GET', path }, schema);
  }

  /**
   * Sends one request and returns its 2xx body validated by `schema`, or throws as described
   * above. A 2xx body that does not match `schema` is a plain (retryable) Error.
   */
  async request<S extends z.ZodType>(req: SandboxRequest, schema: S): Promise<z.output<S>> {
    const url = `${this.baseUrl}${req.path}`;
    const what = `${req.method} ${url}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', authorization: this.authorization };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;
    const workflowId = callingWorkflowId();
    // Names the run in the sandbox's request log (WORKFLOW_ID_HEADER in src/telemetry/logging.ts).
    if (workflowId) headers['x-workflow-id'] = workflowId;
    // The activity's span as the sandbox's parent (`traceparent`); nothing is added while tracing is off.
    propagation.inject(context.active(), headers);

    let response: Response;
    let text: string;
    try {
      [response, text] = await whileHeartbeating(async () => {
        const answer = await fetch(url, {
          method: req.method,
          headers,
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal,
        });
        return [answer, await answer.text()] as const;
      });
    } catch (err) {
      throw this.transportError(err, what, req.signal, timeout);
    }

    const body = parseJson(text);
    if (response.ok) {
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        throw new Error(
          `sandbox returned an unexpected ${response.status} answer for ${what}: ` +
            (issueLines(parsed.error.issues, 'body')[0] ?? 'invalid body'),
        );
      }
      return parsed.data;
    }
    const message = describe(body, text, response.status);
    if (response.status >= 500 || RETRYABLE_4XX.has(response.status)) {
      throw new Error(`sandbox answered ${response.status} for ${what}: ${message}`);
    }
    throw ApplicationFailure.create({
      type: req.failureTypes?.[response.status] ?? failureTypeFor(response.status),
      message,
      nonRetryable: true,
      details: [{ status: response.status, body: body ?? text }],
    });
  }

  private transportError(
    err: unknown,
    what: string,
    callerSignal: AbortSignal | undefined,
    timeout: AbortSignal,
  ): unknown {
    if (callerSignal?.aborted) return callerSignal.reason ?? err;
    if (timeout.aborted) return new Error(`sandbox did not answer within ${this.timeoutMs} ms: ${what}`);
    return new Error(`sandbox unreachable at ${this.baseUrl}: ${causeOf(err)} (${what})`, { cause: err });
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(body: unknown, text: string, status: number): string {
  if (
    typeof body === 'object' &&
    body !== null &&
    'message' in body &&
    typeof body.message === 'string' &&
    body.message !== ''
  ) {
    return body.message;
  }
  return text.trim().slice(0, 200) || `HTTP ${status}`;
}

/** `ECONNREFUSED` and friends from undici's `fetch failed` TypeError. */
function causeOf(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (e instanceof AggregateError && e.errors.length > 0) e = e.errors[0];
    else if (e.cause !== undefined) e = e.cause;
    else break;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The workflow of the activity making the call; none outside an activity (scripts, tests). */
function callingWorkflowId(): string | undefined {
  try {
    return Context.current().info.workflowExecution?.workflowId;
  } catch {
    return undefined;
  }
}
