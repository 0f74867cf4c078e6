/**
 * The contracts the workflow checks at runtime: what a run is asked (the request), what it plans
 * (steps and their tools' arguments) and what it is told (approval decisions), and the names of
 * run and step states. contracts.ts re-exports all of it with the views. They live apart because
 * the workflow bundle evaluates its modules once per workflow: a run builds only these schemas.
 */
import { z } from 'zod';
import { isSafeIdentity, SAFE_IDENTITY_RULE } from './identity.js';

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
  'account_balance',
  'transfer_history',
  'request_status',
  'pending_approvals',
  'cancel_request',
] as const;
export const ToolNameSchema = z.enum(TOOL_NAMES);
export type ToolName = z.infer<typeof ToolNameSchema>;

const accountId = z.string().regex(/^[a-z0-9_-]{1,64}$/, 'account ids are 1-64 lowercase letters, digits, _ or -');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const workflowId = z
  .string()
  .regex(/^[\p{L}\p{N}@._+:-]{1,128}$/u, 'workflow ids are 1-128 letters, digits or @ . _ + : -');

/**
 * Arguments of each tool, checked with the plan, with an operator's edit, and again by the activity
 * that calls the sandbox.
 */
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
  account_balance: z.strictObject({ account_id: accountId }),
  transfer_history: z.strictObject({
    account_id: accountId,
    limit: z.number().int().min(1).max(50),
    since: isoDate.optional(),
  }),
  /** Without a workflow id: the requester's latest request other than this one. */
  request_status: z.strictObject({ workflow_id: workflowId.optional() }),
  pending_approvals: z.strictObject({}),
  cancel_request: z.strictObject({ workflow_id: workflowId.optional() }),
} as const satisfies Record<ToolName, z.ZodType>;

export type ToolArgs<T extends ToolName> = z.infer<(typeof ToolArgsSchemas)[T]>;

/**
 * The arguments an edit before approval may change, per tool; every other argument keeps the value
 * the plan gave it. A transfer's debit account is the requester's own and never editable, and no
 * edit may point a read or a cancel at another account or run.
 */
export const EditableToolArgs = {
  bank_transfer: ['to_account', 'amount_cents'],
  job_search: ['query', 'count'],
  cv_tailor: ['count'],
  job_submit: ['count'],
  calendar_create: ['title', 'count', 'week_start', 'duration_minutes'],
  grocery_plan: ['days', 'people'],
  account_balance: [],
  transfer_history: ['limit', 'since'],
  request_status: [],
  pending_approvals: [],
  cancel_request: [],
} as const satisfies { [T in ToolName]: readonly (keyof ToolArgs<T>)[] };

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

/** Identifiers of people, groups and sessions: bounded, in the safe alphabet of identity.ts (no look-alikes). */
export const IdentitySchema = z.string().min(1).max(128).refine(isSafeIdentity, SAFE_IDENTITY_RULE);

const lowerHex = (bytes: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `must be ${bytes} bytes as lowercase hex`);
const keyId = lowerHex(8);

/** Who vouches for a decision: an Ed25519 signature by a key the run trusts (see decision-signature.ts). */
export const DecisionProofSchema = z.strictObject({
  key_id: keyId,
  issued_at: z.iso.datetime(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16-64 characters of A-Z a-z 0-9 _ -'),
  signature: lowerHex(64),
});
export type DecisionProof = z.infer<typeof DecisionProofSchema>;

export const DECISION_SIGNER_ROLES = ['gateway', 'operator'] as const;
/** A public key whose signed decisions a run accepts; `role` is recorded as the decision's `via`. */
export const TrustedDecisionKeySchema = z.strictObject({
  key_id: keyId,
  role: z.enum(DECISION_SIGNER_ROLES),
  public_key: lowerHex(32),
});
export type TrustedDecisionKey = z.infer<typeof TrustedDecisionKeySchema>;

/**
 * The run a signed message is for: its workflow id and the first execution run id of the run that
 * asked (`workflowInfo().firstExecutionRunId`), both signed, so a message captured in one run moves
 * nothing in another started later under the same workflow id.
 */
export const RunBindingShape = {
  workflow_id: z.string().min(1).max(300).optional(),
  run_id: z.string().min(1).max(100).optional(),
};

export const ApprovalDecisionSchema = z.strictObject({
  approval_id: z.string().min(1).max(300),
  approved: z.boolean(),
  approver_id: IdentitySchema,
  reason: z.string().max(1000).optional(),
  /** Without a valid proof the run records the decision as ignored and changes nothing. */
  proof: DecisionProofSchema.optional(),
  /** The decider's groups as the gateway authenticated them; approval stages check membership against these. */
  groups: z.array(IdentitySchema).max(50).optional(),
  /**
   * The approval's `action_hash` as the decider saw it; a decision on a changed action is refused as
   * stale, and one naming no action counts only while the action is the one first requested.
   */
  action_hash: lowerHex(32).optional(),
  ...RunBindingShape,
});
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

/**
 * A hand-over of a pending approval to a person or group, sent with the `approvalDelegation` update.
 * Signed like a decision (see delegation-signature.ts): it changes who may decide.
 */
export const ApprovalDelegationSchema = z.strictObject({
  approval_id: z.string().min(1).max(300),
  delegated_by: IdentitySchema,
  /** The delegator's groups as the gateway authenticated them: what the recipient may decide for. */
  groups: z.array(IdentitySchema).max(50).optional(),
  to: IdentitySchema,
  to_kind: z.enum(['person', 'group']),
  reason: z.string().trim().min(1).max(1000),
  proof: DecisionProofSchema.optional(),
  ...RunBindingShape,
});
export type ApprovalDelegation = z.infer<typeof ApprovalDelegationSchema>;

/**
 * Takes back an approved step still in its cooling-off window, sent with the `approvalRevoke`
 * update. Signed like a decision (see approval/revoke.ts); the run says whether it came in time.
 */
export const ApprovalRevokeSchema = z.strictObject({
  approval_id: z.string().min(1).max(300),
  revoked_by: IdentitySchema,
  reason: z.string().max(1000).optional(),
  /** The revoker's groups as the gateway authenticated them: whoever could have decided the step may revoke it. */
  groups: z.array(IdentitySchema).max(50).optional(),
  proof: DecisionProofSchema.optional(),
  ...RunBindingShape,
});
export type ApprovalRevoke = z.infer<typeof ApprovalRevokeSchema>;

/**
 * An approver's amendment of a pending approval's arguments, sent with the `approvalEdit` update
 * or signal. Signed like a decision (see approval-edit.ts).
 */
export const ApprovalEditSchema = z.strictObject({
  approval_id: z.string().min(1).max(300),
  /** The tool's complete new arguments; checked against the tool's schema. */
  args: z.record(z.string(), z.unknown()),
  edited_by: IdentitySchema,
  reason: z.string().max(1000).optional(),
  /** The editor's groups as the gateway authenticated them; an approver's eligibility is checked against these. */
  groups: z.array(IdentitySchema).max(50).optional(),
  /** The approval's `action_hash` as the editor saw it; an edit of a changed action is refused as stale. */
  action_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 32 bytes as lowercase hex')
    .optional(),
  proof: DecisionProofSchema.optional(),
  ...RunBindingShape,
});
export type ApprovalEdit = z.infer<typeof ApprovalEditSchema>;

export const RequestInputSchema = z.strictObject({
  user_id: IdentitySchema,
  session_id: IdentitySchema,
  message: z.string().trim().min(1).max(2000),
  /** The requester's groups as the gateway authenticated them, for policy rules on `requester_groups`. */
  requester_groups: z.array(IdentitySchema).max(50).optional(),
  /** The gateway's (or an operator's) signature over the whole input and the workflow id (start-signature.ts). */
  proof: DecisionProofSchema.optional(),
});
export type RequestInput = z.infer<typeof RequestInputSchema>;

/** A run as its session is told of it, with the signature that it belongs to that session (start-signature.ts). */
export const SessionRunSchema = z.strictObject({
  workflow_id: z.string().min(1).max(300),
  message: z.string().max(2000),
  started_at: z.iso.datetime(),
  user_id: IdentitySchema.optional(),
  session_id: IdentitySchema.optional(),
  proof: DecisionProofSchema.optional(),
});
export type SignedSessionRun = z.infer<typeof SessionRunSchema>;

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
export type RunStatus = (typeof RUN_STATUSES)[number];
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
  /** Retries exhausted on a system failure, held for an operator (only with `attention_on_exhausted`). */
  'NEEDS_ATTENTION',
  /** Approved under a rule with a cooling-off window: runs at `hold_until` unless revoked first. */
  'APPROVED_HOLDING',
] as const;
export type StepState = (typeof STEP_STATES)[number];
export const FINAL_STEP_STATES: readonly StepState[] = ['SUCCEEDED', 'FAILED', 'REJECTED', 'SKIPPED', 'CANCELLED'];

export const STEP_ACTIONS = ['retry', 'retry_with_edits', 'skip', 'fail'] as const;
export type StepActionKind = (typeof STEP_ACTIONS)[number];

/**
 * The role an action's signer vouches for: `admin` (a token's role), `loopback` (auth off, a caller
 * on the gateway's loopback interface), `operator` (the holder of an operator key, signing outside the gateway).
 */
export const OPERATOR_ROLES = ['admin', 'loopback', 'operator'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** An operator's action on a step held in NEEDS_ATTENTION, sent with the `stepAction` update. */
export const StepActionSchema = z
  .strictObject({
    step_id: stepId,
    action: z.enum(STEP_ACTIONS),
    /** The tool's new arguments, for `retry_with_edits` only; checked against the tool's schema by the run. */
    args: z.record(z.string(), z.unknown()).optional(),
    reason: z.string().max(1000).optional(),
    decided_by: IdentitySchema,
    /** The `attention.since` of the hold the action is for: an action never outlives its hold. */
    held_since: z.iso.datetime().optional(),
    /** The hold's `run_id` (the run's first execution run id): an action signed for another run moves nothing. */
    run_id: RunBindingShape.run_id,
    role: z.enum(OPERATOR_ROLES).optional(),
    /** Without a valid proof (see action-signature.ts) the run records the action as ignored and changes nothing. */
    proof: DecisionProofSchema.optional(),
  })
  .refine((a) => (a.action === 'retry_with_edits') === (a.args !== undefined), {
    message: 'args is required with retry_with_edits and allowed with no other action',
    path: ['args'],
  });
export type StepAction = z.infer<typeof StepActionSchema>;
