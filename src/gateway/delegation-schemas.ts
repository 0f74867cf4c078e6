/** Request and response schemas of the delegation route; the OpenAPI document is built from them. */
import { z } from 'zod';
import { ApprovalRecordSchema, IdentitySchema } from '../shared/contracts.js';
import type { RouteDoc } from './openapi.js';
import { ApprovalIdParamSchema } from './schemas.js';

export const DelegationRequestSchema = z
  .strictObject({
    to_person: IdentitySchema.optional().describe('Hand the approval to this person (never the requester)'),
    to_group: IdentitySchema.optional().describe('Hand the approval to the members of this group'),
    reason: z.string().trim().min(1, 'say why the approval is handed over').max(1000),
    /** The delegator; taken from the token when auth is on. */
    delegated_by: IdentitySchema.optional(),
  })
  .refine((body) => (body.to_person === undefined) !== (body.to_group === undefined), {
    message: 'name exactly one of to_person and to_group',
    path: ['to_person'],
  });
export type DelegationRequest = z.infer<typeof DelegationRequestSchema>;

export const DelegationResponseSchema = z.object({
  success: z.literal(true),
  message: z.string(),
  approval: ApprovalRecordSchema,
});

export const DELEGATION_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/approvals/{id}/delegate',
    tag: 'approvals',
    summary:
      'Hand a pending approval to a person or group, with a reason. Only someone who may decide the stage now, and has not approved it, may hand it over; the recipient decides what the delegator could, and four eyes still apply (handing it to the requester is 403)',
    params: ApprovalIdParamSchema,
    body: DelegationRequestSchema,
    ok: DelegationResponseSchema,
    errors: [400, 401, 403, 404, 409, 413, 503],
  },
];
