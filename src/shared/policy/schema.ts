/**
 * The approval policy file (`POLICY_FILE`): rules tried in order, the first that matches decides.
 * Parsed once at start-up (src/config.ts); the workflow receives the parsed document with its run's
 * settings and imports only the types from here, so the workflow bundle never builds these schemas.
 */
import { z } from 'zod';
import { RiskLevelSchema, ToolNameSchema } from '../workflow-contracts.js';

const name = z.string().regex(/^[\p{L}\p{N}@._+:-]{1,64}$/u, 'must be 1-64 letters, digits or @ . _ + : -');
const cents = z.number().int('must be whole cents').nonnegative();

import { ANYONE } from './groups.js';
import { windowMsOf } from './window.js';

export { ANYONE } from './groups.js';

export const PolicyStageSchema = z.strictObject({
  group: z.union([z.literal(ANYONE), name]),
  count: z.number().int().min(1).max(10),
});
export type PolicyStage = z.infer<typeof PolicyStageSchema>;

export const PolicyMatchSchema = z
  .strictObject({
    tools: z.array(ToolNameSchema).min(1).optional(),
    risk_levels: z.array(RiskLevelSchema).min(1).optional(),
    /** Compared with the sum of all transfers in the request (inclusive). */
    amount_at_least_cents: cents.optional(),
    /** Compared with the sum of all transfers in the request (exclusive). */
    amount_below_cents: cents.optional(),
    recipients: z.array(name).min(1).optional(),
    /** The requester is in at least one of these groups. */
    requester_groups: z.array(name).min(1).optional(),
    /**
     * true: the account the transfer debits has never paid this recipient (read from the ledger when
     * the step is judged); false: it has.
     */
    recipient_never_paid: z.boolean().optional(),
  })
  .refine((m) => m.amount_at_least_cents === undefined || m.amount_below_cents === undefined || m.amount_at_least_cents < m.amount_below_cents, {
    message: 'amount_at_least_cents must be less than amount_below_cents',
    path: ['amount_below_cents'],
  });
export type PolicyMatch = z.infer<typeof PolicyMatchSchema>;

export const PolicyOutcomeSchema = z.union([
  z.strictObject({ allow: z.literal(true) }),
  z.strictObject({ refuse: z.string().min(1).max(500) }),
  z.strictObject({
    stages: z.array(PolicyStageSchema).min(1).max(5),
    /** Non-money steps only: the requester may confirm their own step (money always needs four eyes). */
    requester_may_approve: z.boolean().optional(),
  }),
]);
export type PolicyOutcome = z.infer<typeof PolicyOutcomeSchema>;

export const PolicyRuleSchema = z.strictObject({
  name,
  match: PolicyMatchSchema,
  outcome: PolicyOutcomeSchema,
  /** What an approver or the requester reads; the rule's name when absent. */
  reason: z.string().min(1).max(500).optional(),
});
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

/** Tiers then compare with this request's transfers plus what the user moved without approval in the window. */
export const RollingWindowSchema = z.strictObject({
  duration: z.string().refine((d) => windowMsOf(d) !== undefined, 'must be a duration from 1m to 31d such as "24h"'),
});
export type RollingWindow = z.infer<typeof RollingWindowSchema>;

export const PolicyDocumentSchema = z.strictObject({
  id: name,
  description: z.string().max(2000).optional(),
  rolling_window: RollingWindowSchema.optional(),
  /** Tried in order; a step that no rule matches is refused (deny by default). */
  rules: z.array(PolicyRuleSchema).min(1).max(200),
});
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;

/** What a run keeps: the document it started with, its id, and the SHA-256 of its canonical JSON. */
export const RunPolicySchema = z.strictObject({
  id: name,
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  document: PolicyDocumentSchema,
});
export type RunPolicy = z.infer<typeof RunPolicySchema>;
