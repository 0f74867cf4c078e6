/** The webhook delivery log, for operators. */
import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { DeliveryLog } from '../../src/webhooks/delivery-log.js';
import type { Identity } from '../auth.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { ApiError } from '../errors.js';
import { apiRouter, errors, json } from '../openapi.js';
import { DeliveriesQuerySchema, DeliveriesResponseSchema } from '../webhook-schemas.js';

/** Deny by default: with auth on, only an admin; with auth off the gateway listens on loopback only. */
function assertMayReadDeliveries(identity: Identity): void {
  if (identity.kind === 'anonymous') return;
  if (identity.role !== 'admin') throw ApiError.forbidden('Only an operator (role admin) may read webhook deliveries');
}

/** Before the query is looked at, as the refusal does not depend on it. */
const operatorsOnly: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  assertMayReadDeliveries(c.get('identity'));
  await next();
};

const deliveries = createRoute({
  tags: ['webhooks'],
  method: 'get',
  path: '/deliveries',
  summary:
    'Each webhook event sent to the subscriber, newest first, with its status (pending, retrying, delivered, ' +
    'failed), attempts and last answer. Operators only (role admin when auth is on)',
  middleware: [operatorsOnly] as const,
  request: { query: DeliveriesQuerySchema },
  responses: { 200: json(DeliveriesResponseSchema), ...errors(400, 401, 403) },
});

export function webhookRoutes(deps: RouteDeps) {
  const configured = deps.config.WEBHOOK_URL !== undefined;
  // Opened on first use: a gateway without a subscriber never creates the file.
  let log: DeliveryLog | undefined;
  return apiRouter().openapi(deliveries, (c) => {
    const { limit, workflow_id } = c.req.valid('query');
    if (!configured) return c.json({ configured, deliveries: [] }, 200);
    log ??= DeliveryLog.open(deps.config.WEBHOOK_DELIVERIES_DB);
    return c.json({ configured, deliveries: log.list({ limit, workflowId: workflow_id }) }, 200);
  });
}
