/**
 * Typed replies: a handler answers with `reply(c, Schema, value)`, where Schema is the zod schema
 * the OpenAPI document lists for the route, so a value the document does not describe does not
 * compile.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export function reply<S extends z.ZodType>(
  c: Context,
  _schema: S,
  value: z.input<S>,
  status: ContentfulStatusCode = 200,
): Response {
  return c.json(value as Record<string, unknown>, status);
}
