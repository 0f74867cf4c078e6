/** Request and response schemas of the webhook routes; the OpenAPI document is built from them. */
import { z } from 'zod';
import { IdentitySchema } from '../shared/contracts.js';
import { DeliverySchema } from '../webhooks/delivery-log.js';
import type { RouteDoc } from './openapi.js';

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

export const WEBHOOK_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/approval-links/{token}',
    tag: 'webhooks',
    summary:
      'A one-click approval link: an HTML page showing the action and a form that POSTs to the same URL. Never decides. A link is a bearer credential for its person; a request that proves someone else is signed in (a bearer token, or a JWT under GATEWAY_AUTH=jwt) is 403. 400 tampered, 409 already used, decided or the action changed, 410 expired (each an HTML page)',
    params: ApprovalLinkParamSchema,
    ok: { contentType: 'text/html', description: 'Confirmation page' },
    errors: [400, 403, 404, 409, 410],
    public: true,
  },
  {
    method: 'post',
    path: '/approval-links/{token}',
    tag: 'webhooks',
    summary:
      "Decides as the link's person (form field reason optional), with the out-of-office, role, four-eyes and policy checks of any decision; answers an HTML page. While no worker runs the decision is checked against the approval record in the run's memo and kept in the run's history: 202 and a page saying it applies when processing resumes. The same refusals as GET, and a link that was used changes nothing",
    params: ApprovalLinkParamSchema,
    ok: { contentType: 'text/html', description: 'What was decided' },
    errors: [400, 403, 404, 409, 410, 503],
    public: true,
  },
  {
    method: 'get',
    path: '/api/webhooks/deliveries',
    tag: 'webhooks',
    summary:
      'Each webhook event sent to the subscriber, newest first, with its status (pending, retrying, delivered, failed), attempts and last answer. Operators only (role admin when auth is on)',
    query: DeliveriesQuerySchema,
    ok: DeliveriesResponseSchema,
    errors: [400, 401, 403],
  },
];
