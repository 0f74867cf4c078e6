/**
 * State changes only from the gateway's own page. A browser says where a request comes from
 * (`Origin`, else `Sec-Fetch-Site`, else `Referer`; `Origin: null` defers to `Sec-Fetch-Site`);
 * a foreign page's form or fetch is refused with 403 forbidden_origin. A request with none of the
 * three is not from a browser (curl, a chat bot, a script) and is served: such a client holds its
 * own credentials (or, with auth off, runs on this machine). With auth off this is all that stands
 * between a web page and the money, so the `Host` must also be a loopback name or an allowed
 * origin's host, which stops DNS rebinding (a foreign name resolved to 127.0.0.1 would otherwise
 * be "same origin").
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError, ErrorCode } from './errors.js';
import { isLoopbackHost } from './listen-policy.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface OriginGuardOptions {
  /** Origins besides the gateway's own that may change state, e.g. `https://ops.example.com`. */
  allowedOrigins: readonly string[];
  /** Auth off: also require a loopback or allowed Host on every request. */
  checkHost: boolean;
}

function forbidden(message: string): ApiError {
  return new ApiError(403, ErrorCode.ForbiddenOrigin, message);
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
}

export function originGuard(options: OriginGuardOptions): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins);
  const allowedHosts = new Set(options.allowedOrigins.map((o) => new URL(o).host));
  return async function checkOrigin(c, next) {
    const url = new URL(c.req.url);
    if (options.checkHost && !isLoopbackHost(url.hostname) && !allowedHosts.has(url.host)) {
      throw forbidden(
        `Host ${url.host} is not this gateway's (with auth off it answers only to localhost, 127.0.0.1 or ::1)`,
      );
    }
    if (SAFE_METHODS.has(c.req.method)) return next();
    const own = url.origin;
    const mayAct = (origin: string | undefined) => origin !== undefined && (origin === own || allowed.has(origin));
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    // `Origin: null` comes from an opaque origin (a sandboxed frame, a file), but also from this gateway's own
    // page when its Referrer-Policy is no-referrer (the link pages); Sec-Fetch-Site, which no page can set, tells
    // which. Without it, null stays refused.
    const originSays = origin !== undefined && !(origin === 'null' && site !== undefined);
    if (originSays) {
      if (!mayAct(origin === 'null' ? undefined : originOf(origin)))
        throw forbidden(`Requests from ${origin} may not change state here (allow it with GATEWAY_ALLOWED_ORIGINS)`);
      return next();
    }
    if (site !== undefined) {
      if (site !== 'same-origin' && site !== 'none') throw forbidden(`A ${site} request may not change state here`);
      return next();
    }
    const referer = c.req.header('referer');
    if (referer !== undefined && !mayAct(originOf(referer)))
      throw forbidden('Requests from another page may not change state here');
    return next();
  };
}
