/**
 * Liveness (the process answers) and readiness (Temporal answers within a short deadline, and a
 * warm inbox listing has had its first read, so the first page after ready waits for no read).
 */
import type { Client } from '@temporalio/client';
import type { InboxListing } from '../approvals/inbox-listing.js';
import { errorBody, ErrorCode } from '../errors.js';
import { apiRouter, errors, json, PUBLIC, routesTagged } from '../openapi.js';
import { HealthResponseSchema } from '../schemas.js';

export const READINESS_DEADLINE_MS = 2000;

const route = routesTagged({ tags: ['health'], ...PUBLIC });

const liveness = route.get('/healthz', {
  summary: 'The process is up',
  responses: { 200: json(HealthResponseSchema) },
});

const readiness = route.get('/readyz', {
  summary: 'Temporal is reachable and the inbox listed once',
  responses: { 200: json(HealthResponseSchema), ...errors(503) },
});

export function healthRoutes(client: Client, inbox?: InboxListing) {
  return apiRouter()
    .openapi(liveness, (c) => c.json({ status: 'ok' }, 200))
    .openapi(readiness, async (c) => {
      try {
        await client.withDeadline(Date.now() + READINESS_DEADLINE_MS, () => client.workflowService.getSystemInfo({}));
        if (inbox?.warming)
          return c.json(errorBody(ErrorCode.Starting, 'Reading the approvals inbox for the first time'), 503);
        return c.json({ status: 'ready' }, 200);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        return c.json(errorBody(ErrorCode.TemporalUnavailable, `Temporal is unreachable: ${reason}`), 503);
      }
    });
}
