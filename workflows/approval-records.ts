/**
 * What an approval record starts as when a step is blocked behind it (its id, the action and its
 * hash, the policy's stages and deadlines), and a copy of one that shares nothing with the run's.
 */
import type { ApprovalRecord, PlanStep, RequestInput } from '../src/shared/contracts.js';
import { approvalIdFor } from '../src/shared/messages.js';
import { actionHashOf } from '../src/shared/action-hash.js';
import { centsToDollars } from '../src/shared/money.js';
import { transferAmountCents } from '../src/shared/policy.js';
import { newQuorum, quorumProgress } from '../src/shared/policy/quorum.js';
import type { PolicyStage } from '../src/shared/policy/schema.js';
import type { ApprovalTiming } from '../src/shared/policy/follow-ups.js';
import { deadlinesOf, refreshDeciders } from './approval-handovers.js';

/** What a policy rule asked for; absent for runs without a policy, which need one decision. */
export interface ApprovalStages {
  rule: string;
  stages: readonly PolicyStage[];
  requesterMayApprove: boolean;
  /** The rule's reminder, escalation and expiry; absent when it sets none. */
  timing?: ApprovalTiming | undefined;
}

/** The run an approval belongs to: its workflow id and, inside a workflow, its first execution's run id. */
export interface RunIds {
  workflowId: string;
  runId?: string | undefined;
}

/** The run that asks: its ids, its input and, inside a workflow, what each step does in plain words. */
export type AskingRun = RunIds & { input: RequestInput; effectOf?: (stepId: string) => string };

export function newApprovalRecord(
  run: AskingRun,
  step: PlanStep & { edits?: number },
  reason: string,
  requestedAt: string,
  timeoutMs: number,
  staged?: ApprovalStages,
): ApprovalRecord {
  const cents = transferAmountCents(step);
  // An edited retry asks again under its own id; the first approval keeps its record.
  const suffix = step.edits ? `_edit${step.edits}` : '';
  const quorum = staged && newQuorum(staged.stages, staged.requesterMayApprove);
  const action_hash = actionHashOf({ tool: step.tool, args: step.args, rule: staged?.rule, stages: staged?.stages });
  const record: ApprovalRecord = {
    approval_id: `${approvalIdFor(run.workflowId, step.id)}${suffix}`,
    workflow_id: run.workflowId,
    session_id: run.input.session_id,
    step_id: step.id,
    step_name: step.name,
    tool: step.tool,
    risk_level: step.risk_level,
    reason,
    ...(run.effectOf && { effect: run.effectOf(step.id) }),
    ...(cents !== undefined && {
      amount: centsToDollars(cents),
      amount_cents: cents,
      recipient: String(step.args['to_account']),
      from_account: String(step.args['from_account']),
    }),
    status: 'pending',
    ...(run.runId !== undefined && { run_id: run.runId }),
    args: { ...step.args },
    requested_by: run.input.user_id,
    requested_at: requestedAt,
    expires_at: new Date(Date.parse(requestedAt) + timeoutMs).toISOString(),
    action_hash,
    ...(staged &&
      quorum && {
        policy_rule: staged.rule,
        stages: quorum.stages,
        current_stage: quorum.current_stage,
        requester_may_approve: quorum.requester_may_approve,
        progress: quorumProgress(quorum),
        decisions: [],
      }),
    ...deadlinesOf(requestedAt, staged?.timing),
  };
  if (quorum) refreshDeciders(record);
  return record;
}

/** A copy deep enough that a caller never reaches the stages or decisions the run keeps. */
export function approvalCopy(approval: ApprovalRecord): ApprovalRecord {
  return {
    ...approval,
    ...(approval.stages && { stages: approval.stages.map((s) => ({ ...s, approved_by: [...s.approved_by] })) }),
    ...(approval.args && { args: JSON.parse(JSON.stringify(approval.args)) as Record<string, unknown> }),
    ...(approval.decisions && { decisions: approval.decisions.map((d) => ({ ...d })) }),
    ...(approval.who_may_decide && {
      who_may_decide: { groups: [...approval.who_may_decide.groups], people: [...approval.who_may_decide.people] },
    }),
    ...(approval.delegations && { delegations: approval.delegations.map((d) => ({ ...d, groups: [...d.groups] })) }),
  };
}
