/**
 * Routes that are their own documentation: every API route is declared with `createRoute` (path,
 * parameters, body, responses, summary) and served with `app.openapi(route, handler)`, which
 * validates what the route declares and types the handler's replies by its response schemas.
 * The OpenAPI 3.1 document is generated from those same declarations; this file holds the shared
 * pieces (the validation hook into the one error shape, error responses, headers) and the document.
 */
import { createRoute, OpenAPIHono, z, type Hook, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from './context.js';
import { ApiError, describeZodError } from './errors.js';
import { ErrorBodySchema } from './schemas.js';
import { parseWith, readJson } from './validation.js';
import { webhookEventDocs } from './webhook-events-doc.js';

const WHERE: Record<string, string> = { param: 'path', query: 'query', json: 'body', header: 'header' };

/** A request the route's schemas refuse is a 400 naming the field, in the one error shape. */
const refuseInvalid: Hook<unknown, GatewayEnv, string, undefined> = (result) => {
  if (!result.success) throw ApiError.badRequest(describeZodError(result.error, WHERE[result.target] ?? result.target));
};

/** A router whose `openapi()` routes validate into the gateway's error shape and document themselves. */
export function apiRouter() {
  return new OpenAPIHono<GatewayEnv>({ defaultHook: refuseInvalid });
}

/** Every error answer is this one shape, documented once as `#/components/schemas/Error`. */
const ErrorSchema = ErrorBodySchema.openapi('Error');

const STATUS_TEXT = {
  400: 'Invalid input (invalid_request, invalid_json)',
  401: 'Missing or unknown bearer token or stream ticket (unauthorized)',
  403:
    'Not allowed for this caller (forbidden), or a state change sent from a page on another origin ' +
    '(forbidden_origin)',
  404: 'Unknown id, or one the caller may not see: the same answer for both (not_found)',
  409:
    'Not in a state that allows it (conflict, ambiguous_approval, already_finished), or a decision on an ' +
    'action that changed since it was seen (stale_approval)',
  410: 'The approval link has expired (an HTML page)',
  413: 'Body too large (payload_too_large)',
  415: 'Body is not application/json (unsupported_media_type)',
  503:
    'Temporal unreachable, the run unresponsive, or too many stream tickets open ' +
    '(temporal_unavailable, run_unresponsive, too_many_tickets)',
} as const;
type ErrorStatus = keyof typeof STATUS_TEXT;

type ErrorResponse = {
  description: string;
  content: { 'application/json': { schema: typeof ErrorSchema } };
};

/** The error answers a route may give, each `{ error: { code, message } }`. */
export function errors<const S extends readonly ErrorStatus[]>(...statuses: S): { [K in S[number]]: ErrorResponse } {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: STATUS_TEXT[status], content: { 'application/json': { schema: ErrorSchema } } },
    ]),
  ) as { [K in S[number]]: ErrorResponse };
}

export function json<S extends z.ZodType>(schema: S, description = 'OK') {
  return { description, content: { 'application/json': { schema } } };
}

/** 202: the request is kept for the run, which acts on it when a worker runs. */
export function accepted<S extends z.ZodType>(schema: S) {
  return json(schema, 'Accepted: kept for the run, not yet applied');
}

/** A non-JSON answer (a page, a stream, a file). */
export function content<T extends string>(contentType: T, description: string) {
  return { description, content: { [contentType]: { schema: { type: 'string' as const } } } as Record<T, object> };
}

/** The body as the route validates it; its route reads it first with `readJsonFirst`. */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return { required: true, content: { 'application/json': { schema } } };
}

/**
 * Route middleware, ahead of the route's own validators: the path is checked first (as a bad id is
 * the first thing wrong), then the body read, so a non-JSON type (415) or an empty or malformed body
 * (400 invalid_json) is answered before any field of it is looked at.
 */
export function readJsonFirst(params?: z.ZodType): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    if (params) parseWith(params, c.req.param(), 'path');
    await readJson(c);
    await next();
  };
}

/** Documentation of parameters a route reads itself (a body-or-query submit, the stream's resume point). */
export function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query' as const,
    required: !(field as z.ZodType).safeParse(undefined).success,
    schema: plainSchema(field as z.ZodType, 'input'),
  }));
}

export function plainSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

export const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description: 'The same key (per user) returns the same run',
  schema: { type: 'string' as const, maxLength: 200 },
};

export const LAST_EVENT_ID_HEADER = {
  name: 'Last-Event-ID',
  in: 'header' as const,
  required: false,
  description: 'Resume after this seq',
  schema: { type: 'string' as const, pattern: '^\\d{1,9}$' },
};

/** A route's declaration beside its method and path (its summary, request and responses), as createRoute takes it. */
type RouteDeclaration = Omit<RouteConfig, 'method' | 'path'>;

/**
 * The routes of one sub-app: each carries the sub-app's `tag` (its tags, and PUBLIC where anyone may
 * call it), and is declared by its method, its path and the rest createRoute takes.
 */
export function routesTagged(tag: { tags: string[]; security?: never[] }) {
  const withMethod =
    <const M extends 'get' | 'post'>(method: M) =>
    <const P extends string, const D extends RouteDeclaration>(path: P, declaration: D) =>
      createRoute({ ...tag, ...declaration, method, path });
  return { get: withMethod('get'), post: withMethod('post') };
}

/** Routes anyone may call, with or without a token. */
export const PUBLIC = { security: [] };

function operationIdOf(method: string, path: string): string {
  const words = path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => {
    return (ch ?? '').toUpperCase();
  });
  return `${method}${words}`;
}

/**
 * The generator writes a regex with flags as `source/flags` (`^[\p{L}]+$/u`), which no JSON Schema
 * validator reads as meant: patterns keep their source only (JSON Schema patterns are Unicode-aware).
 */
function withoutRegexFlags(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRegexFlags);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      key === 'pattern' && typeof field === 'string'
        ? field.replace(/\$\/[dgimsuvy]+$/, '$')
        : withoutRegexFlags(field),
    ]),
  );
}

/** The OpenAPI 3.1 document of every route registered on `app`, with the webhooks a subscriber receives. */
export function openApiDocumentOf(app: OpenAPIHono<GatewayEnv>): Record<string, unknown> {
  const generated = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Approval workflow gateway',
      version: '0.1.0',
      description:
        'Chat and workflow API of the approval-gated workflow engine on Temporal. ' +
        'Errors are `{ "error": { "code", "message" } }`.',
    },
    security: [{ bearer: [] }, {}],
  });
  const document = withoutRegexFlags(generated) as typeof generated;
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations as Record<string, Record<string, unknown>>)) {
      operation['operationId'] ??= operationIdOf(method, path);
    }
  }
  return {
    ...document,
    webhooks: webhookEventDocs((schema) => plainSchema(schema, 'output')),
    components: {
      ...document.components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'Only when the gateway runs with GATEWAY_AUTH=token (a token from GATEWAY_TOKENS_FILE) or ' +
            'GATEWAY_AUTH=jwt (a JWT signed by JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE)',
        },
      },
    },
  };
}
