/** Request and response schemas of the delegation route; their routes declare them. */
import { z } from 'zod';
import { ApprovalRecordSchema, IdentitySchema } from '../src/shared/contracts.js';

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
