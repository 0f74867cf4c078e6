/**
 * Role `auditor` reads evidence and nothing else: the audit trail, its export, policy simulation
 * and the page that shows them. Every other route answers 403 to an auditor, so no rule elsewhere
 * (who may decide, who sees which runs) has to know the role exists.
 */
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from './context.js';
import { ApiError } from './errors.js';

const AUDITOR_ROUTES: readonly { method: string; path: RegExp }[] = [
  { method: 'GET', path: /^\/api\/audit(\/export|\/verify)?$/ },
  { method: 'GET', path: /^\/api\/config$/ },
  { method: 'POST', path: /^\/api\/policies\/simulate$/ },
  { method: 'GET', path: /^\/(healthz|readyz|openapi\.json|docs)?$/ },
  { method: 'GET', path: /^\/assets\// },
];

export function auditorScope(): MiddlewareHandler<GatewayEnv> {
  return async function auditorScope(c, next) {
    const identity = c.get('identity');
    if (identity.kind === 'token' && identity.role === 'auditor') {
      const allowed = AUDITOR_ROUTES.some((r) => r.method === c.req.method && r.path.test(c.req.path));
      if (!allowed) throw ApiError.forbidden('An auditor may only read the audit trail and simulate policies');
    }
    await next();
  };
}
