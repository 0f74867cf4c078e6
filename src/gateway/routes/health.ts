/**
 * Liveness (the process answers) and readiness (Temporal answers within a short deadline, and a
 * warm inbox listing has had its first read, so the first page after ready waits for no read).
 */
import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import type { InboxListing } from '../approvals/inbox-listing.js';
import type { GatewayEnv } from '../context.js';
import { errorBody, ErrorCode } from '../errors.js';

export const READINESS_DEADLINE_MS = 2000;

export function healthRoutes(client: Client, inbox?: InboxListing) {
  return new Hono<GatewayEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      try {
        await client.withDeadline(Date.now() + READINESS_DEADLINE_MS, () => client.workflowService.getSystemInfo({}));
        if (inbox?.warming)
          return c.json(errorBody(ErrorCode.Starting, 'Reading the approvals inbox for the first time'), 503);
        return c.json({ status: 'ready' });
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        return c.json(errorBody(ErrorCode.TemporalUnavailable, `Temporal is unreachable: ${reason}`), 503);
      }
    });
}
