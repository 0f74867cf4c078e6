/** Request and response schemas of the webhook routes; the OpenAPI document is built from them. */
import { z } from 'zod';
import { IdentitySchema } from '../shared/contracts.js';
import { DeliverySchema } from '../webhooks/delivery-log.js';
import type { RouteDoc } from './openapi.js';

export const DeliveriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Deliveries to answer, newest first (1-500, default 100)'),
  workflow_id: IdentitySchema.optional().describe("Only this run's events"),
});

export const DeliveriesResponseSchema = z.object({
  /** Whether a subscriber is configured (WEBHOOK_URL); without one the list stays empty. */
  configured: z.boolean(),
  deliveries: z.array(DeliverySchema),
});

export const WEBHOOK_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/webhooks/deliveries',
    tag: 'webhooks',
    summary: 'Each webhook event sent to the subscriber, newest first, with its status (pending, retrying, delivered, failed), attempts and last answer. Operators only (role admin when auth is on)',
    query: DeliveriesQuerySchema,
    ok: DeliveriesResponseSchema,
    errors: [400, 401, 403],
  },
];
