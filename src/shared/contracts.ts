/**
 * Payload contracts shared by the workflow, the activities, the gateway and the tests.
 * Zod schemas are the single source of truth; the TypeScript types are inferred from them.
 * The views (runs, steps, approvals, timeline) are defined here; what the workflow itself checks
 * at runtime is in workflow-contracts.ts, re-exported below. Workflow code imports values from
 * that module only (types from either), so the workflow bundle never builds the view schemas.
 */
import { z } from 'zod';
import { RunPolicySchema } from './policy/schema.js';
import { DELEGATE_KINDS, type Delegation } from './policy/deciders.js';
import {
  RiskLevelSchema,
  RUN_STATUSES,
  STEP_STATES,
  ToolNameSchema,
  TrustedDecisionKeySchema,
} from './workflow-contracts.js';

export * from './workflow-contracts.js';

export const RunStatusSchema = z.enum(RUN_STATUSES);
export const StepStateSchema = z.enum(STEP_STATES);

export const ApprovalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled', 'revoked']);
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

/** One decision on a staged approval that counted. */
const StageDecisionSchema = z.object({
  by: z.string(),
  verdict: z.enum(['approve', 'reject']),
  at: z.string(),
  reason: z.string().optional(),
  on_behalf_of: z
    .string()
    .optional()
    .describe('Who handed the approval to `by` (delegation or out-of-office); they count as having approved'),
});

/** One hand-over of an approval, as the policy's deciders read it (Delegation). */
const HandoverSchema = z.object({
  from: z.string(),
  to: z.string(),
  to_kind: z.enum(DELEGATE_KINDS),
  groups: z.array(z.string()).describe("The delegator's groups: the recipient decides what the delegator could"),
  reason: z.string(),
  at: z.string(),
}) satisfies z.ZodType<Delegation>;

export const ApprovalRecordSchema = z.object({
  approval_id: z.string(),
  workflow_id: z.string(),
  session_id: z.string(),
  step_id: z.string(),
  step_name: z.string(),
  tool: ToolNameSchema,
  risk_level: RiskLevelSchema,
  reason: z.string(),
  effect: z
    .string()
    .optional()
    .describe(
      'What the step will do, in plain words, from its arguments, the results of the steps it depends on and what ' +
        'the policy read from the ledger, e.g. "Send $6,000.00 from account 123 to kiran (first payment to kiran)"',
    ),
  /** Transfer amount in dollars (two decimals), present for money transfers. */
  amount: z.number().optional(),
  amount_cents: z.number().int().optional(),
  recipient: z.string().optional(),
  from_account: z.string().optional(),
  status: ApprovalStatusSchema,
  requested_by: z.string(),
  requested_at: z.string(),
  expires_at: z.string(),
  decided_by: z.string().optional(),
  decided_at: z.string().optional(),
  decision_reason: z.string().optional(),
  skipped: z
    .boolean()
    .optional()
    .describe('Rejected as a skip in a review: its step is skipped (not rejected) and the request goes on'),
  action_hash: z
    .string()
    .optional()
    .describe(
      'SHA-256 (hex) of the tool, its arguments and the policy decision this approval was asked under; send it ' +
        'with a decision to bind the decision to what you saw (409 stale_approval when it changed)',
    ),
  run_id: z
    .string()
    .optional()
    .describe("The run's first execution run id: signed decisions and edits name it, so none moves another run"),
  args: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("The step's arguments as they wait for approval (the action the approver sees)"),
  edited_by: z
    .string()
    .optional()
    .describe('Who edited the action into its current version; like the requester, they may not approve it'),
  edits: z
    .number()
    .int()
    .optional()
    .describe('How many times the arguments were edited while this approval waited; each edit gives a new action_hash'),
  /** Runs with a policy: the rule that asked for approval, its stages and every decision that counted. */
  policy_rule: z.string().optional().describe('The policy rule that asked for this approval'),
  stages: z
    .array(z.object({ group: z.string(), count: z.number().int(), approved_by: z.array(z.string()) }))
    .optional()
    .describe('Approval stages decided in order: each needs `count` distinct approvals from `group` (`*`: anyone)'),
  /** Index of the stage deciding now; `stages.length` once all are complete. */
  current_stage: z
    .number()
    .int()
    .optional()
    .describe('Index of the stage deciding now; the number of stages once all are complete'),
  requester_may_approve: z.boolean().optional(),
  /** "1 of 2 from approvers (stage 1 of 2)" */
  progress: z
    .string()
    .optional()
    .describe('Progress of the stage deciding now, e.g. "1 of 2 from approvers (stage 1 of 2)", or "complete"'),
  decisions: z.array(StageDecisionSchema).optional().describe('Every decision that counted, in order'),
  who_may_decide: z
    .object({ groups: z.array(z.string()), people: z.array(z.string()) })
    .optional()
    .describe(
      'Who may decide the stage deciding now: its group, the group it escalated to, and whoever it was handed to',
    ),
  remind_at: z.string().optional().describe("When the rule's reminder falls due (remind_after)"),
  reminded_at: z.string().optional(),
  escalate_at: z.string().optional().describe('When the rule escalates the approval to `escalate_to` (escalate_after)'),
  escalate_to: z.string().optional(),
  escalated_at: z.string().optional(),
  /** Set once escalated: members of this group may decide too. */
  escalated_to: z.string().optional().describe('Set once escalated: members of this group may decide the stage too'),
  delegations: z.array(HandoverSchema).optional().describe('Every hand-over of this approval, in order'),
  may_decide: z.boolean().optional().describe('In the inbox: whether the caller may decide this approval now'),
  hold_until: z
    .string()
    .optional()
    .describe("Approved under a rule's cooling_off: the step waits until then, and may be revoked until it starts"),
  revoked_by: z.string().optional().describe('Who took the approval back during its cooling-off window'),
  revoked_at: z.string().optional(),
  revoke_reason: z.string().optional(),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

export const TIMELINE_EVENTS = [
  'plan_created',
  'step_ready',
  'step_running',
  'step_retrying',
  'step_blocked',
  'step_succeeded',
  'step_failed',
  'step_skipped',
  /** The policy refused the step outright (a rule's `refuse`, or no rule matched). */
  'step_refused',
  'approval_required',
  /** An approval counted towards a stage; the approval still waits for more. */
  'approval_progress',
  'approval_edited',
  'approval_approved',
  'approval_rejected',
  'approval_expired',
  /** A rule's remind_after passed with the approval still pending. */
  'approval_reminder',
  /** A rule's escalate_after passed: the escalation group may decide too. */
  'approval_escalated',
  /** An approver handed the approval to a person or group. */
  'approval_delegated',
  /** Approved under a rule's cooling_off: the step waits until `hold_until` and may be revoked until then. */
  'approval_holding',
  /** The requester or someone who could have decided took a holding approval back: the step is rejected. */
  'approval_revoked',
  'approval_ignored',
  'step_needs_attention',
  'step_action_taken',
  /**
   * An operator's action the run did not take: unsigned, signed by a key it does not trust, malformed, or no longer
   * applicable.
   */
  'step_action_ignored',
  'workflow_complete',
  'workflow_failed',
  'workflow_cancelled',
] as const;
export const TimelineEventNameSchema = z.enum(TIMELINE_EVENTS);
export type TimelineEventName = z.infer<typeof TimelineEventNameSchema>;
/** Events after which a run's timeline never grows again. */
export const FINAL_TIMELINE_EVENTS: readonly TimelineEventName[] = [
  'workflow_complete',
  'workflow_failed',
  'workflow_cancelled',
];

export const TimelineEventSchema = z.object({
  seq: z.number().int().positive(),
  event: TimelineEventNameSchema,
  message: z.string(),
  timestamp: z.string(),
  step_id: z.string().optional(),
  approval_id: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

/** Why a step is held for an operator, and until when. */
export const StepAttentionSchema = z.object({
  since: z.string(),
  /** Without an operator's action by then, the step fails. */
  deadline: z.string(),
  last_error: z.string(),
  error_type: z.string().optional(),
  attempts: z.number().int(),
  /** The run's first execution run id: a signed operator action names it, so none moves another run. */
  run_id: z.string().optional(),
});
export type StepAttention = z.infer<typeof StepAttentionSchema>;

export const StepViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  tool: ToolNameSchema,
  args: z.record(z.string(), z.unknown()),
  risk_level: RiskLevelSchema,
  depends_on: z.array(z.string()),
  effect: z
    .string()
    .optional()
    .describe("What the step does, in plain words, as far as the run knows it now (its approval's `effect` too)"),
  state: StepStateSchema,
  attempts: z.number().int(),
  result: z.unknown().optional(),
  error: z.string().optional(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  /** How many times an operator retried the step with edited args. */
  edits: z.number().int().optional(),
  /** Present while the step is NEEDS_ATTENTION. */
  attention: StepAttentionSchema.optional(),
  /** Present while the step is APPROVED_HOLDING: it runs then unless its approval is revoked first. */
  hold_until: z.string().optional(),
});
export type StepView = z.infer<typeof StepViewSchema>;

/** Which run a record belongs to, and whose run it is. */
const RUN_OWNER_FIELDS = { workflow_id: z.string(), session_id: z.string(), user_id: z.string() };

/** The whole run: the `run` query's answer and the body of `GET /api/workflows/{id}`. */
export const RunViewSchema = z.object({
  ...RUN_OWNER_FIELDS,
  message: z.string(),
  intent: z.string(),
  status: RunStatusSchema,
  steps: z.array(StepViewSchema),
  approvals: z.array(ApprovalRecordSchema),
  /** Why the run failed, or why the planner could not understand the message. */
  error: z.string().optional(),
  /** What kind of failure `error` describes, so clients need not parse the text. */
  failure_kind: z.enum(['not_understood', 'invalid_plan', 'step_failed', 'unverified_start']).optional(),
  /** The approval policy the run started with (absent while planning, and when the run ended without a plan). */
  policy: z
    .object({ id: z.string(), hash: z.string() })
    .optional()
    .describe('The approval policy the run started with: its id and the SHA-256 of its JSON'),
  created_at: z.string(),
  updated_at: z.string(),
  stale: z
    .literal(true)
    .optional()
    .describe(
      "Present when no worker answered the run's query in time: the view is the run's memo and search " +
        'attributes as its last workflow task left them (status and pending approvals; message and steps empty). ' +
        'It may lag behind the run; read again later',
    ),
});
export type RunView = z.infer<typeof RunViewSchema>;

/**
 * What requestWorkflow returns: the final view with its timeline, so a finished run can be read
 * from its history even when no worker is there to answer a query.
 */
export const RunResultSchema = RunViewSchema.extend({ timeline: z.array(TimelineEventSchema) });
export type RunResult = z.infer<typeof RunResultSchema>;

/** Settings the workflow receives with its input, so a run keeps the policy it started with. */
export const RunSettingsSchema = z.strictObject({
  hil_threshold_cents: z.number().int().positive(),
  approval_timeout_ms: z.number().int().positive(),
  approve_l2: z.boolean(),
  /** Tool calls as local activities (LOCAL_TOOL_CALLS). */
  local_tool_calls: z.boolean(),
  /** Keys whose signed decisions, edits, delegations and operator actions the run accepts, fixed when it plans. */
  decision_keys: z.array(TrustedDecisionKeySchema),
  /** Time from a step's first attempt after which it stops retrying (STEP_RETRY_BUDGET); absent: 10 minutes. */
  step_retry_budget_ms: z.number().int().positive().optional(),
  /**
   * Hold a step whose retries ran out on a system failure for an operator (ATTENTION_ON_EXHAUSTED); absent: fail it.
   */
  attention_on_exhausted: z.boolean().optional(),
  /** How long a held step waits for an operator before it fails (ATTENTION_DEADLINE). */
  attention_deadline_ms: z.number().int().positive().optional(),
  /** The approval policy the run decides its gates with (POLICY_FILE, or the default built from the fields above). */
  policy: RunPolicySchema,
  /** Announce approvals and the outcome to the webhook subscriber (WEBHOOK_URL); absent: schedule no notifications. */
  webhooks: z.boolean().optional(),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

/** A held step as the attention list shows it: read from each run's memo. */
export const AttentionRecordSchema = z.object({
  ...RUN_OWNER_FIELDS,
  step_id: z.string(),
  step_name: z.string(),
  tool: ToolNameSchema,
  risk_level: RiskLevelSchema,
  args: z.record(z.string(), z.unknown()),
  attention: StepAttentionSchema,
});
export type AttentionRecord = z.infer<typeof AttentionRecordSchema>;

/** What a tool activity receives: everything it needs to call the outside system once. */
export interface ToolCall<A = Record<string, unknown>> {
  /** `${workflowId}:${stepId}`: the same for every attempt and every replay of the step. */
  idempotency_key: string;
  user_id: string;
  args: A;
  /** Results of the steps this step depends on, keyed by step id. */
  inputs: Record<string, unknown>;
}
