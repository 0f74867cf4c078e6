// @ts-check
/**
 * What the gateway's HTTP API sends the page: the payload types and the lists of timeline events and
 * final run statuses. The types mirror src/shared/contracts.ts; test/unit/page-contract.test.ts holds
 * them to the OpenAPI document.
 */

/**
 * @typedef {'PENDING'|'READY'|'BLOCKED'|'RUNNING'|'SUCCEEDED'|'FAILED'|'REJECTED'|'SKIPPED'|'CANCELLED'
 *   |'NEEDS_ATTENTION'|'APPROVED_HOLDING'} StepState
 * @typedef {'QUEUED'|'PLANNING'|'EXECUTING'|'WAITING_APPROVAL'|'COMPLETED'|'FAILED'|'REJECTED'|'CANCELLED'} RunStatus
 *
 * @typedef {object} ApprovalDecision
 * @property {string} by
 * @property {'approve'|'reject'} verdict
 * @property {string} at
 * @property {string} [reason]
 * @property {string} [on_behalf_of]
 *
 * @typedef {object} StepAttention
 * @property {string} since
 * @property {string} deadline
 * @property {string} last_error
 * @property {number} attempts
 *
 * @typedef {object} ApprovalRecord
 * @property {string} approval_id
 * @property {string} workflow_id
 * @property {string} session_id
 * @property {string} step_id
 * @property {string} step_name
 * @property {string} tool
 * @property {string} risk_level
 * @property {string} reason
 * @property {string} [effect] what the step will do, in plain words
 * @property {number} [amount] dollars, two decimals
 * @property {number} [amount_cents]
 * @property {string} [recipient]
 * @property {string} [from_account]
 * @property {'pending'|'approved'|'rejected'|'expired'|'cancelled'|'revoked'} status
 * @property {string} requested_by
 * @property {string} requested_at
 * @property {string} expires_at
 * @property {string} [decided_by]
 * @property {string} [decided_at]
 * @property {string} [decision_reason]
 * @property {number} [edits] how many times the arguments were edited while it waited
 * @property {string} [action_hash] what is approved (tool, args, policy decision); sent back with a decision
 * @property {string} [policy_rule] the approval policy's rule that asked for it
 * @property {string} [progress] "1 of 2 from approvers (stage 1 of 2)"
 * @property {ApprovalDecision[]} [decisions]
 * @property {{ group: string, count: number, approved_by: string[] }[]} [stages]
 * @property {number} [current_stage]
 * @property {{ groups: string[], people: string[] }} [who_may_decide]
 * @property {boolean} [may_decide] in the inbox: whether the caller may decide it now
 * @property {string} [remind_at]
 * @property {string} [reminded_at]
 * @property {string} [escalate_at]
 * @property {string} [escalate_to]
 * @property {string} [escalated_at]
 * @property {{ from: string, to: string, to_kind: string, reason: string, at: string }[]} [delegations]
 * @property {string} [hold_until] approved under a cooling-off window: the step runs then unless revoked
 * @property {string} [revoked_by]
 * @property {string} [revoke_reason]
 *
 * @typedef {object} StepView
 * @property {string} id
 * @property {string} name
 * @property {string} tool
 * @property {string} risk_level
 * @property {string[]} depends_on
 * @property {string} [effect] what the step does, in plain words
 * @property {StepState} state
 * @property {number} attempts
 * @property {unknown} [result]
 * @property {string} [error]
 * @property {string} [started_at] when it first ran
 * @property {string} [finished_at] when it reached a final state
 * @property {StepAttention} [attention] while NEEDS_ATTENTION
 * @property {string} [hold_until] while APPROVED_HOLDING
 *
 * @typedef {object} RunView
 * @property {string} workflow_id
 * @property {string} session_id
 * @property {string} user_id
 * @property {string} message
 * @property {string} intent
 * @property {RunStatus} status
 * @property {StepView[]} steps
 * @property {ApprovalRecord[]} approvals
 * @property {string} [error]
 * @property {string} created_at
 * @property {string} updated_at
 *
 * @typedef {object} TimelineEvent
 * @property {number} seq
 * @property {string} event
 * @property {string} message
 * @property {string} timestamp
 * @property {string} [step_id]
 * @property {string} [approval_id]
 * @property {Record<string, unknown>} metadata
 *
 * @typedef {object} ChatResponse
 * @property {Record<string, any>} reply
 * @property {string} session_id
 * @property {string} workflow_id
 * @property {'RUNNING'|'PENDING_APPROVAL'|'COMPLETED'|'FAILED'|'REJECTED'|'CANCELLED'} status
 *
 * @typedef {object} PageConfig
 * @property {string} temporalUiUrl
 * @property {string} namespace
 * @property {boolean | undefined} auth true: tokens required; undefined: not told (found out on a 401)
 */

export const TIMELINE_EVENTS = [
  'plan_created',
  'step_ready',
  'step_running',
  'step_retrying',
  'step_blocked',
  'step_succeeded',
  'step_failed',
  'step_skipped',
  'step_refused',
  'approval_required',
  'approval_progress',
  'approval_edited',
  'approval_approved',
  'approval_rejected',
  'approval_expired',
  'approval_reminder',
  'approval_escalated',
  'approval_delegated',
  'approval_holding',
  'approval_revoked',
  'approval_ignored',
  'step_needs_attention',
  'step_action_taken',
  'step_action_ignored',
  'workflow_complete',
  'workflow_failed',
  'workflow_cancelled',
];
export const FINAL_EVENTS = ['workflow_complete', 'workflow_failed', 'workflow_cancelled'];
/** @type {readonly string[]} */
export const FINAL_RUN_STATUSES = ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'];
