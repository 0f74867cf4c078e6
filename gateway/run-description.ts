/**
 * The gateway's one reader of a run as Temporal describes it without a worker: its search
 * attributes and memo, as the run's last workflow task left them. Every describe the gateway makes
 * goes through `describeRun`, the memo is decoded here once, and `runStatusOf` is the one mapping
 * from what the run published (and how its execution ended) to a run status.
 */
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { ApprovalRecord, AttentionRecord, RunStatus, RunView } from '../src/shared/contracts.js';
import { REQUEST_WORKFLOW_TYPE, SearchAttributes } from '../src/shared/messages.js';
import { RUN_STATUSES } from '../src/shared/workflow-contracts.js';
import { queryWithDeadline } from './query-deadline.js';
import { heldStepsFromMemos, inboxFromMemos } from './visibility.js';

/** The parts of a run a decision needs: whose it is, and where it stands. */
export type RunSummary = Pick<RunView, 'workflow_id' | 'session_id' | 'user_id' | 'intent' | 'status'>;

/** An approval and the run it belongs to, as the caller may see them (what finding an approval answers). */
export interface FoundApproval {
  view: RunSummary;
  approval: ApprovalRecord;
}

export interface RunDescription {
  workflow_id: string;
  /** A request run; a session or any other workflow type is not. */
  isRequest: boolean;
  /** Temporal's status of the execution: RUNNING, COMPLETED, CANCELLED, TERMINATED, ... */
  execution: string;
  /** Still running: only an open run can take a decision or hold a step. */
  open: boolean;
  startTime: Date;
  /** Search attributes as published; a run started by hand may lack them until its first task. */
  session_id: string | undefined;
  user_id: string | undefined;
  intent: string | undefined;
  status: RunStatus;
  pendingApprovalIds: string[];
  /** The memo's pending approvals and held steps (empty once the run has closed). */
  pendingApprovals: ApprovalRecord[];
  heldSteps: AttentionRecord[];
  /** The summary the gateway gave the run when it started it. */
  staticSummary(): Promise<string | undefined>;
}

/**
 * The run's status: what it last published while it runs or completed; a run closed any other
 * way (cancelled, terminated, timed out) published its status before that end.
 */
export function runStatusOf(published: string | undefined, execution: string): RunStatus {
  if (execution === 'CANCELLED') return 'CANCELLED';
  if (execution !== 'RUNNING' && execution !== 'COMPLETED') return 'FAILED';
  return RUN_STATUSES.find((s) => s === published) ?? (execution === 'RUNNING' ? 'QUEUED' : 'FAILED');
}

type DescribeAnswer = Pick<
  WorkflowExecutionDescription,
  'type' | 'status' | 'startTime' | 'typedSearchAttributes' | 'memo' | 'staticSummary'
>;

export function readDescription(workflowId: string, description: DescribeAnswer): RunDescription {
  const attributes = description.typedSearchAttributes;
  const execution = description.status.name;
  const open = execution === 'RUNNING';
  return {
    workflow_id: workflowId,
    isRequest: description.type === REQUEST_WORKFLOW_TYPE,
    execution,
    open,
    startTime: description.startTime,
    session_id: attributes.get(SearchAttributes.SessionId),
    user_id: attributes.get(SearchAttributes.UserId),
    intent: attributes.get(SearchAttributes.Intent),
    status: runStatusOf(attributes.get(SearchAttributes.RunStatus), execution),
    pendingApprovalIds: open ? (attributes.get(SearchAttributes.PendingApprovalIds) ?? []) : [],
    pendingApprovals: open ? inboxFromMemos([description.memo]) : [],
    heldSteps: open ? heldStepsFromMemos([description.memo]) : [],
    staticSummary: () => description.staticSummary(),
  };
}

/** Describe (strongly consistent, no worker needed), within `timeoutMs` when given; undefined when unknown. */
export async function describeRun(
  client: Client,
  workflowId: string,
  timeoutMs?: number,
): Promise<RunDescription | undefined> {
  const describe = () => client.workflow.getHandle(workflowId).describe();
  try {
    const answer = await (timeoutMs === undefined ? describe() : queryWithDeadline(client, timeoutMs, describe));
    return readDescription(workflowId, answer);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export function runSummaryOf(description: RunDescription): RunSummary {
  return {
    workflow_id: description.workflow_id,
    session_id: description.session_id ?? '',
    user_id: description.user_id ?? '',
    intent: description.intent ?? 'unknown',
    status: description.status,
  };
}

/**
 * The view of a run whose query got no answer, marked `stale` so the caller knows it may lag
 * behind the run; message and steps are not kept in the memo, so they are empty.
 */
export function staleRunView(description: RunDescription): RunView {
  const created = description.startTime.toISOString();
  return {
    ...runSummaryOf(description),
    message: '',
    steps: [],
    approvals: description.pendingApprovals,
    created_at: created,
    updated_at: created,
    stale: true,
  };
}
