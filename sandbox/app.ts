/**
 * The sandbox backend's HTTP app: stands in for the bank ledger, job board, calendar and grocery
 * planner the tools call. Errors are always `{ success: false, message }`.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { SandboxDb } from './db.js';
import { errorBody, SandboxError } from './http.js';
import { ledgerRoutes } from './ledger.js';
import { lifeOsRoutes } from './life-os.js';
import { limitRoutes } from './limits.js';
import { hostCheck, requireServiceToken, type ServiceAuthOptions } from './service-auth.js';

const MAX_BODY_BYTES = 64 * 1024;

export interface SandboxAppOptions extends ServiceAuthOptions {
  /**
   * Simulated latency of the external systems: every `/api/*` answer is held back this long after
   * the work is done (and committed), so a caller that gives up early leaves a committed write
   * behind, the case idempotency keys exist for.
   */
  latencyMs?: number;
}

/** Builds the app over an open sandbox database (see `openSandboxDb`). */
export function createSandboxApp(db: SandboxDb, options: SandboxAppOptions) {
  const latencyMs = options.latencyMs ?? 0;
  const app = new Hono()
    .use(hostCheck(options))
    .use('/api/*', requireServiceToken(options))
    .use('/api/*', async function simulatedLatency(_c, next) {
      await next();
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    })
    .use('/api/*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(errorBody('body: too large'), 413) }))
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .route('/api', ledgerRoutes(db))
    .route('/api', lifeOsRoutes(db))
    .route('/api', limitRoutes(db));

  app.notFound((c) => c.json(errorBody(`Not found: ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    if (err instanceof SandboxError) return c.json(errorBody(err.message), err.status);
    console.error('sandbox: unhandled error', err);
    return c.json(errorBody('internal error'), 500);
  });
  return app;
}

/** The app's type, for a typed `hc` client and for tests. */
export type SandboxApp = ReturnType<typeof createSandboxApp>;
