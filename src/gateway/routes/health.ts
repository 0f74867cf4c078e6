/** Liveness (the process answers) and readiness (Temporal answers within a short deadline). */
import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import type { GatewayEnv } from '../context.js';
import { errorBody, ErrorCode } from '../errors.js';

export const READINESS_DEADLINE_MS = 2000;

export function healthRoutes(client: Client) {
  return new Hono<GatewayEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      try {
        await client.withDeadline(Date.now() + READINESS_DEADLINE_MS, () => client.workflowService.getSystemInfo({}));
        return c.json({ status: 'ready' });
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        return c.json(errorBody(ErrorCode.TemporalUnavailable, `Temporal is unreachable: ${reason}`), 503);
      }
    });
}
