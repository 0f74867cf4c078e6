/**
 * What goes into the audit trail for each timeline event: one fact per event, keyed by the run's
 * id and the event's seq so a replay or a retried write names the same fact. Pure: RunState is
 * read through the snapshot it is handed, so unit tests need no Temporal server.
 */
import type { AuditFact, AuditKind, SignedMessage } from '../src/audit/audit-record.js';
import type { ApprovalRecord, RequestInput, TimelineEvent, TimelineEventName } from '../src/shared/contracts.js';
import { stepIdempotencyKeyOf } from './step-idempotency-key.js';
import type { RunState } from './run-state.js';

export type AuditSnapshot = Pick<RunState, 'workflowId' | 'approval' | 'view'>;

const KIND_OF: Record<TimelineEventName, AuditKind> = {
  plan_created: 'plan_adopted',
  step_ready: 'step_event',
  step_running: 'step_event',
  step_retrying: 'step_event',
  step_blocked: 'step_event',
  step_succeeded: 'step_executed',
  step_failed: 'step_failed',
  step_skipped: 'step_event',
  step_refused: 'step_event',
  approval_required: 'approval_requested',
  approval_progress: 'approval_progress',
  approval_edited: 'approval_edited',
  approval_approved: 'approval_decided',
  approval_rejected: 'approval_decided',
  approval_expired: 'approval_expired',
  approval_reminder: 'approval_reminder',
  approval_escalated: 'approval_escalated',
  approval_delegated: 'approval_delegated',
  approval_holding: 'step_event',
  approval_revoked: 'approval_decided',
  approval_ignored: 'message_ignored',
  step_needs_attention: 'step_event',
  step_action_taken: 'operator_action',
  step_action_ignored: 'message_ignored',
  workflow_complete: 'run_finished',
  workflow_failed: 'run_finished',
  workflow_cancelled: 'run_finished',
};

/** Who acted, as the event's metadata names them (decider, editor, delegator, operator). */
const ACTOR_FIELDS = ['decided_by', 'approver_id', 'edited_by', 'delegated_by', 'revoked_by', 'skipped_by'] as const;

/** How a run was started, for the first record: the requester, where from, and what they asked. */
export function requestStartedFact(workflowId: string, input: RequestInput, at: string): AuditFact {
  return {
    key: `${workflowId}:started`,
    workflow_id: workflowId,
    kind: 'request_started',
    at,
    person: input.user_id,
    summary: `${input.user_id} asked: ${input.message}`,
    data: {
      user_id: input.user_id,
      session_id: input.session_id,
      message: input.message,
      source: sourceOf(workflowId),
      ...(input.requester_groups && { requester_groups: input.requester_groups }),
    },
  };
}

/**
 * Where a request came from, as its workflow id says: the gateway (chat or API) names runs `req-…`;
 * any other was started by hand (`./temporal-dev.sh request` names them `op-req-…`).
 */
export function sourceOf(workflowId: string): 'gateway' | 'operator' {
  return workflowId.startsWith('req-') ? 'gateway' : 'operator';
}

/** The fact for one timeline event; `signed` is the message that caused it, when one did. */
export function auditFactOf(run: AuditSnapshot, event: TimelineEvent, signed?: SignedMessage): AuditFact {
  // A retry, skip or fail shows as the step event it causes; the operator's signed action makes it theirs.
  const kind = signed?.kind === 'operator_action' ? 'operator_action' : KIND_OF[event.event];
  const approval = event.approval_id === undefined ? undefined : run.approval(event.approval_id);
  const view =
    kind === 'plan_adopted' || event.step_id !== undefined || kind === 'run_finished' ? run.view() : undefined;
  const step = event.step_id === undefined ? undefined : view?.steps.find((s) => s.id === event.step_id);
  const person =
    actorOf(event, approval) ?? (kind === 'run_finished' || kind === 'plan_adopted' ? view?.user_id : undefined);
  const tool = step?.tool ?? approval?.tool;
  const outcome = outcomeOf(event, view?.status);
  const data: Record<string, unknown> = { event: event.event, metadata: event.metadata };
  if (approval) data.approval = { ...approval };
  if (kind === 'plan_adopted' && view) {
    data.intent = view.intent;
    if (view.policy) data.policy = view.policy;
    data.steps = view.steps.map(({ id, name, tool, args, risk_level, depends_on }) => ({
      id,
      name,
      tool,
      args,
      risk_level,
      depends_on,
    }));
  }
  if (step && (kind === 'step_executed' || kind === 'step_failed')) {
    data.step = { tool: step.tool, args: step.args, attempts: step.attempts, result: step.result, error: step.error };
    data.idempotency_key = stepIdempotencyKeyOf(run.workflowId, step);
    if (step.tool === 'bank_transfer' && kind === 'step_executed') data.ledger_reference = step.result;
  }
  return {
    key: `${run.workflowId}:${event.seq}`,
    workflow_id: run.workflowId,
    kind,
    at: event.timestamp,
    ...(person !== undefined && { person }),
    ...(tool !== undefined && { tool }),
    ...(event.step_id !== undefined && { step_id: event.step_id }),
    ...(event.approval_id !== undefined && { approval_id: event.approval_id }),
    ...(outcome !== undefined && { outcome }),
    summary: event.message,
    ...(signed && { signed }),
    data,
  };
}

function actorOf(event: TimelineEvent, approval: Readonly<ApprovalRecord> | undefined): string | undefined {
  for (const field of ACTOR_FIELDS) {
    const value = event.metadata[field];
    if (typeof value === 'string') return value;
  }
  if (event.event === 'approval_required') return approval?.requested_by;
  // A hand-over's delegation names the person who handed it over `from`.
  if (event.event === 'approval_delegated' && typeof event.metadata.from === 'string') return event.metadata.from;
  return undefined;
}

function outcomeOf(event: TimelineEvent, status: string | undefined): string | undefined {
  switch (event.event) {
    case 'approval_approved':
      return 'approved';
    case 'approval_rejected':
      return 'rejected';
    case 'approval_expired':
      return 'expired';
    case 'approval_revoked':
      return 'revoked';
    case 'approval_ignored':
    case 'step_action_ignored':
      return 'ignored';
    case 'step_succeeded':
      return 'succeeded';
    case 'step_failed':
      return 'failed';
    case 'approval_required':
      return 'pending';
    case 'workflow_complete':
    case 'workflow_failed':
    case 'workflow_cancelled':
      return status;
    default:
      return undefined;
  }
}

/** A signed message that changed nothing on the timeline (a stage counted silently) still gets its own fact. */
export function signedMessageFact(workflowId: string, signed: SignedMessage, at: string): AuditFact {
  const proof = signed.message.proof as { signature?: unknown } | undefined;
  const id = typeof proof?.signature === 'string' ? proof.signature.slice(0, 32) : at;
  return {
    key: `${workflowId}:signed:${id}`,
    workflow_id: workflowId,
    kind: 'signed_message',
    at,
    summary: `Signed ${signed.kind} received`,
    signed,
    data: {},
  };
}
