/** Request and response schemas of the attention routes; their routes declare them. */
import { z } from 'zod';
import { AttentionRecordSchema, IdentitySchema, STEP_ACTIONS, StepViewSchema } from '../src/shared/contracts.js';

export const AttentionQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Held steps per page (1-200, default 50)'),
  cursor: z.string().min(1).max(600).optional().describe('`next_cursor` of the previous page'),
});

export const AttentionResponseSchema = z.object({
  /** Held steps, the longest-held first. */
  attention: z.array(AttentionRecordSchema),
  next_cursor: z.string().optional(),
  total: z.number().int(),
});

export const StepActionParamSchema = z.object({
  workflow_id: IdentitySchema,
  step_id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'step ids are lowercase snake_case'),
});

export const StepActionRequestSchema = z
  .strictObject({
    action: z.enum(STEP_ACTIONS),
    /** The tool's new arguments: required with retry_with_edits, refused otherwise. */
    args: z.record(z.string(), z.unknown()).optional(),
    reason: z.string().max(1000).optional(),
    /** The operator; taken from the token when auth is on. */
    decided_by: IdentitySchema.optional(),
  })
  .refine((a) => (a.action === 'retry_with_edits') === (a.args !== undefined), {
    message: 'args is required with retry_with_edits and allowed with no other action',
    path: ['args'],
  });
export type StepActionRequest = z.infer<typeof StepActionRequestSchema>;

export const StepActionResponseSchema = z.object({
  success: z.literal(true),
  status: z.literal('applied'),
  applied: z.literal(true),
  workflow_id: z.string(),
  message: z.string(),
  /** The step once the run acted (or as it was when the wait budget ran out). */
  step: StepViewSchema,
});

/** 202: no worker took the action in time; it is kept in the run's history and judged when a worker runs. */
export const StepActionAcceptedSchema = z.object({
  status: z.literal('accepted'),
  applied: z.literal(false),
  workflow_id: z.string(),
  message: z.string(),
});
