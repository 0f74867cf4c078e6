/** Request and response schemas of the webhook routes; their routes declare them. */
import { z } from 'zod';
import { IdentitySchema } from '../src/shared/contracts.js';
import { DeliverySchema } from '../src/webhooks/delivery-log.js';

export const DeliveriesQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(100)
    .describe('Deliveries to answer, newest first (1-500, default 100)'),
  workflow_id: IdentitySchema.optional().describe("Only this run's events"),
});

export const DeliveriesResponseSchema = z.object({
  /** Whether a subscriber is configured (WEBHOOK_URL); without one the list stays empty. */
  configured: z.boolean(),
  deliveries: z.array(DeliverySchema),
});

export const ApprovalLinkParamSchema = z.object({
  token: z.string().describe('The signed link token from approval.requested (data.links[].approve_url / reject_url)'),
});
