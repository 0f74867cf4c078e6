/** Request and response schemas of a request's review and its decision; their routes declare them. */
import { z } from '@hono/zod-openapi';
import {
  ApprovalRecordSchema,
  IdentitySchema,
  RiskLevelSchema,
  RunStatusSchema,
  StepStateSchema,
  ToolNameSchema,
} from '../../src/shared/contracts.js';
import { REVIEW_CHOICES } from '../../src/shared/review-cascade.js';
import { MAX_REVIEW_STEPS, ReviewStepIdSchema } from '../../src/shared/review-decision.js';

export const ReviewParamSchema = z.object({ workflow_id: IdentitySchema });

const CHOICE_ITEM = /^[a-z][a-z0-9_]{0,63}:(approve|reject|skip)$/;

export const ReviewQuerySchema = z.object({
  choices: z
    .string()
    .max(8000)
    .optional()
    .transform((text, ctx) => {
      const choices: Record<string, (typeof REVIEW_CHOICES)[number]> = {};
      for (const item of (text ?? '').split(',').filter((i) => i !== '')) {
        if (!CHOICE_ITEM.test(item)) {
          ctx.addIssue({ code: 'custom', message: `"${item.slice(0, 80)}" is not step_id:approve|reject|skip` });
          return z.NEVER;
        }
        const [stepId, choice] = item.split(':') as [string, (typeof REVIEW_CHOICES)[number]];
        choices[stepId] = choice;
      }
      return choices;
    })
    .describe(
      'Choices to preview, as step_id:approve|reject|skip separated by commas: each step then shows its ' +
        "`preview`, and a rejected or skipped step's dependents show as skipped",
    ),
});

const PreviewSchema = z.object({
  outcome: z.enum([...REVIEW_CHOICES, 'will_run', 'skipped']),
  because: z.array(z.string()).optional().describe('With skipped: the steps of this review it would not run without'),
});

export const ReviewStepSchema = z.object({
  step_id: z.string(),
  name: z.string(),
  tool: ToolNameSchema,
  risk_level: RiskLevelSchema,
  state: StepStateSchema,
  args: z.record(z.string(), z.unknown()),
  depends_on: z.array(z.string()),
  effect: z.string().optional().describe('What the step will do, in plain words'),
  needs_decision: z.boolean().describe('Waits for a decision now; the other steps run (or ask for one) later'),
  approval_id: z.string().optional(),
  action_hash: z.string().optional(),
  approval: ApprovalRecordSchema.optional().describe("The step's pending approval: its rule, stages and progress"),
  may_decide: z.boolean().optional().describe('Whether the caller may approve this step now (as the judge answers)'),
  preview: PreviewSchema,
});

export const ReviewResponseSchema = z.object({
  workflow_id: z.string(),
  run_id: z.string().optional(),
  status: RunStatusSchema,
  requested_by: z.string(),
  steps: z.array(ReviewStepSchema).describe('Every step still to come, in plan order'),
  totals: z.object({
    money_out_cents: z.number().int(),
    transfers: z.number().int(),
    recipients: z.array(z.string()),
    applications_sent: z.number().int(),
    events_created: z.number().int(),
    external_effects: z.number().int().describe('Writes to systems outside the run: transfers, applications, events'),
  }),
  review_hash: z
    .string()
    .describe('SHA-256 (hex) of what was reviewed: each step, its arguments, dependencies and action hash'),
});

export const ReviewDecisionRequestSchema = z.object({
  review_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "must be the review's review_hash: 64 lowercase hex characters")
    .describe('The review_hash of the review you decided on: if the request changed since, 409 stale_review'),
  decided_by: IdentitySchema.optional().describe('Required when auth is off; with a token, the token names you'),
  reason: z.string().max(1000).optional(),
  steps: z
    .record(ReviewStepIdSchema, z.enum(REVIEW_CHOICES))
    .refine((steps) => Object.keys(steps).length > 0, 'name at least one step')
    .refine((steps) => Object.keys(steps).length <= MAX_REVIEW_STEPS, `at most ${MAX_REVIEW_STEPS} steps`)
    .describe('Each step decided: approve, reject, or skip (rejected, recorded as skipped in review)'),
});

export const ReviewDecisionResponseSchema = z.object({
  success: z.boolean().describe('True when every step was decided as asked; else see each result'),
  message: z.string(),
  review_hash: z.string(),
  results: z.array(
    z.object({
      step_id: z.string(),
      choice: z.enum(REVIEW_CHOICES),
      outcome: z.enum(['approved', 'rejected', 'skipped', 'counted', 'refused']),
      approval_id: z.string().optional(),
      refusal: z.string().optional().describe('Why a refused step was not decided (the judge refusal type)'),
      message: z.string(),
      step_state: StepStateSchema.optional(),
    }),
  ),
});
