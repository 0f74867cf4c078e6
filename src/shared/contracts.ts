/**
 * Payload contracts shared by the workflow, the activities, the gateway and the tests.
 * Zod schemas are the single source of truth; the TypeScript types are inferred from them.
 * This module is pure (no I/O) so the workflow bundle may import it.
 */
import { z } from 'zod';

export const RISK_LEVELS = ['L0', 'L1', 'L2', 'L3'] as const;
export const RiskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

export const TOOL_NAMES = [
  'bank_transfer',
  'job_search',
  'cv_tailor',
  'job_submit',
  'calendar_create',
  'grocery_plan',
] as const;
export const ToolNameSchema = z.enum(TOOL_NAMES);
export type ToolName = z.infer<typeof ToolNameSchema>;

const accountId = z.string().regex(/^[a-z0-9_-]{1,64}$/, 'account ids are 1-64 lowercase letters, digits, _ or -');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** Arguments of each tool, validated both when a plan is checked and at the sandbox edge. */
export const ToolArgsSchemas = {
  bank_transfer: z.strictObject({
    from_account: accountId,
    to_account: accountId,
    amount_cents: z.number().int().positive(),
  }),
  job_search: z.strictObject({
    query: z.string().min(1).max(200),
    count: z.number().int().min(1).max(20),
  }),
  cv_tailor: z.strictObject({ count: z.number().int().min(1).max(20) }),
  job_submit: z.strictObject({ count: z.number().int().min(1).max(20) }),
  calendar_create: z.strictObject({
    title: z.string().min(1).max(100),
    count: z.number().int().min(1).max(7),
    week_start: isoDate,
    duration_minutes: z.number().int().min(15).max(240),
  }),
  grocery_plan: z.strictObject({
    days: z.number().int().min(1).max(14),
    people: z.number().int().min(1).max(12),
  }),
} as const satisfies Record<ToolName, z.ZodType>;

export type ToolArgs<T extends ToolName> = z.infer<(typeof ToolArgsSchemas)[T]>;

const stepId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'step ids are lowercase snake_case');

export const PlanStepSchema = z.strictObject({
  id: stepId,
  name: z.string().min(1).max(200),
  tool: ToolNameSchema,
  args: z.record(z.string(), z.unknown()),
  risk_level: RiskLevelSchema,
  depends_on: z.array(stepId),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

/** What the planner returns: a plan to run, or a clear statement that the text was not understood. */
export const PlanSchema = z.strictObject({
  intent: z.string().min(1).max(100),
  steps: z.array(PlanStepSchema).max(100),
});
export type Plan = z.infer<typeof PlanSchema>;

export const PlannerOutcomeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('plan'), plan: PlanSchema }),
  z.strictObject({ kind: z.literal('not_understood'), message: z.string() }),
]);
export type PlannerOutcome = z.infer<typeof PlannerOutcomeSchema>;

export const RUN_STATUSES = [
  'QUEUED',
  'PLANNING',
  'EXECUTING',
  'WAITING_APPROVAL',
  'COMPLETED',
  'FAILED',
  'REJECTED',
  'CANCELLED',
] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'];

export const STEP_STATES = [
  'PENDING',
  'READY',
  'BLOCKED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
  'SKIPPED',
  'CANCELLED',
] as const;
export const StepStateSchema = z.enum(STEP_STATES);
export type StepState = z.infer<typeof StepStateSchema>;
export const FINAL_STEP_STATES: readonly StepState[] = ['SUCCEEDED', 'FAILED', 'REJECTED', 'SKIPPED', 'CANCELLED'];

export const ApprovalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']);
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

export const ApprovalRecordSchema = z.object({
  approval_id: z.string(),
  workflow_id: z.string(),
  session_id: z.string(),
  step_id: z.string(),
  step_name: z.string(),
  tool: ToolNameSchema,
  risk_level: RiskLevelSchema,
  reason: z.string(),
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
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/** Identifiers: printable, no whitespace or control characters, bounded. */
export const IdentitySchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\p{L}\p{N}@._+:-]+$/u, 'may contain letters, digits and @ . _ + : - only');

export const ApprovalDecisionSchema = z.strictObject({
  approval_id: z.string().min(1).max(300),
  approved: z.boolean(),
  approver_id: IdentitySchema,
  reason: z.string().max(1000).optional(),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

export const TIMELINE_EVENTS = [
  'plan_created',
  'step_ready',
  'step_running',
  'step_retrying',
  'step_blocked',
  'step_succeeded',
  'step_failed',
  'step_skipped',
  'approval_required',
  'approval_approved',
  'approval_rejected',
  'approval_expired',
  'approval_ignored',
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

export const StepViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  tool: ToolNameSchema,
  args: z.record(z.string(), z.unknown()),
  risk_level: RiskLevelSchema,
  depends_on: z.array(z.string()),
  state: StepStateSchema,
  attempts: z.number().int(),
  result: z.unknown().optional(),
  error: z.string().optional(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
});
export type StepView = z.infer<typeof StepViewSchema>;

/** The whole run: the `run` query's answer and the body of `GET /api/workflows/{id}`. */
export const RunViewSchema = z.object({
  workflow_id: z.string(),
  session_id: z.string(),
  user_id: z.string(),
  message: z.string(),
  intent: z.string(),
  status: RunStatusSchema,
  steps: z.array(StepViewSchema),
  approvals: z.array(ApprovalRecordSchema),
  /** Why the run failed, or why the planner could not understand the message. */
  error: z.string().optional(),
  /** What kind of failure `error` describes, so clients need not parse the text. */
  failure_kind: z.enum(['not_understood', 'invalid_plan', 'step_failed']).optional(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type RunView = z.infer<typeof RunViewSchema>;

/**
 * What requestWorkflow returns: the final view with its timeline, so a finished run can be read
 * from its history even when no worker is there to answer a query.
 */
export const RunResultSchema = RunViewSchema.extend({ timeline: z.array(TimelineEventSchema) });
export type RunResult = z.infer<typeof RunResultSchema>;

export const RequestInputSchema = z.strictObject({
  user_id: IdentitySchema,
  session_id: IdentitySchema,
  message: z.string().trim().min(1).max(2000),
  request_id: z.string().max(200).optional(),
});
export type RequestInput = z.infer<typeof RequestInputSchema>;

/** Settings the workflow receives with its input, so a run keeps the policy it started with. */
export const RunSettingsSchema = z.strictObject({
  hil_threshold_cents: z.number().int().positive(),
  approval_timeout_ms: z.number().int().positive(),
  approve_l2: z.boolean(),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

/** What a tool activity receives: everything it needs to call the outside system once. */
export interface ToolCall<A = Record<string, unknown>> {
  /** `${workflowId}:${stepId}`: the same for every attempt and every replay of the step. */
  idempotency_key: string;
  user_id: string;
  args: A;
  /** Results of the steps this step depends on, keyed by step id. */
  inputs: Record<string, unknown>;
}
