/**
 * Pure mappings from a run view to the banking assistant's replies of `POST /chat` and
 * `POST /workflow/{session_id}/approve`. No I/O: unit-tested with tables.
 */
import type { z } from 'zod';
import { type ApprovalRecord, type RunStatus, type RunView, type StepView } from '../src/shared/contracts.js';
import { isAssistantTool } from '../src/shared/planner-contracts.js';
import type { DecisionResult as DeliveredDecision } from './approvals/approvals.js';
import { clarificationChoices } from '../src/planner/clarify.js';

/** A decision the run took (replies to one kept for later are in decision-replies.ts). */
type DecisionResult = Omit<DeliveredDecision, 'applied'>;
import type { ApproveResponseSchema, ReplyStatus } from './schemas.js';

export type Reply = Record<string, unknown>;

const REPLY_STATUS: Record<RunStatus, ReplyStatus> = {
  QUEUED: 'RUNNING',
  PLANNING: 'RUNNING',
  EXECUTING: 'RUNNING',
  WAITING_APPROVAL: 'PENDING_APPROVAL',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  REJECTED: 'REJECTED',
  CANCELLED: 'CANCELLED',
};

/** The chat's top-level status: the run's, with every still-moving state shown as RUNNING. */
export function replyStatusOf(status: RunStatus): ReplyStatus {
  return REPLY_STATUS[status];
}

/** The lower-case word a reply's own `status` carries ("success" as in the original banking API). */
const OUTCOME_WORD: Record<ReplyStatus, string> = {
  RUNNING: 'running',
  PENDING_APPROVAL: 'pending_approval',
  COMPLETED: 'success',
  FAILED: 'failed',
  REJECTED: 'rejected',
  CANCELLED: 'cancelled',
};

/** The planner said it did not understand: the run failed before it had a plan. */
export function isNotUnderstood(view: RunView): boolean {
  return view.failure_kind === 'not_understood';
}

/** A clarifying question carries its readings as `choices`, each a message the page can send as is. */
function notUnderstoodReply(message: string | undefined): Reply {
  const choices = clarificationChoices(message ?? '');
  return { status: 'not_understood', message, ...(choices.length > 0 && { choices }) };
}

export function chatReply(view: RunView): { reply: Reply; status: ReplyStatus } {
  const status = replyStatusOf(view.status);
  const pending = view.approvals.find((a) => a.status === 'pending');
  if (status === 'PENDING_APPROVAL' && pending) return { status, reply: pendingReply(view, pending) };
  if (isNotUnderstood(view)) return { status, reply: notUnderstoodReply(view.error) };
  const transfer = onlyTransferStep(view);
  if (transfer && status !== 'RUNNING') return { status, reply: transferReply(view, transfer) };
  const question = onlyAssistantStep(view);
  if (question && status !== 'RUNNING') return { status, reply: assistantReply(view, question) };
  return { status, reply: summaryReply(view) };
}

/** The answer when the run did not settle within the wait budget. */
export function runningReply(intent: string | undefined): { reply: Reply; status: ReplyStatus } {
  return {
    status: 'RUNNING',
    reply: {
      status: 'running',
      message: 'Still working on it; follow the run with GET /api/workflows/{workflow_id}/stream.',
      ...(intent !== undefined && intent !== 'unknown' && { intent }),
    },
  };
}

/** The banking assistant's PENDING_APPROVAL reply; non-money approvals also name their step. */
export function pendingReply(view: RunView, approval: ApprovalRecord): Reply {
  const reply: Reply = {
    status: 'PENDING_APPROVAL',
    message: approval.reason,
    session_id: view.session_id,
    approval_id: approval.approval_id,
  };
  if (approval.amount !== undefined) {
    reply.amount = approval.amount;
    reply.recipient = approval.recipient;
    return reply;
  }
  return {
    ...reply,
    intent: view.intent,
    step_id: approval.step_id,
    step_name: approval.step_name,
    steps: view.steps.map(stepLine),
  };
}

function onlyTransferStep(view: RunView): StepView | undefined {
  const [only, ...rest] = view.steps;
  return only && rest.length === 0 && only.tool === 'bank_transfer' ? only : undefined;
}

function onlyAssistantStep(view: RunView): StepView | undefined {
  const [only, ...rest] = view.steps;
  return only && rest.length === 0 && isAssistantTool(only.tool) ? only : undefined;
}

/**
 * A question (balance, transfers, status, pending approvals) or a cancel: `{ intent, status:
 * "success", data, message }` with the tool's result as `data` and its sentence as `message`, or
 * `{ intent, status: "failed", message }` saying why not.
 */
export function assistantReply(view: RunView, step: StepView): Reply {
  const base = { intent: view.intent };
  if (step.state === 'SUCCEEDED')
    return {
      ...base,
      status: 'success',
      data: step.result,
      message: resultSummary(step.result) ?? `${step.name} done`,
    };
  if (step.state === 'FAILED') return { ...base, status: 'failed', message: step.error ?? `${step.name} failed` };
  return { ...base, status: OUTCOME_WORD[replyStatusOf(view.status)], message: summaryMessage(view) };
}

/** How the gate treated a step: auto-approved, approved by someone, rejected or expired. */
export function hilDecision(approval: ApprovalRecord | undefined): Reply {
  if (!approval) return { approved: true, auto: true };
  switch (approval.status) {
    case 'approved':
      return { approved: true, approver_id: approval.decided_by };
    case 'rejected':
      return {
        approved: false,
        approver_id: approval.decided_by,
        ...(approval.decision_reason !== undefined && { reason: approval.decision_reason }),
      };
    case 'expired':
      return { approved: false, expired: true };
    default:
      return { approved: false, status: approval.status };
  }
}

function transferReply(view: RunView, step: StepView): Reply {
  const approval = view.approvals.find((a) => a.step_id === step.id);
  const base = { intent: view.intent };
  switch (step.state) {
    case 'SUCCEEDED':
      return { ...base, status: 'success', data: step.result, hil_decision: hilDecision(approval) };
    case 'FAILED':
      return {
        ...base,
        status: 'failed',
        message: step.error ?? 'The transfer failed',
        hil_decision: hilDecision(approval),
      };
    case 'REJECTED':
      return {
        ...base,
        status: 'rejected',
        message: rejectionMessage(step, approval),
        hil_decision: hilDecision(approval),
      };
    default:
      return { ...base, status: OUTCOME_WORD[replyStatusOf(view.status)], message: summaryMessage(view) };
  }
}

function rejectionMessage(step: StepView, approval: ApprovalRecord | undefined): string {
  if (approval?.status === 'expired') return `${step.name} was not approved in time (the approval expired)`;
  if (approval?.decided_by) return `${step.name} was rejected by ${approval.decided_by}`;
  return `${step.name} was rejected`;
}

/** A per-step summary: how Life-OS runs, multi-step runs and runs still moving are answered. */
export function summaryReply(view: RunView): Reply {
  const pending = view.approvals.filter((a) => a.status === 'pending');
  return {
    intent: view.intent,
    status: OUTCOME_WORD[replyStatusOf(view.status)],
    message: summaryMessage(view),
    steps: view.steps.map(stepLine),
    ...(pending.length > 0 && {
      pending_approvals: pending.map((a) => ({
        approval_id: a.approval_id,
        step_id: a.step_id,
        step_name: a.step_name,
        reason: a.reason,
      })),
    }),
    ...(view.error !== undefined && { error: view.error }),
  };
}

function failureWords(step: StepView): string {
  return `${step.name} failed: ${step.error ?? 'unknown error'}`;
}

function summaryMessage(view: RunView): string {
  const total = view.steps.length;
  const done = view.steps.filter((s) => s.state === 'SUCCEEDED').length;
  const failed = view.steps.filter((s) => s.state === 'FAILED');
  const blocked = view.steps.filter((s) => s.state === 'BLOCKED');
  switch (view.status) {
    case 'QUEUED':
    case 'PLANNING':
      return 'Planning your request…';
    case 'COMPLETED':
      return `Done: all ${total} step(s) succeeded.`;
    case 'FAILED':
      if (failed.length > 0) return `${done} of ${total} step(s) succeeded; ${failed.map(failureWords).join('; ')}.`;
      return view.error ?? 'The request failed.';
    case 'REJECTED':
      return `${done} of ${total} step(s) succeeded; ${view.steps
        .filter((s) => s.state === 'REJECTED')
        .map((s) => s.name)
        .join(', ')} not approved.`;
    case 'CANCELLED':
      return `Cancelled after ${done} of ${total} step(s).`;
    default:
      if (blocked.length > 0)
        return `${done} of ${total} step(s) done; waiting for approval: ${blocked.map((s) => s.name).join(', ')}.`;
      return `${done} of ${total} step(s) done so far.`;
  }
}

/** One step for a reply: state plus a short human summary of its result or error. */
export function stepLine(step: StepView): Reply {
  const summary = resultSummary(step.result);
  return {
    id: step.id,
    name: step.name,
    tool: step.tool,
    risk_level: step.risk_level,
    state: step.state,
    ...(summary !== undefined && { summary }),
    ...(step.error !== undefined && step.state !== 'SUCCEEDED' && { error: step.error }),
  };
}

/** "Transferred 6000.00 from 123 to kiran", or "3 jobs" from the first list in a result. */
export function resultSummary(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const record = result as Record<string, unknown>;
  if (typeof record.message === 'string') return record.message;
  for (const [key, value] of Object.entries(record)) {
    if (Array.isArray(value)) return `${value.length} ${key}`;
  }
  return undefined;
}

/** `POST /workflow/{session_id}/approve`'s reply: the original banking API's shape, with the executed step's result. */
export function approveReply(decided: DecisionResult): z.input<typeof ApproveResponseSchema> {
  const { view, approval, approved, deciderId } = decided;
  return {
    status: approved ? 'approved' : 'rejected',
    session_id: view.session_id,
    workflow_id: view.workflow_id,
    approval_id: approval.approval_id,
    result: decisionResult(decided),
    approved_by: approved ? deciderId : null,
    decided_by: deciderId,
  };
}

export function decisionResult({ view, approval, approved, deciderId, step }: DecisionResult): Reply {
  const intent = view.intent;
  if (!approved) {
    return {
      intent,
      status: 'rejected',
      message: `${approval.step_name} was rejected by ${deciderId}`,
      rejected_by: deciderId,
    };
  }
  if (approval.status === 'pending' && step?.state === 'BLOCKED') {
    // The approval counted towards a stage of the policy; more people must approve before the step runs.
    const progress = approval.progress ?? 'more approvals needed';
    return {
      intent,
      status: 'waiting_approval',
      message: `Approved by ${deciderId}; still waiting: ${progress}`,
      approved_by: deciderId,
      progress,
    };
  }
  if (step?.state === 'SUCCEEDED') return { intent, status: 'success', data: step.result, approved_by: deciderId };
  if (step?.state === 'FAILED')
    return { intent, status: 'failed', message: step.error ?? `${step.name} failed`, approved_by: deciderId };
  if (step)
    return {
      intent,
      status: step.state.toLowerCase(),
      message: `${step.name} ended ${step.state}`,
      approved_by: deciderId,
    };
  return {
    intent,
    status: 'running',
    message: `Approved; ${approval.step_name} is still running`,
    approved_by: deciderId,
  };
}

/** The Life-OS API's decision reply message: what was decided and what became of the step. */
export function decisionMessage(input: DecisionResult): string {
  const verb = input.approved ? 'approved' : 'rejected';
  const step = input.step;
  const waiting = input.approved && input.approval.status === 'pending' && input.approval.progress !== undefined;
  const after = !input.approved
    ? ''
    : waiting
      ? `; still waiting: ${input.approval.progress}`
      : step?.state === 'APPROVED_HOLDING'
        ? `; it runs at ${step.hold_until ?? 'the end of its cooling-off window'} unless revoked first`
        : step
          ? `; the step ${step.state.toLowerCase()}`
          : '; the step is still running';
  return `${input.approval.step_name} ${verb} by ${input.deciderId}${after}`;
}
