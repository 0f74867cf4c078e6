/** Request and response schemas of the revoke route; its route declares them. */
import { z } from 'zod';
import { ApprovalRecordSchema, IdentitySchema, StepViewSchema } from '../src/shared/contracts.js';

export const RevokeRequestSchema = z.strictObject({
  /** Who revokes; taken from the token when auth is on. */
  revoked_by: IdentitySchema.optional(),
  reason: z.string().max(1000).optional(),
});

export const RevokeResponseSchema = z.object({
  outcome: z
    .enum(['revoked', 'too_late'])
    .describe(
      "The run's answer: revoked (the step is rejected and never runs) or too_late (its cooling-off window had " +
        'ended: it started at started_at and runs once)',
    ),
  started_at: z.string().optional().describe('too_late: when the step started'),
  message: z.string(),
  approval: ApprovalRecordSchema,
  step: StepViewSchema,
});
