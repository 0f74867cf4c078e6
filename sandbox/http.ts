/**
 * The sandbox's HTTP edge: one error type, one error body shape, JSON body parsing and zod
 * validation whose messages name the offending field (`amount: must be positive`).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { firstIssueOfEachField, issueLines } from '../src/shared/zod-issues.js';

/** Every error answer of the sandbox has this shape. */
export interface ErrorBody {
  success: false;
  message: string;
}

/** Thrown by handlers and helpers; turned into `{ success: false, message }` by the app's onError. */
export class SandboxError extends Error {
  override name = 'SandboxError';
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(message: string): ErrorBody {
  return { success: false, message };
}

/** Reads the request body as JSON; a missing or malformed body is a 400. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new SandboxError(400, 'body: a JSON object is required');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SandboxError(400, 'body: malformed JSON');
  }
}

const MAX_KEY_LENGTH = 255;

/** The `Idempotency-Key` header, required on every write. */
export function requireIdempotencyKey(c: Context): string {
  const key = optionalIdempotencyKey(c);
  if (key === undefined) throw new SandboxError(400, 'Idempotency-Key: header is required');
  return key;
}

export function optionalIdempotencyKey(c: Context): string | undefined {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new SandboxError(400, `Idempotency-Key: must be 1-${MAX_KEY_LENGTH} printable characters without spaces`);
  }
  return key;
}

/** Validates `data` with `schema`; the first problem becomes a 400 naming its field. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data, { error: issueMessage });
  if (result.success) return result.data;
  throw new SandboxError(400, describeIssues(result.error.issues));
}

/** `field: problem`, the first problem of each field, at most three fields. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issueLines(firstIssueOfEachField(issues).slice(0, 3), 'body').join('; ');
}

const NOUNS: Record<string, string> = { int: 'an integer', array: 'an array', object: 'an object' };

function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${NOUNS[issue.expected] ?? `a ${issue.expected}`}`;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array')
        return `must have at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
}
