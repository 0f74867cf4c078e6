/**
 * The sentences the assistant's read-only answers carry, from the data they read. Pure, so the
 * chat reply, the page and the unit tests see the same words.
 */
import type { ApprovalRecord, RunStatus, RunView } from '../src/shared/contracts.js';
import { formatUsd } from '../src/shared/money.js';

export interface TransferLine {
  transfer_id: string;
  direction: 'in' | 'out';
  counterparty: string;
  amount_cents: number;
  created_at: string;
}

/** What the status and cancel answers say about one run. */
export interface RequestSummary {
  workflow_id: string;
  message: string;
  intent: string;
  status: RunStatus;
  steps: { name: string; state: string }[];
  pending_approvals: { approval_id: string; step_name: string; amount_cents?: number; recipient?: string }[];
  error?: string;
  created_at: string;
  updated_at: string;
}

export function balanceMessage(balanceCents: number): string {
  return `Your balance is ${formatUsd(balanceCents)}.`;
}

export function historyMessage(transfers: readonly TransferLine[], since: string | undefined): string {
  const when = since === undefined ? '' : ` since ${since}`;
  if (transfers.length === 0) return `You have no transfers${when}.`;
  const lines = transfers.map((t) => {
    const direction = t.direction === 'out' ? `to ${t.counterparty}` : `from ${t.counterparty}`;
    return `${formatUsd(t.amount_cents)} ${direction} on ${t.created_at.slice(0, 10)}`;
  });
  const noun = transfers.length === 1 ? 'transfer' : `${transfers.length} transfers`;
  return `Your ${since === undefined ? 'last ' : ''}${noun}${when}: ${lines.join('; ')}.`;
}

export function summarise(view: RunView): RequestSummary {
  return {
    workflow_id: view.workflow_id,
    message: view.message,
    intent: view.intent,
    status: view.status,
    steps: view.steps.map((s) => ({ name: s.name, state: s.state })),
    pending_approvals: view.approvals.filter((a) => a.status === 'pending').map(pendingLine),
    ...(view.error !== undefined && { error: view.error }),
    created_at: view.created_at,
    updated_at: view.updated_at,
  };
}

function pendingLine(a: ApprovalRecord): RequestSummary['pending_approvals'][number] {
  return {
    approval_id: a.approval_id,
    step_name: a.step_name,
    ...(a.amount_cents !== undefined && { amount_cents: a.amount_cents }),
    ...(a.recipient !== undefined && { recipient: a.recipient }),
  };
}

const STATUS_WORDS: Record<RunStatus, string> = {
  QUEUED: 'is queued',
  PLANNING: 'is being planned',
  EXECUTING: 'is running',
  WAITING_APPROVAL: 'is waiting for approval',
  COMPLETED: 'completed',
  FAILED: 'failed',
  REJECTED: 'was rejected',
  CANCELLED: 'was cancelled',
};

/** `Your last request "Transfer 6000 to Kiran" (req-1) is waiting for approval: Transfer $6,000.00 → kiran.` */
export function statusMessage(request: RequestSummary, named: boolean): string {
  const which = `${named ? 'Your request' : 'Your last request'} ${quoted(request.message)} (${request.workflow_id})`;
  const words = STATUS_WORDS[request.status];
  if (request.status === 'WAITING_APPROVAL' && request.pending_approvals.length > 0) {
    return `${which} ${words}: ${request.pending_approvals.map((a) => a.step_name).join(', ')}.`;
  }
  if (request.status === 'FAILED' && request.error !== undefined) return `${which} ${words}: ${request.error}`;
  return `${which} ${words}.`;
}

export function pendingMessage(approvals: readonly ApprovalRecord[]): string {
  if (approvals.length === 0) return 'Nothing of yours is waiting for approval.';
  const lines = approvals.map(
    (a) => `${a.step_name} (${a.workflow_id}, since ${a.requested_at.slice(0, 16).replace('T', ' ')} UTC)`,
  );
  const noun = approvals.length === 1 ? '1 step is' : `${approvals.length} steps are`;
  return `${noun} waiting for approval: ${lines.join('; ')}.`;
}

export function cancelMessage(request: RequestSummary): string {
  return (
    `Cancelling your request ${quoted(request.message)} (${request.workflow_id}), ` +
    `which ${STATUS_WORDS[request.status]}; ` +
    'a write already under way finishes and is recorded.'
  );
}

export function notCancellableMessage(request: RequestSummary, named: boolean): string {
  const which = `${named ? 'Your request' : 'Your last request'} ${quoted(request.message)} (${request.workflow_id})`;
  return `${which} has already finished (${request.status}); there is nothing to cancel.`;
}

function quoted(text: string): string {
  return `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}
