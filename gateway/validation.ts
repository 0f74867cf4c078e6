/**
 * Parsing at the edge: what a route's declaration does not validate itself (the body read before
 * its fields, a body-or-query submit, headers) goes through these.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, describeZodError, ErrorCode } from './errors.js';

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ApiError.badRequest(describeZodError(result.error, where));
  return result.data;
}

/**
 * JSON routes take only `application/json`: a page on another origin can send text/plain or a
 * form without a preflight, never JSON. 415 otherwise (an empty body with no type is left to the
 * empty-body check).
 */
export function assertJsonContentType(c: Context, bodyIsEmpty: boolean): void {
  const header = c.req.header('content-type');
  if (header === undefined && bodyIsEmpty) return;
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return;
  const got = header === undefined ? 'none' : JSON.stringify(header.slice(0, 100));
  throw new ApiError(415, ErrorCode.UnsupportedMediaType, `Content-Type must be application/json (got ${got})`);
}

/** The body as JSON: malformed or empty JSON is a 400 of its own, before any field is looked at. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  assertJsonContentType(c, text === '');
  if (text.trim() === '')
    throw new ApiError(400, ErrorCode.InvalidJson, 'Request body is empty; expected a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ApiError(
      400,
      ErrorCode.InvalidJson,
      `Malformed JSON body: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** A JSON body when one was sent, else the query string (the Life-OS API's submit accepts both). */
export async function parseBodyOrQuery<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  assertJsonContentType(c, text === '');
  if (text.trim() === '') return parseWith(schema, c.req.query(), 'query');
  try {
    return parseWith(schema, JSON.parse(text) as unknown, 'body');
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(
      400,
      ErrorCode.InvalidJson,
      `Malformed JSON body: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The optional `Idempotency-Key` header: 1-200 printable ASCII characters without spaces. */
export function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key))
    throw ApiError.badRequest('header.Idempotency-Key: must be 1-200 printable ASCII characters without spaces');
  return key;
}
