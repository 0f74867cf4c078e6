/**
 * The approval policy file (`POLICY_FILE`): rules tried in order, the first that matches decides.
 * Parsed once at start-up (src/runtime/config.ts); the workflow receives the parsed document with its run's
 * settings and imports only the types from here, so the workflow bundle never builds these schemas.
 */
import { z } from 'zod';
import { RiskLevelSchema, ToolNameSchema } from '../workflow-contracts.js';
import { parseDuration } from '../duration.js';
import { sameIdentity } from '../identity.js';

const name = z.string().regex(/^[\p{L}\p{N}@._+:-]{1,64}$/u, 'must be 1-64 letters, digits or @ . _ + : -');
const cents = z.number().int('must be whole cents').nonnegative();
/** Written like the duration settings (APPROVAL_TIMEOUT): 30s, 15m, 24h, 2d. */
const duration = z
  .string()
  .refine((text) => (parseDuration(text) ?? 0) > 0, 'must be a duration such as 30s, 15m, 24h or 2d');

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
  .refine(
    (m) =>
      m.amount_at_least_cents === undefined ||
      m.amount_below_cents === undefined ||
      m.amount_at_least_cents < m.amount_below_cents,
    {
      message: 'amount_at_least_cents must be less than amount_below_cents',
      path: ['amount_below_cents'],
    },
  );
export type PolicyMatch = z.infer<typeof PolicyMatchSchema>;

export const PolicyOutcomeSchema = z.union([
  z.strictObject({ allow: z.literal(true) }),
  z.strictObject({ refuse: z.string().min(1).max(500) }),
  z
    .strictObject({
      stages: z.array(PolicyStageSchema).min(1).max(5),
      /** Non-money steps only: the requester may confirm their own step (money always needs four eyes). */
      requester_may_approve: z.boolean().optional(),
      /** Still pending this long after it was requested: remind whoever may decide (once). */
      remind_after: duration.optional(),
      /** Still pending this long after it was requested: members of `escalate_to` may decide too. */
      escalate_after: duration.optional(),
      escalate_to: z.union([z.literal(ANYONE), name]).optional(),
      /**
       * Still pending this long after it was requested: it expires and the step is rejected;
       * APPROVAL_TIMEOUT when absent.
       */
      expire_after: duration.optional(),
      /**
       * Once approved, the step waits this long before it runs (APPROVED_HOLDING); the requester or
       * anyone who could have decided it may revoke it until then.
       */
      cooling_off: duration.optional(),
    })
    .superRefine((outcome, ctx) => {
      if ((outcome.escalate_after === undefined) !== (outcome.escalate_to === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [outcome.escalate_after === undefined ? 'escalate_after' : 'escalate_to'],
          message: 'escalate_after and escalate_to go together',
        });
      }
      const ordered = (['remind_after', 'escalate_after', 'expire_after'] as const).filter(
        (field) => outcome[field] !== undefined,
      );
      for (let i = 1; i < ordered.length; i++) {
        const [earlier, later] = [ordered[i - 1]!, ordered[i]!];
        if (parseDuration(outcome[earlier]!)! >= parseDuration(outcome[later]!)!) {
          ctx.addIssue({ code: 'custom', path: [later], message: `must be longer than ${earlier}` });
        }
      }
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

export const OutOfOfficeSchema = z
  .strictObject({
    from: name,
    to: name,
    until: z.iso.datetime({ offset: true }),
    /** The groups handed over; `from`'s groups in the tokens file when absent (JWT identities: name them here). */
    groups: z.array(name).min(1).max(50).optional(),
  })
  .refine((entry) => !sameIdentity(entry.from, entry.to), {
    message: 'from and to must be different people',
    path: ['to'],
  });
export type OutOfOffice = z.infer<typeof OutOfOfficeSchema>;

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
  /** While `from` is away (until `until`), `to` may decide whatever `from` may decide. */
  out_of_office: z.array(OutOfOfficeSchema).max(200).optional(),
});
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;

/** What a run keeps: the document it started with, its id, and the SHA-256 of its canonical JSON. */
export const RunPolicySchema = z.strictObject({
  id: name,
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  document: PolicyDocumentSchema,
});
export type RunPolicy = z.infer<typeof RunPolicySchema>;
