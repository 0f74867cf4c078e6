/**
 * The sandbox's door: it answers only to its own host names (a DNS-rebinding page cannot reach it
 * under a foreign name) and moves money or shows accounts only for a caller with the service token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { errorBody } from './http.js';

export interface ServiceAuthOptions {
  /** The shared service credential (SANDBOX_TOKEN). */
  token: string;
  /** The port the sandbox listens on: `127.0.0.1:<port>` and `localhost:<port>` are its own names. */
  port: number;
  /** Further `Host` values to answer to (SANDBOX_ALLOWED_HOSTS), e.g. `sandbox.internal:8081`. */
  allowedHosts?: readonly string[];
}

/** 421 for a request addressed to a name this service does not have (or to none). */
export function hostCheck(options: ServiceAuthOptions): MiddlewareHandler {
  const allowed = new Set(
    [`127.0.0.1:${options.port}`, `localhost:${options.port}`, ...(options.allowedHosts ?? [])].map((h) =>
      h.toLowerCase(),
    ),
  );
  return async function checkHost(c, next) {
    const host = c.req.header('host')?.toLowerCase();
    if (host === undefined || !allowed.has(host)) {
      return c.json(
        errorBody(`Host: ${host === undefined ? 'missing' : `"${host}" is not a name of this service`}`),
        421,
      );
    }
    await next();
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** 401 unless the request carries `Authorization: Bearer <token>`; compared in constant time. */
export function requireServiceToken(options: ServiceAuthOptions): MiddlewareHandler {
  const expected = digest(`Bearer ${options.token}`);
  return async function checkServiceToken(c, next) {
    // Hashing first makes the comparison's time independent of where, and whether, lengths differ.
    const presented = digest(c.req.header('authorization') ?? '');
    if (!timingSafeEqual(presented, expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="sandbox"');
      return c.json(errorBody('Authorization: a valid service token is required (Bearer SANDBOX_TOKEN)'), 401);
    }
    await next();
  };
}
