/** The webhook delivery log, for operators. */
import { Hono } from 'hono';
import { DeliveryLog } from '../../webhooks/delivery-log.js';
import type { Identity } from '../auth.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { ApiError } from '../errors.js';
import { parseQuery } from '../validation.js';
import { DeliveriesQuerySchema } from '../webhook-schemas.js';

/** Deny by default: with auth on, only an admin; with auth off the gateway listens on loopback only. */
function assertMayReadDeliveries(identity: Identity): void {
  if (identity.kind === 'anonymous') return;
  if (identity.role !== 'admin') throw ApiError.forbidden('Only an operator (role admin) may read webhook deliveries');
}

export function webhookRoutes(deps: RouteDeps) {
  const configured = deps.config.WEBHOOK_URL !== undefined;
  // Opened on first use: a gateway without a subscriber never creates the file.
  let log: DeliveryLog | undefined;
  return new Hono<GatewayEnv>().get('/deliveries', (c) => {
    assertMayReadDeliveries(c.get('identity'));
    const { limit, workflow_id } = parseQuery(c, DeliveriesQuerySchema);
    if (!configured) return c.json({ configured, deliveries: [] });
    log ??= DeliveryLog.open(deps.config.WEBHOOK_DELIVERIES_DB);
    return c.json({ configured, deliveries: log.list({ limit, workflowId: workflow_id }) });
  });
}
